"""Offset-preserving text normalisation and pattern normalisation per script and language.

One character map serves every language, so a document and the gazetteer patterns are
folded the same way:

* all scripts: lower case (Turkish ``İ`` → ``i``), typographic apostrophes → ``'``,
  dashes → ``-``, soft hyphens and zero-width marks removed;
* Latin: accents stripped (``é`` → ``e``, ``ç`` → ``c``, Turkish ``ı`` → ``i``);
  French/Italian elision (``l'``, ``d'``, ``qu'``) and Turkish apostrophe suffixes
  (``Rusya'nın``) need no rewriting: the apostrophe is a word boundary for the matcher;
* Cyrillic: ``ё`` → ``е``;
* Arabic script: tashkeel and tatweel removed, ``أ إ آ ٱ`` → ``ا``, ``ى`` → ``ي``,
  ``ة`` → ``ه``, ``ؤ`` → ``و``, ``ئ`` → ``ي``, Persian ``ی`` → ``ي`` and ``ک`` → ``ك``,
  ZWNJ → space (so Persian ``تحریم‌ها`` splits into stem and plural suffix).

Chinese text in Traditional characters is read in Simplified ones before any of this
(:func:`simplified`, character for character, so offsets stay): the lexicons and the
gazetteer are written in Simplified Chinese.

Only deletions change offsets; when a text contains characters to delete, the result
carries an index map back to the original offsets.

Arabic clitics (``و ف ب ل ك`` and the article ``ال`` / ``لل``) are handled by the
matcher: patterns are stored without their article (:func:`pattern_key`) and a match
may be preceded inside its word by an allowed clitic prefix (:data:`ARABIC_PREFIXES`).
Russian, Ukrainian, German, Turkish and Persian inflection is handled by matching
Snowball stems (PyStemmer) as prefixes with a bounded ending (:func:`stem`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files

import Stemmer

__all__ = [
    "ARABIC_PREFIXES",
    "LANG_SCRIPT",
    "NormText",
    "casing",
    "has_article",
    "normalize",
    "normalize_token",
    "pattern_key",
    "script_of",
    "stem",
]

LANG_SCRIPT: dict[str, str] = {
    "en": "latin",
    "es": "latin",
    "fr": "latin",
    "de": "latin",
    "tr": "latin",
    "ru": "cyrillic",
    "uk": "cyrillic",
    "ar": "arabic",
    "fa": "arabic",
    "zh": "han",
}

_STEMMER_NAMES = {
    "en": "english",
    "es": "spanish",
    "fr": "french",
    "de": "german",
    "tr": "turkish",
    "ru": "russian",
    "uk": "russian",
    "ar": "arabic",
    "fa": "persian",
}


#: Traditional characters whose OpenCC candidates include themselves, read in their
#: usual Simplified form all the same (於 → 于 in 關於, 徵 → 征 in 象徵).
_HANT_USUAL = {"於": "于", "徵": "征"}


@cache
def _hant_table() -> tuple[dict[int, int], frozenset[str]]:
    """Traditional Chinese characters to their Simplified forms, one for one, from
    OpenCC's character table (package opencc-python-reimplemented, which ships it),
    and the set of them (a set test is faster than a regex over a large class). Left
    as they are: characters that are also written in Simplified text (their candidates
    include themselves: 乾, 著, 瞭) and characters that are another's Simplified form
    (so no Simplified text changes)."""
    source = files("opencc") / "dictionary" / "TSCharacters.txt"
    pairs: dict[str, str] = {}
    for line in source.read_text(encoding="utf-8").splitlines():
        hant, _, candidates = line.partition("\t")
        options = candidates.split()
        if len(hant) == 1 and options and hant not in options and len(options[0]) == 1:
            pairs[hant] = options[0]
    pairs.update(_HANT_USUAL)
    targets = set(pairs.values())
    table = {ord(k): ord(v) for k, v in pairs.items() if k not in targets}
    return table, frozenset(map(chr, table))


def simplified(text: str) -> str:
    """``text`` with its Traditional Chinese characters in Simplified form (臺灣外交部
    → 台湾外交部), character for character: offsets are the same in both."""
    table, hant = _hant_table()
    if hant.isdisjoint(text):
        return text
    return text.translate(table)


def script_of(lang: str) -> str:
    """Return the script family of a supported language code (``latin`` by default)."""
    return LANG_SCRIPT.get(lang, "latin")


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    # Latin-1 to Latin Extended-B, and Latin Extended Additional (Vietnamese: "Việt Nam")
    for cp in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
        ch = chr(cp)
        decomposed = unicodedata.normalize("NFD", ch)
        base = decomposed[0]
        if len(decomposed) > 1 and base.isascii() and base.isalpha():
            table[cp] = base.lower()
    table.update(
        {
            ord("ı"): "i",
            ord("ø"): "o",
            ord("đ"): "d",
            ord("ł"): "l",
            ord("æ"): "e",
            ord("œ"): "e",
            ord("’"): "'",
            ord("‘"): "'",
            ord("ʼ"): "'",
            ord("`"): "'",
            ord("´"): "'",
            ord("‐"): "-",
            ord("‑"): "-",
            ord("‒"): "-",
            ord("–"): "-",
            ord("—"): "-",
            ord("ё"): "е",
            ord("أ"): "ا",
            ord("إ"): "ا",
            ord("آ"): "ا",
            ord("ٱ"): "ا",
            ord("ى"): "ي",
            ord("ة"): "ه",
            ord("ؤ"): "و",
            ord("ئ"): "ي",
            ord("ی"): "ي",
            ord("ک"): "ك",
            ord("ۀ"): "ه",
            ord("ە"): "ه",
            ord("\u200c"): " ",
        }
    )
    return table


_TABLE_DICT = _build_table()
#: A list indexed by code point is about twice as fast as a dict for str.translate;
#: code points past its end are left unchanged (IndexError counts as "no mapping").
_TABLE: list[str] = [chr(i) for i in range(max(_TABLE_DICT) + 1)]
for _cp, _repl in _TABLE_DICT.items():
    _TABLE[_cp] = _repl
_FOLD_MAP: dict[str, str] = {chr(k): v for k, v in _TABLE_DICT.items()}
#: No replacement contains a mapped character, so the characters of a text can be
#: replaced one after the other.
assert not any(ch in _FOLD_MAP for v in _FOLD_MAP.values() for ch in v)

_DELETE_CHARS = "\u064b-\u065f\u0670\u0640\u00ad\u200b\u200d\u200e\u200f\u2060\ufeff"
_DELETE_RE = re.compile(f"[{_DELETE_CHARS}]")
_KEEP_RUN = re.compile(f"[^{_DELETE_CHARS}]+")
_DELETED = frozenset(map(chr, range(0x064B, 0x0660))) | frozenset(
    "\u0670\u0640\u00ad\u200b\u200d\u200e\u200f\u2060\ufeff"
)
#: Every character that folding changes or deletes (disjoint sets).
_SPECIAL_RE = re.compile(
    "[" + "".join(re.escape(k) for k in sorted(_FOLD_MAP)) + _DELETE_CHARS + "]"
)
assert _DELETED.isdisjoint(_FOLD_MAP)
assert not any(ch in _DELETED for v in _FOLD_MAP.values() for ch in v)


def _fold_chars(text: str, chars: set[str]) -> str:
    """Apply the character map to ``text`` whose mapped characters are among ``chars``:
    one ``str.replace`` per distinct character (a per-match regex callback costs more)."""
    for ch in chars:
        repl = _FOLD_MAP.get(ch)
        if repl is not None:
            text = text.replace(ch, repl)
    return text


def _fold_all(text: str) -> str | None:
    """Apply the character map to ``text``, or None if it holds a character to delete
    (offsets change: see normalize). One str.replace per distinct character, each found
    by a regex search from where the previous one was: no replacement holds a mapped
    character, so none is found twice (findall would build a string per occurrence)."""
    pos = 0
    while (found := _SPECIAL_RE.search(text, pos)) is not None:
        ch = found.group()
        repl = _FOLD_MAP.get(ch)
        if repl is None:
            return None
        text = text.replace(ch, repl)
        pos = found.start()
    return text


def _fold(text: str) -> str:
    """Apply the character map (str.translate on ASCII: its fast path)."""
    if text.isascii():
        return text.translate(_TABLE)
    return _fold_chars(text, set(_SPECIAL_RE.findall(text)))


@dataclass(frozen=True, slots=True)
class NormText:
    """A normalised text; ``index[i]`` is the original offset of character ``i``."""

    text: str
    index: tuple[int, ...] | None = None

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` span of the normalised text back to the original."""
        if self.index is None:
            return start, end
        if start >= len(self.index):
            return len(self.index), len(self.index)
        return self.index[start], self.index[end - 1] + 1 if end > start else self.index[start]


