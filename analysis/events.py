"""Bilateral meeting detection.

A sentence (the title counts as one) reports a bilateral meeting when it holds a
meeting expression (:data:`MODALITY_ORDER`) and two distinct country *actors*. Actors
and their weights:

==============================================  ======
office-holder in office at the article's date     3.0
two-country compound (Sino-Russian, 中俄,          3.0
российско-китайские) / zh "X方"
country or demonym next to a role noun            3.0
(Russian foreign minister, وزير الخارجية الروسي)
capital or seat of power (Kremlin, بكين)          2.0
country name, demonym, former office-holder       1.5
city / province                                   not an actor
==============================================  ======

Countries named next to a non-state cue ("the Sudanese opposition", "Britain's Labour
Party", "former US president") are not state parties: weight 0.5, unless a role noun of
the same side of the meeting expression is nearer ("the French president met Germany's
opposition leader"). A country or demonym whose nearest noun is a civilian one
("Ukrainian refugees", "American technology firms", "الطلاب الأمريكيين", "中国企业家")
is not a party either; a demonym's noun is looked for on its head side (after it in
English, Russian and Chinese, before it in Arabic, French and Spanish). A role noun
that names its holder ("President Joe Biden") qualifies only a country right next to
it, not one further on ("President Biden met Ukrainian refugees").

Country names and demonyms after a topic cue ("discussed the Ukrainian crisis",
"الأزمة الأوكرانية", "ситуация на Украине") are topics, not parties: weight × 0.3.

The pair is the two best actors; a third actor as strong as the second makes the
sentence ambiguous (no event) unless a counterpart phrase decides it. "His Chinese
counterpart" patterns pair the counterpart's country with the subject (the best other
actor of the sentence, else of the title and previous sentence).

Rejected: a negation or cancellation cue in the sentence, or a proposal, offer, call,
condition or refusal right before the meeting expression ("proposed holding talks",
"ready for talks", "提议举行磋商"); a condition anywhere in the sentence ("will hold
talks only if…", "شريطة", "при условии"); a multilateral gathering
(summit/forum cue) with three or more actors and no "on the sidelines"/"bilateral" cue;
a three- or four-party format ("trilateral", "ثلاثي", "三方") without such a cue;
two officials of the same country.

When no sentence qualifies, a meeting expression in the first sentences of the article
may take its actors from the title and the previous sentence ("the two ministers'
phone call" after a sentence naming them).

Modality and CAMEO-style code (CAMEO 04x "Consult"):

==========  =====================================================================
call        041 discuss by telephone
visit       042 make a visit
talks       046 engage in negotiation
meeting     040 consult; 044 meet at a third location when a place or capital of a
            third country appears in the sentence
==========  =====================================================================

Precedence when several expressions occur: call > visit > summit (a meeting; ignored
when the sentence says "on the sidelines of" a summit) > talks/negotiations > met /
received (meeting) > discussed (talks): discussion words accompany most meetings, while
"talks" / "negotiations" name the format.
"Received" / "hosted" is a meeting; a virtual or video summit is a call.

A capital city or country after a locative preposition ("talks in Rome", "في القاهرة",
"в Алматы", "在北京", "بسوتشي") is a venue, not a party, unless the sentence reports a
visit (the visited country is a party); so is a capital that names the meeting
("محادثات فيينا", "the Vienna talks", "日内瓦会谈"); a seat of power ("received at the
Kremlin", "reçu à l'Élysée") stays a party. A capital opening a dateline ("ROME, April 19
(Reuters) -", "مسقط - رويترز:") is not an actor. Actors named after a mediation cue
("through Omani mediators", "بوساطة") are mediators. Plain actors far (> 80 chars) from
the meeting expression, after it, count less. With an organisation in the sentence
("a summit between Beijing and the European Union") both actors must be strong.

Article context: in an article about a multilateral gathering (summit/forum cue in the
title or first sentence, with an organisation or three countries there) a pair needs
a sidelines/bilateral cue or two strong actors;
in a sports article (two or more sports cues) a pair needs two strong actors; a
sentence with a sports cue or a year five or more years before the publication date
(not after "since") reports no meeting. A pair found in a negated title ("Trump
calls off summit with Putin") is vetoed for the whole article. A territory and its
sovereign (HK and CN) are not a bilateral pair.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache

from .gazetteer import SOVEREIGN, Gazetteer
from .lexicon import lexicon
from .matcher import Kind, Match
from .normalization import normalize_token

__all__ = ["CAMEO", "MODALITY_ORDER", "MeetingEvent", "Sentence", "detect_meetings"]

MODALITY_ORDER: tuple[str, ...] = ("call", "visit", "meeting", "talks")
#: Trigger groups of the lexicon, by precedence, and the modality each reports.
TRIGGER_ORDER: tuple[tuple[str, str], ...] = (
    ("call", "call"),
    ("visit", "visit"),
    ("summit", "meeting"),
    ("talks", "talks"),
    ("meeting", "meeting"),
    ("host", "meeting"),
    ("discuss", "talks"),
    ("sign", "meeting"),
)
#: Trigger groups that report a meeting only between two clear actors ("hosted an
#: exhibition", "signed a decree" are not meetings).
_WEAK_GROUPS = frozenset({"host", "sign", "discuss"})
CAMEO: dict[str, str] = {"call": "041", "visit": "042", "talks": "046", "meeting": "040"}
CAMEO_THIRD_LOCATION = "044"

_ACTOR_KINDS = frozenset(
    {
        Kind.COUNTRY,
        Kind.DEMONYM,
        Kind.METONYM,
        Kind.SEAT,
        Kind.PERSON,
        Kind.COMBINING,
        Kind.COMPOUND,
    }
)
_TOPIC_SENSITIVE = frozenset({Kind.COUNTRY, Kind.DEMONYM, Kind.PLACE})
_MIN_ACTOR = 1.5
_ADJACENT = 30
_ADJACENT_HAN = 6  # Han characters carry about a word each
#: A civilian noun ("refugees", "firms", "企业") qualifies a country this close.
_CIVILIAN_REACH = (20, 3)
_NAMED_REACH = (3, 1)
_LEAD_SENTENCES = 6
_TRIGGER_REACH = 80  # plain actors further than this from a trigger count less
_EXTRA_EVENT_SCORE = 6.0  # a second pair in one article needs two strong actors
_DATELINE_TAIL = re.compile(r"^[^.!?\n]{0,40}?(?:\s[-–—]\s|[-–—]\s|:\s|\)\s*[-–—:])")
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
_SINCE = ("since", "منذ", "со ", "с ", "после", "depuis", "desde", "以来", "自", "seit", "beri")
_HISTORICAL_YEARS = 5
#: Text before a second city of a dateline: "CARACAS/", "BUENOS AIRES / ".
_DATELINE_LEAD = re.compile(r"^[^\W\d_a-zà-ÿа-яё]+(?:[ /-]+[^\W\d_a-zà-ÿа-яё]+)*\s*/\s*$")
_ZH_DATELINE = re.compile(r"^(?:新华社|中新社|中新网|央视新闻|人民网|本报|环球网|参考消息网)")


@dataclass(frozen=True, slots=True)
class EventWords:
    """Plain-word cues of one language (data/lexicon.yaml, section events_words)."""

    locative: frozenset[str] = frozenset()
    #: "separately", "先后": one subject met two others one after the other
    separately: tuple[str, ...] = ()


@cache
def event_words(lang: str) -> EventWords:
    """The locative prepositions and "separately" cues of ``lang``."""
    section = (lexicon().get("events_words") or {}).get(lang) or {}
    return EventWords(
        frozenset(normalize_token(str(w)) for w in section.get("locative") or []),
        tuple(str(w).lower() for w in section.get("separately") or []),
    )


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of the analysed text with its matches (document offsets)."""

    index: int
    start: int
    end: int
    matches: tuple[Match, ...]
    kind_set: frozenset[str] = frozenset()

    @classmethod
    def of(cls, index: int, start: int, end: int, matches: Sequence[Match]) -> Sentence:
        """A sentence with its set of match kinds precomputed."""
        kinds = frozenset([m.kind for m in matches]) if matches else _NO_KINDS
        # Built for every sentence of every article: setting the slots directly costs
        # less than the frozen dataclass __init__ (object.__setattr__ per field).
        sentence = object.__new__(cls)
        _set_index(sentence, index)
        _set_start(sentence, start)
        _set_end(sentence, end)
        _set_matches(sentence, tuple(matches))
        _set_kind_set(sentence, kinds)
        return sentence

    def kinds(self, kind: str) -> list[Match]:
        """Matches of one kind."""
        if kind not in self.kind_set:
            return []
        return [m for m in self.matches if m.kind == kind]

    def has(self, kind: str) -> bool:
        """True if the sentence has a match of ``kind``."""
        return kind in self.kind_set


