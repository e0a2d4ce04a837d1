"""The Kafka-free commands, run as a user would run them."""

import os
import signal
import subprocess
import sys

import orjson


def run(*argv: str, stdin: str) -> list[dict]:  # type: ignore[type-arg]
    result = subprocess.run([sys.executable, "-m", "mediawatch.cli", *argv], input=stdin.encode(),
                            capture_output=True, timeout=120, check=True)
    return [orjson.loads(line) for line in result.stdout.splitlines()]


TEXT = ("Russian Foreign Minister Sergei Lavrov held a phone call with his Chinese "
        "counterpart Wang Yi on Tuesday, the ministry in Moscow said.")


def test_analyze_keeps_order_and_reports_bad_lines() -> None:
    out = run("analyze", stdin="\n".join([
        orjson.dumps({"id": "a", "title": "Lavrov and Wang Yi hold phone call",
                      "text": TEXT}).decode(),
        "{not json",
        orjson.dumps({"id": "b", "title": "Weather", "text": "Sunny and mild."}).decode(),
    ]) + "\n")
    assert [o["id"] for o in out] == ["a", None, "b"]
    assert out[0]["events"][0]["parties"] == ["CN", "RU"]
    assert "error" in out[1]
    assert out[2]["events"] == []


def test_analyze_names_the_line_of_an_error_and_reads_carriage_returns_as_json(
        tmp_path) -> None:  # type: ignore[no-untyped-def]
    lines = ('{"id": "a",\r"text": "' + TEXT + '"}\n'          # \r between JSON tokens
             + orjson.dumps({"id": 7, "text": TEXT, "country": "UK"}).decode() + "\n"
             + orjson.dumps({"id": "c", "text": 3}).decode() + "\n")
    path = tmp_path / "in.jsonl"
    path.write_bytes(lines.encode())
    for out in (run("analyze", str(path), stdin=""), run("analyze", stdin=lines)):
        assert [o["id"] for o in out] == ["a", "7", "c"]
        assert out[0]["events"][0]["parties"] == ["CN", "RU"]
        assert "country" in out[1]["error"] and "text" in out[2]["error"]