def _lower(text: str) -> str:
    if "İ" in text:
        text = text.replace("İ", "i")
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c.lower()[:1] or c for c in text)
    return low


#: Latin-1 characters lower-case to single Latin-1 characters, and fold to single
#: characters: Latin-1 text is lower-cased and folded at once with bytes.translate, at
#: a fraction of the cost of str.lower and a regex scan for the characters to fold.
_LOWER_FOLD_LATIN1 = bytes(ord(_FOLD_MAP.get(chr(i).lower(), chr(i).lower())) for i in range(256))
#: The Latin-1 characters that folding deletes (the soft hyphen).
_DELETED_LATIN1 = bytes(sorted(ord(c) for c in _DELETED if ord(c) < 256))
assert len(_DELETED_LATIN1) == 1


def normalize(text: str) -> NormText:
    """Fold ``text`` for matching; see the module docstring."""
    if not text.isascii():
        try:
            data = text.encode("latin-1")
        except UnicodeEncodeError:
            pass
        else:
            if _DELETED_LATIN1 not in data:
                return NormText(data.translate(_LOWER_FOLD_LATIN1).decode("latin-1"))
    low = _lower(text)
    if low.isascii():
        return NormText(low.translate(_TABLE))
    folded = _fold_all(low)
    if folded is not None:
        return NormText(folded)
    folded = _fold_chars(low, set(_SPECIAL_RE.findall(low)))
    keep: list[int] = []
    for run in _KEEP_RUN.finditer(folded):
        keep.extend(range(run.start(), run.end()))
    return NormText(_DELETE_RE.sub("", folded), tuple(keep))


