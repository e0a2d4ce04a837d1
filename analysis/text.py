"""Text cleaning and sentence splitting.

``clean_text`` turns feed content (plain text or an HTML fragment) into NFKC-normalised
plain text with one paragraph per line: HTML tags and entities are removed, block
elements become line breaks, and boilerplate lines are dropped (share / copy-link
buttons, cookie notices, bylines, "Source:" / "المصدر:" / "Источник:" / "来源：" lines,
editor credits, bare URLs).

``split_sentences`` returns ``(start, end)`` offsets of sentences in a cleaned text.
Sentences end at ``. ! ? … ؟`` followed by white space, at CJK ``。！？；`` (also their
ASCII forms produced by NFKC inside CJK text), and at line breaks. A full stop after a
known abbreviation ("U.S.", "Mr.", "т.е.", "M.", "Sr.") or before a lower-case letter
does not end a sentence, nor does one between two Han characters (the separator of a
foreign name's parts: "穆罕默德．沙爾曼"). The Arabic comma ``،`` is a clause mark, not a
sentence end.
"""

from __future__ import annotations

import html
import re
import unicodedata
from html.parser import HTMLParser
from typing import NamedTuple

__all__ = [
    "MAX_RAW_CHARS",
    "MAX_SENTENCE_CHARS",
    "CleanFields",
    "clean_fields",
    "clean_text",
    "html_to_text",
    "inert",
    "split_sentences",
]

#: Sentences longer than this are cut at clause marks (; ، ؛ ,) so that evidence stays
#: readable and the per-sentence work stays bounded.
MAX_SENTENCE_CHARS = 600
#: Raw characters of a field that are cleaned (analysis, fingerprints); the rest is
#: ignored, so that work per article stays bounded whatever a feed sends.
MAX_RAW_CHARS = 400_000

_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "table",
        "section",
        "article",
        "header",
        "footer",
        "blockquote",
        "pre",
        "figcaption",
        "dd",
        "dt",
        "aside",
        "nav",
    ]
)
_SKIP_TAGS = frozenset(
    ["script", "style", "noscript", "template", "svg", "button", "form", "iframe"]
)
_TAG_RE = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9]*|/[a-zA-Z][a-zA-Z0-9]*|!--)[^<>]*>?")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


#: A decimal character reference of eight digits or more: html.unescape raises
#: ValueError on one of 4,300 digits or more (the limit of int() on a string), so such
#: references are shortened first to what it reads them as.
_LONG_CHARREF = re.compile(r"&#([0-9]{8,})(;?)")


def _shorten(ref: re.Match[str]) -> str:
    digits = ref.group(1).lstrip("0") or "0"
    return "\ufffd" if len(digits) > 7 else f"&#{digits}{ref.group(2)}"  # > U+10FFFF


def _defuse(markup: str) -> str:
    return _LONG_CHARREF.sub(_shorten, markup) if "&#" in markup else markup


#: A "<" that may open a tag, a comment or a declaration.
_TAG_OPEN = re.compile(r"<(?=[A-Za-z/!?])")


def _escape_unclosed(markup: str) -> str:
    """``markup`` with every "<" that opens a tag not closed before the next "<" (or a
    comment never closed) written as "&lt;", so that it reads as text. html.parser
    scans the rest of the text again for each such "<": broken markup of a few tens of
    kilobytes ("<a\n<a\n…") took it seconds, and the 400,000 characters an article may
    hold about half an hour. Linear: each "<", ">" and "-->" is looked for once."""
    if "<" not in markup:
        return markup
    n = len(markup)
    parts: list[str] = []
    start = pos = 0
    gt = comment_end = -1  # the next ">" and "-->" found so far; n: none left
    while (m := _TAG_OPEN.search(markup, pos)) is not None:
        i = m.start()
        if markup.startswith("<!--", i):
            if comment_end < i:
                comment_end = markup.find("-->", i + 4)
                comment_end = n if comment_end < 0 else comment_end
            if comment_end < n:
                pos = comment_end + 3
                continue
        else:
            if gt < i:
                gt = markup.find(">", i)
                gt = n if gt < 0 else gt
            if gt < n and markup.find("<", i + 1, gt) < 0:
                pos = gt + 1
                continue
        parts.append(markup[start:i])
        parts.append("&lt;")
        start = pos = i + 1
    parts.append(markup[start:])
    return "".join(parts)