def test_analyze_of_a_missing_file_says_so_without_a_traceback(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = subprocess.run([sys.executable, "-m", "mediawatch.cli", "analyze",
                             str(tmp_path / "absent.jsonl")], capture_output=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.decode().strip() == (
        f"mediawatch: cannot read {tmp_path / 'absent.jsonl'}: No such file or directory")


def test_dedup_finds_the_copy() -> None:
    original = {"id": "1", "url": "https://a.example/x?utm_source=rss", "title": "Call",
                "text": TEXT}
    mirror = {"id": "2", "url": "https://m.a.example/x/", "title": "Call", "text": TEXT}
    other = {"id": "3", "url": "https://b.example/y", "title": "Other",
             "text": "Kenyan runners swept the podium at the Berlin marathon on Sunday."}
    out = run("dedup", stdin="\n".join(orjson.dumps(d).decode()
                                        for d in (original, mirror, other)) + "\n")
    assert [(o["id"], o["kind"], o["duplicate_of"]) for o in out] == [
        ("1", "new", None), ("2", "url", "1"), ("3", "new", None)]
    assert out[1]["story_id"] == "1"


def test_python_dash_m_mediawatch_and_its_version() -> None:
    from importlib.metadata import version

    result = subprocess.run([sys.executable, "-m", "mediawatch", "--version"],
                            capture_output=True, timeout=120, check=True)
    assert result.stdout.decode().strip() == f"mediawatch {version('mediawatch')}"
    lines = subprocess.run([sys.executable, "-m", "mediawatch", "analyze"],
                           input=orjson.dumps({"id": "1", "title": "Call", "text": TEXT}),
                           capture_output=True, timeout=120, check=True).stdout.splitlines()
    assert orjson.loads(lines[0])["events"][0]["parties"] == ["CN", "RU"]


def test_the_user_agent_names_the_installed_version() -> None:
    from importlib.metadata import version

    from streams.settings import Settings

    assert Settings().user_agent.startswith(f"mediawatch/{version('mediawatch')} ")


def test_rules_can_be_checked_and_tried_before_they_go_live(tmp_path) -> None:  # type: ignore[no-untyped-def]
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "rules:\n"
        "  - name: china-russia\n    severity: high\n    routes: [console]\n"
        "    when: {event: bilateral_meeting, dyads: [CN-RU]}\n"
        "  - name: wire-only\n    routes: [console]\n"
        "    when: {event: bilateral_meeting, sources: [wire]}\n")
    checked = subprocess.run([sys.executable, "-m", "mediawatch", "rules", "check",
                              "--rules", str(rules)], capture_output=True, timeout=120,
                             check=True)
    assert "2 rule(s) (china-russia, wire-only); routes: console" in checked.stdout.decode()
    lines = "\n".join([
        orjson.dumps({"id": "a", "title": "Call", "text": TEXT, "feed_id": "wire"}).decode(),
        orjson.dumps({"id": "b", "title": "Call", "text": TEXT, "feed_id": "other"}).decode(),
        orjson.dumps({"id": "c", "title": "Weather", "text": "Sunny and mild."}).decode(),
        "{not json"]) + "\n"
    tried = subprocess.run([sys.executable, "-m", "mediawatch", "rules", "try", "--rules",
                            str(rules)], input=lines.encode(), capture_output=True,
                           timeout=120, check=True)
    out = [orjson.loads(line) for line in tried.stdout.splitlines()]
    assert [[a["rule"] for a in o.get("alerts", [])] for o in out] == [
        ["china-russia", "wire-only"], ["china-russia"], [], []]
    assert out[0]["alerts"][0]["parties"] == ["CN", "RU"] and "error" in out[3]
    assert "3 article(s), 3 alert(s) before story suppression: china-russia 2, " \
           "wire-only 1" in tried.stderr.decode()


def test_rules_test_shows_the_alerts_sent_after_story_suppression(tmp_path) -> None:  # type: ignore[no-untyped-def]
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "rules:\n"
        "  - name: china-russia\n    routes: [console]\n"
        "    when: {event: bilateral_meeting, dyads: [CN-RU]}\n"
        "  - name: trial\n    routes: [slack]\n    shadow: true\n"
        "    when: {event: bilateral_meeting}\n")
    lines = "\n".join(
        orjson.dumps({"id": i, "title": "Call", "text": TEXT,
                      "published_at": f"2024-03-0{n}T10:00:00Z"}).decode()
        for n, i in ((1, "a"), (1, "b"), (2, "c"))) + "\n"
    tested = subprocess.run([sys.executable, "-m", "mediawatch", "rules", "test", str(rules)],
                            input=lines.encode(), capture_output=True, timeout=120, check=True)
    out = [orjson.loads(line) for line in tested.stdout.splitlines()]
    # b is the same meeting the same day: suppressed; c is the next day: a new story.
    assert [[a["rule"] for a in o["alerts"]] for o in out] == [
        ["china-russia", "trial"], [], ["china-russia", "trial"]]
    assert out[0]["alerts"][0]["alert_id"] != out[2]["alerts"][0]["alert_id"]
    assert "3 article(s), 2 alert(s) sent: china-russia 2; shadow rules (never " \
           "delivered): trial 2" in tested.stderr.decode()


def test_rules_check_names_the_routes_it_cannot_build_here(tmp_path) -> None:  # type: ignore[no-untyped-def]
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "routes:\n"
        f"  desk: {{type: webhook, url_file: {tmp_path / 'absent-url'}}}\n"
        "rules:\n  - {name: all, routes: [console, desk], when: {}}\n")
    checked = subprocess.run([sys.executable, "-m", "mediawatch", "rules", "check",
                              "--rules", str(rules)], capture_output=True, timeout=120,
                             check=True)  # a warning, not a refusal
    err = checked.stderr.decode()
    assert "warning: route 'desk': url_file" in err and "absent-url" in err
    (tmp_path / "absent-url").write_text("https://desk.example.org/hook\n")
    checked = subprocess.run([sys.executable, "-m", "mediawatch", "rules", "check",
                              "--rules", str(rules)], capture_output=True, timeout=120,
                             check=True)
    assert "warning" not in checked.stderr.decode()
    # it posts, unsigned: said so
    assert "note: route 'desk' has no secret_file: its requests carry no " \
           "X-Mediawatch-Signature" in checked.stderr.decode()
    (tmp_path / "key").write_text("k3y\n")
    rules.write_text(rules.read_text().replace(
        "url_file:", f"secret_file: {tmp_path / 'key'}, url_file:"))
    checked = subprocess.run([sys.executable, "-m", "mediawatch", "rules", "check",
                              "--rules", str(rules)], capture_output=True, timeout=120,
                             check=True)
    assert "note" not in checked.stderr.decode()


