from pathlib import Path

from producers.checkpoint import Checkpoint


def test_checkpoint_survives_a_restart_and_stays_bounded(tmp_path: Path) -> None:
    path = tmp_path / "cp.json"
    first = Checkpoint(path, limit=3)
    state = first.feed("f")
    for key in ["a", "b", "c", "d"]:
        state.remember(key, first.limit)
    state.etag = '"v1"'
    first.save()

    second = Checkpoint(path, limit=3)
    restored = second.feed("f")
    assert list(restored.seen) == ["b", "c", "d"]
    assert not restored.is_seen("a")
    assert restored.is_seen("d")
    assert restored.etag == '"v1"'
    assert second.feed("other").seen == {}