def _unescape(text: str) -> str:
    """``html.unescape`` that does not raise on a character reference of thousands of
    digits."""
    return html.unescape(_defuse(text))


def html_to_text(markup: str) -> str:
    """Return the text content of an HTML fragment, block elements as line breaks,
    without control characters (NUL, ESC, C1) or bidirectional overrides, which a feed
    could use to steer a terminal or reorder what a reader sees."""
    markup = _defuse(_escape_unclosed(markup))
    parser = _TextExtractor()
    try:
        parser.feed(markup)
        parser.close()
    except Exception:  # html.parser is lenient; this is a last resort
        return inert(html.unescape(_TAG_RE.sub(" ", markup)))
    return inert("".join(parser.parts))


#: C0 controls but tab and line breaks, DEL and C1, bidi embeddings, overrides and
#: isolates: feed text must not steer a terminal or reorder what a reader sees.
_UNSAFE = dict.fromkeys(
    [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0),
     *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)


def inert(text: str) -> str:
    """``text`` without control characters (tab and line breaks kept) and bidirectional
    overrides."""
    return text.translate(_UNSAFE)


_URL_RE = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_BARE_URL_LINE = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$", re.IGNORECASE)
_SOURCE_LINE = re.compile(
    r"^\s*(?:source|sources|credit|photo|المصدر|مصدر|источник|джерело|fuente|fuentes|"
    r"source|来源|來源|责任编辑|責任編輯|编辑|quelle|kaynak|منبع)\s*[:：]",
    re.IGNORECASE,
)
#: Matched against the lower-cased line (case-insensitive matching is slow on Unicode).
_BOILERPLATE_PHRASES = re.compile(
    r"انسخ الرابط|نسخ الرابط|ملفات تعريف الارتباط|"
    r"copy link|copy the link|share this|share on|cookies?\b|скопировать ссылку|"
    r"файлы cookie|copier le lien|copiar enlace|分享到|复制链接|link kopieren|"
    r"read more:|lire aussi|leer más|читайте также|اقرأ أيضا|相关阅读"
)
#: Words that are boilerplate only when they make up (almost) the whole line.
_SHORT_BOILERPLATE = re.compile(
    r"^(?:share|tweet|print|email|شارك|مشاركة|موافق|طباعة|поделиться|partager|imprimer|"
    r"compartir|imprimir|分享|打印|teilen|drucken|paylaş|ok|accept|accepter|aceptar)\b",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^\s*(?:by|par|por|von|автор|بقلم|记者)\s+[^\n.!?]{2,60}$", re.IGNORECASE)
#: The WordPress feed footer that repeats the title: "The post <title> appeared first on
#: <site>." (a tentative title's "possible" is then read without its headline).
_FEED_FOOTER = re.compile(r"\s*\bThe post .{0,400}? appeared first on .{0,160}$")
#: A politician's hover card pasted into the text where the name is linked: the full
#: name glued to headlines of other stories, up to "MORE" ("Sen. Ted Cruz Rafael (Ted)
#: Edward CruzCruz, Graham send… | Treasury sanctions Russians… MORE (R-Texas)").
_MEMBER_CARD = re.compile(r"(?<=[a-z])(?=[A-Z])[^\n]{0,400}? MORE(?= \()")
#: A sentence end inside a line: the point after which the next sentence starts.
_SENTENCE_END = re.compile(r"[.!?](?=\s)")
_SPACES = re.compile(
    r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]{2,}|[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]"
)
_ODD_SPACE = re.compile(r"[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")
#: Full-width ASCII forms folded before the (costly) NFKC check; the ideographic
#: full stop 。 is left alone.
_FULLWIDTH = {chr(cp): chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH["\u3000"] = " "
_HAS_FULLWIDTH = re.compile("[\uff01-\uff5e\u3000]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_LOOKS_HTML = re.compile(r"<(?:p|div|br|span|a|li|h[1-6]|script|style|img|html|body)\b", re.I)


#: The Latin-1 characters that NFKC leaves as they are. None of them composes with
#: another: a Latin-1 text is NFKC-normalised if all its characters are these.
_NFKC_LATIN1 = bytes(i for i in range(256) if unicodedata.is_normalized("NFKC", chr(i)))


def _nfkc_normalized(text: str) -> bool:
    """``unicodedata.is_normalized("NFKC", text)``; Latin-1 text by deleting its
    NFKC-stable bytes."""
    try:
        data = text.encode("latin-1")
    except UnicodeEncodeError:
        return unicodedata.is_normalized("NFKC", text)
    return not data.translate(None, _NFKC_LATIN1)


#: The Latin-1 characters that str.isprintable accepts, and the line break.
_PRINTABLE_LATIN1 = bytes(i for i in range(256) if chr(i).isprintable() or chr(i) == "\n")


def _printable(text: str) -> bool:
    """``text.replace("\n", " ").isprintable()``; Latin-1 text by deleting its printable
    bytes (a table look-up per character, not a Unicode database one)."""
    try:
        data = text.encode("latin-1")
    except UnicodeEncodeError:
        return text.replace("\n", " ").isprintable()
    return not data.translate(None, _PRINTABLE_LATIN1)


#: _BARE_URL_LINE, _SOURCE_LINE and _BYLINE in one match (alternatives are tried in
#: this order: the byline group matched only when the other two did not).
_LINE_START = re.compile(
    f"(?:{_BARE_URL_LINE.pattern})|(?:{_SOURCE_LINE.pattern})|(?P<byline>{_BYLINE.pattern})",
    re.IGNORECASE,
)
assert _BARE_URL_LINE.flags == _SOURCE_LINE.flags == _BYLINE.flags == _LINE_START.flags


def _drop_link_run(line: str) -> str:
    """``line`` without its run of link titles separated by " | " ("Trump turns up heat
    on Apple | Mnuchin says… | Dems seek briefing on Iranian cyber threats"), from the
    sentence that holds the first bar to the end of the sentence that holds the last."""
    parts = line.split(" | ")
    ends = list(_SENTENCE_END.finditer(parts[0]))
    head = parts[0][: ends[-1].end()] if ends else ""
    end = _SENTENCE_END.search(parts[-1])
    tail = parts[-1][end.end() :] if end else ""
    return " ".join(f"{head} {tail}".split())


def _is_boilerplate(line: str) -> bool:
    start = _LINE_START.match(line)
    if start is not None and start.group("byline") is None:
        return True  # a bare URL or a "Source:" line
    if _BOILERPLATE_PHRASES.search(line.lower()):
        return True
    if len(line) <= 30 and _SHORT_BOILERPLATE.match(line):
        return True
    return start is not None and len(line) <= 60  # a byline


class CleanFields(NamedTuple):
    """A document's title (on one line) and body as the analysis and the near-duplicate
    fingerprint read them: :func:`clean_fields` of its raw title and text."""

    title: str
    body: str


def clean_fields(title: str, text: str) -> CleanFields:
    """Clean a document's title and text once for every reader (each field cut at
    ``MAX_RAW_CHARS`` first)."""
    return CleanFields(clean_text(title[:MAX_RAW_CHARS]).replace("\n", " "),
                       clean_text(text[:MAX_RAW_CHARS]))


def clean_text(raw: str) -> str:
    """Return normalised plain text for ``raw`` (plain text or HTML)."""
    if not raw:
        return ""
    text = raw
    if "<" in text and _LOOKS_HTML.search(text):
        text = html_to_text(text)
    elif "&" in text:
        text = _unescape(text)
    # NFKC text holds no full-width forms, so the common case costs one check
    if not text.isascii() and not _nfkc_normalized(text):
        for wide in set(_HAS_FULLWIDTH.findall(text)):  # one replace per character
            text = text.replace(wide, _FULLWIDTH[wide])
        if not unicodedata.is_normalized("NFKC", text):
            # a ligature NFKC spells out (U+FDFA is 18 characters) would let the
            # text grow past the bound its raw form was cut to
            text = unicodedata.normalize("NFKC", text)[:MAX_RAW_CHARS]
    # Control characters, "\r", line / paragraph separators and odd spaces are all
    # non-printable: text without them (line breaks aside) skips their regexes.
    if _printable(text):
        if "  " in text:
            text = _SPACES.sub(" ", text)
    else:
        text = _CONTROL.sub(" ", text).replace("\r\n", "\n").replace("\r", "\n")
        text = text.replace("\u2028", "\n").replace("\u2029", "\n")
        if "  " in text or _ODD_SPACE.search(text):
            text = _SPACES.sub(" ", text)
    lines = []
    urls = "http" in text or "www." in text  # else no line holds one
    cards = " MORE (" in text
    bars = " | " in text
    for line in text.split("\n"):
        line = line.strip()
        if not line or (len(line) <= 120 and _is_boilerplate(line)):
            continue
        if urls and ("http" in line or "www." in line):
            line = _URL_RE.sub(" ", line).strip()
            if not line:
                continue
        if cards and " MORE (" in line:
            line = _MEMBER_CARD.sub("", line)
        if bars and len(line) > 200 and line.count(" | ") >= 2:
            line = _drop_link_run(line)
            if not line:
                continue
        if "appeared first on" in line:
            line = _FEED_FOOTER.sub("", line).strip()
            if not line:
                continue
        lines.append(line)
    return "\n".join(lines)


_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "sr",
        "sra",
        "srta",
        "dña",
        "jr",
        "vs",
        "etc",
        "gen",
        "col",
        "lt",
        "maj",
        "capt",
        "cmdr",
        "adm",
        "sen",
        "rep",
        "gov",
        "pres",
        "amb",
        "hon",
        "rt",
        "sem",  # "SEM. Hamid Cahabar": Son Excellence Monsieur
        "no",
        "nos",
        "vol",
        "fig",
        "art",
        "approx",
        "inc",
        "ltd",
        "co",
        "corp",
        "dept",
        "est",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mm",
        "mme",
        "mlle",
        "m",
        "p",
        "pp",
        "cf",
        "ibid",
        "al",
        "u.s",
        "u.k",
        "u.n",
        "e.g",
        "i.e",
        "т.е",
        "т.к",
        "т.д",
        "т.п",
        "г",
        "гг",
        "им",
        "ул",
        "др",
        "пр",
        "стр",
        "см",
        "тыс",
        "млн",
        "млрд",
        "проф",
        "акад",
        "ген",
    ]
)
#: Characters that may end a sentence. They are found with ``str.find`` (a character
#: class regex costs several times more per character of text).
_SENT_END_CHARS = ".!?…؟。！？；;\n"
_CLOSERS = frozenset("\"'»”’)]」』")
_CJK_END = frozenset("。！？；")
_CLAUSE = re.compile(r"[;؛،,]\s")


