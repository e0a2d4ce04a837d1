"""agents.tag: the article dict's home country reaches the analysis."""

from datetime import UTC, datetime
from typing import Any

from agents.tag import tag_article


def _article(country: str | None) -> dict[str, Any]:
    now = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    return {
        "id": "a1", "url": "https://gulf.example/a1", "feed_id": "gulf", "source": "Gulf",
        "title": "ولي العهد يستقبل وزير الخارجية الأردني",
        "text": "استقبل ولي العهد في مكتبه اليوم وزير الخارجية الأردني وبحث معه العلاقات الثنائية.",
        "fetched_at": now, "guid": None, "lang": "ar", "published_at": now,
        "published_at_guessed": False, "story_id": None, "country": country,
    }


def test_the_outlet_country_resolves_its_own_official() -> None:
    tagged = tag_article(_article("SA"))
    assert [e["parties"] for e in tagged["events"]] == [["JO", "SA"]]
    assert "SA" in tagged["countries"]


def test_without_it_the_host_stays_unknown() -> None:
    assert tag_article(_article(None))["events"] == []
