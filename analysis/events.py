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
it, not one further on ("President Biden met Ukrainian refugees"). A country or demonym
that qualifies a name the gazetteer does not know ("South Korea's Samsung", "японская
Toyota", "la surcoreana Samsung") names a company: weight 0.5. A pair one of whose
parties is named only by former heads of state or government, out of office on the
article's date and without a title ("Trump hosted Hungarian Prime Minister Viktor Orban
at Mar-a-Lago" in 2024), is not a meeting of states: they act privately.

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
counterparts from a list of countries ("his counterparts from Brazil, India and South
Africa"); an expected meeting ("are expected to hold talks in the coming weeks") unless
the sentence gives a firm date ("on Wednesday"); two officials of the same country. A
lead that says no date is set vetoes the title's pair. An opinion or analysis title
("Analysis: …") and a title's meeting noun after a topic preposition ("China warns
Japan over Yasukuni visit") report no meeting; a temporal "when"/"after" clause dated
to a month later than the publication month reports last year's meeting.

Set aside before the rest (``_set_aside``): a meeting expression a comment or a
remembrance is about ("commented on the US president's visit", "anniversary of
Nixon's visit", "Визит … вспомнили"), one that names an organisation's gathering ("after
a meeting of NATO defence ministers", "OPEC+ meeting"; unless the sentence says "on the
sidelines"), and a host's expression that receives or welcomes a thing ("received new
systems from the German government", "welcomes Armenia-Azerbaijan peace deal").

Background is not the main event (``_foreground``, with the plain words of the
lexicon's ``events_words``): a meeting expression in a background sentence ("Earlier,
…", "Ранее …", "وكان … قد"), right after "last"/"previous" ("last met"), with a
civilian or non-state partner ("a meeting with reporters", "visited a factory"), in a
dated background clause (", who met Rubio in February,", "since their meeting", "a
month after his visit"), or followed by a past date in a statement or after the lead
("said his meeting with Trump in February had…") reports no meeting. An undated
background clause (", who arrived in Moscow on Monday,", "after talks with…") is set
aside, with its actors, when the rest of the sentence reports a meeting of two
countries; otherwise it may report the sentence's only meeting.

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
("through Omani mediators", "بوساطة") are mediators, and so is every mention of a
country named as one ("arrived in Doha for talks mediated by Qatar"), and a country that
hosts or mediates talks between others ("Oman hosted talks between Iran and the United
States"): a mediator is never the implicit party of an unnamed official. A role noun before
a list of three or more countries qualifies them all ("the foreign ministers of France,
Germany and Britain met…": no pair). Plain actors far (> 80 chars) from
the meeting expression, after it, count less. With an organisation in the sentence
("a summit between Beijing and the European Union") both actors must be strong.

Article context: in an article about a multilateral gathering (summit/forum cue in the
title or first sentence, with an organisation or three countries there) a pair needs
a sidelines/bilateral cue or two strong actors;
in a sports article (two or more sports cues) a pair needs two strong actors; a
sentence with two sports cues, or one next to a country ("the Moroccan national team"),
or a year five or more years before the publication date (not after "since") reports
no meeting; one loose sports cue ("the key players in the crisis") asks for two strong
actors. A pair found in a negated title ("Trump
calls off summit with Putin") is vetoed for the whole article. A territory and its
sovereign (HK and CN) are not a bilateral pair.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache, partial
from itertools import pairwise
from operator import itemgetter

from .gazetteer import SOVEREIGN, Gazetteer, gazetteer
from .lexicon import NAME_CASED, lexicon
from .matcher import Kind, Match
from .normalization import casing, normalize_token

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
_TOPIC_SENSITIVE = frozenset({Kind.COUNTRY, Kind.DEMONYM, Kind.PLACE, Kind.COMBINING})
# Kinds as module constants: read in loops over every match of a sentence. The
# hottest of those loops also read Match fields by index (m[0] start, m[1] end, m[2]
# kind, m[3] value): a NamedTuple field read by name costs several times more.
_COMBINING = Kind.COMBINING
_COMPOUND = Kind.COMPOUND
_COUNTERPART = Kind.COUNTERPART
_COUNTRY = Kind.COUNTRY
_DEMONYM = Kind.DEMONYM
_MEDIATION = Kind.MEDIATION
_METONYM = Kind.METONYM
_NONSTATE = Kind.NONSTATE
_OFFICIAL = Kind.OFFICIAL
_PERSON = Kind.PERSON
_SPORT = Kind.SPORT
_SUMMIT = Kind.SUMMIT
_TOPIC_CUE = Kind.TOPIC_CUE
_TRIGGER = Kind.TRIGGER
_MIN_ACTOR = 1.5
_ADJACENT = 30
_ADJACENT_HAN = 6  # Han characters carry about a word each
#: A civilian noun ("refugees", "firms", "企业") qualifies a country this close.
_CIVILIAN_REACH = (20, 3)
_NAMED_REACH = (3, 1)
_FORMER_REACH = 30  # "Former U.S. Secretary of State" is no longer than this
_FORMER_REACH_AR = 60  # "…، وزير الشؤون الخارجية والتعاون الإسباني الأسبق"
_LEAD_SENTENCES = 6
_TRIGGER_REACH = 80  # plain actors further than this from a trigger count less
#: What a pair gains from the title and from the lead: news tells its main event first,
#: and a later sentence's stronger names ("ضمن جولة خليجية استهلها أمس في جدة بلقاء
#: … ولي العهد") tell a stop of the same tour.
_POSITION_BONUS = (1.0, 0.5)
_EXTRA_EVENT_SCORE = 6.0  # a second pair in one article needs two strong actors
#: ... and the title or the lead sentence: further on, published news mentions other
#: meetings as background to the article's main event ("after President Kenyatta
#: hosted…", "ضمن جولة خليجية استهلها أمس في جدة بلقاء…", "Из Москвы Саркози вылетает в
#: Тбилиси для встречи…")
_EXTRA_EVENT_LEAD = 1
#: ... or the sentence after the lead when the title names both of its parties: a tour
#: ("Barrot en Israël puis à Ramallah", "su gira por Argentina y Chile")
_EXTRA_EVENT_TOUR = 2
_DATELINE_TAIL = re.compile(r"^[^.!?\n]{0,40}?(?:\s[-–—]\s|[-–—]\s|:\s|\)\s*[-–—:])")
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
_SINCE = ("since", "منذ", "со ", "с ", "после", "depuis", "desde", "以来", "自", "seit", "beri")
_HISTORICAL_YEARS = 5
#: Text before a second city of a dateline: "CARACAS/", "BUENOS AIRES / ".
_DATELINE_LEAD = re.compile(r"^[^\W\d_a-zà-ÿа-яё]+(?:[ /-]+[^\W\d_a-zà-ÿа-яё]+)*\s*/\s*$")
_ZH_DATELINE = re.compile(
    r"[(（【]?(?:据)?(?:新华社|中新社|中新网|央视新闻|人民网|本报|环球网|参考消息网|卫星新闻|"
    r"卫星通讯社|法新社|路透社|美联社|共同社|韩联社|塔斯社|越通社|中央社)"
)


@dataclass(frozen=True, slots=True)
class EventWords:
    """Plain-word cues of one language (data/lexicon.yaml, section events_words)."""

    locative: frozenset[str] = frozenset()
    #: "separately", "先后": one subject met two others one after the other (whole
    #: words: "puis" is no cue inside "depuis")
    separately: re.Pattern[str] | None = None
    #: openers of background clauses, by group: "rel" (", who"), "since", "after",
    #: "before"; and speech verbs ("said"), group "speech"
    clauses: re.Pattern[str] | None = None
    #: a background sentence's opener ("Earlier,", "Ранее") and the word it needs later
    #: in the sentence ("وكان … قد"), if any
    earlier: tuple[tuple[re.Pattern[str], re.Pattern[str] | None], ...] = ()
    #: words right after an ``earlier`` opener that keep it the same day ("on Monday")
    same_day: re.Pattern[str] | None = None
    #: a word right before a meeting expression that makes it an earlier one ("previous
    #: talks"), or a phrase ending with one ("last met")
    previous: re.Pattern[str] | None = None
    #: past-time phrases; group "p" (a phrase), "m1".."m12" (a month), "y" (a year)
    past: re.Pattern[str] | None = None
    #: a time unit ending the text before an "after" opener ("days after")
    unit_before: re.Pattern[str] | None = None
    #: a separator of a list of countries ("France, Germany and Britain")
    list_separator: re.Pattern[str] | None = None
    #: substrings of the lower-cased sentence without which ``clauses`` finds no
    #: opener, ``past`` no date, ``previous`` no word (a cheap test before the scans)
    clause_keys: tuple[str, ...] = ()
    past_keys: tuple[str, ...] = ()
    previous_keys: tuple[str, ...] = ()
    #: the lower-cased openers of ``earlier``
    earlier_keys: tuple[str, ...] = ()
    #: the keys as the space-separated words of a lower-cased sentence may carry them
    #: ("february,"), and the keys found only as substrings (stems, clitics, Han): a
    #: sentence with none of them has neither background clause nor past date
    hint_words: frozenset[str] = frozenset()
    hint_stems: tuple[str, ...] = ()
    #: the lower-cased proposal cues that only make a meeting tentative ("expected
    #: to"), and the firm dates that keep it scheduled ("on Monday", "tomorrow")
    expected: tuple[str, ...] = ()
    firm: re.Pattern[str] | None = None
    #: prefixes of an opinion or analysis title ("Analysis:"): it reports no meeting
    opinion: tuple[str, ...] = ()
    #: text right before a meeting noun of a title that makes it a topic ("warns
    #: Japan over Yasukuni visit")
    topic_of: re.Pattern[str] | None = None
    #: the lower-cased negation cues that say no date is set ("no date")
    undated: tuple[str, ...] = ()
    #: text right before a meeting expression that makes it the object of a comment or
    #: a remembrance ("commented on the US president's visit", "anniversary of
    #: Nixon's visit", "вспомнили визит"), and text right after one that does
    #: ("Визит … вспомнили"); ``commented_keys`` are substrings without which
    #: neither finds anything
    commented: re.Pattern[str] | None = None
    commented_after: re.Pattern[str] | None = None
    #: a cue split by its subject ("علقت الخارجية الإيرانية على زيارة"): the word right
    #: before the meeting expression, and the verb it needs earlier in the sentence
    commented_split: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = ()
    commented_keys: tuple[str, ...] = ()
    #: a finite verb's words: an auxiliary right before a comment cue, or a cue's own
    #: first word ("The step was agreed during talks…", "Договорённость достигнута в
    #: ходе…"): the sentence reports the meeting, it does not refer back to one
    commented_finite: frozenset[str] = frozenset()
    #: "from" after a host's expression: "received new air-defence systems from" is a
    #: delivery, not a meeting, when no party or role noun stands between
    received_from: re.Pattern[str] | None = None
    #: a thing a host's expression welcomes ("welcomed the India-Pakistan ceasefire",
    #: "welcomes Saudi-Iran decision"): its object is no visitor, so no meeting
    hosted_thing: re.Pattern[str] | None = None
    #: an act a signing expression signs alone ("signed an executive order", "подписал
    #: указ"): a decree or a law, not an agreement between two states
    signed_thing: re.Pattern[str] | None = None
    #: a reaction clause ("drawing criticism from Beijing", "angering Tokyo", "вызвав
    #: недовольство Пекина"): whoever it names reacts to the event and takes no part
    #: in it; ``reaction_keys`` are substrings without which it finds nothing
    reaction: re.Pattern[str] | None = None
    reaction_keys: tuple[str, ...] = ()
    #: lower-cased beginnings of an invitation cue or of a proposal made to someone
    #: ("invited", "пригласил", "propuso a su homólogo"): the guest's or addressee's
    #: name and title stand between it and the meeting expression ("invited Syrian
    #: President Bashar al-Assad for talks"), so it reaches twice as far
    invitation: tuple[str, ...] = ()
    #: the host's invitation a visit is made at ("по приглашению", "بدعوة من", "à
    #: l'invitation de"): a proposal word inside it proposes nothing
    invited_by: re.Pattern[str] | None = None
    #: lower-cased beginnings of the non-state cues that say a person holds no office
    #: now ("former", "president-elect", "前总统"): see :func:`_former_people`
    former: tuple[str, ...] = ()
    #: a question's opening word that asks about a fact, not whether it happens ("why",
    #: "how", "почему"): see :func:`_asks_whether`
    wh: re.Pattern[str] | None = None
    #: a sentence's last clause when it names a source (", Oman's foreign minister
    #: said.", ", сообщил глава МИД Омана.") or opens with a coordinating conjunction
    #: (", and China said…"): see :func:`_without_attribution`
    attribution: re.Pattern[str] | None = None
    #: a sentence's last clause opened by a participle of speech (", calling
    #: Lukashenko's regime unacceptable"): what the subject said, not whom it met; see
    #: :func:`_without_attribution`
    commenting: re.Pattern[str] | None = None
    #: a sentence's opener that dates it years back ("Ten years ago, …", "Ровно год
    #: назад …"): what it reports is background
    years_ago: re.Pattern[str] | None = None
    #: the partners a meeting expression names in the plural, without naming them
    #: ("met several Latin American leaders", "встретился с рядом лидеров"), right
    #: after it (and "with"): a round of meetings, not a bilateral one
    plural_partners: re.Pattern[str] | None = None
    #: the comma before a speech verb that follows what was said ("Moldova still gets
    #: gas, Putin said during his visit to Kyrgyzstan"): see :func:`_without_said_head`
    said_head: re.Pattern[str] | None = None
    #: a state's offices that an outlet names for its own state without a country
    #: ("le chef du gouvernement", "国务院"): see ``analysis.analyzer``
    home_offices: re.Pattern[str] | None = None
    #: words of a title or lead that report a round of meetings with several partners
    #: ("会见非洲多国外长", "five counterparts"): the article has no one pair
    round: re.Pattern[str] | None = None
    #: words of separate meetings ("held separate talks with", "分别会见"): a round, unless
    #: the partners are of one state (see ``_round_of_meetings``)
    separate_round: re.Pattern[str] | None = None
    #: "used the", "aprovechó el": a meeting expression right after it is the occasion of
    #: another act ("aprovechó el encuentro para reclamar…"), reported before
    occasion: re.Pattern[str] | None = None
    #: the last words of a headline that only expects its meeting ("Japan says talks
    #: with South Korea possible")
    title_tentative: re.Pattern[str] | None = None
    #: the preposition naming a meeting's partner ("with", "avec", "с"): see
    #: :func:`_co_partners`
    partner_with: re.Pattern[str] | None = None
    #: letters and messages among the negation cues: no veto where the sentence reports
    #: the reception at which one was handed over
    letter: tuple[str, ...] = ()
    #: what a call may convey among the negation cues (condolences, a message): no veto
    #: where the call that conveyed it comes first in the clause
    conveyed: tuple[str, ...] = ()
    #: an ambassador's title
    envoy: tuple[str, ...] = ()
    #: the words "and" joining a list (of countries, of names)
    conjunctions: tuple[str, ...] = ()
    #: the noun "capital" between a locative and a venue ("in the Finnish capital")
    capital: frozenset[str] = frozenset()
    #: the locatives and the prepositions of a destination that are none ("la visita de
    #: los Reyes a Cuba"): in a visit, a country after one names where an official goes,
    #: not the official's state
    destination: frozenset[str] = frozenset()
    #: "with the participation of": after a sidelines word, who attended the gathering
    participation: re.Pattern[str] | None = None
    #: "in the presence of": a third state's official present makes three
    presence: re.Pattern[str] | None = None
    #: lower-cased beginnings of an offer's verb, and what one offers by holding it, a
    #: press conference or a meal ("ofrecieron … una rueda de prensa conjunta", "ofreció
    #: un almuerzo de trabajo al presidente argentino": no proposal)
    offer: tuple[str, ...] = ()
    offered_events: re.Pattern[str] | None = None
    #: a pluperfect's auxiliary and participle: before a body sentence's meeting
    #: expression, in its clause, the meeting is background ("avait plaidé … lors de
    #: son entretien", "had predicted … during Xi Jinping's state visit")
    pluperfect_aux: re.Pattern[str] | None = None
    #: an office's title and the capitalised word right after it, group 1 ("President
    #: Bush", "el presidente Menem"): a family name to look up on the article's date
    name_titles: re.Pattern[str] | None = None
    #: openers that take up the previous sentence's statement ("These remarks", "Ces
    #: propos"): its subject is a party of the meeting told next, as after a pronoun
    remarks: re.Pattern[str] | None = None
    #: "during", "в ходе": a proposal before one and a meeting expression was made at
    #: that meeting
    during: re.Pattern[str] | None = None
    #: ``during``, ``where`` and the lexicon's ``occasion_of``: words that make the
    #: meeting expression after them (in Chinese, before them) the occasion of what the
    #: sentence reports ("The announcement came after talks with", "Lo dijo tras
    #: reunirse con", "会谈时表示"): the meeting of a later sentence is the lead's, not
    #: one told in passing
    occasion_of: re.Pattern[str] | None = None
    #: verbs of motion right before a bare origin word ("llegó desde"): a place clause
    #: after it tells an earlier stop of the journey
    motion: re.Pattern[str] | None = None
    #: where a journey came from, right before a place clause: the clause tells an
    #: earlier stop ("en provenance de", and the ``bare_origin`` words, which need a verb
    #: of motion right before them: "flown in from", "llegó desde"; not "se realizó de
    #: manera virtual desde Palacio de Gobierno")
    origin: re.Pattern[str] | None = None
    bare_origin: frozenset[str] = frozenset()
    #: words right before a capital that make it a region or its governor's seat ("منطقة
    #: الرياض", "أمير الرياض"): the place, not the state
    regional: tuple[str, ...] = ()
    #: words right before a country that name its border or a transit through it ("en la
    #: frontera con Bolivia", "on the border with", "过境美国"): a place, not a party
    border: tuple[str, ...] = ()
    #: relative words of place ("where", "où", "donde", "где", "حيث")
    where: re.Pattern[str] | None = None
    #: third-person pronouns that stand for a sentence's subject ("He", "Il", "Он", "他"),
    #: and adverbs that may open a sentence before one ("Затем он был принят")
    pronouns: re.Pattern[str] | None = None
    pronoun_openers: frozenset[str] = frozenset()
    #: what makes a conference a press conference ("пресс-конференции"; "пресконференції"
    #: is one word): no summit
    press_prefixes: tuple[str, ...] = ()
    #: civilian nouns that close an organisation's name in Chinese ("公司", "基金会"): a
    #: country right before that name is the organisation's ("美国特斯拉公司")
    firm_nouns: tuple[str, ...] = ()
    #: what may stand between a meeting expression and "bilateral" ("en format")
    format: re.Pattern[str] | None = None


def _forms(words: Sequence[object]) -> list[str]:
    """Regex alternatives of plain words and phrases: ``word*`` any ending (on any word
    of a phrase: "достигнут* в ходе"), ``a|b`` two forms."""
    forms: list[str] = []
    for w in words:
        for form in str(w).split("|"):
            parts = form.strip().lower().split()
            if not parts:
                continue
            forms.append(
                r"\s+".join(
                    re.escape(p.rstrip("*")) + (r"\w*" if p.endswith("*") else "") for p in parts
                )
            )
    return sorted(forms, key=len, reverse=True)


def _keys(words: Sequence[object]) -> tuple[str, ...]:
    """The longest word of each plain word or phrase, without its ``*``: a substring of
    any text the phrase matches."""
    keys = set()
    for w in words:
        for form in str(w).split("|"):
            parts = form.replace("-", " ").replace("'", " ").strip().lower().split()
            if parts:
                keys.add(max(parts, key=len).rstrip("*"))
    return tuple(sorted(k for k in keys if k))


_TRAILING = ("", ",", ".", ";", ":", ")", '"', "»", "”", "'")


def _hints(
    keys: Sequence[str], stems: Sequence[str], lang: str
) -> tuple[frozenset[str], tuple[str, ...]]:
    """Whole-word forms of ``keys`` (with trailing punctuation, and "و" in Arabic), and
    the substrings to look for instead (``stems``; every key in Chinese)."""
    if lang == "zh":
        return frozenset(), tuple(sorted(set(keys)))
    clitics = ("", "و") if lang == "ar" else ("",)
    words = frozenset(c + k + p for k in keys for c in clitics for p in _TRAILING)
    return words, tuple(sorted(set(stems)))


def _words_re(words: Sequence[object], lang: str, tail: str = "") -> re.Pattern[str] | None:
    """A case-insensitive pattern of whole words (Arabic words may carry "و")."""
    forms = _forms(words)
    if not forms:
        return None
    if lang == "zh":
        return re.compile(f"(?:{'|'.join(forms)}){tail}")
    lead = r"(?<!\w)و?" if lang == "ar" else r"(?<!\w)"
    # a form ending with an elision ("lors d'") runs into the next word ("lors d'un")
    return re.compile(f"{lead}(?:{'|'.join(forms)})(?:(?<=['’])|(?!\\w)){tail}", re.I)


def _past_re(section: dict[str, list[object]], lang: str) -> re.Pattern[str] | None:
    phrases = _forms([*(section.get("past") or []), *(section.get("pluperfect") or [])])
    prepositions = [
        f + (r"\s*" if f.endswith(("-", "'")) else r"\s+")
        for f in _forms(section.get("month_in") or [])
    ]
    parts = [f"(?P<p>{'|'.join(phrases)})"] if phrases else []
    if prepositions:
        months = "|".join(
            f"(?P<m{i}>{'|'.join(_forms([m]))})"
            for i, m in enumerate(section.get("months") or [], 1)
        )
        before = f"(?:{'|'.join(prepositions)})"
        year = r"(?P<y>(?:19|20)\d\d)"
        if months:
            parts.append(f"{before}(?:{months})(?:\\s*,?\\s+{year})?")
        parts.append(before + year.replace("<y>", "<y2>"))
    if lang == "zh":
        # "1972年9月，…访华"; not a since-phrase's year ("2021年就任以来第二次访华")
        parts.append(r"(?P<y2>(?:19|20)\d\d)年(?![^，,。]{0,8}以来)")
        # a month of this year ("今年5月，…国事访问期间", "9月，…访华期间" in October)
        parts.append(r"(?<![\d年])(?:今年)?(?P<zm>1[0-2]|[1-9])月(?:(?P<zd>[1-3]?\d)日)?")
    if not parts:
        return None
    lead = "" if lang == "zh" else r"(?<!\w)"
    trail = "" if lang == "zh" else r"(?!\w)"
    return re.compile(f"{lead}(?:{'|'.join(parts)}){trail}", re.I)


def _clauses_re(section: dict[str, list[object]], lang: str) -> re.Pattern[str] | None:
    """Openers of background clauses (groups "rel", "since", "after", "before") and
    speech verbs (group "speech"), found in one scan of a sentence."""
    lead = "" if lang == "zh" else r"(?<!\w)و?" if lang == "ar" else r"(?<!\w)"
    tail = "" if lang == "zh" else r"(?!\w)"
    groups = []
    relative = _forms(section.get("relative") or [])
    if relative:
        comma = r"(?:[,،]\s*|\s)" if lang == "ar" else r",\s*"
        groups.append(f"(?P<rel>{comma}(?:{'|'.join(relative)})(?!\\w))")
    for name in ("since", "after", "before", "speech"):
        forms = _forms(section.get(name) or [])
        if forms:
            groups.append(f"(?P<{name}>{lead}(?:{'|'.join(forms)}){tail})")
    return re.compile("|".join(groups), re.I) if groups else None


def _prefixes(section: dict[str, list[object]], key: str) -> tuple[str, ...]:
    """The lower-cased beginnings of a word list's entries (``word*`` without its star),
    for ``str.startswith``."""
    return tuple(str(w).lower().rstrip("*") for w in section.get(key) or [])


@cache
def event_words(lang: str) -> EventWords:
    """The plain-word cues of ``lang`` (locative prepositions, background clauses…)."""
    section = (lexicon().get("events_words") or {}).get(lang) or {}
    earlier = []
    for w in section.get("earlier") or []:
        head, _, need = str(w).partition("…")
        opener = _words_re([head], lang)
        if opener is not None:
            earlier.append((opener, _words_re([need], lang) if need.strip() else None))
    units = _words_re(section.get("units") or [], lang, r"\s*$")
    after = section.get("commented_after") or []
    commented = list(section.get("commented") or [])
    split = []
    for w in commented:
        head, _, tail = str(w).partition("…")
        verb, near = _words_re([head], lang), _commented_re([tail], lang)
        if tail.strip() and verb is not None and near is not None:
            split.append((near, verb))
    commented = [w for w in commented if "…" not in str(w)]
    conjunctions = _forms(section.get("and") or [])
    articles = [
        f + ("" if f.endswith(("'", "’")) else r"\s+")
        for f in _forms(section.get("articles") or [])
    ]
    separator = None
    if conjunctions:
        article = f"(?:{'|'.join(articles)})?" if articles else ""
        spaced = r"\s*" if lang == "zh" else r"\s+"
        separator = re.compile(
            f"\\s*(?:[,、،]\\s*|,?{spaced}(?:{'|'.join(conjunctions)}){spaced}){article}", re.I
        )
    clause_keys = _keys(
        [w for k in ("relative", "since", "after", "before") for w in section.get(k) or []]
    )
    past_keys = _keys([*(section.get("past") or []), *(section.get("months") or [])])
    previous_keys = _keys(section.get("previous") or [])
    every = [*clause_keys, *past_keys, *previous_keys]
    stars = [
        k
        for name in ("relative", "since", "after", "before", "past", "months", "previous")
        for k in _keys([w for w in section.get(name) or [] if "*" in str(w)])
    ]
    hint_words, hint_stems = _hints([k for k in every if k not in stars], stars, lang)
    locative = frozenset(normalize_token(str(w)) for w in section.get("locative") or [])
    return EventWords(
        locative,
        _words_re(section.get("separately") or [], lang),
        _clauses_re(section, lang),
        tuple(earlier),
        _words_re(section.get("same_day") or [], lang),
        _words_re(section.get("previous") or [], lang, r"\s*$"),
        _past_re(section, lang),
        units,
        separator,
        clause_keys,
        past_keys,
        previous_keys,
        tuple(str(w).partition("…")[0].strip().lower() for w in section.get("earlier") or []),
        hint_words,
        hint_stems,
        tuple(str(w).lower() for w in section.get("expected") or []),
        _words_re(section.get("firm") or [], lang),
        tuple(str(w).lower() for w in section.get("opinion") or []),
        _topic_of_re(section.get("topic_of") or [], lang),
        _prefixes(section, "undated"),
        commented=_commented_re(commented, lang),
        commented_after=_commented_after_re(after, lang),
        commented_split=tuple(split),
        commented_finite=frozenset(str(w).lower() for w in section.get("commented_finite") or []),
        received_from=_words_re(section.get("received_from") or [], lang),
        hosted_thing=_words_re(section.get("hosted_thing") or [], lang),
        signed_thing=_words_re(section.get("signed_thing") or [], lang),
        commented_keys=_keys([str(w).partition("…")[0] for w in section.get("commented") or []])
        + _keys(after),
        reaction=_words_re(section.get("reaction") or [], lang),
        reaction_keys=_keys(section.get("reaction") or []),
        invitation=_prefixes(section, "invitation"),
        invited_by=_words_re(section.get("invited_by") or [], lang),
        former=_prefixes(section, "former"),
        wh=_words_re(section.get("wh") or [], lang),
        attribution=_attribution_re(section, lang),
        commenting=_clause_opener_re(section.get("commenting") or []),
        years_ago=_opener_re(section.get("years_ago") or []),
        plural_partners=_plural_re(section.get("plural_partners") or [], lang),
        occasion=_words_re(section.get("occasion") or [], lang, r"\s*$"),
        title_tentative=_words_re(
            section.get("title_tentative") or [], lang, r"[\s.!?\"'”»。！？]*$"
        ),
        partner_with=_words_re(section.get("with") or [], lang),
        letter=_prefixes(section, "letter"),
        conveyed=_prefixes(section, "conveyed"),
        envoy=_prefixes(section, "envoy"),
        conjunctions=tuple(conjunctions),
        capital=frozenset(normalize_token(str(w)) for w in section.get("capital") or []),
        destination=locative
        | frozenset(normalize_token(str(w)) for w in section.get("destination") or []),
        participation=_words_re(section.get("participation") or [], lang),
        presence=_words_re(section.get("presence") or [], lang),
        round=_words_re(section.get("round") or [], lang),
        separate_round=_words_re(section.get("separate_round") or [], lang),
        home_offices=_home_offices_re(section.get("home_offices") or [], lang),
        said_head=_said_head_re(section, lang),
        offer=_prefixes(section, "offer"),
        offered_events=_words_re(section.get("offered_events") or [], lang),
        pluperfect_aux=_pluperfect_re(section),
        name_titles=_name_titles_re(section.get("name_titles") or []),
        remarks=_words_re(section.get("remarks") or [], lang),
        during=_words_re(section.get("during") or [], lang),
        occasion_of=_words_re(
            [
                *(section.get("during") or []),
                *(section.get("occasion_of") or []),
                *(section.get("where") or []),
            ],
            lang,
        ),
        motion=_words_re(section.get("motion") or [], lang),
        origin=_words_re(
            [*(section.get("origin") or []), *(section.get("bare_origin") or [])], lang
        ),
        bare_origin=frozenset(str(w).lower() for w in section.get("bare_origin") or []),
        regional=tuple(str(w) for w in section.get("regional") or []),
        border=tuple(str(w).lower() for w in section.get("border") or []),
        where=_words_re(section.get("where") or [], lang),
        pronouns=_words_re(section.get("pronouns") or [], lang, "(?!们)" if lang == "zh" else ""),
        pronoun_openers=frozenset(str(w).lower() for w in section.get("pronoun_openers") or []),
        press_prefixes=tuple(str(w) for w in section.get("press_prefixes") or []),
        firm_nouns=tuple(str(w) for w in section.get("firm_nouns") or []),
        format=_format_re(section.get("format") or []),
    )


def _format_re(words: Sequence[object]) -> re.Pattern[str] | None:
    """The whole gap between a meeting expression and "bilateral": one of ``words``
    between spaces ("entretiens en format bilatéral")."""
    forms = _forms(words)
    return re.compile(f"\\s+(?:{'|'.join(forms)})\\s+", re.I) if forms else None


def _pluperfect_re(section: dict[str, list[object]]) -> re.Pattern[str] | None:
    """An auxiliary of ``pluperfect_aux``, optional ``pluperfect_adverbs``, and a word
    with one of ``participle_endings`` (any word without them) that is none of
    ``not_participles``."""
    aux = _forms(section.get("pluperfect_aux") or [])
    if not aux:
        return None
    adverbs = _forms(section.get("pluperfect_adverbs") or [])
    endings = _forms(section.get("participle_endings") or [])
    excluded = _forms(section.get("not_participles") or [])
    pattern = f"(?<!\\w)(?:{'|'.join(aux)})\\s+"
    if adverbs:
        pattern += f"(?:(?:{'|'.join(adverbs)})\\s+)?"
    if excluded:
        pattern += f"(?!(?:{'|'.join(excluded)})\\b)"
    pattern += f"\\w+(?:{'|'.join(endings)})\\b" if endings else "\\w+"
    return re.compile(pattern, re.I)


#: A trie of words: a character to the words' rest; "" marks a word's end.
_Trie = dict[str, "_Trie"]


def _name_titles_re(titles: Sequence[object]) -> re.Pattern[str] | None:
    """A title of ``titles`` (each word's first letter in either case) and the
    capitalised word after it, group 1; written as a trie behind a look-ahead on the
    titles' first letters, which rejects most positions of a text at once."""
    words = sorted({str(t).strip().lower() for t in titles if str(t).strip()})
    if not words:
        return None
    trie: _Trie = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def char(ch: str, prev: str) -> str:
        if prev in ("", " ") and ch.upper() != ch:
            return f"[{ch.upper()}{ch}]"
        return "[ \u00a0]" if ch == " " else re.escape(ch)

    def emit(node: _Trie, prev: str) -> str:
        ends = "" in node
        branches = [char(ch, prev) + emit(sub, ch) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        if ends:
            return f"(?:{body})?" if len(branches) == 1 else f"{body}?"
        return body

    firsts = sorted({c for w in words for c in (w[0].upper(), w[0])})
    return re.compile(
        f"(?=[{''.join(firsts)}])(?<![\\w-]){emit(trie, '')}[ \u00a0]([A-Z][a-zà-ÿ]+)\\b"
    )


def _plural_re(words: Sequence[object], lang: str) -> re.Pattern[str] | None:
    """One of ``words`` right after a meeting expression's end, or after "with"."""
    forms = _forms(words)
    if not forms:
        return None
    if lang == "zh":
        return re.compile(f"(?:{'|'.join(forms)})")
    return re.compile(f"\\s+(?:with\\s+)?(?:{'|'.join(forms)})(?!\\w)", re.I)


def _opener_re(words: Sequence[object]) -> re.Pattern[str] | None:
    """One of ``words`` after at most two other words (matched at a sentence's start)."""
    forms = _forms(words)
    if not forms:
        return None
    return re.compile(f"(?:[\\w-]+\\s+){{0,2}}(?:{'|'.join(forms)})(?!\\w)", re.I)


def _attribution_re(section: dict[str, list[object]], lang: str) -> re.Pattern[str] | None:
    """A last clause, after a comma, with a speech verb (``speech``) and at most a few
    words after it, none of them "that" ("…, Oman's foreign minister said on Friday.",
    "…, a indiqué le ministre omanais des Affaires étrangères."; English names the
    source before the verb, the others mostly after it), or opened by a coordinating
    conjunction (``coordinating``: ", and China said it was ready to help."); in
    Chinese, a last clause with a speech verb ("，阿曼外长表示…"); in Arabic, one opened
    by an attribution (``attribution``: "، حسبما قال وزير الخارجية العماني")."""
    forms = _forms(section.get("speech") or [])
    joins = _forms(section.get("coordinating") or [])
    if lang == "zh":
        if not forms:
            return None
        return re.compile(f"[，,；;][^，,；;。]{{0,30}}?(?:{'|'.join(forms)})[^，,；;]*$")
    if lang == "ar":
        openers = _forms(section.get("attribution") or [])
        if not openers:
            return None
        return re.compile(f"[،,؛;]\\s*(?:{'|'.join(openers)})(?!\\w)[^،,؛;]*$")
    if not forms:
        return None
    after = 4 if lang == "en" else 10
    pattern = (
        f"[,;]\\s*(?:[^,;]{{0,80}}?[\\s'’])?(?:{'|'.join(forms)})(?!\\w)"
        f"(?!(?:\\s+[^\\s,;]+)*?\\s+{_THAT})(?:\\s+[^\\s,;]+){{0,{after}}}[\\s.!?\"'”»]*$"
    )
    if joins:
        pattern += "|" + _last_clause_opened_by(joins)
    return re.compile(pattern, re.I)


def _home_offices_re(words: Sequence[object], lang: str) -> re.Pattern[str] | None:
    """:func:`_words_re` of ``words``, case-sensitive where a word is given with "="
    ("=ARP")."""
    cased = [str(w)[1:] for w in words if str(w).startswith("=")]
    plain = [w for w in words if not str(w).startswith("=")]
    found = _words_re(plain, lang)
    if not cased:
        return found
    either = f"(?:{found.pattern})" if found is not None else ""
    acronyms = f"(?-i:(?<!\\w)(?:{'|'.join(map(re.escape, cased))})(?!\\w))"
    return re.compile(f"{either}|{acronyms}" if either else acronyms, re.I)


def _said_head_re(section: dict[str, list[object]], lang: str) -> re.Pattern[str] | None:
    """A comma and a speech verb after at most a few words (the speaker's name): what
    stands before the comma is what was said. Not in Chinese and Arabic, whose speech
    verbs come first."""
    forms = _forms(section.get("speech") or [])
    if lang in ("zh", "ar") or not forms:
        return None
    return re.compile(f"[,;]\\s*(?:[^,;]{{0,60}}?\\s)?(?:{'|'.join(forms)})(?!\\w)", re.I)


def _last_clause_opened_by(forms: Sequence[str]) -> str:
    """The pattern of a sentence's last clause, after a comma, opened by one of ``forms``."""
    return f"[,;]\\s*(?:{'|'.join(forms)})\\s[^,;]*$"


def _clause_opener_re(words: Sequence[object]) -> re.Pattern[str] | None:
    """A sentence's last clause, after a comma, opened by one of ``words``."""
    forms = _forms(words)
    if not forms:
        return None
    return re.compile(_last_clause_opened_by(forms), re.I)


#: Words after a comment cue that open a clause ("recalled that…", "recordó que…"):
#: what follows is reported, not commented on.
_THAT = r"(?:that|que|qu['’]|что|أن|بأن)(?!\w)"


def _commented_re(words: Sequence[object], lang: str) -> re.Pattern[str] | None:
    """Text ending with a comment or remembrance cue and up to three words ("commented
    on the US president's "), or, in Chinese, up to 14 characters of one clause."""
    if lang == "zh":
        return _words_re(words, lang, "[^，。；、,;：:！？]{0,14}$")
    tail = f"(?!\\s+{_THAT})\\s+(?:[\\w'’.-]+\\s+){{0,3}}(?:\\w{{1,2}}['’])?$"
    return _words_re(words, lang, tail)


def _commented_after_re(words: Sequence[object], lang: str) -> re.Pattern[str] | None:
    """Up to eight words of one clause and a comment or remembrance cue ("в Москву 2023
    года вспомнили"); in Chinese, a cue right after the expression (会晤以来, 会谈达成的)."""
    forms = _forms(words)
    if not forms:
        return None
    if lang == "zh":
        return re.compile(f"^(?:{'|'.join(forms)})")
    return re.compile(f"^(?:\\s+[\\w'’.-]+){{0,8}}\\s+(?:{'|'.join(forms)})(?!\\w)", re.I)


def _topic_of_re(words: Sequence[object], lang: str) -> re.Pattern[str] | None:
    """Text ending with a topic preposition and up to three words ("over Yasukuni ")."""
    forms = _forms(words)
    if not forms or lang == "zh":
        return None
    return re.compile(f"(?<!\\w)(?:{'|'.join(forms)})\\s+(?:[\\w'’.-]+\\s+){{0,3}}$", re.I)


# Not frozen: built for every sentence of every article, and the plain __init__ (one
# slot store per field) costs a fraction of a frozen one; the fields are never
# reassigned. ``unsafe_hash`` keeps it hashable, as a frozen dataclass is.
@dataclass(slots=True, unsafe_hash=True)
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
        kinds = frozenset(map(_KIND_OF, matches)) if matches else _NO_KINDS
        return cls(index, start, end, tuple(matches), kinds)

    @classmethod
    def all_of(
        cls, bounds: Sequence[tuple[int, int]], matches: Sequence[Sequence[Match]]
    ) -> list[Sentence]:
        """The sentences of a text: ``Sentence.of`` for each of ``bounds`` (in order)
        and its matches, in one pass."""
        kinds = _KIND_OF
        return [
            cls(i, start, end, tuple(found), frozenset(map(kinds, found)) if found else _NO_KINDS)
            for i, ((start, end), found) in enumerate(zip(bounds, matches, strict=True))
        ]

    def kinds(self, kind: str) -> list[Match]:
        """Matches of one kind."""
        if kind not in self.kind_set:
            return []
        return [m for m in self.matches if m[2] == kind]  # m[2]: Match.kind

    def has(self, kind: str) -> bool:
        """True if the sentence has a match of ``kind``."""
        return kind in self.kind_set

    def keeping(self, matches: list[Match]) -> Sentence:
        """The sentence with only ``matches``, some of its own in their order: itself
        when none was left out."""
        if len(matches) == len(self.matches):
            return self
        return Sentence.of(self.index, self.start, self.end, matches)


_NO_KINDS: frozenset[str] = frozenset()
_KIND_OF = itemgetter(2)  # Match.kind
_END_OF = itemgetter(1)  # Match.end
_COUNTRY_OR_DEMONYM = frozenset({Kind.COUNTRY, Kind.DEMONYM})
_STATE_NAMES = frozenset({Kind.COUNTRY, Kind.DEMONYM, Kind.METONYM})


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


def _venue_only(actor: _Actor) -> bool:
    """True if the actor is named only by its capital ("Caracas"): with a non-state
    party at the table, the city is where they met."""
    return all(m[2] == Kind.METONYM for m in actor.matches)  # Match.kind


#: Weight of a mention that names one country, by kind (office-holders and
#: compounds apart).
_NAMED_WEIGHT = {Kind.COMBINING: 3.0, Kind.METONYM: 2.0, Kind.SEAT: 2.0}


def _countries(m: Match, gz: Gazetteer, when: date | None) -> list[tuple[str, float]]:
    kind, value = m[2], m[3]  # Match.kind, .value
    if kind == _PERSON:
        country, in_office = gz.person_country(value, when)
        return [(country, 3.0 if in_office else 1.5)]
    if kind == _COMPOUND:
        return [(c, 3.0) for c in value.split()]
    return [(value, _NAMED_WEIGHT.get(kind, 1.5))]


_CLAUSE_BREAKS = frozenset(".;!?؟。,，、،؛")
#: A war, a ceasefire or a situation right after a compound of two countries ("俄乌战事",
#: "俄乌停火", "俄乌局势", "Russia-Ukraine war"): the compound names a topic, not two parties.
_WAR_AFTER = re.compile(
    r"(?:战事|战争|冲突|战火|战况|交战|停火|停战|局势|形势|危机|\s+(?:war|conflict|ceasefire|truce)\b)",
    re.I,
)


#: A border right after two hyphen-linked countries ("the U.S.-Mexico border wall"), as
#: a war is (_WAR_AFTER), or right before them ("la frontera México-Estados Unidos", "la
#: frontière franco-belge"): a place, not two parties.
_BORDER_AFTER = re.compile(r"\s+(?:border|borders|frontier|boundary)\b", re.I)
_PAIR_TOPIC_BEFORE = re.compile(r"(?:frontera|fronteras|frontière|frontières|border)\s+$", re.I)


#: The first characters of zh words that name a country as the object of a policy
#: ("对俄", "涉华"), not as a party.
_ZH_OBJECT_OF = frozenset("对涉")


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
    if not others:
        return False
    start, end = m.start, m.end
    limit = reach[1] if "\u3400" <= text[start] <= "\u9fff" else reach[0]
    for o in others:
        # _gap and _between, inline: this runs for every pair of nearby mentions
        if end <= o[0]:  # Match.start
            lo, hi = end, o[0]
            gap = hi - lo
        else:
            lo, hi = o[1], start  # Match.end
            gap = max(0, hi - lo)
        if gap <= limit:
            between = text[lo:hi]
            if _CLAUSE_BREAKS.isdisjoint(between) or not _clause_break(between):
                return True
    return False


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
#: Languages where a proposal cue may follow its meeting expression.
_CUE_AFTER_MEETING = _HEAD_FIRST | {"zh"}
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
    """True if ``m`` is the place of a dateline ("MOSCOW, June 5 (Reuters) —"): not
    when a meeting expression stands before the dash ("Китай и Индия провели
    переговоры — Захарова" is a headline and its source)."""
    lead = m.start - s.start
    if lead > 3 and not (
        lead <= 40
        and (_DATELINE_LEAD.match(text[s.start : m.start]) or _city_before(s, m, text))
    ):
        return lead <= 12 and _ZH_DATELINE.match(text, s.start) is not None
    tail = _DATELINE_TAIL.match(text[m.end : m.end + 60])
    if tail is None:
        return False
    dash = m.end + tail.end()
    return not any(t.kind == _TRIGGER and m.end <= t.start < dash for t in s.matches)


def _city_before(s: Sentence, m: Match, text: str) -> bool:
    """True if a place opens the sentence and only a comma stands between it and ``m``
    ("دبي، الإمارات العربية المتحدة (CNN)—", "Dubai, United Arab Emirates (CNN) —"): the
    dateline's city and its country."""
    return any(
        p.kind in (Kind.PLACE, _METONYM)
        and p.start - s.start <= 3
        and text[p.end : m.start].strip() in (",", "،")
        for p in s.matches
    )


def _glosses_place(s: Sentence, m: Match, text: str) -> bool:
    """True if the country ``m`` stands in brackets right after a place of its own
    ("in New York (United States)", "بنيويورك (الولايات المتحدة الأمريكية)"): it names
    where the place is, not a party."""
    before = text[max(s.start, m.start - 3) : m.start].rstrip()
    if not before.endswith("("):
        return False
    return any(
        p.kind in (Kind.PLACE, Kind.METONYM)
        and p.value == m.value
        and text[p.end : m.start].strip() == "("
        for p in s.matches
    )


def _border(m: Match, text: str, words: EventWords) -> bool:
    """True for a country named as a border or a transit ("visitó la localidad de Salvador
    Mazza, en la frontera con Bolivia", "途中将过境美国纽约"): where the journey went, not
    who was met."""
    return text[max(0, m.start - 24) : m.start].lower().rstrip().endswith(words.border)


def _regional(m: Match, text: str, words: EventWords) -> bool:
    """True for a capital named as a region or by its governor's title ("أمير منطقة
    الرياض", "أمير الرياض يستقبل…"): a regional governor is no state's official, and the
    region is a place (ANNOTATION.md)."""
    tokens = text[max(0, m.start - 16) : m.start].split()
    return bool(tokens) and tokens[-1].endswith(words.regional)


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
    if _word_before(m, text) in words.locative:
        return True
    return _in_capital(m, text, words)


def _word_before(m: Match, text: str) -> str:
    """The word right before ``m`` (within a few characters), folded; "" if none."""
    tokens = text[max(0, m.start - 12) : m.start].split()
    return _folded_word(tokens[-1]) if tokens else ""


def _in_capital(m: Match, text: str, words: EventWords) -> bool:
    """True if ``m`` stands in a venue phrase of the noun "capital" after a locative:
    "في العاصمة الفنلندية هلسنكي", "in the Finnish capital, Helsinki", "in the Nigerian
    capital of Abuja", or a demonym before the noun: "in the Nigerian capital"."""
    if not words.capital:
        return False
    wide = [_folded_word(t) for t in text[max(0, m.start - 48) : m.start].split()[-5:]]
    if any(
        t in words.capital and any(x in words.locative for x in wide[max(0, i - 3) : i])
        for i, t in enumerate(wide)
    ):
        return True
    after = _WORD_AFTER.match(text, m.end)
    return (
        after is not None
        and _folded_word(after.group(1)) in words.capital
        and any(x in words.locative for x in wide[-2:])
    )


_WORD_AFTER = re.compile(r"\s+(\w+)")


def _names_mediator(
    m: Match, mediations: list[int], text: str, blockers: Sequence[Match] = ()
) -> bool:
    """True for a country or demonym right before a mediation word in the same clause,
    with no meeting expression or venue (``blockers``) between ("Egyptian and Qatari
    mediators"; not "Russia and Ukraine met in Abu Dhabi with US mediation", "وفدا
    روسيا وأوكرانيا في أبوظبي بوساطة أمريكية")."""
    for at in mediations:
        if (
            0 <= at - m.end <= 25
            and _CLAUSE_BREAKS.isdisjoint(text[m.end : at])
            and not any(m.end <= b.start < at for b in blockers)
        ):
            return True
    return False


#: Mediation words that name a person ("the US mediator"), not a process ("through").
_MEDIATOR_NOUNS = ("mediator", "médiateur", "mediador", "посредник", "الوسيط", "وسيط")
#: How far after a meeting expression its object, a mediator, may stand ("received the
#: US mediator").
_MEDIATOR_OBJECT_REACH = 16
#: "with" between a meeting expression and a mediator: the mediators the parties meet
#: with, not one party ("استقبل الرئيس اللبناني ميشال عون الوسيط الأمريكي" has none).
_WITH = re.compile(r"(?<!\w)(?:with|avec|con|с|со|مع)(?!\w)", re.I)


def _mediator_meets(
    s: Sentence,
    mediations: list[int],
    triggers: list[Match],
    entities: list[Match],
    text: str,
    gz: Gazetteer,
    when: date | None,
) -> bool:
    """True if every mediation word names a person ("the US mediator Amos Hochstein")
    who is the subject of a meeting expression after it or its object after it (no
    "with" between), and the sentence names one other country: the mediator meets
    that party on their state's behalf ("le médiateur américain … a été reçu par le chef
    de l'État Michel Aoun"), not a party between whom they mediate."""
    if not triggers or not all(
        text[at : at + 12].lower().lstrip("لب").startswith(_MEDIATOR_NOUNS)  # "للوسيط"
        for at in mediations
    ):
        return False
    last = max(t.start for t in triggers)
    if not all(
        at < last
        or any(
            0 <= at - t.end <= _MEDIATOR_OBJECT_REACH
            or (t.end <= at and not _WITH.search(text, t.end, at))
            for t in triggers
        )
        for at in mediations
    ):
        return False  # "negotiated with Egyptian mediators": the mediators of the talks
    # the mediator's country: named right after the word ("le médiateur américain",
    # "الوسيط الأمريكي"), else right before it ("the US mediator")
    named: list[Match] = []
    for at in mediations:
        after = [
            m
            for m in entities
            if 0 <= m.start - at <= 25 and not any(at < t.start < m.start for t in triggers)
        ]
        named += after or [
            m
            for m in entities
            if 0 <= at - m.end <= 12 and _CLAUSE_BREAKS.isdisjoint(text[m.end : at])
        ]
    theirs = {c for m in named for c, _ in _countries(m, gz, when) if c}
    others = {
        c for m in entities if m not in named for c, _ in _countries(m, gz, when) if c
    } - theirs
    return len(theirs) == 1 and len(others) == 1


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


#: A name right after a country's possessive ("Japan's Toyota") or a demonym ("le
#: japonais Toyota", "японская Toyota"): a capitalised word, of the Latin script in
#: Cyrillic text.
_FIRM_AFTER = {
    "en": re.compile(r"['’]s\s+(?=[A-Z])"),
    "fr": re.compile(r"\s+(?=[A-ZÀ-Ý])"),
    "es": re.compile(r"\s+(?=[A-ZÁÉÍÓÚÑ])"),
    "ru": re.compile(r"\s+(?=[A-Z])"),
}
_NAME_RUN = re.compile(r"(?:[^\W\d_][\w'’.&-]*\s+){1,2}")
_FIRM_KIND = {"en": Kind.COUNTRY, "fr": Kind.DEMONYM, "es": Kind.DEMONYM, "ru": Kind.DEMONYM}
#: Languages where a firm's name after the country word wins over a role noun before it:
#: the English possessive ("the head of Japan's Toyota"), a Russian demonym whose
#: Latin-script noun it agrees with ("главой американской Boeing"), and a Chinese
#: country before a name its civilian noun closes ("美国特斯拉公司首席执行官").
_FIRM_OVER_OFFICE = frozenset({"en", "ru", "zh"})


def _names_firm(m: Match, s: Sentence, text: str, lang: str) -> bool:
    """True if a country or demonym qualifies a name that is neither a person nor an
    office the gazetteer knows: a company or a brand ("South Korea's Samsung", "la
    surcoreana Samsung"), not a state party."""
    if lang == "zh":
        return m.kind == _COUNTRY and _han_firm(m, s, text)
    pattern = _FIRM_AFTER.get(lang)
    if pattern is None or m.kind != _FIRM_KIND[lang]:
        return False
    found = pattern.match(text, m.end, s.end)
    if found is None:
        return False
    at = found.end()
    if any(o.start <= at < o.end for o in s.matches):
        return False
    name = _NAME_RUN.match(text, at, s.end)  # "Afghanistan's Taliban government"
    end = name.end() if name is not None else at
    return not any(at < o.start < end and o.kind == _OFFICIAL for o in s.matches)


#: How long an organisation's name between a country and its closing noun may be in
#: Chinese ("比尔及梅琳达·盖茨" of "美国比尔及梅琳达·盖茨基金会").
_HAN_FIRM_NAME = 12
#: What no organisation's name holds: a clause or list break, a quotation.
_HAN_NAME_BREAKS = frozenset("，。、；：！？“”‘’「」《》（）,;:!?()\"")


def _han_firm(m: Match, s: Sentence, text: str) -> bool:
    """True if a country stands right before an organisation's name that a civilian
    noun closes ("美国特斯拉公司", "美国比尔及梅琳达·盖茨基金会"): nothing the lexicons
    know stands between them, and no break."""
    nouns = event_words("zh").firm_nouns
    if not nouns:
        return False
    nxt = next((x for x in s.matches if x.start >= m.end), None)  # matches are in order
    if nxt is None or nxt.kind != _NONSTATE or nxt.value != "civilian":
        return False
    if not 0 < nxt.start - m.end <= _HAN_FIRM_NAME or text[nxt.start : nxt.end] not in nouns:
        return False
    return _HAN_NAME_BREAKS.isdisjoint(text[m.end : nxt.start])


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
    former: frozenset[str] = frozenset(),
    titled: Callable[[], dict[str, str]] | None = None,
) -> dict[str, _Actor]:
    """Country actors of a sentence with their scores.

    ``former``: people the article calls former office-holders, candidates or
    presidents-elect somewhere ("Former President Donald Trump"): no state party even
    where it names them bare (the headline's "Trump meets Zelensky").

    An official named without a country ("the Crown Prince received…", "国务委员…会见")
    is an implicit party when the sentence has one other party: of ``home`` (the
    outlet's country) when given, else of the country of the venue ("in Jeddah").
    ``titled`` gives the offices the document names with their holder: such an office
    is the holder's state rather than ``home``'s.
    """
    words = event_words(lang)
    visit = modality == "visit"
    officials: list[Match] = []
    counterparts: list[Match] = []
    triggers: list[Match] = []
    cues: list[int] = []
    mediations: list[int] = []
    mediation_ends: list[int] = []
    entities: list[Match] = []
    nonstate: list[Match] = []
    civilians: list[Match] = []
    for m in s.matches:
        kind = m[2]  # Match.kind
        if kind in _ACTOR_KINDS:
            entities.append(m)
        elif kind == _OFFICIAL:
            officials.append(m)
        elif kind == _COUNTERPART:
            counterparts.append(m)
        elif kind == _TRIGGER:
            triggers.append(m)
        elif kind == _TOPIC_CUE:
            cues.append(m.start)
        elif kind == _MEDIATION:
            mediations.append(m.start)
            mediation_ends.append(m.end)
        elif kind == _NONSTATE:
            (civilians if m.value == "civilian" else nonstate).append(m)
    if civilians:  # "business leaders", "ولي أمر": no office
        officials = [o for o in officials if not any(_inside(o, c) for c in civilians)]
    if nonstate:  # "El expresidente del Gobierno español": the office was his, not now
        officials = [o for o in officials if not any(_office_of(n, o, text) for n in nonstate)]
    officials += counterparts
    # A role noun that names its holder ("President Joe Biden") qualifies only a
    # country right next to it ("Russian President Vladimir Putin"), not one further on
    # ("President Biden met Ukrainian refugees").
    persons = [e for e in entities if e.kind == _PERSON]
    named: list[Match] = []
    if persons:
        for o in officials:
            for p in persons:
                if _gap(o, p) <= 2:
                    named.append(o)
                    break
    free = [o for o in officials if o not in named] if named else officials
    own_envoys = [
        o
        for o in officials
        if o.kind == _OFFICIAL and _own_envoy_title(o, text, lang, words.envoy)
    ]
    # where the gathering a meeting was held on the sidelines of names who attended it
    attended: int | None = None
    if words.participation is not None and Kind.SIDELINES in s.kind_set:
        side = min(m.start for m in s.matches if m.kind == Kind.SIDELINES)
        cue = words.participation.search(text, side, s.end)
        attended = cue.start() if cue is not None else None
    if own_envoys:  # "بسفيرة المملكة في مدريد": the subject's own ambassador, not Spain's
        officials = [o for o in officials if o not in own_envoys]
    first_cue = min(cues) if cues else None
    if mediations and _mediator_meets(s, mediations, triggers, entities, text, gz, when):
        mediations, mediation_ends = [], []  # "le médiateur américain … a été reçu par
        # le chef de l'État Michel Aoun": the mediator's own meeting with one party
    mediation_at = min(mediations) if mediations else None
    blockers = (
        triggers + [e for e in entities if e.kind in _VENUE_KINDS] if mediations else triggers
    )
    linked: set[int] = set()
    topical: set[int] = set()  # linked countries that name a border or a war
    for i in range(len(entities) - 1):
        a, b = entities[i], entities[i + 1]
        if 0 < b[0] - a[1] <= 3 and _hyphen_linked(a, b, text):  # Match.start, .end
            linked.add(i)
            linked.add(i + 1)
            if (
                _WAR_AFTER.match(text, b.end)
                or _BORDER_AFTER.match(text, b.end)
                or _PAIR_TOPIC_BEFORE.search(text, max(0, a.start - 12), a.start)
            ):
                topical.update((i, i + 1))
    actors: dict[str, _Actor] = {}
    # the mentions' weights, kept apart while a list of countries may share one
    weighed: list[tuple[int, Match, str, float]] | None = (
        [] if words.list_separator is not None and len(entities) >= 3 else None
    )
    mediators: dict[str, float] = {}
    # a plain actor further than _TRIGGER_REACH after every meeting expression counts
    # less: after the last one's end
    far_from = max(map(_END_OF, triggers)) + _TRIGGER_REACH if triggers and s.index > 0 else None
    posting = _POSTING.get(lang)
    posting_hints = _POSTING_HINTS.get(lang, ())
    for i, m in enumerate(entities):
        kind = m.kind
        start = m.start
        for country, weight in _countries(m, gz, when):
            if not country:
                continue
            if kind == _PERSON and m.value in former:
                weight = min(weight, 0.5)
            if (
                kind in (_METONYM, _COUNTRY)
                and (
                    _is_dateline(s, m, text)
                    or (not visit and _locative(m, text, words))
                    or (kind == _METONYM and not visit and _names_talks(m, triggers, text, lang))
                    or (kind == _METONYM and bool(words.regional) and _regional(m, text, words))
                    or (bool(words.border) and _border(m, text, words))
                )
            ) or (kind == _DEMONYM and not visit and _in_capital(m, text, words)):
                weight = 0.5
            elif kind in (_COUNTRY, _DEMONYM) and (
                _near(m, _uncued(free, m, cues), text) or _near(m, named, text, _NAMED_REACH)
            ):
                weight = 3.0  # "وزير الخارجية السعودي", even after a discussion verb
            elif (
                (kind in _TOPIC_SENSITIVE or kind == _COMPOUND)
                and first_cue is not None
                and start > first_cue
                and not (visit and _visited(m, s, triggers, cues, text))
            ):
                weight *= 0.3  # "discussed the Palestinian-Israeli conflict", "就中美经贸关系"
            elif i in linked:
                weight = 0.5 if i in topical else 3.0
            if kind == _COUNTRY and _glosses_place(s, m, text):
                weight = min(weight, 0.5)  # "بنيويورك (الولايات المتحدة)": the venue's
            if kind in _STATE_NAMES and _hosts_talks(m, text, lang):
                weight = min(weight, 0.3)  # "Oman hosted talks between Iran and the US"
                mediators[country] = max(mediators.get(country, 0.0), weight)
            elif mediation_at is not None and (
                start > mediation_at or _names_mediator(m, mediations, text, blockers)
            ):
                weight *= 0.3  # "through Omani mediators", "Egyptian and Qatari mediators"
                if _names_mediator(m, mediations, text, blockers) or any(
                    0 <= start - e <= 25 and _CLAUSE_BREAKS.isdisjoint(text[e:start])
                    for e in mediation_ends
                ):  # "mediated by Qatar": every mention of Qatar names the mediator
                    mediators[country] = max(mediators.get(country, 0.0), weight)
            if (
                posting is not None
                and kind in _TOPIC_SENSITIVE
                and _posting(m, text, posting, posting_hints)
            ) or (kind == _METONYM and text.startswith("驻", start)):
                # "the US ambassador to Ukraine", "驻华": a posting; but "استقبل رئيس الحكومة
                # سفير إيطاليا بتونس": the host's country
                weight = 2.0 if _received_at_post(m, s, triggers) else min(weight, 1.0)
            if attended is not None and start > attended:
                weight = min(weight, 0.5)  # "على هامش مؤتمر بغداد … بمشاركة الرئيس الفرنسي"
            if own_envoys and any(0 <= start - o.end <= _OWN_POST_REACH for o in own_envoys):
                weight = min(weight, 0.3)  # the post of the subject's own ambassador
            if kind == Kind.SEAT and (
                _foreign_title(m, s, text) or _title_before_foreigner(m, s, gz, when)
            ):
                weight = min(weight, 0.3)  # "越南国家主席", "国家主席张晋创": not China's
            if (
                nonstate
                and _near(m, nonstate, text)
                and (
                    _nearer(m, nonstate, _own(m, free, triggers, lang), text)
                    or (
                        kind in _COUNTRY_OR_DEMONYM
                        and _former_office_of(m, nonstate, free, text, lang)
                    )
                )
            ):
                weight = min(weight, 0.5)  # "Sudanese opposition", "former US president",
                # "L'ancien Premier ministre français"
            elif (
                civilians
                and (kind in _TOPIC_SENSITIVE or kind == _COMPOUND)
                and _civilian(m, civilians, _own(m, free, triggers, lang), text)
            ):
                weight = min(weight, 0.5)  # "Ukrainian refugees", "中美两国企业家"
            elif kind == _COMPOUND and _WAR_AFTER.match(text, m.end):
                weight = min(weight, 0.5)  # "俄乌战事", "Russia-Ukraine war": a topic
            elif kind == _METONYM and text[m.start] in _ZH_OBJECT_OF:
                weight = min(weight, 0.5)  # "对俄制裁", "对华政策": the object of a policy
            if (
                (weight < 3.0 or lang in _FIRM_OVER_OFFICE)  # the firm's name wins
                and kind in _COUNTRY_OR_DEMONYM
                and _names_firm(m, s, text, lang)
            ):
                weight = min(weight, 0.5)  # "Japan's Toyota", "японская Toyota"
            if far_from is not None and start > far_from and (
                weight < 3.0 or (kind == _PERSON and _talked_of(m, entities, far_from, text))
            ):
                weight *= 0.6
            if weighed is not None:
                weighed.append((i, m, country, weight))
            else:
                _add_actor(actors, country, weight, m)
    if weighed is not None and words.list_separator is not None:
        for _, m, country, weight in _shared_list_weights(
            weighed, entities, text, words.list_separator
        ):
            _add_actor(actors, country, weight, m)
    for country, weight in mediators.items():  # "arrived in Doha … mediated by Qatar"
        actors[country].score = min(actors[country].score, weight)
    if officials and triggers:
        if own_envoys:  # nor is the post of the subject's own ambassador a venue
            entities = [
                e
                for e in entities
                if not any(0 <= e.start - o.end <= _OWN_POST_REACH for o in own_envoys)
            ]
        implicit = _implicit_party(s, actors, officials, entities, text, words, home, titled)
        if implicit is not None and implicit[0] not in mediators:  # a host is no party
            country, official = implicit
            actors[country] = _Actor(_IMPLICIT, official.start, [official])
    if lang == "zh" and triggers:
        envoy = _own_envoy(s, text)
        if envoy is not None and (home or "CN") not in actors:
            actors[home or "CN"] = _Actor(_IMPLICIT, envoy.start, [envoy])
    return actors


def _talked_of(m: Match, entities: Sequence[Match], far_from: int, text: str) -> bool:
    """True if the person ``m``, named further than _TRIGGER_REACH after the last
    meeting expression, comes after a clause break and well after a person named within
    that reach: the partner's, then what the two talked of ("recibió … a Tony Blair,
    con quien defendió la necesidad de una segunda resolución … que dé a Sadam Husein
    un último plazo")."""
    reach_from = far_from - _TRIGGER_REACH
    return "," in text[reach_from : m.start] and any(
        e.kind == _PERSON
        and reach_from < e.start <= far_from
        and m.start - e.end > _TRIGGER_REACH // 2
        for e in entities
    )


#: "驻俄罗斯大使": an ambassador posted to the country between.
_ZH_POSTED = re.compile(r"驻[\u3400-\u9fff]{1,10}?大使")


#: What may stand between an ambassador's country and "驻" ("瓜地马拉新任驻…大使").
_ZH_ENVOY_ADJECTIVES = ("新任", "首任", "前任", "候任", "现任")


#: What joins a non-state title to the office it was of ("former president of the").
_OF = re.compile(r"\s+(?:of\s+the|of|del|de\s+la|de\s+l'|de|du|des)\s+$", re.I)


def _office_of(n: Match, o: Match, text: str) -> bool:
    """True if the office ``o`` is the object of the non-state title ``n`` right before
    it ("expresidente del Gobierno", "former president of the Republic")."""
    return 0 < o.start - n.end <= 8 and _OF.match(" " + text[n.end : o.start]) is not None


def _own_envoy(s: Sentence, text: str) -> Match | None:
    """The ambassador a Chinese sentence names by their post alone ("驻俄罗斯大使张汉晖…
    向普京总统递交国书"): no country names whose envoy they are, so they are the
    outlet's (China's in its state media). None when a country or "我国" stands right
    before "驻" ("美国驻华大使", "我国驻新加坡大使"). Also an ambassador who presents
    credentials with no country named before them ("张汉晖大使…向普京总统递交国书")."""
    for found in _ZH_POSTED.finditer(text, s.start, s.end):
        at = found.start()
        if text.startswith("驻华", at):
            continue  # an envoy to China (to the Republic of China in Taiwan's press)
        lead = next(
            (at - len(a) for a in _ZH_ENVOY_ADJECTIVES if text.endswith(a, s.start, at)), at
        )
        if any(
            m.kind in _ACTOR_KINDS and m.start < lead <= m.end + 1 for m in s.matches
        ) or text.endswith(("我国", "我", "该国", "其", "本国"), s.start, lead):
            continue
        for m in s.matches:
            if m.kind == _OFFICIAL and m.start <= found.end() - 2 < m.end:
                return m
    credentials = next(
        (m.start for m in s.matches if m.kind == _TRIGGER and "国书" in text[m.start : m.end]),
        None,
    )
    if credentials is None:
        return None
    for m in s.matches:
        if m.start >= credentials or m.kind in _ACTOR_KINDS:
            return None  # "俄罗斯新任驻华大使…递交国书": the country's own
        if m.kind == _OFFICIAL and text.startswith("大使", m.start):
            return m  # "张汉晖大使…向普京总统递交国书": an ambassador of no named country
    return None


def _add_actor(actors: dict[str, _Actor], country: str, weight: float, m: Match) -> None:
    """Add a mention: an actor's score is its best mention's, plus 0.1 per other one."""
    actor = actors.get(country)
    if actor is None:
        actors[country] = _Actor(weight, m.start, [m])
    else:
        actor.score = max(actor.score, weight) + 0.1
        actor.matches.append(m)


def _shared_list_weights(
    weighed: list[tuple[int, Match, str, float]],
    entities: list[Match],
    text: str,
    separator: re.Pattern[str],
) -> list[tuple[int, Match, str, float]]:
    """Give every member of a list of three or more countries ("the foreign ministers
    of France, Germany and Britain", "French, German and British leaders") the weight
    of its best member: the role noun qualifies them all, so the meeting is not a
    bilateral one of the first of them."""
    runs: list[list[int]] = []
    for i in range(len(entities) - 1):
        a, b = entities[i], entities[i + 1]
        if (
            a.kind in _STATE_NAMES
            and b.kind in _STATE_NAMES
            and a.end <= b.start
            and separator.fullmatch(text, a.end, b.start) is not None
        ):
            if runs and runs[-1][-1] == i:
                runs[-1].append(i + 1)
            else:
                runs.append([i, i + 1])
    runs = [r for r in runs if len({entities[i].value for i in r}) >= 3]
    if not runs:
        return weighed
    best: dict[int, float] = {}
    for run in runs:
        members = set(run)
        top = max(w for i, _, _, w in weighed if i in members)
        best.update((i, top) for i in run)
    return [(i, m, c, max(w, best[i]) if i in best else w) for i, m, c, w in weighed]


_IMPLICIT = 2.5  # an unqualified official's country: outlet's or venue's
_HOSTING = frozenset({"host"})  # trigger groups whose venue is the host's country
_SIGNING = frozenset({"sign"})  # trigger groups that may sign a decree alone
_VENUE_KINDS = frozenset({Kind.PLACE, Kind.METONYM, Kind.SEAT})


def _bare_officials(
    officials: list[Match], entities: list[Match], triggers: Sequence[int] = (), text: str = ""
) -> list[Match]:
    """Role-noun phrases ("وزير الخارجية", "Crown Prince") that no country or person
    qualifies: each entity qualifies the phrase nearest to it on its side of the meeting
    expression ("The National Security Advisor met Chinese Foreign Minister…": "Chinese"
    is the minister's). With ``text``, a role an organisation qualifies right after it
    is none ("el líder de la red Al Qaeda", "the leader of the militant group")."""
    phrases: list[list[Match]] = []
    for o in officials:
        if text and _ORGANISATION_OF.match(text, o.end):
            continue
        if phrases and o.start - phrases[-1][-1].end <= 3:  # next to it, or inside it
            phrases[-1].append(o)
        else:
            phrases.append([o])
    qualified: set[int] = set()
    for e in entities:
        if phrases:
            near = [
                i
                for i in range(len(phrases))
                if not any(
                    min(e.end, phrases[i][0].end) <= t < max(e.start, phrases[i][0].start)
                    for t in triggers
                )
            ]
            if not near:
                continue  # every phrase is across a meeting expression from it: the
                # subject's name says nothing of its object's office ("Macron a été reçu
                # à Port-Vila par le Premier ministre")
            nearest = min(near, key=lambda i: min(_gap(o, e) for o in phrases[i]))
            qualified.add(nearest)
    return [p[0] for i, p in enumerate(phrases) if i not in qualified]


#: An organisation that qualifies the role before it: the role is the organisation's,
#: not a state's ("el líder de la red Al Qaeda", "лидер группировки", "زعيم تنظيم").
_ORGANISATION_OF = re.compile(
    r"\s*(?:(?:of|de|del|du|des)\s+(?:(?:the|la|el|le|les|l['’])\s*)?(?:(?:militant|armed|"
    r"terrorist|rebel|extremist|jihadist)\s+)?(?:red|grupo|organizaci[oó]n|movimiento|partido|"
    r"milicia|banda|network|group|organi[sz]ation|movement|party|militia|gang|cartel|r[ée]seau|"
    r"groupe|mouvement|parti|milice)\b|(?:группировк|организаци|движени|парти|сети\b)"
    r"|(?:تنظيم|حركة|حزب|جماعة|شبكة|ميليشيا))",
    re.IGNORECASE,
)


def _implicit_party(
    s: Sentence,
    actors: dict[str, _Actor],
    officials: list[Match],
    entities: list[Match],
    text: str,
    words: EventWords,
    home: str | None,
    titled: Callable[[], dict[str, str]] | None = None,
) -> tuple[str, Match] | None:
    """The country of an official named without one, when the sentence has exactly one
    party: ``home`` (the outlet's country), else, when the official receives or hosts,
    or meets the party's ambassador, the country of the venue ("استقبل ولي العهد … بجدة
    … وزير الخارجية المصري": the host is Saudi; "Finance Minister … met the Chinese
    ambassador … in Accra": an ambassador meets the state he is posted to)."""
    strong = [c for c, a in actors.items() if a.score >= _MIN_ACTOR]
    if home is not None and len(strong) == 2 and home in strong:
        strong.remove(home)  # "الرياض (واس) - بحث وزير الخارجية مع…": the dateline's
    if len(strong) != 1:
        return None
    visit = any(t.value == "visit" for t in s.kinds(Kind.TRIGGER))
    bare = _bare_officials(
        [o for o in officials if o.kind == Kind.OFFICIAL],
        # the home country's name qualifies an office as the home's, as no name does:
        # "الرياض (واس) - بحث وزير الخارجية مع…" (Riyadh, the dateline); nor does a
        # venue ("a été reçu à Port-Vila par le Premier ministre": the host is its own)
        [
            e
            for e in entities
            if (home is None or e.value != home)
            and not (e.kind in _VENUE_KINDS and _locative(e, text, words))
            and not (e.kind == Kind.COUNTRY and visit and _destination(e, text, words))
        ]
        + _regional_qualifiers(s, officials),
        [m.start for m in s.matches if m.kind == Kind.TRIGGER],
        text,
    )
    if not bare:
        return None
    other = strong[0]
    if home is not None:
        if _abroad(actors[other]):
            return None
        own = home
        if titled is not None:
            # "insistió el canciller" after "el canciller, Marcelo Ebrard": the office the
            # document named with its holder is the holder's state, not the outlet's
            own = titled().get(text[bare[0].start : bare[0].end].lower()) or home
        return (own, bare[0]) if _distinct(own, other) else None
    if not _hosting(s) and not _envoy_actor(actors[other], text, words.envoy):
        return None  # only a host receives at home: "met … in Davos" says nothing
    for m in entities:
        if (
            m.kind in _VENUE_KINDS
            and m.value
            and _distinct(m.value, other)
            and (m.kind == Kind.SEAT or _locative(m, text, words))
        ):
            return m.value, bare[0]
    return None


def _destination(m: Match, text: str, words: EventWords) -> bool:
    """True if a country stands right after a locative or a destination preposition ("the
    visit of the president to Cuba", "la visita de los Reyes a Cuba"): in a visit, where
    the official goes, which says nothing of the official's state."""
    return _word_before(m, text) in words.destination


def _regional_qualifiers(s: Sentence, officials: list[Match]) -> list[Match]:
    """Regions right next to an official ("консультации с европейскими дипломатами",
    "Western diplomats"): they qualify it as no country does, so it is not the outlet's."""
    return [
        r
        for r in s.kinds(Kind.REGION)
        if any(0 <= o.start - r.end <= 1 or 0 <= r.start - o.end <= 1 for o in officials)
    ]


def _abroad(other: _Actor) -> bool:
    """True if the other party is named by its seat of power ("la Maison Blanche faisait
    savoir que le président allait signer…"): an official named without a country there
    is that seat's, not the outlet's."""
    return any(m.kind == Kind.SEAT for m in other.matches)


#: How far from its country's word an ambassador's title stands ("the Chinese
#: ambassador", "l'ambassadeur de Chine").
_ENVOY_REACH = 20


def _envoy_actor(actor: _Actor, text: str, titles: tuple[str, ...]) -> bool:
    """True if the actor is named as an ambassador: one of ``titles`` right before or
    after its country's word."""
    return any(
        t in text[max(0, m.start - _ENVOY_REACH) : m.end + _ENVOY_REACH].lower()
        for m in actor.matches
        for t in titles
    )


#: How far after "in the presence of" the third party's name or title stands.
_PRESENCE_REACH = 30


def _nonstate_outside_meetings(s: Sentence) -> bool:
    """True if a non-state or civilian word of the sentence stands outside its meeting
    expressions ("ندوة صحفية مشتركة" is a joint press conference, no journalists met)."""
    triggers = s.kinds(Kind.TRIGGER)
    return any(
        not any(t.start <= m.start and m.end <= t.end for t in triggers)
        for m in s.kinds(Kind.NONSTATE)
    )


def _letters_only(s: Sentence, text: str, lang: str) -> bool:
    """True if every negation cue of the sentence is a letter ("الفيصل ينقل إلى الأسد
    رسالة من ولي العهد السعودي ويجري محادثات مع الشرع"): a letter denies no meeting
    that another sentence tells."""
    letter = event_words(lang).letter
    cues = [m for m in s.kinds(Kind.NEGATION) if m.value == "negation"]
    return bool(letter) and bool(cues) and all(
        text[m.start : m.end].lower().startswith(letter) for m in cues
    )


def _third_present(
    s: Sentence,
    pair: tuple[str, str],
    actors: dict[str, _Actor],
    text: str,
    presence: re.Pattern[str],
) -> bool:
    """True if the sentence's meeting took place in the presence of a third state's
    official ("التقى ترامب الشرع في الرياض بحضور ولي العهد", "in the presence of the
    Saudi crown prince"): a country outside ``pair`` right after the cue, or an official
    named by title alone there while the venue is a third country's. A pair's own
    officials present ("بحضور وزير الخارجية") are no third party."""
    for cue in presence.finditer(text, s.start, s.end):
        hi = cue.end() + _PRESENCE_REACH
        after = [m for m in s.matches if cue.end() <= m.start <= hi]
        for m in after:
            if m.kind in _ACTOR_KINDS:
                country = _state_of(m)
                if country and country not in pair:
                    actor = actors.get(country)
                    return actor is not None and actor.score >= 2.0
                if country:
                    return False  # the pair's own official
            if m.kind == _OFFICIAL:
                venue = next(
                    (
                        v.value
                        for v in s.matches
                        if v.kind in _VENUE_KINDS and v.value and v.start < cue.start()
                    ),
                    None,
                )
                return venue is not None and venue not in pair
    return False


def _state_of(m: Match) -> str:
    """The country a person's match names (their state), else the match's value."""
    return gazetteer().state_of(m.value) if m.kind == _PERSON else m.value


def _bilateral_summit(s: Sentence) -> bool:
    """True if a summit expression stands right next to a sidelines word ("their first
    bilateral summit", "sommet bilatéral", "双边峰会"): the summit is the pair's own
    meeting, not the gathering on whose sidelines another one is held."""
    sides = s.kinds(Kind.SIDELINES)
    return any(
        m[2] == _TRIGGER
        and m[3] == "summit"
        and any(-2 <= m[0] - x[1] <= 2 or -2 <= x[0] - m[1] <= 2 for x in sides)
        for m in s.matches
    )


def _modality(s: Sentence) -> str | None:
    if Kind.TRIGGER not in s.kind_set:
        return None
    found = {m[3] for m in s.matches if m[2] == _TRIGGER}  # Match.value, .kind
    if "summit" in found and s.has(Kind.SIDELINES) and not _bilateral_summit(s):
        found.discard("summit")
    for group, modality in TRIGGER_ORDER:
        if group in found:
            return modality
    return None


#: What may stand between a title and its holder's name as the gazetteer knows it: a
#: comma, the rest of the title and given names it may not know ("el canciller, Marcelo
#: Ebrard", "министр иностранных дел Петер Сийярто"), with no other match between.
_HOLDER_GAP = re.compile(r"[ ,]*(?:[^\W\d_][^\s,.]*\s+){0,4}")


def _titled_offices(
    sentences: Sequence[Sentence], text: str, gz: Gazetteer, when: date | None
) -> dict[str, str]:
    """The offices (as written, in lower case) that the document names with their holder
    right after them, and the holder's country ("el canciller, Marcelo Ebrard" → MX). An
    office named with holders of two countries maps to none."""
    found: dict[str, str] = {}
    for x in sentences:
        if Kind.OFFICIAL not in x.kind_set or Kind.PERSON not in x.kind_set:
            continue
        people = x.kinds(Kind.PERSON)
        for o in x.kinds(Kind.OFFICIAL):
            gap = _HOLDER_GAP.match(text, o.end)
            reach = gap.end() if gap is not None else o.end
            holder = next((p for p in people if o.end <= p.start <= reach), None)
            if holder is None or any(
                o.end <= m.start < holder.start and m.kind != Kind.OFFICIAL for m in x.matches
            ):
                continue  # not "el canciller recibió a Lavrov": a verb between
            country = gz.person_country(holder.value, when)[0]
            if not country:
                continue
            key = text[o.start : o.end].lower()
            found[key] = country if found.get(key, country) == country else ""
    return {k: v for k, v in found.items() if v}


def _counterpart_pair(
    s: Sentence,
    actors: dict[str, _Actor],
    context: Callable[[], dict[str, _Actor]],
    text: str,
    home: str | None = None,
    lang: str = "en",
) -> tuple[str, str] | None:
    counterparts = s.kinds(Kind.COUNTERPART)
    if not counterparts:
        return None
    # the country nearest a counterpart noun is the counterpart's ("مع نظيره الإيراني",
    # not the venue before it: "بنيويورك (الولايات المتحدة) مع نظيره")
    near = [
        m
        for m in s.matches
        if m[2] in _COUNTRY_OR_DEMONYM  # Match.kind
        and _near(m, counterparts, text)
        and not _glosses_place(s, m, text)
    ]
    if near:
        if _within_list(s, text, lang, near[0].start):
            return _NO_PAIR  # "his counterparts from Brazil, India and South Africa",
            # "meets Indian, Bangladeshi counterpart"
        theirs = min(near, key=lambda m: min(_gap(m, c) for c in counterparts)).value
    else:
        # the counterpart named at length ("su homólogo, el secretario de Estado de
        # Estados Unidos, Antony Blinken"): the sentence's one party is the counterpart's
        strong = [c for c, a in actors.items() if a.score >= 3.0]
        if len(strong) != 1 or not any(
            0 <= m.start - c.end <= _COUNTERPART_APPOSITION
            for m in actors[strong[0]].matches
            for c in counterparts
        ):
            return None
        theirs = strong[0]
    # what a topic cue after the counterpart names is talked of, not the subject's side
    # ("s'est entretenu avec son homologue X, avec qui il a évoqué la normalisation avec
    # Bakou")
    topic = next(
        (m.start for m in s.matches if m.kind == _TOPIC_CUE and m.start > counterparts[0].end),
        None,
    )
    ranked = sorted(
        (
            a
            for a in actors.items()
            if a[0] != theirs
            and a[1].score >= _MIN_ACTOR
            and (topic is None or a[1].first < topic)
        ),
        key=lambda kv: (-kv[1].score, kv[1].first),
    )
    if not ranked:
        ranked = sorted(
            (a for a in context().items() if a[0] != theirs and a[1].score >= 2.0),
            key=lambda kv: (-kv[1].score, kv[1].first),
        )
    if not ranked:
        return (theirs, home) if home is not None and _distinct(home, theirs) else None
    if len(ranked) > 2 and ranked[2][1].score >= ranked[0][1].score - 0.5:
        return None  # "the ministers of France, Germany and Britain met their counterpart",
        # "le président français et ses homologues du Burkina Faso X, du Mali Y…"
    # "his counterpart" is the subject's, named before it: not a later party ("se reunió
    # … con su par argentino, …, y el miércoles … con el presidente Gabriel Boric")
    subject = next(
        (kv for kv in ranked if kv[1].first < counterparts[0].start and kv[1].score >= 2.0),
        None,
    )
    return theirs, (subject or ranked[0])[0]


#: How far after a counterpart noun its appositive may name the counterpart's country.
_COUNTERPART_APPOSITION = 60

#: The counterpart pair of a meeting with counterparts of several countries: no pair.
_NO_PAIR = ("", "")


#: A person's name of two to four capitalised words right after a listed country.
_NAME_AFTER = re.compile(r"(?:\s+[A-ZÀ-ÖØ-ÞА-ЯЁ][\w'’.-]+){2,4}")
#: A member's official after it, title first ("Indian Minister of External Affairs Dr S.
#: Jaishankar", "Japanese Foreign Minister Hayashi"): capitalised words and the small
#: words of a title, no clause break.
_TITLED_AFTER = re.compile(r"(?:\s+(?:[A-ZÀ-ÖØ-ÞА-ЯЁ][\w'’.-]*|of|for|the|de|del|des|du))+")


#: A letter in a list's separator: a conjunction or an article ("and", ", the"), not a
#: comma alone.
_WORD = re.compile(r"\w")


def _titled_official(s: Sentence, text: str, start: int, end: int) -> int | None:
    """Where a member's official named after it with a title (_TITLED_AFTER) ends, when
    one starts at ``start`` before ``end`` and holds an officials noun."""
    found = _TITLED_AFTER.match(text, start, end)
    if found is None:
        return None
    stop = found.end()
    if any(o.kind == _OFFICIAL and start <= o.start and o.end <= stop for o in s.matches):
        return stop
    return None


def _list_from(m: Match, s: Sentence, text: str, lang: str) -> tuple[set[str], int]:
    """The countries of the list ``m`` opens ("Brazil, India and South Africa",
    "Chinese and Russian"; one country for ``m`` alone), and where the list ends. One
    name in two matches counts once ("États-Unis d'Amérique"); a member may be followed
    by the name of its official ("Великобритании Борис Джонсон, Польши Матеуш
    Моравецкий, Нидерландов Марк Рютте")."""
    members = {m.value}
    last = m
    separator = event_words(lang).list_separator
    if separator is None:
        return members, m.end
    # where the list stood before its first member named after a titled official: with
    # fewer than three members, "with Chinese Foreign Minister Wang Yi, Pakistan's
    # minister said" is an apposition and a subject, not a list
    before_titled: tuple[set[str], int] | None = None
    worded = 0  # joins from the first with a word in it ("and", "the") on: a list has one
    for e in s.matches:
        if e.start < last.end or e.kind not in _STATE_NAMES:
            continue
        if e.value == last.value and e.start - last.end <= 4:
            last = e
            continue
        gap = last.end
        for p in s.matches:  # a member's official named after it: "Польши Матеуш Моравецкий,"
            if p.kind == _PERSON and gap <= p.start < e.start and not text[gap : p.start].strip():
                gap = p.end
                break
        else:  # one the gazetteer does not know, between two country names
            name = (
                _NAME_AFTER.match(text, gap, e.start)
                if last.kind == _COUNTRY and e.kind == _COUNTRY
                else None
            )
            if name is not None and separator.fullmatch(text, name.end(), e.start) is not None:
                gap = name.end()
            elif (titled := _titled_official(s, text, gap, e.start)) is not None and (
                separator.fullmatch(text, titled, e.start) is not None
            ):
                if before_titled is None:
                    before_titled = (set(members), last.end)
                gap = titled
        join = separator.fullmatch(text, gap, e.start)
        if join is None:
            break
        if worded or _WORD.search(join.group()):
            worded += 1  # "A and B, C": the list ended at "and B"
        members.add(e.value)
        last = e
    if before_titled is not None and (len(members) < 3 or worded > 1):
        return before_titled  # "Singh and Pakistan President Musharraf, the US…"
    return members, last.end


#: How far after a visit expression its first destination may stand ("a visit to",
#: "une visite officielle en").
_DESTINATION_REACH = 24


def _goes_to(t: Match, m: Match, s: Sentence, text: str) -> bool:
    """True if ``m`` is the first destination of the visit expression ``t``: right after
    it, in its clause, with no other actor between."""
    return (
        t.kind == Kind.TRIGGER
        and t.value == "visit"
        and 0 <= m.start - t.end <= _DESTINATION_REACH
        and _CLAUSE_BREAKS.isdisjoint(text[t.end : m.start])
        and not any(t.end <= x.start < m.start and x.kind in _ACTOR_KINDS for x in s.matches)
    )


def _destinations(
    s: Sentence, pair: tuple[str, str], actors: dict[str, _Actor], text: str, lang: str
) -> bool:
    """True if the pair's two countries are the places one visit goes to, listed after
    its preposition ("a visit to Romania and Bulgaria", "une visite en Roumanie et en
    Bulgarie"): a tour of two hosts, no meeting between them."""
    separator = event_words(lang).list_separator
    if separator is None:
        return False
    firsts = {actors[c].first for c in pair if c in actors}
    named = [m for m in s.matches if m.start in firsts and m.kind in _STATE_NAMES]
    if len(named) != 2:
        return False
    a, b = named
    return separator.fullmatch(text, a.end, b.start) is not None and any(
        _goes_to(t, a, s, text) for t in s.matches
    )


def _regional_tour(s: Sentence, text: str) -> bool:
    """True if the sentence tells of visits only, each to a region ("sa tournée dans le
    Golfe", "جولته في الخليج"): no state of the sentence is a host by that ("un décret
    sur la Syrie, promis lors de sa tournée dans le Golfe"); a meeting told beside it
    still counts."""
    triggers = [m for m in s.matches if m.kind == Kind.TRIGGER]
    visits = [m for m in triggers if m.value == "visit"]
    return bool(visits) and len(visits) == len(triggers) and all(
        any(r.kind == Kind.REGION and _goes_to(t, r, s, text) for r in s.matches)
        for t in visits
    )


def _visited(
    m: Match, s: Sentence, triggers: Sequence[Match], cues: Sequence[int], text: str
) -> bool:
    """True if ``m`` is where a visit goes that a topic cue does not govern ("a abordé la
    question de la défense lors de sa visite en Allemagne"): the visit's host, not a
    topic. A visit right after a cue is the topic ("a film about Sadat's visit to
    Israel")."""
    return any(
        min(cues) < t.start
        and not any(0 <= t.start - c <= _DESTINATION_REACH for c in cues)
        and _goes_to(t, m, s, text)
        for t in triggers
    )


def _in_one_list(s: Sentence, pair: tuple[str, str], text: str, lang: str) -> bool:
    """True if a country of ``pair`` is a member of one list of three or more ("La
    France, l'Inde et les Émirats arabes unis ont tenu…", "les ambassadeurs de la Chine,
    des États-Unis, de la France et du Maroc", "Colombia, México y Honduras convocaron…"):
    a meeting of them all, or of them and another, no pair. Not a list named after a
    meeting expression and both parties ("s'est entretenu avec son homologue iranien…
    que Paris, Londres et Berlin étaient prêts…"): what was said, not who met."""
    lists = [
        first
        for first, members, _ in _lists(s, text, lang)
        if len(members) >= 3 and set(pair) & members
    ]
    if not lists:
        return False
    for first in lists:
        if not any(m.kind == Kind.TRIGGER and m.end <= first.start for m in s.matches):
            return True
        named = {
            _state_of(m)
            for m in s.matches
            if m.end <= first.start and (m.kind in _STATE_NAMES or m.kind == _PERSON)
        }
        if not set(pair) <= named:
            return True
    return False


def _lists(s: Sentence, text: str, lang: str) -> Iterator[tuple[Match, set[str], int]]:
    """Each list of countries of the sentence (_list_from), once: its first name, its
    members and where it ends; a country named alone is a list of one."""
    end = -1
    for m in s.matches:
        if m.kind not in _STATE_NAMES or m.start < end:
            continue
        members, end = _list_from(m, s, text, lang)
        yield m, members, end


def _within_list(s: Sentence, text: str, lang: str, at: int) -> bool:
    """True if ``at`` falls within a list of two countries or more (:func:`_lists`)."""
    return any(
        len(members) >= 2 and first.start <= at < end
        for first, members, end in _lists(s, text, lang)
    )


#: How far an officials noun may stand before the list of countries it takes ("the
#: foreign ministers of Belgium and Portugal") or after a list of demonyms ("the
#: Belgian and Portuguese ministers"), and how far before it "with" may stand.
_OFFICIALS_BEFORE_LIST = 30
_OFFICIALS_AFTER_LIST = 20
_WITH_BEFORE_OFFICIALS = 15


def _officials_of_list(s: Sentence, start: int, end: int, text: str) -> int | None:
    """Where the officials noun phrase of the list of countries from ``start`` to
    ``end`` begins (the noun before the list, or the list itself when the noun follows
    it), or None when no officials noun takes the list."""

    def clear(a: int, b: int) -> bool:
        return _CLAUSE_BREAKS.isdisjoint(text[a:b]) and not any(
            a <= x.start < b and x.kind in _ACTOR_KINDS for x in s.matches
        )

    for o in s.matches:
        if o.kind != _OFFICIAL:
            continue
        if o.end <= start and start - o.end <= _OFFICIALS_BEFORE_LIST and clear(o.end, start):
            return o.start
        if o.start >= end and o.start - end <= _OFFICIALS_AFTER_LIST and clear(end, o.start):
            return start
    return None


#: How far after a visit expression the officials making it may stand ("the visit of the
#: foreign ministers of Germany and France").
_VISITORS_AFTER = 8


def _co_partners(s: Sentence, pair: tuple[str, str], text: str, lang: str) -> bool:
    """True if the pair's countries are one host's partners, not each other's: officials
    of a country of the pair and of a country outside it in one noun phrase ("a reçu
    les ministres des Affaires étrangères de Belgique et du Portugal"), or of the pair's
    two countries after "with" ("встречи с главами МИД Германии и Франции") or right
    after a visit ("визит министров иностранных дел Германии и Франции": one visit of
    the two)."""
    words = event_words(lang)
    if words.list_separator is None:
        return False
    for m, members, end in _lists(s, text, lang):
        if len(members) < 2 or not members & set(pair):
            continue
        phrase = _officials_of_list(s, m.start, end, text)
        if phrase is None:
            continue
        if not members <= set(pair):
            return True
        if any(
            t.kind == _TRIGGER and t.value == "visit" and 0 <= phrase - t.end <= _VISITORS_AFTER
            for t in s.matches
        ):
            return True  # "визит министров иностранных дел Германии и Франции": two visitors
        if words.partner_with is not None and words.partner_with.search(
            text, max(s.start, phrase - _WITH_BEFORE_OFFICIALS), phrase
        ):
            return True
    return False


#: How far before the first of two partners "with" may stand ("held talks with Iranian
#: Foreign Minister…").
_WITH_BEFORE_PARTNER = 30


def _partners_after_with(
    s: Sentence, pair: tuple[str, str], actors: dict[str, _Actor], text: str, lang: str
) -> bool:
    """True if the pair's two countries are first named after one "with" in a sentence
    with a meeting expression, in one clause and joined by a conjunction ("held talks in
    Munich with Iranian Foreign Minister Ali Akbar Salehi and Sergei Lavrov", "came
    together with Iraqi President Barham Salih and Armenian Prime Minister Nikol
    Pashinyan in separate meetings"): the subject's partners, not each other's."""
    words = event_words(lang)
    if words.partner_with is None or words.list_separator is None:
        return False
    if pair[0] not in actors or pair[1] not in actors:
        return False
    a, b = sorted(actors[c].first for c in pair)
    last = None
    for found in words.partner_with.finditer(text, max(s.start, a - _WITH_BEFORE_PARTNER), a):
        last = found
    if last is None or not _CLAUSE_BREAKS.isdisjoint(text[last.end() : b]):
        return False
    if not any(m.kind == _TRIGGER for m in s.matches):
        return False
    return words.list_separator.search(text, a, b) is not None


def _partners_of_others(s: Sentence, pair: tuple[str, str], text: str, lang: str) -> bool:
    """True if a country of the pair is listed with others (:func:`_in_one_list`) or the
    pair's two are one host's partners (:func:`_co_partners`): no meeting between them."""
    return _in_one_list(s, pair, text, lang) or _co_partners(s, pair, text, lang)


#: How far from a name a list's comma and "and" are looked for; the parts of a name in
#: languages whose capitals mark names: capitalised words, after particles ("von der
#: Leyen").
_LIST_REACH = 80
_NAME_WORD = r"[A-ZÀ-ÖØ-ÞА-ЯЁІЇЄ][\w'’.-]*"
_NAME_PARTICLES = r"(?:(?:von|van|de|da|del|der|den|du|la|le|al|el|bin|ben)\s+)*"
_LISTED_NAME = f"{_NAME_PARTICLES}{_NAME_WORD}(?:\\s+{_NAME_PARTICLES}{_NAME_WORD}){{0,3}}"
#: What a list of guests' names may hold besides their names.
_GUEST_LIST_KINDS = frozenset({Kind.PERSON, Kind.ORG, Kind.TOPIC})


@cache
def _name_list(lang: str) -> tuple[re.Pattern[str], re.Pattern[str]] | None:
    """Three names or more ("A, B and C", commas between all but the last two), and the
    language's "and" alone; None where capitals mark no names."""
    conjunctions = event_words(lang).conjunctions
    if lang not in NAME_CASED or not conjunctions:
        return None
    joined = "|".join(conjunctions)
    names = re.compile(
        f"{_LISTED_NAME}(?:\\s*,\\s*{_LISTED_NAME})+\\s*,?\\s+(?:{joined})\\s+{_LISTED_NAME}"
    )
    return names, re.compile(f"\\s(?:{joined})\\s")


def _one_of_several_guests(
    s: Sentence, pair: tuple[str, str], actors: dict[str, _Actor], text: str, lang: str
) -> bool:
    """True if a party of the pair is named by a person's name in a list of three names
    or more ("Saïed reçoit Meloni, von der Leyen et Rutte"): a meeting of several, though
    the gazetteer knows only one of the guests."""
    patterns = _name_list(lang)
    if patterns is None:
        return False
    listed, conjunction = patterns
    people = [
        m for c in pair if (a := actors.get(c)) is not None for m in a.matches
        if m.kind == Kind.PERSON
    ]
    if not any(  # a cheap test first: a comma and an "and" near a name
        "," in text[max(s.start, m.start - _LIST_REACH) : m.end + _LIST_REACH]
        and conjunction.search(
            text, max(s.start, m.start - _LIST_REACH), min(s.end, m.end + _LIST_REACH)
        )
        is not None
        for m in people
    ):
        return False
    if casing(text[s.start : s.end]) is not None:
        return False  # a title-case or all-capitals line: its capitals mark no names
    return any(
        any(f.start() <= m.start and m.end <= f.end() for m in people)
        and not any(  # names alone: "les présidents russe et égyptien Poutine et Sissi",
            # "Paris, Emmanuel Macron et le Premier ministre" are no list of guests
            f.start() <= x.start < f.end() and x.kind not in _GUEST_LIST_KINDS
            for x in s.matches
        )
        for f in listed.finditer(text, s.start, s.end)
    )


#: Words that call a meeting bilateral ("bilateral meeting", "двустороннюю встречу").
_BILATERAL = ("bilat", "двусторонн", "双边", "ثنائ", "الثنائ", "one-on-one")


def _says_bilateral(s: Sentence, text: str, lang: str = "en") -> bool:
    """True if a word right next to a meeting expression calls it bilateral ("провели
    двустороннюю встречу", "a bilateral meeting"): the meeting of two, whoever else the
    sentence lists."""
    if Kind.SIDELINES not in s.kind_set:
        return False
    sides = [
        x
        for x in s.kinds(Kind.SIDELINES)
        if text[x.start : x.end].lower().startswith(_BILATERAL)
    ]
    fmt = event_words(lang).format
    return bool(sides) and any(
        m[2] == _TRIGGER
        and any(
            _gap(m, x) <= 2
            or (
                fmt is not None
                and 0 < x.start - m.end <= _FORMAT_GAP
                and fmt.fullmatch(text, m.end, x.start) is not None
            )
            for x in sides
        )
        for m in s.matches
    )


#: How long the gap of a format may be ("en format", "dans un format").
_FORMAT_GAP = 16


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
    it, one subject meeting two others is a trilateral meeting, not two pairs. Three
    strong actors all named before the meeting expression are its joint subject: a
    trilateral meeting too; so are three officials named after it, by name or
    nationality, with none before."""
    ranked = sorted(
        (kv for kv in actors.items() if kv[1].score >= _MIN_ACTOR),
        key=lambda kv: (-kv[1].score, kv[1].first),
    )
    if len(ranked) < 2:
        return []
    if len(ranked) >= 3:
        proposed = _proposed_from(s, text)
        if proposed is not None:  # "…au téléphone avec Zelensky, et espère aborder le
            # dossier avec Poutine, dont une éventuelle visite…": hoped for, not met
            kept = [kv for kv in ranked if kv[1].first < proposed]
            if len(kept) >= 2:
                ranked = kept
    if len(ranked) >= 3:
        third = ranked[2][1].score
        if third >= 2.0 and s.has(Kind.SUMMIT) and not s.has(Kind.SIDELINES):
            return []
        met_in_turn = _met_in_turn(s, ranked, text, lang)
        if met_in_turn:
            return met_in_turn
        if third >= ranked[1][1].score - 0.5:
            triggers = [m.start for m in s.matches if m.kind == Kind.TRIGGER]
            first_trigger = min(triggers) if triggers else s.end
            before = [kv for kv in ranked if kv[1].first < first_trigger]
            after = [kv for kv in ranked if kv[1].first > first_trigger]
            if (
                third >= 3.0
                and all(kv[1].first < first_trigger for kv in ranked[:3])
                and not _separate_meetings(s, text, lang)
            ):
                return []  # "Putin, Xi and Khurelsukh met in Beijing": three subjects
            if (
                third >= 3.0
                and not before
                and all(
                    any(m.kind in (_PERSON, _DEMONYM) for m in kv[1].matches)
                    for kv in ranked[:3]
                )
                and not _separate_meetings(s, text, lang)
            ):
                return []  # "Réunis à Luanda autour du président angolais, les chefs
                # d'État congolais … et burundais …": three named after, none before
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
    if len(ranked) >= 3:
        triggers = [m.start for m in s.matches if m.kind == Kind.TRIGGER]
        if triggers and (
            min(actors[a].first, actors[b].first) > triggers[0]
            and (
                any(kv[1].first < triggers[0] and kv[1].score >= 2.0 for kv in ranked[2:])
                or any(m.kind == _OFFICIAL and m.start < triggers[0] for m in s.matches)
            )
        ):
            return []  # "El Rey recibe en Zarzuela a los presidentes de Portugal y
            # Ecuador": two guests of a host named first, no pair of theirs
    return [(a, b)] if _distinct(a, b) else []


def _proposed_from(s: Sentence, text: str) -> int | None:
    """Where a later clause of the sentence starts that only proposes another meeting: a
    proposal cue after a clause break that follows the sentence's first meeting
    expression. What is named from there is hoped for, not met."""
    triggers = [m for m in s.matches if m.kind == Kind.TRIGGER]
    if not triggers:
        return None
    first = triggers[0]
    for n in s.matches:
        if (
            n.kind == Kind.NEGATION
            and n.value == "proposal"
            and n.start > first.end
            and not _CLAUSE_BREAKS.isdisjoint(text[first.end : n.start])
        ):
            breaks = [i for i in range(first.end, n.start) if text[i] in _CLAUSE_BREAKS]
            return breaks[-1]
    return None


_THIRD_PLACE_KINDS = frozenset({Kind.PLACE, Kind.METONYM})


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
            if m[2] in _THIRD_PLACE_KINDS and m.value not in pair and m.value:  # Match.kind
                cameo = CAMEO_THIRD_LOCATION
                break
    spans: list[tuple[int, int, str]] = []
    for country in (a, b):
        actor = actors.get(country)
        if actor is not None:
            spans.extend((m.start, m.end, "party") for m in actor.matches)
    for m in s.matches:
        kind = m[2]  # Match.kind
        if kind == _TRIGGER:
            spans.append((m.start, m.end, "trigger"))
        elif kind == _COUNTERPART:
            spans.append((m.start, m.end, "counterpart"))
    spans = sorted(set(spans))
    return MeetingEvent((a, b), modality, cameo, s, tuple(spans), score)


def _taken_up_at(s: Sentence, text: str, lang: str) -> int | None:
    """Where an opener that takes up the previous sentence's statement (the lexicon's
    ``remarks``: "Ces propos ont été tenus lors de l'entretien…") opens the sentence,
    before its first meeting expression."""
    remarks = event_words(lang).remarks
    triggers = s.kinds(Kind.TRIGGER)
    if remarks is None or not triggers:
        return None
    body = text[s.start : triggers[0].start]
    head = s.start + len(body) - len(body.lstrip(_QUOTES + " "))
    return head if remarks.match(text, head) is not None else None


def _pronoun_at(s: Sentence, text: str, lang: str) -> int | None:
    """Where a third-person pronoun stands before the sentence's first meeting
    expression, with no state or person named before it (a capital may be)."""
    pronoun = event_words(lang).pronouns
    triggers = s.kinds(Kind.TRIGGER)
    if pronoun is None or not triggers:
        return None
    found = pronoun.search(text, s.start, triggers[0].start)
    if found is None or any(
        m.kind in _ACTOR_KINDS and m.kind != _METONYM and m.start < found.start()
        for m in s.matches
    ):
        return None
    return found.start()


#: Languages whose finite verbs carry their subject: a sentence may name none ("Horas
#: antes había conversado por teléfono con…").
_PRO_DROP = frozenset({"es"})
#: The most words before the meeting expression of a sentence that names no subject.
_UNSTATED_OPENER_WORDS = 4


def _unstated_at(s: Sentence, text: str, lang: str) -> int | None:
    """The sentence's start where, in a language that drops subject pronouns, nothing
    but a few words ("Horas antes había", "Luego") stands before its first meeting
    expression and nobody is named there: the subject is the previous sentence's."""
    if lang not in _PRO_DROP:
        return None
    triggers = s.kinds(Kind.TRIGGER)
    if not triggers:
        return None
    first = triggers[0].start
    if any(
        m.start < first and (m.kind in _ACTOR_KINDS or m.kind in (Kind.OFFICIAL, Kind.COUNTERPART))
        for m in s.matches
    ):
        return None
    head = text[s.start : first]
    if len(head.split()) > _UNSTATED_OPENER_WORDS or not _CLAUSE_BREAKS.isdisjoint(head.rstrip()):
        return None
    return s.start


def _office_at(s: Sentence, text: str) -> int | None:
    """Where the sentence opens with an office named without its country before its
    first meeting expression ("The president announced the arrangement after…", "Le
    nouveau premier ministre s'exprimait … après un entretien"): like a pronoun, it
    stands for the previous sentence's subject. Returns the sentence's start."""
    named = [m for m in s.matches if m.kind in _ACTOR_KINDS or m.kind == Kind.OFFICIAL]
    if len(named) < 2 or named[0].kind != Kind.OFFICIAL:
        return None
    office, after = named[0], named[1]
    if (
        len(text[s.start : office.start].split()) > _OFFICE_OPENER_WORDS
        or (after.kind in _ACTOR_KINDS and after.start - office.end <= 4)
        or not any(t.start > office.end for t in s.kinds(Kind.TRIGGER))
    ):
        return None  # "Ukrainian President Zelensky", "El presidente de Francia"
    return s.start


#: Words that may stand before an office opening a sentence ("Le nouveau").
_OFFICE_OPENER_WORDS = 2


def _opens_with(s: Sentence, text: str, lang: str, at: int, previous: str) -> bool:
    """True if the pronoun at ``at`` (:func:`_pronoun_at`) opens the sentence, follows
    an adverb ("Затем он…"), a short adverbial and a comma ("On Friday, he…") or the
    name of the previous sentence's subject ``previous`` ("Abe was speaking in Seoul,
    where he and…"): the subject is the previous sentence's."""
    raw = text[s.start : at].rstrip()
    head = raw.strip(_QUOTES + ",")
    if not head:
        return True
    if lang != "zh" and raw.endswith(",") and len(head.split()) <= _ADVERBIAL_WORDS:
        return True  # "On Friday, he held talks with…", "Earlier in the day, he…": an
        # adverbial that names nobody (:func:`_pronoun_at`) opens the sentence
    first = head.split()[0].strip(",").lower() if lang != "zh" else head
    return first in event_words(lang).pronoun_openers or (
        len(first) > 2 and first in previous.lower()
    )


#: The most words of an adverbial set off by a comma before a sentence's pronoun.
_ADVERBIAL_WORDS = 5


def _matched_text(actor: _Actor, text: str) -> str:
    """The words that name an actor in its sentence."""
    return " ".join(text[m.start : m.end] for m in actor.matches)


def _strong_in(country: str, actors: dict[str, _Actor]) -> bool:
    """True if ``actors`` has ``country`` as a party, not only as a venue or a topic."""
    actor = actors.get(country)
    return actor is not None and actor.score >= 2.0


def _subject_of(actors: dict[str, _Actor]) -> tuple[str, _Actor] | None:
    """The strong actor a sentence names first: its subject, as a pronoun after it
    takes it up."""
    strong = [(c, a) for c, a in actors.items() if a.score >= 2.0]
    return min(strong, key=lambda kv: kv[1].first) if strong else None


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


#: How far before its meeting expression an organisation (or its chief) stands as the
#: subject, before either party is named.
_ORG_SUBJECT_GAP = 30


#: The most characters between a meeting expression and an organisation that "with"
#: and an article may take ("by phone with the NATO chief").
_ORG_AFTER_WITH = 12
_ORG_ARTICLES = re.compile(r"(?<!\w)(?:the|le|la|les|l'|el|los|las)(?!\w)", re.I)


def _org_partner(
    s: Sentence, pair: tuple[str, str], actors: dict[str, _Actor], text: str
) -> bool:
    """True if an organisation stands right next to a party ("between Beijing and the
    European Union") or names the subject, before the first meeting expression with no
    party before it ("UN chief António Guterres met…"), or right before a meeting
    expression with both parties named after it: the meeting is then with the
    organisation, not a second country. An organisation named as the venue ("at UN
    headquarters", "بمقر الأمم المتحدة") is no partner."""
    orgs = [o for o in s.kinds(Kind.ORG) if not _org_venue(o, s, text)]
    if not orgs:
        return False
    triggers = s.kinds(Kind.TRIGGER)
    for t in triggers:
        if any(
            0 <= o.start - t.end <= 3
            or (
                o.start - t.end <= _ORG_AFTER_WITH
                and _WITH.fullmatch(_ORG_ARTICLES.sub("", text[t.end : o.start]).strip())
                is not None
            )
            for o in orgs
            if o.start >= t.end
        ):
            return True  # "会见北约秘书长", "met the NATO chief", "spoke by phone with
            # NATO Secretary General Mark Rutte"
    if triggers and orgs[0].end <= triggers[0].start and not any(
        m.kind in _ACTOR_KINDS and m.start < triggers[0].start for m in s.matches
    ):
        return True  # "IAEA chief Rafael Grossi held talks with…": the subject is its official
    first_party = min(
        (m.start for c in pair if (a := actors.get(c)) is not None for m in a.matches),
        default=None,
    )
    if first_party is not None and any(
        o.end <= t.start < first_party
        and t.start - o.end <= _ORG_SUBJECT_GAP
        and not _clause_break(text[o.end : t.start])
        and not _gathering(t, s, text)
        for o in orgs
        for t in triggers
    ):
        return True  # "Перед визитом в Москву Гутерриш побывал в Анкаре, где провел
        # переговоры с Эрдоганом, а в четверг он посетит Киев": the chief is the visitor
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


#: What stands between an organisation and the country its envoy is for ("the UN envoy
#: for Syria", "enviado especial de la ONU para Siria", "l'envoyé de l'ONU pour la
#: Libye", "спецпосланник ООН по Сирии", "المبعوث الأممي إلى اليمن").
_REMIT = re.compile(
    r"\s*(?:special\s+)?(?:envoy\s+|enviado\s+(?:especial\s+)?|envoyé\s+(?:spécial\s+)?)?"
    r"(?:for|to|on|para|pour|en|по|إلى|الى|لدى)\s+(?:the\s+|el\s+|la\s+|le\s+|l'|les\s+)?",
    re.I,
)


def _remit_only(s: Sentence, country: str, actors: dict[str, _Actor], text: str) -> bool:
    """True if the sentence first names ``country`` as what an organisation's envoy is
    for ("Lavrov met the UN envoy for Syria", "联合国叙利亚问题特使"): the country is
    the envoy's remit, not a party."""
    actor = actors.get(country)
    orgs = s.kinds(Kind.ORG)
    if actor is None or not orgs or not actor.matches:
        return False
    first = min(actor.matches, key=lambda m: m.start)
    return any(
        o.end <= first.start
        and (
            _REMIT.fullmatch(text, o.end, first.start) is not None
            or (o.end == first.start and text.startswith("问题", first.end))
        )
        for o in orgs
    )


#: Words right before an organisation that make it the venue ("at the headquarters of
#: the United Nations", "بمقر الأمم المتحدة", "au siège de l'ONU"), or right after it in
#: Chinese (联合国总部).
_ORG_VENUE_BEFORE = re.compile(
    r"(?:headquarters(?:\s+of)?|siège\s+(?:de|des|du)|sede\s+(?:de|del)|"
    r"штаб-квартир\w*|مقر)\s*(?:the\s+|la\s+|l'|de\s+la\s+|las\s+|los\s+)?$",
    re.I,
)


def _org_venue(o: Match, s: Sentence, text: str) -> bool:
    """True if the organisation ``o`` is named as a meeting's venue."""
    if text.startswith("总部", o.end):
        return True
    return _ORG_VENUE_BEFORE.search(text, max(s.start, o.start - 25), o.start) is not None


def _civilian_nouns(s: Sentence) -> list[Match]:
    """The civilian nouns of ``s`` ("nurses", "青年")."""
    return [m for m in s.matches if m.kind == Kind.NONSTATE and m.value == "civilian"]


def _of_civilians(m: Match, civilians: Sequence[Match]) -> bool:
    """True for a country or demonym right next to a civilian noun: the civilians'
    country ("des infirmières bulgares", "台湾青年"), no party."""
    return m.kind in (_DEMONYM, _COUNTRY) and any(_gap(c, m) <= 2 for c in civilians)


def _fewer_than_two_countries(s: Sentence, gz: Gazetteer, when: date | None) -> bool:
    """True if the actors of ``s`` name at most one country (so no pair). A country of
    civilians ("des infirmières bulgares") names none (:func:`_of_civilians`)."""
    first = ""
    civilians = _civilian_nouns(s) if _NONSTATE in s.kind_set else []
    for m in s.matches:
        kind = m[2]  # Match.kind
        if kind not in _ACTOR_KINDS:
            continue
        if civilians and _of_civilians(m, civilians):
            continue
        if kind in (_PERSON, _COMPOUND):
            for country, _ in _countries(m, gz, when):
                if country and country != first:
                    if first:
                        return False
                    first = country
        else:  # one country: the value (as _countries has it)
            country = m[3]
            if country and country != first:
                if first:
                    return False
                first = country
    return True


#: The words right before a country that an ambassador or envoy is posted to.
_POSTING = {
    "en": re.compile(
        r"(?:ambassadors?|envoys?|embassy|embassies)\s+(?:\w+\s+){0,2}(?:to|in)\s+(?:the\s+)?"
        r"(?:\w+,?\s+(?:and|or)\s+(?:the\s+)?)?$",
        re.I,
    ),
    "fr": re.compile(
        r"(?:ambassad\w*|envoy\w*)\s+(?:[\w’'-]+\s+){0,6}?(?:en|au|aux|à|auprès\s+d\w*)\s+"
        r"(?:la\s+|l')?$",
        re.I,
    ),
    "es": re.compile(r"(?:embajad\w*|enviad\w*)\s+(?:\w+\s+){0,2}(?:en|ante)\s+$", re.I),
    "ru": re.compile(
        r"(?:посол|посла|послом|послу|послы|послов|послам|послами|посольств\w*)\s+"
        r"(?:\w+\s+){0,2}(?:в|во)\s+(?:\w+,?\s+(?:и|или)\s+(?:в|во)?\s*)?$",
        re.I,
    ),
    "ar": re.compile(r"(?:سفير|سفيرة|السفير|سفارة)\s+(?:\S+\s+){0,3}(?:لدى|في)\s+$"),
    "zh": re.compile(r"驻$"),
}
_AR_POSTED_IN = re.compile(r"(?:سفير|سفيرة|السفير|سفارة)\s+\S+\s+$")


#: A host or mediator of other parties' talks, right after its name: "Oman hosted talks
#: between Iran and the United States", "Egypt is hosting talks between Israeli and
#: Hamas negotiators", "US-brokered talks between Israel and Lebanon", "la Turquie a
#: accueilli des pourparlers entre…". The parties come after "between"; the host is a
#: venue, not a party.
_HOSTS_TALKS = {
    "en": re.compile(
        r"(?:'s?)?(?:-|\s+(?:\w+\s+){0,2}?)(?:host\w*|mediat\w*|broker\w*|facilitat\w*|led|"
        r"sponsored)\s+"
        r"(?:\w+\s+){0,3}?(?:talks|negotiations?|meetings?|consultations|dialogue)\s+"
        r"between\s",
        re.I,
    ),
    "fr": re.compile(
        r"\s+(?:\w+\s+){0,2}?(?:accueill\w*|abrit\w*|organis\w*|facilit\w*)\s+"
        r"(?:\w+\s+){0,3}?(?:pourparlers|négociations|discussions|entretiens|rencontre|"
        r"réunion)\s+entre\s",
        re.I,
    ),
    "es": re.compile(
        r"\s+(?:\w+\s+){0,2}?(?:acog\w*|alberg\w*|organiz\w*|facilit\w*|medi[óa]\w*)\s+"
        r"(?:\w+\s+){0,3}?(?:conversaciones|negociaciones|reunión|diálogo)\s+entre\s",
        re.I,
    ),
    "ru": re.compile(
        r"\s+(?:\w+\s+){0,2}?(?:принял\w*|принима\w*|организова\w*|провел\w*|"
        r"посредничал\w*)\s+(?:\w+\s+){0,3}?(?:переговор\w*|встреч\w*|консультаци\w*)\s+"
        r"между\s",
        re.I,
    ),
    "ar": re.compile(r"\s+(?:\S+\s+){0,2}?(?:محادثات|مفاوضات|مباحثات|اجتماع\S*|لقاء)\s+"
                     r"(?:\S+\s+)?بين\s"),
}
#: Arabic puts the verb first: "استضافت مصر محادثات بين…".
_AR_HOSTS_BEFORE = re.compile(
    r"(?:استضاف\S*|باستضافة|لاستضافة|تستضيف|يستضيف|توسط\S*|بوساطة|تتوسط|يتوسط)\s+$"
)


def _hosts_talks(m: Match, text: str, lang: str) -> bool:
    """True for a country that hosts or mediates the talks between two others that the
    sentence names after it (``_HOSTS_TALKS``)."""
    pattern = _HOSTS_TALKS.get(lang)
    if pattern is None:
        return False
    if lang == "ar" and not _AR_HOSTS_BEFORE.search(text, max(0, m.start - 20), m.start):
        return False
    return pattern.match(text, m.end, min(len(text), m.end + 120)) is not None


#: Several envoys named by their number ("sept nouveaux ambassadeurs", "cinco
#: embajadores", "9 سفراء", "五位大使"): a ceremony with many countries, no pair.
_SEVERAL_ENVOYS = {
    "en": re.compile(
        r"\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d+|several)\s+"
        r"(?:new\s+|foreign\s+)*(?:ambassadors|envoys)\b",
        re.I,
    ),
    "fr": re.compile(
        r"\b(?:deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|\d+|plusieurs)\s+"
        r"(?:nouveaux\s+)?ambassadeurs\b",
        re.I,
    ),
    "es": re.compile(
        r"\b(?:dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|\d+|varios)\s+"
        r"(?:nuevos\s+)?embajadores\b",
        re.I,
    ),
    "ru": re.compile(
        r"(?<!\w)(?:двух|тр[её]х|четыр[её]х|пяти|шести|семи|восьми|девяти|десяти|\d+|"
        r"нескольких)\s+(?:новых\s+)?(?:послов|глав дипмиссий)",
        re.I,
    ),
    "ar": re.compile(
        r"(?<!\w)(?:\d+|[٠-٩]+|ثلاثة|أربعة|خمسة|ستة|سبعة|ثمانية|تسعة|عشرة|عدد من)\s+"
        r"(?:من\s+)?(?:ال)?سفراء"
    ),
    "zh": re.compile(r"(?:[二两三四五六七八九十\d]+|多)(?:位|名)(?:新任)?(?:外国)?(?:驻华)?大使"),
}


#: The envoy nouns _SEVERAL_ENVOYS needs: the regex runs only where one stands.
_ENVOY_NOUNS = {
    "en": ("ambassadors", "envoys"),
    "fr": ("ambassadeurs",),
    "es": ("embajadores",),
    "ru": ("послов", "дипмисс"),
    "ar": ("سفراء",),
    "zh": ("大使",),
}


#: The visitor's host named by that word alone ("held talks with his host").
_HOST_NOUNS = {
    "en": re.compile(r"\b(?:his|her|their) hosts?\b", re.I),
    "fr": re.compile(r"\b(?:son|leur) hôte\b", re.I),
    "es": re.compile(r"\bsu anfitri[oó]n\b", re.I),
    "ar": re.compile(r"(?<!\w)(?:ب|و|ل)?مضيف(?:ه|ها|هم)(?!\w)"),
}


def _host_of_dateline(
    s: Sentence, actors: dict[str, _Actor], text: str, lang: str
) -> list[tuple[str, str]]:
    """The pair of a lead's one party and the country of its dateline when the
    sentence names the other by "his host" alone ("NAIROBI (Reuters) - Visiting Ugandan
    President Yoweri Museveni held talks with his host…"): the dateline is where the
    visit is."""
    host = _HOST_NOUNS.get(lang)
    if host is None or host.search(text, s.start, s.end) is None:
        return []
    strong = [c for c, a in actors.items() if a.score >= _MIN_ACTOR]
    if len(strong) != 1:
        return []
    for m in s.matches:
        if m.kind in (_METONYM, _COUNTRY) and _is_dateline(s, m, text):
            return [(strong[0], m.value)] if _distinct(m.value, strong[0]) else []
    return []


def _framing_summit(s: Sentence, modality: str) -> bool:
    """True if the sentence names a summit that frames its meeting: any summit, but for
    a call one named after a topic cue after the call, which is what the call discussed
    ("held a phone call … about the upcoming BRICS summit"), not the gathering held
    ("a virtual meeting of the coalition")."""
    if Kind.SUMMIT not in s.kind_set:
        return False
    if modality != "call":
        return True
    calls = [m.end for m in s.matches if m.kind == _TRIGGER and m.value == "call"]
    if not calls:
        return True
    call = min(calls)
    topics = [m.end for m in s.matches if m.kind == Kind.TOPIC_CUE and m.start >= call]
    return any(
        m.kind == Kind.SUMMIT and not any(t <= m.start for t in topics) for m in s.matches
    )


def _several_envoys(s: Sentence, text: str, lang: str) -> bool:
    """True if the sentence names several envoys by their number (_SEVERAL_ENVOYS)."""
    pattern = _SEVERAL_ENVOYS.get(lang)
    return pattern is not None and pattern.search(text, s.start, s.end) is not None


def _names_envoys(s: Sentence, text: str, lang: str) -> bool:
    """True if the sentence speaks of envoys (a word of _POSTING_HINTS)."""
    low = text[s.start : s.end].lower()
    return any(h in low for h in _POSTING_HINTS.get(lang, ()))


#: A word each match of _POSTING holds: the regex runs only where one stands.
_POSTING_HINTS = {
    "en": ("mbass", "nvoy"),
    "fr": ("mbassad", "nvoy"),
    "es": ("mbajad", "nviad"),
    "ru": ("осол", "осл", "осольств"),
    "ar": ("سفير", "سفار"),
    "zh": ("驻",),
}


#: How far before a Chinese office title (国家主席) another country may name whose it is.
_TITLE_OWNER_REACH = 24
_HAN_TITLE_GAP = re.compile(r"[\u3400-\u9fff、·]*")


def _foreign_title(m: Match, s: Sentence, text: str) -> bool:
    """True if the office title ``m`` that names one country's seat ("国家主席": China's)
    follows another country's name in the same phrase ("越南国家主席梁强", "老挝人民革命党
    中央总书记、国家主席通伦"): the title is that country's."""
    if not "\u3400" <= text[m.start] <= "\u9fff":
        return False
    owner = None
    for x in s.matches:
        if x.end > m.start:
            break
        if x.kind in _STATE_NAMES and m.start - x.end <= _TITLE_OWNER_REACH:
            owner = x
    return (
        owner is not None
        and owner.value != m.value
        and _HAN_TITLE_GAP.fullmatch(text, owner.end, m.start) is not None
    )


def _title_before_foreigner(m: Match, s: Sentence, gz: Gazetteer, when: date | None) -> bool:
    """True if the office title ``m`` that names one country's seat stands right before
    the name of another country's office-holder ("国家主席张晋创" in a Vietnamese
    paper's Chinese edition): the title is that person's."""
    for p in s.matches:
        if p.kind == _PERSON and 0 <= p.start - m.end <= 1:
            return gz.person_country(p.value, when)[0] not in ("", m.value)
    return False


#: How far before the country an ambassador is posted to the ambassador's own country
#: may stand ("سفير إيطاليا بتونس", "the ambassador of Italy to Tunisia").
_POSTING_PHRASE = 50


def _received_at_post(m: Match, s: Sentence, triggers: Sequence[Match]) -> bool:
    """True if the country ``m`` an ambassador is posted to is the host's: a host's
    expression before the ambassador, no party named before ``m`` but the ambassador's
    own country, and no other country in the sentence ("Le Président a reçu
    l'ambassadeur d'Italie en Tunisie": the host named by office only)."""
    if not any(t.value == "host" and t.end <= m.start for t in triggers):
        return False
    before = [x for x in s.matches if x.kind in _ACTOR_KINDS and x.start < m.start]
    others = {x.value for x in s.matches if x.kind in _STATE_NAMES and x.value != m.value}
    return (
        len(before) <= 1
        and len(others) <= 1  # not "les ambassadeurs au Sénégal de la Chine, des États-Unis…"
        and all(m.start - x.end <= _POSTING_PHRASE for x in before)
    )


#: An ambassador of the sentence's own state, named by no country: the words right
#: after the title ("سفيرة صاحب الجلالة في مدريد", "l'ambassadrice du Royaume à Madrid")
#: or, in English, right before it ("the Kingdom's ambassador in Madrid").
_OWN_ENVOY_AFTER = {
    # not "del Reino de Marruecos", "المملكة المغربية": a kingdom named
    "fr": re.compile(
        r"\s+(?:du\s+Royaume(?!\s+(?:du|de|d'|d’|des|uni)\b)|de\s+Sa\s+Majesté|de\s+notre\s+pays)"
        r"(?!\w)",
        re.I,
    ),
    "es": re.compile(
        r"\s+(?:del\s+Reino(?!\s+(?:de|del|unido)\b)|de\s+Su\s+Majestad|de\s+nuestro\s+país)(?!\w)",
        re.I,
    ),
    "ar": re.compile(r"\s+(?:المملكة|صاحب\s+الجلالة|بلادنا|الدولة)(?!\w)(?!\s+ال)"),
}
_OWN_ENVOY_BEFORE = {"en": re.compile(r"(?:the\s+Kingdom's|our|the\s+country's)\s+$", re.I)}
#: How far after its title the country of an own envoy's post may stand.
_OWN_POST_REACH = 40


def _own_envoy_title(o: Match, text: str, lang: str, words: tuple[str, ...]) -> bool:
    """True if the official ``o`` is an ambassador of the sentence's own state named by
    no country (:data:`_OWN_ENVOY_AFTER`); ``words`` are the language's envoy titles."""
    if not words or not text[o.start : o.end].lower().lstrip("ب").startswith(words):
        return False
    after = _OWN_ENVOY_AFTER.get(lang)
    if after is not None and after.match(text, o.end):
        return True
    before = _OWN_ENVOY_BEFORE.get(lang)
    return before is not None and before.search(text, max(0, o.start - 24), o.start) is not None


def _posting(m: Match, text: str, pattern: re.Pattern[str], hints: Sequence[str]) -> bool:
    """True for the country an ambassador is posted to ("ambassador to Egypt", "驻埃及"):
    ``pattern`` and ``hints`` are the language's entries of _POSTING and _POSTING_HINTS."""
    start = max(0, m.start - 50)
    window = text[start : m.start]
    for h in hints:
        if h in window:
            return pattern.search(text, start, m.start) is not None or (
                text.startswith("ب", m.start)  # "سفير إيطاليا بتونس": "in" as a clitic
                and _AR_POSTED_IN.search(text, start, m.start) is not None
            )
    return False


_PROPOSAL_REACH = 40
_PROPOSAL_REACH_HAN = 24


def _negated(
    s: Sentence, text: str, lang: str = "en", home: str | None = None
) -> str | None:
    """The veto of a sentence: "negation" if it denies or cancels its meeting,
    "proposal" if it only proposes, offers, refuses or conditions one ("proposed holding
    talks", "ready for talks", "only if…"), reports a summit's handover of its
    presidency ("handed over the rotating presidency to"), or expects one with no firm
    date ("are
    expected to hold talks in the coming weeks"; not "is expected to meet … on
    Wednesday"), else None."""
    if s.index == 0:  # a headline ending in "possible", "likely" ("…talks possible")
        tentative = event_words(lang).title_tentative
        if tentative is not None and tentative.search(text, s.start, s.end) is not None:
            return "proposal"
    if _asks_whether(s, text, lang):
        return "proposal"
    if Kind.NEGATION not in s.kind_set:
        return None
    triggers = s.kinds(Kind.TRIGGER)
    found = None
    firm: bool | None = None
    remark = _title_remark_at(s, triggers, text) if s.index == 0 and lang == "zh" else None
    negations = s.kinds(Kind.NEGATION)
    said = (
        _speech_after(s, triggers, text, lang)
        if any(n.value in ("condition", "proposal") for n in negations)
        else None
    )
    for n in negations:
        if any(
            t.start <= n.start < t.end and t.end - t.start > n.end - n.start for t in triggers
        ):
            continue  # part of a longer meeting expression: "porteur d'un message de"
        if remark is not None and n.start > remark:
            continue  # "王毅会见拉夫罗夫：中方愿同俄方加强协调": what was said at the meeting
        if said is not None and n.start >= said and n.value in ("condition", "proposal"):
            continue  # "Трамп на встрече с премьером Трюдо заявил, что, если Канада не
            # может…, ей, возможно…": a condition or a proposal in what was said there
        if n.value in ("condition", "handover"):
            # "will hold talks only if…", "…, en la que Castro traspasó la presidencia pro
            # tempore a Petro": wherever it stands, a veto of its sentence only
            found = "proposal"
            continue
        if n.value != "proposal":
            if _other_meeting(n, triggers, text):
                continue  # "telephoned … to explain the postponement of his visit"
            if _cancelled_after(n, triggers, text):
                continue  # "after an Oval Office meeting with …, and a joint news
                # conference were scrapped": the meeting was held
            if _handed_over(n, s, triggers, text, lang, home):
                continue  # "استقبل … وزيرة الخارجية، حاملة رسالة خطية": she was received
            if _after_meeting(n, s, triggers, text, lang):
                continue  # "tras una conversación telefónica con Trump, Washington
                # aplazará … los aranceles": the call came first
            conveyed = event_words(lang).conveyed
            if conveyed and text[n.start : n.end].lower().startswith(conveyed) and any(
                t.value == "call"
                and 0 <= n.start - t.end <= _CONVEYED_REACH
                and _CLAUSE_BREAKS.isdisjoint(text[t.end : n.start])
                for t in triggers
            ):
                continue  # "telephoned … President Pervez Musharraf on Sunday to offer
                # condolences": the call was made, the condolences were its topic
            return "negation"
        if _other_meeting(n, triggers, text, _ACTS_BEFORE_PROPOSAL, across=True):
            continue  # "discussed by phone the possibility of a summit": the call was held
        words = event_words(lang)
        if words.invited_by is not None and any(
            f.start() <= n.start < f.end()
            for f in words.invited_by.finditer(text, max(s.start, n.start - 24), n.end)
        ):
            continue  # "По приглашению Путина Си прибыл…": the visit is made, not proposed
        expected = bool(words.expected) and text[n.start : n.end].lower().startswith(
            words.expected
        )
        if not expected and words.occasion_of is not None and lang != "zh" and any(
            0 <= t.start - d.end() <= _DURING_REACH
            and not any(n.end <= x.start < d.start() for x in triggers)
            for t in triggers
            if t.start > n.end
            for d in words.occasion_of.finditer(text, n.end, t.start)
        ):
            continue  # "Приглашение прозвучало в ходе телефонного разговора", "Cet appel
            # a été formulé au terme des entretiens": made at the meeting, which was held
            # (not "expected to see Xi during the visit"; Chinese puts its 时 after the
            # meeting expression)
        han = "\u3400" <= text[n.start] <= "\u9fff"
        reach = _PROPOSAL_REACH_HAN if han else _PROPOSAL_REACH
        if expected:
            if firm is None:
                dates = words.firm
                firm = dates is not None and dates.search(text, s.start, s.end) is not None
            if firm:
                continue
            reach *= 2  # "Se espera que Estados Unidos y China celebren una nueva ronda…"
        elif words.invitation and text[n.start : n.end].lower().startswith(words.invitation):
            # "invited Syrian President Bashar al-Assad for talks", "has invited the
            # president of Syria to come to Jerusalem to conduct peace negotiations"
            stop = next((i for i in range(n.end, s.end) if text[i] in _CLAUSE_BREAKS), s.end)
            reach = max(reach * 2, stop - n.end)
        if any(
            n.start < t.start
            and t.start - n.end <= reach
            and not (
                words.offer
                and text[n.start : n.end].lower().startswith(words.offer)
                and words.offered_events is not None
                and words.offered_events.match(text, t.start)
            )
            for t in triggers
        ):
            found = "proposal"  # not "ofrecieron … una rueda de prensa conjunta": given
        elif lang in _CUE_AFTER_MEETING and any(
            0 <= n.start - t.end <= (0 if lang == "zh" else 2) for t in triggers
        ):
            qualified = [t for t in triggers if 0 <= n.start - t.end <= 2]
            if lang != "zh" and any(
                t.end + _PROPOSAL_REACH < qualified[0].start for t in triggers
            ):
                continue  # "استقبل … السفيرة … في ضوء الزيارة المرتقبة للوسيط": the
                # reception was held; the expected visit is another event
            found = "proposal"  # an adjective after its noun: "لقاء محتمل", "visite possible";
            # a state after the act in Chinese: "出访规划中" (a visit being planned)
    return found


def _after_meeting(
    n: Match, s: Sentence, triggers: Sequence[Match], text: str, lang: str
) -> bool:
    """True if every meeting expression of the sentence stands in an "after" clause
    that closes before the cancellation ``n`` ("tras una conversación telefónica con
    el mandatario Donald Trump, Washington aplazará … los aranceles"): the meeting came
    first, and what was put off is something else."""
    clauses = event_words(lang).clauses
    if clauses is None or not triggers or any(t.start > n.start for t in triggers):
        return False
    for m in clauses.finditer(text, s.start, n.start):
        if m.lastgroup != "after":
            continue
        end = _clause_end(text, m.end(), s.end)
        if end <= n.start and all(m.end() <= t.start < end for t in triggers):
            return True
    return False


def _handed_over(
    n: Match, s: Sentence, triggers: Sequence[Match], text: str, lang: str,
    home: str | None = None,
) -> bool:
    """True if the negation cue ``n`` is a letter after a reception or a meeting, with
    officials of two countries named before it ("استقبل الرئيس … وزيرة الخارجية
    السنغالية، حاملة رسالة خطية", "Лавров встретился с президентом Венесуэлы и передал
    Николасу Мадуро послание"): the letter was handed over in person. An official named
    by title only is ``home``'s, the outlet's ("سمو أمير البلاد يستقبل وزير الخارجية
    العماني ويتسلم رسالة خطية"). A letter received from someone is none ("استقبل وزير
    الخارجية العماني رسالة من نظيره")."""
    words = event_words(lang)
    letter = words.letter
    if not letter or not text[n.start : n.end].lower().startswith(letter):
        return False
    during = words.during
    # "سلّم … رسالة خطية … وذلك لدى استقباله": handed over at a reception told after it
    at_meeting = during is not None and any(
        t.value in _IN_PERSON
        and t.start > n.end
        and (
            during.match(text, t.start) is not None
            or during.search(text, max(n.end, t.start - _DURING_REACH), t.start) is not None
        )
        for t in triggers
    )
    if not at_meeting and not any(t.value in _IN_PERSON and t.end <= n.start for t in triggers):
        return False
    upto = s.end if at_meeting else n.start
    named = {
        _state_of(m)
        for m in s.matches
        if m.start < upto and (m.kind in _COUNTRY_OR_DEMONYM or m.kind == _PERSON)
    } - {""}
    if home is not None and _bare_officials(
        [m for m in s.matches if m.kind == Kind.OFFICIAL and m.start < n.start],
        [m for m in s.matches if m.kind in _COUNTRY_OR_DEMONYM or m.kind == _PERSON],
        [t.start for t in triggers],
    ):
        named.add(home)
    return len(named) >= 2


#: How far after a call a message or condolences it conveyed may stand.
_CONVEYED_REACH = 80
#: Meeting expressions of officials in one room: a letter handed over at one was
#: handed over in person.
_IN_PERSON = frozenset({"host", "meeting", "talks"})


#: Meeting expressions that report an act of their own before a cancellation of another,
#: or before a proposal of another ("welcomed a possible meeting" welcomes no guest).
_ACTS_BEFORE_CANCELLATION = frozenset({"call", "talks", "meeting", "host"})
_ACTS_BEFORE_PROPOSAL = frozenset({"call", "talks", "meeting", "host", "visit"})

#: How close a cancellation stands before the meeting expression it governs, and how
#: far after the sentence's own meeting expression.
_GOVERNED_REACH = 25
_OWN_MEETING_GAP = 10


def _other_meeting(
    n: Match,
    triggers: Sequence[Match],
    text: str,
    acts: frozenset[str] = _ACTS_BEFORE_CANCELLATION,
    across: bool = False,
) -> bool:
    """True if the cancellation or proposal ``n`` governs a later meeting expression of
    another kind in the same clause ("the postponement of his official visit", "the
    possibility of a summit") while an earlier one, a call, talks or a meeting, in the
    same clause is the sentence's act ("telephoned his Japanese counterpart to explain
    the postponement of his visit to Japan", "discussed by phone the possibility of a
    summit"): the call was made. With ``across`` the earlier act may stand in an
    earlier clause ("s'est entretenu au téléphone avec Zelensky, et espère aborder le
    dossier avec Poutine, dont une éventuelle visite…")."""
    later = [
        t
        for t in triggers
        if 0 <= t.start - n.end <= _GOVERNED_REACH
        and _CLAUSE_BREAKS.isdisjoint(text[n.end : t.start])
    ]
    if not later:
        return False
    return any(
        t.value in acts
        and n.start - t.end >= _OWN_MEETING_GAP
        and (across or _CLAUSE_BREAKS.isdisjoint(text[t.end : n.start]))
        and all(t.value != x.value for x in later)
        for t in triggers
    )




def _cancelled_after(n: Match, triggers: Sequence[Match], text: str) -> bool:
    """True if the cancellation ``n`` follows, in its own clause, the meeting expression
    it cancels ("a planned signing and a joint news conference were scrapped") while a
    meeting, talks, a call or a reception stands in an earlier clause of the sentence:
    that one was held."""
    own = [
        t
        for t in triggers
        if 0 <= n.start - t.end <= _CANCELLED_REACH
        and _CLAUSE_BREAKS.isdisjoint(text[t.end : n.start])
    ]
    return bool(own) and any(
        t.value in _ACTS_BEFORE_CANCELLATION
        and t.end <= n.start
        and not _CLAUSE_BREAKS.isdisjoint(text[t.end : n.start])
        and t.end <= min(o.start for o in own)
        for t in triggers
    )


#: How far before a meeting expression a "during" may end ("в ходе телефонного
#: разговора").
_DURING_REACH = 16

#: How far before a cancellation ("… were scrapped") the meeting expression it governs
#: may end.
_CANCELLED_REACH = 60


_QUESTION_END = re.compile(r"[?？؟][\s\"'”»)]*$")
#: Where a question starts inside a sentence: after a headline's colon or dash.
_QUESTION_START = re.compile(r".*(?:[:：|]|\s[—–-]\s)", re.S)


def _speech_after(
    s: Sentence, triggers: Sequence[Match], text: str, lang: str
) -> int | None:
    """Where what was said starts, when a speech verb follows every meeting expression
    of the sentence ("Трамп на встрече с Трюдо заявил, что…", "met Trudeau and said…"):
    the end of that verb. None when there is none."""
    clauses = event_words(lang).clauses
    if clauses is None or not triggers:
        return None
    last = max(t.end for t in triggers)
    for m in clauses.finditer(text, last, s.end):
        if m.lastgroup == "speech":
            return m.end()
    return None


#: A Chinese headline's colon.
_TITLE_COLON = re.compile("[:：]")


def _title_remark_at(s: Sentence, triggers: Sequence[Match], text: str) -> int | None:
    """Where the remark of a Chinese headline that reports a meeting starts ("王毅会见
    拉夫罗夫：中方愿同俄方加强协调"): one character after its colon, when every meeting
    expression stands before the colon; a cue there is the speaker's ("愿同"), not the
    meeting's, unless it opens the remark ("…：推迟"). None when there is no such remark."""
    colon = _TITLE_COLON.search(text, s.start, s.end)
    if colon is None or not triggers or any(t.end > colon.start() for t in triggers):
        return None
    return colon.end()


def _asks_whether(s: Sentence, text: str, lang: str) -> bool:
    """True if the sentence asks whether its meeting happens ("Will Biden meet Xi at
    APEC?", "Erdogan hosts Assad?", "Встретится ли Путин с Трампом?"): no report of a
    meeting. A question about a meeting that took place ("Why did Modi visit Ukraine?")
    and a question after the meeting's clause ("Biden meets Xi: what's next?") are not."""
    if _QUESTION_END.search(text, s.start, s.end) is None:
        return False
    head = _QUESTION_START.match(text, s.start, s.end)
    start = head.end() if head is not None else s.start
    if not any(t.start >= start for t in s.kinds(Kind.TRIGGER)):
        return False
    wh = event_words(lang).wh
    if wh is None:
        return True
    if lang == "zh":  # the question word stays in place: "中美元首为何在旧金山会晤？"
        return wh.search(text, start, s.end) is None
    return wh.match(text[start : start + 40].lstrip(" ¿\"'“«")) is None


def _undated(s: Sentence, text: str, lang: str) -> bool:
    """True if a negation of the sentence says that no date is set ("no date has been
    set", "сроки не определены")."""
    undated = event_words(lang).undated
    return bool(undated) and any(
        text[n.start : n.end].lower().startswith(undated) for n in s.kinds(Kind.NEGATION)
    )


def _hosting(s: Sentence, groups: frozenset[str] = _HOSTING) -> bool:
    """A host's meeting expression ("received", "استقبل") in the sentence, or one of
    other trigger ``groups``."""
    if _TRIGGER in s.kind_set:
        for m in s.matches:
            if m.kind == _TRIGGER and m.value in groups:
                return True
    return False


def _hosted_at_venue(s: Sentence) -> bool:
    """A host's meeting expression and a venue: an implicit host may be found."""
    return _hosting(s) and any(m.kind in _VENUE_KINDS for m in s.matches)


def _met_in_turn(
    s: Sentence, ranked: list[tuple[str, _Actor]], text: str, lang: str
) -> list[tuple[str, str]]:
    """The pairs of one subject named before a cue of separate meetings and the strong
    actors named after it, in the order named: "习近平先后同塞尔维亚总统武契奇、匈牙利总理欧尔班
    举行会谈" is Xi with Vučić, then with Orbán (the meeting word comes last in Chinese)."""
    cue = _separate_cue(s, text, lang)
    if cue is None:
        return []
    before = [kv for kv in ranked if kv[1].first < cue.start()]
    after = sorted(
        (kv for kv in ranked if kv[1].first >= cue.end() and kv[1].score >= 3.0),
        key=lambda kv: kv[1].first,
    )
    if len(before) != 1 or before[0][1].score < 3.0 or not after:
        return []
    subject = before[0][0]
    return [(subject, kv[0]) for kv in after[:2] if _distinct(subject, kv[0])]


def _separate_cue(s: Sentence, text: str, lang: str) -> re.Match[str] | None:
    """Where the sentence says its meetings were separate ("separately", "先后"), if it
    does."""
    cues = event_words(lang).separately
    return cues.search(text, s.start, s.end) if cues is not None else None


def _separate_meetings(s: Sentence, text: str, lang: str) -> bool:
    """True if the sentence says its meetings were separate ("separately", "先后")."""
    return _separate_cue(s, text, lang) is not None


def _historical(s: Sentence, text: str, when: date | None) -> bool:
    if when is None:
        return False  # an undated text: no year is far from its date
    sentence = text[s.start : s.end]
    if "20" not in sentence and "19" not in sentence and "18" not in sentence:
        return False  # no year
    triggers = [(t.start - s.start, t.end - s.start) for t in s.matches if t.kind == _TRIGGER]
    for m in _old_years(sentence, when):
        if _dates_opening(sentence, m) and any(a > m.end() for a, _ in triggers):
            return True  # "1972年2月，美国总统尼克松访华", "In March 1972, …": the opening
            # date is the whole sentence's
        before = sentence[max(0, m.start() - 12) : m.start()].lower()
        if not any(k in before for k in _SINCE) and any(
            not _clause_break(
                _NAME_INITIAL.sub(
                    "", sentence[b : m.start()] if m.start() >= b else sentence[m.end() : a]
                )
            )
            and a - _HISTORICAL_REACH <= m.start() <= b + _HISTORICAL_REACH
            and not (  # a year of a since-clause: "the first visit since Lee
                # Myung-bak travelled to Kyoto in 2011"
                m.start() >= b
                and any(k in sentence[max(0, a - 40) : m.start()].lower() for k in _SINCE)
            )
            for a, b in triggers
        ):
            return True  # not "…a reçu le président mexicain …, et a annoncé que
            # l'obligation de visa imposée en 2009 serait levée": the visa's year
    return False


#: An opening date: a few words before the year, the rest of a date after it ("年2月",
#: " March"), then a comma.
_OPENING_DATE_WORDS = 3
_DATE_TAIL = re.compile(r"(?:年(?:\d{1,2}月(?:\d{1,2}日)?)?|\s*\w*)\s*[,，،]")


def _dates_opening(sentence: str, year: re.Match[str]) -> bool:
    """True if ``year`` is part of a date that opens the sentence and a comma closes
    ("1972年2月，…", "In March 1972, …", "En 1994, …"): it dates the whole sentence."""
    head = sentence[: year.start()].lstrip(_QUOTES + " ")
    if len(head.split()) > _OPENING_DATE_WORDS or any(c in head for c in ",，،;:"):
        return False
    return _DATE_TAIL.match(sentence, year.end()) is not None


def _old_years(sentence: str, when: date) -> list[re.Match[str]]:
    """The years of ``sentence`` far before the article's date ``when``."""
    return [
        m for m in _YEAR.finditer(sentence) if int(m.group()) <= when.year - _HISTORICAL_YEARS
    ]


def _old_year(s: Sentence, text: str, when: date | None) -> bool:
    """True if the sentence names a year far before the article's date."""
    return when is not None and bool(_old_years(text[s.start : s.end], when))


#: A sentence that opens with a time after the sentence before ("不到一年后，",
#: "A year later,", "Un an plus tard,"): as old as that one's year (:func:`_old_year`).
_LATER = re.compile(
    r"\W{0,3}[^,，.。;；\n]{0,24}?(?:later|plus tard|más tarde|спустя|后|後)\s*[,，]", re.I
)


#: How near a meeting expression, in its clause, an old year dates it.
_HISTORICAL_REACH = 100
#: A name's initial ("Dwight D. Eisenhower"): no clause break.
_NAME_INITIAL = re.compile(r"(?<!\w)[A-Z]\.")


_PAST_REACH = 110  # a past date this far after a meeting expression dates it
_PAST_OPENER = 16  # a past date this near a body sentence's start dates all of it
_PAST_BEFORE = 45  # how far before a body sentence's meeting expression a date may stand
_PAST_BEFORE_HAN = 30  # in Chinese, a past date this far before a meeting expression
_BODY = 2  # sentences from this index on (after the title and lead) report background
_PARTNER_REACH = (30, 8)  # "a meeting with reporters", "visited a factory"
#: Kinds that stand between a meeting expression and a civilian or non-state noun when
#: the noun is not the meeting's partner ("met Chinese students" is left to the actor
#: weights).
_OBJECT_BLOCKERS = _ACTOR_KINDS | {Kind.OFFICIAL, Kind.COUNTERPART, Kind.ORG, Kind.TRIGGER}
#: Where a background clause ends.
_SPAN_END = re.compile(r"[,;:()\u2014\u2013،؛，；]|\s-\s")


def _clause_end(text: str, at: int, stop: int) -> int:
    """Where the clause that goes on at ``at`` ends: the next comma, semicolon, colon,
    bracket or dash, else ``stop``."""
    close = _SPAN_END.search(text, at, stop)
    return close.start() if close else stop


def _dated_past(
    text: str, lo: int, hi: int, words: EventWords, when: date | None, wrap: bool = False
) -> bool:
    """True if ``text[lo:hi]`` dates something before the publication: "last week",
    "three months ago", "in February" (a month before the publication month), "in 2023";
    with ``wrap`` (the text reports a past event: "when they met in November") also a
    month after the publication month, of the year before."""
    if words.past is None or hi <= lo:
        return False
    for m in words.past.finditer(text, lo, hi):
        found = m.groupdict()
        if found.get("p"):
            return True
        if when is None:
            continue
        year = int(found.get("y") or found.get("y2") or 0)
        if year and year < when.year:
            return True
        month = int(found.get("zm") or 0) or next(
            (int(k[1:]) for k, v in found.items() if v and k[0] == "m"), 0
        )
        if (
            month
            and (not year or year == when.year)
            and month < when.month
            and _days_before(when, month, int(found.get("zd") or 0)) > _RECENT_DAYS
        ):
            return True  # not "5月29日至31日…进行国事访问" on 3 June: days ago
        if wrap and month and not year and month > when.month:
            return True
    return False


#: Days before the publication that a dated meeting is still the day's news ("5月29日至31日
#: …进行国事访问" in an article of 3 June).
_RECENT_DAYS = 7


def _days_before(when: date, month: int, day: int) -> int:
    """How many days ``when`` is after ``day`` of ``month`` of its year; a large number
    when no valid day is given."""
    try:
        return (when - date(when.year, month, day)).days if day else _RECENT_DAYS + 1
    except ValueError:
        return _RECENT_DAYS + 1


_QUOTES = " \t\"'«“—-"


#: Words that date a Chinese clause's meeting before the article's ("此前一天", "曾于", "曾访问").
_ZH_EARLIER_CLAUSE = re.compile("此前|早些时候|前一天|曾于|曾在|曾经?$|结束对|结束了对|刚刚结束")
_ZH_CLAUSE_BREAK = re.compile("[，,；;：:]")
#: A clause that goes on with the last one's person or stay ("她在广州…", "在河内期间他…").
_ZH_GOES_ON = re.compile("[他她]|在[^，,；;：:]{1,8}期间")


def _zh_earlier_clauses(
    s: Sentence, text: str, triggers: Sequence[Match]
) -> list[tuple[int, int, bool]]:
    """The clauses (between commas, semicolons or colons) of a Chinese sentence whose
    meeting expression a word before it dates earlier ("，他此前一天在科威特城同科威特
    埃米尔举行了会谈"), as dated background spans. For sentences after the first, as
    "Earlier, …" (see :func:`_earlier_sentence`). A clause that goes on with a dated
    clause's person or stay right after it is dated too ("…刚刚结束为期六天的访华行程，
    她在广州和北京先后会见了…", "…在结束对越南的国事访问后抵达吉隆坡的，在河内期间他同…")."""
    found: list[tuple[int, int, bool]] = []
    for t in triggers:
        start, before = s.start, s.start
        for m in _ZH_CLAUSE_BREAK.finditer(text, s.start, t.start):
            start, before = m.end(), start
        if _ZH_EARLIER_CLAUSE.search(text, start, t.start) or (
            before < start
            and _ZH_GOES_ON.match(text, start)
            and _ZH_EARLIER_CLAUSE.search(text, before, start)
        ):
            end = _ZH_CLAUSE_BREAK.search(text, t.end, s.end)
            found.append((start, end.start() if end else s.end, True))
    return found


def _earlier_sentence(s: Sentence, text: str, words: EventWords) -> bool:
    """True for a background sentence: "Earlier, …", "Ранее Лавров…", "وكان … قد"; not
    "Earlier on Monday" (the same day)."""
    head = text[s.start : min(s.end, s.start + 40)]
    lead = len(head) - len(head.lstrip(_QUOTES))
    for opener, need in words.earlier:
        m = opener.match(text, s.start + lead, s.end)
        if m is None:
            continue
        if need is not None and need.search(text, m.end(), s.end) is None:
            continue
        rest = text[m.end() : min(s.end, m.end() + 30)].lstrip(" ,")
        if words.same_day is not None and words.same_day.match(rest):
            continue
        return True
    return False


#: How far before the meeting it hosts a host's expression stands ("hosted meetings of…").
_HOSTED_REACH = 40


def _nonstate_partner(
    t: Match, s: Sentence, text: str, locative: frozenset[str] = frozenset()
) -> bool:
    """True if the meeting expression's partner is a civilian or non-state noun ("a
    meeting with reporters", "встреча с ветеранами", "met with the governor", "visited
    a factory"), or the expression's subject right before it is ("executives met Saudi
    officials"), or a civilian phrase holds the expression ("una entrevista
    televisiva"): no state meets there. A role noun right before the noun heads the
    same phrase ("представителями деловых кругов") and does not stand between, and so
    does a country right before the noun ("met Syrian opposition figures", "会见新西兰前
    总理"): it names whose the non-state partner is. A noun a few words after a
    ``locative`` word right after the expression is its venue ("talks at the Communist
    Party headquarters")."""
    reach = _limit(t, text, _PARTNER_REACH)
    partner = None
    for m in s.matches:
        if m.kind == Kind.NONSTATE and m.start <= t.start and t.end <= m.end:
            return True  # "una entrevista televisiva": the expression names no meeting
        if m.kind == Kind.NONSTATE and 0 <= t.start - m.end <= 1 and t.value != "host":
            return True  # "executives met", "企业家访问": a civilian subject
        if m.kind == Kind.NONSTATE and 0 <= m.start - t.end <= reach:
            partner = m
            break
    if partner is None or _clause_break(text[t.end : partner.start]):
        return False
    between = text[t.end : partner.start].split()
    if between and len(between) <= _VENUE_WORDS and _folded_word(between[0]) in locative:
        return False
    # a meeting expression that modifies the noun ("会见访华的…前总理") stands with it
    modifiers = {
        (m.start, m.end)
        for m in s.matches
        if m.kind == Kind.TRIGGER and t.end <= m.start and text.startswith("的", m.end)
    }
    return not any(
        t.end <= m.start < partner.start
        and m.kind in _OBJECT_BLOCKERS
        and not (m.kind == Kind.OFFICIAL and partner.start - m.end <= 3)
        and not (m.kind in _COUNTRY_OR_DEMONYM and not text[m.end : partner.start].strip())
        and (m.start, m.end) not in modifiers
        for m in s.matches
    )


#: Words from a locative to a non-state noun that names a meeting's venue ("at the
#: Communist Party").
_VENUE_WORDS = 3

#: A Chinese "following X," clause (继…之后，): not 继续, 继承, 继任, 继而.
_ZH_FOLLOWING = re.compile(r"继(?![续承任而往])[^，。；,;]{2,40}?(?:之后|以后|后)[，,]")


def _background_spans(
    s: Sentence, text: str, words: EventWords, when: date | None, lang: str
) -> tuple[list[tuple[int, int, bool]], list[int], list[tuple[int, int]]]:
    """Background clauses of a sentence as (start, end, dated), where its speech verbs
    stand, and the "before" clauses that are not dated ("ahead of talks on…"). Clauses:
    relative clauses after a comma (", who met … in March,"), "since" clauses and
    temporal "after"/"before" clauses, each up to the next comma.
    ``dated`` (the clause surely reports an earlier event): a "since" clause, a clause
    with a past date, or "days after" (not "days before", which may announce a
    scheduled meeting)."""
    spans: list[tuple[int, int, bool]] = []
    speech: list[int] = []
    ahead: list[tuple[int, int]] = []
    if lang == "zh":  # "继布林肯访华之后，…": what came first
        found = _ZH_FOLLOWING.finditer(text, s.start, s.end)
        spans.extend((m.start(), m.end(), True) for m in found)
    if words.clauses is None:
        return spans, speech, ahead
    separate: bool | None = None
    openers = list(words.clauses.finditer(text, s.start, s.end))
    since_at = [x.start() for x in openers if x.lastgroup == "since"]
    for m in openers:
        group = m.lastgroup
        if group == "speech":
            speech.append(m.start())
            continue
        end = _clause_end(text, m.end(), s.end)
        if group in ("after", "before"):
            end = _phrase_end(s, m.end(), end)
        # a "since" clause inside dates itself, not this one (", where Kenyatta hosted
        # Samia on her first visit since she took office in March")
        dated_end = min([end] + [a for a in since_at if m.start() < a < end])
        dated = group == "since" or _dated_past(
            text, m.start(), dated_end, words, when, group == "after"
        )
        if group == "before" and lang == "ru" and _RU_DAY_BEFORE.match(text, m.start()):
            dated = True  # "; накануне египетский министр обсуждал…": the day before
            group = "after"
        if not dated and group == "rel" and spans and spans[-1][2] and spans[-1][1] == m.start():
            dated = True  # "follows his visit to Abu Dhabi last month, where he met …"
        where = (
            not dated
            and group == "rel"
            and words.where is not None
            and words.where.search(text, m.start(), m.end())
        )
        origin = (
            words.origin.search(text, max(s.start, m.start() - _ORIGIN_REACH), m.start())
            if where and words.origin is not None
            else None
        )
        if origin is not None and (
            origin.group().lower() not in words.bare_origin
            or (
                words.motion is not None
                and words.motion.search(
                    text, max(s.start, origin.start() - _MOTION_REACH), origin.start()
                )
                is not None
            )
        ):
            dated = True  # "llegó desde Buenos Aires, donde el lunes se reunió con…": an
            # earlier stop of the journey (not "se realizó … desde Palacio de Gobierno,
            # donde la presidenta recibió…": where it was broadcast from)
        elif where and _visit_where(s, text, m.start(), m.end(), end):
            continue  # "s'est rendu à Tripoli, où il s'est entretenu avec Kadhafi"
        if not dated and group == "after" and words.unit_before is not None:
            dated = (
                words.unit_before.search(text, max(s.start, m.start() - 20), m.start()) is not None
            )
        if not dated and group in ("after", "before"):
            if separate is None:  # "met Lavrov before meeting Blinken": two meetings
                separate = (
                    sum(m.kind == Kind.TRIGGER for m in s.matches) > 1
                    and _separate_meetings(s, text, lang)
                )
            if separate:
                continue
        spans.append((m.start(), end, dated))
        if group == "before" and not dated:
            ahead.append((m.start(), end))
    return spans, speech, ahead


def _visit_where(s: Sentence, text: str, start: int, opener: int, end: int) -> bool:
    """True if the place clause ``text[start:end]`` (opened by a ``where`` word that
    ends at ``opener``) stands right after a journey or a clause with no meeting ("s'est
    rendu à Tripoli, où il s'est entretenu avec Kadhafi", "Abe was speaking in Seoul,
    where he and President Roh, meeting hours after…") with a meeting expression of its
    own: the sentence's meeting, not a background one."""
    before = [t for t in s.matches if t.kind == _TRIGGER and t.end <= start]
    return (not before or before[-1].value == "visit") and any(
        t.kind == _TRIGGER and opener <= t.start < end for t in s.matches
    )


#: How far before a place clause an origin word (the lexicon's ``origin``) may stand, and
#: a verb of motion before a bare one.
_ORIGIN_REACH = 40
_MOTION_REACH = 25


#: What names the subject of a sentence's meeting after an "after"/"before" phrase.
_SUBJECT_KINDS = _ACTOR_KINDS | {Kind.ORG, Kind.OFFICIAL}
#: What may stand right before a subject's name as part of it (a title, an
#: organisation, a nationality).
_TITLE_KINDS = frozenset({Kind.OFFICIAL, Kind.ORG, Kind.DEMONYM})


#: "накануне" with no event after it: the day before (not "накануне визита", ahead of).
_RU_DAY_BEFORE = re.compile(
    r"накануне(?!\s+(?:визит|переговор|встреч|саммит|поездк|выбор|заседан|праздник|"
    r"годовщин|начал|открыт|форум|конференц|совещан|турне|приезд|прибыти|днями|дня\b))",
    re.I,
)


def _phrase_end(s: Sentence, start: int, end: int) -> int:
    """Where an "after"/"before" phrase opened at ``start`` ends when no comma closes it
    before a second meeting expression: right before the subject of that expression,
    the last names before it ("Перед визитом в Москву Гутерриш побывал в Анкаре": the
    phrase is "Перед визитом в Москву"; "После встречи с Трампом на Аляске в августе
    Путин провел…": up to "в августе")."""
    triggers = [m for m in s.matches if m.kind == Kind.TRIGGER and start <= m.start < end]
    if len(triggers) < 2:
        return end
    names = [
        m
        for m in s.matches
        if m.kind in _SUBJECT_KINDS and triggers[0].end <= m.start and m.end <= triggers[1].start
    ]
    if not names:
        return end
    at = names[-1].start
    for m in reversed(names[:-1]):
        if at - m.end > 3 or m.kind not in _TITLE_KINDS:
            break
        at = m.start  # "президент России", "генсек ООН Гутерриш"; not "в Москву Гутерриш"
    return at if at > triggers[0].end else end


def _in_spans(at: int, spans: list[tuple[int, int, bool]], dated_only: bool = False) -> bool:
    return any(a <= at < b and (dated or not dated_only) for a, b, dated in spans)


def _title_background(
    s: Sentence, triggers: list[Match], text: str, words: EventWords
) -> Sentence | None:
    """The title without the meeting expressions it names as a topic: all of them
    in an opinion or analysis title ("Analysis: …"), one right after a topic
    preposition ("China warns Japan over Yasukuni visit"; not a call "over the
    phone"); None when it keeps them all."""
    head = text[s.start : s.start + 30].lstrip(_QUOTES).lower()
    if words.opinion and head.startswith(words.opinion):
        dropped = {t.start for t in triggers}
    elif words.topic_of is not None:
        dropped = set()
        for t in triggers:
            topic = words.topic_of.search(text, max(s.start, t.start - 40), t.start)
            if t.value == "call" or topic is None:
                continue
            if any(
                n.kind == Kind.NEGATION and topic.start() <= n.start < t.start for n in s.matches
            ):
                continue  # "заявил о готовности встретиться": a readiness to meet, not a topic
            dropped.add(t.start)
    else:
        return None
    if not dropped:
        return None
    kept = [m for m in s.matches if not (m.kind == Kind.TRIGGER and m.start in dropped)]
    return Sentence.of(s.index, s.start, s.end, kept)


#: Meeting expressions that an organisation's name next to them makes its gathering
#: ("a meeting of NATO defence ministers", "EU summit", "встречи министров НАТО").
_GATHERINGS = frozenset({"meeting", "summit"})
_GATHERING_REACH = (40, 12)  # an organisation this near after the expression
_GATHERING_BEFORE = (30, 6)  # or this near before it
_GATHERING_BLOCKERS = _ACTOR_KINDS | {Kind.COUNTERPART, Kind.TRIGGER}


def _gathering(t: Match, s: Sentence, text: str) -> bool:
    """True if the meeting expression ``t`` names an organisation's gathering: an
    organisation right after it, or right before it, with no party or other meeting
    expression between and in the same clause."""
    if t.value not in _GATHERINGS:
        return False
    after, before = _limit(t, text, _GATHERING_REACH), _limit(t, text, _GATHERING_BEFORE)
    for o in s.matches:
        if o.kind != Kind.ORG:
            continue
        if t.end <= o.start <= t.end + after:
            lo, hi = t.end, o.start
        elif o.end <= t.start <= o.end + before:
            lo, hi = o.end, t.start
        else:
            continue
        if _clause_break(text[lo:hi]):
            continue
        if not any(
            m.kind in _GATHERING_BLOCKERS and lo <= m.start < hi and m is not t for m in s.matches
        ):
            return True
    return False


_DELIVERY_REACH = 60


#: What may stand between a host's expression and the thing it welcomes: the countries
#: that qualify the thing ("welcomed the India-Pakistan ceasefire"), never a role noun,
#: a person or an organisation.
_THING_BLOCKERS = frozenset({Kind.OFFICIAL, Kind.COUNTERPART, Kind.ORG, Kind.TRIGGER, Kind.PERSON})


_SIGNED_REACH = 40


def _decree(t: Match, s: Sentence, text: str, words: EventWords) -> bool:
    """True if the signing expression ``t`` signs a decree or a law ("signed an
    executive order", "the executive order that I signed", "подписал указ"): the act
    stands next to it in its clause."""
    thing = words.signed_thing
    if thing is None or t.value not in _SIGNING:
        return False
    after = thing.search(text, t.end, min(s.end, t.end + _SIGNED_REACH))
    if after is not None and not _clause_break(text[t.end : after.start()]):
        return True
    lo = max(s.start, t.start - _SIGNED_REACH)
    return any(
        not _clause_break(text[m.end() : t.start]) for m in thing.finditer(text, lo, t.start)
    )


def _delivery(t: Match, s: Sentence, text: str, words: EventWords) -> bool:
    """True if the host's expression ``t`` receives a thing from someone ("received
    new air-defence systems from the German government", "приняло системы ПВО от"):
    "from" follows in its clause with no party, role noun or organisation between; or
    if it welcomes a thing ("welcomed the ceasefire agreed by India and Pakistan",
    "welcomes Armenia-Azerbaijan peace deal"), with nothing but the countries that
    qualify it between."""
    if t.value not in _HOSTING:
        return False
    hi = min(s.end, t.end + _DELIVERY_REACH)
    thing = words.hosted_thing
    found = thing.search(text, t.end, hi) if thing is not None else None
    if (
        found is not None
        and not _clause_break(text[t.end : found.start()])
        and not any(
            t.end <= m.start < found.start() and m.kind in _THING_BLOCKERS for m in s.matches
        )
    ):
        return True
    source = words.received_from
    found = source.search(text, t.end, hi) if source is not None else None
    if found is None or _clause_break(text[t.end : found.start()]):
        return False
    return not any(
        t.end <= m.start < found.start() and m.kind in _OBJECT_BLOCKERS for m in s.matches
    )


def _commented(t: Match, s: Sentence, text: str, words: EventWords) -> bool:
    """True if the meeting expression ``t`` is what the sentence comments on or
    remembers ("commented on the US president's visit", "Визит … вспомнили")."""
    before, after = words.commented, words.commented_after
    lo = max(s.start, t.start - 60)
    if (
        before is not None
        and any(not _finite_cue(m, text, words) for m in before.finditer(text, lo, t.start))
    ) or (
        after is not None and after.search(text[t.end : min(s.end, t.end + 90)]) is not None
    ):
        return True
    for near, verb in words.commented_split:
        found = near.search(text, lo, t.start)
        if found is not None and verb.search(text, s.start, found.start()) is not None:
            return True
    return False


def _finite_cue(m: re.Match[str], text: str, words: EventWords) -> bool:
    """True if the comment cue ``m`` is a finite verb: its first word or the word
    right before it is one of the lexicon's ``commented_finite``."""
    finite = words.commented_finite
    if not finite:
        return False
    first = m.group().split(maxsplit=1)[0].lower()
    before = text[max(0, m.start() - 16) : m.start()].split()
    return first in finite or (bool(before) and before[-1].lower() in finite)


def _set_aside(s: Sentence, text: str, words: EventWords) -> Sentence:
    """The sentence without the meeting expressions it comments on or remembers,
    without those that name an organisation's gathering (unless the sentence puts a
    meeting on its sidelines), and without a host's expression that receives a thing
    ("received new systems from")."""
    # "on the sidelines of the APEC meeting": the sentence reports a meeting inside it
    gatherings = Kind.ORG in s.kind_set and Kind.SIDELINES not in s.kind_set
    low = text[s.start : s.end].lower() if words.commented_keys else ""
    commented = bool(low) and any(k in low for k in words.commented_keys)
    delivery = (words.received_from is not None or words.hosted_thing is not None) and _hosting(
        s
    )
    decree = words.signed_thing is not None and _hosting(s, _SIGNING)
    if not gatherings and not commented and not delivery and not decree:
        return s
    remembered = (
        [t for t in s.matches if t.kind == _TRIGGER and _commented(t, s, text, words)]
        if commented
        else []
    )
    dropped = {  # (start, end, value): "received" drops, "received a call from" stays
        (t.start, t.end, t.value)
        for t in s.matches
        if t.kind == _TRIGGER
        and (
            t in remembered
            or (gatherings and _gathering(t, s, text))
            or (delivery and _delivery(t, s, text, words))
            or (decree and _decree(t, s, text, words))
        )
    }
    if not dropped:
        return s
    if remembered and words.clauses is not None:
        # "الذكرى الثلاثون لزيارة السادات إلى القدس، حيث التقى بيغن": the meeting of a
        # relative clause on a remembered visit is remembered too
        clauses = words.clauses
        ends = [t.end for t in remembered]
        dropped.update(
            (t.start, t.end, t.value)
            for t in s.matches
            if t.kind == _TRIGGER
            and any(
                0 <= t.start - end <= _REMEMBERED_REL_REACH
                and any(m.lastgroup == "rel" for m in clauses.finditer(text, end, t.start))
                for end in ends
            )
        )
    return Sentence.of(
        s.index,
        s.start,
        s.end,
        [m for m in s.matches if not (m.kind == _TRIGGER and (m.start, m.end, m.value) in dropped)],
    )


#: How far after a remembered meeting expression a relative clause's one may stand.
_REMEMBERED_REL_REACH = 80


def _speech_in(words: EventWords, text: str, start: int, end: int) -> bool:
    """True if a speech verb stands between ``start`` and ``end`` ("said", "a déclaré")."""
    clauses = words.clauses
    return clauses is not None and any(
        x.lastgroup == "speech" for x in clauses.finditer(text, start, end)
    )


def _foreground(s: Sentence, text: str, gz: Gazetteer, lang: str, when: date | None) -> Sentence:
    """The sentence without what reports background rather than its main event.

    A meeting expression is background in a background sentence ("Earlier, …",
    "Ранее …"), right after "last"/"previous" ("last met"), with a civilian or non-state
    partner ("a meeting with reporters"), in a background clause that is dated (", who visited
    Washington last month,", "since their meeting", "a month after his visit"), or,
    in a statement or after the lead, when a past date follows it ("said his meeting
    with Trump in February had…", "The two sides held talks in Istanbul in May").
    Background clauses are dropped with their actors when the rest of the sentence has
    a meeting expression and two countries ("Putin called Lukashenko after his meeting
    with Trump"); otherwise a clause that is not dated ("After talks with Wang Yi,
    Pakistan's minister said…") may report the only meeting of the sentence, and only
    the meeting expressions of dated clauses are dropped — with their partners when the
    rest has a meeting expression and the clause a meeting, talks or call of its own
    ("held talks with Iran's minister, a week after meeting US officials")."""
    words = event_words(lang)
    s = _set_aside(s, text, words)
    low = text[s.start : s.end].lower()
    if words.reaction is not None and any(k in low for k in words.reaction_keys):
        s = _without_reactions(s, text, words.reaction)
    if words.plural_partners is not None and s.has(Kind.TRIGGER):
        plural = words.plural_partners
        s = s.keeping(
            [m for m in s.matches if m.kind != Kind.TRIGGER or plural.match(text, m.end) is None]
        )
    if words.occasion is not None and s.has(Kind.TRIGGER):
        occasion = words.occasion  # "Casado aprovechó el encuentro para reclamar…"
        s = s.keeping(
            [
                m
                for m in s.matches
                if m.kind != Kind.TRIGGER
                or occasion.search(text, max(s.start, m.start - 30), m.start) is None
            ]
        )
    if words.attribution is not None:
        s = _without_attribution(s, text, words.attribution, gz, when, lang)
    if words.commenting is not None:
        said = words.commenting.search(text, s.start, s.end)
        if said is not None:
            s = _without_tail(s, text, said.start(), gz, when, sources=False)
    if words.said_head is not None and s.has(Kind.TRIGGER):
        s = _without_said_head(s, text, words.said_head, gz, when)
    quote = _QUOTE_OPENING.search(text, s.start, s.end)
    if quote is not None:
        s = _without_quote(s, quote.start())
    if s.index == 0 and ";" in text[s.start : s.end]:
        s = _own_story(s, text, gz, when)
    if s.index == 0 and lang != "zh":
        source = _TITLE_SOURCE.search(text, s.start, s.end)
        if source is not None:  # "Китай и Индия провели переговоры — Захарова"
            s = _without_tail(s, text, source.start(), gz, when)
    triggers = [m for m in s.matches if m.kind == Kind.TRIGGER]
    if s.index == 0 and triggers:
        title = _title_background(s, triggers, text, words)
        if title is not None:
            return title
    head = text[s.start : s.start + 40]
    opening = head.lstrip(_QUOTES)
    if (
        s.index > 0
        and words.earlier_keys
        and opening.lower().startswith(words.earlier_keys)
        and _earlier_sentence(s, text, words)
    ) or (
        triggers
        and words.years_ago is not None
        and words.years_ago.match(text, s.start + len(head) - len(opening))
    ):  # a background sentence: "Earlier, …", "Ten years ago, …"
        return Sentence.of(
            s.index, s.start, s.end, [m for m in s.matches if m.kind != Kind.TRIGGER]
        )
    has = low.__contains__
    if words.hint_words.isdisjoint(low.split()) and not any(map(has, words.hint_stems)):
        clause_hint = previous_hint = False
        past_hint = "19" in low or "20" in low
    else:
        clause_hint = any(map(has, words.clause_keys))
        past_hint = "19" in low or "20" in low or any(map(has, words.past_keys))
        previous_hint = any(map(has, words.previous_keys))
    if lang == "zh" and "继" in low:
        clause_hint = True  # _ZH_FOLLOWING
    if lang == "zh" and s.index >= _BODY and "月" in low[:_PAST_OPENER]:
        past_hint = True  # "今年5月，…", "9月，…" opening a body sentence (_past_re)
    previous = words.previous if previous_hint else None
    dropped: set[int] = set()  # offsets of background meeting expressions
    civil: set[int] = set()  # those of them with a non-state partner: undated
    nonstate = Kind.NONSTATE in s.kind_set
    for t in triggers:
        if nonstate and _nonstate_partner(t, s, text, words.locative):
            civil.add(t.start)
        elif previous is not None and (
            previous.search(text, max(s.start, t.start - 25), t.start) is not None
            or previous.search(text, max(s.start, t.start - 25), t.end) is not None
        ):
            dropped.add(t.start)
    if civil:
        for t, u in pairwise(triggers):
            if t.value == "host" and u.start in civil and u.start - t.end <= _HOSTED_REACH:
                civil.add(t.start)  # "استضافة الحكومة الكينية اجتماعات مليشيا الدعم
                # السريع": hosting a meeting of non-state actors hosts no state
        dropped |= civil
    spans: list[tuple[int, int, bool]] = []
    speech: list[int] = []
    ahead: list[tuple[int, int]] = []
    if clause_hint or past_hint:
        spans, speech, ahead = _background_spans(s, text, words, when, lang)
    if lang == "zh" and s.index > 0:
        spans.extend(_zh_earlier_clauses(s, text, triggers))
    aux = words.pluperfect_aux if s.index >= _BODY else None
    backshifted: set[int] = set()  # pluperfect after the sentence's own meeting
    if aux is not None:
        for t in triggers:  # "…, avait plaidé pour cette levée lors de son entretien avec…",
            # "avait évoqué le même sujet … avec Vladimir Poutine" (the meeting's own verb)
            lo = max([s.start] + [b.end() for b in _SPAN_END.finditer(text, s.start, t.start)])
            if t.start not in dropped and aux.search(text, lo, t.end):
                told = next(
                    (u.end for u in triggers if u.end <= lo and u.start not in dropped), None
                )
                if told is not None and _speech_in(words, text, told, t.start):
                    backshifted.add(t.start)  # "held talks with Howard, who said the two
                    # sides had signed…": reported speech about the meeting before it
                dropped.add(t.start)
    if not spans and not dropped and (not past_hint or (not speech and s.index < _BODY)):
        return s
    main = [t for t in triggers if t.start not in dropped and not _in_spans(t.start, spans)]
    if main and past_hint and (speech or s.index >= _BODY) and words.past is not None:
        if s.index >= _BODY and _dated_past(
            text, s.start, min(s.end, s.start + _PAST_OPENER), words, when
        ):
            dropped.update(t.start for t in main)  # "上个月，…会面时": the whole sentence
        cuts = [t.start for t in triggers] + [a for a, _, _ in spans] + speech
        for t in main:
            hi = min(t.end + _PAST_REACH, s.end)
            for c in cuts:
                if t.start < c < hi:
                    hi = c
            if _dated_past(text, t.end, hi, words, when):
                dropped.add(t.start)  # "said that trade talks with the US in May had…"
            elif lang == "zh":  # a time phrase stands before the verb: "在首个任期内与…举行"
                lo = max([s.start, t.start - _PAST_BEFORE_HAN] + [c for c in cuts if c < t.start])
                if _dated_past(text, lo, t.start, words, when) and "以来" not in text[lo : t.start]:
                    dropped.add(t.start)
            elif s.index >= _BODY:  # "…, а в январе 2013 года, во время визита …"
                lo = max([s.start, t.start - _PAST_BEFORE] + [c for c in cuts if c < t.start])
                if _dated_past(text, lo, t.start, words, when):
                    dropped.add(t.start)
        main = [t for t in main if t.start not in dropped]
    if s.index >= _BODY and (
        any(t.start in dropped and t.start not in backshifted | civil for t in triggers)
        or any(d and any(a <= t.start < b for t in triggers) for a, b, d in spans)
    ):
        # a body sentence that dates one of its meeting expressions tells a past meeting
        # in all of them ("…received Abe in Tehran less than two weeks ago, in a visit
        # meant to…", "came a month after Kishida hosted Yoon, the first bilateral visit"),
        # place clauses too ("last met Biden in November…, where they discussed…")
        dropped.update(t.start for t in triggers)
        main = []
    if not dropped and not spans:
        return s
    kept: list[Match] = []
    if main:
        kept = [
            m
            for m in s.matches
            if not _in_spans(m.start, spans) and not (m.kind == Kind.TRIGGER and m.start in dropped)
        ]
        if _fewer_than_two_countries(_before_topic(s, kept), gz, when):
            kept = []
    if not kept:
        # a dated clause with a meeting of its own ("a week after meeting US officials")
        # takes its partners with it, and so does one with no meeting expression ("un
        # día después de que el Congreso instara…, mientras el Gobierno de Maduro acusa
        # a España"); one with only a journey ("a day after arriving in Tokyo") may name
        # the host
        others = [
            (a, b, True)
            for a, b, dated in spans
            if dated
            and main
            and (
                any(t.value in _OWN_MEETINGS and a <= t.start < b for t in triggers)
                or not any(a <= t.start < b for t in triggers)
            )
        ]
        kept = [
            m
            for m in s.matches
            if not _in_spans(m.start, others)
            and not (
                m.kind == Kind.TRIGGER
                and (
                    m.start in dropped
                    or _in_spans(m.start, spans, True)
                    or _unpartnered(m, ahead, s, text, words)
                )
            )
        ]
    return s.keeping(kept)


#: Places a topic names ("discussed relations between Cairo and Dublin"), no party.
_TOPIC_PLACES = _TOPIC_SENSITIVE | {_METONYM, _COMPOUND}


def _before_topic(s: Sentence, kept: list[Match]) -> Sentence:
    """``s`` with the matches ``kept``, less the places named after its first topic
    cue: what the rest of a sentence whose background clauses are set aside names as
    parties ("a joint press conference … after talks with Martin …, which dealt with
    relations between Cairo and Dublin": Dublin is a topic, not the rest's second
    party)."""
    cue = next((m.start for m in kept if m.kind == _TOPIC_CUE), None)
    if cue is not None:
        kept = [m for m in kept if m.start < cue or m.kind not in _TOPIC_PLACES]
    return Sentence.of(s.index, s.start, s.end, kept)


def _unpartnered(
    t: Match, ahead: list[tuple[int, int]], s: Sentence, text: str, words: EventWords
) -> bool:
    """True if ``t`` stands in a clause about a meeting ahead that names no party of its
    own (a venue is none): no actor after it in the clause and fewer than two in all
    ("warned Manila ahead of a new round of ASEAN-China negotiations in Vientiane"): the
    sentence's actors are not its parties. "ahead of talks with Wang Yi", "before the
    Biden-Xi talks" name theirs. Also where an organisation stands in the clause before
    ``t``: the meeting ahead is the organisation's ("ahead of the NATO chief's talks
    with Erdogan")."""
    for a, b in ahead:
        if a <= t.start < b:
            if any(m.kind == Kind.ORG and a <= m.start < t.start for m in s.matches):
                return True  # "ahead of the NATO chief's talks with Erdogan": the
                # organisation's meeting, not one of the sentence's countries
            inside = [
                m
                for m in s.matches
                if a <= m.start < b
                and m.kind in _ACTOR_KINDS
                and not (m.kind in _VENUE_KINDS and _locative(m, text, words))
            ]
            if any(m.start >= t.end for m in inside):
                return False
            return len({m.value for m in inside}) < 2
    return False


def _without_attribution(
    s: Sentence,
    text: str,
    attribution: re.Pattern[str],
    gz: Gazetteer,
    when: date | None,
    lang: str,
) -> Sentence:
    """The sentence without what its last clause names (a source, or another subject
    after "and"/"while"), when that clause has no meeting expression and names another
    country, and the rest has a meeting expression and two countries ("Talks between
    Iran and the United States ended in Rome, Oman's foreign minister said.",
    "Pakistan and Afghanistan held talks, and China said it was ready to help."). A
    list's last member is no other subject ("welcoming Indian Minister… Jaishankar,
    Japanese Foreign Minister Hayashi, and United States Secretary of State…")."""
    m = attribution.search(text, s.start, s.end)
    if m is None:
        return s
    if _within_list(s, text, lang, m.start()):
        return s
    return _without_tail(s, text, m.start(), gz, when)


def _without_said_head(
    s: Sentence, text: str, said: re.Pattern[str], gz: Gazetteer, when: date | None
) -> Sentence:
    """The sentence without what was said before its speaker and speech verb, when that
    has no meeting expression and the rest has one and two countries ("Moldova still
    gets Russian gas, Putin said during his visit to Kyrgyzstan"): who is spoken of is
    no party."""
    m = said.search(text, s.start, s.end)
    if m is None:
        return s
    at = m.start()
    head = [x for x in s.matches if x.start < at]
    if any(x.kind == Kind.TRIGGER for x in head) or not any(
        x.kind in _ACTOR_KINDS for x in head
    ):
        return s
    rest = s.keeping([x for x in s.matches if x.start >= at])
    if not rest.has(Kind.TRIGGER) or _fewer_than_two_countries(rest, gz, when):
        return s
    return rest


#: A colon that opens a quotation: what follows is what was said.
_QUOTE_OPENING = re.compile(r"[:：]\s*[\"«“„]")


def _without_quote(s: Sentence, at: int) -> Sentence:
    """The sentence without the quotation that a colon opens at ``at``, when the
    quotation holds no meeting expression ("…بعد نهاية لقائه بوزير الخارجية الأمريكي، مايك
    بومبيو: "…لم يتم تفتيش مقر إقامة القنصل السعودي…"): who is quoted about is no party."""
    if not _names_without_meeting(s, at):
        return s
    return s.keeping([x for x in s.matches if x.start < at])


def _names_without_meeting(s: Sentence, at: int) -> bool:
    """True if the sentence from ``at`` on names an actor and no meeting expression."""
    tail = [x for x in s.matches if x.start >= at]
    return any(x.kind in _ACTOR_KINDS for x in tail) and not any(
        x.kind == Kind.TRIGGER for x in tail
    )


#: A title's last words after a dash naming its source ("… — Захарова", "… - Kremlin").
_TITLE_SOURCE = re.compile(r"\s[—–-]\s+(?:[^\s—–]+\s+){0,3}[^\s—–]+[\s.!?\"'”»]*$")


def _without_tail(
    s: Sentence, text: str, at: int, gz: Gazetteer, when: date | None, sources: bool = True
) -> Sentence:
    """The sentence without what it names from ``at`` on (a source's clause: see
    :func:`_without_attribution`), on the same conditions. With ``sources`` false the
    clause is no source that may be a party too, and goes even when it names a country
    the rest names."""
    if not _names_without_meeting(s, at):
        return s
    # a cancellation in the tail still cancels: "trip to Russia, Croatia, and Finland
    # postponed" (the last item of a list, not another subject)
    rest = Sentence.of(
        s.index,
        s.start,
        s.end,
        [
            x
            for x in s.matches
            if x.start < at or (x.kind == Kind.NEGATION and x.value == "negation")
        ],
    )
    if not rest.has(Kind.TRIGGER) or _fewer_than_two_countries(rest, gz, when):
        return s
    named = {
        c for x in rest.matches if x.kind in _ACTOR_KINDS for c, _ in _countries(x, gz, when)
    }
    if sources and all(
        c in named
        for x in s.matches
        if x.start >= at and x.kind in _ACTOR_KINDS
        for c, _ in _countries(x, gz, when)
    ):
        return s  # the source is one of the parties ("…, the Kremlin said")
    return rest


#: How far before and after a meeting expression its participants are looked for.
_PARTICIPANTS_BEFORE = 80
_PARTICIPANTS_AFTER = 60
#: Breaks a meeting's participants are not looked for across.
_STRONG_BREAKS = frozenset(".;!?؟。；")
_HAN_CLAUSE_BREAKS = _STRONG_BREAKS | frozenset("，,")


def _domestic_meeting(s: Sentence, text: str, gz: Gazetteer, when: date | None) -> bool:
    """True if every meeting expression of the sentence has two or more people named
    around it, and every actor around it is of one country ("Biden met Trump in the
    Oval Office and urged support for Ukraine", "встреча президента США Джо Байдена с
    Дональдом Трампом"): a meeting at home; a country named further on is no party."""
    people = [m for m in s.matches if m.kind == _PERSON]
    if len({(m.start, m.end) for m in people}) < 2:  # one name may hold two offices
        return False
    if len({c for m in people for c, _ in _countries(m, gz, when) if c}) != 1:
        return False  # people of two countries: "Biden met Xi"
    triggers = [m for m in s.matches if m.kind == _TRIGGER]
    actors = [m for m in s.matches if m.kind in _ACTOR_KINDS]
    for t in triggers:
        breaks = _STRONG_BREAKS
        if "\u4e00" <= text[t.start] <= "\u9fff":  # Han text says as much in fewer
            lo, hi = t.start - _PARTICIPANTS_BEFORE // 3, t.end + _PARTICIPANTS_AFTER // 3
            breaks = _HAN_CLAUSE_BREAKS  # characters, a clause between commas
        else:
            lo, hi = t.start - _PARTICIPANTS_BEFORE, t.end + _PARTICIPANTS_AFTER
        around = [
            m for m in actors if lo <= m.start < hi and breaks.isdisjoint(_between(text, m, t))
        ]
        if len({(m.start, m.end) for m in around if m.kind == _PERSON}) < 2:
            return False
        if len({c for m in around for c, _ in _countries(m, gz, when) if c}) != 1:
            return False
    return bool(triggers)


def _own_story(s: Sentence, text: str, gz: Gazetteer, when: date | None) -> Sentence:
    """A title that joins stories with semicolons, kept to the stories that hold a
    meeting expression when they name two countries of their own ("Zelensky insiste
    auprès d'Emmanuel Macron sur l'évacuation… ; reprise des pourparlers entre Russes et
    Ukrainiens": the talks are Russia's and Ukraine's)."""
    bounds = [s.start] + [m.end() for m in _SEMICOLON.finditer(text, s.start, s.end)] + [s.end]
    stories = list(pairwise(bounds))
    told = [
        (a, b)
        for a, b in stories
        if any(m.kind == _TRIGGER and a <= m.start < b for m in s.matches)
    ]
    if not told or len(told) == len(stories):
        return s
    kept = s.keeping([m for m in s.matches if any(a <= m.start < b for a, b in told)])
    return s if _fewer_than_two_countries(kept, gz, when) else kept


_SEMICOLON = re.compile(r"[;；]")


#: Modalities of a meeting with partners of its own (not a journey: "arriving in").
_OWN_MEETINGS = frozenset({"meeting", "talks", "call"})


def _without_reactions(s: Sentence, text: str, reaction: re.Pattern[str]) -> Sentence:
    """The sentence without its reaction clauses (cues: ``reaction``) and what they
    name, each from its cue to the end of its clause ("…, drawing criticism from
    Beijing.", "angering Tokyo,"): a state that reacts to a visit is no party to it."""
    spans = []
    for m in reaction.finditer(text, s.start, s.end):
        spans.append((m.start(), _clause_end(text, m.end(), s.end), False))
    if not spans:
        return s
    return s.keeping([m for m in s.matches if not _in_spans(m.start, spans)])


#: How near a summit expression a region names it ("China-Africa summit").
_REGION_REACH = 24


def _regional_summit(s: Sentence) -> bool:
    """True if a summit expression of the sentence is named with a region ("the
    China-Africa summit", "القمة السعودية الأفريقية"): a state's summit with a region's,
    a gathering of many."""
    regions = s.kinds(Kind.REGION)
    return bool(regions) and any(
        m.kind == _SUMMIT
        and any(-_REGION_REACH <= r.start - m.end <= _REGION_REACH for r in regions)
        for m in s.matches
    )


def _round_of_meetings(
    s: Sentence, text: str, gz: Gazetteer, when: date | None, lang: str, home: str | None
) -> bool:
    """True if ``s`` reports a round of meetings: a word of several partners ("多国外长",
    "five counterparts"), or one of separate meetings ("held separate talks with…",
    "分别会见") with partners of other than one country after the first meeting
    expression or that word. Separate meetings with two officials of one state
    ("分别会见韩国外长尹炳世、总统外交安保首席秘书金奎显") are one bilateral."""
    if Kind.TRIGGER not in s.kind_set:
        return False
    words = event_words(lang)
    if words.round is not None and words.round.search(text, s.start, s.end):
        return True
    found = (
        words.separate_round.search(text, s.start, s.end)
        if words.separate_round is not None
        else None
    )
    if found is None:
        return False
    start = min([found.start()] + [m.start for m in s.kinds(_TRIGGER)])
    partners = {
        c
        for m in s.matches
        if m.start >= start and m.kind in _ACTOR_KINDS
        for c, _ in _countries(m, gz, when)
    }
    partners.discard(home or "")
    return len(partners) != 1


def _lead_countries(lead: list[Sentence], gz: Gazetteer, when: date | None) -> set[str]:
    """The countries the actors of the title and first sentence name."""
    return {
        c
        for x in lead
        for m in x.matches
        if m.kind in _ACTOR_KINDS
        for c, _ in _countries(m, gz, when)
    }


def _sporting(s: Sentence, text: str) -> bool:
    """True if the sentence is about sport: two sport cues (club, match, players…), or
    one next to a country ("المنتخب المغربي", "the Brazilian players") where no official
    is received; never where officials meet on the sidelines of a match."""
    cues = [m for m in s.matches if m[2] == _SPORT]  # Match.kind
    official = any(m[2] == _OFFICIAL for m in s.matches)
    if official and s.has(Kind.SIDELINES):
        return False  # officials "held talks … on the sidelines of the World Cup semi-final"
    if len(cues) > 1:
        return True
    if official and any(m[2] == _TRIGGER and m[3] == "host" for m in s.matches):
        return False  # an official received: "سفير قطر … لحضور كأس العالم لكرة القدم"
    if official and any(m[2] == _PERSON for m in s.matches) and any(
        m[2] == _TRIGGER and m[3] in _ACTS_BEFORE_CANCELLATION for m in s.matches
    ):
        return False  # office-holders named at a meeting: "an Oval Office meeting with
        # President Donald Trump … descended into a shouting match"
    entities = [m for m in s.matches if m[2] in _ACTOR_KINDS]
    return any(_near(c, entities, text) for c in cues)


#: The sentences a sports story names its sport in: the headline, a dateline, the lead.
_SPORT_LEAD = 3


def is_sport_document(sentences: Sequence[Sentence]) -> bool:
    """Two or more sport cues (club, match, league…), one of them in the headline or the
    lead, make the article a sports story (not an official visit that also speaks of a
    World Cup's fans further on)."""
    if not any(_SPORT in x.kind_set for x in sentences[:_SPORT_LEAD]):
        return False
    cues = 0
    for x in sentences:
        if _SPORT in x.kind_set:
            for m in x.matches:
                if m.kind == _SPORT:
                    cues += 1
                    if cues >= 2:
                        return True
    return False


#: What may stand between "former" and the name it qualifies.
_ROLE_WORDS = frozenset({Kind.OFFICIAL, Kind.COUNTRY, Kind.DEMONYM})


def _former_people(sentences: Sequence[Sentence], text: str, lang: str) -> frozenset[str]:
    """People the article names right after a cue of no present office, with nothing but
    role nouns and the country they hold for between: "Former President Donald Trump",
    "Former US President Donald Trump", "бывший президент США Дональд Трамп",
    "President-elect Trump", "前总统特朗普"; in Arabic the cue follows the office after
    the name: "ثاباتيرو، رئيس الحكومة الإسبانية الأسبق"."""
    prefixes = event_words(lang).former
    if not prefixes:
        return frozenset()
    found: set[str] = set()
    for s in sentences:
        if _NONSTATE not in s.kind_set:
            continue
        cues = _former_cues(s.matches, text, prefixes)
        roles = [m for m in s.matches if m.kind in _ROLE_WORDS]
        for p in s.matches:
            if p.kind != _PERSON:
                continue
            for c in cues:
                if 0 <= p.start - c.end <= _FORMER_REACH:
                    lo, hi = c.end, p.start  # "Former | US | President | Donald Trump"
                elif lang == "ar" and 0 <= c.start - p.end <= _FORMER_REACH_AR:
                    # "ثاباتيرو، رئيس الحكومة الإسبانية الأسبق": the office, then the cue;
                    # no other person and no sentence break between
                    if not any(
                        o.kind == _PERSON and p.end <= o.start < c.start for o in s.matches
                    ) and "." not in text[p.end : c.start]:
                        found.add(p.value)
                    continue
                else:
                    continue
                if _only_roles_between(text, lo, hi, roles):
                    found.add(p.value)
    return frozenset(found)


def _only_roles_between(text: str, lo: int, hi: int, roles: Sequence[Match]) -> bool:
    """True if nothing but role nouns of ``roles`` and spaces stand in ``text[lo:hi]``
    ("Former | US | President | Donald Trump")."""
    between = [o for o in roles if lo <= o.start and o.end <= hi]
    return all(
        text[at].isspace() or any(o.start <= at < o.end for o in between)
        for at in range(lo, hi)
    )


def _after_former(
    m: Match, formers: Sequence[Match], text: str, roles: Sequence[Match] = ()
) -> bool:
    """True for a country named right after a "former" word and the office it qualifies
    ("Бывший канцлер Германии Герхард Шрёдер", "L'ancien Premier ministre français"):
    the former office-holder's country. ``roles``: the role nouns that may stand between,
    however long."""
    for f in formers:
        gap = m.start - f.end
        if gap < 0:
            continue
        if gap <= _FORMER_TITLE_REACH and not _clause_break(text[f.end : m.start]):
            return True
        if any(f.end <= o.start and o.end <= m.start for o in roles) and _only_roles_between(
            text, f.end, m.start, roles
        ):
            return True
    return False


def _former_office_of(
    m: Match, nonstate: Sequence[Match], officials: Sequence[Match], text: str, lang: str
) -> bool:
    """True for a country or demonym of an office a "former" word qualifies, with only
    role nouns between ("L'ancien Premier ministre français", "Former Prime Minister of
    Japan"): not a state party now."""
    prefixes = event_words(lang).former
    formers = _former_cues(nonstate, text, prefixes) if prefixes else []
    return bool(formers) and _after_former(m, formers, text, officials)


def _former_cues(matches: Sequence[Match], text: str, prefixes: tuple[str, ...]) -> list[Match]:
    """The non-state words of ``matches`` that say an office is no longer held
    ("former", "бывший", "السابق": the lexicon's ``former``)."""
    return [
        m
        for m in matches
        if m.kind == _NONSTATE and text[m.start : m.end].lower().startswith(prefixes)
    ]


#: How far after a "former" word the country of the office it qualifies may stand.
_FORMER_TITLE_REACH = 16


def _former_leader_only(
    actor: _Actor | None, s: Sentence, gz: Gazetteer, when: date | None, text: str
) -> bool:
    """True for a party named only by former heads of state or government, out of
    office on the article's date and named without a title (and by its civilians:
    "马英九率领的台湾青年参访团"): a former leader acts privately (ANNOTATION.md). A
    title the text gives ("President Joe Biden", "Bundeskanzler Olaf Scholz") says the
    office was held when it happened."""
    if actor is None or not actor.matches:
        return False
    civilians = _civilian_nouns(s) if _NONSTATE in s.kind_set else []
    formers = (
        [x for x in s.matches if x.kind == _NONSTATE and x.value != "civilian"]
        if _NONSTATE in s.kind_set
        else []
    )
    people = [
        m
        for m in actor.matches
        if not (civilians and _of_civilians(m, civilians))
        and not (
            m.kind in _COUNTRY_OR_DEMONYM
            and _after_former(m, formers, text, [o for o in s.matches if o[2] == _OFFICIAL])
        )
    ]
    if not people:
        return False
    for m in people:
        if m[2] != _PERSON or not gz.former_leader(m[3], when):
            return False
        if any(o[2] == _OFFICIAL and 0 <= m[0] - o[1] <= 2 for o in s.matches):
            return False
    return True


@dataclass(slots=True)
class _Scan:
    """One document's meeting scan: its sentences as their background is removed
    (:func:`_foreground`), their modalities and actors, and the pairs found so far.

    A class rather than closures of :func:`detect_meetings`: compiled, closures that
    call one another form a reference cycle, which kept a document's sentences and
    matches alive until the cycle collector ran."""

    sentences: list[Sentence]
    text: str
    gz: Gazetteer
    when: date | None
    lang: str
    home: str | None
    former: frozenset[str]
    multilateral: bool
    three_way: bool
    sport_doc: bool
    modalities: list[str | None]
    candidates: dict[
        tuple[str, str], tuple[Sentence, tuple[str, str], str, dict[str, _Actor], float]
    ]
    scores: dict[tuple[str, str], float]
    first_seen: dict[tuple[str, str], int]  # the first sentence that gave a pair
    actor_cache: dict[int, dict[str, _Actor]]
    offices: dict[str, str] | None = None

    def actors_of(self, i: int) -> dict[str, _Actor]:
        cached = self.actor_cache.get(i)
        if cached is None:
            cached = self.actor_cache[i] = sentence_actors(
                self.sentences[i], self.text, self.gz, self.when, self.lang,
                self.modalities[i], self.home, self.former, self.titled,
            )
        return cached

    def titled(self) -> dict[str, str]:
        """The offices the document names with their holder (see :func:`_titled_offices`)."""
        if self.offices is None:
            self.offices = _titled_offices(self.sentences, self.text, self.gz, self.when)
        return self.offices

    def context(self, i: int) -> dict[str, _Actor]:
        """The actors around sentence ``i``, for a counterpart's country."""
        if i == 0:  # a headline's subject is often named in the lead
            return _merge((self.actors_of(1), 0.8)) if len(self.sentences) > 1 else {}
        return _merge((self.actors_of(0), 0.8), (self.actors_of(i - 1), 0.8))

    def foreground(self, i: int) -> str | None:
        """Drop the background of sentence ``i``; its modality afterwards."""
        sentences = self.sentences
        s = _foreground(sentences[i], self.text, self.gz, self.lang, self.when)
        if s is not sentences[i]:
            sentences[i] = s
            self.actor_cache.pop(i, None)
            self.modalities[i] = _modality(s)
        return self.modalities[i]

    def consider(
        self,
        i: int,
        s: Sentence,
        pair: tuple[str, str],
        modality: str,
        actors: dict[str, _Actor],
        groups: set[str],
    ) -> None:
        text, gz, when = self.text, self.gz, self.when
        candidates, scores, first_seen = self.candidates, self.scores, self.first_seen
        a, b = actors.get(pair[0]), actors.get(pair[1])
        if _former_leader_only(a, s, gz, when, text) or _former_leader_only(
            b, s, gz, when, text
        ):
            return  # "Trump hosted Hungarian Prime Minister Viktor Orban" in 2024
        if any(_remit_only(s, c, actors, text) for c in pair):
            return  # "se reunió con el enviado especial de la ONU para Siria"
        if (
            modality != "visit"
            and Kind.NONSTATE in s.kind_set
            and _nonstate_outside_meetings(s)
            and any(x is not None and _venue_only(x) for x in (a, b))
        ):
            return  # "delegaciones del Gobierno colombiano y de la guerrilla del ELN
            # reinstalaron en un hotel de Caracas la mesa de negociaciones": the venue
        weakest = min(a.score if a is not None else 0.0, b.score if b is not None else 0.0)
        framed = (
            self.multilateral or _framing_summit(s, modality) or _org_partner(s, pair, actors, text)
        ) and not s.has(Kind.SIDELINES)
        if (framed or self.sport_doc or _SPORT in s.kind_set) and weakest < 3.0:
            return
        if self.sport_doc and not any(m.kind in (_OFFICIAL, _PERSON, Kind.SEAT) for m in s.matches):
            return  # "Mondial 2022 : Maroc-France, une rencontre…", "الأخضر يلتقي نظيره
            # الأرجنتيني": two teams, no official
        if self.three_way and i < 2 and not s.has(Kind.SIDELINES) and modality != "call":
            return  # a call has two ends: a three-way summit is its topic ("التحضير للقمة
            # الثلاثية")
        if groups <= _WEAK_GROUPS and weakest < (3.0 if groups == {"sign"} else 2.0):
            return
        score = (a.score if a is not None else 2.0) + (b.score if b is not None else 2.0)
        if i < len(_POSITION_BONUS):
            score += _POSITION_BONUS[i]
        key = (min(pair), max(pair))
        first_seen[key] = min(first_seen.get(key, i), i)
        scores[key] = max(scores.get(key, 0.0), score)
        current = candidates.get(key)
        rank = MODALITY_ORDER.index(modality)
        if current is None or (rank, -score) < (MODALITY_ORDER.index(current[2]), -current[4]):
            candidates[key] = (s, pair, modality, actors, score)


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
    title_kinds = sentences[0].kind_set if sentences else frozenset()
    as_written = sentences
    sentences = list(sentences)  # background removed (_foreground) where a pair may be
    lead = sentences[:2]
    if any(_round_of_meetings(x, text, gz, when, lang, home) for x in lead):
        return []  # "王毅会见非洲多国外长", "held separate talks with…": a round of
        # meetings, each told on its own, and no one pair
    multilateral = (
        any(x.has(Kind.SUMMIT) or any(t.value == "summit" for t in x.kinds(_TRIGGER)) for x in lead)
        and not any(x.has(Kind.SIDELINES) for x in lead)
        and (
            any(x.has(Kind.ORG) or _regional_summit(x) for x in lead)
            or len(_lead_countries(lead, gz, when)) >= 3
        )
    )
    # the lead reports a meeting of three or four ("un sommet informel à trois"): the
    # headline's two leaders ("Chirac, Schröder et Poutine réunis", one of them a name
    # the gazetteer does not know) met with the others
    three_way = any(
        m.kind == _SUMMIT and m.value == "trilateral" for x in lead for m in x.matches
    ) and len(_lead_countries(lead, gz, when)) >= 3
    sport_doc = is_sport_document(sentences)
    former = _former_people(sentences, text, lang)
    modalities = [_modality(x) if _TRIGGER in x.kind_set else None for x in sentences]
    scan = _Scan(
        sentences, text, gz, when, lang, home, former, multilateral, three_way, sport_doc,
        modalities, {}, {}, {}, {},
    )
    candidates, scores = scan.candidates, scan.scores
    vetoed: set[tuple[str, str, bool]] = set()  # a pair, and whether a call was denied
    pending: list[int] = []

    presence = event_words(lang).presence  # "in the presence of": a third party present
    several_envoys: bool | None = None  # the lead names several envoys: found when needed
    for i, s in enumerate(sentences):
        modality = modalities[i]
        if modality is None or _historical(s, text, when):
            continue
        if i > 0 and _LATER.match(text, s.start) and _old_year(sentences[i - 1], text, when):
            continue  # "1971年4月，…访华；不到一年后，美国总统尼克松访华": as old
        if _SPORT in s.kind_set and _sporting(s, text):
            continue  # a match report; one loose cue ("key players") needs strong actors
        if (
            Kind.COUNTERPART not in s.kind_set
            and not (Kind.OFFICIAL in s.kind_set and (home or _hosted_at_venue(s)))
            and _fewer_than_two_countries(s, gz, when)
            and not (lang == "zh" and _own_envoy(s, text))
        ):
            if not _negated(s, text, lang) and _SPORT not in s.kind_set:
                pending.append(i)  # no pair: as below, without scoring the actors
            continue
        modality = scan.foreground(i)
        if modality is None:
            continue
        s = sentences[i]
        actors = scan.actors_of(i)

        counterpart = _counterpart_pair(s, actors, partial(scan.context, i), text, home, lang)
        pairs = [counterpart] if counterpart else _choose_pairs(s, actors, text, lang)
        if not pairs and i < _LEAD_SENTENCES:
            pairs = _host_of_dateline(s, actors, text, lang)
        negated = _negated(s, text, lang, home)
        if negated:
            # a proposal vetoes only its sentence; a negated title, or a lead that says
            # no date is set, the pair for the article
            if (
                negated == "negation"
                and (i == 0 or (i == 1 and _undated(s, text, lang)))
                and not _letters_only(s, text, lang)
            ):
                vetoed.update((min(p), max(p), modality == "call") for p in pairs)
            continue
        pairs = [p for p in pairs if p[0] != p[1]]
        if several_envoys is None:
            low = text.lower()
            several_envoys = any(w in low for w in _ENVOY_NOUNS.get(lang, ())) and any(
                _several_envoys(x, text, lang) for x in sentences[:_LEAD_SENTENCES]
            )
        if several_envoys and (
            _several_envoys(s, text, lang) or _names_envoys(s, text, lang)
        ):
            continue  # "a reçu les lettres de créance de sept nouveaux ambassadeurs", and
            # every envoy of that ceremony named further on
        if modality == "visit":
            if _regional_tour(s, text):
                continue
            pairs = [p for p in pairs if not _destinations(s, p, actors, text, lang)]
        bilateral = _says_bilateral(s, text, lang)
        pairs = [
            p
            for p in pairs
            if not _partners_of_others(s, p, text, lang)
            and not _partners_after_with(s, p, actors, text, lang)
            and (bilateral or not _one_of_several_guests(s, p, actors, text, lang))
        ]
        if not pairs:
            if _SPORT not in s.kind_set:
                pending.append(i)
            continue
        groups = {m[3] for m in s.matches if m[2] == _TRIGGER}  # Match.value, .kind
        if groups == {"summit"} and (multilateral or len(actors) > 2) and not s.has(Kind.SIDELINES):
            continue  # "a summit with three heads of state": a gathering, not a meeting
        if groups == {"sign"} and multilateral and not s.has(Kind.SIDELINES):
            continue  # "Argentina's President Javier Milei … signed the declaration" of a
            # summit's article: its declaration, not a bilateral act
        if (
            _SUMMIT in s.kind_set
            and not s.has(Kind.SIDELINES)
            and modality != "call"
            and any(m.kind == _SUMMIT and m.value == "trilateral" for m in s.matches)
        ):
            continue  # "hosted the leaders of Azerbaijan and Georgia for trilateral talks"
        if len(pairs) > 1 and multilateral:
            continue  # "hosted the Japanese and South Korean leaders" at a trilateral summit
        if _domestic_meeting(s, text, gz, when):
            continue  # "Biden met Trump in the Oval Office and urged support for Ukraine"
        cue = presence is not None and presence.search(text, s.start, s.end) is not None
        for pair in pairs:
            if cue and presence is not None and _third_present(s, pair, actors, text, presence):
                vetoed.add((min(pair), max(pair), modality == "call"))
                continue  # "يجمع ترامب والشرع بحضور ولي العهد": three took part
            scan.consider(i, s, pair, modality, actors, groups)
    if not candidates and not multilateral and not sport_doc:
        for i in pending:
            if i >= _LEAD_SENTENCES or (i == 0 and len(sentences) < 2):
                continue
            s = sentences[i]
            dual = s.has(Kind.DUAL)
            opener = None if dual or i == 0 else _taken_up_at(s, text, lang)
            taken_up = opener is not None
            at = (
                opener
                if taken_up or dual or i == 0
                else (
                    _office_at(s, text)
                    or _pronoun_at(s, text, lang)
                    or _unstated_at(s, text, lang)
                )
            )
            if not dual and at is None:
                continue
            if all(t.value == "summit" for t in s.kinds(Kind.TRIGGER)):
                continue  # "Sus palabras, pronunciadas en la cumbre del ALBA": a gathering
            before_i = i - 1
            if before_i > 0 and not scan.actors_of(before_i):
                before_i -= 1  # "'…,' he told reporters. The remarks came at…": the quote's
                # speaker is named the sentence before
            subject = None if dual else _subject_of(scan.actors_of(before_i))
            if taken_up and subject is not None:
                # "«Мы поддерживаем инициативы председателя КНР», — заявил Лукашенко. Об
                # этом он сказал в ходе переговоров … с Си Цзиньпином": the speaker is
                # the previous sentence's one strong actor this one does not name
                others = [
                    kv
                    for kv in scan.actors_of(before_i).items()
                    if kv[1].score >= 2.0 and not _strong_in(kv[0], scan.actors_of(i))
                ]
                if len(others) == 1:
                    subject = others[0]
            if not dual and (
                subject is None
                or at is None
                or not _opens_with(s, text, lang, at, _matched_text(subject[1], text))
            ):
                continue
            if scan.foreground(i) is None:
                continue
            s = sentences[i]
            own = scan.actors_of(i)
            if dual:
                # the two of a lead sentence are named in the next one ("La conversation
                # téléphonique entre les deux présidents… l'Élysée et la Maison Blanche")
                before = (scan.actors_of(1), 1.0) if i == 0 else (scan.actors_of(i - 1), 0.8)
                merged = _merge((own, 1.0), (scan.actors_of(0), 0.8), before)
            else:
                # "He spoke in Dushanbe, where he was holding talks with President
                # Rahmon": the pronoun is the subject of the sentence before
                assert subject is not None
                previous = {
                    c: a for c, a in scan.actors_of(before_i).items() if a.score >= 2.0
                }
                # a venue ("L'annonce a été faite … à Ottawa avec le président ukrainien")
                # is not one of the sentence's parties
                named = {c: a for c, a in own.items() if a.score >= 2.0}
                if not named and len(previous) == 2 and taken_up:
                    # "Путин пригласил Си… Приглашение прозвучало в ходе телефонного
                    # разговора": the two of the statement taken up
                    merged = _merge((previous, 0.8))
                elif len(named) != 1 or subject[0] in named:
                    continue
                else:
                    merged = _merge((own, 1.0), (dict([subject]), 0.8))
            strong = {c: a for c, a in merged.items() if a.score >= 2.0}
            fallback = _choose_pair(s, strong)
            if fallback is None or _partners_of_others(s, fallback, text, lang):
                continue  # "премьер-министры Великобритании, Польши, Нидерландов": no pair
            pair = fallback
            modality = modalities[i]
            assert modality is not None
            key = (min(pair), max(pair))
            candidates[key] = (s, pair, modality, merged, 0.0)
            scores[key] = 0.0
            break
    present = (
        [
            j
            for j, x in enumerate(sentences[:2])
            if Kind.TRIGGER in x.kind_set and presence.search(text, x.start, x.end)
        ]
        if candidates and presence is not None
        else []
    )
    for key in list(candidates) if present else ():  # "…يلتقي الرئيس ترامب في الرياض"
        # over a lead that says "بحضور … ولي العهد": the title's meeting had a third
        # party present
        if presence is not None and any(
            _third_present(sentences[j], key, scan.actors_of(j), text, presence) for j in present
        ):
            vetoed.add((*key, candidates[key][2] == "call"))
    ranked = sorted(
        # a visit called off denies every meeting of the pair, not a call between them
        (k for k in candidates if (*k, candidates[k][2] == "call") not in vetoed),
        key=lambda k: -scores[k],
    )
    kept = ranked[:1] + [
        k
        for k in ranked[1:]
        if scores[k] >= _EXTRA_EVENT_SCORE
        and (
            candidates[k][0].index <= _EXTRA_EVENT_LEAD
            or (
                candidates[k][0].index <= _EXTRA_EVENT_TOUR
                and all(c in scan.actors_of(0) for c in k)
            )
        )
    ]
    first = scan.first_seen.get(kept[0], candidates[kept[0]][0].index) if kept else 0
    if (
        kept
        and _told_in_passing(as_written, first, title_kinds, text, lang, when)
        and not _title_names_party(as_written[0], kept[0], gz, when)
    ):
        return []
    events = [_event(*candidates[k]) for k in kept]
    return sorted(events, key=lambda e: e.sentence.start)


#: Body sentences of at least this many characters (Chinese: half) before the first one
#: that gives the article's pair make that pair a meeting told in passing, when the title
#: names no meeting. Shorter ones are datelines and credits ("ТЯНЬЦЗИНЬ, 31 августа.").
_PASSING_SENTENCES = 2
_SUBSTANTIAL_CHARS = 50


def _told_in_passing(
    sentences: Sequence[Sentence],
    first: int,
    title_kinds: frozenset[str],
    text: str,
    lang: str,
    when: date | None,
) -> bool:
    """True if the article's meeting is told only in passing: the article has a title
    (a line of its own) that names no meeting, and two substantial body sentences come
    before the first sentence that gives the pair ("China-Russia trade hits record $240
    billion … Vladimir Putin had predicted the milestone during Xi Jinping's state
    visit"): by the main-event rule, the article is about something else. A sentence
    that repeats the title (a page's headline twice, a photo's caption) is none of them."""
    if not sentences or Kind.TRIGGER in title_kinds:
        return False
    if text[sentences[0].end : sentences[0].end + 1] != "\n":
        return False  # no title line
    least = _SUBSTANTIAL_CHARS // 2 if lang == "zh" else _SUBSTANTIAL_CHARS
    title = text[sentences[0].start : sentences[0].end].strip()
    substantial = sum(
        1
        for x in sentences[1:first]
        if x.end - x.start >= least
        and title not in text[x.start : x.end]  # the title again, or in a photo's caption
        and text[x.start : x.end].strip() not in title
    )
    return substantial >= _PASSING_SENTENCES and not _occasion_told(
        sentences[first], text, lang, when
    )


def _title_names_party(
    title: Sentence, pair: tuple[str, str], gz: Gazetteer, when: date | None
) -> bool:
    """True if the title names an office-holder of one of the pair's countries ("Nancy
    Pelosi rend hommage aux victimes du génocide" over her visit to Armenia told in the
    fourth sentence): the article follows that person, and their meeting is its news."""
    return any(
        m.kind == _PERSON and gz.person_country(m.value, when)[0] in pair
        for m in title.matches
    )


#: How far before a meeting expression an occasion word (the lexicon's ``occasion_of``)
#: may start.
_OCCASION_REACH = 80


def _occasion_told(s: Sentence, text: str, lang: str, when: date | None) -> bool:
    """True if a meeting expression of ``s`` is the occasion of what the sentence
    reports: an ``occasion_of`` word stands before it in its clause ("The announcements
    came as Prime Minister Kishida hosted…", "Elle fait suite à une rencontre…") or, in
    Chinese, right after it ("同卢拉举行会谈时表示的"); and the sentence dates nothing
    before the publication ("lors de la visite du chancelier … en août dernier")."""
    words = event_words(lang)
    cue = words.occasion_of
    if cue is None or _dated_past(text, s.start, s.end, words, when, True):
        return False
    for t in s.kinds(Kind.TRIGGER):
        if lang == "zh":
            if cue.match(text, t.end) is not None:
                return True
            continue
        lo = max(s.start, t.start - _OCCASION_REACH)
        # an apposition's commas stand between ("donde el ministro de Defensa, Luis
        # Petri, fue recibido por su par danés")
        if any(
            not _clause_break(text[m.end() : t.start].replace(",", " "))
            and not (  # "un mes después de que … visitara": dated by its distance
                words.unit_before is not None
                and words.unit_before.search(text, max(s.start, m.start() - 20), m.start())
            )
            for m in cue.finditer(text, lo, t.start)
        ):
            return True
    return False