def _is_han(c: str) -> bool:
    return "\u3400" <= c <= "\u9fff"


def _abbreviation_before(text: str, dot: int) -> bool:
    if dot >= 7 and text[dot - 7 : dot].isalpha():
        return False  # a word of seven letters or more is no abbreviation here
    # the word starts after the last space, line break or "(" before the dot: looked
    # for in the few characters before it first (three bounded str.rfind calls cost
    # more than this)
    lo = dot - 16 if dot > 16 else 0
    head, sep, _ = text[lo:dot].replace("\n", " ").replace("(", " ").rpartition(" ")
    if sep:
        start = lo + len(head) + 1
    elif lo == 0:
        start = 0
    else:
        space = text.rfind(" ", 0, dot)
        start = max(space, text.rfind("\n", space + 1, dot), text.rfind("(", space + 1, dot)) + 1
    word = text[start:dot].lower().strip(".\"'«“(»”’)")
    if not word:
        return False  # a closing quote or bracket: « un pas positif ». Le chef…
    if word in _ABBREVIATIONS:
        return True
    if len(word) == 1:  # an initial ("J."), but not a one-letter given name ("Ван И.")
        return text[max(0, start - 4) : start + 1].lower() not in _ONE_LETTER_NAMES
    # dotted acronyms: "U.S.", "E.U."; not a figure ("46.9%.")
    return "." in word and all(len(p) <= 2 and not p[:1].isdigit() for p in word.split("."))