def casing(line: str) -> str | None:
    """``"upper"`` for an all-capitals line of two words or more ("PUTIN HOLDS TALKS
    WITH XI"), ``"title"`` for a line of three words or more of four letters or more,
    all capitalised ("China And India Hold Border Talks", not "Jordan Henderson joins
    Brentford"), else None: in either style a capital letter says nothing about a word
    being a name or an acronym."""
    if line.isupper():
        return "upper" if sum(1 for w in line.split() if w.isupper()) >= 2 else None
    long_words = 0
    for word in line.split():
        if len(word) >= 4 and word[0].isalpha():
            if not word[0].isupper():
                if word in _TITLE_LOWER_WORDS:
                    continue
                return None
            long_words += 1
    return "title" if long_words >= 3 else None


#: Words of four letters or more that Title Case styles may leave in lower case.
_TITLE_LOWER_WORDS = frozenset(
    ("with", "from", "into", "over", "onto", "upon", "amid", "than", "that", "after", "pour",
     "dans", "avec", "sans", "sous", "vers", "chez", "entre", "contre", "para", "desde",
     "hasta", "sobre", "tras", "contra")
)


def normalize_token(text: str) -> str:
    """Fold a pattern or token the same way as :func:`normalize` (offsets dropped)."""
    return _DELETE_RE.sub("", _fold(_lower(text)))


#: Arabic clitic sequences allowed before a pattern inside the same word:
#: optional conjunction (و ف), optional preposition (ب ل ك), optional article (ال),
#: the contraction ل + ال → لل, and the future marker س on verbs.
ARABIC_PREFIXES: frozenset[str] = (
    frozenset(c + p + a for c in ("", "و", "ف") for p in ("", "ب", "ل", "ك") for a in ("", "ال"))
    | frozenset({"لل", "ولل", "فلل"})
    | frozenset({"س", "وس", "فس"})  # future marker on verbs: سيلتقي، ستفرض
)


def pattern_key(pattern: str, script: str) -> str:
    """Return the normalised matching key of a gazetteer or lexicon pattern.

    Arabic-script patterns lose a leading article (``الصين`` → ``صين``) so that one key
    matches ``الصين``, ``والصين``, ``بالصين`` and ``للصين`` through the clitic prefixes.
    """
    key = " ".join(normalize_token(pattern).split())
    if script == "arabic" and has_article(pattern) and len(key) >= 5:
        key = key[2:]
    return key


def has_article(pattern: str) -> bool:
    """True if an Arabic pattern starts with the article ال (not إل / أل of a stem)."""
    return pattern.lstrip().startswith("ال")


@cache
def _stemmer(lang: str) -> Stemmer.Stemmer | None:
    name = _STEMMER_NAMES.get(lang)
    return Stemmer.Stemmer(name) if name else None


@lru_cache(maxsize=65536)
def stem(word: str, lang: str) -> str:
    """Snowball stem of an already normalised word (identity where no stemmer exists)."""
    stemmer = _stemmer(lang)
    if stemmer is None:
        return word
    if lang == "ar" and len(word) > 3 and word[0] in "وف":
        word = word[1:]  # Snowball keeps a bare conjunction: والصين → والص
    result: str = stemmer.stemWord(word)
    return result
