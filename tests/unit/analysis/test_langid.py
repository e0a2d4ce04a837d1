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


def test_hint_does_not_override_the_script() -> None:
    assert detect_language("Путин встретился с Си Цзиньпином", hint="en") == "ru"
