from producers.state import RECENT_LIMIT, FeedState


def test_state_round_trips_and_stays_bounded() -> None:
    state = FeedState(url="https://a.example/rss", etag='"v1"', interval=300.0,
                      next_poll_at=1_800_000_000.0, failures=2, status="silent")
    for key in ["a", "b", "c", "d"]:
        state.remember((key, key.upper()), limit=6)
    for at in range(RECENT_LIMIT + 20):
        state.record_new(float(at), 1)
    restored = FeedState.from_json(state.to_json(), limit=6)
    assert list(restored.seen) == ["b", "B", "c", "C", "d", "D"]
    assert restored.is_seen(("zz", "D")) and not restored.is_seen(("a", "A"))
    assert (restored.etag, restored.interval, restored.failures) == ('"v1"', 300.0, 2)
    assert restored.next_poll_at == 1_800_000_000.0 and restored.status == "silent"
    assert len(restored.recent) == RECENT_LIMIT and restored.recent[-1] == (119.0, 1)
    # A smaller limit on reading keeps the newest keys.
    assert list(FeedState.from_json(state.to_json(), limit=2).seen) == ["d", "D"]


def test_unreadable_state_gives_a_fresh_one() -> None:
    for payload in [b"", b"[]", b"{\"failures\": -3, \"seen\": 5, \"recent\": [[1]]}", b"\xff"]:
        state = FeedState.from_json(payload, limit=10)
        assert state.failures == 0 and not state.seen and not state.recent


def test_entries_per_day_and_usual_gap() -> None:
    day = 86400.0
    state = FeedState(created_at=0.0)
    for n in range(10):
        state.record_new(n * day, 3)
    assert state.entries_per_day(10 * day) == 3 * 7 / 7  # the last 7 days: 7 polls of 3
    assert state.usual_gap() == day
    young = FeedState(created_at=0.0)
    young.record_new(3600.0, 12)
    assert young.entries_per_day(7200.0) == 12.0  # a feed younger than a day counts a day
    assert young.usual_gap() is None
