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


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # the act refers back to the sanctions of the sentence before, without the word
        ("La Norvège avait sanctionné l'armateur en 2018. Oslo a décidé jeudi de les lever.",
         "lift"),
        ("Canada sanctioned the mining firm in 2021. On Friday Ottawa decided to lift them.",
         "lift"),
        ("Australia imposed sanctions on the airline in 2020. Canberra removed these measures "
         "on Wednesday.", "lift"),
        ("日本2018年对该银行实施了制裁。日方周三宣布解除这些措施。", "lift"),
        ("Канада ввела санкции против банка в 2019 году. В среду Оттава отменила эти меры.",
         "lift"),
        ("فرضت كندا عقوبات على البنك عام 2020. وقررت أوتاوا الأربعاء رفع هذه الإجراءات.", "lift"),
        ("Suiza había impuesto sanciones a la naviera en 2017. El jueves Berna decidió "
         "levantarlas.", "lift"),
        ("英国2014年对该国实施经济制裁。英方周四决定将这些措施延长一年。", "impose"),
        ("Le Japon avait imposé des sanctions à la Birmanie en 2021. Tokyo dénonce désormais "
         "ces mesures comme inefficaces.", "condemn"),
        ("Le Royaume-Uni avait sanctionné la banque en 2020. Pékin les a qualifiées "
         "d'illégales jeudi.", "condemn"),
        ("Минфин США ранее ввел санкции против банка. Пекин назвал их незаконными.",
         "condemn"),
        ("فرضت لندن عقوبات على المصرف عام 2020. ووصفتها بكين الخميس بأنها غير قانونية.",
         "condemn"),
        ("美国2011年对叙利亚实施制裁。美方周五宣布取消上述措施。", "lift"),
        # the act comes first, the background follows: the act stands
        ("Washington lifted sanctions on the Syrian central bank on Friday. The Treasury had "
         "blacklisted the bank in 2004.", "lift"),
        ("L'UE a prolongé lundi ses sanctions contre la Russie. Elle les avait imposées en "
         "2014.", "impose"),
        # a dated act with nothing after it is still the act
        ("The United States imposed sanctions on the company in 2019.", "impose"),
        # a deadline year dates nothing
        ("The EU will extend its sanctions on Russia until 2027, diplomats said.", "impose"),
        # a reaction after the act: the act is the main statement
        ("Les États-Unis ont sanctionné mardi deux banques iraniennes. Téhéran a dénoncé ces "
         "mesures.", "impose"),
    ],
)
def test_an_act_referred_back_or_dated(text: str, stance: str) -> None:
    assert rhetoric("", text) == (True, stance)


@pytest.mark.parametrize(
    "text",
    [
        # an anaphor with no sanctions sentence before it is no sanctions word
        "Iran said the talks had stalled. These measures will not help, Tehran said.",
        "Le gouvernement a pris des mesures contre la fraude. Il veut les renforcer.",
        "政府出台了稳就业政策。专家认为这些措施效果明显。",
    ],
)
def test_an_anaphor_alone_is_no_sanctions_rhetoric(text: str) -> None:
    assert rhetoric("", text) == (False, None)


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # a vowed response to sanctions, with no stance word: the sanctions are answered
        ("针对美方制裁，中方表示将采取一切必要措施。", "condemn"),
        ("针对美方制裁中国企业，商务部表示将采取坚决有力措施。", "condemn"),
        ("In response to the EU sanctions, Beijing said it would take all necessary measures.",
         "condemn"),
        ("En riposte aux sanctions américaines, Moscou a promis de prendre toutes les mesures "
         "nécessaires.", "condemn"),
        ("В ответ на санкции Евросоюза Пекин примет все необходимые меры.", "condemn"),
        ("ردا على العقوبات الأوروبية، أكدت بكين أنها ستتخذ جميع الإجراءات اللازمة.", "condemn"),
        # a stance word beside the vow decides
        ("中方决定对美国军工企业采取反制措施，并将采取一切必要措施。", "impose"),
        # a package on the table is discussed, not adopted
        ("New sanctions on Belarus are on the table, EU diplomats said.", "threaten"),
        ("Nuevas sanciones contra Irán están sobre la mesa, según diplomáticos.", "threaten"),
        ("Новые санкции против Ирана на столе, сообщили дипломаты.", "threaten"),
        ("عقوبات جديدة على روسيا على الطاولة، وفق دبلوماسيين أوروبيين.", "threaten"),
        ("Lifting sanctions on Minsk is off the table, officials said.", "condemn"),
    ],
)
def test_a_vow_and_a_package_on_the_table(text: str, stance: str) -> None:
    assert rhetoric("", text) == (True, stance)


@pytest.mark.parametrize(
    "text",
    [
        # penalties for conduct at home are no sanctions on a state
        "Le Sénégal et la Gambie renforcent les sanctions contre les navires de pêche illégale.",
        "Vietnam toughens sanctions against illegal fishing vessels.",
        "国家加大对非法捕捞的制裁力度。",
    ],
)
def test_domestic_enforcement_is_no_sanctions_rhetoric(text: str) -> None:
    assert rhetoric("", text) == (False, None)


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # a state named as the target keeps the sanctions between states
        ("L'UE renforce les sanctions contre la Biélorussie pour immigration illégale.",
         "impose"),
        ("Washington sanctioned Chinese fishing firms over illegal fishing off Argentina.",
         "impose"),
    ],
)
def test_sanctions_on_a_state_over_conduct_stand(text: str, stance: str) -> None:
    assert rhetoric("", text) == (True, stance)


@pytest.mark.parametrize(
    ("title", "text", "stance"),
    [
        # a dateline on its own line is no sentence of the lead
        ("Xi et Biden se rencontrent à Lima",
         "LIMA, 16 novembre. Les deux dirigeants ont eu un long entretien. Washington a "
         "accepté de suspendre pour un an les contrôles à l'exportation visant trois firmes.",
         "lift"),
        # a state of being listed since a year is background to the mention before it
        ("ZTE présente un nouveau téléphone",
         "Le groupe chinois a présenté lundi son modèle, malgré les contrôles à l'exportation "
         "américains. ZTE figure sur une liste noire américaine depuis 2018.", "mention"),
        # a background act with a mention before it, and the act referred back after it
        ("Sanctions on Cuba: a timeline",
         "The United States first imposed sanctions on Cuba in 1962. Washington tightened "
         "them on Tuesday, targeting remittances.", "impose"),
        ("Тегеран отверг решение",
         "Глава МИД Ирана назвал юридически ничтожным восстановление санкций ООН.", "condemn"),
    ],
)
def test_the_lead_and_the_background(title: str, text: str, stance: str) -> None:
    assert rhetoric(title, text) == (True, stance)
