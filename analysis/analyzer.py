"""One document's fields in, its ``Analysis`` out (the front door, which takes a
``Document`` and checks it, is :mod:`analysis.documents`; this module is compiled).

Pipeline per document: clean title and text (:mod:`analysis.text`), identify the
language (:mod:`analysis.langid`), fold the text (:mod:`analysis.normalization`), find
every gazetteer / watchlist / lexicon match in one pass (:mod:`analysis.lexicon`,
:mod:`analysis.matcher`), split sentences, then derive countries, regions,
organisations, topics, bilateral meetings (:mod:`analysis.events`) and sanctions
rhetoric (:mod:`analysis.sanctions`).

Bounds: only the first :data:`MAX_TEXT_CHARS` characters of the cleaned text (title
included) are analysed; raw input beyond :data:`MAX_RAW_CHARS` is not even cleaned.
Either cut sets ``truncated`` (emitted as ``"truncated": true`` in ``to_dict``).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import itemgetter
from typing import Any

from .events import MeetingEvent, Sentence, detect_meetings, event_words
from .gazetteer import (
    ZH_ABBREVIATIONS,
    ZH_COMPOUND_FOLLOWERS,
    ZH_GUARDS,
    Gazetteer,
    accord_name_use,
    arabic_name_use,
    facility_name_use,
    family_name,
    gazetteer,
    given_name_use,
    language_or_currency,
    local_seat_use,
    script_of_name,
)
from .keywords import topics
from .langid import detect_language
from .lexicon import NAME_CASED, SUPPORTED_LANGS, patterns
from .matcher import CASE_ONLY_NAMES, ContextHits, Kind, Match, PatternSet, resolve_entities
from .normalization import NormText, casing, normalize, script_of, simplified
from .sanctions import detect_sanctions
from .text import MAX_RAW_CHARS, CleanFields, split_sentences

__all__ = [
    "MAX_RAW_CHARS",
    "MAX_TEXT_CHARS",
    "Analysis",
    "MeetingRecord",
    "SanctionsRecord",
    "analyze_fields",
]

#: Cleaned characters analysed per document (title + text).
MAX_TEXT_CHARS = 200_000

Span = tuple[int, int, str, str]

_COUNTRY_KINDS = frozenset(
    {
        Kind.COUNTRY,
        Kind.DEMONYM,
        Kind.METONYM,
        Kind.SEAT,
        Kind.PLACE,
        Kind.PERSON,
        Kind.COMBINING,
        Kind.COMPOUND,
    }
)
_FALLBACK_LANG = {
    "ja": "zh",
    "ko": "zh",
    "ur": "fa",  # Urdu shares its script and much political vocabulary with Persian
    "be": "ru",
    "bg": "ru",
    "sr": "ru",
    "kk": "ru",
}


@dataclass(frozen=True, slots=True)
class MeetingRecord:
    """A bilateral meeting as reported in the contract dict."""

    parties: tuple[str, str]
    modality: str
    cameo: str
    evidence: str
    spans: tuple[Span, ...]

    def to_dict(self) -> dict[str, Any]:
        """Contract form."""
        return {
            "type": "bilateral_meeting",
            "parties": list(self.parties),
            "modality": self.modality,
            "cameo": self.cameo,
            "evidence": self.evidence,
            "spans": [list(s) for s in self.spans],
        }


@dataclass(frozen=True, slots=True)
class SanctionsRecord:
    """Sanctions rhetoric as reported in the contract dict."""

    present: bool = False
    stance: str | None = None
    evidence: str | None = None
    spans: tuple[Span, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Contract form."""
        return {
            "present": self.present,
            "stance": self.stance,
            "evidence": self.evidence,
            "spans": [list(s) for s in self.spans],
        }


