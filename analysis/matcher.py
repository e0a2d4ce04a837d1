"""Multi-pattern matching with word boundaries, built on Aho-Corasick automata.

Every gazetteer and lexicon entry is compiled to a :class:`Payload` under a normalised
key (:func:`analysis.normalization.pattern_key`). One automaton per language holds the
entries of that language plus the script-shared ones (person and place names), and
one case-sensitive automaton over the un-normalised text holds acronyms (``=US``).

A raw automaton hit is kept only if it sits on word boundaries:

* left: the previous character is not a word character, or — Arabic script only —
  the characters between the word start and the hit are an allowed clitic prefix
  (``و ف ب ل ك ال لل`` and combinations);
* right: the word continuation after the key is allowed by the payload: one of a set
  of endings (inflection, plural, Arabic nisba endings) or, for stem patterns, any
  ending up to a bounded length;
* Han characters need no boundary; Latin words inside Chinese text still do.

Pattern syntax in the data files::

    Russia        language-default endings (see DEFAULT_ENDINGS)
    sanction*     stem: any word continuation up to 12 characters
    Mali$         exact word, no ending
    =US           case-sensitive exact word, matched on the original text

In all-capitals lines (``capitals`` of :meth:`PatternSet.find_document`) a
case-sensitive key with lower-case letters is matched in capitals too (``=Xi`` as
``XI``), and the acronyms of :data:`CAPITALS_WORDS`, common words of the language
written in capitals ("UN" in French and Spanish), are not matched.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from operator import itemgetter
from typing import Final, NamedTuple

import ahocorasick

from .normalization import (
    ARABIC_PREFIXES,
    NormText,
    has_article,
    normalize,
    pattern_key,
    script_of,
    stem,
)

__all__ = ["CAPITALS_WORDS", "CASE_ONLY_NAMES", "ContextHits", "Kind", "Match", "PatternSet",
           "Payload"]


class Kind:
    """Payload kinds (plain strings, grouped here as constants; ``Final``, so that the
    compiled core reads them as class constants, not as instance attributes)."""

    COUNTRY: Final = "country"  # a country name
    DEMONYM: Final = "demonym"  # an adjective/demonym: Russian, الروسي, российский
    METONYM: Final = "metonym"  # capital city: Moscow, بكين
    SEAT: Final = "seat"  # seat of power: Kremlin, White House, الإليزيه
    COMBINING: Final = "combining"  # combining form in compounds: Sino-, российско-
    COMPOUND: Final = "compound"  # zh two-country compounds: 中俄 → value "CN RU"
    PLACE: Final = "place"  # a city, province or well-known place
    PERSON: Final = "person"  # an office-holder; value = person id
    ORG: Final = "org"
    REGION: Final = "region"
    TOPIC: Final = "topic"  # a watchlist topic
    TRIGGER: Final = "trigger"  # meeting expression; value = modality
    COUNTERPART: Final = "counterpart"
    OFFICIAL: Final = "official"  # role nouns: minister, president, وزير, министр
    NEGATION: Final = "negation"  # cancelled / denied / no meeting planned; value "proposal":
    # proposed / offered / refused talks (only right before a meeting expression)
    NONSTATE: Final = "nonstate"  # opposition, rebels, party, former: no state party nearby
    SUMMIT: Final = "summit"  # multilateral gathering
    SIDELINES: Final = "sidelines"  # on the sidelines / bilateral
    TOPIC_CUE: Final = "topic_cue"  # discussed / crisis / situation: later mentions are topics
    SANCTION: Final = "sanction"
    STANCE: Final = "stance"  # value = impose|threaten|condemn|lift
    SPORT: Final = "sport"  # sports / disciplinary / judicial context
    APPROVE: Final = "approve"  # "sanction" in the approve/enact sense
    JUDICIAL: Final = "judicial"  # courts, fines, prison: penalties, not sanctions
    MEDIATION: Final = "mediation"  # mediated by / بوساطة: later actors are mediators
    DUAL: Final = "dual"  # "the two sides": parties named in earlier sentences

    ENTITY_KINDS: Final = frozenset(
        {COUNTRY, DEMONYM, METONYM, SEAT, COMBINING, COMPOUND, PLACE, PERSON, ORG, REGION}
    )
    #: Kinds matched over the whole text; the others ("context" cues) are matched only
    #: in sentences that need them (meeting or sanctions sentences, title, lead).
    CORE_KINDS: Final = ENTITY_KINDS | {TOPIC, TRIGGER, SANCTION}


DEFAULT_ENDINGS: dict[str, frozenset[str]] = {
    "en": frozenset({"", "s", "es"}),
    "fr": frozenset({"", "s", "x", "e", "es"}),
    "es": frozenset({"", "s", "es"}),
    "de": frozenset({"", "s", "es", "n", "en", "e", "er", "em", "ern"}),
    "tr": frozenset({"", "ya", "ye", "yi", "da", "de", "ta", "te", "nin", "nın", "in", "ın"}),
    "ar": frozenset({""}),
    "fa": frozenset({"", "ي", "ها", "هاي", "اي"}),
}
_ARABIC_NISBA_ENDINGS = frozenset({"", "ه", "ين", "ون", "ان", "تين", "تان"})
_ARABIC_WORD_ENDINGS = frozenset({"", "ه", "ها", "هما", "هم", "ات", "ان", "ين", "ون", "يه"})
_SLAVIC_ENDINGS_BY_FINAL: dict[str, frozenset[str]] = {
    "ия": frozenset({"ия", "ии", "ию", "ией", "иею"}),
    "ія": frozenset({"ія", "ії", "ію", "ією"}),  # Ukrainian: Норвегія, Норвегії
    "а": frozenset({"а", "ы", "и", "і", "е", "у", "ой", "ою"}),
    "я": frozenset({"я", "и", "е", "ю", "ей"}),
    # "і": the Ukrainian locative ("в Катарі", "в Азербайджані")
    "": frozenset({"", "а", "у", "е", "і", "ом", "ым", "ем", "ой"}),
    "й": frozenset({"й", "я", "ю", "е", "ем", "ї", "єм"}),  # Китай, Китаю; Ukrainian Китаї
}
#: The last letters of Cyrillic names that do not decline (foreign names in -о, -у, -и,
#: -э, -ю); "-ии" is a case of a name in "-ия" ("Калифорнии"), "-йи" a plural that
#: declines ("Гавайи", "на Гавайях").
_INDECLINABLE_FINALS = frozenset("оуиэю")
_CYRILLIC_VOWELS = "аеёиоуыэюяьйії"
_MAX_STEM_EXTRA = 12
#: Arabic words that a clitic split would misread (و+زار+ه "ministry", ل+قمة "morsel",
#: ب+ليون "billion", not "in Lyon"; لل+بحث "to search for", "للبحث عن", more often than
#: "to discuss"; ال+مشهد "the scene", not Mashhad).
ARABIC_STOPWORDS: frozenset[str] = frozenset(
    {
        "بليون",
        "بليونا",
        "بليونات",
        "وزاره",
        "الوزاره",
        "بوزاره",
        "لوزاره",
        "وزارات",
        "الوزارات",
        "لقمه",
        "ولقمه",
        "بلقمه",
        "والي",
        "لكن",
        "ولكن",
        "بين",
        "وبين",
        "كما",
        "لما",
        "فيما",
        "وفي",
        "بعد",
        "وبعد",
        "للبحث",
        "المشهد",
        "والمشهد",
        "بالمشهد",
        "للمشهد",
        "فالمشهد",
    }
)
_CJK_START, _CJK_END = 0x3000, 0x9FFF
_WORD_RUN = re.compile(r"[^\W_\u3000-\u9fff]*")


#: Han-script text and keys are matched in a two-characters-per-character encoding
#: (the high and low byte of each UTF-16 code unit, as Latin-1 characters):
#: pyahocorasick looks children up linearly, and a root with a thousand Han children
#: made matching ten times slower. A hit that starts on a low byte is no match.
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


#: Case-sensitive keys (acronyms, "Xi", "Nato") all contain two capitals in a row or
#: one of these words; text without them needs no case-sensitive scan. (Written to
#: start with a character class, which the regex engine searches for quickly.)
_CAPITALS = "A-ZА-ЯЁЄІЇҐŞİÇĞÖÜ"
_ACRONYM_HINT = re.compile(f"[{_CAPITALS}](?:[{_CAPITALS}0-9.+-]|(?<=X)i|(?<=N)ato|(?<=R)s)")
#: Latin-1 characters by their part in _ACRONYM_HINT: "A" a capital, "0" a character
#: that may only follow one, " " any other.
_HINT_CLASSES_LATIN1 = bytes(
    ord("A" if re.fullmatch(f"[{_CAPITALS}]", c) else "0" if re.fullmatch("[0-9.+-]", c) else " ")
    for c in map(chr, range(256))
)


#: Case-sensitive keys that an all-capitals line of the language spells as a common
#: word: French "UN ACCORD", "AU SÉNÉGAL", "IL A EU", "L'EAU"; Spanish "UN ACUERDO".
CAPITALS_WORDS: dict[str, frozenset[str]] = {
    "fr": frozenset({"UN", "AU", "EU", "EAU"}),
    "es": frozenset({"UN"}),
}


#: Names matched only with a capital letter whose word is, in the same form, a common
#: word of the language (Russian "того" Togo / "of that", Spanish "duda" Duda /
#: "doubt", French "vienne" Vienna / "may come"): in an all-capitals or Title Case line
#: the capital says nothing, and the common word is the likelier reading.
CASE_ONLY_NAMES: dict[str, frozenset[str]] = {
    "ru": frozenset({"того", "суда", "пала", "само", "тока", "мила", "кита"}),
    "es": frozenset({"duda", "sana", "tigre"}),
    "fr": frozenset({"vienne", "tigre"}),
}


def _acronym_hint(text: str) -> bool:
    """``_ACRONYM_HINT.search(text)`` as a bool. Latin-1 text is checked by mapping its
    bytes to character classes (much cheaper than the regex scan of every character)."""
    try:
        data = text.encode("latin-1")
    except UnicodeEncodeError:
        return _ACRONYM_HINT.search(text) is not None
    classes = data.translate(_HINT_CLASSES_LATIN1)
    return (
        b"AA" in classes
        or b"A0" in classes
        or "Xi" in text
        or "Nato" in text
        or "Rs" in text
    )


def han_encode(text: str) -> str:
    """Two-character encoding of ``text`` (astral characters become U+FFFD first)."""
    data = text.encode("utf-16-be", "surrogatepass")
    if len(data) != 2 * len(text):
        data = _ASTRAL.sub("\ufffd", text).encode("utf-16-be", "surrogatepass")
    return data.decode("latin-1")


def _is_word(c: str) -> bool:
    return c.isalnum() and not (_CJK_START <= ord(c) <= _CJK_END)


def _is_cjk(c: str) -> bool:
    return _CJK_START <= ord(c) <= _CJK_END


@dataclass(frozen=True, slots=True)
class Payload:
    """What a pattern means, and which word endings it accepts."""

    kind: str
    value: str
    endings: frozenset[str] | None = None  # None: any ending up to max_extra
    max_extra: int = 0
    cap: bool = False  # needs an upper-case first letter
    weight: float = 1.0
    article: bool = False  # Arabic: needs the article ال / لل
    tail: tuple[tuple[str, int], ...] = ()  # further words: (stem, max extra letters)


class Match(NamedTuple):
    """One accepted match, offsets into the original (cleaned) text."""

    start: int
    end: int
    kind: str
    value: str
    weight: float = 1.0
    prefix: str = ""  # Arabic clitic prefix inside the matched word (و ب ال ...)
    #: letters the pattern's stem left to its ending ("австр" + "алии"): of two
    #: entities of one kind on one span, the one with fewer is meant
    free: int = 0


@dataclass
class PatternSet:
    """Entries for one language, compiled lazily into automata."""

    lang: str
    _entries: dict[str, list[Payload]] = field(default_factory=dict)
    _cased: dict[str, list[Payload]] = field(default_factory=dict)
    #: The case-sensitive keys with lower-case letters, in capitals ("XI" for "Xi").
    _upper: dict[str, list[Payload]] = field(default_factory=dict)
    #: "main": the normalised keys (core and context payloads apart in each value);
    #: "cased": the case-sensitive keys, matched on the original text.
    _automata: dict[str, ahocorasick.Automaton] = field(default_factory=dict)

    def add(
        self,
        raw: str,
        kind: str,
        value: str,
        *,
        word: bool = False,
        cap: bool = False,
        weight: float = 1.0,
    ) -> None:
        """Add one pattern. ``word`` marks lexicon words (vs names) for the endings."""
        raw = raw.strip()
        if not raw:
            return
        if raw.startswith("="):
            key = raw[1:]
            payload = Payload(kind, value, frozenset({""}), 0, False, weight)
            cased = self._cased.setdefault(key, [])
            if payload not in cased:
                cased.append(payload)
            if key.upper() != key:
                upper = self._upper.setdefault(key.upper(), [])
                if payload not in upper:
                    upper.append(payload)
            return
        script = script_of(self.lang)
        words = raw.split()
        if len(words) > 1 and any(w.endswith("*") for w in words[:-1]):
            self._add_stemmed_phrase(words, kind, value, cap, weight, script)
            return
        if raw.endswith("*"):
            key = pattern_key(raw[:-1], script)
            endings: frozenset[str] | None = None
            extra = _MAX_STEM_EXTRA
        elif raw.endswith("$"):
            key = pattern_key(raw[:-1], script)
            endings, extra = frozenset({""}), 0
        else:
            key, endings, extra = self._default(raw, script, kind, word)
        if not key:
            return
        has_upper = any(ch.isupper() for ch in raw[:1])
        need_cap = cap and has_upper and script in ("latin", "cyrillic")
        article = self.lang == "ar" and has_article(raw) and not key.startswith("ال")
        payload = Payload(kind, value, endings, extra, need_cap, weight, article)
        bucket = self._entries.setdefault(key, [])
        for i, other in enumerate(bucket):
            if other == payload:
                return
            if other.article and not article and other == replace(payload, article=True):
                bucket[i] = payload  # the same pattern without the article requirement
                return
            if article and not other.article and replace(other, article=True) == payload:
                return
        bucket.append(payload)

    def _add_stemmed_phrase(
        self, words: list[str], kind: str, value: str, cap: bool, weight: float, script: str
    ) -> None:
        """A phrase with a stem wildcard inside ("телефонн* разговор*")."""
        parts: list[tuple[str, int]] = []
        for w in words:
            if w.endswith("*"):
                parts.append((pattern_key(w[:-1], script), _MAX_STEM_EXTRA))
            else:
                parts.append((pattern_key(w.rstrip("$"), script), 0))
        key, extra = parts[0]
        endings = None if extra else frozenset({""})
        payload = Payload(kind, value, endings, extra, False, weight, False, tuple(parts[1:]))
        bucket = self._entries.setdefault(key, [])
        if payload not in bucket:
            bucket.append(payload)

    def _default(
        self, raw: str, script: str, kind: str, word: bool
    ) -> tuple[str, frozenset[str] | None, int]:
        key = pattern_key(raw, script)
        if script == "han":
            return key, frozenset({""}), 0
        if script == "cyrillic":
            head, _, last = key.rpartition(" ")
            if kind == Kind.PERSON and self.lang == "ru" and last.endswith("о"):
                # Russian leaves "Эмбало", "Мадуро" as they are (and a stem "Эмба" read
                # "Эмбарго" as the name)
                return key, frozenset({""}), 0
            base = stem(last, "ru")
            lead = head + " " if head else ""
            if not word and len(last) >= 6 and last.endswith(("ия", "ія")):
                # a name's cases, not the stem's every continuation: "Германия",
                # "Германии", not the given name "Германом" (Герман Греф)
                final = last[-2:]
                return lead + last[:-2], _SLAVIC_ENDINGS_BY_FINAL[final], 0
            if (
                not word
                and last[-1:] in _INDECLINABLE_FINALS
                and not last.endswith(("ии", "йи"))
            ):
                # foreign names in -о, -у, -и, -э, -ю do not decline: a stem would read
                # "Палата" as "Палау", "Макаров" as "Макао", "Форд" as "Фордо"
                return key, frozenset({""}), 0
            if not word and kind != Kind.PERSON and last.endswith(("ай", "ей", "яй")):
                # "Китай", "Бруней": "Китая", "Брунее", not "Бруно" or "Бруни"
                return lead + last[:-1], _SLAVIC_ENDINGS_BY_FINAL["й"], 0
            if len(base) >= 4 and base != last:
                extra = max(3, len(last) - len(base) + 2)
                return lead + base, None, extra
            for final in ("ия", "ія", "а", "я"):
                if last.endswith(final) and len(last) - len(final) >= 3:
                    return lead + last[: -len(final)], _SLAVIC_ENDINGS_BY_FINAL[final], 0
            if last[-1:] not in _CYRILLIC_VOWELS:
                return key, _SLAVIC_ENDINGS_BY_FINAL[""], 0
            return key, frozenset({""}), 0
        if script == "arabic":
            if self.lang == "fa":
                return key, DEFAULT_ENDINGS["fa"], 0
            if kind == Kind.DEMONYM and key.endswith("ي"):
                return key, _ARABIC_NISBA_ENDINGS, 0
            if word:
                return key, _ARABIC_WORD_ENDINGS, 0
            return key, DEFAULT_ENDINGS["ar"], 0
        if self.lang in ("de", "tr") and word:
            last = key.rpartition(" ")[2]
            base = stem(last, self.lang)
            if len(base) >= 4 and base != last:
                return key[: len(key) - len(last)] + base, None, len(last) - len(base) + 4
        return key, DEFAULT_ENDINGS.get(self.lang, DEFAULT_ENDINGS["en"]), 0

    def _compile(self) -> None:
        self._automata["main"] = _automaton(self._entries, script_of(self.lang) == "han")
        self._automata["cased"] = _automaton(self._cased, False)
        upper = {k: v for k, v in self._upper.items() if k not in self._cased}
        self._automata["upper"] = _automaton(upper, False)

    def find(
        self,
        text: str,
        norm: NormText | None = None,
        group: str = "core",
        spans: Sequence[tuple[int, int]] | None = None,
    ) -> list[Match]:
        """Accepted matches in ``text`` (original offsets) of one kind group, over the
        whole text or only inside ``spans`` (original offsets)."""
        if not self._automata:
            self._compile()
        auto, cased = self._automata["main"], self._automata["cased"]
        if norm is None:
            norm = normalize(text)
        core = group == "core"
        script = script_of(self.lang)
        arabic, han = script == "arabic", script == "han"
        hay, index = norm.text, norm.index
        out: list[Match] = []
        if spans is None:
            spans = ((0, len(text)),)
        for start, end in spans:
            n_start, n_end = _norm_range(norm, start, end)
            if n_end > n_start:
                hits = (
                    auto.iter(han_encode(hay[n_start:n_end]))
                    if han
                    else auto.iter(hay, n_start, n_end)
                )
                _scan(hits, hay, text, index, arabic, out, n_start, han, core)
            if end > start and _ACRONYM_HINT.search(text, start, end):
                _scan(cased.iter(text, start, end), text, text, None, False, out, 0, False, core)
        return out

    def find_document(
        self, text: str, norm: NormText, capitals: Sequence[tuple[int, int]] = ()
    ) -> tuple[list[Match], ContextHits]:
        """The core matches of the whole text (as ``find(text, norm)``) and, from the
        same pass, the hits of context keys for :meth:`find_context`. ``capitals``:
        the spans of all-capitals lines (see the module docstring)."""
        if not self._automata:
            self._compile()
        script = script_of(self.lang)
        han = script == "han"
        hay = norm.text
        core: list[Match] = []
        found = ContextHits(han=han)
        if hay:
            hits = found.hits = list(self._automata["main"].iter(han_encode(hay) if han else hay))
            _scan(hits, hay, text, norm.index, script == "arabic", core, 0, han, True)
        if _acronym_hint(text):
            cased = list(self._automata["cased"].iter(text))
            for start, end in capitals:
                cased.extend(self._automata["upper"].iter(text, start, end))
            if capitals:
                cased = self._cased_in_capitals(text, cased, capitals)
            _scan(cased, text, text, None, False, core, 0, False, True)
            _scan(cased, text, text, None, False, found.cased, 0, False, False)
        return core, found

    def _cased_in_capitals(
        self, text: str, hits: list[_Hit], capitals: Sequence[tuple[int, int]]
    ) -> list[_Hit]:
        """Case-sensitive ``hits`` in order, without those of :data:`CAPITALS_WORDS`
        inside ``capitals``."""
        words = CAPITALS_WORDS.get(self.lang)
        if words:
            hits = [
                h for h in hits
                if text[h[0] + 1 - h[1][0] : h[0] + 1] not in words
                or not any(a <= h[0] < b for a, b in capitals)
            ]
        hits.sort(key=_HIT_INDEX)
        return hits

    def find_context(
        self, text: str, norm: NormText, spans: Sequence[tuple[int, int]], found: ContextHits
    ) -> list[Match]:
        """Context matches inside ``spans`` (as ``find(text, norm, "context", spans)``),
        from the hits :meth:`find_document` kept."""
        arabic = script_of(self.lang) == "arabic"
        han = found.han
        hits = found.hits
        hay, index = norm.text, norm.index
        out: list[Match] = []
        for start, end in spans:
            n_start, n_end = _norm_range(norm, start, end)
            # the hits ending inside the range (a key ends after its last character, at
            # index + 1; in the Han encoding, at half of that) whose key starts there too
            scale = 2 if han else 1
            lo = bisect.bisect_left(hits, scale * n_start, key=_HIT_INDEX)
            hi = bisect.bisect_left(hits, scale * n_end, key=_HIT_INDEX)
            if hi > lo:
                _scan(hits[lo:hi], hay, text, index, arabic, out, 0, han, False, n_start)
            if found.cased:
                out.extend(m for m in found.cased if start <= m.start and m.end <= end)
        return out


def _norm_range(norm: NormText, start: int, end: int) -> tuple[int, int]:
    """The normalised-text range of original offsets ``[start, end)``."""
    index = norm.index
    if index is None:
        return start, end
    return bisect.bisect_left(index, start), bisect.bisect_left(index, end)


#: A compiled payload: kind, value, weight, endings, max_extra, cap, article, tail (the
#: fields of :class:`Payload`, unpacked at once where hits are checked).
_Rule = tuple[
    str, str, float, frozenset[str] | None, int, bool, bool, tuple[tuple[str, int], ...]
]
#: Automaton value: key length, whether the key's first / last character is CJK (no
#: word boundary needed on that side), and the rules of the core and of the context
#: kind group.
_Entry = tuple[int, bool, bool, tuple[_Rule, ...], tuple[_Rule, ...]]
_Hit = tuple[int, _Entry]  # automaton hit: index of the key's last character, entry
_HIT_INDEX = itemgetter(0)


@dataclass(slots=True)
class ContextHits:
    """The automaton hits of a whole text, in order (Han hits in the two-character
    encoding when ``han``), and the case-sensitive context matches of the text."""

    hits: list[_Hit] = field(default_factory=list)
    cased: list[Match] = field(default_factory=list)
    han: bool = False


def _rule(p: Payload) -> _Rule:
    return (p.kind, p.value, p.weight, p.endings, p.max_extra, p.cap, p.article, p.tail)


def _automaton(entries: dict[str, list[Payload]], han: bool) -> ahocorasick.Automaton:
    """An automaton over the keys of ``entries`` (Han keys in the two-character
    encoding)."""
    auto = ahocorasick.Automaton()
    for key, payloads in entries.items():
        core = tuple(_rule(p) for p in payloads if p.kind in Kind.CORE_KINDS)
        context = tuple(_rule(p) for p in payloads if p.kind not in Kind.CORE_KINDS)
        entry: _Entry = (len(key), _is_cjk(key[0]), _is_cjk(key[-1]), core, context)
        auto.add_word(han_encode(key) if han else key, entry)
    if len(auto) == 0:
        auto.add_word("\x00", (1, False, False, (), ()))
    auto.make_automaton()
    return auto


_ARTICLES = ("ال", "لل")
_new_match = tuple.__new__


def _scan(
    hits: Iterable[_Hit],
    hay: str,
    orig: str,
    index: tuple[int, ...] | None,
    arabic: bool,
    out: list[Match],
    start: int,
    han: bool,
    core: bool,
    floor: int = 0,
) -> None:
    """Append the accepted matches of the core (or context) group among automaton
    ``hits`` in ``hay`` to ``out``, of keys starting at ``floor`` or after.

    ``hay`` is the normalised text (``index`` maps it to ``orig``) or, for the
    case-sensitive automaton, ``orig`` itself; ``arabic`` allows clitic prefixes.
    Han hits are in the encoding of ``hay[start:]``.
    """
    n = len(hay)
    word_run = _WORD_RUN.match
    append = out.append
    for end_idx, entry in hits:
        rules = entry[3] if core else entry[4]
        if not rules:
            continue
        if han:
            if not end_idx & 1:
                continue  # starts on the low byte of a character
            e = start + ((end_idx + 1) >> 1)
        else:
            e = end_idx + 1
        klen, cjk_first, cjk_last = entry[0], entry[1], entry[2]
        s = e - klen
        if s < floor:
            continue
        prefix = ""
        w = s
        if s and not cjk_first:
            prev = hay[s - 1]
            if prev.isalnum() and not ("\u3000" <= prev <= "\u9fff"):
                if not arabic:
                    continue
                w = s - 1
                while w > 0 and hay[w - 1].isalnum() and s - w < 4:
                    w -= 1
                prefix = hay[w:s]
                if (w > 0 and hay[w - 1].isalnum()) or prefix not in ARABIC_PREFIXES:
                    continue
        if e < n and not cjk_last and hay[e].isalnum():
            run = word_run(hay, e, e + _MAX_STEM_EXTRA + 1)
            we = run.end() if run is not None else e
            cont = hay[e:we]
        else:
            we, cont = e, ""
        if prefix and arabic and (prefix + hay[s:we]) in ARABIC_STOPWORDS:
            continue
        for kind, value, weight, endings, max_extra, cap, article, tail in rules:
            if article and not prefix.endswith(_ARTICLES):
                continue
            if endings is None:
                if len(cont) > max_extra:
                    continue
            elif cont not in endings:
                continue
            end = we
            if tail:
                end = _match_tail(hay, end, tail)
                if end < 0:
                    continue
            free = len(cont) if endings is None else 0
            if index is not None:
                if cap and not orig[index[s]].isupper():
                    continue
                append(_new_match(
                    Match, (index[w], index[end - 1] + 1, kind, value, weight, prefix, free)))
            else:
                if cap and not orig[s].isupper():
                    continue
                append(_new_match(Match, (w, end, kind, value, weight, prefix, free)))


def _match_tail(hay: str, pos: int, tail: tuple[tuple[str, int], ...]) -> int:
    """End of the phrase whose further words follow ``pos``, or -1."""
    n = len(hay)
    for stem_, extra in tail:
        if pos >= n or hay[pos] != " ":
            return -1
        pos += 1
        if not hay.startswith(stem_, pos):
            return -1
        end = pos + len(stem_)
        limit = min(n, end + extra + 1)
        word_end = end
        while word_end < limit and _is_word(hay[word_end]):
            word_end += 1
        if word_end - end > extra or (word_end < n and _is_word(hay[word_end])):
            return -1
        pos = word_end
    return pos


def resolve_entities(matches: Sequence[Match]) -> list[Match]:
    """Drop entity matches contained in a longer entity match; keep other kinds as is."""
    entity_kinds = Kind.ENTITY_KINDS
    entities: list[Match] = []
    others: list[Match] = []
    for m in matches:
        (entities if m[2] in entity_kinds else others).append(m)  # m[2]: Match.kind
    entities.sort(key=_longest_first)
    kept: list[Match] = []
    last_end = -1
    last_start = -1
    shared = False
    for m in entities:
        start, end = m[0], m[1]  # Match.start, .end
        if start >= last_end:
            kept.append(m)
            last_start, last_end = start, end
        elif start == last_start and end == last_end:
            kept.append(m)  # same span, several meanings (e.g. metonym and place)
            shared = True
    if shared:
        kept = _closest_stems(_names_as_written(kept))
    result = kept + others
    result.sort(key=_OFFSETS)
    return result


_OFFSETS = itemgetter(0, 1)  # Match (start, end)


def _names_as_written(kept: list[Match]) -> list[Match]:
    """On one span, a person's name matched letter for letter outranks a place's name
    read through a clitic or a stem's ending: "ألباريس" is Albares, not "ال" + Paris;
    "Судани" is Iraq's al-Sudani, not "Судан" + "и"."""
    exact = {(m[0], m[1]) for m in kept if m[2] == Kind.PERSON and not m.free and not m.prefix}
    if not exact:
        return kept
    return [
        m
        for m in kept
        if not ((m[0], m[1]) in exact and m[2] in _STEM_GROUP and (m.free or m.prefix))
    ]


