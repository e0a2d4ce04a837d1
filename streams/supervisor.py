"""Child processes of ``mediawatch run``, restarted when they exit unexpectedly.

Each child is started in its own process group. A child that exits while the
supervisor runs is started again after a backoff that doubles with each quick failure
(``base_delay`` up to ``max_delay``) and starts over once a child has run for
``stable_after`` seconds; every exit and restart is logged with its count. A child
that exits with one of the ``fatal`` statuses (its command cannot do its work: a
configuration error, a port in use) is not started again: ``check`` raises
ChildFailed, for the caller to stop the others. ``stop``
sends SIGTERM to every process group, then SIGKILL to those still running after
``timeout`` seconds. ``signal`` passes a signal on to the children of one name
(``mediawatch run`` hands SIGHUP to the worker, which reloads its rules). A child
added with ``ignored`` signals starts with them ignored, so that one passed on before
the child installs its own handler does not stop it (the worker's reload handler is
in place only once it has started).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

log = logging.getLogger("mediawatch.run")

__all__ = ["Child", "ChildFailed", "Supervisor", "terminate"]


@dataclass
class Child:
    """One supervised command."""

    name: str
    argv: list[str]
    env: dict[str, str]
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    restarts: int = 0
    failures: int = 0  # quick failures in a row: the backoff's exponent
    restart_at: float | None = None
    exits: list[int] = field(default_factory=list)
    ignored: tuple[int, ...] = ()  # signals ignored from the child's first moment


class ChildFailed(Exception):
    """A child exited with a status that says starting it again would not help."""

    def __init__(self, name: str, code: int) -> None:
        super().__init__(f"{name} cannot run (exit status {code}; its error is above): "
                         "not started again")
        self.name = name
        self.code = code


def terminate(processes: Sequence[subprocess.Popen[bytes]], timeout: float = 20.0) -> None:
    """SIGTERM every process group, SIGKILL those still running after ``timeout``."""
    for process in processes:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


class Supervisor:
    """Starts children, restarts the ones that exit, stops them all."""

    def __init__(self, *, base_delay: float = 1.0, max_delay: float = 60.0,
                 stable_after: float = 60.0,
                 report: Callable[[str], None] | None = None,
                 fatal: tuple[int, ...] = ()) -> None:
        self.children: list[Child] = []
        self.fatal = fatal
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.stable_after = stable_after
        self.report = report or log.warning

    def add(self, name: str, argv: list[str], env: dict[str, str], *,
            ignored: tuple[int, ...] = ()) -> Child:
        child = Child(name, argv, env, ignored=ignored)
        self.children.append(child)
        self._start(child)
        return child

    def _start(self, child: Child) -> None:
        def ignore() -> None:  # in the child, before it runs its command
            for signum in child.ignored:
                signal.signal(signum, signal.SIG_IGN)

        child.process = subprocess.Popen(child.argv, env=child.env, stdin=subprocess.DEVNULL,
                                         start_new_session=True,
                                         preexec_fn=ignore if child.ignored else None)
        child.started_at = time.monotonic()
        child.restart_at = None

    def delay(self, child: Child) -> float:
        """The wait before the next start of ``child``."""
        return float(min(self.max_delay, self.base_delay * 2.0 ** max(0, child.failures - 1)))

    def check(self) -> None:
        """Notice exits, schedule restarts, start the children whose time has come."""
        now = time.monotonic()
        for child in self.children:
            process = child.process
            if process is not None and child.restart_at is None:
                code = process.poll()
                if code is None:
                    continue
                child.exits.append(code)
                if code in self.fatal:
                    raise ChildFailed(child.name, code)
                ran = now - child.started_at
                child.failures = 1 if ran >= self.stable_after else child.failures + 1
                child.restart_at = now + self.delay(child)
                self.report(f"mediawatch: {child.name} exited with {code} after {ran:.0f}s; "
                            f"restarting in {self.delay(child):.0f}s "
                            f"(restart {child.restarts + 1})")
            if child.restart_at is not None and now >= child.restart_at:
                child.restarts += 1
                self._start(child)
                self.report(f"mediawatch: {child.name} restarted (restart {child.restarts})")

    def wait(self, seconds: float) -> None:
        """Check the children every ``seconds`` at most (one call: one period)."""
        running = [c.process for c in self.children
                   if c.process is not None and c.restart_at is None]
        if running:
            with contextlib.suppress(subprocess.TimeoutExpired):
                running[-1].wait(timeout=seconds)
        else:
            time.sleep(seconds)
        self.check()

    def signal(self, name: str, signum: int) -> int:
        """Send ``signum`` to the running children called ``name``; how many got it."""
        sent = 0
        for child in self.children:
            process = child.process
            if child.name == name and process is not None and process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    process.send_signal(signum)
                    sent += 1
        return sent

    def stop(self, timeout: float = 20.0) -> None:
        """Stop every child (no restart after this)."""
        processes = [c.process for c in self.children if c.process is not None]
        for child in self.children:
            child.restart_at = None
        terminate(processes, timeout)