def test_a_broken_rules_file_is_named_with_its_fault(tmp_path) -> None:  # type: ignore[no-untyped-def]
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules:\n  - name: x\n    routes: [console]\n    when: {event: coup}\n")
    result = subprocess.run([sys.executable, "-m", "mediawatch", "rules", "check",
                             "--rules", str(rules)], capture_output=True, timeout=120)
    assert result.returncode == 2
    assert str(rules) in result.stderr.decode() and "coup" in result.stderr.decode()


def _run_argv(script, tmp_path) -> tuple[list[str], dict[str, str]]:  # type: ignore[no-untyped-def]
    """The command line of ``mediawatch run`` on a one-feed file with ``script`` as its
    broker script, and an environment without MEDIAWATCH_ settings."""
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text("feeds:\n  - id: a\n    url: http://127.0.0.1:9/a.xml\n")
    code = ("import sys; from pathlib import Path; import mediawatch.cli as cli; "
            "cli.KAFKA_SCRIPT = Path(sys.argv[1]); sys.exit(cli.main(sys.argv[2:]))")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEDIAWATCH_")}
    return [sys.executable, "-c", code, str(script), "run", "--feeds", str(feeds)], env


def _run_with_kafka_script(script: str, tmp_path) -> subprocess.CompletedProcess[bytes]:  # type: ignore[no-untyped-def]
    """``mediawatch run`` without MEDIAWATCH_BROKER, with ``script`` as the broker script."""
    argv, env = _run_argv(script, tmp_path)
    return subprocess.run(argv, env=env, capture_output=True, timeout=120)


