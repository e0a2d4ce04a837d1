"""Feed parsing in a process of its own, stopped when it takes too long or too much.

feedparser has inputs on which its time grows with the square of one field: an
``<author>`` of 100 KB of letters takes 43 s (its e-mail pattern), a ``style`` in escaped
HTML or an unclosed escaped comment as long takes as much (its sanitizer), and nested
``xml:base`` attributes take memory with the square of their depth (500 KB: 761 MB). A
parse in a thread cannot be stopped; one in a process can. :class:`IsolatedParser`
sends each body to one long-lived child process (``python -m producers.isolation``,
``producers.parsing.parse_feed`` there, under an address-space limit) and waits at most
``timeout`` seconds: a parse that takes longer, runs out of memory or kills its process
ends as ``FeedParseError`` naming why, the process is replaced, and the producer goes on
with its other feeds. A rebalance or a shutdown kills the process at once instead of
waiting for the parse.

Jobs go to the child's standard input and replies come back on a pipe of their own,
each a pickle after its length (8 bytes, big-endian). The child ignores SIGINT (Ctrl-C of
``mediawatch run`` reaches the whole process group; the producer stops it), logs to
standard error like the producer, and ends when its standard input closes, so it never
outlives the producer.

A producer parses with a :class:`ParserPool` of ``MEDIAWATCH_PARSE_PROCESSES`` such
processes, each started when first needed: a body goes to one that is idle, so a feed
held to the time limit holds one process and the other feeds parse in the others.

Article pages (``MEDIAWATCH_FETCH_ARTICLE_PAGES``) are read the same way, in a process
of their own (another :class:`IsolatedParser`), under the same limits:
:meth:`IsolatedParser.read_page` gives ``producers.pages.page_text``'s result, or
:class:`PageNotRead` when the extraction was stopped or failed (the entry keeps its
summary). The two processes never wait for each other.
"""

from __future__ import annotations

import asyncio
import os
import pickle
import resource
import select
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import IO, Any, NamedTuple

from producers.parsing import ParsedFeed, parse_feed
from producers.registry import Feed
from streams.errors import FeedParseError, MediawatchError

HEADER = 8


def _frame(value: Any) -> bytes:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    return len(data).to_bytes(HEADER, "big") + data


def _read_exactly(stream: IO[bytes], size: int) -> bytes | None:
    data = stream.read(size)
    return data if data is not None and len(data) == size else None


class PageNotRead(MediawatchError):
    """An article page whose extraction was stopped (too long, too much memory) or
    failed: the entry keeps its summary."""


def _run(kind: str, args: tuple[Any, ...]) -> tuple[str, Any]:
    """One job in the child: a feed's parse or an article page's extraction."""
    if kind == "page":
        from producers.pages import page_text  # loads trafilatura on the first page

        try:
            return "ok", page_text(*args)
        except MemoryError:
            raise
        except Exception as exc:  # the page is not read, and the reply says why
            return "error", f"{type(exc).__name__}: {exc}"
    try:
        return "ok", parse_feed(*args)
    except FeedParseError as exc:
        return "error", str(exc)