def _closest_stems(kept: list[Match]) -> list[Match]:
    """Of the entities of one kind on one span, those whose stem left the fewest letters
    to the ending: "Австралии" is Australia ("австрал" + "ии"), not Austria ("австр" +
    "алии"). Names of places count as one kind (country, demonym, capital, seat, place):
    "Гавайи" is Hawaii ("гавай" + "и"), not Havana ("гава" + "йи")."""
    fewest: dict[tuple[int, int, str], int] = {}
    for m in kept:
        key = (m[0], m[1], _STEM_GROUP.get(m[2], m[2]))
        if m.free < fewest.get(key, m.free + 1):
            fewest[key] = m.free
    if len(fewest) == len(kept):
        return kept
    return [m for m in kept if m.free == fewest[(m[0], m[1], _STEM_GROUP.get(m[2], m[2]))]]


#: Entity kinds whose stems compete for one span (see :func:`_closest_stems`).
_STEM_GROUP: dict[str, str] = {
    kind: "geo"
    for kind in (Kind.COUNTRY, Kind.DEMONYM, Kind.METONYM, Kind.SEAT, Kind.PLACE, Kind.COMBINING)
}


def _longest_first(m: Match) -> tuple[int, int]:
    return m[0], m[0] - m[1]  # start, then the longest first


def add_all(ps: PatternSet, raws: Iterable[str], kind: str, value: str, **kw: object) -> None:
    """Add several patterns with the same meaning."""
    for raw in raws:
        ps.add(raw, kind, value, **kw)  # type: ignore[arg-type]
