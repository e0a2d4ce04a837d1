"""Sanctions rhetoric: presence, stance and evidence.

A sentence carries sanctions rhetoric when it has a sanctions term and:

* no sports / disciplinary cue in the same sentence (football, UEFA, КДК, 禁赛, ركلة
  جزاء...), and
* the term is a *strong* one (plural "sanctions", embargo, export controls, asset
  freeze, blacklist, 制裁, санкции, العقوبات...), or it is a *weak* one (singular or
  verb forms: "sanction", "sancionó", "sanctionné", عقوبة, санкция) with a country or
  organisation in the sentence and no approve/enact or judicial cue ("sancionó la
  ley", "sanctioned the budget", "sanctionné par un diplôme", "санкция прокурора");
  a *ban* word (حظر) also needs a target after it or two states: a ministry's ban at
  home ("حظر استيراد الألعاب النارية") is no embargo.

A penal-law cue (penal code, "法律制裁", "العقوبات الجنائية", "sanciones penales") excludes
the sentence: punishment under domestic law is not sanctions rhetoric.
A judicial cue (court, judge, fine, prison) excludes the sentence unless a country,
organisation or office-holder precedes the sanctions term ("Les États-Unis ont
sanctionné quatre juges") or a strong term carries a stance. Terms of the *action*
class (asset freeze, "sancionó a", "sanctioned", blacklisting) are an imposition
unless another cue says otherwise. With an approve/judicial cue, even a
strong term needs a country or organisation and a non-mention stance. In a sports
article (two or more sports cues) a sentence also needs a country or organisation.

Sentence stance, from cue words within 60 characters of a sanctions term (100 in
Arabic, whose verb comes first), by precedence
``condemn > lift > threaten > impose > mention``: a sentence that rejects or calls
sanctions illegal is condemnation even when it also says they were imposed.

Article stance: the first sentence in document order (title first) whose stance is not
a plain mention; if every sanctions sentence is a mention, the first of them. When the
title and lead (first three sentences) do not speak of sanctions, an imposition,
threat or lifting further down is background and counts as a mention; condemnation
counts wherever it is. Calls for sanctions ("urged", "призвал", "يطالب") are threats;
a call for their lifting ("appelle à la levée des sanctions") is lifting. "Discussed
new sanctions" is a threat: the imposition cue is what is discussed.
Weak words ("sanción", "sanction") are ignored in an article that already used a
sanctions word in a sports, judicial or approve sense. The
headline and lead carry the article's framing, so order beats a later, stronger cue.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .events import Sentence, is_sport_document
from .matcher import Kind, Match

__all__ = ["STANCE_ORDER", "SanctionsFinding", "detect_sanctions"]

STANCE_ORDER: tuple[str, ...] = ("condemn", "lift", "threaten", "impose")
_CUE_REACH = 60
#: Arabic puts the verb first and its subjects before the object ("أدرجت المملكة
#: والولايات المتحدة أسماء … على قائمة العقوبات"): the verb stands further away.
_CUE_REACH_VSO = 100
_DEBATE_REACH = 25  # a discussion cue governs a sanctions term right after it
_ACTOR_KINDS = frozenset({Kind.COUNTRY, Kind.METONYM, Kind.SEAT, Kind.PERSON, Kind.ORG})
_HEADLINE_SENTENCES = 3
_CONTEXT_KINDS = frozenset(
    {
        Kind.COUNTRY,
        Kind.DEMONYM,
        Kind.METONYM,
        Kind.SEAT,
        Kind.PERSON,
        Kind.ORG,
        Kind.COMPOUND,
        Kind.REGION,
    }
)


@dataclass(frozen=True, slots=True)
class SanctionsFinding:
    """Article-level sanctions rhetoric."""

    stance: str
    sentence: Sentence
    spans: tuple[tuple[int, int, str], ...]


_SINCE = re.compile(r"(?:since|منذ|с тех пор|depuis|desde|seit|自从|自)\W{0,3}$", re.IGNORECASE)


def _stance_cues(s: Sentence, text: str) -> set[str]:
    """Stance cues near a sanctions term. "Since ... imposed sanctions" is background.

    A demand is a threat ("urged sanctions on…") unless what it asks is the lifting
    ("called for the lifting of the sanctions": lift). An imposition cue inside a
    debated phrase ("discussed new sanctions") is what is discussed, not an act.
    """
    terms = s.kinds(Kind.SANCTION)
    reach = _CUE_REACH_VSO if _arabic(text, terms) else _CUE_REACH
    found = set()
    debated: list[Match] = []
    imposed: list[Match] = []
    for m in s.matches:
        if m.kind == Kind.STANCE and any(
            min(abs(m.start - t.end), abs(t.start - m.end)) <= reach for t in terms
        ):
            if m.value == "impose":
                if _SINCE.search(text, max(0, m.start - 30), m.start):
                    continue
                imposed.append(m)
            if m.value == "debate":
                if not any(0 <= t.start - m.end <= _DEBATE_REACH for t in terms):
                    continue  # "debated new sanctions", not "discussed trade under sanctions"
                debated.append(m)
            found.add(m.value)
    if (
        debated
        and imposed
        and all(
            any(d.end <= i.start and i.end - d.end <= _DEBATE_REACH for d in debated)
            for i in imposed
        )
    ):
        found.discard("impose")
    if "demand" in found:
        found.discard("demand")
        if "lift" not in found:
            found.add("threaten")  # a call to lift is the lifting asked for
    return found


def _arabic(text: str, terms: Sequence[Match]) -> bool:
    return bool(terms) and "\u0600" <= text[terms[0].start] <= "\u06ff"


def sentence_stance(
    s: Sentence, text: str, sport_doc: bool = False, domestic: bool = False
) -> str | None:
    """Stance of one sentence, or None when it carries no sanctions rhetoric.

    ``sport_doc``: the article is about sport; ``domestic``: another sentence already
    used a sanctions word in a sports, judicial or approve sense.
    """
    terms = s.kinds(Kind.SANCTION)
    if not terms or s.has(Kind.SPORT) or _penal(s):
        return None
    strong = any(m.value in ("strong", "action") for m in terms)
    entities = [m for m in s.matches if m.kind in _CONTEXT_KINDS]
    first_term = min(m.start for m in terms)
    subject = any(m.start < first_term for m in entities)
    cues = _stance_cues(s, text)
    stance = next((x for x in STANCE_ORDER if x in cues), None)
    if stance is None and "debate" in cues:
        stance = "threaten"  # "debated new sanctions": considered, nothing more
    if stance is None and any(m.value in ("action", "weak_action") for m in terms):
        stance = "impose"
    if s.has(Kind.APPROVE) and (not strong or stance is None or not entities):
        return None
    if s.has(Kind.JUDICIAL) and not subject and not (strong and stance is not None):
        return None
    if not strong and (domestic or not entities):
        return None
    if all(m.value == "ban" for m in terms) and not _targeted(entities, first_term):
        return None  # "the ministry banned fireworks": a ban at home, not an embargo
    if sport_doc and not any(m.kind in _ACTOR_KINDS for m in s.matches):
        return None
    return stance or "mention"


def _targeted(entities: Sequence[Match], first_term: int) -> bool:
    """A ban word names a target (a country, organisation or person after it) or is
    between states (two countries, or an organisation): "حظر تصدير الأسلحة إلى إيران"."""
    if any(m.start > first_term and m.kind in _ACTOR_KINDS | {Kind.DEMONYM} for m in entities):
        return True
    countries = {m.value for m in entities if m.kind in (Kind.COUNTRY, Kind.DEMONYM)}
    return len(countries) >= 2 or any(m.kind == Kind.ORG for m in entities)


def _penal(s: Sentence) -> bool:
    """A penal-law sense in the sentence (penal code, 法律制裁, العقوبات الجنائية)."""
    return Kind.JUDICIAL in s.kind_set and any(m.value == "penal" for m in s.kinds(Kind.JUDICIAL))


def _excluded_use(s: Sentence, text: str, sport_doc: bool) -> bool:
    """A sanctions word used in a sports, judicial or approve sense."""
    return (
        Kind.SANCTION in s.kind_set
        and (s.has(Kind.SPORT) or s.has(Kind.APPROVE) or s.has(Kind.JUDICIAL))
        and sentence_stance(s, text, sport_doc) is None
    )


def detect_sanctions(sentences: Sequence[Sentence], text: str) -> SanctionsFinding | None:
    """Article-level sanctions rhetoric (see the module docstring)."""
    first_mention: tuple[Sentence, str] | None = None
    chosen: tuple[Sentence, str] | None = None
    sport_doc = is_sport_document(sentences)
    domestic = any(
        _excluded_use(x, text, sport_doc) for x in sentences if Kind.SANCTION in x.kind_set
    )
    headline = any(Kind.SANCTION in x.kind_set for x in sentences[:_HEADLINE_SENTENCES])
    for s in sentences:
        if Kind.SANCTION not in s.kind_set:
            continue
        stance = sentence_stance(s, text, sport_doc, domestic)
        if stance in ("impose", "lift", "threaten") and not headline:
            stance = "mention"  # background: the article is not about these sanctions
        if stance is None:
            continue
        if stance != "mention":
            chosen = (s, stance)
            break
        if first_mention is None:
            first_mention = (s, stance)
    if chosen is None:
        chosen = first_mention
    if chosen is None:
        return None
    sentence, stance = chosen
    spans = []
    cues = _stance_cues(sentence, text)
    for m in sentence.matches:
        if m.kind == Kind.SANCTION:
            spans.append((m.start, m.end, "sanction"))
        elif m.kind == Kind.STANCE and stance in cues and (
            m.value == stance or (m.value == "demand" and stance == "threaten")
        ):
            spans.append((m.start, m.end, stance))  # a demand is marked as the threat
    return SanctionsFinding(stance, sentence, tuple(sorted(set(spans))))