@dataclass(frozen=True, slots=True)
class Analysis:
    """The result of :func:`analyze`."""

    id: str
    lang: str
    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    events: tuple[MeetingRecord, ...] = ()
    sanctions_rhetoric: SanctionsRecord = field(default_factory=SanctionsRecord)
    truncated: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The contract dict (DESIGN.md), plus organisations, spans, modality, cameo."""
        out: dict[str, Any] = {
            "id": self.id,
            "lang": self.lang,
            "countries": list(self.countries),
            "regions": list(self.regions),
            "keywords": list(self.keywords),
            "organisations": list(self.organisations),
            "events": [e.to_dict() for e in self.events],
            "sanctions_rhetoric": self.sanctions_rhetoric.to_dict(),
        }
        if self.truncated:
            out["truncated"] = True
        return out


_NEEDS_CONTEXT = frozenset({Kind.TRIGGER, Kind.SANCTION})
#: Kinds of matches that their context may reject (analyze).
_CHECKED_KINDS = frozenset({Kind.COMPOUND, Kind.COUNTRY, Kind.SEAT})
#: Cities, which may name an accord (see :func:`accord_name_use`).
_CITY_KINDS = frozenset({Kind.METONYM, Kind.PLACE})
_NAMED_KINDS = frozenset({Kind.COUNTRY, Kind.DEMONYM})  # kinds an Arabic name can take
_COMPOUND, _COUNTRY, _PERSON = Kind.COMPOUND, Kind.COUNTRY, Kind.PERSON
_ORG, _REGION = Kind.ORG, Kind.REGION
#: Matches whose text a context cue inside them belongs to (a name, a seat, a meeting
#: expression such as "مؤتمر صحفي مشترك" around the summit cue مؤتمر).
_CONTAINERS = Kind.ENTITY_KINDS | {Kind.TRIGGER}
#: Context cues checked for that: the ones that veto or reframe a meeting.
_NAME_SENSITIVE = frozenset({Kind.SUMMIT, Kind.SPORT, Kind.NEGATION, Kind.NONSTATE})
_LEAD = 2
#: Text of this length or less (a title, or a short item) is checked for headline
#: casing (all capitals, Title Case).
_HEADLINE_CHARS = 400
_MERGE_GAP = 200
_OFFSETS = itemgetter(0, 1)  # Match (start, end)
_END_OF_MATCH = itemgetter(1)


def _sentences(
    text: str, norm: NormText, core: list[Match], ps: PatternSet, found: ContextHits
) -> list[Sentence]:
    """Sentences with their matches; context cues are looked up only where needed.

    ``core`` is sorted by offsets; ``found`` holds the context hits of the text.
    """
    bounds = split_sentences(text)
    if not bounds:
        return []
    starts = [b[0] for b in bounds]
    ends = [b[1] for b in bounds]
    buckets: list[list[Match]] = [[] for _ in bounds]
    wanted: set[int] = set()
    # core is sorted: walk the sentences along (i: the last one starting at or before
    # the match, as bisect_right(starts, start) - 1 has it)
    count = len(bounds)
    after_all = len(text) + 1
    i = -1
    next_start = starts[0]
    for m in core:
        start = m[0]  # Match.start
        while start >= next_start:
            i += 1
            next_start = starts[i + 1] if i + 1 < count else after_all
        if i >= 0 and m[1] <= ends[i]:  # Match.end
            buckets[i].append(m)
            if m[2] in _NEEDS_CONTEXT:  # Match.kind
                wanted.add(i)
    if wanted:  # the lead tells whether the article is about a summit or sport
        wanted.update(range(min(_LEAD, len(bounds))))
        spans: list[tuple[int, int]] = []
        for i in sorted(wanted):  # adjacent sentences are scanned as one range
            start, end = bounds[i]
            if spans and start - spans[-1][1] <= _MERGE_GAP:
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))
        context = ps.find_context(text, norm, spans, found)
        press = event_words(ps.lang).press_prefixes  # "пресс-конференции": no summit
        extended: set[int] = set()
        names: dict[int, list[tuple[int, int]]] = {}
        for m in context:
            start, end, kind = m[0], m[1], m[2]  # Match.start, .end, .kind
            i = bisect_right(starts, start) - 1
            if i >= 0 and end <= ends[i]:
                if kind == Kind.SUMMIT and press and text.endswith(press, max(0, start - 6), start):
                    continue  # "на пресс-конференции по итогам переговоров": no gathering
                if kind in _NAME_SENSITIVE:
                    within = names.get(i)
                    if within is None:  # (Match.start, .end) of names and meeting phrases
                        within = names[i] = [
                            (e[0], e[1]) for e in buckets[i] if e[2] in _CONTAINERS
                        ]
                    if within and any(
                        a <= start and end <= b and b - a > end - start for a, b in within
                    ):
                        continue  # 大会 inside 人民大会堂: part of a name, not a cue
                buckets[i].append(m)
                extended.add(i)
        for i in extended:
            buckets[i] = _without_inner_nonstate(sorted(buckets[i], key=_OFFSETS))
    return Sentence.all_of(bounds, buckets)


#: Characters before a 日 that make it a date's day: digits, numerals, 今日, 次日…
_ZH_DAY_BEFORE = frozenset(
    "0123456789０１２３４５６７８９)）一二三四五六七八九十廿卅今昨明当每同次翌本某节生周"
)


def _sultan(text: str, m: Match) -> bool:
    """True if zh 苏丹 is a sultan's title: after 元首 or a sultanate ("文莱苏丹哈桑纳尔",
    "阿曼苏丹") or before 陛下 ("国家元首苏丹依布拉欣陛下"), not Sudan."""
    return text[m.start : m.end] == "苏丹" and (
        text[max(0, m.start - 2) : m.start] in _BEFORE_SULTAN
        or "陛下" in text[m.end : m.end + 10]
    )


_BEFORE_SULTAN = frozenset({"元首", "文莱", "阿曼", "柔佛"})


def _zh_compound(
    text: str, m: Match, raw: Sequence[Match] = (), gz: Gazetteer | None = None
) -> Match | None:
    """Check a two-country zh compound; extend 中日 + 韩 to a three-country compound;
    read 巴 as Brazil where the text names Brazil, or one of its office-holders in
    ``raw`` ("卢拉总统"), and not Pakistan.
    No compound: one inside a transliterated name joined by "·" (穆萨伊德·本: 伊德),
    and one whose 日 is a date's day ("今(4)日以總統特使身份": 日以)."""
    if "·" in text[m.end : m.end + 1] or "·" in text[max(0, m.start - 1) : m.start]:
        return None
    if text[m.start] == "日" and m.start > 0 and text[m.start - 1] in _ZH_DAY_BEFORE:
        return None
    if text[m.start + 1 : m.start + 3] in ZH_GUARDS and (
        text[m.start + 2 : m.start + 4] not in ZH_COMPOUND_FOLLOWERS
    ):
        return None
    third = ZH_ABBREVIATIONS.get(text[m.end : m.end + 1])
    if third and text[m.end : m.end + 2] not in ZH_GUARDS:
        m = m._replace(end=m.end + 1, value=f"{m.value} {third}")
    if "PK" in m.value.split() and "巴基斯坦" not in text:
        named = {gz.state_of(r.value) for r in raw if r[2] == _PERSON} if gz else set()
        if ("巴西" in text or "BR" in named) and "PK" not in named:
            # 巴 is Pakistan's, but Brazil's in a text that names Brazil and not Pakistan
            # ("中巴全面战略伙伴关系" after "巴西总统卢拉", or "卢拉总统")
            m = m._replace(value=m.value.replace("PK", "BR"))
    return m


