import pytest

from producers.schedule import MAX_RETRY_AFTER, Policy, backoff, health, next_interval
from producers.state import FeedState

POLICY = Policy(default_interval=600.0, min_interval=120.0, max_interval=3600.0,
                max_backoff=7200.0, failing_after=86400.0, silence_factor=4.0)


def test_start_interval_is_clamped() -> None:
    assert POLICY.start_interval(None) == 600.0
    assert POLICY.start_interval(10.0) == 120.0
    assert POLICY.start_interval(10**6) == 3600.0


@pytest.mark.parametrize(("current", "new", "total", "first", "expected"), [
    (600.0, 0, 20, False, 750.0),      # nothing new: longer
    (3500.0, 0, 20, False, 3600.0),    # ... up to the maximum
    (600.0, 3, 20, False, 300.0),      # something new: shorter
    (200.0, 3, 20, False, 120.0),      # ... down to the minimum
    (3600.0, 20, 20, False, 120.0),    # the whole window was new: minimum at once
    (600.0, 20, 20, True, 300.0),      # ... except on the very first poll
])
def test_adaptive_interval(current: float, new: int, total: int, first: bool,
                           expected: float) -> None:
    assert next_interval(POLICY, current, new=new, total=total, first_poll=first) == expected


def test_interval_converges_both_ways() -> None:
    interval = 600.0
    for _ in range(30):
        interval = next_interval(POLICY, interval, new=0, total=10, first_poll=False)
    assert interval == POLICY.max_interval
    for _ in range(30):
        interval = next_interval(POLICY, interval, new=1, total=10, first_poll=False)
    assert interval == POLICY.min_interval


def test_backoff_grows_with_jitter_and_is_capped() -> None:
    def low(a: float, b: float) -> float:
        return a

    def high(a: float, b: float) -> float:
        return b

    assert [backoff(POLICY, 300.0, n, None, high) for n in (1, 2, 3)] == [300, 600, 1200]
    assert backoff(POLICY, 300.0, 2, None, low) == 300.0
    assert backoff(POLICY, 300.0, 40, None, high) == POLICY.max_backoff
    assert backoff(POLICY, 300.0, 1, 5000.0, low) == 5000.0       # Retry-After is a floor
    assert backoff(POLICY, 300.0, 1, 10.0**9, low) == MAX_RETRY_AFTER
    delays = {backoff(POLICY, 300.0, 3, None) for _ in range(50)}
    assert len(delays) > 1 and all(600.0 <= d <= 1200.0 for d in delays)


def test_health() -> None:
    hour = 3600.0
    state = FeedState()
    for n in range(5):
        state.record_new(n * hour, 1)            # usually something new every hour
    last = 4 * hour
    assert health(POLICY, state, last + 2 * hour) == "ok"
    # Silent: more than max(4 × 1 h, 2 × max interval = 2 h) = 4 h without anything new.
    assert health(POLICY, state, last + 4 * hour + 1) == "silent"
    state.failures, state.first_failure_at = 3, last
    assert health(POLICY, state, last + 86400.0) == "failing"
    assert health(POLICY, FeedState(), 10**9) == "ok"  # nothing known, nothing claimed