_NO_KINDS: frozenset[str] = frozenset()
_set_index, _set_start, _set_end, _set_matches, _set_kind_set = (
    Sentence.__dict__[name].__set__ for name in ("index", "start", "end", "matches", "kind_set")
)


@dataclass(frozen=True, slots=True)
class MeetingEvent:
    """A detected bilateral meeting."""

    parties: tuple[str, str]
    modality: str
    cameo: str
    sentence: Sentence
    spans: tuple[tuple[int, int, str], ...]  # document offsets and role
    score: float


@dataclass(slots=True)
class _Actor:
    score: float
    first: int
    matches: list[Match]


def _countries(m: Match, gz: Gazetteer, when: date | None) -> list[tuple[str, float]]:
    if m.kind == Kind.PERSON:
        country, in_office = gz.person_country(m.value, when)
        return [(country, 3.0 if in_office else 1.5)]
    if m.kind == Kind.COMPOUND:
        return [(c, 3.0) for c in m.value.split()]
    if m.kind == Kind.COMBINING:
        return [(m.value, 3.0)]
    if m.kind in (Kind.METONYM, Kind.SEAT):
        return [(m.value, 2.0)]
    return [(m.value, 1.5)]


_CLAUSE_BREAKS = frozenset(".;!?؟。,，、،؛")


