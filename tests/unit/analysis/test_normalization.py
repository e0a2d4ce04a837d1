"""Normalisation: folding per script and morphology through the matcher."""

from __future__ import annotations

import pytest

from analysis.lexicon import patterns
from analysis.matcher import Kind
from analysis.normalization import normalize, normalize_token, pattern_key, simplified, stem


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("أمريكا", "امريكا"),
        ("إيران", "ايران"),
        ("مستشفى", "مستشفي"),
        ("الخارجيّة الروسيَّة", "الخارجيه الروسيه"),
        ("روسيـــا", "روسيا"),
        ("Ёлка", "елка"),
        ("Élysée", "elysee"),
        ("Türkiye İstanbul", "turkiye istanbul"),
        ("Rusya’nın", "rusya'nin"),
        ("sanctions", "sanctions"),
        ("تحریم‌ها", "تحريم ها"),
    ],
)
def test_normalize_token(raw: str, folded: str) -> None:
    assert normalize_token(raw) == folded


def test_normalize_keeps_offsets_through_deletions() -> None:
    text = "قَالَ لافروف"
    norm = normalize(text)
    assert norm.text == "قال لافروف"
    start = norm.text.index("لافروف")
    a, b = norm.original_span(start, start + len("لافروف"))
    assert text[a:b] == "لافروف"


@pytest.mark.parametrize(
    ("hant", "hans"),
    [
        ("臺灣外交部長會見澳洲總理", "台湾外交部长会见澳洲总理"),
        ("關於對俄羅斯的經濟制裁", "关于对俄罗斯的经济制裁"),
        ("象徵兩國關係", "象征两国关系"),
    ],
)
def test_traditional_chinese_reads_in_simplified_characters(hant: str, hans: str) -> None:
    assert simplified(hant) == hans
    assert len(simplified(hant)) == len(hant)  # one for one: offsets stay


@pytest.mark.parametrize(
    "text",
    ["国家主席习近平同美国总统通电话", "乾隆著名的干部", "Putin met Xi in Moscow", ""],
)
def test_text_without_traditional_characters_is_unchanged(text: str) -> None:
    assert simplified(text) == text


def test_pattern_key_drops_the_arabic_article_only() -> None:
    assert pattern_key("الصين", "arabic") == "صين"
    assert pattern_key("إلغاء", "arabic") == "الغاء"  # hamza-alef is part of the stem


def test_snowball_stems() -> None:
    assert stem("санкциями", "ru") == stem("санкции", "ru")
    assert stem("والصين", "ar") == stem("الصين", "ar")


def values(lang: str, text: str, kind: str) -> list[str]:
    ps = patterns(lang)
    found = ps.find(text) + ps.find(text, group="context")
    return [m.value for m in found if m.kind == kind]


@pytest.mark.parametrize(
    ("lang", "text", "kind", "value"),
    [
        ("ar", "والصين", Kind.COUNTRY, "CN"),
        ("ar", "بموسكو", Kind.METONYM, "RU"),
        ("ar", "للصين", Kind.COUNTRY, "CN"),
        ("ar", "وروسيا", Kind.COUNTRY, "RU"),
        ("ar", "الروسية", Kind.DEMONYM, "RU"),
        ("ar", "والصينيين", Kind.DEMONYM, "CN"),
        ("ar", "للعقوبات", Kind.SANCTION, "strong"),
        ("ar", "نظيره", Kind.COUNTERPART, "counterpart"),
        ("ru", "России", Kind.COUNTRY, "RU"),
        ("ru", "Россией", Kind.COUNTRY, "RU"),
        ("ru", "в Москве", Kind.METONYM, "RU"),
        ("ru", "с Лавровым", Kind.PERSON, ""),
        ("ru", "санкциями", Kind.SANCTION, "strong"),
        ("ru", "телефонного разговора", Kind.TRIGGER, "call"),
        ("ru", "российско-китайские", Kind.DEMONYM, "RU"),
        ("fr", "l'Iran", Kind.COUNTRY, "IR"),
        ("fr", "d'Ukraine", Kind.COUNTRY, "UA"),
        ("fr", "son homologue chinois", Kind.DEMONYM, "CN"),
        ("es", "su homólogo ruso", Kind.DEMONYM, "RU"),
        ("en", "Russia's", Kind.COUNTRY, "RU"),
        ("en", "the U.S. envoy", Kind.COUNTRY, "US"),
        ("tr", "Rusya'nın", Kind.COUNTRY, "RU"),
        ("zh", "中俄关系", Kind.COMPOUND, "CN RU"),
        ("zh", "访华", Kind.METONYM, "CN"),
        ("fa", "تحریم‌ها", Kind.SANCTION, "strong"),
    ],
)
def test_morphology_through_matching(lang: str, text: str, kind: str, value: str) -> None:
    found = values(lang, text, kind)
    assert found, f"no {kind} in {text!r}"
    if value:
        assert value in found


@pytest.mark.parametrize(
    ("lang", "text", "kind"),
    [
        ("ar", "وزارة الخارجية", Kind.TRIGGER),  # و + زار + ة is "ministry", not "visited"
        ("ar", "لقمة عيش", Kind.TRIGGER),  # ل + قمة is "morsel", not "summit"
        ("en", "a china cup", Kind.COUNTRY),  # lower-case china is porcelain
        ("en", "a turkey sandwich", Kind.COUNTRY),
        ("ru", "перец чили", Kind.COUNTRY),  # lower-case chili pepper
        ("en", "he said", Kind.TOPIC),  # "aid" inside "said"
    ],
)
def test_no_false_matches(lang: str, text: str, kind: str) -> None:
    assert not values(lang, text, kind)


def test_every_case_sensitive_key_passes_the_acronym_prefilter() -> None:
    from analysis.lexicon import SUPPORTED_LANGS
    from analysis.matcher import _ACRONYM_HINT

    for lang in SUPPORTED_LANGS:
        ps = patterns(lang)
        ps.find("")
        missed = [key for key in ps._cased if not _ACRONYM_HINT.search(key)]
        assert not missed, (lang, missed)