#: The Republic of China's name as Taiwan's press writes it: there (or where the text
#: names 台灣 and its 總統府), 華 in "駐華", "訪華", "來華" is the Republic of China
#: (Taiwan), not the People's Republic.
_ROC = "中華民國"
_ROC_POSTS = frozenset({"驻华", "访华", "来华"})


def _roc_post(full: str, m: Match) -> Match:
    """``m`` as Taiwan's: "駐華大使" in a text that calls its state 中華民國."""
    if m[2] == Kind.METONYM and m[3] == "CN" and full[m.start : m.end] in _ROC_POSTS:
        return m._replace(value="TW")
    return m


#: Arabic country names that are common words as well (مالي "financial", بنين "sons"):
#: countries where "و" joins them to a country's name next to them ("غينيا ومالي").
_AR_JOINED_NAMES = {"مالي": "ML", "بنين": "BJ"}
_AR_JOINED_AFTER = re.compile(r"\s*(?:،\s*)?و\s?(مالي|بنين)(?!\w)")
_AR_JOINED_BEFORE = re.compile(r"(?<!\w)(مالي|بنين)\s*$")


def _ar_joined_names(full: str, checked: Sequence[Match]) -> list[Match]:
    """Matches of the names in :data:`_AR_JOINED_NAMES` that "و" joins to a country's
    name matched in ``checked``: after it ("غينيا ومالي") or before it ("مالي وغينيا")."""
    joined: list[Match] = []
    for m in checked:
        if m[2] != _COUNTRY:  # Match.kind
            continue
        after = _AR_JOINED_AFTER.match(full, m.end)
        if after:
            joined.append(Match(after.start(1), after.end(1), _COUNTRY, _AR_JOINED_NAMES[after[1]]))
        if m.prefix.startswith("و"):
            before = _AR_JOINED_BEFORE.search(full, max(0, m.start - 8), m.start)
            if before:
                joined.append(
                    Match(before.start(1), before.end(1), _COUNTRY, _AR_JOINED_NAMES[before[1]])
                )
    return joined


def _without_name_tails(matches: list[Match]) -> list[Match]:
    """``matches`` without a meeting or summit word that begins inside a person's name:
    "何立峰会见…" is He Lifeng meeting, no 峰会 (summit)."""
    names = [(m.start, m.end) for m in matches if m[2] == _PERSON]  # Match.kind
    if not names:
        return matches
    return [
        m
        for m in matches
        if m[2] not in _NAME_TAIL_KINDS or not any(a < m.start < b for a, b in names)
    ]


_NAME_TAIL_KINDS = frozenset({Kind.TRIGGER, Kind.SUMMIT})


#: Languages whose news names a person by the surname alone after the full name.
_SURNAME_LANGS = frozenset({"en", "es", "fr"})
_SURNAME_MIN = 4  # shorter last words ("Kim Jong Un", "Wang Yi") are no surnames


#: Honorifics and particles after a title, no family names ("Emir Sheikh Tamim").
_NOT_FAMILY_NAMES = frozenset(
    {"Sheikh", "Sheik", "Prince", "Princess", "King", "Emir", "Sultan", "General", "Sir",
     "Lord", "Don", "Al", "El", "Abu", "Bin", "Ben", "Mohammed", "Muhammad", "Mohamed"}
)
#: Another capitalised word after the one that follows a title: the first was a given name.
_NEXT_NAME = re.compile(r"[ \u00a0-][A-Z]")


def _with_titled_surnames(
    full: str, checked: list[Match], gz: Gazetteer, when: date | None, lang: str
) -> list[Match]:
    """``checked`` with the family name right after an office's title (the lexicon's
    ``name_titles``) where one office-holder of that name held office on the article's
    date: "President Bush" in 2002, "Secretary Rice" in 2006, "Chancellor Kohl" in
    1995."""
    titles = event_words(lang).name_titles
    if when is None or titles is None:
        return checked
    found: list[Match] = []
    for word in titles.finditer(full):
        at, end = word.start(1), word.end(1)
        if word.group(1) in _NOT_FAMILY_NAMES or _NEXT_NAME.match(full, end):
            continue  # "Emir Sheikh Tamim", "Foreign Minister Abbas Araqchi": a given name
        if any(x.start < end and at < x.end and x[2] in Kind.ENTITY_KINDS for x in checked):
            continue  # a place or a name already ("President Xi Jinping")
        person = gz.titled_surname(word.group(1), when)
        if person is not None:
            found.append(Match(at, end, _PERSON, person))
    return checked + found if found else checked


