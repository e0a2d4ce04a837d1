"""Text cleaning and sentence splitting."""

from __future__ import annotations

import pytest

from analysis.text import (
    MAX_RAW_CHARS,
    MAX_SENTENCE_CHARS,
    clean_text,
    html_to_text,
    split_sentences,
)


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<p>Hello <b>world</b></p><p>Second</p>", "Hello world\nSecond"),
        ("<div>Text<script>var x = 1;</script></div>", "Text"),
        ("Fish &amp; chips", "Fish & chips"),
        ("Line one\nانسخ الرابطhttps://example.org/x\nLine two", "Line one\nLine two"),
        ("خبر مهم\nهذا الموقع يستخدم ملفات تعريف الارتباط .بامكانك قراءة الشروط", "خبر مهم"),
        ("Body text\nSource: Reuters", "Body text"),
        ("Body\nالمصدر: وكالات", "Body"),
        ("Текст\nИсточник: ТАСС", "Текст"),
        ("Texto\nFuente: EFE", "Texto"),
        ("Texte\nSource : AFP", "Texte"),
        ("正文\n来源：新华社", "正文"),
        ("正文\n责任编辑：张三", "正文"),
        ("Story\nhttps://example.org/a/b\nMore", "Story\nMore"),
        ("Story\nBy Jane Smith\nMore", "Story\nMore"),
        ("We use cookies to improve your experience.\nNews", "News"),
        ("Wide\u3000space and  double  spaces", "Wide space and double spaces"),
        ("ﻻ", "لا"),  # NFKC folds Arabic presentation forms
        ("", ""),
    ],
)
def test_clean_text(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


def test_html_to_text_keeps_blocks() -> None:
    assert html_to_text("<ul><li>a</li><li>b</li></ul>").split() == ["a", "b"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The U.S. and Mr. Smith met. Then they left.",
            ["The U.S. and Mr. Smith met.", "Then they left."],
        ),
        (
            "هل التقى الوزيران؟ نعم، التقيا في موسكو. ثم غادرا",
            ["هل التقى الوزيران؟", "نعم، التقيا في موسكو.", "ثم غادرا"],
        ),
        (
            "中方表示反对。美方回应！双方同意继续谈判",
            ["中方表示反对。", "美方回应！", "双方同意继续谈判"],
        ),
        ("Он сказал, т.е. подтвердил. Потом ушёл!", ["Он сказал, т.е. подтвердил.", "Потом ушёл!"]),
        (
            "M. Macron a reçu M. Merz. Ils ont parlé.",
            ["M. Macron a reçu M. Merz.", "Ils ont parlé."],
        ),
        ('He said "we agree." Talks went on.', ['He said "we agree."', "Talks went on."]),
        ("«Нет», — сказал он. Всё.", ["«Нет», — сказал он.", "Всё."]),
        (  # a closing quote before the full stop is no initial
            "Damas a salué « un pas positif ». Le chef est venu.",
            ["Damas a salué « un pas positif ».", "Le chef est venu."],
        ),
        ("Песков ответил «нет». Встреча прошла.", ["Песков ответил «нет».", "Встреча прошла."]),
        ("Exports jumped 46.9%. Putin met Xi.", ["Exports jumped 46.9%.", "Putin met Xi."]),
        ("Title line\nBody sentence one. Two", ["Title line", "Body sentence one.", "Two"]),
        ("Growth was 3.5 percent in 2024.", ["Growth was 3.5 percent in 2024."]),
        ("", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_arabic_comma_is_not_a_sentence_end() -> None:
    text = "أكد الوزير، في بيان، أن المحادثات مثمرة."
    assert sentences(text) == [text]


def test_long_sentence_is_cut_at_clause_marks() -> None:
    text = "، ".join(["كلمة " * 20] * 20) + "."
    pieces = split_sentences(text)
    assert len(pieces) > 1
    assert all(b - a <= MAX_SENTENCE_CHARS for a, b in pieces)


@pytest.mark.parametrize(("markup", "text"), [
    # a tag never closed before the next one opens is text, not a tag swallowing the rest
    ("<p>Talks <a\n<a\nresumed", "\nTalks <a\n<a\nresumed"),
    ("<p <p <b>bold</b>", "<p <p bold"),
    ("x <a href='y <a href='z", "x <a href='y <a href='z"),
    ("<!-- never closed <p>text", "<!-- never closed \ntext"),
    # what closes stays markup: a comment holding "<", a tag with a ">" in a value
    ("<!-- <b>old</b> --><p>new</p>", "\nnew\n"),
    ("<a title='a>b'>link</a> after", "link after"),
    ("<p>a < b and c<d</p>", "\na < b and c<d\n"),
])
def test_html_to_text_reads_unclosed_tags_as_text(markup: str, text: str) -> None:
    assert html_to_text(markup) == text


def test_html_to_text_of_broken_markup_keeps_every_character() -> None:
    # html.parser alone spent seconds on this (it scans the rest of the text again for
    # every unclosed "<"): benchmarks/bench_analysis.py --broken-markup measures it
    markup = "<p>" + "<a\n" * 20_000 + "Moscow"
    assert html_to_text(markup) == "\n" + "<a\n" * 20_000 + "Moscow"


def test_html_to_text_drops_control_characters_and_bidi_overrides() -> None:
    from analysis.text import html_to_text
    raw = "<p>safe\x00 \x1b[2Jtext \u202eoverride\u202c \x85next</p>\tand\nlines"
    text = html_to_text(raw)
    assert "safe [2Jtext override next" in text and "lines" in text
    assert not any(c in text for c in "\x00\x1b\u202e\u202c\x85")
    assert html_to_text("&#27;&#x202e;entity") == "entity"  # entities decoded, then dropped


def test_feed_footer_that_repeats_the_title_is_dropped() -> None:
    raw = ("The Kremlin said talks were possible. The post Kremlin says talks possible "
           "appeared first on The Example Times.")
    assert clean_text(raw) == "The Kremlin said talks were possible."
    html = ("<p>Talks were held.</p><p>The post <a href='https://example.org/a'>Talks "
            "held</a> appeared first on <a href='https://example.org'>Example</a>.</p>")
    assert clean_text(html) == "Talks were held."
    assert clean_text("It appeared first on television.") == "It appeared first on television."


def test_a_ligature_spelled_out_by_nfkc_keeps_the_text_within_the_raw_bound() -> None:
    # U+FDFA is 18 characters in NFKC: 100,000 of them were 1.8 million cleaned
    # characters (78 MB to fingerprint), past the bound the raw text is cut to
    cleaned = clean_text("\ufdfa" * 100_000)
    assert MAX_RAW_CHARS - 18 < len(cleaned) <= MAX_RAW_CHARS  # cut, then stripped
    assert cleaned.startswith("صلى الله عليه وسلم")
    assert clean_text("قال \ufdfa") == "قال صلى الله عليه وسلم"


def test_a_run_of_link_titles_between_bars_is_dropped() -> None:
    raw = ("The vote is close. Politics today: Senator visits Ottawa over timber | Minister "
           "says talks with Mexico on hold | Sanctions on Belarus widened | Governor loses "
           "aide. The senator spoke on Monday about the budget and the schedule for next "
           "week.")
    assert clean_text(raw) == (
        "The vote is close. The senator spoke on Monday about the budget and the schedule "
        "for next week."
    )
    short = "Politics | World | Business"  # a short line with bars is kept as it is
    assert clean_text(short) == short


def test_a_hover_card_pasted_into_a_name_is_dropped() -> None:
    raw = ("“It is happening,” said an aide to Sen. Jane Roe Jane Mary RoeRoe, Smith send "
           "greetings to the governor | Treasury sanctions Belarusians over election | "
           "Firm calls off listing MORE (R-Ohio) during the campaign.")
    assert clean_text(raw) == (
        "“It is happening,” said an aide to Sen. Jane Roe Jane Mary Roe (R-Ohio) during "
        "the campaign."
    )
    kept = "He said MORE (sic) than once that McDonald had won."
    assert clean_text(kept) == kept  # no name glued to another word before it


def test_dropping_link_runs_stays_linear_on_long_lines() -> None:
    line = ("abc " * 300 + " | ") * 40  # bars, and no sentence end anywhere
    assert clean_text(line) == ""
