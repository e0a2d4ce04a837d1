"""The ``mediawatch`` command: run, worker, produce, analyze, serve-feeds.

    mediawatch run --feeds FILE [--serve DIR]   broker (unless MEDIAWATCH_BROKER is set),
                                                producer and worker; prints alerts
    mediawatch worker                           the Faust worker (all agents)
    mediawatch produce --feeds FILE [--once]    the feed producer
    mediawatch analyze [FILE]                   JSON lines in, analyses out (no Kafka)
    mediawatch serve-feeds DIR [--port N]       a local HTTP server for feed files
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

import orjson

from streams.errors import MediawatchError
from streams.settings import Settings, SettingsError, describe

log = logging.getLogger("mediawatch")
REPO_ROOT = Path(__file__).resolve().parent.parent
KAFKA_SCRIPT = REPO_ROOT / "deploy" / "kafka" / "kafka.sh"


def _logging(level: str) -> None:
    logging.basicConfig(level=level, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")


# ---------------------------------------------------------------- analyze
def cmd_analyze(args: argparse.Namespace) -> int:
    from analysis import analyze_lines

    source: TextIO = (open(args.file, encoding="utf-8", errors="replace")  # noqa: SIM115
                      if args.file and args.file != "-" else sys.stdin)
    out = sys.stdout.buffer
    with source:
        for result in analyze_lines(source):
            out.write(orjson.dumps(result) + b"\n")
            out.flush()
    return 0


# ---------------------------------------------------------------- produce
def cmd_produce(args: argparse.Namespace) -> int:
    from producers.producer import FeedProducer
    from producers.registry import load_feeds
    from streams.admin import ensure_topics
    from streams.metrics import metrics, serve
    from streams.topic_names import ALL_TOPICS

    settings = Settings.from_env()
    _logging(settings.log_level)
    feeds = load_feeds(Path(args.feeds))
    serve(settings.metrics_port, settings.metrics_host)

    async def main() -> int:
        await ensure_topics(settings, ALL_TOPICS)
        async with FeedProducer(settings, feeds, metrics()) as producer:
            if args.once:
                outcomes = await producer.poll_all()
                published = sum(o.published for o in outcomes)
                failed = [o.feed for o in outcomes if o.outcome not in ("ok", "not_modified")]
                print(f"polled {len(outcomes)} feeds: published {published} entries"
                      + (f"; failed: {', '.join(failed)}" if failed else ""), flush=True)
                return 0
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, stop.set)
            log.info("polling %d feeds", len(feeds))
            await producer.run(stop)
            return 0

    return asyncio.run(main())


# ---------------------------------------------------------------- worker
def cmd_worker(args: argparse.Namespace) -> int:
    from faust.worker import Worker

    from streams.admin import ensure_topics
    from streams.app import app, settings
    from streams.metrics import serve
    from streams.topic_names import ALL_TOPICS

    import agents  # noqa: F401  (registers the agents)

    asyncio.run(ensure_topics(settings, ALL_TOPICS))
    Path(app.conf.datadir).mkdir(parents=True, exist_ok=True)
    serve(settings.metrics_port, settings.metrics_host)
    worker = Worker(app, loglevel=settings.log_level.lower(), quiet=True)
    worker.execute_from_commandline()  # exits the process when the worker stops
    return 0


# ---------------------------------------------------------------- serve-feeds
def cmd_serve_feeds(args: argparse.Namespace) -> int:
    from streams.feedserver import serve_directory

    serve_directory(Path(args.directory), args.port)
    return 0


# ---------------------------------------------------------------- run
def _kafka(command: str, env: dict[str, str]) -> None:
    subprocess.run(["bash", str(KAFKA_SCRIPT), command], env=env, check=True,
                   stdin=subprocess.DEVNULL)


def _terminate(processes: Sequence[subprocess.Popen[bytes]], timeout: float = 20.0) -> None:
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


def cmd_run(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    _logging(settings.log_level)
    from producers.registry import load_feeds

    load_feeds(Path(args.feeds))  # fail early on a bad feeds file
    env = dict(os.environ)
    started_broker = False
    children: list[subprocess.Popen[bytes]] = []

    def on_signal(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    try:
        if settings.broker is None:
            print("mediawatch: starting the local Kafka broker…", file=sys.stderr, flush=True)
            _kafka("start", env)
            started_broker = True
            env["MEDIAWATCH_BROKER"] = f"kafka://127.0.0.1:{settings.kafka_port}"
        me = [sys.executable, "-m", "streams.cli"]
        quiet = {**env, "MEDIAWATCH_LOG_LEVEL": env.get("MEDIAWATCH_LOG_LEVEL", "WARNING")}

        def spawn(*argv: str, extra: dict[str, str] | None = None) -> None:
            children.append(subprocess.Popen([*me, *argv], env={**quiet, **(extra or {})},
                                             stdin=subprocess.DEVNULL, start_new_session=True))

        if args.serve:
            spawn("serve-feeds", args.serve, "--port", str(args.serve_port))
        spawn("worker", extra={"MEDIAWATCH_METRICS_PORT": str(args.worker_metrics_port)})
        spawn("produce", "--feeds", args.feeds,
              extra={"MEDIAWATCH_METRICS_PORT": str(args.producer_metrics_port)})
        print(f"mediawatch: running; metrics on :{args.producer_metrics_port} (producer) and "
              f":{args.worker_metrics_port} (worker). Ctrl-C stops.", file=sys.stderr,
              flush=True)
        while True:
            for child in children:
                code = child.poll()
                if code is not None:
                    name = child.args[3] if isinstance(child.args, list) else "a process"
                    print(f"mediawatch: {name} exited with {code}", file=sys.stderr,
                          flush=True)
                    return code or 1
            with contextlib.suppress(subprocess.TimeoutExpired):
                children[-1].wait(timeout=0.5)
    except KeyboardInterrupt:
        return 0
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        print("mediawatch: stopping…", file=sys.stderr, flush=True)
        _terminate(children)
        if started_broker:
            _kafka("stop", env)
        print("mediawatch: stopped", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- main
def build_parser() -> argparse.ArgumentParser:
    settings_help = "\n".join(f"  {name} (default: {default})\n      {doc}"
                              for name, default, doc in describe())
    parser = argparse.ArgumentParser(
        prog="mediawatch", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Multilingual news monitoring: bilateral meetings and sanctions "
                    "rhetoric, from feeds through Kafka to alerts.",
        epilog=f"settings (environment variables):\n{settings_help}")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="broker (unless MEDIAWATCH_BROKER), producer, worker")
    run.add_argument("--feeds", required=True, help="feeds YAML file")
    run.add_argument("--serve", metavar="DIR", help="also serve feed files from DIR")
    run.add_argument("--serve-port", type=int, default=8765)
    run.add_argument("--producer-metrics-port", type=int, default=9301)
    run.add_argument("--worker-metrics-port", type=int, default=9302)
    run.set_defaults(func=cmd_run)

    worker = sub.add_parser("worker", help="the Faust worker running every agent")
    worker.set_defaults(func=cmd_worker)

    produce = sub.add_parser("produce", help="poll feeds and publish to articles.raw")
    produce.add_argument("--feeds", required=True, help="feeds YAML file")
    produce.add_argument("--once", action="store_true", help="poll every feed once and exit")
    produce.set_defaults(func=cmd_produce)

    analyze = sub.add_parser("analyze", help="analyse JSON lines (file or stdin)")
    analyze.add_argument("file", nargs="?", help="input file; stdin when absent or -")
    analyze.set_defaults(func=cmd_analyze)

    serve = sub.add_parser("serve-feeds", help="serve feed files over HTTP on loopback")
    serve.add_argument("directory")
    serve.add_argument("--port", type=int, default=8765)
    serve.set_defaults(func=cmd_serve_feeds)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (SettingsError, MediawatchError) as exc:
        print(f"mediawatch: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