def _with_surnames(full: str, checked: list[Match]) -> list[Match]:
    """``checked`` with the surname alone of each office-holder the text names in full,
    wherever no other match holds it ("Kerry, Zarif meet…" over "John Kerry", "Pelosi
    meets Tsai…" over "Tsai Ing-wen"), and in place of a country of that name coordinated
    with a person ("Sánchez y Montenegro celebran…" over "Luís Montenegro")."""
    surnames: dict[str, str] = {}
    for m in checked:
        if m[2] != _PERSON:  # Match.kind
            continue
        name = full[m.start : m.end]
        if len(name.split()) < 2:
            continue
        surname = family_name(name)
        if len(surname) >= _SURNAME_MIN and surname[0].isupper():
            surnames.setdefault(surname, m[3])  # Match.value
    if not surnames:
        return checked
    found: list[Match] = []
    namesakes: list[tuple[Match, Match]] = []  # (a country's match, the person's)
    for surname, person in surnames.items():
        at = full.find(surname)
        while at >= 0:
            end = at + len(surname)
            if (at == 0 or not _name_char(full[at - 1])) and (
                end == len(full) or not _name_char(full[end])
            ):
                over = [m for m in checked if m.start < end and at < m.end]
                mention = Match(at, end, _PERSON, person)
                if not over:
                    found.append(mention)
                elif len(over) == 1 and over[0][2] == _COUNTRY and over[0][:2] == (at, end):
                    namesakes.append((over[0], mention))
            at = full.find(surname, end)
    persons = [m for m in checked if m[2] == _PERSON] + found
    dropped = []
    for country, mention in namesakes:
        if any(
            full[p.end : country.start] in _COORDINATION
            or full[country.end : p.start] in _COORDINATION
            for p in persons
        ):
            dropped.append(country)
            found.append(mention)
    if not found:
        return checked
    return [m for m in checked if not any(m is d for d in dropped)] + found


#: What joins two persons' names in a list: "Sánchez y Montenegro", "Kerry, Zarif".
_COORDINATION = frozenset({" y ", " e ", " and ", " et ", ", "})


def _name_char(c: str) -> bool:
    """A character that continues a name: a letter or digit, or a hyphen."""
    return c.isalnum() or c == "-"


def _without_inner_nonstate(matches: list[Match]) -> list[Match]:
    """``matches`` without a non-state cue inside a longer office's name ("Governor" in
    "Governor-General"): the office holds it."""
    inner = [m for m in matches if m[2] == Kind.NONSTATE]  # Match.kind
    if not inner:
        return matches
    offices = [m for m in matches if m[2] == Kind.OFFICIAL]
    drop = {
        id(n)
        for n in inner
        for o in offices
        if o.start <= n.start and n.end <= o.end and o.end - o.start > n.end - n.start
    }
    return [m for m in matches if id(m) not in drop] if drop else matches


def _relative(spans: Iterable[tuple[int, int, str]], text: str, s: Sentence) -> tuple[Span, ...]:
    return tuple(
        (a - s.start, b - s.start, text[a:b], role)
        for a, b, role in spans
        if s.start <= a and b <= s.end
    )


def _meeting_record(e: MeetingEvent, text: str) -> MeetingRecord:
    s = e.sentence
    return MeetingRecord(
        e.parties, e.modality, e.cameo, text[s.start : s.end], _relative(e.spans, text, s)
    )


def _uncased(title: str, body: str, full: str) -> list[tuple[int, int, str]]:
    """The spans of ``full`` (``title`` and ``body`` joined) written in capitals or
    Title Case, with their :func:`casing`: the title, and a short body."""
    spans: list[tuple[int, int, str]] = []
    offset = 0
    for part in (title, body):
        if part:
            if len(part) <= _HEADLINE_CHARS or (
                part[:_HEADLINE_CHARS].isupper() and part.isupper()
            ):
                style = casing(part)
                if style is not None:
                    spans.append((offset, min(offset + len(part), len(full)), style))
            offset += len(part) + 1
    return spans


def _without_common_words(
    raw: list[Match], norm: NormText, uncased: list[tuple[int, int, str]], words: frozenset[str]
) -> list[Match]:
    """``raw`` without the entity matches inside ``uncased`` spans whose folded text is
    one of ``words`` (see :data:`analysis.matcher.CASE_ONLY_NAMES`)."""
    kept: list[Match] = []
    for m in raw:
        if m[2] in Kind.ENTITY_KINDS and any(a <= m[0] < b for a, b, _ in uncased):
            start, end = m[0], m[1]
            if norm.index is not None:
                start, end = bisect_left(norm.index, start), bisect_left(norm.index, end)
            if norm.text[start:end] in words:
                continue
        kept.append(m)
    return kept


#: What follows a dateline's place: a full stop and a capital ("La Habana. El…"), a dash
#: or a bracket ("BISHKEK (Reuters) —", "TEHRAN –"), or a comma and a date before one
#: ("БИШКЕК, 13 окт - РИА Новости").
_DATELINE_END = re.compile(r"\.\s+[^\W\d_a-zà-ÿа-яё]|\s*[-–—(]|,[^.\n]{0,30}?(?:\s[-–—]|\()")
_DATELINE_KINDS = frozenset({Kind.PLACE, Kind.SEAT, Kind.METONYM, Kind.COUNTRY})
_DATELINE_AT = 3  # the most characters before a dateline's place in the text


def _foreign_dateline(full: str, matches: Sequence[Match], body_at: int, home: str) -> bool:
    """True if the text opens with a dateline whose place is another country's than the
    outlet's ``home``."""
    for m in matches:
        if m.start < body_at:
            continue
        return (
            m.start - body_at <= _DATELINE_AT
            and m.kind in _DATELINE_KINDS
            and home not in m.value.split()
            and _DATELINE_END.match(full, m.end) is not None
        )
    return False


