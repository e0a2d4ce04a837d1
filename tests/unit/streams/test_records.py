from datetime import UTC, datetime, timedelta, timezone

import orjson
import pytest

from streams.cloudevents import alert_event, alert_from_event
from streams.errors import PoisonMessageError
from streams.records import Alert, Article, decode, dump, parse_article, parse_datetime


def article(**overrides: object) -> Article:
    fields: dict[str, object] = {
        "id": "0123456789abcdef0123", "url": "https://example.org/a", "feed_id": "f",
        "source": "Example", "title": "Title", "text": "Text",
        "fetched_at": datetime(2026, 11, 1, 12, 0, tzinfo=UTC)}
    fields.update(overrides)
    return Article(**fields)  # type: ignore[arg-type]


def test_article_round_trips_through_json_with_utc_datetimes() -> None:
    original = article(published_at=datetime(2026, 11, 1, 15, 0,
                                             tzinfo=timezone(timedelta(hours=3))))
    decoded = decode(Article, original.to_json())
    assert decoded == original
    assert decoded.published_at == datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
    assert decoded.published_at.tzinfo is not None


def test_faust_dumps_is_decodable_too() -> None:
    original = article()
    assert decode(Article, original.dumps()) == original


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        parse_datetime("2026-11-01T12:00:00")
    payload = orjson.dumps({**article().asdict(), "fetched_at": "2026-11-01T12:00:00"})
    with pytest.raises(PoisonMessageError, match="naive"):
        decode(Article, payload)


@pytest.mark.parametrize("payload", [
    None, b"", b"\xff\xfe", b"[1, 2]", b'"text"', b'{"id": "only"}',
    b'{"id": 1, "url": 2, "feed_id": 3, "source": 4, "title": 5, "text": 6,'
    b' "fetched_at": "yesterday"}',
])
def test_malformed_payloads_are_poison(payload: bytes | None) -> None:
    with pytest.raises(PoisonMessageError):
        decode(Article, payload)


def test_alert_cloudevent_round_trip() -> None:
    alert = Alert(alert_id="a1", version=2, rule="r", severity="high",
                  event_type="bilateral_meeting", story_id="s1", article_id="x",
                  title="T", url="https://example.org/a", source="S", lang="en",
                  countries=["CN", "RU"], regions=[], keywords=[], evidence="E",
                  created_at=datetime(2026, 11, 1, tzinfo=UTC), parties=["CN", "RU"])
    event = orjson.loads(orjson.dumps(alert_event(alert)))
    assert event["id"] == "a1.2"
    assert event["subject"] == "s1"
    assert alert_from_event(event) == alert
    with pytest.raises(PoisonMessageError):
        alert_from_event({**event, "type": "other"})


def test_the_article_hot_path_reads_and_writes_the_records_json() -> None:
    original = article(guid="g-1", lang="fr", story_id=None,
                       published_at=datetime(2026, 11, 1, 15, 0,
                                             tzinfo=timezone(timedelta(hours=3))))
    parsed = parse_article(original.dumps())  # Faust's metadata is ignored
    assert parsed["published_at"] == datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
    # The same JSON as the record's, with every time in UTC.
    utc = original.derive(published_at=datetime(2026, 11, 1, 12, 0, tzinfo=UTC))
    assert dump(parsed) == utc.to_json()
    assert b'"published_at":"2026-11-01T12:00:00+00:00"' in dump(parsed)
    assert decode(Article, dump({**parsed, "story_id": "s-1"})) == original.derive(story_id="s-1")


@pytest.mark.parametrize(("payload", "message"), [
    (None, "tombstone"),
    (b"{not json", "not JSON"),
    (b"[1, 2]", "JSON object"),
    (orjson.dumps({**orjson.loads(article().to_json()), "title": None}), "title must be"),
    (orjson.dumps({k: v for k, v in orjson.loads(article().to_json()).items()
                   if k != "text"}), "missing field 'text'"),
    (orjson.dumps({**orjson.loads(article().to_json()), "fetched_at": "2026-11-01T12:00:00"}),
     "naive"),
    (orjson.dumps({**orjson.loads(article().to_json()), "lang": 7}), "lang must be"),
    (orjson.dumps({**orjson.loads(article().to_json()), "country": "usa"}), "alpha-2"),
    (orjson.dumps({**orjson.loads(article().to_json()), "published_at_guessed": "no"}),
     "boolean"),
])
def test_the_article_hot_path_refuses_what_decode_refuses(payload: bytes | None,
                                                          message: str) -> None:
    with pytest.raises(PoisonMessageError, match=message):
        parse_article(payload)


def test_one_exception_root() -> None:
    from agents.deliver import RouteError
    from analysis.errors import AnalysisError, DataFileError, InvalidDocumentError
    from analysis.rules import RulesError
    from producers.fetching import FeedFetchError
    from producers.registry import FeedsFileError
    from streams.errors import MediawatchError
    from streams.settings import SettingsError
    from streams.topics import PublishError, SendFailed

    for error in (AnalysisError, DataFileError, InvalidDocumentError, RulesError,
                  FeedFetchError, FeedsFileError, SettingsError, PublishError, SendFailed,
                  RouteError):
        assert issubclass(error, MediawatchError), error


async def test_an_app_without_its_agents_refuses_to_start(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import pytest

    from streams.app import NoAgentsError, create_app
    from streams.settings import Settings

    app = create_app(Settings(app_id="mw-no-agents", data_dir=tmp_path))
    with pytest.raises(NoAgentsError, match="mediawatch worker"):
        await app.on_first_start()