def _gap(a: Match, b: Match) -> int:
    """Characters between two matches (0 when they overlap)."""
    return b.start - a.end if a.end <= b.start else max(0, a.start - b.end)


def _near(
    m: Match,
    others: Sequence[Match],
    text: str,
    reach: tuple[int, int] = (_ADJACENT, _ADJACENT_HAN),
) -> bool:
    """True if one of ``others`` stands within ``reach`` (characters; Han characters)
    of ``m`` in the same clause."""
    limit = _limit(m, text, reach)
    return any(_gap(m, o) <= limit and not _clause_break(_between(text, m, o)) for o in others)


def _limit(m: Match, text: str, reach: tuple[int, int]) -> int:
    """The reach in characters around ``m``: the second figure in Han text."""
    return reach[1] if "\u3400" <= text[m.start] <= "\u9fff" else reach[0]


#: Initials with their full stops ("U.S.", "U.K."): no clause ends there.
_INITIALS = re.compile(r"(?<![^\W\d_])(?:[^\W\d_]\.){2,}")


def _clause_break(between: str) -> bool:
    """True if the text between two matches ends a clause ("." of "U.S." does not)."""
    if _CLAUSE_BREAKS.isdisjoint(between):
        return False
    if "." in between:
        between = _INITIALS.sub("", between)
    return not _CLAUSE_BREAKS.isdisjoint(between)


def _civilian(m: Match, civilians: list[Match], officials: list[Match], text: str) -> bool:
    """True if the noun a country or demonym qualifies is a civilian one: a civilian
    noun within reach, nearer than any role noun ("met Ukrainian refugees", "وفدا من
    الطلاب الأمريكيين", "中国企业家代表团")."""
    reach = _limit(m, text, _CIVILIAN_REACH)
    civ = min(
        (_gap(m, c) for c in civilians if not _clause_break(_between(text, m, c))),
        default=reach + 1,
    )
    if civ > reach:
        return False
    return all(_gap(m, o) > civ or _clause_break(_between(text, m, o)) for o in officials)


def _own(m: Match, officials: list[Match], triggers: list[Match], lang: str) -> list[Match]:
    """The role nouns on ``m``'s side of the meeting expression; for a demonym, only
    those on its head side (an adjective qualifies the noun it follows or precedes)."""
    own = [o for o in officials if not any(_cue_between(o, m, [t.start]) for t in triggers)]
    if m.kind == Kind.DEMONYM:
        own = [o for o in own if (o.end <= m.start) == (lang in _HEAD_FIRST)]
    return own


def _nearer(m: Match, cues: list[Match], officials: list[Match], text: str) -> bool:
    """True if a cue is at least as near to ``m`` as every role noun of its clause:
    "the French president met Germany's opposition leader" keeps France a party."""
    cue = min(_gap(m, c) for c in cues)
    return all(
        _gap(m, o) >= cue
        or _clause_break(_between(text, m, o))
        or any(_gap(o, c) <= 3 for c in cues)  # "former president", "رئيس حزب"
        for o in officials
    )


#: Languages whose adjectives follow the noun ("الرئيس الفرنسي", "le président français").
_HEAD_FIRST = frozenset({"ar", "fr", "es", "fa"})
#: Words between a meeting noun and the city that names it ("pourparlers de Genève").
_NAMING_LINKS = frozenset({"", "de", "di"})


def _names_talks(m: Match, triggers: list[Match], text: str, lang: str) -> bool:
    """True for a capital that names a meeting ("محادثات فيينا", "the Vienna talks",
    "日内瓦会谈", "pourparlers de Genève"): the venue, not a party. Hosting and visits
    are not named so ("Moscow hosted…")."""
    for t in triggers:
        if t.value in _HOSTING or t.value == "visit":
            continue
        if lang in _HEAD_FIRST:
            if t.end <= m.start and text[t.end : m.start].strip().lower() in _NAMING_LINKS:
                return True
        elif m.end <= t.start and not text[m.end : t.start].strip():
            return True
    return False


def _inside(a: Match, b: Match) -> bool:
    return b.start <= a.start and a.end <= b.end


def _cue_between(a: Match, b: Match, cues: Sequence[int]) -> bool:
    """True if a topic cue stands between two matches ("Leaders discussed Taiwan")."""
    lo, hi = (a.end, b.start) if a.end <= b.start else (b.end, a.start)
    return any(lo <= c < hi for c in cues)


def _uncued(officials: list[Match], m: Match, cues: Sequence[int]) -> list[Match]:
    """The officials with no topic cue between them and ``m``."""
    if not cues:
        return officials
    return [o for o in officials if not _cue_between(o, m, cues)]


def _between(text: str, a: Match, b: Match) -> str:
    lo, hi = (a.end, b.start) if a.end <= b.start else (b.end, a.start)
    return text[lo:hi] if hi > lo else ""


def _hyphen_linked(a: Match, b: Match, text: str) -> bool:
    return 0 < b.start - a.end <= 3 and text[a.end : b.start].strip() in {"-", "–", "—"}