#: How far after an office a country, demonym or person qualifies it ("le ministre de
#: l'Intérieur français", "ministre de l'Intérieur Gérald Darmanin"), and before it
#: ("Iranian head of state").
_OFFICE_AFTER = 25
_OFFICE_BEFORE = 3
_SEATS = frozenset({Kind.SEAT, Kind.METONYM})  # another state's seat before the office


def _home_office(
    full: str, matches: Sequence[Match], offices: re.Pattern[str], home: str
) -> bool:
    """True if the text names one of a state's ``offices`` that no country, demonym or
    person qualifies next to it, and no other state's seat of power ("la Maison
    Blanche a annoncé que le président recevra le chef de l'État") stands before it in
    its sentence: the outlet's own."""
    for found in offices.finditer(full):
        start, end = found.span()
        opening = max(full.rfind(". ", 0, start), full.rfind("\n", 0, start))
        if not any(_qualifies_office(full, m, start, end, opening, home) for m in matches):
            return True
    return False


def _qualifies_office(full: str, m: Match, start: int, end: int, opening: int, home: str) -> bool:
    """True if ``m`` makes the office at ``[start, end)`` another state's: a country,
    demonym or person right before it or a few words after it, or another state's seat of
    power earlier in its sentence (from ``opening``)."""
    if m[2] in _COUNTRY_KINDS:
        if 0 <= start - m.end <= _OFFICE_BEFORE:
            return True
        if 0 <= m.start - end <= _OFFICE_AFTER and len(full[end : m.start].split()) <= 3:
            return True
    return m[2] in _SEATS and opening < m.start < start and home not in m[3].split()


#: "Our country" in Chinese, and what may stand between it and an official's name.
_OURS = "我国"
#: Words of the outlet's own side in Chinese, China's when no other outlet is credited.
_OUR_WORDS = frozenset({"我国", "我方"})
_CHINA = "CN"
_OURS_GAP = re.compile(r"[\u3400-\u9fff]{0,6}")


def _our_country_named(
    full: str, raw: Sequence[Match], gz: Gazetteer, when: date | None
) -> set[int] | None:
    """Where "我国" stands right before an office and the name of another country's
    official ("我国总理李显龙" in a Singapore paper): the outlet is that country's, so
    "our country" is not China there."""
    people = [m for m in raw if m[2] == Kind.PERSON]
    if not people or _OURS not in full:
        return None
    out = set()
    for m in raw:
        if m[2] != Kind.COUNTRY or full[m.start : m.end] != _OURS:
            continue
        for p in people:
            if p.start >= m.end and _OURS_GAP.fullmatch(full, m.end, p.start):
                if gz.person_country(p.value, when)[0] not in ("", m.value):
                    out.add(m.start)
                break
    return out or None


#: An ambassador's title before or after a name in Chinese ("驻华大使萨尔", "萨尔大使").
_ZH_ENVOY = ("大使", "公使")


def _nisba_names(raw: Sequence[Match], full: str) -> frozenset[str]:
    """The last words of Arabic names of people the text names in full that are
    demonyms ("محمد شياع السوداني", Iraq's prime minister: "السوداني"): alone, such a
    word names the person again ("السوداني وأردوغان"), not the other country."""
    names = set()
    for m in raw:
        if m[2] == Kind.PERSON:  # Match.kind
            name = full[m.start : m.end]
            head, _, last = name.rpartition(" ")
            if head and last.startswith("ال") and len(last) > 4:
                names.add(last)
    return frozenset(names)


def _nisba_use(full: str, m: Match, nisbas: frozenset[str]) -> bool:
    """True if the demonym at ``m`` is a nisba of ``nisbas`` standing alone: not right
    after a definite noun it describes ("الجيش السوداني") nor inside the full name; "و"
    or "ف" joined before it ("أردوغان والسوداني") is a conjunction."""
    word = full[m.start : m.end]
    if word not in nisbas and not (word[:1] in ("و", "ف") and word[1:] in nisbas):
        return False
    before = full[max(0, m.start - 30) : m.start].rstrip()
    previous = before.rsplit(maxsplit=1)[-1] if before.split() else ""
    return not previous.startswith(("ال", "وال", "بال", "لل"))


#: The capitalised word right before a name, with one space between.
_WORD_BEFORE = re.compile(r"(?<![\w'’.-])([^\W\d_][\w'’-]*) $")
#: What may end the text before a sentence's first word.
_SENTENCE_BREAK = tuple('.!?:;\n«"“„(—–-|')
#: Titles and honorifics that stand capitalised before a family name and that the
#: lexicons' office words do not hold.
_HONORIFICS = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "sir",
        "lord",
        "dame",
        "madame",
        "monsieur",
        "mme",
        "mlle",
        "señor",
        "señora",
        "don",
        "doña",
        "sheikh",
        "shaikh",
        "emir",
        "sultan",
        "king",
        "queen",
        "prince",
        "princess",
        "emperor",
        "empress",
        "pope",
        "ayatollah",
        "imam",
        "general",
        "marshal",
        "admiral",
        "colonel",
        "comrade",
        "chairman",
        "chairwoman",
        "senator",
        "governor",
        "mayor",
        "rey",
        "reina",
        "príncipe",
        "emperador",
        "papa",
        "ayatolá",
        "jeque",
        "mariscal",
        "coronel",
        "comandante",
        "gobernador",
        "senador",
        "alcalde",
        "roi",
        "reine",
        "émir",
        "empereur",
        "cheikh",
        "général",
        "maréchal",
        "sénateur",
        "maire",
        "господин",
        "госпожа",
        "король",
        "королева",
        "принц",
        "эмир",
        "шейх",
        "султан",
        "аятолла",
        "генерал",
        "маршал",
        "товарищ",
        "sayın",
        "bay",
        "bayan",
        "kral",
        "prens",
        "şeyh",
        "mareşal",
    }
)
#: Patronymics between a given name and a family name ("Владимир Владимирович Путин").
_PATRONYMIC_ENDINGS = ("ович", "евич", "овна", "евна", "ична", "ovich", "evich", "ovna", "evna")


