"""The development set's scores stay at the targets (docs/quality.md)."""


import pytest
from project_scripts import ROOT, load_script

evaluate = load_script("benchmarks/evaluate.py", "evaluate")

TABLE = evaluate.evaluate(ROOT / "benchmarks" / "devset")
UN_LANGUAGES = ["ar", "en", "es", "fr", "ru", "zh"]


def test_every_un_language_is_in_the_development_set() -> None:
    assert sorted(k for k in TABLE if k != "overall") == UN_LANGUAGES


@pytest.mark.parametrize("label", ["countries", "pair", "sanctions"])
def test_overall_f1_meets_the_target(label: str) -> None:
    assert TABLE["overall"][label].prf()[2] >= 0.92


@pytest.mark.parametrize("lang", UN_LANGUAGES)
@pytest.mark.parametrize("label", ["countries", "pair", "sanctions"])
def test_each_language_meets_the_floor(lang: str, label: str) -> None:
    assert TABLE[lang][label].prf()[2] >= 0.85
