"""Gazetteer lookups: office-holders with dates, regions, organisations."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from analysis import Document, analyze
from analysis.gazetteer import gazetteer


def person(name: str) -> str:
    found = gazetteer().lookup_person(name)
    assert len(found) == 1, found
    return found[0].id


@pytest.mark.parametrize(
    ("name", "when", "country", "in_office"),
    [
        ("Sunak", date(2023, 6, 1), "GB", True),
        ("Sunak", date(2025, 6, 1), "GB", False),
        ("Trump", date(2018, 3, 1), "US", True),
        ("Trump", date(2022, 3, 1), "US", False),
        ("Trump", date(2025, 3, 1), "US", True),
        ("Lavrov", date(2016, 1, 1), "RU", True),
        ("王毅", date(2023, 3, 1), "CN", True),  # Qin Gang's term: the party's foreign chief
        ("Biden", date(2012, 1, 1), "US", True),  # vice-president
        ("Biden", date(2018, 1, 1), "US", False),  # between his two offices
        ("王毅", date(2024, 9, 1), "CN", True),
        ("Baerbock", date(2023, 1, 1), "DE", True),
        ("Wadephul", date(2025, 6, 1), "DE", True),
        ("Abdollahian", date(2022, 1, 1), "IR", True),
        ("Araghchi", date(2025, 1, 1), "IR", True),
        ("Scholz", date(2026, 1, 1), "DE", False),
    ],
)
def test_office_holders_by_date(name: str, when: date, country: str, in_office: bool) -> None:
    assert gazetteer().person_country(person(name), when) == (country, in_office)


@pytest.mark.parametrize(
    ("name", "when", "former"),
    [
        ("Trump", date(2022, 3, 1), True),  # between two terms: a former president
        ("Trump", date(2025, 3, 1), False),
        ("Trump", None, False),  # undated: every office-holder counts as one
        ("Sunak", date(2025, 6, 1), True),
        ("Sunak", date(2023, 6, 1), False),
        ("王毅", date(2023, 3, 1), False),  # between two terms as minister: not a leader
        ("Biden", date(2026, 1, 1), True),  # a vice-president before: his last office counts
        ("Biden", date(2018, 1, 1), False),  # a former vice-president is no former leader
        ("Shoigu", date(2025, 6, 1), False),  # a minister who moved to another office
    ],
)
def test_former_leaders_by_date(name: str, when: date | None, former: bool) -> None:
    assert gazetteer().former_leader(person(name), when) is former


def analyse(text: str, when: datetime | None = None, lang: str | None = None) -> dict[str, object]:
    return analyze(Document(id="t", title="", text=text, lang=lang, published_at=when)).to_dict()


def test_prime_minister_sunak_maps_to_gb_in_2023() -> None:
    result = analyse(
        "The Prime Minister Sunak spoke in Parliament.", datetime(2023, 5, 2, tzinfo=UTC)
    )
    assert result["countries"] == ["GB"]


@pytest.mark.parametrize("year", [2018, 2025])
def test_trump_maps_to_us(year: int) -> None:
    result = analyse("Trump spoke to reporters.", datetime(year, 5, 2, tzinfo=UTC))
    assert "US" in result["countries"]  # type: ignore[operator]


@pytest.mark.parametrize(
    ("text", "lang", "countries"),
    [
        ("Talks were held in the Kremlin and at Zhongnanhai.", "en", ["CN", "RU"]),
        ("Fighting continued around Aleppo and in Gaza.", "en", ["PS", "SY"]),
        ("Des combats ont eu lieu près de Donetsk et en Crimée.", "fr", ["UA"]),
        ("وصل الوفد إلى طهران ثم إلى دمشق.", "ar", ["IR", "SY"]),
        ("Делегация прибыла в Пекин из Вашингтона.", "ru", ["CN", "US"]),
        ("西藏和新疆的发展", "zh", ["CN"]),
        ("Jordan Henderson signed for Brentford.", "en", []),
    ],
)
def test_places_and_metonyms(text: str, lang: str, countries: list[str]) -> None:
    assert analyse(text, lang=lang)["countries"] == countries


def test_regions_do_not_add_member_countries() -> None:
    result = analyse("Tensions are rising across the Middle East and the Korean Peninsula.")
    assert result["countries"] == []
    assert {"middle-east", "korean-peninsula"} <= set(result["regions"])  # type: ignore[arg-type]


def test_m49_regions_of_detected_countries() -> None:
    result = analyse("Russia and China signed the agreement.")
    assert {"europe", "eastern-europe", "asia", "eastern-asia"} <= set(result["regions"])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "orgs"),
    [
        ("NATO and the EU met the UN envoy.", ["eu", "nato", "un"]),
        ("اجتماع لمنظمة شنغهاي للتعاون ومجموعة بريكس", ["brics", "sco"]),
        ("Саммит ШОС и БРИКС, заявление МАГАТЭ", ["brics", "iaea", "sco"]),
        ("上合组织和金砖国家", ["brics", "sco"]),
        ("La OTAN y la Unión Europea", ["eu", "nato"]),
    ],
)
def test_organisations(text: str, orgs: list[str]) -> None:
    assert analyse(text)["organisations"] == orgs


@pytest.mark.parametrize(
    ("text", "lang", "countries"),
    [
        # a namesake: an office-holder's family name after a given name none of theirs
        ("The equaliser came from Lorenzo Pellegrini in the last minute.", "en", []),
        ("El técnico Manuel Pellegrini elogió al equipo tras la derrota.", "es", []),
        ("Le rapport rédigé par Francesca Albanese pour l'ONU a été publié.", "fr", []),
        ("A concert by the singer Ana Orban opened the festival.", "en", []),
        ("The winning film starred Omar Sharif in the lead.", "en", []),
        ("Победный гол забил нападающий Иван Путин.", "ru", []),
        # the office-holder: full name, a middle name, a patronymic, a title, a
        # spelling of their given name, a hyphenated given name
        ("Talks were attended by Peter Pellegrini and officials.", "en", ["SK"]),
        ("Talks were attended by Donald John Trump and officials.", "en", ["US"]),
        ("Talks were attended by Victor Orban and officials.", "en", ["HU"]),
        ("Talks were attended by President Pellegrini and officials.", "en", ["SK"]),
        ("Talks were attended by Ayatollah Khamenei and officials.", "en", ["IR"]),
        ("Участие в переговорах принял Владимир Владимирович Путин.", "ru", ["RU"]),
        ("Les entretiens ont réuni Jean-Noël Barrot et des diplomates.", "fr", ["FR"]),
        ("В переговорах участвовал Касым-Жомарт Токаев.", "ru", ["KZ"]),
        # a sentence's first word is capitalised whatever it is, unless it is a given
        # name the gazetteer knows
        ("Today Orban met the press in Budapest.", "en", ["HU"]),
        ("Manuel Pellegrini renueva con el Betis hasta 2027.", "es", []),
        ("Иван Путин забил дважды за «Торпедо».", "ru", []),
        ("Vladimir Putin held talks in the Kremlin.", "en", ["RU"]),
    ],
)
def test_a_family_name_after_another_given_name_is_a_namesake(
    text: str, lang: str, countries: list[str]
) -> None:
    assert analyse(text, lang=lang)["countries"] == countries


@pytest.mark.parametrize(
    ("lead", "country"),
    [
        ("القاهرة (أ ش أ) - استقبل الرئيس", "EG"),
        ("بغداد - واع - اجتمع رئيس مجلس الوزراء", "IQ"),
        ("نواكشوط (وما) - بعث رئيس الجمهورية", "MR"),
        ("RIYADH (SPA) -- The Crown Prince received", "SA"),
        ("МОСКВА, 5 марта. /ТАСС/. Министр провёл переговоры", "RU"),
        ("新华社北京4月14日电 国家主席会见", "CN"),
        # international services, and a credit two agencies share, name no outlet
        ("PARIS (AFP) - Le président a reçu", None),
        ("DAKAR (APS) – Le président de la République a reçu", None),
        # a word in the running text, not a credit
        ("وقال إن بلاده واس تسعى", None),
        ("A long lead " + "x" * 200 + " (SPA) --", None),
    ],
)
def test_a_state_agency_credit_names_the_outlet_country(lead: str, country: str | None) -> None:
    assert gazetteer().credited_country(lead) == country


@pytest.mark.parametrize(
    ("title", "country"),
    [
        ("Readout of the President's Call with Prime Minister Albanese of Australia", "US"),
        ("Readout of the President\u2019s Meeting with President Ruto of Kenya", "US"),
        ("Readout of the Vice President's Call with King Abdullah II", "US"),
        # a formula with its holder named belongs to no one government
        ("Readout of President von der Leyen's call with President Zelenskyy", None),
        ("A readout of the President's call", None),
    ],
)
def test_a_government_release_formula_names_the_outlet_country(
        title: str, country: str | None) -> None:
    assert gazetteer().credited_country("The President spoke today with…", title) == country


def test_a_feed_country_wins_over_an_agency_credit() -> None:
    text = "(واس) - بحث وزير الخارجية مع وزير الخارجية الأمريكي مستجدات المنطقة."
    credited = analyze(Document(id="a", title="", text=text, lang="ar"))
    assert [e.parties for e in credited.events] == [("SA", "US")]
    fed = analyze(Document(id="b", title="", text=text, lang="ar", country="QA"))
    assert [e.parties for e in fed.events] == [("QA", "US")]


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Лавров провел переговоры с Джоном Керри.", "US"),  # instrumental
        ("Лавров передал Джону Керри послание.", "US"),  # dative
        ("Путин принял Терезу Мэй в Сочи.", "GB"),  # accusative of a name in -а
    ],
)
def test_a_cyrillic_given_name_declines_before_the_family_name(text: str, country: str) -> None:
    """Russian declines a given name and patronymic before a family name ("Джоном
    Керри"), and some family names do not decline at all ("Керри")."""
    when = datetime(2015, 5, 1, tzinfo=UTC)
    result = analyze(Document(id="t", title="", text=text, lang="ru", published_at=when))
    assert country in result.countries


@pytest.mark.parametrize(
    ("name", "when", "country"),
    [
        ("Mwai Kibaki", date(2005, 1, 1), "KE"),
        ("John Kufuor", date(2004, 5, 3), "GH"),
        ("Václav Havel", date(1995, 1, 1), "CZ"),
        ("Mikheil Saakashvili", date(2008, 8, 1), "GE"),
    ],
)
def test_office_holders_of_the_1990s_and_2000s(name: str, when: date, country: str) -> None:
    assert gazetteer().person_country(person(name), when) == (country, True)