def _other_given_name(
    full: str,
    m: Match,
    gz: Gazetteer,
    ps: PatternSet,
    norm: NormText,
    found: ContextHits,
    raw: Sequence[Match],
) -> bool:
    """True if the office-holder's family name at ``m``, written alone, follows a given
    name none of theirs ("Manuel Pellegrini", Betis's coach; "Lorenzo Pellegrini", not
    Slovakia's president): another person of that family name. Only in running text of
    a language whose capital marks a name; a title, an office, a patronymic, a
    country's word or a spelling of one of the person's own names keeps the match."""
    if " " in full[m.start : m.end]:
        return False
    w = _WORD_BEFORE.search(full, max(0, m.start - 40), m.start)
    if w is None:
        return False
    word = w.group(1)
    if not word[0].isupper() or word.isupper():
        return False  # a lower-case word, or "PM", "МИД"
    at = w.start(1)
    low = word.lower()
    if at == 0 or full[:at].rstrip(" ").endswith(_SENTENCE_BREAK):
        if low not in _given_names(gz):
            return False  # a sentence's first word is capitalised whatever it is, unless
            # it is a given name the gazetteer knows ("Manuel Pellegrini renueva…")
    elif full[at - 1] != " ":
        return False
    if any(r.start <= at < r.end for r in raw):
        return False  # a country's, a place's or another office-holder's word
    if low in _HONORIFICS or low.endswith(_PATRONYMIC_ENDINGS):
        return False
    script = script_of_name(word)
    own = [
        t.lower()
        for n in gz.people[m.value].names
        if " " in n and script_of_name(n) == script
        for t in n.replace("-", " ").split()
    ]
    if not own:
        return False  # no full name in this script to tell a given name by
    # the capitalised words before the name, back to a lower-case word: a middle name
    # ("Donald John Trump") stands between the given and the family name
    run = full[max(0, at - 60) : m.start].split()
    names = []
    for given in reversed(run):
        if not given[:1].isupper() or not given.replace("-", "").isalpha():
            break
        names.extend(given.lower().split("-"))
    if any(_spelling_of(part, t) for part in names for t in own):
        return False
    lead = max(0, at - 30)
    return not any(
        c.kind == Kind.OFFICIAL and c.end > at
        for c in ps.find_context(full, norm, [(lead, m.start)], found)
    )


_GIVEN_NAMES: dict[int, frozenset[str]] = {}
#: Words that open listed names without being given names: titles, articles, particles.
_NAME_OPENERS = frozenset(
    {"abu", "al", "ben", "bin", "de", "del", "der", "di", "du", "el", "la", "le", "van", "von"}
)


def _given_names(gz: Gazetteer) -> frozenset[str]:
    """The first words, lower-cased, of the office-holders' names of two words or more in
    Latin and Cyrillic script ("Manuel" of "Andrés Manuel López Obrador" is not one;
    "Manuel" of "Manuel Zelaya" is), without titles and particles."""
    found = _GIVEN_NAMES.get(id(gz))
    if found is None:
        words = set()
        for person in gz.people.values():
            for name in person.names:
                first, _, rest = name.partition(" ")
                if (
                    rest
                    and first[:1].isupper()
                    and first.isalpha()
                    and len(first) >= 3
                    and script_of_name(first) in ("latin", "cyrillic")
                ):
                    words.add(first.lower())
        found = frozenset(words - _HONORIFICS - _NAME_OPENERS - _TITLE_WORDS)
        _GIVEN_NAMES.clear()
        _GIVEN_NAMES[id(gz)] = found
    return found


#: Office words that open some listed names ("President Xi", "Chancellor Scholz").
_TITLE_WORDS = frozenset(
    {
        "president", "presidente", "président", "prime", "premier", "chancellor",
        "minister", "foreign", "crown", "secretary", "vice", "deputy", "supreme",
        "президент", "премьер", "канцлер", "министр",
    }
)


def _spelling_of(word: str, name: str) -> bool:
    """True if ``word`` may be ``name`` spelt or inflected otherwise ("Victor" for
    "Viktor", "Владимиру" for "Владимир"): the same first letter, and at most two
    edits apart or one the other's start."""
    if not word or not name or word[0] != name[0]:
        return False
    if word.startswith(name) or name.startswith(word):
        return True
    if abs(len(word) - len(name)) > 2:
        return False
    previous = list(range(len(name) + 1))
    for i, a in enumerate(word, 1):
        current = [i]
        for j, b in enumerate(name, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b)))
        previous = current
    return previous[-1] <= 2


#: How far before a name an organisation may end ("Arab League Secretary-General Amr
#: Moussa", "le secrétaire général de la Ligue arabe, Amr Moussa").
_OFFICE_REACH = 40
_OFFICE_BREAK = re.compile(r"[.!?;\n。！？；]")