def _is_dateline(s: Sentence, m: Match, text: str) -> bool:
    lead = m.start - s.start
    if lead > 3 and not (lead <= 40 and _DATELINE_LEAD.match(text[s.start : m.start])):
        return lead <= 12 and _ZH_DATELINE.match(text, s.start) is not None
    return _DATELINE_TAIL.match(text[m.end : m.end + 60]) is not None


def _locative(m: Match, text: str, words: EventWords) -> bool:
    if _after_venue_city(m, text, words):
        return True
    if m.prefix.endswith(("ب", "بال")) or m.prefix in ("ب", "وب", "فب"):
        return True
    if not words.locative:
        return False
    before = text[max(0, m.start - 12) : m.start]
    if before and not before[-1].isspace() and before[-1] in words.locative:
        return True  # zh 在北京
    tokens = before.split()
    return bool(tokens) and _folded_word(tokens[-1]) in words.locative


def _names_mediator(m: Match, mediations: list[int], text: str) -> bool:
    """True for a country or demonym right before a mediation word in the same clause
    ("Egyptian and Qatari mediators")."""
    for at in mediations:
        if 0 <= at - m.end <= 25 and _CLAUSE_BREAKS.isdisjoint(text[m.end : at]):
            return True
    return False


def _after_venue_city(m: Match, text: str, words: EventWords) -> bool:
    """True for the country of a "City, Country" venue: "in Rio de Janeiro, Brazil",
    "en Davos, Suiza" (one to four capitalised words after a locative)."""
    before = text[max(0, m.start - 48) : m.start]
    if not before.rstrip().endswith(",") or not words.locative:
        return False
    tokens = before.rstrip()[:-1].split()
    for back in range(2, min(6, len(tokens) + 1)):
        if _folded_word(tokens[-back]) in words.locative:
            return all(t[:1].isupper() for t in tokens[-back + 1 :] if t not in _NAME_LINKS)
    return False


_NAME_LINKS = frozenset({"de", "da", "do", "del", "la", "le", "al", "el"})


@lru_cache(maxsize=8192)
def _folded_word(word: str) -> str:
    return normalize_token(word)


def sentence_actors(
    s: Sentence,
    text: str,
    gz: Gazetteer,
    when: date | None,
    lang: str = "en",
    modality: str | None = None,
    home: str | None = None,
) -> dict[str, _Actor]:
    """Country actors of a sentence with their scores.

    An official named without a country ("the Crown Prince received…", "国务委员…会见")
    is an implicit party when the sentence has one other party: of ``home`` (the
    outlet's country) when given, else of the country of the venue ("in Jeddah").
    """
    words = event_words(lang)
    visit = modality == "visit"
    officials: list[Match] = []
    counterparts: list[Match] = []
    triggers: list[Match] = []
    cues: list[int] = []
    mediations: list[int] = []
    entities: list[Match] = []
    nonstate: list[Match] = []
    civilians: list[Match] = []
    for m in s.matches:
        kind = m.kind
        if kind in _ACTOR_KINDS:
            entities.append(m)
        elif kind == Kind.OFFICIAL:
            officials.append(m)
        elif kind == Kind.COUNTERPART:
            counterparts.append(m)
        elif kind == Kind.TRIGGER:
            triggers.append(m)
        elif kind == Kind.TOPIC_CUE:
            cues.append(m.start)
        elif kind == Kind.MEDIATION:
            mediations.append(m.start)
        elif kind == Kind.NONSTATE:
            (civilians if m.value == "civilian" else nonstate).append(m)
    if civilians:  # "business leaders", "ولي أمر": no office
        officials = [o for o in officials if not any(_inside(o, c) for c in civilians)]
    officials += counterparts
    # A role noun that names its holder ("President Joe Biden") qualifies only a
    # country right next to it ("Russian President Vladimir Putin"), not one further on
    # ("President Biden met Ukrainian refugees").
    persons = [e for e in entities if e.kind == Kind.PERSON]
    named = [o for o in officials if any(_gap(o, p) <= 2 for p in persons)]
    free = [o for o in officials if o not in named] if named else officials
    first_cue = min(cues) if cues else None
    mediation_at = min(mediations) if mediations else None
    linked: set[int] = set()
    for i in range(len(entities) - 1):
        if _hyphen_linked(entities[i], entities[i + 1], text):
            linked.add(i)
            linked.add(i + 1)
    actors: dict[str, _Actor] = {}
    for i, m in enumerate(entities):
        for country, weight in _countries(m, gz, when):
            if not country:
                continue
            if m.kind in (Kind.METONYM, Kind.COUNTRY) and (
                _is_dateline(s, m, text)
                or (not visit and _locative(m, text, words))
                or (m.kind == Kind.METONYM and not visit and _names_talks(m, triggers, text, lang))
            ):
                weight = 0.5
            elif m.kind in (Kind.COUNTRY, Kind.DEMONYM) and (
                _near(m, _uncued(free, m, cues), text) or _near(m, named, text, _NAMED_REACH)
            ):
                weight = 3.0  # "وزير الخارجية السعودي", even after a discussion verb
            elif m.kind in _TOPIC_SENSITIVE and first_cue is not None and m.start > first_cue:
                weight *= 0.3  # "discussed the Palestinian-Israeli conflict"
            elif i in linked:
                weight = 3.0
            if mediation_at is not None and (
                m.start > mediation_at or _names_mediator(m, mediations, text)
            ):
                weight *= 0.3  # "through Omani mediators", "Egyptian and Qatari mediators"
            if m.kind in _TOPIC_SENSITIVE and _posting(m, text, lang):
                weight = min(weight, 1.0)  # "the US ambassador to Ukraine": a posting
            if (
                nonstate
                and _near(m, nonstate, text)
                and _nearer(m, nonstate, _own(m, free, triggers, lang), text)
            ):
                weight = min(weight, 0.5)  # "Sudanese opposition", "former US president"
            elif (
                civilians
                and m.kind in _TOPIC_SENSITIVE
                and _civilian(m, civilians, _own(m, free, triggers, lang), text)
            ):
                weight = min(weight, 0.5)  # "Ukrainian refugees", "الطلاب الأمريكيين"
            if (
                weight < 3.0
                and s.index > 0
                and triggers
                and all(m.start - t.end > _TRIGGER_REACH for t in triggers)
            ):
                weight *= 0.6
            actor = actors.get(country)
            if actor is None:
                actors[country] = _Actor(weight, m.start, [m])
            else:
                actor.score = max(actor.score, weight) + 0.1
                actor.matches.append(m)
    if officials and triggers:
        implicit = _implicit_party(s, actors, officials, entities, text, words, home)
        if implicit is not None:
            country, official = implicit
            actors[country] = _Actor(_IMPLICIT, official.start, [official])
    return actors


