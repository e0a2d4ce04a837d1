"""A feeds file applied at each start: its changes since it was last applied, and what
operators changed in the registry since left alone."""

import dataclasses
import logging
import os
from pathlib import Path

import pytest
from aiokafka import ConsumerRecord
from prometheus_client import CollectorRegistry

from producers.catalog import (
    DuplicateFeedError,
    applied_key,
    applied_record,
    feeds_of,
    is_feed_key,
    plan_apply,
    read_applied,
)
from producers.registry import Feed, FeedsFileError
from producers.service import ProducerService
from streams.metrics import Metrics
from streams.settings import Settings

GULF = Feed(id="gulf", url="https://gulf.example/rss", name="Gulf Wire")
ANDES = Feed(id="andes", url="https://andes.example/feed", name="Andes")
NILE = Feed(id="nile", url="https://nile.example/rss", name="Nile")


def edited(feed: Feed, **changes: object) -> Feed:
    return dataclasses.replace(feed, **changes)  # type: ignore[arg-type]


def by_id(*feeds: Feed) -> dict[str, Feed]:
    return {f.id: f for f in feeds}


# (case, registry, last applied, file, writes, removals, applied, report)
CASES = [
    ("first apply: every entry registered",
     by_id(GULF), None, [GULF, ANDES],
     [ANDES], [], [GULF, ANDES], {"added": ["andes"], "unchanged": ["gulf"]}),
    ("first apply over an operator's edit: the file's entry wins",
     by_id(edited(GULF, name="Gulf")), None, [GULF],
     [GULF], [], [GULF], {"updated": ["gulf"]}),
    ("unchanged file after an operator's removal: it stays removed",
     by_id(ANDES), by_id(GULF, ANDES), [GULF, ANDES],
     [], [], [GULF, ANDES], {"unchanged": ["gulf", "andes"]}),
    ("unchanged file after an operator's edit: the edit stays",
     by_id(edited(GULF, language="ar")), by_id(GULF), [GULF],
     [], [], [GULF], {"unchanged": ["gulf"]}),
    ("an entry edited in the file is applied, over an operator's edit too",
     by_id(edited(GULF, language="ar")), by_id(GULF), [edited(GULF, country="QA")],
     [edited(GULF, country="QA")], [], [edited(GULF, country="QA")], {"updated": ["gulf"]}),
    ("an entry edited in the file after an operator's removal comes back",
     {}, by_id(GULF), [edited(GULF, interval_seconds=600.0)],
     [edited(GULF, interval_seconds=600.0)], [], [edited(GULF, interval_seconds=600.0)],
     {"added": ["gulf"]}),
    ("an entry new in the file is added",
     by_id(GULF), by_id(GULF), [GULF, NILE],
     [NILE], [], [GULF, NILE], {"added": ["nile"], "unchanged": ["gulf"]}),
    ("an entry dropped from the file, untouched since, is removed",
     by_id(GULF, ANDES), by_id(GULF, ANDES), [GULF],
     [], ["andes"], [GULF], {"removed": ["andes"], "unchanged": ["gulf"]}),
    ("an entry dropped from the file, edited since, stays",
     by_id(GULF, edited(ANDES, name="Andes Daily")), by_id(GULF, ANDES), [GULF],
     [], [], [GULF], {"kept": ["andes"], "unchanged": ["gulf"]}),
    ("an entry dropped from the file, removed since, is nothing to do",
     by_id(GULF), by_id(GULF, ANDES), [GULF],
     [], [], [GULF], {"unchanged": ["gulf"]}),
    ("a dropped entry is removed when the registry holds it as registering stored it",
     by_id(edited(NILE, url="https://nile.example/rss")), by_id(
         edited(NILE, url="HTTPS://Nile.example:443/rss#top")), [],
     [], ["nile"], [], {"removed": ["nile"]}),
    ("a new entry whose URL is registered under another id is skipped",
     by_id(edited(GULF, id="gulf-3fa2c1")), None, [GULF, ANDES],
     [ANDES], [], [ANDES], {"added": ["andes"], "skipped": ["gulf"]}),
    ("a changed entry that conflicts is skipped, its earlier version still applied",
     by_id(GULF, edited(NILE, id="nile-opml")), by_id(GULF),
     [edited(GULF, url=NILE.url)],
     [], [], [GULF], {"skipped": ["gulf"]}),
    ("an id renamed in the file: the old one removed, the URL free for the new one",
     by_id(GULF), by_id(GULF), [edited(GULF, id="gulf-wire")],
     [edited(GULF, id="gulf-wire")], ["gulf"], [edited(GULF, id="gulf-wire")],
     {"added": ["gulf-wire"], "removed": ["gulf"]}),
]