def _organisation_office(
    full: str, m: Match, raw: Sequence[Match], gz: Gazetteer, when: date | None
) -> bool:
    """True if the office-holder at ``m``, out of their state's office at ``when``, is
    named right after an international organisation ("the Arab League's secretary
    general Amr Moussa", 2005; Egypt's foreign minister until 2001): the organisation's
    official, not the state's."""
    if when is None or gz.person_country(m.value, when)[1]:
        return False
    return any(
        o.kind == Kind.ORG
        and m.start - _OFFICE_REACH <= o.end <= m.start
        and len(full[o.end : m.start].split()) <= 2  # an office's title, no clause
        and not _OFFICE_BREAK.search(full, o.end, m.start)
        for o in raw
    )


#: How far before a Chinese name its office's country may stand ("卡塔尔首相兼外交大臣"),
#: and what may stand between: an office's characters, not "的" ("访问马来西亚的国务资政
#: 李显龙": the country he visits).
_ZH_OFFICE_REACH = 8
_ZH_OFFICE_GAP = re.compile(r"[\u3400-\u7683\u7685-\u9fff]*")
_STATE_KINDS = frozenset({Kind.COUNTRY, Kind.DEMONYM, Kind.COMPOUND})


def _zh_foreign_office(
    full: str, m: Match, raw: Sequence[Match], gz: Gazetteer, when: date | None
) -> bool:
    """True if the Chinese name at ``m`` follows another country's name and an office
    with nothing else between ("卡塔尔首相兼外交大臣哈马德" in 2011: Qatar's prime
    minister, not Bahrain's king 哈马德): a namesake of that country. A keyword
    ("外交") is not something between; "我国" is the outlet's country, which the text
    does not name."""
    own = gz.person_country(m.value, when)[0]
    before = [r for r in raw if r.end <= m.start and r.kind != Kind.TOPIC]
    if not before or not own:
        return False
    last = max(before, key=_END_OF_MATCH)
    return (
        last.kind in _STATE_KINDS
        and full[last.start : last.end] != "我国"
        and own not in last.value.split()
        and m.start - last.end <= _ZH_OFFICE_REACH
        and _ZH_OFFICE_GAP.fullmatch(full, last.end, m.start) is not None
    )


def _zh_envoy(full: str, m: Match) -> bool:
    """True if the name at ``m`` is an ambassador's: no office-holder the gazetteer
    knows is one."""
    return full.startswith(_ZH_ENVOY, m.end) or full.endswith(_ZH_ENVOY, 0, m.start)


#: What follows a combining form in a compound ("Sino-Russian", "российско-китайский").
_HYPHENS = ("-", "\u2010", "\u2011", "\u2013")