_IMPLICIT = 2.5  # an unqualified official's country: outlet's or venue's
_HOSTING = frozenset({"host"})  # trigger groups whose venue is the host's country
_VENUE_KINDS = frozenset({Kind.PLACE, Kind.METONYM, Kind.SEAT})


def _bare_officials(officials: list[Match], entities: list[Match]) -> list[Match]:
    """Role-noun phrases ("وزير الخارجية", "Crown Prince") that no country or person
    qualifies: each entity qualifies the phrase nearest to it."""
    phrases: list[list[Match]] = []
    for o in officials:
        if phrases and 0 <= o.start - phrases[-1][-1].end <= 3:
            phrases[-1].append(o)
        else:
            phrases.append([o])
    qualified: set[int] = set()
    for e in entities:
        if phrases:
            nearest = min(range(len(phrases)), key=lambda i: min(_gap(o, e) for o in phrases[i]))
            qualified.add(nearest)
    return [p[0] for i, p in enumerate(phrases) if i not in qualified]


def _implicit_party(
    s: Sentence,
    actors: dict[str, _Actor],
    officials: list[Match],
    entities: list[Match],
    text: str,
    words: EventWords,
    home: str | None,
) -> tuple[str, Match] | None:
    """The country of an official named without one, when the sentence has exactly one
    party: ``home`` (the outlet's country), else, when the official receives or hosts,
    the country of the venue ("استقبل ولي العهد … بجدة … وزير الخارجية المصري": the
    host is Saudi)."""
    strong = [c for c, a in actors.items() if a.score >= _MIN_ACTOR]
    if len(strong) != 1:
        return None
    bare = _bare_officials([o for o in officials if o.kind == Kind.OFFICIAL], entities)
    if not bare:
        return None
    other = strong[0]
    if home is not None:
        return (home, bare[0]) if _distinct(home, other) else None
    if not _hosting(s):
        return None  # only a host receives at home: "met … in Davos" says nothing
    for m in s.matches:
        if (
            m.kind in _VENUE_KINDS
            and m.value
            and _distinct(m.value, other)
            and (m.kind == Kind.SEAT or _locative(m, text, words))
        ):
            return m.value, bare[0]
    return None


def _modality(s: Sentence) -> str | None:
    if Kind.TRIGGER not in s.kind_set:
        return None
    found = {m.value for m in s.matches if m.kind == Kind.TRIGGER}
    if "summit" in found and s.has(Kind.SIDELINES):
        found.discard("summit")
    for group, modality in TRIGGER_ORDER:
        if group in found:
            return modality
    return None


def _counterpart_pair(
    s: Sentence,
    actors: dict[str, _Actor],
    context: Callable[[], dict[str, _Actor]],
    text: str,
    home: str | None = None,
) -> tuple[str, str] | None:
    counterparts = s.kinds(Kind.COUNTERPART)
    if not counterparts:
        return None
    theirs: str | None = None
    for m in s.matches:
        if m.kind in (Kind.DEMONYM, Kind.COUNTRY) and _near(m, counterparts, text):
            theirs = m.value
            break
    if theirs is None:
        return None
    ranked = sorted(
        (a for a in actors.items() if a[0] != theirs and a[1].score >= _MIN_ACTOR),
        key=lambda kv: (-kv[1].score, kv[1].first),
    )
    if not ranked:
        ranked = sorted(
            (a for a in context().items() if a[0] != theirs and a[1].score >= 2.0),
            key=lambda kv: (-kv[1].score, kv[1].first),
        )
    if not ranked:
        return (theirs, home) if home is not None and _distinct(home, theirs) else None
    return theirs, ranked[0][0]


