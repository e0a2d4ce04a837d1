"""End-to-end analysis: the contract dict, the Arabic reference fixture, JSON lines."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from analysis import (
    MAX_TEXT_CHARS,
    Analysis,
    Document,
    InvalidDocumentError,
    analyze,
    analyze_lines,
    cli_analyze,
    document_from_json,
)
from analysis.text import clean_fields

# Written for this test: the features of a Russian-Chinese foreign ministers' phone
# call report (RT Arabic style), not a copy of any article.
ARABIC_TITLE = "لافروف ووانغ يي يبحثان هاتفيا التنسيق بين موسكو وبكين"
ARABIC_TEXT = "\n".join(
    [
        "أخبار العالم",
        "أجرى وزير الخارجية الروسي سيرغي لافروف اتصالا هاتفيا مع نظيره الصيني وانغ يي، "
        "يوم الخميس، تناول العلاقات الثنائية والقضايا الدولية.",
        "وأوضحت الخارجية الروسية في بيان أن الوزيرين ناقشا الأزمة الأوكرانية وتطورات النزاع "
        "الفلسطيني – الإسرائيلي، إضافة إلى الوضع في شبه الجزيرة الكورية وأمن منطقة آسيا "
        "والمحيط الهادئ.",
        "وأكد الجانبان رفضهما للعقوبات الأحادية غير الشرعية التي يفرضها الغرب على البلدين.",
        "واتفق الوزيران على مواصلة التنسيق في إطار الأمم المتحدة ومنظمة شنغهاي للتعاون "
        "ومجموعة بريكس.",
        "انسخ الرابطhttps://example.org/abc",
        "المصدر: وكالات",
        "هذا الموقع يستخدم ملفات تعريف الارتباط .بامكانك قراءة شروط الاستخدام",
    ]
)

CONTRACT_KEYS = {
    "id",
    "lang",
    "countries",
    "regions",
    "keywords",
    "organisations",
    "events",
    "sanctions_rhetoric",
}


@pytest.fixture(scope="module")
def arabic() -> dict[str, object]:
    doc = Document(
        id="ar-fixture",
        title=ARABIC_TITLE,
        text=ARABIC_TEXT,
        lang=None,
        published_at=datetime(2024, 1, 10, tzinfo=UTC),
    )
    return analyze(doc).to_dict()


def test_arabic_fixture_language_and_tags(arabic: dict[str, object]) -> None:
    assert set(arabic) == CONTRACT_KEYS
    assert arabic["lang"] == "ar"
    assert {"CN", "RU", "UA", "IL", "PS"} <= set(arabic["countries"])  # type: ignore[arg-type]
    assert {"korean-peninsula", "asia-pacific", "west"} <= set(arabic["regions"])  # type: ignore[arg-type]
    assert {"un", "sco", "brics"} <= set(arabic["organisations"])  # type: ignore[arg-type]
    assert "sanctions" in arabic["keywords"]  # type: ignore[operator]


def test_arabic_fixture_phone_call(arabic: dict[str, object]) -> None:
    events = arabic["events"]
    assert isinstance(events, list) and len(events) == 1
    event = events[0]
    assert event["type"] == "bilateral_meeting"
    assert event["parties"] == ["CN", "RU"]
    assert event["modality"] == "call"
    assert event["cameo"] == "041"
    for start, end, surface, _role in event["spans"]:
        assert event["evidence"][start:end] == surface
    roles = {span[3] for span in event["spans"]}
    assert {"party", "trigger"} <= roles


def test_arabic_fixture_sanctions_condemned(arabic: dict[str, object]) -> None:
    sr = arabic["sanctions_rhetoric"]
    assert isinstance(sr, dict)
    assert sr["present"] is True
    assert sr["stance"] == "condemn"
    assert "عقوبات" in sr["evidence"]
    for start, end, surface, _role in sr["spans"]:
        assert sr["evidence"][start:end] == surface


def test_empty_document() -> None:
    result = analyze(Document(id="e", title="", text="")).to_dict()
    assert result == {
        "id": "e",
        "lang": "und",
        "countries": [],
        "regions": [],
        "keywords": [],
        "organisations": [],
        "events": [],
        "sanctions_rhetoric": {"present": False, "stance": None, "evidence": None, "spans": []},
    }


def test_analysis_is_a_value() -> None:
    result = analyze(Document(id="x", title="Russia", text="China"))
    assert isinstance(result, Analysis)
    assert result == analyze(Document(id="x", title="Russia", text="China"))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"id": 1, "title": "", "text": ""},
        {"id": "x", "title": None, "text": ""},
        {"id": "x", "title": "", "text": b"bytes"},
        {"id": "x", "title": "", "text": "", "published_at": datetime(2024, 1, 1)},  # noqa: DTZ001
        {"id": "x", "title": "", "text": "", "published_at": "2024-01-01"},
    ],
)
def test_invalid_documents(kwargs: dict[str, object]) -> None:
    with pytest.raises(InvalidDocumentError):
        Document(**kwargs)  # type: ignore[arg-type]


def test_long_text_is_truncated() -> None:
    text = "Russia and China held talks. " * (MAX_TEXT_CHARS // 20)
    result = analyze(Document(id="long", title="", text=text)).to_dict()
    assert result["truncated"] is True
    assert "RU" in result["countries"]


def test_analyze_lines_keeps_order_and_reports_bad_lines() -> None:
    lines = [
        json.dumps(
            {"id": "a", "title": "Putin meets Xi", "text": "Putin met Xi Jinping in Beijing."}
        ),
        "{not json",
        json.dumps(["a list"]),
        json.dumps({"id": "b", "title": "no text"}),
        "",
        json.dumps(
            {
                "id": 7,
                "title": "",
                "text": "Le Kremlin",
                "lang": "fr",
                "published_at": "2024-03-01T10:00:00Z",
            }
        ),
    ]
    out = list(analyze_lines(lines))
    assert [o["id"] for o in out] == ["a", None, None, "b", "7"]  # the id an error line gave
    assert out[0]["events"][0]["parties"] == ["CN", "RU"]
    assert all("error" in o for o in out[1:4])
    assert out[4]["countries"] == ["RU"]


def test_cli_analyze_writes_json_lines() -> None:
    out = io.StringIO()
    errors = cli_analyze(['{"id": "x", "text": "Moscow"}', "oops"], out)
    rows = [orjson.loads(line) for line in out.getvalue().splitlines()]
    assert errors == 1
    assert rows[0]["countries"] == ["RU"]
    assert rows[1] == {"id": None, "error": rows[1]["error"]}


def test_analyze_lines_take_the_outlet_country() -> None:
    from analysis import analyze_lines
    text = "استقبل ولي العهد في مكتبه اليوم وزير الخارجية الأردني."
    lines = [
        orjson.dumps({"id": "a", "title": "", "text": text, "country": "SA"}),
        orjson.dumps({"id": "b", "title": "", "text": text, "country": "sa"}),
        orjson.dumps({"id": "c", "title": "", "text": text}),
        orjson.dumps({"id": "d", "title": "", "text": text, "country": "SAU"}),
        orjson.dumps({"id": "e", "title": "", "text": text, "country": "ZZ"}),
    ]
    a, b, c, d, e = analyze_lines(lines)
    assert [e["parties"] for e in a["events"]] == [["JO", "SA"]]
    assert b["events"] == a["events"]
    assert c["events"] == []
    # no country of that code: an error line, not a party called ZZ
    assert (d["id"], e["id"]) == ("d", "e")
    assert "country" in d["error"] and "country" in e["error"]


def _case_documents() -> list[Document]:
    cases = Path(__file__).with_name("cases")
    docs = []
    for path in sorted(cases.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                docs.append(document_from_json(json.loads(line)))
    return docs


def test_fields_cleaned_by_the_caller_give_the_same_analysis() -> None:
    docs = _case_documents()
    assert len(docs) > 1000
    for doc in docs:
        given = analyze(doc, clean_fields(doc.title, doc.text)).to_dict()
        assert given == analyze(doc).to_dict(), doc.id


def test_fields_cleaned_by_the_caller_are_the_ones_read() -> None:
    doc = Document("c1", title="", text="", lang="ar")
    assert analyze(doc).events == ()
    result = analyze(doc, clean_fields(ARABIC_TITLE, ARABIC_TEXT))
    assert [e.parties for e in result.events] == [("CN", "RU")]


def test_cleaned_fields_of_another_type_are_refused() -> None:
    doc = Document("c2", title=ARABIC_TITLE, text=ARABIC_TEXT)
    with pytest.raises(InvalidDocumentError, match="CleanFields"):
        analyze(doc, (ARABIC_TITLE, ARABIC_TEXT))  # type: ignore[arg-type]


def test_urdu_is_read_with_the_persian_patterns() -> None:
    # Pakistan's prime minister met the Chinese president in Beijing (written for this test)
    text = "پاکستان کے وزیر اعظم نے بیجنگ میں چینی صدر شی جن پنگ سے ملاقات کی۔"
    result = analyze(Document("ur1", title="", text=text, lang="ur"))
    assert result.lang == "ur"
    assert [e.parties for e in result.events] == [("CN", "PK")]
