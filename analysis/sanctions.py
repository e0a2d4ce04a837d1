"""Sanctions rhetoric: presence, stance and evidence.

A sentence carries sanctions rhetoric when it has a sanctions term and:

* no sports / disciplinary cue in the same sentence (football, UEFA, КДК, 禁赛, ركلة
  جزاء...), and
* the term is a *strong* one (plural "sanctions", embargo, export controls, asset
  freeze, blacklist, 制裁, санкции, العقوبات...), or it is a *weak* one (singular or
  verb forms: "sanction", "sancionó", "sanctionné", عقوبة, санкция) with a country or
  organisation in the sentence and no approve/enact or judicial cue ("sancionó la
  ley", "sanctioned the budget", "sanctionné par un diplôme", "санкция прокурора");
  a *ban* word (حظر, "حظر تصدير", "حظر سفر") or a *freeze* of someone's accounts or
  funds ("تجميد أموال", "تجميد حسابات") also needs a target after it or two states: a
  ministry's ban or a prosecutor's freeze at home ("حظر استيراد الألعاب النارية",
  "تجميد أموال المتهمين") is no embargo; a *boycott* of goods ("مقاطعة البضائع") counts
  when a state orders it, not when activists call for it; an *entry ban* ("banned
  entry", «запрет на въезд», 禁止入境) is an imposition that also needs a target or two
  states ("police barred entry to the stadium" is none).

A penal-law cue (penal code, "法律制裁", "العقوبات الجنائية", "sanciones penales") excludes
the sentence: punishment under domestic law is not sanctions rhetoric. A judicial cue
(court, judge, fine, prison) excludes the sentence unless a country, organisation or
office-holder precedes the sanctions term ("Les États-Unis ont sanctionné quatre juges")
or a strong term carries a stance. Arabic has one word for sanctions and for penalties
(العقوبات): there a judicial or regulatory cue (also a prosecutor, the police, a
regulator or municipality, rules not complied with: "لعدم امتثاله للتعليمات"), or an
object of people defined by conduct ("عقوبات على المرشحين الذين يتجاوزون…"), excludes
the sentence unless it is between states (two countries, an organisation, a state named
as the target after the term, or the imposing state as the term's adjective: "العقوبات
الأمريكية"): the same words in a story about one country are domestic law.
Cue words inside a sanctions term or a condemnation are not cues ("قانون قيصر" enacts
nothing, "جريمة ضد الإنسانية" punishes no one). Terms of the *action* class (asset
freeze, "sancionó a", "sanctioned", blacklisting, a state's boycott) are an imposition
unless another cue says otherwise. With an approve cue, even a strong term needs a
country or organisation and a non-mention stance. In a sports article (two or more
sports cues) a sentence also needs a country or organisation.

Sentence stance, from cue words within 60 characters of a sanctions term (100 in
Arabic, whose verb comes first), by precedence
``condemn > lift > threaten > impose > mention``: a sentence that rejects or calls
sanctions illegal is condemnation even when it also says they were imposed. Relief
nouns (waiver, licence, exemption, 豁免, إعفاء) are a lifting, but a withdrawal of one
("revoked the licence", "取消…豁免", "mis fin à la dérogation") is a tightening:
imposition. Keeping sanctions in place ("maintient ses sanctions", "维持") is a refusal
to lift them (condemn) only when no imposition or lifting is reported beside it.
Some cues are no act of the sentence: an imposition participle that qualifies a
sanctions term ("les sanctions imposées au Mali", "对俄实施的制裁": the sanctions are
named, something else is reported), cues inside a reason clause ("en riposte aux
sanctions illégales, Pékin a sanctionné…", "针对美方无理制裁…，"), and cues inside a
neutral phrase (a request: "à la demande de", "应记者要求"; the target's conduct:
"immigration illégale", "非法移民").

A vowed response with no stance word ("针对美方制裁，中方表示将采取一切必要措施", "will
take all necessary measures") after a sanctions term answers the sanctions: condemn,
not a threat (the measures are unnamed). A term whose object is conduct at home
("sanctions contre les navires de pêche illégale", "对非法捕捞的制裁"), with no
organisation and no state named after it, is a domestic penalty: no sanctions rhetoric.

An anaphor ("ces mesures", "lift them", 这些措施, эти меры, هذه الإجراءات) stands for
the sanctions of the sentence right before it, and its sentence then is a sanctions
sentence: "Washington a décidé mardi de les lever" is a lifting.

Article stance: the first sentence in document order (title first) whose stance is not
a plain mention; if every sanctions sentence is a mention, the first of them. An
imposition or lifting set in the past (a past marker before it: "avaient sanctionné",
"had imposed", 此前, ранее; a past year after it: "in 2014", "depuis 2019", "в 2019
году"; 2019年 before it) is background: a later act is the article's, and with no later
act it stands only when no mention came before it. When the title and lead (first three
sentences, a dateline on a line of its own not counted) do not speak of sanctions, an
imposition or lifting further down that is an aside counts as a mention: a demand for it,
what came since it, the issue of it (the lexicon's ``stance.demand`` and ``stance.aside``);
one that the sentence reports as an act keeps its stance, and threats and condemnation
count wherever they are. Calls for sanctions ("urged", "призвал", "يطالب")
are threats; a call for their lifting ("appelle à la levée des sanctions") is lifting. "Discussed
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
from .gazetteer import gazetteer
from .matcher import Kind, Match

__all__ = ["STANCE_ORDER", "SanctionsFinding", "detect_sanctions"]

STANCE_ORDER: tuple[str, ...] = ("condemn", "lift", "threaten", "impose")
_CUE_REACH = 60
#: Arabic puts the verb first and its subjects before the object ("أدرجت المملكة
#: والولايات المتحدة أسماء … على قائمة العقوبات"): the verb stands further away.
_CUE_REACH_VSO = 100
_DEBATE_REACH = 25  # a discussion cue governs a sanctions term right after it
#: A partner named right after a discussion cue, before what was discussed ("discussed
#: with the Prime Minister of Croatia the strengthening of sanctions", "обсудил с
#: премьером Хорватии усиление санкций"): the cue reaches this much further.
_WITH_PARTNER = re.compile(r"\s+(?:with|с|со|avec|con|مع)\s", re.IGNORECASE)
_PARTNER_REACH = 60
_DEMAND_REACH = 120  # a demand governs an imposition cue this far after it, in its
#: clause (a list's commas may stand between: "urged China, India and Thailand to join…")
_STRONG_BREAK = re.compile(r"[;；؛:：.。]")
#: A withdrawal cue right before a relief noun ("revoked the licence", "取消…豁免") takes
#: the relief away: that is a tightening, not a lifting.
_RELIEF_REACH = 30
_RELIEF_REACH_HAN = 16
_HAN = re.compile(r"[\u3400-\u9fff]")
_STATE_KINDS = frozenset(
    {Kind.COUNTRY, Kind.DEMONYM, Kind.METONYM, Kind.SEAT, Kind.COMPOUND, Kind.PLACE}
)
#: A name right after one of these words (and one more) is where something happens,
#: not a target.
_LOCATIVE = re.compile(
    r"(?:^|[\s(])(?:in|at|en|au|aux|dans|à|в|во|на|في|داخل|بمدينة|بمحافظة)\s+(?:\w+\s+)?$"
    r"|在$",
    re.IGNORECASE,
)
#: An Arabic penalty's object: up to two words, a preposition, then people defined by
#: a relative clause ("ستطبق على الأئمة الذين يتغيبون", "على كل من ينقل", "لمن يطلق").
_CONDUCT_OBJECT = re.compile(
    r"[^\S\n]*(?:[^\s.،؛]+[^\S\n]+){0,2}?(?:(?:على|بحق|ضد)[^\S\n]+"
    r"(?:(?:[^\s.،؛]+[^\S\n]+){1,2}?(?:الذين|اللذين|اللواتي|اللاتي)|(?:كل[^\S\n]+)?من)"
    r"|لكل[^\S\n]+من|لمن)(?=\s)"
)
#: "… على / ضد": what comes next is aimed at someone (one adjective may come first).
_AIMED = re.compile(r"[^\S\n]+(?:[^\s.،؛]+[^\S\n]+)?(?:على|ضد)[^\S\n]")
#: Between a term and its demonym, at most one other adjective ("العقوبات المالية
#: الأمريكية").
_ADJECTIVES = re.compile(r"[^\S\n]+(?:ال[^\s.،؛]+[^\S\n]+)?")
#: A complement clause: the verb before it governs the clause, not a noun inside it.
_CLAUSE = re.compile(r"(?:^|\s)(?:أن|إن|بأن|أنه|أنها|إنه|إنها|ان|بان)(?=\s)")
_ACTOR_KINDS = frozenset({Kind.COUNTRY, Kind.METONYM, Kind.SEAT, Kind.PERSON, Kind.ORG})
#: Term classes that are an imposition by themselves ("froze the assets", "sancionó a",
#: a state-ordered boycott of goods).
_ACTS = ("action", "weak_action", "freeze", "asset", "boycott", "entry_ban")
#: Term classes that mean sanctions only with a target or between states: a ban or a
#: freeze of accounts at home is an administrative or judicial measure.
_TARGETED = ("ban", "freeze", "asset", "entry_ban", "restrictive")
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


#: Stance groups that are no act of their own: a reason clause's and a neutral phrase's
#: opening, a shelved question ("not on the agenda", which refuses a lifting beside it),
#: a past marker ("had imposed", "avaient", 此前) and a vowed response ("all necessary
#: measures", 必要措施), which answers sanctions only when nothing else is reported.
_NO_ACT = frozenset(
    {"reason", "neutral", "shelved", "past", "vow", "condition", "further", "impact", "aside"}
)
#: Stance words that make an imposition or a lifting told outside the lead an aside: a
#: demand for it ("تطالب طهران برفع العقوبات"), what came since it ("since the European
#: Union … imposed sanctions"), the issue of it ("解除对伊制裁问题"; the lexicon's
#: ``stance.aside``).
_ASIDE = frozenset({"demand", "aside"})
#: How far an effect noun may stand from the sanctions term it is of ("the impact of the
#: sanctions", "制裁带来的影响").
_IMPACT_REACH = 15
#: How far a condition's opener reaches to a lift cue, and the lift cue to its object.
_CONDITION_REACH = 30
_ANSWER_REACH = 25  # a response right before the sanctions it answers
_OBJECT_REACH = 25
#: Acts that a past marker or year dates to the background of a later act.
_DATABLE = ("impose", "lift")
_DATED_REACH = 40
_DATELINE_CHARS = 40
_DATELINE = re.compile(r"\W*[^\W\d]+(?:[ -][^\W\d]+)?,\s*\d{1,2}\s+[^\W\d]+\.?\s*")
_BREAK = re.compile(r"[,，،:：;；؛]")
#: A past year as an adverbial: "in 2014", "en 2019", "в 2019 году", "عام 2019",
#: "2019年" (not a full date, 2025年12月4日, nor a deadline: "until 2026").
_PAST_YEAR = re.compile(
    r"(?:\b(?:in|en|в|во|since|depuis|desde|с)\s+|(?:عام|سنة|في|منذ)\s+)(?:19|20)\d\d(?!\d)"
    r"(?!\s*(?:-|–|/))|(?<!\d)(?:19|20)\d\d年(?!\d{1,2}月)",
    re.IGNORECASE,
)
#: A term's object defined by conduct at home: "sanctions contre les navires de pêche
#: illégale", "penalties against illegal fishing", "对非法捕捞的制裁".
_AGAINST = re.compile(r"\s+(?:contre|against|on|contra|против|على|ضد)\s", re.IGNORECASE)
_CONDUCT_REACH = 45
_HAN_CONDUCT = re.compile(r"对[^，。；：,;:\s]{0,10}$")
_SINCE = re.compile(r"(?:since|منذ|с тех пор|depuis|desde|seit|自从|自)\W{0,3}$", re.IGNORECASE)
#: "Since" opening the clause of an act term, its subject between them ("since the
#: United States banned all imports"): the act dates something else.
_SINCE_CLAUSE = re.compile(
    r"(?:\bsince|منذ أن|с тех пор как|depuis que|desde que|seit|自从)\s[^,.;:،，。]{0,30}$",
    re.IGNORECASE,
)
#: A determiner before a sanctions term whose participle follows it: "les sanctions
#: imposées au Mali", "the sanctions imposed on Iran", "las sanciones impuestas".
_DETERMINER = re.compile(
    r"(?:^|[\s'’])(?:les|des|aux|ces|ses|leurs|la|le|l|du|the|these|those|its|their"
    r"|las|los|sus|estas|esas)[\s'’]+(?:[^\W\d][\w-]*\s+){0,2}$",
    re.IGNORECASE,
)
#: Between a term and its participle: adjectives, or a relative clause ("sanctions
#: économiques et financières imposées", "les sanctions qu'elle avait imposées"), no
#: auxiliary of a finite verb ("les sanctions ont été imposées").
_QUALIFIER_GAP = re.compile(
    r"(?:\s*,?\s+(?!(?:ont|a|avait|avaient|été|sont|seront|sera|est|furent|have|has|had"
    r"|been|were|was|are|is|will|be|han|ha|había|sido|fueron|son|serán|fue)\b)"
    r"[^\W\d][\w-]*){0,4}\s*"
    r"|\s+(?:qu['’](?:il|elle|ils|elles|on)|que\s+\S+)\s+(?:\S+\s+){0,2}",
    re.IGNORECASE,
)
#: Past participle endings (French, English, Spanish).
_PARTICIPLE = re.compile(
    r"\w*(?:é|ée|és|ées|ed|ad[oa]s?|id[oa]s?|est[oa]s?|ich[oa]s?)$", re.IGNORECASE
)
_WORD = re.compile(r"\w+")
#: Turkish relative participles before their noun ("uyguladığı yaptırımlar", "the
#: sanctions it applied"; "uygulanan yaptırımlar", "the sanctions applied").
_TR_PARTICIPLE = re.compile(
    r"\w+(?:[dt][ıiuü]ğ[ıiuü]|[dt][ıiuü]kl[ae]r[ıi]|[ae]n)", re.IGNORECASE
)
_TR_PARTICIPLE_REACH = 20
#: Letters of Turkish text alone: the participles above end as Spanish verbs do
#: ("prorrogan", "imponen las sanciones" are acts, not qualifiers).
_TURKISH_LETTERS = re.compile("[ığşİĞŞ]")
_SUSPEND = "暂停"
_AR_SUSPEND = ("تعليق", "تعلق", "تعلّق", "علق", "علّق", "يعلق", "علقت")
_AR_MEMBERSHIP = re.compile(r"\s+(?:مشاركة|عضوية)")
#: a reporter's question at a briefing, which restates an act to ask for the answer
_REPORTER_QUESTION = re.compile(r"记者(?:提问|问|提出)")
#: a warning given against something ("warned Washington against new sanctions",
#: "mis en garde contre", "предостерег от"): the sanctions are opposed, not threatened
_WARNING = re.compile(r"warn|cauti|avert|mis en garde|met en garde|advirt|adviert|предостер", re.I)
_AGAINST_NEXT = re.compile(r"[^.;:!?\n]{0,40}?\s(?:against|contre|contra|от)\s", re.I)
#: What a suspension from an organisation names: the country, its membership.
_MEMBERSHIP = re.compile(
    r"(?:\s+(?:le pays|ce pays|the country|al país|el país)\b"
    r"|.{0,30}?(?:de ses instances|des instances|de l'organisation|membership|membresía"
    r"|成员资格|会员资格|成员国资格))",
    re.IGNORECASE,
)
_MEMBER_KINDS = frozenset({Kind.COUNTRY, Kind.METONYM})
#: An English "-ed" form is a participle only before a preposition ("the sanctions
#: imposed on Iran"); before an object it is a past tense.
_EN_PARTICIPLE_NEXT = re.compile(
    r"\s+(?:on|upon|by|against|in|since|after|over|following|last|earlier|under)\b", re.IGNORECASE
)
#: Han attributive: "对俄实施的制裁", "被冻结的伊朗资金": the verb qualifies the noun.
_HAN_ATTRIBUTIVE = re.compile(r"的[^，。；：,;:\s]{0,8}")
#: A reason clause runs to the next clause break ("针对美方无理制裁中国官员，…"), or in
#: Han text to a speech or decision verb ("回应美方制裁时表示…").
_CLAUSE_BREAK = re.compile(r"[,，،:：;；؛]|表示|宣布|决定|指出|强调")
#: A relative clause opened after a comma qualifies the noun before it ("санкции,
#: которые ввёл Вильнюс", "the sanctions, which Vilnius adopted"): a reason clause
#: runs on through it.
_RELATIVE = re.compile(
    r"[,،]\s*(?:котор\w+|which|que|qui|lesquel\w*|laquelle|التي|الذي|الذين)(?!\w)", re.I
)
#: "应记者要求", "应美方要求": at someone's request, no demand.
_HAN_REQUEST = re.compile(r"应[^\s，。；：,;:]{1,8}$")


def _background(s: Sentence, terms: Sequence[Match], text: str) -> set[Match]:
    """Stance cues that are no act of the sentence.

    * An imposition participle that qualifies a sanctions term, with a determiner
      before the term ("les sanctions imposées au Mali par la CEDEAO", "the sanctions
      imposed on Iran", "对俄罗斯实施的制裁"): the sanctions are named by their
      origin, the sentence reports something else about them.
    * Cues inside a reason clause ("en riposte aux sanctions illégales", "针对美方无理
      制裁中国官员，", "回应美方将中国实体列入实体清单"): what is answered is not what
      the sentence reports.
    * Cues inside a neutral phrase: a request ("à la demande de la CEDEAO", "at the
      request of", "应记者要求"), or conduct of the target ("pêche illégale", "非法移民");
      and inside a reason ("لرفضها تسليم", "for its refusal to": not a refusal of them).
    """
    out: set[Match] = set()
    cues = s.kinds(Kind.STANCE)
    for start, end in _reason_scopes(s, terms, text):
        out.update(c for c in cues if start <= c.start < end)
    for m in cues:
        if m.value in ("neutral", "reason"):  # "لرفضها تسليم": no refusal of sanctions
            out.update(c for c in cues if c is not m and m.start <= c.start < m.end)
        elif m.value == "demand" and _HAN.match(text, m.start):
            if _HAN_REQUEST.search(text, max(s.start, m.start - 10), m.start):
                out.add(m)
        elif (m.value in ("impose", "freeze") and _qualifies(m, terms, text)) or (
            m.value == "lift"
            and (
                _suspends_member(m, s, text)
                or _ends_meeting(m, s, terms, text)
                or _reimposed(m, s, terms, text)
            )
        ):
            out.add(m)
    return out


def _reimposed(cue: Match, s: Sentence, terms: Sequence[Match], text: str) -> bool:
    """A lifting participle right after its sanctions term, with an imposition after it
    in the sentence ("U.S. sanctions lifted under the 2015 accord snap back into force",
    "les sanctions levées en 2016 ont été rétablies"): the sanctions are named by their
    past lifting, and what the sentence reports is that they return. So is an imposition
    before the term that the lifting qualifies ("reimposed the sanctions suspended under
    the deal", "下令重新实施美国因协议而暂停的制裁")."""
    if _HAN.match(text, cue.start):
        return _han_attributive(cue, terms, text) and any(
            m.kind == Kind.STANCE and m.value == "impose" and m.end <= cue.start
            for m in s.matches
        )
    if not _participle_after(cue, terms, text, determined=False):
        return False
    return any(
        m.kind == Kind.STANCE
        and m.value == "impose"
        and (m.start >= cue.end or any(m.end <= t.start for t in terms if t.end <= cue.start))
        for m in s.matches
    )


#: How far after a cancellation its meeting object may stand.
_MEETING_OBJECT_REACH = 40


def _ends_meeting(cue: Match, s: Sentence, terms: Sequence[Match], text: str) -> bool:
    """A cancellation, suspension or end whose object is a meeting expression, in its
    clause and before any sanctions term ("отменил встречу с Путиным", "ألغى الرئيس
    الأمريكي زيارته", "a reporté sa visite", "suspended the talks"): a meeting called
    off, no sanctions lifted."""
    stop = min((t.start for t in terms if t.start >= cue.end), default=s.end)
    return any(
        m.kind == Kind.TRIGGER
        and cue.end <= m.start < stop
        and m.start - cue.end <= _MEETING_OBJECT_REACH
        and not _BREAK.search(text, cue.end, m.start)
        for m in s.matches
    )


def _suspends_member(cue: Match, s: Sentence, text: str) -> bool:
    """A suspension whose object is a state or its membership ("a suspendu le Gabon de
    ses instances", "suspend le pays", "暂停马里成员资格"): a membership suspended, no
    sanctions lifted."""
    han = _HAN.match(text, cue.start) is not None
    word = text[cue.start : cue.end].lower()
    if word.startswith(_AR_SUSPEND):  # "تعليق مشاركة سوريا", "علقت عضوية"
        return _AR_MEMBERSHIP.match(text, cue.end, min(s.end, cue.end + 20)) is not None
    if not (word.startswith(_SUSPEND) or word.startswith("suspen")):
        return False
    if _MEMBERSHIP.match(text, cue.end, min(s.end, cue.end + 40)):
        return True
    reach = 0 if han else 12
    return any(m.kind in _MEMBER_KINDS and 0 <= m.start - cue.end <= reach for m in s.matches)


def _answered(vow: Match, term: Match) -> bool:
    """The sanctions term stands right after a response that answers it ("ответ на новые
    санкции", "سترد على العقوبات")."""
    return 0 <= term.start - vow.end <= _ANSWER_REACH


def _reason_scopes(s: Sentence, terms: Sequence[Match], text: str) -> list[tuple[int, int]]:
    """Spans of reason clauses: from a reason cue to the next clause break, and from a
    response to the sanctions it answers ("ответ на новые санкции"). A reason cue inside
    a neutral phrase ("in response to a question") opens none."""
    scopes = []
    stances = s.kinds(Kind.STANCE)
    neutral = [m for m in stances if m.value == "neutral"]
    for m in stances:
        if m.value == "reason" and not any(n.start <= m.start < n.end for n in neutral):
            stop = _CLAUSE_BREAK.search(text, m.end, s.end)
            while stop and _RELATIVE.match(text, stop.start()):  # "в отместку за санкции,
                stop = _CLAUSE_BREAK.search(text, stop.end(), s.end)  # которые ввёл Вильнюс"
            end = stop.start() if stop else s.end
            if _HAN.match(text, m.start):
                # modifiers come before the noun: what follows the sanctions term is the
                # sentence's predicate ("针对俄罗斯的经济制裁延长六个月": extended)
                end = min([end] + [t.end for t in terms if m.end <= t.start < end])
            scopes.append((m.end, end))
        elif m.value == "vow":
            # "ответ на новые санкции": what a response answers, up to its sanctions term
            answered = [t for t in terms if _answered(m, t)]
            if answered:
                scopes.append((m.end, min(t.end for t in answered)))
    return scopes


def _han_attributive(cue: Match, terms: Sequence[Match], text: str) -> bool:
    """The Han verb ``cue`` qualifies a sanctions term with 的 ("对俄实施的制裁",
    "因协议而暂停的制裁")."""
    attr = _HAN_ATTRIBUTIVE.match(text, cue.end)
    return attr is not None and any(cue.end < t.start <= attr.end() for t in terms)


def _qualifies(cue: Match, terms: Sequence[Match], text: str) -> bool:
    """An imposition participle that qualifies a sanctions term before it, or a Han
    verb with 的 before a term ("对俄实施的制裁")."""
    if _HAN.match(text, cue.start):
        return _han_attributive(cue, terms, text)
    word = _WORD.match(text, cue.start)
    if (
        word is not None
        and _TR_PARTICIPLE.fullmatch(word.group())
        and _TURKISH_LETTERS.search(text, max(0, cue.start - 100), cue.end + 100)
    ):
        return any(  # "Rusya'ya uyguladığı yaptırımlar": the sanctions it applied
            0 <= t.start - word.end() <= _TR_PARTICIPLE_REACH
            and not _BREAK.search(text, word.end(), t.start)
            for t in terms
        )
    return _participle_after(cue, terms, text, determined=True)


def _participle_after(
    cue: Match, terms: Sequence[Match], text: str, determined: bool
) -> bool:
    """The cue is a participle right after a sanctions term, qualifying it (French,
    English, Spanish: "les sanctions imposées au Mali", "sanctions lifted under the
    accord"); with ``determined``, only after a term a determiner opens."""
    word = _WORD.match(text, cue.start)
    if word is None or not _PARTICIPLE.fullmatch(word.group()):
        return False
    if word.group().lower().endswith("ed") and not _EN_PARTICIPLE_NEXT.match(text, word.end()):
        return False  # "the sanctions targeted Russian banks": a past tense, not a qualifier
    return any(
        t.end <= cue.start <= t.end + _CUE_REACH
        and _QUALIFIER_GAP.fullmatch(text, t.end, cue.start)
        and (not determined or _DETERMINER.search(text, max(0, t.start - 40), t.start))
        for t in terms
    )


def _stance_cues(s: Sentence, text: str) -> set[str]:
    """Stance cues near a sanctions term. "Since ... imposed sanctions" is background.

    A demand is a threat ("urged sanctions on…") unless what it asks is the lifting
    ("called for the lifting of the sanctions": lift). An imposition cue inside a
    debated phrase ("discussed new sanctions", "ستبحث حزمة جديدة من العقوبات") is what
    is discussed, not an act. A relief noun (waiver, licence, 豁免, dérogation) is a
    lifting, unless a withdrawal cue governs it ("revoked the licence", "取消…豁免"):
    then the relief is taken away, an imposition. Keeping sanctions in place is a
    refusal to lift them (condemn) only when the sentence reports no other act ("lifted
    the embargo but kept the asset freeze" is a lifting); so is a lifting said to be
    shelved ("not on the agenda", "не рассматривается", 不在议程上). In Arabic a verb that opens
    the sentence governs its object across a long subject (twice the reach), unless a
    complement clause ("أعلنت … أن العقوبات") starts between them. A demand governs
    what follows it, not a term before it ("sanctions…, demanding that Iraq stop").
    """
    terms = _terms(s)
    affected = _effects(s, terms, text) if Kind.STANCE in s.kind_set else []
    if affected:
        terms = [t for t in terms if t not in affected]
        if not terms:
            return set()  # "mitigate the impact of sanctions": no act on them
    arabic = _arabic(text, terms)
    reach = _CUE_REACH_VSO if arabic else _CUE_REACH
    body = text[s.start : s.end]
    opening = s.start + len(body) - len(body.lstrip(" \"«'“"))
    found = set()
    debated: list[Match] = []
    imposed: list[Match] = []
    lifted: list[Match] = []
    reliefs: list[Match] = []
    refused: list[Match] = []
    background = _background(s, terms, text)
    # "the lifting is not on the agenda": what is shelved is refused, the cues inside
    # the phrase ("pas sur la table") are no act of their own
    shelved = [m for m in s.kinds(Kind.STANCE) if m.value == "shelved"]
    conditions = [m for m in s.kinds(Kind.STANCE) if m.value == "condition"]
    for m in s.matches:
        if m.kind != Kind.STANCE or m in background or m.value in _NO_ACT:
            continue
        if shelved and any(x.start <= m.start and m.end <= x.end for x in shelved):
            continue
        near = 2 * reach if m.value == "relief" else reach
        if not any(min(abs(m.start - t.end), abs(t.start - m.end)) <= near for t in terms) and not (
            arabic and m.start == opening and _governs_object(m, terms, text, 2 * reach)
        ):
            continue
        if m.value == "threaten" and _warns_against(m, terms, text):
            found.add("condemn")
            continue
        if m.value == "demand" and not any(t.start >= m.end for t in terms):
            continue  # "sanctions …, demanding that Iraq stop": the demand is something else
        if m.value == "lift" and conditions and _demanded(m, conditions, terms, text):
            continue  # "unless it suspends enrichment": the conduct asked for
        if m.value in ("lift", "relief") and _refused(m, text):
            refused.append(m)  # "США не будут снимать санкции", "不考虑豁免"
            continue
        if m.value in ("impose", "freeze"):
            if _SINCE.search(text, max(0, m.start - 30), m.start):
                continue
            imposed.append(m)
            found.add("impose")  # a freeze verb is an imposition
            continue
        elif m.value == "lift":
            lifted.append(m)
        elif m.value == "relief":
            reliefs.append(m)
            continue
        elif m.value == "debate":
            debated.append(m)
            continue
        found.add(m.value)
    if refused and not (lifted or reliefs or conditions) and any(
        0 <= t.start - m.end <= _REFUSED_REACH for m in refused for t in terms
    ):
        found.add("condemn")  # the lifting of the sanctions right after it is refused
    else:  # read as before: "the licence does not lift the sanctions on HTS" beside the
        # licence granted, "if it does not suspend its arms deliveries"
        for m in refused:
            if m.value == "relief":
                reliefs.append(m)
            else:
                lifted.append(m)
                found.add("lift")
    # "debated new sanctions", not "discussed trade under sanctions"; an Arabic verb
    # that opens the sentence reaches past its subject ("يبحث وزراء … فرض عقوبات")
    reaches = {
        d: _debate_reach(d, text, 2 * reach if arabic and d.start == opening else 0)
        for d in debated
    }
    kept = [d for d in debated if _governs(d, terms, imposed, reaches[d], text)]
    if kept:
        found.add("debate")
    if (
        kept
        and imposed
        and all(any(_before(d, i, reaches[d]) for d in kept) for i in imposed)
    ):
        found.discard("impose")
    withdrawals = [m for m in s.kinds(Kind.STANCE) if m.value == "lift"]
    withdrawn = [r for r in reliefs if any(_withdraws(w, r, terms, text) for w in withdrawals)]
    if withdrawn:
        found.add("impose")  # the waiver or licence is taken away
    acts = [
        i
        for i in imposed
        if not any(
            _before(i, r, _RELIEF_REACH) or _before(r, i, _RELIEF_REACH) for r in reliefs
        )
    ]  # an imposition cue of a relief's own phrase extends the relief ("制裁豁免延长")
    if len(withdrawn) < len(reliefs) and (lifted or not acts):
        found.add("lift")  # a waiver granted or extended; not one granted beside an
        # imposition ("دخلت الحزمة الثانية من العقوبات … حيّز التنفيذ، وإن كانت واشنطن قد
        # منحت إعفاءات مؤقتة"): an exemption of the sanctions imposed
    elif lifted and all(any(_withdraws(w, r, terms, text) for r in withdrawn) for w in lifted):
        found.discard("lift")  # every withdrawal cue is about a relief
    if shelved and any(
        min(abs(x.start - m.end), abs(m.start - x.end)) <= reach for x in shelved for m in lifted
    ):
        found.discard("lift")  # "снятие санкций не рассматривается": the lifting is
        if not imposed:  # refused, unless an imposition is the sentence's act
            found.add("condemn")
    if "keep" in found:
        found.discard("keep")
        # another act is the main statement: an imposition, or a lifting of sanctions
        # ("levé l'embargo… mais a maintenu le gel des avoirs"; not "until the war ends")
        acts = imposed or [m for m in lifted if any(_before(m, t, reach) for t in terms)]
        if not acts and "threaten" not in found:
            found.add("condemn")  # kept in place: the lifting is refused
    if "impose" in found and any(
        min(abs(c.start - i.end), abs(i.start - c.end)) <= reach
        for c in conditions
        for i in imposed
    ):
        found.discard("impose")  # "will impose sanctions if Moscow continues": a threat
        found.add("threaten")
    demands = [m for m in s.kinds(Kind.STANCE) if m.value == "demand" and m not in background]
    if (
        "impose" in found
        and demands
        and imposed
        and all(
            any(
                _before(d, i, _DEMAND_REACH) and not _STRONG_BREAK.search(text, d.end, i.start)
                for d in demands
            )
            for i in imposed
        )
    ):
        found.discard("impose")  # "urged China, India and Thailand to join the United
        found.add("demand")  # States … in imposing sanctions": the imposition is asked
    if "demand" in found:
        found.discard("demand")
        if "lift" not in found:
            found.add("threaten")  # a call to lift is the lifting asked for
    if not found and _answers(s, terms, text):
        found.add("condemn")  # "针对美方制裁，中方表示将采取一切必要措施": a response vowed
    elif found == {"threaten"} and _promised_answer(s, terms, text):
        found = {"condemn"}  # "пообещала дать решительный отпор антироссийским санкциям"
    return found


#: A negation right before a lifting cue, a word or two between ("не будут снимать",
#: "will not be lifting", "n'a pas levé", "no levantará", "لن يتم رفع", "不考虑豁免"); not
#: "not only", "did not rule out", "no longer", "не исключает", "ne … que", "不断".
_REFUSED = re.compile(
    r"(?:(?<!\w)(?:(?:not|never|no|не|ne|nunca|لن|لا|لم|عدم)(?!\w)|n['’])\s*"
    r"(?!(?:only|longer|rule|ruled|ruling|exclude\w*|только|исключ\w*|que|solo|sólo)\b)"
    r"(?:\w+\s+){0,2}"
    r"|(?:不会|不考虑|不打算|无意|拒绝|不准备|不愿)[\u4e00-\u9fff]{0,2})$",
    re.I,
)


#: How far after a refused lifting cue its sanctions term stands ("не будут снимать
#: санкции", "不考虑豁免或放弃对李尚福的制裁").
_REFUSED_REACH = 20


def _refused(m: Match, text: str) -> bool:
    """True if a negation governs the lifting cue ``m``: the lifting is refused."""
    return _REFUSED.search(text, max(0, m.start - 30), m.start) is not None


def _promised_answer(s: Sentence, terms: Sequence[Match], text: str) -> bool:
    """Every threat cue promises a response that answers a sanctions term right after it
    or right before it ("promised a firm rebuff to the sanctions", "أية عقوبات ستواجه ردا
    مناسبا"): the sanctions are answered, not threatened."""
    stances = s.kinds(Kind.STANCE)
    answers = [
        v
        for v in stances
        if v.value == "vow"
        and any(_answered(v, t) or _before(t, v, _ANSWER_REACH) for t in terms)
    ]
    threats = [m for m in stances if m.value == "threaten"]
    return bool(answers) and all(
        any(_before(m, v, _ANSWER_REACH) for v in answers) for m in threats
    )


def _warns_against(cue: Match, terms: Sequence[Match], text: str) -> bool:
    """A warning verb with "against" after it and a sanctions term right after that,
    no term between ("warned the United States against ramping up sanctions")."""
    if not _WARNING.search(text, cue.start, cue.end):
        return False
    against = _AGAINST_NEXT.match(text, cue.end)
    if against is None or any(cue.end <= t.start < against.end() for t in terms):
        return False
    return any(0 <= t.start - against.end() <= _DEBATE_REACH for t in terms)


def _demanded(
    cue: Match, conditions: Sequence[Match], terms: Sequence[Match], text: str
) -> bool:
    """A lift cue right after a condition's opener, in the same clause, with no
    sanctions term from the opener to just after the cue ("threatened sanctions unless
    it suspends enrichment", "s'il ne suspendait pas ses activités"): it names the
    conduct asked of the target, not a lifting ("if the EU lifts sanctions" is one)."""
    for c in conditions:
        if not _before(c, cue, _CONDITION_REACH) or _BREAK.search(text, c.end, cue.start):
            continue
        if not any(c.start <= t.start < cue.end + _OBJECT_REACH for t in terms):
            return True
    return False


def _answers(s: Sentence, terms: Sequence[Match], text: str) -> bool:
    """A vowed response ("will take all necessary measures", 必要措施) after a sanctions
    term that is no act of the sentence, or right before one ("سترد على العقوبات", "ответ
    на новые санкции"): the sanctions are answered, not threatened (the measures are
    unnamed)."""
    vows = [m for m in s.kinds(Kind.STANCE) if m.value == "vow"]
    return any(t.end <= v.start or _answered(v, t) for v in vows for t in terms)


def _terms(s: Sentence) -> list[Match]:
    """The sentence's sanctions terms. Assets ("أصول", "أموال") are one only as the
    object of a freeze verb before them ("جمدت الولايات المتحدة أصول ثلاثة مسؤولين"):
    Arabic puts the verb first and the subject between."""
    terms = s.kinds(Kind.SANCTION)
    values = {t.value for t in terms}
    if "anaphor" in values or "headline" in values:  # a term only in the sentence after a
        # sanctions sentence, or in a headline before one (_referring)
        terms = [t for t in terms if t.value not in _REFERRING]
    if "asset" not in values:
        return terms
    verbs = [m for m in s.kinds(Kind.STANCE) if m.value == "freeze"]
    return [
        t
        for t in terms
        if t.value != "asset" or any(_before(v, t, _CUE_REACH_VSO) for v in verbs)
    ]


def _before(a: Match, b: Match, reach: int) -> bool:
    """``a`` ends at most ``reach`` characters before ``b`` starts."""
    return a.end <= b.start and b.start - a.end <= reach


def _governs_object(verb: Match, terms: Sequence[Match], text: str, reach: int) -> bool:
    """An Arabic verb that opens the sentence governs a term further on when no clause
    ("أعلنت … أن العقوبات") starts between them."""
    return any(
        _before(verb, t, reach) and not _CLAUSE.search(text, verb.end, t.start) for t in terms
    )


def _withdraws(cue: Match, relief: Match, terms: Sequence[Match], text: str) -> bool:
    """A withdrawal cue governs a relief noun right after it (Han text is denser), with
    no sanctions term between them but one that qualifies the relief ("revoked the
    sanctions waiver", "取消对伊拉克的制裁豁免"; not "eased sanctions, issuing a licence")."""
    reach = _RELIEF_REACH_HAN if _HAN.match(text, relief.start) else _RELIEF_REACH
    return _before(cue, relief, reach) and not any(
        cue.end <= t.start and relief.start - t.end > 1 and t.end <= relief.start for t in terms
    )


def _debate_reach(cue: Match, text: str, opening: int) -> int:
    """How far a discussion cue reaches: ``opening`` when it opens an Arabic sentence,
    further past a partner named right after it ("discussed with the Prime Minister of
    Croatia the strengthening of sanctions"), else right after it."""
    if opening:
        return opening
    if _WITH_PARTNER.match(text, cue.end):
        return _DEBATE_REACH + _PARTNER_REACH
    return _DEBATE_REACH


def _governs(
    cue: Match, terms: Sequence[Match], imposed: Sequence[Match], reach: int, text: str
) -> bool:
    """A discussion cue right before a sanctions term, or before an imposition cue
    right before one ("ستبحث الأسبوع المقبل حزمة جديدة من العقوبات"), with no
    complement clause between them."""

    def near(a: Match, b: Match, limit: int) -> bool:
        return _before(a, b, limit) and (
            limit <= _DEBATE_REACH or not _CLAUSE.search(text, a.end, b.start)
        )

    return any(near(cue, t, reach) for t in terms) or any(
        near(cue, i, reach) and any(_before(i, t, _DEBATE_REACH) for t in terms)
        for i in imposed
    )


def _arabic(text: str, terms: Sequence[Match]) -> bool:
    return bool(terms) and "\u0600" <= text[terms[0].start] <= "\u06ff"


#: The organisation whose "sanctions" are trade retaliation (:func:`_trade_retaliation`).
_TRADE_BODY = "wto"


def _trade_retaliation(entities: Sequence[Match], first_term: int) -> bool:
    """True if the trade body is the first entity of the sentence and the last before its
    sanctions term: the subject that authorises or imposes them ("WTO approves sanctions
    against US"); not "Russia filed a complaint with the WTO over Western sanctions" nor
    "the WTO ruled that Saudi Arabia's sanctions on Qatar…"."""
    before = [m for m in entities if m.start < first_term]
    return len(before) == 1 and before[0].kind == Kind.ORG and before[0].value == _TRADE_BODY


def sentence_stance(
    s: Sentence,
    text: str,
    sport_doc: bool = False,
    domestic: bool = False,
    home_story: bool = False,
) -> str | None:
    """Stance of one sentence, or None when it carries no sanctions rhetoric.

    ``sport_doc``: the article is about sport; ``domestic``: another sentence already
    used a sanctions word in a sports, judicial or approve sense; ``home_story``: so
    did one of an article that names one country at most.
    """
    terms = _terms(s)
    if Kind.APPROVE in s.kind_set:  # "Tinubu sanctions emergency relief": the word inside
        approvals = s.kinds(Kind.APPROVE)  # an approval phrase is its verb
        terms = [
            t for t in terms if not any(a.start <= t.start and t.end <= a.end for a in approvals)
        ]
    if not terms or _cue(s, Kind.SPORT) or _penal(s, text):
        return None
    strong = any(
        m.value in ("strong", "action", "freeze", "asset", "referent", "restrictive") for m in terms
    )
    entities = [m for m in s.matches if m.kind in _CONTEXT_KINDS]
    first_term = min(m.start for m in terms)
    if _trade_retaliation(entities, first_term):
        return None  # "WTO approves sanctions against US": retaliation the trade body
        # authorises in a trade dispute is a trade measure
    subject = any(m.start < first_term for m in entities)
    cues = _stance_cues(s, text)
    stance = next((x for x in STANCE_ORDER if x in cues), None)
    if stance is None and "debate" in cues:
        stance = "threaten"  # "debated new sanctions": considered, nothing more
    if (
        stance == "threaten"
        and any(m.value == "further" for m in s.kinds(Kind.STANCE))
        and ("impose" in cues or any(m.value in _ACTS for m in terms))
    ):
        stance = "impose"  # "sanciona a 13 venezolanos y advierte más medidas": the
        # threat is of more; the act is the imposition
    if stance is None and _verb_use(entities, terms, text):
        stance = "impose"  # "Canada to Sanction Moldova Groups Aiding Russia"
    if stance is None and any(m.value in _ACTS for m in terms):
        # an act named in a reason clause is what is answered ("回应美方将…列入实体清单")
        scopes = _reason_scopes(s, terms, text) if Kind.STANCE in s.kind_set else []
        if any(
            m.value in _ACTS
            and not any(a <= m.start < b for a, b in scopes)
            and not _SINCE_CLAUSE.search(text, max(0, m.start - 40), m.start)
            for m in terms
        ):
            stance = "impose"  # not "since the United States banned all imports": the
            # ban is the time of something else
    arabic = _arabic(text, terms)
    if _cue(s, Kind.APPROVE) and (
        not strong or (not arabic and (stance is None or not entities))
    ):
        return None
    if arabic:
        # one word for sanctions and for penalties: with a judicial, regulatory or law
        # cue, an object defined by conduct, or penalties named so in another sentence of
        # a story of one country ("العقوبات الحالية لم تعد رادعة … في الكويت" after a drug
        # law's "تشديد العقوبات على المتاجرين"), the sentence must be between states
        domestic_cue = home_story or _cue(s, Kind.JUDICIAL) or _cue(s, Kind.APPROVE)
        if (domestic_cue or _conduct_object(terms, text)) and not _international(
            s, first_term, text
        ):
            return None  # "عقوبات على المرشحين الذين يتجاوزون…": penalties at home
    elif _cue(s, Kind.JUDICIAL) and not subject and not (strong and stance is not None):
        return None
    if not strong and (domestic or not entities):
        return None
    if all(m.value in _TARGETED for m in terms) and not _targeted(entities, first_term):
        return None  # "the ministry banned fireworks", "froze the firm's accounts": at home
    if all(m.value == "ban" and _bans_a_group(m, s, text) for m in terms):
        return None  # "حظر وكالة الأونروا", "الحظر الإسرائيلي لأنشطتها": a group's or an
        # agency's work banned where the state rules, not sanctions on a state
    if all(m.value == "measure" for m in terms) and not any(
        _aimed_at(t, entities, text) for t in terms
    ):
        return None  # "measures against drug trafficking from Colombia": no state's target
    if all(m.value == "boycott" for m in terms) and not _state_ordered(s, first_term, text):
        return None  # activists' calls to boycott goods are no state measure
    if _conduct_target(s, terms, text):
        return None  # "renforcent les sanctions contre les navires de pêche illégale"
    if sport_doc and (
        _cue(s, Kind.JUDICIAL) or not any(m.kind in _ACTOR_KINDS for m in s.matches)
    ):
        return None  # "Sanctions de la CAF : lourde amende pour le Sénégal"
    return stance or "mention"


#: What may stand between a state and "sanction" used as its verb ("Canada to
#: sanction", "the EU will sanction", "Washington moves to sanction").
_VERB_GAP = re.compile(
    r"(?:\s+(?:to|will|also|again|newly|moves?\s+to|plans?\s+to|set\s+to))*\s+$", re.I
)
#: The English forms of the verb (a noun "sanctions" is one too: "Canada sanctions …").
_VERB_FORMS = frozenset({"sanction", "sanctions"})
_NUMBER = re.compile(r"\s+(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|dozens?)\b", re.I)


def _verb_use(entities: Sequence[Match], terms: Sequence[Match], text: str) -> bool:
    """True if a state sanctions someone it names: "sanction" or "sanctions" right after
    a state (or "to", "will" after one) and right before a country, a demonym, a person
    or a number ("Canada to Sanction Moldova Groups", "US sanctions Iranian officials",
    "EU sanctions 13 Venezuelans"). Not the noun's phrases ("US sanctions on Iran", "US
    sanctions hit the economy"): nothing of the kind follows them. ``entities``: the
    sentence's states, people, organisations and regions, in order."""
    if len(entities) < 2:
        return False
    for t in terms:
        if text[t.start : t.end].lower() not in _VERB_FORMS:
            continue
        before = [e for e in entities if e.end <= t.start]
        if not before or _VERB_GAP.fullmatch(text, before[-1].end, t.start) is None:
            continue
        after = next((e for e in entities if e.start >= t.end), None)
        if (after is not None and not text[t.end : after.start].strip()) or _NUMBER.match(
            text, t.end
        ):
            return True
    return False


def _effects(s: Sentence, terms: Sequence[Match], text: str) -> list[Match]:
    """The terms an effect noun is of ("reduce the impact of sanctions", "снизить
    влияние санкций", "تخفيف آثار العقوبات", "减轻制裁的影响"): the sentence speaks of
    the sanctions' effects there, and the verbs beside them (reduce, mitigate) are no
    act on the sanctions."""
    effects = [m for m in s.kinds(Kind.STANCE) if m.value == "impact"]
    return [
        t
        for t in terms
        if any(
            e.start <= t.start < e.end  # "в условиях санкций": the term inside the phrase
            or (
                (0 <= t.start - e.end <= _IMPACT_REACH or 0 <= e.start - t.end <= _IMPACT_REACH)
                and not _BREAK.search(text, min(e.end, t.end), max(e.start, t.start))
            )
            for e in effects
        )
    ]


def _cue(s: Sentence, kind: str) -> list[Match]:
    """Context cues of ``kind``, without those inside a sanctions term or a
    condemnation, and court words inside an office ("قانون قيصر" is no law being
    enacted, "crime against humanity" no penalty, 立法院 no court)."""
    if kind not in s.kind_set:
        return []
    shielding = (Kind.SANCTION, Kind.OFFICIAL) if kind == Kind.JUDICIAL else (Kind.SANCTION,)
    shields = [
        m
        for m in s.matches
        if m.kind in shielding or (m.kind == Kind.STANCE and m.value == "condemn")
    ]
    return [
        m
        for m in s.matches
        if m.kind == kind
        and not any(x.start <= m.start and m.end <= x.end and x != m for x in shields)
    ]


def _conduct_object(terms: Sequence[Match], text: str) -> bool:
    """The term's object is people defined by what they do ("على المرشحين الذين
    يتجاوزون", "بحق الموظفين الذين"): a penalty for conduct, in Arabic."""
    return any(_CONDUCT_OBJECT.match(text, t.end) for t in terms)


#: "الدولية" (international), "الغربية" (Western), "الأممية" (the UN's) right after a
#: sanctions term.
_AR_INTERNATIONAL = re.compile(r"[^\S\n]+(?:ال)?(?:دولية|غربية|أممية)(?!\w)")


def _international(s: Sentence, first_term: int, text: str) -> bool:
    """Sanctions are between states: two countries, an organisation or a region, a
    state named after the term as its target ("عقوبات على إيران"; not a place "in" the
    country already named: "في شوارع بغداد"), the state that imposes them as the
    term's adjective ("العقوبات الأمريكية"), or "international" or "Western"
    ("العقوبات الدولية", "العقوبات الغربية").
    A court, regulator or ministry acting on firms and people of one country applies
    domestic law, whatever the words."""
    codes: set[str] = set()
    ends = [t.end for t in _terms(s)]
    if any(_AR_INTERNATIONAL.match(text, end) for end in ends):
        return True  # "العقوبات الدولية المفروضة منذ 1992": international sanctions
    for m in s.matches:
        if m.kind in (Kind.ORG, Kind.REGION) or (
            m.kind == Kind.DEMONYM
            and any(end < m.start and _ADJECTIVES.fullmatch(text, end, m.start) for end in ends)
        ):
            return True
        if m.kind == Kind.PERSON:
            found = {gazetteer().person_country(m.value, None)[0]}
        elif m.kind in _STATE_KINDS:
            found = set(m.value.split())
        else:
            continue
        if (
            m.start > first_term
            and m.kind in (Kind.COUNTRY, Kind.METONYM, Kind.SEAT)
            and not found <= codes
            and not _LOCATIVE.search(text, max(0, m.start - 24), m.start)
            and "ب" not in m.prefix
        ):
            return True
        codes |= found
    return len(codes) >= 2


def _conduct_target(s: Sentence, terms: Sequence[Match], text: str) -> bool:
    """Every term is aimed at conduct (a neutral conduct phrase as its object: "contre les
    navires de pêche illégale", "对非法捕捞的制裁") and no organisation, nor a state after
    the term, is named: penalties at home, not sanctions on a state."""
    conduct = [
        m
        for m in s.matches
        if m.kind == Kind.STANCE
        and m.value == "neutral"
        and (
            _HAN.match(text, m.start) is None
            or _HAN_CONDUCT.search(text, max(s.start, m.start - 11), m.start) is not None
        )
    ]
    if not conduct or any(m.kind == Kind.ORG for m in s.matches):
        return False
    first = min(t.start for t in terms)
    if any(m.kind in _ACTOR_KINDS and m.start > first for m in s.matches):
        return False

    def aimed(t: Match) -> bool:
        for c in conduct:
            if _HAN.match(text, c.start):
                if 0 <= t.start - c.end <= 3:
                    return True
            elif (
                0 < c.start - t.end <= _CONDUCT_REACH
                and _AGAINST.match(text, t.end)
                and not any(
                    t.end <= m.start < c.start for m in s.matches if m.kind in _STATE_KINDS
                )
            ):
                return True
        return False

    return all(aimed(t) for t in terms)


#: Actors that order a boycott as the subject right before its verb ("the United States
#: banned all imports", "Washington has banned").
_STATES = frozenset({Kind.COUNTRY, Kind.METONYM, Kind.SEAT})
_STATE_SUBJECTS = _STATES | {Kind.PERSON}
_SUBJECT_GAP = 6
#: What may stand between such a subject and the verb: "Washington has banned", "Paris a
#: interdit"; not a preposition ("ناشطون في الأردن إلى مقاطعة": activists in Jordan).
_AUXILIARY = re.compile(r"\s*(?:(?:has|have|had|ha|han|a|ont|hat|haben)\s+)?")


def _state_ordered(s: Sentence, first_term: int, text: str) -> bool:
    """A boycott ordered by a state: a country, capital, seat or office-holder right
    before the term, its subject ("factories have closed … since the United States
    banned all imports"); else the first actor before the term is one of them, or a
    government or ministry with its demonym, not activists, a party or another non-state
    group ("دعا ناشطون إلى مقاطعة…", "Activists in Jordan called for a boycott")."""
    before = [m for m in s.matches if m.start < first_term]
    if any(
        m.kind in _STATE_SUBJECTS
        and 0 <= first_term - m.end <= _SUBJECT_GAP
        and _AUXILIARY.fullmatch(text, m.end, first_term) is not None
        for m in before
    ):
        return True
    officials = [m.end for m in before if m.kind == Kind.OFFICIAL]
    for m in before:
        if m.kind == Kind.NONSTATE:
            return False
        if m.kind in _STATE_SUBJECTS or (
            m.kind == Kind.DEMONYM and any(0 <= m.start - end <= 3 for end in officials)
        ):
            return True
    return False


def _aimed_at(term: Match, entities: Sequence[Match], text: str) -> bool:
    """A generic measure ("measures against", "mesures contre", "меры против") is
    sanctions when a state, a capital, a person or an organisation follows it at once
    ("economic measures on Russia", "medidas contra Venezuela")."""
    return any(
        m.kind in _ACTOR_KINDS
        and 0 <= m.start - term.end <= _AIMED_GAP
        and not text[term.end : m.start].strip(" \t").count(" ")
        for m in entities
    )


#: Characters between a generic measure and its target: a space and an article ("the ",
#: "la ", "l'").
_AIMED_GAP = 5


def _targeted(entities: Sequence[Match], first_term: int) -> bool:
    """A ban word names a target (a country, organisation or person after it) or is
    between states (two countries, a capital or post among them, or an organisation):
    "حظر تصدير الأسلحة إلى إيران", "将驻美代表…列入清单，禁止其本人…进入大陆"."""
    if any(m.start > first_term and m.kind in _ACTOR_KINDS | {Kind.DEMONYM} for m in entities):
        return True
    countries = {
        m.value for m in entities if m.kind in (Kind.COUNTRY, Kind.DEMONYM, Kind.METONYM)
    }
    return len(countries) >= 2 or any(m.kind == Kind.ORG for m in entities)


#: What an Arabic ban of a group or an agency names right after the term, one adjective
#: and "على" allowed: its activities, or the group ("حركة", "منظمة", "وكالة"…).
_AR_GROUP_BANNED = re.compile(
    r"[^\S\n]+(?:ال[^\s.،؛]+[^\S\n]+)?(?:على[^\S\n]+)?(?:ل?أنشط\w*|ل?نشاط\w*|ال?حركة|ال?منظمة|"
    r"ال?جماعة|ال?وكالة)(?!\w)"
)
_GROUP_GAP = 12  # the most characters between a ban and the organisation it bans


def _bans_a_group(term: Match, s: Sentence, text: str) -> bool:
    """An Arabic ban whose object is a group's or an agency's activities
    (:data:`_AR_GROUP_BANNED`) or an organisation named right after it."""
    if not _arabic(text, [term]):
        return False
    if _AR_GROUP_BANNED.match(text, term.end):
        return True
    return any(
        m.kind == Kind.ORG and 0 <= m.start - term.end <= _GROUP_GAP and " " not in
        text[term.end : m.start].strip()
        for m in s.matches
    )


#: Arabic bans that are a military measure as often as a sanction (a no-fly zone, a
#: naval blockade): no sanctions alone, but no veto of a sanctions term beside them.
_AR_BANS = ("حظر", "الحظر")


def _penal(s: Sentence, text: str) -> bool:
    """A penal-law sense in the sentence (penal code, 法律制裁, العقوبات الجنائية). A cue
    that ends in the sanctions word and is aimed at someone is a sanctions law ("قانون
    العقوبات على روسيا" is the Russia sanctions bill, "قانون العقوبات المصري" the penal
    code). An Arabic air or sea ban is no veto of a sanctions term outside it ("الحظر
    الجوي وحظر الأسلحة" on Libya in 1992: an air embargo and an arms embargo), and no
    penal word is one of a term aimed at a state (:func:`_on_a_state`) or one that
    punishes a people or a state (:func:`_punishes_a_people`)."""
    terms = _terms(s)
    return any(
        m.value == "penal"
        and not (
            any(m.start < t.start and t.end == m.end for t in terms)
            and _AIMED.match(text, m.end)
        )
        and not (
            text.startswith(_AR_BANS, m.start)
            and any(t.end <= m.start or t.start >= m.end for t in terms)
        )
        and not any(_on_a_state(s, t, text) for t in terms if t.end <= m.start or t.start >= m.end)
        and not _punishes_a_people(s, m, text)
        for m in _cue(s, Kind.JUDICIAL)
    )


#: A people or peoples as what a punishment is of ("لمعاقبة الشعوب", "معاقبة الشعب السوري").
_AR_PEOPLES = re.compile(r"[^\S\n]+(?:ال)?شعو?ب")


def _punishes_a_people(s: Sentence, m: Match, text: str) -> bool:
    """True if an Arabic penal word punishes a people or a state named right after it
    ("أداة لمعاقبة الشعوب", "معاقبة روسيا"): what sanctions are said to do, not a
    court's penalty."""
    if _AR_PEOPLES.match(text, m.end):
        return True
    return text[m.end : m.end + 1].isspace() and _state_from(s, m.end + 1, m.end + 2)


def _state_from(s: Sentence, lo: int, hi: int) -> bool:
    """True if a state's name (a country, its capital, its seat) starts between ``lo``
    and ``hi``."""
    return any(m.kind in _STATES and lo <= m.start <= hi for m in s.matches)


def _on_a_state(s: Sentence, term: Match, text: str) -> bool:
    """True if an Arabic sanctions term is aimed at a state named right after it ("حظر
    الأسلحة على ليبيا"): sanctions, whatever penal word ("المتهمين") the sentence has."""
    aimed = _AIMED.match(text, term.end)
    return aimed is not None and _state_from(s, aimed.end(), aimed.end())


def _excluded_use(s: Sentence, text: str, sport_doc: bool) -> bool:
    """A sanctions word used in a sports, judicial or approve sense."""
    return (
        bool(_terms(s))
        and any(_cue(s, kind) for kind in (Kind.SPORT, Kind.APPROVE, Kind.JUDICIAL))
        and sentence_stance(s, text, sport_doc) is None
    )


def _retaliation_sentence(s: Sentence) -> bool:
    """True if ``s`` names trade retaliation the trade body authorises (see
    :func:`_trade_retaliation`)."""
    if Kind.SANCTION not in s.kind_set or Kind.ORG not in s.kind_set:
        return False
    terms = _terms(s)
    return bool(terms) and _trade_retaliation(
        [m for m in s.matches if m.kind in _CONTEXT_KINDS], min(m.start for m in terms)
    )


def _unplaced_penalties(sentences: Sequence[Sentence]) -> bool:
    """The article speaks of fines, courts or prison and no sentence with a sanctions word
    names a country, a person or an organisation: penalties at home, not sanctions. A
    judicial word inside a stance phrase ("sous peine de sanctions") is none."""
    judicial = False
    for x in sentences:
        if Kind.SANCTION in x.kind_set and any(m.kind in _CONTEXT_KINDS for m in x.matches):
            return False
        if not judicial and Kind.JUDICIAL in x.kind_set:
            stances = x.kinds(Kind.STANCE)
            judicial = any(
                not any(p.start <= m.start < p.end for p in stances)
                for m in x.kinds(Kind.JUDICIAL)
            )
    return judicial


def detect_sanctions(sentences: Sequence[Sentence], text: str) -> SanctionsFinding | None:
    """Article-level sanctions rhetoric (see the module docstring)."""
    first_mention: tuple[Sentence, str] | None = None
    chosen: tuple[Sentence, str] | None = None
    dated: tuple[Sentence, str] | None = None
    sentences = _referring(sentences, text)
    sport_doc = is_sport_document(sentences)
    domestic = any(
        _excluded_use(x, text, sport_doc) for x in sentences if Kind.SANCTION in x.kind_set
    ) or any(  # a trade war's article: "mesures de rétorsion" answer tariffs
        m.value == "trade"
        for x in sentences
        if Kind.APPROVE in x.kind_set
        for m in _cue(x, Kind.APPROVE)
    )
    home_story = domestic and len(
        {
            c
            for x in sentences
            for m in x.matches
            if m.kind in _STATES or m.kind == Kind.DEMONYM
            for c in m.value.split()
        }
    ) <= 1
    if _unplaced_penalties(sentences):
        return None  # "les sanctions alourdies… une amende de 135 euros": penalties at home
    if any(_retaliation_sentence(x) for x in sentences[:_HEADLINE_SENTENCES]):
        return None  # "WTO approves sanctions against US" in the title or lead: the
        # article is a trade dispute's, and its other "sanctions" are the same retaliation
    lead = [x for x in sentences[: _HEADLINE_SENTENCES + 1] if not _dateline(x, text)]
    headline = any(Kind.SANCTION in x.kind_set and _terms(x) for x in lead[:_HEADLINE_SENTENCES])
    for s in sentences:
        if Kind.SANCTION not in s.kind_set:
            continue
        stance = sentence_stance(s, text, sport_doc, domestic, home_story)
        if stance in ("impose", "lift") and not headline and any(
            m.value in _ASIDE for m in s.kinds(Kind.STANCE)
        ):
            stance = "mention"  # an aside: the article is not about these sanctions, and
            # the sentence reports no act on them (an act it reports is its stance: "The
            # Obama administration imposed sanctions against seven … officials Monday")
        elif stance in ("impose", "lift", "threaten") and _REPORTER_QUESTION.search(
            text, s.start, s.end
        ):
            stance = "mention"  # "有记者提问：日本…实施新一轮制裁": the answer is the statement
        if stance is None:
            continue
        if stance in _DATABLE and _dated(s, text):
            if dated is None and first_mention is None:
                dated = (s, stance)  # "had sanctioned the firm in 2019": background
            continue
        if stance != "mention":
            chosen = (s, stance)
            break
        if first_mention is None:
            first_mention = (s, stance)
    if chosen is None:
        chosen = dated or first_mention
    if chosen is None:
        return None
    sentence, stance = chosen
    spans = []
    cues = _stance_cues(sentence, text)
    terms = _terms(sentence)
    for m in sentence.matches:
        if m.kind == Kind.SANCTION and m in terms:
            spans.append((m.start, m.end, "sanction"))
        elif m.kind == Kind.STANCE and stance in cues and _marks(m.value, stance):
            spans.append((m.start, m.end, stance))  # a demand is marked as the threat
    return SanctionsFinding(stance, sentence, tuple(sorted(set(spans))))


#: Values of words that stand for sanctions named in another sentence (_referring).
_REFERRING = frozenset({"anaphor", "headline"})


def _referring(sentences: Sequence[Sentence], text: str) -> Sequence[Sentence]:
    """Sentences where an anaphor ("ces mesures", "lift them", 这些措施, эти меры, هذه
    الإجراءات) stands for the sanctions of the sentence before, or a headline's word
    ("Bamako dénonce des mesures « illégales » de la Cédéao") for those of the sentence
    after it, unless it gives a reason ("в ответ на новые меры ЕС"): these words become
    terms (``referent``). Elsewhere they are no term."""
    out: list[Sentence] | None = None
    previous: Sentence | None = None
    for i, s in enumerate(sentences):
        if (
            i == 0
            and len(sentences) > 1
            and Kind.SANCTION in s.kind_set
            and not _terms(s)
            and any(t.value != "measure" for t in _terms(sentences[1]))
            and any(
                m.kind == Kind.SANCTION
                and m.value == "headline"
                and not any(a <= m.start < b for a, b in _reason_scopes(s, [m], text))
                for m in s.matches
            )
        ) or (
            previous is not None
            and Kind.SANCTION in s.kind_set
            and previous.end <= s.start
            and Kind.SANCTION in previous.kind_set
            and any(t.value != "measure" for t in _terms(previous))
            and not _terms(s)
            and any(m.kind == Kind.SANCTION and m.value == "anaphor" for m in s.matches)
        ):
            if out is None:
                out = list(sentences)
            out[i] = Sentence.of(
                s.index,
                s.start,
                s.end,
                [
                    m._replace(value="referent")
                    if m.kind == Kind.SANCTION and m.value in _REFERRING
                    else m
                    for m in s.matches
                ],
            )
        previous = s
    return sentences if out is None else out


def _dateline(s: Sentence, text: str) -> bool:
    """A dateline on a line of its own ("ПУСАН, 30 октября.", "PARIS, 3 mars"): no
    sentence of the lead."""
    return (
        s.end - s.start <= _DATELINE_CHARS
        and _DATELINE.fullmatch(text, s.start, s.end) is not None
    )


def _dated(s: Sentence, text: str) -> bool:
    """The sentence's act is set in the past: every imposition or lifting cue (or an
    act term, when no cue) has a past marker before it ("avaient sanctionné", "had
    imposed", "此前曾对…实施", "ранее ввел") or a past year after it ("imposed … in
    2014", "в 2019 году"; in Han text before it: "2019年对…实施"), in the same clause."""
    terms = _terms(s)
    acts = [
        m
        for m in s.matches
        if m.kind == Kind.STANCE
        and m.value in ("impose", "freeze", "lift")
        and any(min(abs(m.start - t.end), abs(t.start - m.end)) <= _CUE_REACH for t in terms)
    ] or [t for t in terms if t.value in _ACTS]
    if not acts:
        return False
    pasts = [m for m in s.matches if m.kind == Kind.STANCE and m.value == "past"]
    before = [m.end for m in pasts]
    after: list[int] = []
    for year in _PAST_YEAR.finditer(text, s.start, s.end):
        (before if _HAN.match(text, year.end() - 1) else after).append(
            year.end() if _HAN.match(text, year.end() - 1) else year.start()
        )

    def dated(a: Match) -> bool:
        # "had already sanctioned": the act inside the marker
        return any(p.start <= a.start < p.end for p in pasts) or any(
            0 <= a.start - b <= _DATED_REACH and not _BREAK.search(text, b, a.start)
            for b in before
        ) or any(
            0 <= y - a.end <= _DATED_REACH and not _BREAK.search(text, a.end, y) for y in after
        )

    return all(dated(a) for a in acts)


def _marks(cue: str, stance: str) -> bool:
    """A cue of value ``cue`` is evidence of ``stance``: its own, a demand of a threat,
    a relief of a lifting or of its withdrawal, a freeze verb of an imposition, keeping
    of a refusal to lift."""
    return (
        cue == stance
        or (cue == "demand" and stance == "threaten")
        or (cue == "relief" and stance in ("lift", "impose"))
        or (cue == "freeze" and stance == "impose")
        or (cue in ("keep", "shelved") and stance == "condemn")
    )