#: Names whose given name is one letter, as Russian writes them: Wang Yi.
_ONE_LETTER_NAMES = frozenset({"ван и"})


#: What may stand between a full stop and the lower-case letter that continues the
#: sentence.
_BEFORE_LOWER = " \t\"'«“‘("


def _end_positions(text: str) -> list[int]:
    """Sorted offsets of the sentence-ending characters of ``text``."""
    positions: list[int] = []
    find = text.find
    for c in _SENT_END_CHARS:
        if c in text:  # most are absent: "in" costs less than a str.find call
            i = find(c)
            while i >= 0:
                positions.append(i)
                i = find(c, i + 1)
    positions.sort()
    return positions


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Split cleaned text into sentence offsets ``(start, end)``, stripped of spaces."""
    bounds: list[tuple[int, int]] = []
    start = 0
    n = len(text)
    positions = _end_positions(text)
    count = len(positions)
    k = 0
    while k < count:  # each maximal run of sentence-ending characters
        run_start = run_end = positions[k]
        k += 1
        run_end += 1
        while k < count and positions[k] == run_end:
            k += 1
            run_end += 1
        first = text[run_start]
        if first == "\n":
            newline = run_start
        elif run_end - run_start > 1:
            newline = text.find("\n", run_start + 1, run_end)
        else:
            newline = -1
        if newline >= 0:  # the sentence ends at the line break, the next one after the run
            stop, resume = newline, run_end
        else:
            after = run_end
            while after < n and text[after] in _CLOSERS:
                after += 1
            if first not in _CJK_END:
                cjk_before = run_start > 0 and _is_han(text[run_start - 1])
                if first == ";" and not cjk_before:
                    continue
                if not cjk_before and after < n and not text[after].isspace():
                    continue
                if cjk_before and first == "." and after < n and _is_han(text[after]):
                    continue  # a name's separator between Han characters: "穆罕默德．沙爾曼"
                if first == "." and run_end == run_start + 1:
                    if _abbreviation_before(text, run_start):
                        continue
                    i = after  # a lower-case letter next (quotes and brackets aside)
                    while i < n and text[i] in _BEFORE_LOWER:
                        i += 1
                    if i < n and text[i].islower():
                        continue
            stop = resume = after
        # _add, inline for a sentence of the usual length
        lo, hi = start, stop
        while lo < hi and text[lo].isspace():
            lo += 1
        while hi > lo and text[hi - 1].isspace():
            hi -= 1
        if hi - lo > MAX_SENTENCE_CHARS:
            _add(text, lo, hi, bounds)
        elif hi > lo:
            bounds.append((lo, hi))
        start = resume
    _add(text, start, n, bounds)
    return bounds


def _add(text: str, start: int, end: int, bounds: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        return
    if end - start <= MAX_SENTENCE_CHARS:
        bounds.append((start, end))
        return
    # over-long sentence: cut at clause marks (or hard limit) into bounded pieces
    piece_start = start
    while end - piece_start > MAX_SENTENCE_CHARS:
        window_end = piece_start + MAX_SENTENCE_CHARS
        cut = -1
        for m in _CLAUSE.finditer(text, piece_start + MAX_SENTENCE_CHARS // 3, window_end):
            cut = m.end()
        if cut <= piece_start:
            cut = text.rfind(" ", piece_start + 1, window_end)
            if cut <= piece_start:
                cut = window_end
        bounds.append((piece_start, cut))
        piece_start = cut
        while piece_start < end and text[piece_start].isspace():
            piece_start += 1
    if piece_start < end:
        bounds.append((piece_start, end))
