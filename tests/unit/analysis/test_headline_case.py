"""Headlines in capitals and in Title Case analyse as their normal-case form does,
while case still tells names and acronyms from common words in normal text."""

from __future__ import annotations

import re

import pytest

from analysis import Document, analyze
from analysis.langid import detect_language
from analysis.normalization import casing


def _title_case(text: str) -> str:
    return re.sub(r"(^|[\s'(-])(\w)", lambda m: m.group(1) + m.group(2).upper(), text)


def _summary(title: str, lang: str | None, text: str = "") -> tuple[object, ...]:
    result = analyze(Document(id="h", title=title, text=text, lang=lang))
    pairs = sorted(tuple(sorted(e.parties)) for e in result.events)
    sr = result.sanctions_rhetoric
    return result.lang, result.countries, pairs, sr.present, sr.stance


# (lang, normal-case headline): each also written in capitals and in Title Case
HEADLINES = [
    ("en", "Putin holds talks with Xi in Moscow"),
    ("en", "Xi to visit France next week"),
    ("en", "China and India hold border talks"),
    ("en", "Blinken meets Wang Yi on sidelines of G20"),
    ("en", "UK threatens fresh sanctions on Russia over Ukraine"),
    ("en", "Lula hosts Sánchez in Brasília"),
    ("es", "Putin y Xi conversan por videoconferencia"),
    ("es", "Pedro Sánchez se reúne con Lula en Brasilia"),
    ("es", "La UE impone nuevas sanciones a Irán"),
    ("es", "Macron visita Argentina y se reúne con Milei"),
    ("fr", "Poutine rencontre Xi à Moscou"),
    ("fr", "Macron reçoit le président kenyan à l'Élysée"),
    ("fr", "Bruxelles menace Pékin de sanctions"),
    ("fr", "Xi en visite d'État en France"),
    ("ru", "Путин провел переговоры с Си Цзиньпином"),
    ("ru", "Лавров встретился с главой МИД Турции"),
    ("ru", "Вашингтон пригрозил санкциями Пекину"),
    ("zh", "NATO秘书长访问日本"),
    ("zh", "EU宣布对俄罗斯实施新制裁"),
    ("ar", "NATO تعقد اجتماعا في بروكسل"),
]


@pytest.mark.parametrize(("lang", "title"), HEADLINES)
@pytest.mark.parametrize("declared", [True, False])
def test_capitals_and_title_case_read_as_normal_case(
    lang: str, title: str, declared: bool
) -> None:
    expected = _summary(title, lang)
    assert expected[0] == lang
    hint = lang if declared else None
    assert _summary(title.upper(), hint) == expected
    assert _summary(_title_case(title), hint) == expected


def test_title_case_with_lower_case_prepositions() -> None:
    expected = _summary("China and India hold border talks with Nepal", "en")
    assert _summary("China and India Hold Border Talks with Nepal", "en") == expected


def test_capitals_title_over_a_normal_body() -> None:
    body = "The Russian president held talks with his Chinese counterpart on Tuesday."
    assert _summary("PUTIN AND XI MEET", "en", body) == _summary("Putin and Xi meet", "en", body)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("PUTIN HOLDS TALKS WITH XI IN MOSCOW", "upper"),
        ("China And India Hold Border Talks", "title"),
        ("Putin Holds Talks with Xi in Moscow", "title"),
        ("Bruxelles Menace Pékin De Sanctions", "title"),
        ("China and India hold border talks", None),
        ("Jordan Henderson joins Brentford", None),
        ("習近平會見EU代表", None),  # one capitalised word in Han text
        ("EU", None),
        ("", None),
    ],
)
def test_casing(line: str, expected: str | None) -> None:
    assert casing(line) == expected


@pytest.mark.parametrize(
    ("lang", "title"),
    [
        ("en", "Lula hosts Sánchez in Brasília"),
        ("en", "LULA HOSTS SÁNCHEZ IN BRASÍLIA"),
        ("es", "Sánchez visita Brasilia"),
        ("fr", "Bruxelles Menace Pékin De Sanctions"),
        ("fr", "Washington Prolonge Les Sanctions Contre Le Venezuela"),
        ("de", "SCHOLZ TRIFFT BIDEN IN WASHINGTON"),
        ("bg", "Путин се срещна с Ердоган в Анкара"),
        ("ru", "Путин встретился с Эрдоганом в Анкаре"),
    ],
)
def test_language_of_short_headlines_with_names(lang: str, title: str) -> None:
    assert detect_language(title) == lang


def test_cyrillic_shared_words_are_not_ukrainian() -> None:
    assert detect_language("Лавров прибыл в Анкару с визитом", hint="uk") == "ru"


@pytest.mark.parametrize(
    ("lang", "title", "absent"),
    [
        ("fr", "LA SÉCHERESSE PRIVE D'EAU LE SUD DU MAROC", "AE"),  # EAU: water, not UAE
        ("es", "SIN DUDA, SÁNCHEZ SE REUNIRÁ CON MACRON EN PARÍS", "PL"),  # not Duda
        ("es", "UNA VIDA SANA: LULA VISITA PORTUGAL", "YE"),  # sana: healthy, not Sanaa
        ("fr", "IL FAUT QU'IL VIENNE À PARIS, DIT MACRON À ZELENSKY", "AT"),
        ("ru", "ПУТИН ЗАЯВИЛ ПОСЛЕ ТОГО, КАК ПРОВЕЛ ПЕРЕГОВОРЫ С ЭРДОГАНОМ", "TG"),
        ("ru", "Путин Заявил После Того, Как Провел Переговоры С Эрдоганом", "TG"),
    ],
)
def test_common_words_in_capitals_are_no_names(lang: str, title: str, absent: str) -> None:
    assert absent not in _summary(title, lang)[1]  # type: ignore[operator]


def test_french_un_in_capitals_is_no_organisation() -> None:
    result = analyze(Document(id="h", title="UN ACCORD SIGNÉ AU SÉNÉGAL", text="", lang="fr"))
    assert result.organisations == ()


@pytest.mark.parametrize(
    ("lang", "text", "present", "absent"),
    [
        ("en", "Pope Leo XI visited the shrine in Lourdes.", (), ("CN",)),
        ("en", "Xi visited the shrine in Lourdes.", ("CN",), ()),
        ("en", "China is ripping us off, the senator said.", ("CN",), ("US",)),
        ("en", "Jordan Henderson joins Brentford", (), ("JO",)),
        ("es", "Duda recibe a Sánchez en Varsovia", ("PL",), ()),
        ("es", "Sin duda, Sánchez viajará a Varsovia.", ("PL",), ()),
        ("fr", "Il a eu un entretien avec le chef de l'ONU.", (), ()),
        ("ru", "После того как Путин прибыл в Того, начались переговоры.", ("TG", "RU"), ()),
    ],
)
def test_case_still_decides_in_normal_text(
    lang: str, text: str, present: tuple[str, ...], absent: tuple[str, ...]
) -> None:
    result = analyze(Document(id="h", title="", text=text, lang=lang))
    for code in present:
        assert code in result.countries
    for code in absent:
        assert code not in result.countries
    if lang == "fr":
        assert "eu" not in result.organisations
