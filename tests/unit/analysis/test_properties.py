"""Property tests: any input yields a valid Analysis or a documented AnalysisError."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import MAX_TEXT_CHARS, Analysis, Document, analyze, analyze_lines
from analysis.normalization import normalize
from analysis.text import clean_text, split_sentences

KEYS = {
    "id",
    "lang",
    "countries",
    "regions",
    "keywords",
    "organisations",
    "events",
    "sanctions_rhetoric",
}

mixed_text = st.text(
    alphabet=st.one_of(
        st.characters(),
        st.sampled_from(list("абвгдеёжРоссия الصينروسيا中俄美方 .!?؟。،\n<>&é'’-")),
    ),
    max_size=400,
)
junk = st.binary(max_size=400).map(lambda b: b.decode("utf-8", errors="replace"))


def check(result: Analysis) -> None:
    d = result.to_dict()
    assert set(d) >= KEYS
    assert d["countries"] == sorted(d["countries"])
    assert all(len(c) == 2 and c.isupper() for c in d["countries"])
    assert d["regions"] == sorted(d["regions"])
    for event in d["events"]:
        assert event["parties"] == sorted(event["parties"]) and len(set(event["parties"])) == 2
        for start, end, surface, _role in event["spans"]:
            assert event["evidence"][start:end] == surface
    sr = d["sanctions_rhetoric"]
    assert (sr["stance"] is None) == (not sr["present"])
    for start, end, surface, _role in sr["spans"]:
        assert sr["evidence"][start:end] == surface


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=st.one_of(mixed_text, junk),
    text=st.one_of(mixed_text, junk),
    lang=st.one_of(st.none(), st.sampled_from(["ar", "en", "zh", "xx", "ru-RU", ""])),
)
def test_any_text_gives_a_valid_analysis(title: str, text: str, lang: str | None) -> None:
    # analyze promises never to raise on text: no AnalysisError is tolerated here.
    check(analyze(Document(id="h", title=title, text=text, lang=lang)))


@settings(max_examples=100, deadline=None)
@given(st.one_of(mixed_text, junk))
def test_normalise_and_split_never_fail(text: str) -> None:
    cleaned = clean_text(text)
    norm = normalize(cleaned)
    if norm.index is not None:
        assert len(norm.index) == len(norm.text)
    for start, end in split_sentences(cleaned):
        assert 0 <= start < end <= len(cleaned)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(mixed_text, junk), max_size=5))
def test_analyze_lines_answers_every_line(lines: list[str]) -> None:
    lines = [line.replace("\n", " ") for line in lines]
    out = list(analyze_lines(lines))
    assert len(out) == sum(1 for line in lines if line.strip())


def test_five_megabytes_complete_and_say_truncated() -> None:
    paragraph = "Russia and China held talks in Moscow on sanctions. " * 40 + "\n"
    text = paragraph * (5_000_000 // len(paragraph))
    start = time.perf_counter()
    result = analyze(Document(id="big", title="Big", text=text))
    assert time.perf_counter() - start < 30
    assert result.truncated is True
    assert result.to_dict()["truncated"] is True
    assert len(text) > MAX_TEXT_CHARS
    check(result)