def analyze_fields(
    doc_id: str,
    cleaned: CleanFields,
    lang_hint: str | None = None,
    published_at: datetime | None = None,
    country: str | None = None,
    truncated: bool = False,
) -> Analysis:
    """Analyse a document given as its fields, its title and text as
    ``clean_fields(title, text)`` made them (``truncated``: the raw input was cut). The
    checked entry, which takes a ``Document``, is :func:`analysis.documents.analyze`."""
    title, body = cleaned
    full = f"{title}\n{body}" if title and body else title or body
    if len(full) > MAX_TEXT_CHARS:
        full = full[:MAX_TEXT_CHARS]
        truncated = True
    lang = detect_language(f"{title}\n{body[:1500]}", lang_hint)
    if not full.strip():
        return Analysis(doc_id, lang, truncated=truncated)
    pattern_lang = lang if lang in SUPPORTED_LANGS else _FALLBACK_LANG.get(lang, "en")
    shown = full  # what evidence quotes: the text as written
    if pattern_lang == "zh":
        full = simplified(full)  # the lexicons' script; offsets are the same
    gz = gazetteer()
    ps = patterns(pattern_lang)
    norm = normalize(full)
    uncased = _uncased(title, body, full)
    capitals = [(a, b) for a, b, style in uncased if style == "upper"]
    raw, found = ps.find_document(full, norm, capitals)
    if uncased and pattern_lang in CASE_ONLY_NAMES:
        raw = _without_common_words(raw, norm, uncased, CASE_ONLY_NAMES[pattern_lang])
    checked: list[Match] = []
    org_officials: set[str] = set()  # office-holders named as an organisation's officials
    arabic = pattern_lang == "ar"
    when: date | None = published_at.date() if published_at else None
    # the outlet's country: the feed's, else a state agency's credit in the lead or a
    # government's release formula in the title
    home = country or gz.credited_country(body[:200], title)
    ours = _our_country_named(full, raw, gz, when) if pattern_lang == "zh" else None
    # "我国", "我方" in copy credited to another country's agency (中央社…電) are its own
    foreign = home if pattern_lang == "zh" and home is not None and home != _CHINA else None
    nisbas = _nisba_names(raw, full) if script_of(pattern_lang) == "arabic" else frozenset()
    for m in raw:
        kind = m[2]  # Match.kind
        if nisbas and kind in _NAMED_KINDS and _nisba_use(full, m, nisbas):
            continue  # "السوداني وأردوغان" after "محمد شياع السوداني": the person
        if ours is not None and m.start in ours:
            continue  # "我国总理李显龙": "our country" is Singapore, the outlet's
        if foreign is not None and m[3] == _CHINA and full[m.start : m.end] in _OUR_WORDS:
            m = m._replace(value=foreign)
        if arabic and kind in _NAMED_KINDS and arabic_name_use(full, m.start):
            continue  # "عبدالعزيز بن تركي الفيصل": a name, not a Turk
        if kind == Kind.DEMONYM and language_or_currency(full, m.start, m.end, pattern_lang):
            continue  # "la langue française", "francos suizos": a language, a currency
        if kind == Kind.COMBINING and not full.startswith(_HYPHENS, m.end):
            continue  # "Sino-", "российско-" join a compound; Spanish "sino que" is "but"
        if kind in _CITY_KINDS and accord_name_use(full, m.start, m.end):
            continue  # "the Minsk agreements", "les accords de Minsk": an accord's name
        if kind == Kind.PERSON and facility_name_use(full, m.start, m.end):
            continue  # "مركز الملك عبد الله المالي", "King Abdullah Financial District"
        if kind == Kind.PERSON and pattern_lang == "zh" and _zh_envoy(full, m):
            continue  # "大使萨尔", "萨尔大使": an ambassador of that name
        if (
            kind == Kind.PERSON
            and pattern_lang == "zh"
            and _zh_foreign_office(full, m, raw, gz, when)
        ):
            continue  # "卡塔尔首相兼外交大臣哈马德": Qatar's, not Bahrain's king
        if kind == Kind.PERSON and _organisation_office(full, m, raw, gz, when):
            org_officials.add(m.value)
            continue  # "الأمين العام لجامعة الدول العربية عمرو موسى" in 2005: the League's
        if (
            kind == Kind.PERSON
            and pattern_lang in NAME_CASED
            and not any(a <= m.start < b for a, b, _ in uncased)
            and _other_given_name(full, m, gz, ps, norm, found, raw)
        ):
            continue  # "Manuel Pellegrini": a namesake, not Slovakia's president
        if kind not in _CHECKED_KINDS:
            checked.append(m)
        elif kind == _COMPOUND:
            if pattern_lang == "zh":
                compound = _zh_compound(full, m, raw, gz)
                if compound is None:
                    continue
                m = compound
            checked.append(m)
        elif kind == _COUNTRY:
            cased = not any(a <= m.start < b for a, b, _ in uncased)
            if given_name_use(full, m.start, m.end, cased):
                continue
            if pattern_lang == "zh" and _sultan(full, m):
                continue  # "国家元首苏丹依布拉欣陛下": a sultan, not Sudan
            checked.append(m)
        elif not local_seat_use(full, m.start, m.end):  # a seat of power
            checked.append(m)
    if org_officials:  # every mention of them: "…et António Costa reçus par Xi Jinping"
        # over "le président du Conseil européen António Costa"
        checked = [m for m in checked if m[2] != _PERSON or m[3] not in org_officials]
    if arabic:
        checked.extend(_ar_joined_names(full, checked))
    elif pattern_lang in _SURNAME_LANGS:
        checked = _with_surnames(
            full, _with_titled_surnames(full, checked, gz, when, pattern_lang)
        )
    if pattern_lang == "zh" and (
        _ROC in shown or ("總統府" in shown and ("台灣" in shown or "臺灣" in shown))
    ):
        checked = [_roc_post(full, m) for m in checked]
    matches = resolve_entities(checked)
    if pattern_lang == "zh":
        matches = _without_name_tails(matches)

    countries: set[str] = set()
    regions: set[str] = set()
    orgs: set[str] = set()
    for m in matches:
        kind, value = m[2], m[3]  # Match.kind, .value
        if kind in _COUNTRY_KINDS:
            if kind == _PERSON:
                countries.add(gz.person_country(value, when)[0])
            else:
                countries.update(value.split())
        elif kind == _REGION:
            regions.add(value)
        elif kind == _ORG:
            orgs.add(value)
    sentences = _sentences(full, norm, matches, ps, found)
    if home is not None and pattern_lang != "zh" and _foreign_dateline(
        full, matches, len(title) + 1 if title and body else 0, home
    ):
        home = None  # "La Habana. … el primer ministro" in a Mexican paper: wire copy from
        # abroad, whose officials named by title are not the outlet's
    meetings = detect_meetings(sentences, full, gz, when, pattern_lang, home)
    for e in meetings:  # an implicit party (the outlet's or the host's official) counts
        countries.update(e.parties)
    if home is not None and not countries:
        offices = event_words(pattern_lang).home_offices
        if offices is not None and _home_office(full, matches, offices, home):
            countries.add(home)  # "Le chef du gouvernement rend compte au chef de l'État"
            # in a Tunisian paper: its own state's offices; in a story that names another
            # state, an office without a country is as likely that state's
    for c in countries:
        regions.update(gz.regions_of(c))
    finding = detect_sanctions(sentences, full)
    sanctions = SanctionsRecord()
    if finding is not None:
        s = finding.sentence
        sanctions = SanctionsRecord(
            True, finding.stance, shown[s.start : s.end], _relative(finding.spans, shown, s)
        )
    return Analysis(
        id=doc_id,
        lang=lang,
        countries=tuple(sorted(countries)),
        regions=tuple(sorted(regions)),
        keywords=tuple(topics(matches)),
        organisations=tuple(sorted(orgs)),
        events=tuple(_meeting_record(e, shown) for e in meetings),
        sanctions_rhetoric=sanctions,
        truncated=truncated,
    )
