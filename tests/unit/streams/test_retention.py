from types import SimpleNamespace

import orjson

from streams.retention import Retention


def event(key: str, partition: int, timestamp: float, value: bytes | None = b"1"):  # type: ignore[no-untyped-def]
    return SimpleNamespace(message=SimpleNamespace(key=orjson.dumps(key), value=value,
                                                   partition=partition,
                                                   timestamp=timestamp))


def test_expired_keys_of_the_swept_partition_are_deleted() -> None:
    table = {"a": 1, "b": 2, "c": 3}
    retention = Retention(ttl_seconds=10)
    retention.touch("a", 0, at=100.0)
    retention.touch("b", 1, at=100.0)
    retention.touch("c", 0, at=105.0)
    assert retention.sweep(table, 0, now=111.0) == 1
    assert table == {"b": 2, "c": 3}  # b belongs to partition 1, c is not old enough
    assert retention.sweep(table, 1, now=111.0) == 1
    assert table == {"c": 3}


def test_a_key_written_again_lives_on() -> None:
    table = {"a": 1}
    retention = Retention(ttl_seconds=10)
    retention.touch("a", 0, at=100.0)
    retention.touch("a", 0, at=108.0)
    assert retention.sweep(table, 0, now=115.0) == 0
    assert table == {"a": 1}
    assert retention.sweep(table, 0, now=119.0) == 1
    assert table == {}


def test_sweeps_are_bounded() -> None:
    table = {str(i): i for i in range(10)}
    retention = Retention(ttl_seconds=1, sweep_limit=3)
    for key in table:
        retention.touch(key, 0, at=0.0)
    assert retention.sweep(table, 0, now=5.0) == 3
    assert len(table) == 7


async def test_recovery_rebuilds_the_notes_from_the_changelog() -> None:
    retention = Retention(ttl_seconds=10)
    await retention.on_changelog_event(event("a", 2, 100.0))   # type: ignore[arg-type]
    await retention.on_changelog_event(event("b", 2, 100.0))   # type: ignore[arg-type]
    await retention.on_changelog_event(event("b", 2, 101.0, value=None))  # type: ignore[arg-type]
    assert len(retention) == 1
    table = {"a": 1}
    assert retention.sweep(table, 2, now=111.0) == 1
    assert table == {}
