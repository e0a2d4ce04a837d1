"""Sanctions rhetoric: presence, stance, and the senses that are not sanctions."""

from __future__ import annotations

import pytest

from analysis import Document, analyze


def rhetoric(title: str, text: str = "") -> tuple[bool, str | None]:
    sr = analyze(Document(id="t", title=title, text=text)).to_dict()["sanctions_rhetoric"]
    return sr["present"], sr["stance"]


@pytest.mark.parametrize(
    ("title", "stance"),
    [
        ("EU imposes new sanctions on Russian banks", "impose"),
        ("US threatens sanctions against Turkey over missile purchase", "threaten"),
        ("China condemns illegal unilateral US sanctions", "condemn"),
        ("Washington lifts sanctions on Syria", "lift"),
        ("Sanctions have hit Iran's oil exports, analysts say", "mention"),
        ("Le Conseil européen adopte de nouvelles sanctions contre l'Iran", "impose"),
        ("La UE levanta las sanciones contra Siria", "lift"),
        ("Москва осудила незаконные санкции Запада", "condemn"),
        ("موسكو تندد بالعقوبات الغربية غير الشرعية", "condemn"),
        ("中方坚决反对美方非法单边制裁", "condemn"),
        ("美国商务部将多家中国企业列入实体清单", "impose"),
        ("Britain freezes assets of Iranian officials in new asset freeze", "impose"),
        ("Syria condemns unilateral coercive measures imposed by Western states", "condemn"),
        ("دمشق ترفض الإجراءات القسرية الأحادية المفروضة على الشعب السوري", "condemn"),
        ("Washington revoked the licence that let Chevron pump oil in Venezuela under sanctions",
         "impose"),
        ("Washington extended the sanctions waiver that lets Iraq buy Iranian power", "lift"),
        ("美方宣布取消对伊拉克的制裁豁免", "impose"),
        ("The EU lifted its arms embargo on Uzbekistan but kept the asset freeze in place",
         "lift"),
        ("Washington maintient ses sanctions contre Cuba", "condemn"),
        ("Les sanctions contre la Syrie sont maintenant levées", "lift"),
        ("قررت الحكومة الماليزية مقاطعة البضائع الإسرائيلية", "impose"),
    ],
)
def test_stances(title: str, stance: str) -> None:
    assert rhetoric(title) == (True, stance)


@pytest.mark.parametrize(
    "title",
    [
        "UEFA sanctions club after fans' racist chants during the match",
        "El Congreso sancionó la ley de presupuesto",
        "The city council sanctioned its new budget",
        "Sa formation a été sanctionnée par un diplôme d'État",
        "КДК РФС дисквалифицировал игрока на три матча, санкции вступают в силу",
        "الاتحاد يفرض عقوبات على النادي بعد ركلة جزاء مثيرة للجدل في المباراة",
        "足协对球员作出禁赛处罚",
        "Обыск проведен с санкции суда",
        "فرض مصرف قطر المركزي عقوبات مالية على ثلاثة بنوك محلية لمخالفتها التعليمات",
        "أمرت النيابة العامة في مصر بتجميد أموال المتهمين في قضية رشوة",
        "قررت الحكومة المصرية حظر تصدير الأرز لضبط الأسعار في السوق المحلية",
        "دعا ناشطون في الأردن إلى مقاطعة المنتجات الأمريكية",
        "حذرت الشرطة العمانية من عقوبات على من يتجاوز السرعة في مسقط",
        "L'Autorité de la concurrence a sanctionné trois entreprises françaises",
    ],
)
def test_not_sanctions(title: str) -> None:
    assert rhetoric(title) == (False, None)


def test_article_stance_prefers_the_headline() -> None:
    present, stance = rhetoric(
        "EU adopts new sanctions package against Russia",
        "The package targets banks and shipping. Moscow condemned the sanctions as illegal.",
    )
    assert (present, stance) == (True, "impose")


def test_a_call_for_sanctions_is_marked_as_the_threat() -> None:
    text = "Lawmakers urged new sanctions on Iran over its drone exports."
    found = analyze(Document(id="u", title="", text=text, lang="en",
                             published_at=None)).to_dict()["sanctions_rhetoric"]
    assert found["stance"] == "threaten"
    assert [text[a:b] for a, b, *_ in found["spans"]] == ["urged", "sanctions"]
    assert [role for *_, role in found["spans"]] == ["threaten", "sanction"]


def test_penalties_in_a_story_of_two_states_can_be_sanctions() -> None:
    """Regulatory words do not exclude a sentence between states (Arabic)."""
    assert rhetoric(
        "غرمت وزارة الخزانة الأمريكية مصرفا فرنسيا لمخالفته العقوبات على إيران"
    ) == (True, "mention")


def test_a_withdrawn_waiver_is_marked_as_the_imposition() -> None:
    text = "The Treasury ended the waivers that let Iraq buy Iranian power despite sanctions."
    found = analyze(Document(id="w", title="", text=text, lang="en",
                             published_at=None)).to_dict()["sanctions_rhetoric"]
    assert found["stance"] == "impose"
    assert [text[a:b] for a, b, *_ in found["spans"]] == ["waivers", "sanctions"]


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        ("The spokesman said easing sanctions on Iran was not under consideration.", "condemn"),
        ("Officials in Washington said lifting the sanctions on Caracas is off the table.",
         "condemn"),
        ("وقال المتحدث إن رفع العقوبات عن إيران غير مطروح في الوقت الراهن.", "condemn"),
        ("Премьер заявил, что вопрос о снятии санкций с Белоруссии не стоит на повестке.",
         "condemn"),
        ("Министр сказал, что смягчение санкций против Ирана не рассматривается.", "condemn"),
        ("外交部发言人表示，解除对朝鲜的制裁不在议程上。", "condemn"),
        ("Selon Bruxelles, la levée des sanctions contre Minsk n'est pas à l'ordre du jour.",
         "condemn"),
        ("Le porte-parole a dit que l'allègement des sanctions n'est pas sur la table.",
         "condemn"),
        ("El canciller dijo que el levantamiento de las sanciones a Cuba no está sobre la mesa.",
         "condemn"),
        # an imposition is the act; the lifting shelved beside it adds no refusal
        ("Le Conseil a adopté de nouvelles sanctions contre la Russie, et la levée des "
         "sanctions n'est pas à l'ordre du jour.", "impose"),
        # nothing shelved beside the lifting
        ("The United States lifted sanctions on Venezuela's oil sector on Tuesday.", "lift"),
    ],
)
def test_a_lifting_said_to_be_shelved_is_refused(text: str, stance: str) -> None:
    assert rhetoric("", text) == (True, stance)
