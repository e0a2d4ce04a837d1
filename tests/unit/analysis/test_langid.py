"""Language identification on short titles in ten languages."""

from __future__ import annotations

import pytest

from analysis.langid import detect_language


@pytest.mark.parametrize(
    ("lang", "title"),
    [
        ("en", "Biden and Xi speak by phone ahead of summit"),
        ("en", "Oil prices fall as talks stall"),
        ("fr", "Macron reçoit le chancelier allemand à l'Élysée"),
        ("fr", "Les sanctions contre la Russie prolongées de six mois"),
        ("es", "Sánchez recibe a Lula en la Moncloa"),
        ("es", "La UE aprueba nuevas sanciones contra Irán"),
        ("de", "Scholz trifft Macron in Berlin"),
        ("de", "Die EU verlängert die Sanktionen gegen Russland"),
        ("tr", "Erdoğan Putin ile telefonda görüştü"),
        ("tr", "Dışişleri Bakanı Fidan Moskova'ya gidiyor"),
        ("ru", "Путин встретился с Си Цзиньпином в Пекине"),
        ("ru", "ЕС продлил санкции против России"),
        ("uk", "Зеленський провів переговори з Макроном"),
        ("uk", "Україна отримає нові системи ППО"),
        ("ar", "بوتين يستقبل أردوغان في سوتشي"),
        ("ar", "موسكو تندد بالعقوبات الغربية الجديدة"),
        ("fa", "عراقچی با لاوروف در مسکو دیدار کرد"),
        ("fa", "تحریم‌های جدید آمریکا علیه ایران"),
        ("zh", "习近平同拜登通电话"),
        ("zh", "中方坚决反对美方非法单边制裁"),
    ],
)
def test_short_titles(lang: str, title: str) -> None:
    assert detect_language(title) == lang


def test_hint_is_used_when_there_are_no_letters() -> None:
    assert detect_language("2024 — 15:30", hint="fr") == "fr"
    assert detect_language("", hint=None) == "und"


@pytest.mark.parametrize(("hint", "lang"), [
    ("EN-us", "en"), ("fr_FR", "fr"), (" es ", "es"), ("ast", "ast"),
    ("\x1b]0;title\x07", "und"), ("english", "und"), ("français", "und"), ("1", "und"),
    ("", "und")])
def test_only_a_language_code_is_taken_from_the_hint(hint: str, lang: str) -> None:
    # a feed's <language> is the feed's text: the alert schema takes ISO 639 or "und"
    assert detect_language("— 2026 —", hint=hint) == lang


def test_hint_does_not_override_the_script() -> None:
    assert detect_language("Путин встретился с Си Цзиньпином", hint="en") == "ru"


@pytest.mark.parametrize(
    ("lang", "hint", "text"),
    [
        ("es", "es", "Estados Unidos impuso nuevas sanciones a navieras vinculadas a Irán\n"
         "Las medidas afectan a 12 empresas."),
        ("es", None, "Estados Unidos impuso nuevas sanciones a navieras vinculadas a Irán\n"
         "Las medidas afectan a 12 empresas."),
        ("es", "es", "Reino Unido veta a tres bancos rusos\n"
         "Londres añade a la lista a Gazprombank."),
        ("es", "es", "Sánchez recibe a Macron a su llegada a Madrid"),
    ],
)
def test_a_few_shared_stop_words_do_not_decide(lang: str, hint: str | None, text: str) -> None:
    # Spanish "a" and "la" are French stop words too.
    assert detect_language(text, hint=hint) == lang


@pytest.mark.parametrize(
    ("lang", "hint", "text"),
    [
        ("es", "en", "Colombia suspende la compra de armas a Israel\nEl Gobierno colombiano "
         "anunció que no adquirirá más material militar israelí mientras continúe la guerra."),
        ("es", "en", "Sánchez se reúne con Lula en Brasilia"),
        ("pt", "es", "Lula recebe Sánchez no Planalto\nO presidente brasileiro recebeu nesta "
         "quarta-feira o chefe do governo espanhol para discutir o acordo com o Mercosul."),
        ("it", "fr", "Tajani incontra Albares a Madrid\nIl ministro degli Esteri italiano ha "
         "incontrato il suo omologo spagnolo per discutere della situazione in Medio Oriente."),
        ("en", "es", "US imposes new sanctions on Iran-linked shipping firms\nThe Treasury "
         "said on Tuesday the companies had moved Iranian oil in breach of sanctions."),
    ],
)
def test_a_clearly_different_language_beats_the_declared_one(
    lang: str, hint: str, text: str
) -> None:
    assert detect_language(text, hint=hint) == lang


@pytest.mark.parametrize(
    ("lang", "title"),
    [
        ("es", "SÁNCHEZ SE REÚNE CON LULA EN MADRID"),
        ("pt", "LULA RECEBE MACRON EM BRASÍLIA"),
        ("it", "MELONI INCONTRA BIDEN ALLA CASA BIANCA"),
    ],
)
def test_all_capitals_headlines(lang: str, title: str) -> None:
    assert detect_language(title) == lang


@pytest.mark.parametrize(
    ("lang", "hint", "text"),
    [
        ("ar", "ar", "عراقچی یلتقی لافروف فی موسکو"),
        ("ar", "ar", "الرئیس الإیرانی یستقبل وزیر الخارجیة العراقی"),
        ("ar", "ar", "واشنطن تفرض عقوبات جدیدة علی شرکات إیرانیة"),
        ("fa", "ar", "ظریف با همتای روسی خود دیدار کرد"),
        ("fa", None, "پزشکیان به بغداد سفر کرد"),
        ("ar", "fa", "الولايات المتحدة تفرض عقوبات جديدة على شركات شحن مرتبطة بإيران"),
    ],
)
def test_arabic_typed_with_persian_letters(lang: str, hint: str | None, text: str) -> None:
    assert detect_language(text, hint=hint) == lang


@pytest.mark.parametrize(
    ("hint", "text"),
    [
        (None, "شہباز شریف کی صدر اردوان سے ملاقات"),
        (None, "پاکستان اور چین کے درمیان مذاکرات"),
        ("ur", "امریکہ نے ایران پر نئی پابندیاں عائد کر دیں"),
    ],
)
def test_urdu_is_not_persian(hint: str | None, text: str) -> None:
    assert detect_language(text, hint=hint) == "ur"


@pytest.mark.parametrize(
    ("lang", "hint", "title"),
    [
        ("uk", None, "Зеленський та Макрон обговорили безпеку"),
        ("uk", "ru", "Свириденко та Бессент підписали угоду"),
        ("ru", "uk", "Путин встретился с Си Цзиньпином в Пекине"),
        ("ru", "uk", "Лавров и Ван И провели переговоры"),
        ("bg", "bg", "Радев се срещна с Макрон в Париж"),
        ("bg", None, "България подкрепи новите санкции срещу Русия"),
        ("ru", "bg", "Москва объявила новые санкции"),
        ("ru", "bg", "Кремль объявил о переговорах"),
    ],
)
def test_cyrillic_titles_without_telltale_letters(lang: str, hint: str | None, title: str) -> None:
    assert detect_language(title, hint=hint) == lang
