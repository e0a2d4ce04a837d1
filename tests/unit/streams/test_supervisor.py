"""mediawatch run's supervisor with real child processes."""

import signal
import sys
import time

import pytest

from streams.supervisor import Child, ChildFailed, Supervisor

PY = sys.executable


def _until(condition, seconds: float = 20.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def test_a_child_that_exits_is_restarted_with_backoff() -> None:
    lines: list[str] = []
    supervisor = Supervisor(base_delay=0.05, max_delay=0.4, stable_after=30.0,
                            report=lines.append)
    crashing = supervisor.add("worker", [PY, "-c", "import sys; sys.exit(3)"], {})
    steady = supervisor.add("produce", [PY, "-c", "import time; time.sleep(60)"], {})
    try:
        assert _until(lambda: (supervisor.check(), crashing.restarts >= 4)[1])
        assert crashing.exits[:4] == [3, 3, 3, 3]
        assert crashing.failures >= 4  # quick failures in a row
        assert steady.restarts == 0 and steady.process is not None
        assert steady.process.poll() is None
        assert any("worker exited with 3" in line and "restarting in" in line
                   for line in lines)
        assert any("worker restarted (restart 4)" in line for line in lines)
    finally:
        supervisor.stop(timeout=5)
    assert steady.process.poll() is not None  # stopped, and not started again
    restarts = crashing.restarts
    supervisor.check()
    assert crashing.restarts == restarts


def test_a_child_that_ran_long_enough_starts_over_at_the_first_delay() -> None:
    supervisor = Supervisor(base_delay=0.05, max_delay=10.0, stable_after=0.2,
                            report=lambda _line: None)
    child = supervisor.add("worker", [PY, "-c", "import time; time.sleep(0.3)"], {})
    try:
        child.failures = 5  # as after a run of quick crashes
        assert _until(lambda: (supervisor.check(), child.restarts >= 1)[1])
        assert child.failures == 1 and supervisor.delay(child) == 0.05
    finally:
        supervisor.stop(timeout=5)


def test_quick_failures_double_the_wait_up_to_the_cap() -> None:
    supervisor = Supervisor(base_delay=0.05, max_delay=0.4)
    probe = Child("x", [], {})
    waits = []
    for failures in (1, 2, 3, 4, 5, 10):
        probe.failures = failures
        waits.append(supervisor.delay(probe))
    assert waits == [0.05, 0.1, 0.2, 0.4, 0.4, 0.4]


def test_a_signal_reaches_only_the_children_of_its_name(tmp_path) -> None:  # type: ignore[no-untyped-def]
    script = ("import signal, sys, time, pathlib\n"
              "def hup(*_):\n"
              "    pathlib.Path(sys.argv[1]).write_text('hup')\n"
              "signal.signal(signal.SIGHUP, hup)\n"
              "pathlib.Path(sys.argv[1] + '.ready').write_text('')\n"
              "time.sleep(60)\n")
    worker_mark, producer_mark = tmp_path / "worker", tmp_path / "producer"
    supervisor = Supervisor(report=lambda _line: None)
    supervisor.add("worker", [PY, "-c", script, str(worker_mark)], {})
    supervisor.add("produce", [PY, "-c", script, str(producer_mark)], {})
    try:
        assert _until(lambda: all(p.with_suffix(".ready").exists()
                                  for p in (worker_mark, producer_mark)))
        assert supervisor.signal("worker", signal.SIGHUP) == 1
        assert _until(worker_mark.exists)
        assert not producer_mark.exists()
        assert supervisor.signal("serve-feeds", signal.SIGHUP) == 0
    finally:
        supervisor.stop(timeout=5)


def test_a_child_starts_with_its_ignored_signals_ignored(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A SIGHUP passed on before the worker installs its reload handler leaves it running."""
    script = ("import signal, sys, time, pathlib\n"
              "ready, go = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])\n"
              "ready.write_text(str(signal.getsignal(signal.SIGHUP)))\n"
              "while not go.exists():\n"
              "    time.sleep(0.01)\n")
    supervisor = Supervisor(report=lambda _line: None)
    ready, go = tmp_path / "ready", tmp_path / "go"
    worker = supervisor.add("worker", [PY, "-c", script, str(ready), str(go)], {},
                            ignored=(signal.SIGHUP,))
    plain = supervisor.add("produce", [PY, "-c", script, str(tmp_path / "p"), str(go)], {})
    try:
        assert _until(lambda: ready.exists() and (tmp_path / "p").exists())
        assert ready.read_text() == str(signal.SIG_IGN)
        # the other child keeps what it inherits (ignored too under nohup)
        assert (tmp_path / "p").read_text() == str(signal.getsignal(signal.SIGHUP))
        assert supervisor.signal("worker", signal.SIGHUP) == 1
        go.write_text("")
        assert worker.process is not None and worker.process.wait(timeout=20) == 0
        assert worker.exits == [] and worker.restarts == 0
        supervisor.check()
        assert worker.exits == [0]
        assert plain.process is not None and plain.process.wait(timeout=20) == 0
    finally:
        supervisor.stop(timeout=5)


def test_a_child_that_cannot_run_is_not_started_again() -> None:
    # status 2: a configuration error or a port in use, the same at every start
    supervisor = Supervisor(base_delay=0.05, report=lambda _line: None, fatal=(2,))
    failing = supervisor.add("worker", [PY, "-c", "import sys; sys.exit(2)"], {})
    try:
        assert failing.process is not None
        failing.process.wait(timeout=20)
        with pytest.raises(ChildFailed, match=r"worker cannot run \(exit status 2"):
            supervisor.check()
        assert failing.restarts == 0 and failing.restart_at is None
    finally:
        supervisor.stop(timeout=5)