def _choose_pair(s: Sentence, actors: dict[str, _Actor]) -> tuple[str, str] | None:
    pairs = _choose_pairs(s, actors)
    return pairs[0] if pairs else None


def _distinct(a: str, b: str) -> bool:
    return a != b and SOVEREIGN.get(a) != b and SOVEREIGN.get(b) != a


def _choose_pairs(
    s: Sentence, actors: dict[str, _Actor], text: str = "", lang: str = "en"
) -> list[tuple[str, str]]:
    """The party pairs of a sentence: the two best actors; or, when a third actor is as
    strong as the second, the single actor named before the meeting expression (the
    subject: "Wang Yi successively met Lavrov and Blinken") with each strong actor after
    it, when the sentence says the meetings were separate ("separately", "先后"): without
    it, one subject meeting two others is a trilateral meeting, not two pairs."""
    ranked = sorted(
        (kv for kv in actors.items() if kv[1].score >= _MIN_ACTOR),
        key=lambda kv: (-kv[1].score, kv[1].first),
    )
    if len(ranked) < 2:
        return []
    if len(ranked) >= 3:
        third = ranked[2][1].score
        if third >= 2.0 and s.has(Kind.SUMMIT) and not s.has(Kind.SIDELINES):
            return []
        if third >= ranked[1][1].score - 0.5:
            triggers = [m.start for m in s.matches if m.kind == Kind.TRIGGER]
            first_trigger = min(triggers) if triggers else s.end
            before = [kv for kv in ranked if kv[1].first < first_trigger]
            after = [kv for kv in ranked if kv[1].first > first_trigger]
            if len(before) == 1 and len(after) >= 2 and before[0][1].score >= 3.0:
                if not _separate_meetings(s, text, lang):
                    return []
                subject = before[0][0]
                best = after[0][1].score
                return [
                    (subject, kv[0])
                    for kv in after[:2]
                    if kv[1].score >= best - 0.5 and _distinct(subject, kv[0])
                ]
            if third >= ranked[1][1].score:
                return []
    a, b = ranked[0][0], ranked[1][0]
    return [(a, b)] if _distinct(a, b) else []


def _event(
    s: Sentence,
    pair: tuple[str, str],
    modality: str,
    actors: dict[str, _Actor],
    score: float,
) -> MeetingEvent:
    a, b = sorted(pair)
    cameo = CAMEO[modality]
    if modality == "meeting":
        for m in s.matches:
            if m.kind in (Kind.PLACE, Kind.METONYM) and m.value not in pair and m.value:
                cameo = CAMEO_THIRD_LOCATION
                break
    spans: list[tuple[int, int, str]] = []
    for country in (a, b):
        actor = actors.get(country)
        if actor is not None:
            spans.extend((m.start, m.end, "party") for m in actor.matches)
    for m in s.matches:
        if m.kind == Kind.TRIGGER:
            spans.append((m.start, m.end, "trigger"))
        elif m.kind == Kind.COUNTERPART:
            spans.append((m.start, m.end, "counterpart"))
    spans = sorted(set(spans))
    return MeetingEvent((a, b), modality, cameo, s, tuple(spans), score)


def _merge(*groups: tuple[dict[str, _Actor], float]) -> dict[str, _Actor]:
    merged: dict[str, _Actor] = {}
    for actors, factor in groups:
        for country, actor in actors.items():
            score = actor.score * factor
            current = merged.get(country)
            if current is None:
                merged[country] = _Actor(
                    score, actor.first, list(actor.matches) if factor == 1.0 else []
                )
            else:
                current.score = max(current.score, score) + 0.1
                if factor == 1.0:
                    current.matches.extend(actor.matches)
    return merged


def _org_partner(s: Sentence, pair: tuple[str, str], actors: dict[str, _Actor]) -> bool:
    """True if an organisation stands right next to a party ("between Beijing and the
    European Union"): the meeting is then with the organisation, not a second country."""
    orgs = s.kinds(Kind.ORG)
    if not orgs:
        return False
    for t in s.kinds(Kind.TRIGGER):
        if any(0 <= o.start - t.end <= 3 for o in orgs):
            return True  # "会见北约秘书长", "met the NATO chief"
    for country in pair:
        actor = actors.get(country)
        if actor is None:
            continue
        for m in actor.matches:
            for o in orgs:
                gap = o.start - m.end if o.start >= m.end else m.start - o.end
                if 0 <= gap <= 25:
                    return True
    return False


def _fewer_than_two_countries(s: Sentence, gz: Gazetteer, when: date | None) -> bool:
    """True if the actors of ``s`` name at most one country (so no pair)."""
    first = ""
    for m in s.matches:
        if m.kind in _ACTOR_KINDS:
            for country, _ in _countries(m, gz, when):
                if country and country != first:
                    if first:
                        return False
                    first = country
    return True


