"""The ``mediawatch`` command: run, worker, produce, analyze, serve-feeds.

    mediawatch run --feeds FILE [--serve DIR]   broker (unless MEDIAWATCH_BROKER is set),
                                                producer and worker; prints alerts
    mediawatch worker                           the Faust worker (all agents)
    mediawatch produce [--feeds FILE] [--once]  a feed producer (group member)
    mediawatch feeds add|remove|list|import-opml|export-opml  the feed registry
    mediawatch analyze [FILE]                   JSON lines in, analyses out (no Kafka)
    mediawatch dedup [FILE]                     JSON lines in, story ids out (no Kafka)
    mediawatch rules check|try|test             validate rules, try them on articles
    mediawatch serve-feeds DIR [--port N]       a local HTTP server for feed files

A command that cannot do its work (usage, configuration, a file, the broker) ends with
one line, "mediawatch: error: ...", and status 2; ``produce --once`` ends with status 1
when it polled but some feed could not be read.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import io
import logging
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

import orjson

from streams import __version__, logs
from streams.errors import MediawatchError
from streams.settings import Settings, SettingsError, describe
from streams.supervisor import ChildFailed, Supervisor

log = logging.getLogger("mediawatch")
REPO_ROOT = Path(__file__).resolve().parent.parent
KAFKA_SCRIPT = REPO_ROOT / "deploy" / "kafka" / "kafka.sh"


def _logging(settings: Settings) -> None:
    logs.setup(settings.log_level, settings.log_format)


# ---------------------------------------------------------------- analyze, dedup
def _json_lines(file: str | None, process: Callable[[TextIO], Iterable[Any]]) -> int:
    """Feed JSON lines from ``file`` (stdin when absent or -) to ``process``; write its
    results as JSON lines on stdout, one at a time. The input is read as UTF-8, a byte
    that is not UTF-8 as U+FFFD: a bad byte spoils its line, not the run."""
    # Lines end at "\n" only: a carriage return inside a line is JSON whitespace.
    if not file or file == "-":
        if isinstance(sys.stdin, io.TextIOWrapper):  # strict by default: a traceback
            sys.stdin.reconfigure(encoding="utf-8", errors="replace", newline="\n")
        source: TextIO = sys.stdin
    else:
        try:
            source = open(file, encoding="utf-8", errors="replace", newline="\n")  # noqa: SIM115
        except OSError as exc:
            print(f"mediawatch: cannot read {file}: {exc.strerror}", file=sys.stderr)
            return 2
    out = sys.stdout.buffer
    with source:
        for result in process(source):
            out.write(orjson.dumps(result) + b"\n")
            out.flush()
    return 0


def cmd_analyze(args: argparse.Namespace) -> int:
    from analysis import analyze_lines

    return _json_lines(args.file, analyze_lines)


def cmd_dedup(args: argparse.Namespace) -> int:
    from analysis.dedup import dedup_lines

    return _json_lines(args.file, dedup_lines)


# ---------------------------------------------------------------- produce
def cmd_produce(args: argparse.Namespace) -> int:
    from producers.catalog import apply_feeds_file
    from producers.producer import SUCCESS
    from producers.registry import load_feeds
    from producers.service import ProducerService
    from streams.metrics import metrics, serve

    settings = Settings.from_env()
    _logging(settings)
    if settings.fetch_article_pages:
        from producers.pages import require_extractor

        require_extractor()
    feeds = load_feeds(Path(args.feeds)) if args.feeds else []
    serve(settings.metrics_port, settings.metrics_host)

    async def main() -> int:
        if args.feeds:
            # The file's changes since it was last applied go to the feeds topic (what
            # operators changed there since stays); then this process is one member of
            # the producers' group like any other.
            report = await apply_feeds_file(settings, args.feeds, feeds)
            log.info("feeds file %s: %s", args.feeds, report.summary())
        async with ProducerService(settings, metrics()) as service:
            if args.once:
                outcomes = await service.poll_once()
                published = sum(o.published for o in outcomes)
                # failed: a feed not read this time (refused, unreachable, rate
                # limited, unparsable, or its entries not published)
                failed = [o.feed for o in outcomes if o.outcome not in SUCCESS]
                print(f"polled {len(outcomes)} feeds: published {published} entries"
                      + (f"; failed: {', '.join(failed)}" if failed else ""), flush=True)
                return 1 if failed else 0
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, stop.set)
            log.info("joining group %s over %s", service.group_id, service.feeds_topic)
            await service.run(stop)
            return 0

    return asyncio.run(main())


# ---------------------------------------------------------------- rules
def _rules_file(args: argparse.Namespace) -> Path | None:
    if args.rules:
        return Path(args.rules)
    return Settings.from_env().rules_file


def cmd_rules(args: argparse.Namespace) -> int:
    from analysis.rules import load_rules, route_problems, try_lines, unsigned_routes
    from analysis.suppression import simulate_lines

    path = _rules_file(args)
    rules = load_rules(path)  # a RulesError names the file, the rule and the field
    where = path or "the shipped default rules"
    if args.action == "check":
        routes = sorted({r for rule in rules.rules for r in rule.routes})
        print(f"mediawatch: {where}: {len(rules.rules)} rule(s) "
              f"({', '.join(rule.name for rule in rules.rules)}); routes: "
              f"{', '.join(routes) or 'none'}")
        # where the check runs may not be where the worker runs: said, not refused
        for problem in route_problems(rules, Settings.from_env().slack_problem()):
            print(f"mediawatch: warning: {problem}: the worker dead-letters its alerts "
                  "(misconfigured) while this is so", file=sys.stderr)
        for name in unsigned_routes(rules):
            print(f"mediawatch: note: route {name!r} has no secret_file: its requests "
                  "carry no X-Mediawatch-Signature", file=sys.stderr)
        return 0
    counts: dict[str, int] = {}
    shadow: dict[str, int] = {}
    articles = 0
    results = try_lines if args.action == "try" else simulate_lines

    def tried(source: TextIO) -> Iterable[dict[str, Any]]:
        nonlocal articles
        for result in results(rules, source):
            articles += "error" not in result
            for alert in result.get("alerts", ()):
                tally = shadow if alert.get("shadow") else counts
                tally[alert["rule"]] = tally.get(alert["rule"], 0) + 1
            yield result

    if status := _json_lines(args.file, tried):
        return status
    summary = ", ".join(f"{name} {n}" for name, n in sorted(counts.items())) or "none"
    when = "before story suppression" if args.action == "try" else "sent"
    line = f"mediawatch: {articles} article(s), {sum(counts.values())} alert(s) {when}: {summary}"
    if shadow:
        line += "; shadow rules (never delivered): " + ", ".join(
            f"{name} {n}" for name, n in sorted(shadow.items()))
    print(line, file=sys.stderr)
    return 0


# ---------------------------------------------------------------- feeds
def cmd_deadletter(args: argparse.Namespace) -> int:
    from streams.replay import replay

    settings = Settings.from_env()
    _logging(settings)
    routes = set(args.route) if args.route else None
    report = asyncio.run(replay(settings, routes))
    print(f"mediawatch: {report.summary()}")
    return 0


def cmd_feeds(args: argparse.Namespace) -> int:
    from producers import catalog
    from producers.registry import (
        Feed,
        country_code,
        load_feeds,
        parse_feeds,
        parse_opml,
        to_opml,
    )

    settings = Settings.from_env()
    _logging(settings)
    incoming: list[Feed] = []
    if args.action == "add":
        if args.file:
            incoming = load_feeds(Path(args.file))
        elif args.id and args.url:
            # checked as an entry of a feeds file is
            entry = {"id": args.id, "url": args.url, "name": args.name or args.id,
                     "language": args.language, "country": args.country,
                     "interval_seconds": args.interval}
            incoming = parse_feeds({"feeds": [{k: v for k, v in entry.items()
                                               if v is not None}]}, "feeds add")
        else:
            raise MediawatchError("feeds add: give ID and URL, or --file FILE")
    elif args.action == "import-opml":
        path = Path(args.file)
        try:
            incoming = parse_opml(path.read_bytes(), str(path))
        except OSError as exc:
            raise MediawatchError(f"{path}: cannot read: {exc.strerror}") from None
        if args.language or args.country:
            country = country_code(args.country, "--country")
            incoming = [dataclasses.replace(f, language=f.language or args.language,
                                            country=f.country or country)
                        for f in incoming]

    if args.action == "export-opml":
        if args.file:
            exported = load_feeds(Path(args.file))
        else:
            exported = list(asyncio.run(catalog.read_catalog(settings)).values())
        document = to_opml(exported)
        if args.output:
            try:
                Path(args.output).write_bytes(document)
            except OSError as exc:
                raise MediawatchError(f"{args.output}: cannot write: {exc.strerror}") from None
        else:
            sys.stdout.buffer.write(document)
        print(f"{len(exported)} feeds", file=sys.stderr)
        return 0

    async def main() -> int:
        if args.action == "list":
            registered = sorted((await catalog.read_catalog(settings)).values(),
                                key=lambda f: f.id)
            for feed in registered:
                if args.json:
                    sys.stdout.buffer.write(feed.to_json() + b"\n")
                else:
                    print(f"{feed.id}\t{feed.url}\t{feed.name}\t{feed.language or '-'}")
            print(f"{len(registered)} feeds", file=sys.stderr)
            return 0
        if args.action == "remove":
            # every id is checked before any is removed: all of them go, or none
            removed = await catalog.unregister(settings, args.ids)
            for feed_id, gone in removed.items():
                what = gone.url if gone else "a record that was no readable feed"
                print(f"removed {feed_id} ({what})")
            return 0
        report = await catalog.register(settings, incoming, update=args.update)
        for name in ("added", "updated", "unchanged"):
            ids = getattr(report, name)
            if ids:
                print(f"{name} {len(ids)}: {', '.join(ids)}")
        return 0

    return asyncio.run(main())


# ---------------------------------------------------------------- worker
def cmd_worker(args: argparse.Namespace) -> int:
    from faust.worker import Worker

    import agents

    agents.register()
    from agents.alert import alerting, init_rule_metrics
    from analysis.lexicon import SUPPORTED_LANGS
    from streams.admin import ensure_changelog_topics, ensure_topics
    from streams.app import app, settings
    from streams.lag import ConsumerLagMonitor
    from streams.metrics import metrics, serve
    from streams.topic_names import ALERTS_DEADLETTER, ALL_TOPICS, ARTICLES_DEADLETTER

    # the lines logged before Faust's worker takes logging over (waiting for the broker,
    # creating topics) in the format asked for, as every later one
    _logging(settings)

    async def create_topics() -> None:
        await ensure_topics(settings, ALL_TOPICS)
        await ensure_changelog_topics(settings, tuple(
            table.changelog_topic.get_topic_name() for table in app.tables.values()),
            settings.partitions)

    try:  # the worker keeps nothing there (memory tables), but Faust wants it to exist
        Path(app.conf.datadir).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MediawatchError(f"cannot create the worker's data directory {app.conf.datadir} "
                              f"(MEDIAWATCH_DATA_DIR): {exc.strerror}") from None
    asyncio.run(create_topics())
    metrics().init_worker(
        languages=SUPPORTED_LANGS,
        deadletter_topics=[("articles", settings.topic(ARTICLES_DEADLETTER)),
                           ("alerts", settings.topic(ALERTS_DEADLETTER))],
        watched_dyads=settings.watched_dyads,
        watched_countries={c for pair in settings.watched_dyads for c in pair.split("-")},
        tables=list(app.tables))
    init_rule_metrics(alerting().rules.ruleset)
    serve(settings.metrics_port, settings.metrics_host)
    consumed = {name for agent in app.agents.values()
                for name in getattr(agent.channel, "topics", ())}
    lag_monitor = ConsumerLagMonitor(settings, metrics(), app.conf.id, consumed)
    worker = Worker(app, lag_monitor, loglevel=settings.log_level.lower(), quiet=True,
                    logging_config=logs.config(settings.log_level, settings.log_format))
    worker.spinner = None  # alerts are printed on stdout: no terminal spinner there
    worker.execute_from_commandline()  # exits the process when the worker stops
    return 0


# ---------------------------------------------------------------- serve-feeds
def cmd_serve_feeds(args: argparse.Namespace) -> int:
    from streams.feedserver import serve_directory

    try:
        serve_directory(Path(args.directory), args.port, args.host)
    except OSError as exc:
        raise MediawatchError(f"serve-feeds cannot listen on {args.host}:{args.port} "
                              f"({exc.strerror}): give another --port") from None
    return 0


# ---------------------------------------------------------------- run
def _kafka(command: str, env: dict[str, str]) -> None:
    try:
        subprocess.run(["bash", str(KAFKA_SCRIPT), command], env=env, check=True,
                       stdin=subprocess.DEVNULL)
    except subprocess.CalledProcessError as exc:
        raise MediawatchError(f"the local Kafka broker: {KAFKA_SCRIPT} {command} failed "
                              f"(exit status {exc.returncode}; its messages are above)") from None


def _kafka_running(env: dict[str, str]) -> bool:
    """Whether the local broker of these settings (port, data directory) answers."""
    return subprocess.run(["bash", str(KAFKA_SCRIPT), "status"], env=env,
                          stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode == 0


def _free_ports(ports: Iterable[tuple[int, str, str]]) -> None:
    """MediawatchError naming the first port (what listens there, the option that
    moves it) that something else holds on the loopback interface."""
    for port, what, option in ports:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError as exc:
                raise MediawatchError(f"port {port} ({what}) is in use ({exc.strerror}): "
                                      f"give another with {option}") from None


def _say(line: str) -> None:
    """A line on stderr that cannot stop ``run``: its reader (a pipe, a terminal) may be
    gone while the children still have to be stopped."""
    with contextlib.suppress(OSError, ValueError):
        print(line, file=sys.stderr, flush=True)


def _terminals() -> list[int]:
    """The standard streams that are a terminal."""
    return [fd for fd in (0, 1, 2) if os.isatty(fd)]


def _hung_up(terminals: Sequence[int]) -> bool:
    """Whether a terminal among ``terminals`` was hung up (closed: its window, its ssh
    session): the kernel then fails every request on it with EIO."""
    import termios

    for fd in terminals:
        try:
            termios.tcgetattr(fd)
        except termios.error:
            return True
    return False


def cmd_run(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    _logging(settings)
    from analysis.rules import load_rules
    from producers.registry import load_feeds

    load_feeds(Path(args.feeds))  # fail early on a bad feeds file,
    load_rules(settings.rules_file)  # rules file,
    _free_ports([(args.worker_metrics_port, "the worker's metrics", "--worker-metrics-port"),
                 (args.producer_metrics_port, "the producer's metrics",
                  "--producer-metrics-port"),
                 *([(args.serve_port, "the feed server", "--serve-port")] if args.serve
                   else [])])  # or port
    if settings.broker is None and not KAFKA_SCRIPT.is_file():
        raise MediawatchError(
            "mediawatch run starts a local Kafka broker with deploy/kafka/kafka.sh, which only "
            f"a source checkout has (there is no {KAFKA_SCRIPT}): run it from a checkout, or "
            "set MEDIAWATCH_BROKER to a running broker")
    env = dict(os.environ)
    started_broker = False
    # a child that ends with status 2 cannot do its work (its error line says why):
    # starting it again would fail the same way
    supervisor = Supervisor(report=_say, fatal=(2,))

    def on_signal(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    terminals = _terminals()

    def on_hangup(_signum: int, _frame: object) -> None:
        # The terminal closed: stop, as Ctrl-C does. Otherwise a reload (kill -HUP).
        if _hung_up(terminals):
            raise KeyboardInterrupt
        supervisor.signal("worker", signal.SIGHUP)  # the worker reloads its rules

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_hangup)
    try:
        if settings.broker is None:
            if _kafka_running(env):  # another run's: it stops it, not this one
                _say(f"mediawatch: using the local Kafka broker already running on "
                     f":{settings.kafka_port} (left running on exit)")
            else:
                _say("mediawatch: starting the local Kafka broker…")
                _kafka("start", env)
                started_broker = True
            env["MEDIAWATCH_BROKER"] = f"kafka://127.0.0.1:{settings.kafka_port}"
        me = [sys.executable, "-m", "mediawatch.cli"]
        quiet = {**env, "MEDIAWATCH_LOG_LEVEL": env.get("MEDIAWATCH_LOG_LEVEL", "WARNING")}

        def spawn(*argv: str, extra: dict[str, str] | None = None,
                  ignored: tuple[int, ...] = ()) -> None:
            supervisor.add(argv[0], [*me, *argv], {**quiet, **(extra or {})}, ignored=ignored)

        if args.serve:
            spawn("serve-feeds", args.serve, "--port", str(args.serve_port))
        # A SIGHUP passed on while the worker starts is ignored, not fatal: its reload
        # handler is installed only once it runs.
        spawn("worker", extra={"MEDIAWATCH_METRICS_PORT": str(args.worker_metrics_port)},
              ignored=(signal.SIGHUP,))
        spawn("produce", "--feeds", args.feeds,
              extra={"MEDIAWATCH_METRICS_PORT": str(args.producer_metrics_port)})
        _say(f"mediawatch: running; metrics on :{args.producer_metrics_port} (producer) and "
             f":{args.worker_metrics_port} (worker). Ctrl-C stops.")
        while True:  # a child that exits is started again, with backoff
            supervisor.wait(0.5)
    except KeyboardInterrupt:
        return 0
    except ChildFailed as exc:
        _say(f"mediawatch: {exc}")
        return 2
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        _say("mediawatch: stopping…")
        supervisor.stop()
        if started_broker:
            _kafka("stop", env)
        _say("mediawatch: stopped")


# ---------------------------------------------------------------- main
def _feed_defaults(parser: argparse.ArgumentParser, language: str, country: str) -> None:
    parser.add_argument("--language", help=language)
    parser.add_argument("--country", help=country)
    parser.add_argument("--update", action="store_true",
                        help="change feeds that exist already")


def build_parser() -> argparse.ArgumentParser:
    settings_help = "\n".join(f"  {name} (default: {default})\n      {doc}"
                              for name, default, doc in describe())
    parser = argparse.ArgumentParser(
        prog="mediawatch", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Multilingual news monitoring: bilateral meetings and sanctions "
                    "rhetoric, from feeds through Kafka to alerts.",
        epilog=f"settings (environment variables):\n{settings_help}")
    parser.add_argument("--version", action="version", version=f"mediawatch {__version__}")
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

    produce = sub.add_parser(
        "produce", help="poll feeds and publish to articles.raw (one member of the "
                        "producers' group; see docs/feeds.md)")
    produce.add_argument("--feeds", help="feeds YAML file: its changes since it was last "
                                         "applied go to the feeds topic first")
    produce.add_argument("--once", action="store_true",
                         help="poll each feed this instance owns once and exit, with status "
                              "1 when a feed could not be read (the output names it), 0 "
                              "when each was read or not modified")
    produce.set_defaults(func=cmd_produce)

    feeds = sub.add_parser("feeds", help="manage the feed registry (the feeds topic)")
    feeds_sub = feeds.add_subparsers(dest="action", required=True)
    feeds_add = feeds_sub.add_parser("add", help="register a feed (ID URL) or a feeds file")
    feeds_add.add_argument("id", nargs="?")
    feeds_add.add_argument("url", nargs="?")
    feeds_add.add_argument("--file", help="feeds YAML file instead of ID and URL")
    feeds_add.add_argument("--name")
    feeds_add.add_argument("--interval", type=float, help="starting poll interval, seconds")
    _feed_defaults(feeds_add, "the feed's language (ISO 639-1)",
                   "the outlet's home country (ISO 3166-1 alpha-2): resolves officials it "
                   "names without a country")
    feeds_remove = feeds_sub.add_parser(
        "remove", help="unregister feeds by id: all of them, or none when an id is unknown")
    feeds_remove.add_argument("ids", nargs="+")
    feeds_list = feeds_sub.add_parser("list", help="list the registered feeds")
    feeds_list.add_argument("--json", action="store_true", help="one JSON object a line")
    feeds_opml = feeds_sub.add_parser("import-opml", help="register the feeds of an OPML file")
    feeds_opml.add_argument("file")
    _feed_defaults(feeds_opml, "language of feeds that declare none",
                   "home country of feeds that declare none")
    feeds_export = feeds_sub.add_parser(
        "export-opml", help="write the registered feeds (or a feeds file's) as OPML")
    feeds_export.add_argument("--file", help="feeds YAML file instead of the registry")
    feeds_export.add_argument("--output", "-o", help="OPML file to write (default: stdout)")
    feeds.set_defaults(func=cmd_feeds)

    deadletter = sub.add_parser("deadletter", help="dead-lettered alerts")
    deadletter_sub = deadletter.add_subparsers(dest="action", required=True)
    replay = deadletter_sub.add_parser(
        "replay", help="send the alerts dead-lettered since the last replay again, each to "
                       "the route that failed (once per alert version)")
    replay.add_argument("--route", action="append",
                        help="replay only this route's dead letters (repeatable)")
    deadletter.set_defaults(func=cmd_deadletter)

    rules = sub.add_parser("rules", help="check a rules file, try it on articles, or test "
                                         "what it would send")
    rules_sub = rules.add_subparsers(dest="action", required=True)
    check = rules_sub.add_parser("check", help="parse a rules file and list its rules")
    try_ = rules_sub.add_parser(
        "try", help="the alerts a rules file would raise on JSON lines of articles (the "
                    "analyze input, plus feed_id), before story suppression")
    for action in (check, try_):
        action.add_argument("--rules", help="rules file (default: MEDIAWATCH_RULES_FILE, "
                                            "else the shipped rules)")
    try_.add_argument("file", nargs="?", help="articles; stdin when absent or -")
    test = rules_sub.add_parser(
        "test", help="the alerts a rules file would send on JSON lines of articles, in "
                     "order, story suppression included (the alert ids and versions)")
    test.add_argument("rules", help="rules file")
    test.add_argument("file", nargs="?", help="articles; stdin when absent or -")
    rules.set_defaults(func=cmd_rules)

    analyze = sub.add_parser("analyze", help="analyse JSON lines (file or stdin)")
    analyze.add_argument("file", nargs="?", help="input file; stdin when absent or -")
    analyze.set_defaults(func=cmd_analyze)

    dedup = sub.add_parser("dedup", help="story ids for JSON lines (file or stdin)")
    dedup.add_argument("file", nargs="?", help="input file; stdin when absent or -")
    dedup.set_defaults(func=cmd_dedup)

    serve = sub.add_parser("serve-feeds", help="serve feed files over HTTP on loopback")
    serve.add_argument("directory")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to bind (0.0.0.0 only inside a container)")
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