@pytest.mark.parametrize(
    ("registry", "last", "file", "writes", "removals", "applied", "report"),
    [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_plan_apply(registry: dict[str, Feed], last: dict[str, Feed] | None,
                    file: list[Feed], writes: list[Feed], removals: list[str],
                    applied: list[Feed], report: dict[str, list[str]]) -> None:
    plan = plan_apply(registry, last, file)
    assert plan.writes == writes
    assert plan.removals == removals
    assert plan.applied == applied
    got = {name: list(getattr(plan.report, name))
           for name in ("added", "updated", "removed", "unchanged", "skipped", "kept")}
    assert {name: ids for name, ids in got.items() if ids} == report


def test_a_skipped_entry_says_why_and_is_tried_again() -> None:
    opml = edited(GULF, id="gulf-3fa2c1")
    plan = plan_apply(by_id(opml), None, [GULF])
    assert plan.report.skipped["gulf"].startswith(
        "feed gulf: https://gulf.example/rss is already registered as feed gulf-3fa2c1")
    assert plan.report.summary() == "0 added, 0 updated, 0 removed, 0 unchanged, 1 skipped"
    # The conflict resolved, the next start with the same file registers it.
    again = plan_apply({}, by_id(*plan.applied), [GULF])
    assert again.writes == [GULF] and again.report.added == ["gulf"]


def test_applying_the_plan_then_the_same_file_again_changes_nothing() -> None:
    registry = by_id(GULF, edited(NILE, id="nile-opml"))
    file = [ANDES, edited(NILE, language="ar")]
    first = plan_apply(registry, by_id(GULF), file)
    for feed_id in first.removals:
        del registry[feed_id]
    registry.update(by_id(*first.writes))
    second = plan_apply(registry, by_id(*first.applied), file)
    assert (second.writes, second.removals) == ([], [])
    assert second.applied == first.applied
    assert second.report.unchanged == ["andes"] and list(second.report.skipped) == ["nile"]


def test_a_file_no_registry_can_take_stops_the_start() -> None:
    twice = [GULF, edited(ANDES, url="http://www.gulf.example/rss/")]
    with pytest.raises(DuplicateFeedError, match="is given twice, as feeds gulf and andes"):
        plan_apply({}, by_id(GULF, ANDES), twice)
    with pytest.raises(FeedsFileError, match="feed bad"):
        plan_apply({}, None, [Feed(id="bad", url="https://u:pw@x.example/", name="B")])


def test_the_applied_record_reads_back_and_an_unreadable_one_reads_as_none(
        caplog: pytest.LogCaptureFixture) -> None:
    feeds = [GULF, edited(ANDES, interval_seconds=600.0, country="PE", language="es")]
    value = applied_record("feeds.yaml", feeds)
    assert read_applied(value, "feeds.yaml") == by_id(*feeds)
    assert read_applied(applied_record("feeds.yaml", []), "feeds.yaml") == {}
    assert read_applied(None, "feeds.yaml") is None
    with caplog.at_level(logging.WARNING):
        assert read_applied(b"{not json", "feeds.yaml") is None
    assert "every entry is applied" in caplog.text


def test_the_key_of_a_file_is_its_absolute_path_links_left_as_they_are(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A ConfigMap volume: feeds.yaml -> ..data/feeds.yaml, ..data -> ..2026_12_06_...
    stamped = tmp_path / "..2026_12_06_07_46_28.1"
    stamped.mkdir()
    (stamped / "feeds.yaml").write_text("feeds: []\n")
    (tmp_path / "..data").symlink_to(stamped.name)
    (tmp_path / "feeds.yaml").symlink_to("..data/feeds.yaml")
    monkeypatch.chdir(tmp_path)
    key = applied_key(str(tmp_path / "feeds.yaml"))
    assert applied_key("feeds.yaml") == applied_key("./x/../feeds.yaml") == key
    assert applied_key(os.path.realpath("feeds.yaml")) != key
    assert applied_key(str(tmp_path / "other.yaml")) != key


def test_no_feed_id_has_the_key_of_an_applied_file() -> None:
    key = applied_key("/etc/mediawatch/feeds/feeds.yaml")
    assert not is_feed_key(key)
    with pytest.raises(UnicodeDecodeError):
        key.decode()
    for feed_id in ("gulf", "ÿapplied /etc/mediawatch/feeds/feeds.yaml", "\x00", "北京"):
        assert is_feed_key(feed_id.encode())


def test_readers_of_the_feeds_topic_leave_the_applied_record_out(
        caplog: pytest.LogCaptureFixture) -> None:
    key = applied_key("/etc/mediawatch/feeds/feeds.yaml")
    record = applied_record("/etc/mediawatch/feeds/feeds.yaml", [GULF])
    with caplog.at_level(logging.WARNING):
        feeds = feeds_of({key: (0, record), b"andes": (1, ANDES.to_json())})
    assert feeds == by_id(ANDES)
    settings = Settings()
    service = ProducerService(settings, Metrics(CollectorRegistry()))
    service.partitions = {0}
    service._apply(ConsumerRecord(settings.topic("feeds"), 0, 0, 0, 0, key, record,
                                  None, 0, 0, ()))
    assert service.owned == {}
    assert caplog.records == []