#: The words right before a country that an ambassador or envoy is posted to.
_POSTING = {
    "en": re.compile(
        r"(?:ambassador|envoy|embassy)\s+(?:\w+\s+){0,2}(?:to|in)\s+(?:the\s+)?$", re.I
    ),
    "fr": re.compile(
        r"(?:ambassad\w*|envoy\w*)\s+(?:\w+\s+){0,2}(?:en|au|aux|à|auprès\s+d\w*)\s+(?:la\s+|l')?$",
        re.I,
    ),
    "es": re.compile(r"(?:embajad\w*|enviad\w*)\s+(?:\w+\s+){0,2}(?:en|ante)\s+$", re.I),
    "ru": re.compile(
        r"(?:посол|посла|послом|послу|посольств\w*)\s+(?:\w+\s+){0,2}(?:в|во)\s+$", re.I
    ),
    "ar": re.compile(r"(?:سفير|سفيرة|السفير|سفارة)\s+(?:\S+\s+){0,3}(?:لدى|في)\s+$"),
    "zh": re.compile(r"驻$"),
}


#: A word each match of _POSTING holds: the regex runs only where one stands.
_POSTING_HINTS = {
    "en": ("mbass", "nvoy"),
    "fr": ("mbassad", "nvoy"),
    "es": ("mbajad", "nviad"),
    "ru": ("осол", "осл", "осольств"),
    "ar": ("سفير", "سفار"),
    "zh": ("驻",),
}


def _posting(m: Match, text: str, lang: str) -> bool:
    """True for the country an ambassador is posted to ("ambassador to Egypt", "驻埃及")."""
    pattern = _POSTING.get(lang)
    if pattern is None:
        return False
    start = max(0, m.start - 50)
    window = text[start : m.start]
    if not any(h in window for h in _POSTING_HINTS[lang]):
        return False
    return pattern.search(text, start, m.start) is not None


_PROPOSAL_REACH = 40
_PROPOSAL_REACH_HAN = 12


def _negated(s: Sentence, text: str) -> str | None:
    """The veto of a sentence: "negation" if it denies or cancels its meeting,
    "proposal" if it only proposes, offers, refuses or conditions one ("proposed holding
    talks", "ready for talks", "only if…"), else None."""
    if Kind.NEGATION not in s.kind_set:
        return None
    triggers = s.kinds(Kind.TRIGGER)
    found = None
    for n in s.kinds(Kind.NEGATION):
        if n.value == "condition":
            found = "proposal"  # "will hold talks only if…": wherever it stands
            continue
        if n.value != "proposal":
            return "negation"
        han = "\u3400" <= text[n.start] <= "\u9fff"
        reach = _PROPOSAL_REACH_HAN if han else _PROPOSAL_REACH
        if any(n.start < t.start and t.start - n.end <= reach for t in triggers):
            found = "proposal"
    return found


def _hosting(s: Sentence) -> bool:
    """A host's meeting expression ("received", "استقبل") in the sentence."""
    return any(m.kind == Kind.TRIGGER and m.value in _HOSTING for m in s.matches)


def _hosted_at_venue(s: Sentence) -> bool:
    """A host's meeting expression and a venue: an implicit host may be found."""
    return _hosting(s) and any(m.kind in _VENUE_KINDS for m in s.matches)


def _separate_meetings(s: Sentence, text: str, lang: str) -> bool:
    """True if the sentence says its meetings were separate ("separately", "先后")."""
    cues = event_words(lang).separately
    if not cues or not text:
        return False
    sentence = text[s.start : s.end].lower()
    return any(c in sentence for c in cues)


def _historical(s: Sentence, text: str, when: date | None) -> bool:
    if when is None:
        return False  # an undated text: no year is far from its date
    sentence = text[s.start : s.end]
    if "20" not in sentence and "19" not in sentence and "18" not in sentence:
        return False  # no year
    for m in _YEAR.finditer(sentence):
        if int(m.group()) <= when.year - _HISTORICAL_YEARS:
            before = sentence[max(0, m.start() - 12) : m.start()].lower()
            if not any(k in before for k in _SINCE):
                return True
    return False


def is_sport_document(sentences: Sequence[Sentence]) -> bool:
    """Two or more sport cues (club, match, league…) make the article a sports story."""
    cues = sum(
        1 for x in sentences if Kind.SPORT in x.kind_set for m in x.matches if m.kind == Kind.SPORT
    )
    return cues >= 2