def test_run_without_the_broker_script_says_it_needs_a_checkout(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = _run_with_kafka_script(str(tmp_path / "deploy" / "kafka" / "kafka.sh"), tmp_path)
    assert result.returncode == 2
    error = result.stderr.decode()
    assert "Traceback" not in error and len(error.splitlines()) == 1
    assert "source checkout" in error and "MEDIAWATCH_BROKER" in error


def test_run_when_the_broker_does_not_start_ends_without_a_traceback(tmp_path) -> None:  # type: ignore[no-untyped-def]
    script = tmp_path / "kafka.sh"
    script.write_text("echo 'kafka.sh: error: no Java runtime found' >&2; exit 1\n")
    result = _run_with_kafka_script(str(script), tmp_path)
    assert result.returncode == 2
    error = result.stderr.decode()
    assert "Traceback" not in error and "no Java runtime found" in error
    assert f"mediawatch: error: the local Kafka broker: {script} start failed (exit status 1" \
        in error


def _fake_broker_script(tmp_path, running: bool):  # type: ignore[no-untyped-def]
    """A broker script that logs each command it is given; ``status`` answers as a
    broker that is (or is not) running already."""
    script = tmp_path / "kafka.sh"
    calls = tmp_path / "calls"
    script.write_text(f'echo "$1" >> {calls}\n'
                      f'[ "$1" = status ] && exit {0 if running else 1}\nexit 0\n')
    return script, calls


def _run_until_running(tmp_path, script, *extra: str):  # type: ignore[no-untyped-def]
    """``mediawatch run`` with ``script`` as its broker script, once it says it runs (its
    children wait for a broker that is not there)."""
    argv, env = _run_argv(script, tmp_path)
    env["MEDIAWATCH_KAFKA_PORT"] = "9"  # nothing there: the children wait
    run = subprocess.Popen([*argv, "--worker-metrics-port", "0",
                            "--producer-metrics-port", "0", *extra],
                           env=env, stdin=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert run.stderr is not None
    seen = []
    for line in run.stderr:
        seen.append(line.decode())
        if "mediawatch: running" in seen[-1]:
            return run, seen
    raise AssertionError("".join(seen))


def test_closing_the_terminal_of_run_stops_it_and_its_broker(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # A hangup is also the reload signal: run tells them apart by its terminal, which
    # fails every request once it was closed.
    import fcntl
    import pty
    import termios

    script, calls = _fake_broker_script(tmp_path, running=False)
    argv, env = _run_argv(script, tmp_path)
    env["MEDIAWATCH_KAFKA_PORT"] = "9"  # nothing there: the children wait
    master, slave = pty.openpty()

    def controlling_terminal() -> None:  # in the child, a session leader already
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)

    run = subprocess.Popen([*argv, "--worker-metrics-port", "0",
                            "--producer-metrics-port", "0"], env=env, stdin=slave,
                           stdout=slave, stderr=slave, start_new_session=True,
                           preexec_fn=controlling_terminal)
    os.close(slave)
    try:
        seen = b""
        while b"mediawatch: running" not in seen:
            chunk = os.read(master, 4096)
            assert chunk, seen.decode()
            seen += chunk
        os.close(master)  # the terminal window closes
        assert run.wait(timeout=60) == 0
        assert calls.read_text().split() == ["status", "start", "stop"]
    finally:
        if run.poll() is None:  # it went on: stop it and its children
            run.terminate()
            run.wait(timeout=60)


def test_run_leaves_a_broker_it_did_not_start_running(tmp_path) -> None:  # type: ignore[no-untyped-def]
    script, calls = _fake_broker_script(tmp_path, running=True)
    run, seen = _run_until_running(tmp_path, script)
    run.send_signal(signal.SIGTERM)
    run.communicate(timeout=60)
    assert run.returncode == 0
    assert calls.read_text().split() == ["status"]  # neither started nor stopped
    assert any("already running on :9 (left running on exit)" in line for line in seen)


def test_run_stops_its_children_and_broker_when_its_output_is_gone(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # `make run | tee log`, then Ctrl-C: tee is gone first, and every line written then
    # fails; the children and the broker must be stopped all the same
    script, calls = _fake_broker_script(tmp_path, running=False)
    run, _ = _run_until_running(tmp_path, script)
    assert run.stderr is not None
    run.stderr.close()
    run.send_signal(signal.SIGTERM)
    assert run.wait(timeout=60) == 0
    assert calls.read_text().split() == ["status", "start", "stop"]


def test_run_refuses_a_port_in_use_and_a_bad_rules_file_before_it_starts_anything(
        tmp_path) -> None:  # type: ignore[no-untyped-def]
    import socket

    script, calls = _fake_broker_script(tmp_path, running=False)
    argv, env = _run_argv(script, tmp_path)
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        result = subprocess.run([*argv, "--worker-metrics-port", str(port)],
                                env=env, capture_output=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.decode().strip() == (
        f"mediawatch: error: port {port} (the worker's metrics) is in use (Address already "
        "in use): give another with --worker-metrics-port")
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules:\n  - name: x\n    routes: [console]\n    when: {event: coup}\n")
    result = subprocess.run(argv, env={**env, "MEDIAWATCH_RULES_FILE": str(rules)},
                            capture_output=True, timeout=120)
    assert result.returncode == 2 and "coup" in result.stderr.decode()
    assert not calls.exists()  # the broker script was never run


def test_the_broker_script_names_its_port_in_use_in_one_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import socket
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "deploy" / "kafka" / "kafka.sh"
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        env = {**os.environ, "MEDIAWATCH_KAFKA_PORT": str(port),
               "MEDIAWATCH_KAFKA_CONTROLLER_PORT": str(port + 1 if port < 65535 else 1),
               "MEDIAWATCH_KAFKA_DATA": str(tmp_path / "kafka")}
        result = subprocess.run(["bash", str(script), "start"], env=env,
                                stdin=subprocess.DEVNULL, capture_output=True, timeout=300)
    assert result.returncode == 1
    assert result.stderr.decode().strip().splitlines()[-1] == (
        f"kafka.sh: error: port {port} is in use by another program: set "
        "MEDIAWATCH_KAFKA_PORT to a free port")


def test_the_worker_logs_in_its_format_while_it_waits_for_the_broker() -> None:
    # with JSON logs, the wait's warning is JSON too (before Faust's worker starts)
    env = {**os.environ, "MEDIAWATCH_BROKER": f"kafka://127.0.0.1:{_closed_port()}",
           "MEDIAWATCH_LOG_FORMAT": "json"}
    worker = subprocess.Popen([sys.executable, "-m", "mediawatch", "worker"], env=env,
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
    try:
        assert worker.stderr is not None
        line = worker.stderr.readline()
    finally:
        worker.kill()
        worker.communicate()
    record = orjson.loads(line)
    assert record["level"] == "warning" and "does not answer" in record["message"]


def test_the_metrics_endpoint_on_a_port_in_use_is_a_one_line_error() -> None:
    import socket

    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        env = {**os.environ, "MEDIAWATCH_METRICS_PORT": str(port),
               "MEDIAWATCH_BROKER": "kafka://127.0.0.1:9"}
        result = subprocess.run([sys.executable, "-m", "mediawatch", "produce", "--once"],
                                env=env, capture_output=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.decode().strip() == (
        f"mediawatch: error: the metrics endpoint cannot listen on 127.0.0.1:{port} "
        "(Address already in use): set MEDIAWATCH_METRICS_PORT to a free port")


def test_feeds_add_checks_its_values_as_a_feeds_file_entry() -> None:
    # refused before the broker is asked anything: none listens on this address
    env = {**os.environ, "MEDIAWATCH_BROKER": "kafka://127.0.0.1:9"}
    for argv, message in ((["neg", "https://neg.example/rss", "--interval", "-5"],
                           "'interval_seconds'"),
                          (["nan", "https://nan.example/rss", "--interval", "nan"],
                           "'interval_seconds'"),
                          ([" ", "https://blank.example/rss"], "'id'")):
        result = subprocess.run([sys.executable, "-m", "mediawatch", "feeds", "add", *argv],
                                capture_output=True, timeout=120, env=env)
        assert result.returncode == 2, result.stderr
        assert result.stderr.decode().startswith("mediawatch: error: feeds add: feeds[0]")
        assert message in result.stderr.decode()


def test_a_broker_that_does_not_answer_is_a_one_line_error() -> None:
    import asyncio

    import pytest

    from streams.admin import BrokerUnreachableError, wait_for_broker
    from streams.errors import MediawatchError
    from streams.settings import Settings

    # MediawatchError: the commands print "mediawatch: error: …" and end with status 2
    assert issubclass(BrokerUnreachableError, MediawatchError)
    with pytest.raises(BrokerUnreachableError, match=r"Kafka at kafka://127\.0\.0\.1:9 is "
                                                     "not reachable"):
        asyncio.run(wait_for_broker(Settings(broker="kafka://127.0.0.1:9"), timeout=0.5))


class _Polled:
    """A producer service whose one round of polls had ``outcomes``."""

    def __init__(self, outcomes: list[str]) -> None:
        self.outcomes = outcomes

    def __call__(self, *_args: object) -> "_Polled":
        return self

    async def __aenter__(self) -> "_Polled":
        return self

    async def __aexit__(self, *_exc: object) -> None:
        return None

    async def poll_once(self) -> list:  # type: ignore[type-arg]
        from producers.producer import PollOutcome

        return [PollOutcome(f"feed-{i}", outcome, published=1 if outcome == "ok" else 0)
                for i, outcome in enumerate(self.outcomes)]


def test_produce_once_ends_with_status_1_when_a_feed_could_not_be_read(
        monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    import producers.service
    import streams.metrics
    from mediawatch import cli

    monkeypatch.setattr(cli, "_logging", lambda _settings: None)
    monkeypatch.setattr(streams.metrics, "serve", lambda *_args: None)
    for outcomes, status, line in (
            (["ok", "not_modified", "ok"], 0, "polled 3 feeds: published 2 entries\n"),
            ([], 0, "polled 0 feeds: published 0 entries\n"),
            (["ok", "http_error", "rate_limited", "not_modified"], 1,
             "polled 4 feeds: published 1 entries; failed: feed-1, feed-2\n"),
            (["timeout"], 1, "polled 1 feeds: published 0 entries; failed: feed-0\n")):
        monkeypatch.setattr(producers.service, "ProducerService", _Polled(outcomes))
        assert cli.main(["produce", "--once"]) == status, outcomes
        assert capsys.readouterr().out == line


def test_produce_help_names_the_status_of_a_failed_feed(capsys) -> None:  # type: ignore[no-untyped-def]
    import pytest

    from mediawatch import cli

    with pytest.raises(SystemExit):
        cli.main(["produce", "--help"])
    assert "status 1" in " ".join(capsys.readouterr().out.split())


def _closed_port() -> int:
    """A loopback port nothing listens on (bound for a moment, then let go)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_command_waiting_for_a_broker_that_refuses_prints_one_warning_and_one_error(
        ) -> None:
    # aiokafka logged an ERROR for each connection refused, every ~2 s for a minute
    port = _closed_port()
    env = {**os.environ, "MEDIAWATCH_BROKER": f"kafka://127.0.0.1:{port}"}
    commands = [subprocess.Popen([sys.executable, "-m", "mediawatch", *argv], env=env,
                                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE)
                for argv in (["feeds", "list"], ["deadletter", "replay"])]
    for command in commands:
        _, stderr = command.communicate(timeout=180)
        assert command.returncode == 2, stderr
        lines = stderr.decode().splitlines()
        assert len(lines) == 2, stderr.decode()
        warning, error = lines
        assert "aiokafka" not in warning and "[WARNING] streams.admin: Kafka at " \
            f"kafka://127.0.0.1:{port} does not answer (Unable connect to " in warning
        assert "Connect call failed" in warning and warning.endswith("waiting up to 60s")
        assert error.startswith(f"mediawatch: error: Kafka at kafka://127.0.0.1:{port} is "
                                "not reachable: Unable connect to ")


def test_the_wait_for_the_broker_keeps_aiokafka_s_failures_at_debug_and_only_there(
        caplog) -> None:  # type: ignore[no-untyped-def]
    import asyncio
    import contextlib
    import logging

    import pytest
    from aiokafka.client import AIOKafkaClient
    from aiokafka.errors import KafkaConnectionError

    from streams.admin import BrokerUnreachableError, wait_for_broker
    from streams.settings import Settings

    port = _closed_port()
    caplog.set_level(logging.DEBUG)
    with pytest.raises(BrokerUnreachableError, match="Connect call failed"):
        asyncio.run(wait_for_broker(Settings(broker=f"kafka://127.0.0.1:{port}"),
                                    timeout=1.0))
    attempts = [r for r in caplog.records if r.name == "aiokafka"
                and r.getMessage().startswith(f'Unable connect to "127.0.0.1:{port}"')]
    assert len(attempts) >= 3 and {r.levelname for r in attempts} == {"DEBUG"}
    (warning,) = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert (warning.name, warning.getMessage()) == (
        "streams.admin", f"Kafka at kafka://127.0.0.1:{port} does not answer "
                         f"({attempts[0].getMessage()}); waiting up to 1s")

    # Outside a wait (a worker's or a producer's clients), aiokafka's errors stay errors.
    caplog.clear()

    async def bootstrap() -> None:
        client = AIOKafkaClient(bootstrap_servers=f"127.0.0.1:{port}")
        with contextlib.suppress(KafkaConnectionError):
            await client.bootstrap()
        await client.close()

    asyncio.run(bootstrap())
    assert [(r.name, r.levelname) for r in caplog.records if r.levelno > logging.DEBUG] == [
        ("aiokafka", "ERROR")]