def _serve(jobs: IO[bytes], replies: IO[bytes], memory: int | None) -> None:
    """The child: do every job it is sent until its input closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if memory:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    while True:
        header = _read_exactly(jobs, HEADER)
        if header is None:
            return
        data = _read_exactly(jobs, int.from_bytes(header, "big"))
        if data is None:
            return
        reply: tuple[str, Any]
        try:
            reply = _run(*pickle.loads(data))
        except MemoryError:
            reply = ("memory", None)
        try:
            framed = _frame(reply)
        except MemoryError:
            framed = _frame(("memory", None))
        replies.write(framed)
        replies.flush()


class IsolatedParser:
    """``parse_feed`` (or ``page_text``) in a child process, at most ``timeout`` seconds
    and ``memory`` bytes of address space (None: no limit) a body; one body at a time."""

    def __init__(self, timeout: float, memory: int | None) -> None:
        self.timeout = timeout
        self.memory = memory
        # Every use of the process and its pipes happens in this one thread.
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mediawatch-parse")
        self._process: subprocess.Popen[bytes] | None = None
        self._replies: int | None = None
        self._closed = False

    async def parse(self, feed: Feed, body: bytes, fetched_at: datetime,
                    base_url: str | None = None,
                    content_type: str | None = None) -> ParsedFeed:
        """What ``parse_feed`` gives, or FeedParseError, also when the parse was
        stopped. Cancelled while it waits its turn, the body is never parsed."""
        parsed: ParsedFeed = await self._submit(
            ("feed", (feed, body, fetched_at, base_url, content_type)),
            Stop(f"feed {feed.id}: not parsed", "parsing", FeedParseError))
        return parsed

    async def read_page(self, address: str, html: bytes) -> tuple[str | None, str | None]:
        """What ``producers.pages.page_text`` gives for the page at ``address``, or
        PageNotRead when its extraction was stopped or failed."""
        read: tuple[str | None, str | None] = await self._submit(
            ("page", (html,)), Stop(f"article page {address}: not read", "extraction",
                                    PageNotRead))
        return read

    async def _submit(self, job: tuple[str, tuple[Any, ...]], stop: Stop) -> Any:
        if self._closed:
            raise stop.error(f"{stop.what}: the producer is stopping")
        return await asyncio.get_running_loop().run_in_executor(
            self._thread, self._call, job, stop)

    async def close(self) -> None:
        """Stop the child at once (a parse under way ends as FeedParseError)."""
        self._closed = True
        process = self._process
        if process is not None:
            process.kill()
        await asyncio.get_running_loop().run_in_executor(self._thread, self._end)
        self._thread.shutdown(wait=False)

    # ---------------------------------------------------------- in the thread
    def _start(self) -> subprocess.Popen[bytes]:
        replies, theirs = os.pipe()
        try:
            process = subprocess.Popen(
                [sys.executable, "-m", "producers.isolation", str(theirs),
                 str(self.memory or 0)],
                stdin=subprocess.PIPE, pass_fds=(theirs,), close_fds=True,
                env={**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)})
        except BaseException:
            os.close(replies)
            raise
        finally:
            os.close(theirs)
        self._process, self._replies = process, replies
        return process

    def _end(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            if self._process.stdin is not None:
                self._process.stdin.close()
        if self._replies is not None:
            os.close(self._replies)
        self._process = self._replies = None

    def _receive(self, deadline: float) -> bytes | None:
        """A reply, or None when ``deadline`` passed first; EOFError if the child
        ended."""
        assert self._replies is not None
        data = b""
        size: int | None = None
        while size is None or len(data) < HEADER + size:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._replies], [], [], left)[0]:
                return None
            chunk = os.read(self._replies, 1 << 20)
            if not chunk:
                raise EOFError
            data += chunk
            if size is None and len(data) >= HEADER:
                size = int.from_bytes(data[:HEADER], "big")
        return data[HEADER:]

    def _call(self, job: tuple[str, tuple[Any, ...]], stop: Stop) -> Any:
        if self._closed:
            raise stop.error(f"{stop.what}: the producer is stopping")
        process = self._process
        if process is None or process.poll() is not None:
            self._end()
            process = self._start()
        assert process.stdin is not None
        try:
            process.stdin.write(_frame(job))
            process.stdin.flush()
            data = self._receive(time.monotonic() + self.timeout)
        except (EOFError, OSError):
            self._end()
            why = ("the producer is stopping" if self._closed
                   else f"the {stop.doing} process ended (killed, or out of memory)")
            raise stop.error(f"{stop.what}: {why}") from None
        if data is None:
            self._end()
            raise stop.error(f"{stop.what}: {stop.doing} took longer than "
                             f"{self.timeout:g} s and was stopped")
        kind, value = pickle.loads(data)
        if kind == "memory":
            self._end()  # a process that ran out of memory is not trusted again
            raise stop.error(f"{stop.what}: {stop.doing} needed more than "
                             f"{self.memory or 0:,} bytes of memory")
        if kind == "error":
            raise stop.error(value if job[0] == "feed" else f"{stop.what}: {value}")
        return value


class ParserPool:
    """``size`` :class:`IsolatedParser` processes for feeds; a body goes to an idle one
    (a process starts on its first body), so a long parse holds its own process only."""

    def __init__(self, size: int, timeout: float, memory: int | None) -> None:
        self.parsers = [IsolatedParser(timeout, memory) for _ in range(size)]
        # the last one to be idle goes first, so a second process starts only when needed
        self._idle: asyncio.LifoQueue[IsolatedParser] = asyncio.LifoQueue()
        for parser in self.parsers:
            self._idle.put_nowait(parser)

    async def parse(self, feed: Feed, body: bytes, fetched_at: datetime,
                    base_url: str | None = None,
                    content_type: str | None = None) -> ParsedFeed:
        """:meth:`IsolatedParser.parse` in the first process to be idle. Cancelled, the
        caller stops waiting; the process is idle again only when its parse has ended."""
        parser = await self._idle.get()
        job = asyncio.ensure_future(
            parser.parse(feed, body, fetched_at, base_url, content_type))
        job.add_done_callback(lambda done: self._release(parser, done))
        return await asyncio.shield(job)

    def _release(self, parser: IsolatedParser, job: asyncio.Future[ParsedFeed]) -> None:
        if not job.cancelled():
            job.exception()  # retrieved here too: its caller may have stopped waiting
        self._idle.put_nowait(parser)

    async def close(self) -> None:
        """Stop every process at once (parses under way end as FeedParseError)."""
        await asyncio.gather(*(parser.close() for parser in self.parsers))


class Stop(NamedTuple):
    """How a job that was stopped is reported: ``what`` was not done ("feed f: not
    parsed"), while ``doing`` ("parsing"), as ``error``."""

    what: str
    doing: str
    error: type[MediawatchError]


if __name__ == "__main__":
    with os.fdopen(int(sys.argv[1]), "wb") as _replies:
        _serve(sys.stdin.buffer, _replies, int(sys.argv[2]) or None)