def detect_meetings(
    sentences: Sequence[Sentence],
    text: str,
    gz: Gazetteer,
    when: date | None,
    lang: str = "en",
    home: str | None = None,
) -> list[MeetingEvent]:
    """Bilateral meetings of a document, one per pair (see the module docstring).
    ``home`` is the outlet's country, for officials it names without a country."""
    lead = sentences[:2]
    lead_countries = {
        c
        for x in lead
        for m in x.matches
        if m.kind in _ACTOR_KINDS
        for c, _ in _countries(m, gz, when)
    }
    multilateral = (
        any(x.has(Kind.SUMMIT) for x in lead)
        and not any(x.has(Kind.SIDELINES) for x in lead)
        and (any(x.has(Kind.ORG) for x in lead) or len(lead_countries) >= 3)
    )
    sport_doc = is_sport_document(sentences)
    candidates: dict[
        tuple[str, str], tuple[Sentence, tuple[str, str], str, dict[str, _Actor], float]
    ] = {}
    scores: dict[tuple[str, str], float] = {}
    vetoed: set[tuple[str, str]] = set()
    actor_cache: dict[int, dict[str, _Actor]] = {}

    modalities = [_modality(x) if Kind.TRIGGER in x.kind_set else None for x in sentences]

    def actors_of(i: int) -> dict[str, _Actor]:
        if i not in actor_cache:
            actor_cache[i] = sentence_actors(
                sentences[i], text, gz, when, lang, modalities[i], home
            )
        return actor_cache[i]

    def consider(
        i: int,
        s: Sentence,
        pair: tuple[str, str],
        modality: str,
        actors: dict[str, _Actor],
        groups: set[str],
    ) -> None:
        weakest = min(actors[c].score if c in actors else 0.0 for c in pair)
        framed = (
            multilateral or s.has(Kind.SUMMIT) or _org_partner(s, pair, actors)
        ) and not s.has(Kind.SIDELINES)
        if (framed or sport_doc) and weakest < 3.0:
            return
        if groups <= _WEAK_GROUPS and weakest < (3.0 if groups == {"sign"} else 2.0):
            return
        score = sum(actors[c].score if c in actors else 2.0 for c in pair)
        if i == 0:
            score += 1.0
        key = (min(pair), max(pair))
        scores[key] = max(scores.get(key, 0.0), score)
        current = candidates.get(key)
        rank = MODALITY_ORDER.index(modality)
        if current is None or (rank, -score) < (MODALITY_ORDER.index(current[2]), -current[4]):
            candidates[key] = (s, pair, modality, actors, score)

    pending: list[int] = []
    for i, s in enumerate(sentences):
        modality = modalities[i]
        if modality is None or s.has(Kind.SPORT) or _historical(s, text, when):
            continue
        if (
            Kind.COUNTERPART not in s.kind_set
            and not (Kind.OFFICIAL in s.kind_set and (home or _hosted_at_venue(s)))
            and _fewer_than_two_countries(s, gz, when)
        ):
            if not _negated(s, text):  # no pair: as below, without scoring the actors
                pending.append(i)
            continue
        actors = actors_of(i)

        def context(i: int = i) -> dict[str, _Actor]:
            if i == 0:  # a headline's subject is often named in the lead
                return _merge((actors_of(1), 0.8)) if len(sentences) > 1 else {}
            return _merge((actors_of(0), 0.8), (actors_of(i - 1), 0.8))

        counterpart = _counterpart_pair(s, actors, context, text, home)
        pairs = [counterpart] if counterpart else _choose_pairs(s, actors, text, lang)
        negated = _negated(s, text)
        if negated:
            if i == 0 and negated == "negation":  # a proposal vetoes only its sentence
                vetoed.update((min(p), max(p)) for p in pairs)
            continue
        pairs = [p for p in pairs if p[0] != p[1]]
        if not pairs:
            pending.append(i)
            continue
        groups = {m.value for m in s.matches if m.kind == Kind.TRIGGER}
        if groups == {"summit"} and (multilateral or len(actors) > 2) and not s.has(Kind.SIDELINES):
            continue  # "a summit with three heads of state": a gathering, not a meeting
        if not s.has(Kind.SIDELINES) and any(
            m.kind == Kind.SUMMIT and m.value == "trilateral" for m in s.matches
        ):
            continue  # "hosted the leaders of Azerbaijan and Georgia for trilateral talks"
        if len(pairs) > 1 and multilateral:
            continue  # "hosted the Japanese and South Korean leaders" at a trilateral summit
        for pair in pairs:
            consider(i, s, pair, modality, actors, groups)
    if not candidates and not multilateral and not sport_doc:
        for i in pending:
            if i >= _LEAD_SENTENCES or i == 0:
                continue
            s = sentences[i]
            if not s.has(Kind.DUAL):
                continue
            own = actors_of(i)
            merged = _merge((own, 1.0), (actors_of(0), 0.8), (actors_of(i - 1), 0.8))
            strong = {c: a for c, a in merged.items() if a.score >= 2.0}
            fallback = _choose_pair(s, strong)
            if fallback is None:
                continue
            pair = fallback
            modality = modalities[i]
            assert modality is not None
            key = (min(pair), max(pair))
            candidates[key] = (s, pair, modality, merged, 0.0)
            scores[key] = 0.0
            break
    ranked = sorted((k for k in candidates if k not in vetoed), key=lambda k: -scores[k])
    kept = ranked[:1] + [k for k in ranked[1:] if scores[k] >= _EXTRA_EVENT_SCORE]
    events = [_event(*candidates[k]) for k in kept]
    return sorted(events, key=lambda e: e.sentence.start)
