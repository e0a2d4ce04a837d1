import pytest

from producers.catalog import (
    DuplicateFeedError,
    UnknownFeedError,
    plan_registration,
    plan_removal,
)
from producers.registry import Feed, FeedsFileError

EXISTING = {"gulf": Feed(id="gulf", url="https://gulf.example/rss", name="Gulf Wire")}


def test_new_changed_and_unchanged_feeds() -> None:
    writes, report = plan_registration(EXISTING, [
        Feed(id="gulf", url="https://gulf.example/rss", name="Gulf Wire"),
        Feed(id="andes", url="HTTPS://Andes.example:443/feed#x", name="Andes"),
    ], update=False)
    assert report.unchanged == ["gulf"] and report.added == ["andes"]
    assert [f.url for f in writes] == ["https://andes.example/feed"]
    writes, report = plan_registration(EXISTING, [
        Feed(id="gulf", url="https://gulf.example/rss", name="Gulf Wire", language="ar")],
        update=True)
    assert report.updated == ["gulf"] and writes[0].language == "ar"


def test_a_duplicate_url_names_the_existing_feed() -> None:
    with pytest.raises(DuplicateFeedError,
                       match=r"already registered as feed gulf \(Gulf Wire, https://gulf"):
        plan_registration(EXISTING, [Feed(id="g2", url="http://www.gulf.example/rss/",
                                          name="G")], update=True)
    with pytest.raises(DuplicateFeedError, match=r"is given twice, as feeds a and b: keep one"):
        plan_registration({}, [Feed(id="a", url="https://x.example/rss", name="A"),
                               Feed(id="b", url="https://x.example/rss?utm_source=y", name="B")],
                          update=True)


def test_an_existing_id_needs_update_and_a_moved_url_frees_the_old_one() -> None:
    moved = Feed(id="gulf", url="https://gulf.example/v2/rss", name="Gulf Wire")
    with pytest.raises(DuplicateFeedError, match="use --update"):
        plan_registration(EXISTING, [moved], update=False)
    writes, _ = plan_registration(EXISTING, [
        moved, Feed(id="old", url="https://gulf.example/rss", name="Old")], update=True)
    assert [f.id for f in writes] == ["gulf", "old"]
    with pytest.raises(FeedsFileError, match="feed bad") as refused:
        plan_registration({}, [Feed(id="bad", url="https://u:s3cret@x.example/", name="B")],
                          update=True)
    assert "s3cret" not in str(refused.value) and "…@x.example" in str(refused.value)


def test_a_feed_stored_in_the_earlier_form_gets_its_url_as_given() -> None:
    # Stored before feed URLs kept their query: "?rss" had been dropped.
    stored = {"board": Feed(id="board", url="https://board.example/index.php", name="Board")}
    given = Feed(id="board", url="https://board.example/index.php?rss", name="Board")
    writes, report = plan_registration(stored, [given], update=False)
    assert report.updated == ["board"] and writes == [given]
    sports = Feed(id="sports", url="https://board.example/feed?src=sports", name="Sports")
    world = Feed(id="world", url="https://board.example/feed?from=world", name="World")
    writes, report = plan_registration({}, [sports, world], update=False)
    assert report.added == ["sports", "world"]


def test_removal_names_every_unknown_id_or_plans_them_all() -> None:
    gulf = EXISTING["gulf"]
    records = {b"gulf": (3, gulf.to_json()), b"andes": (1, b'{"id": "andes"}'),
               b"gone": (2, None)}
    with pytest.raises(UnknownFeedError, match=r"^no feeds 'nosuch', 'gone' are registered; "
                                               r"nothing was removed$"):
        plan_removal(records, ["gulf", "nosuch", "andes", "gone", "nosuch"])
    with pytest.raises(UnknownFeedError, match=r"^no feed 'nosuch' is registered$"):
        plan_removal(records, ["nosuch"])
    # a record that reads as no feed (no url) is removed too, as None
    assert plan_removal(records, ["andes", "gulf", "andes"]) == {"andes": None, "gulf": gulf}
