"""Quality on published news: the real-text corpus of ../shared/corpus (docs/quality.md).

The corpus lives beside the checkout (``../shared/corpus``, or ``MEDIAWATCH_CORPUS_DIR``)
and the project keeps no copy of its texts. Its dev split is tuned on; its test split
(other sources) is only measured: these floors say what unseen news gets and fail the
build when a change makes it worse. A missing corpus fails the tests, it never skips
them.
"""

import importlib.util
import os
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]
spec = importlib.util.spec_from_file_location("evaluate", ROOT / "benchmarks" / "evaluate.py")
assert spec is not None and spec.loader is not None
evaluate = importlib.util.module_from_spec(spec)
sys.modules["evaluate"] = evaluate  # dataclasses look their module up there
spec.loader.exec_module(evaluate)

CORPUS = Path(os.environ.get("MEDIAWATCH_CORPUS_DIR") or evaluate.CORPUS)
UN_LANGUAGES = ["ar", "en", "es", "fr", "ru", "zh"]
LABELS = ["countries", "pair", "sanctions"]

#: Overall F1 floors on the test split. Countries meet the target of 0.95; meetings
#: and sanctions stand under their targets (0.90 and 0.93: docs/quality.md says where)
#: and these floors hold the level reached.
TEST_FLOORS = {"countries": 0.95, "pair": 0.85, "sanctions": 0.85}
TEST_STANCE_FLOOR = 0.70
#: Every UN language, for every label with at least this many gold positives.
LANGUAGE_FLOOR, LANGUAGE_MIN_POSITIVES = 0.85, 5
#: The dev split is tuned on: it must stay near where the tuning left it.
DEV_FLOORS = {"countries": 0.95, "pair": 0.93, "sanctions": 0.95}
DEV_STANCE_FLOOR = 0.85


def _split(name: str) -> dict[str, Any]:
    path = CORPUS / f"{name}.jsonl"
    assert path.is_file(), (
        f"the real-text corpus is missing: {path} (the checkout's ../shared/corpus, or "
        "set MEDIAWATCH_CORPUS_DIR)"
    )
    return dict(evaluate.evaluate(path))


@pytest.fixture(scope="module")
def test_table() -> dict[str, Any]:
    return _split("test")


@pytest.fixture(scope="module")
def dev_table() -> dict[str, Any]:
    return _split("dev")


def _stance(table: dict[str, Any], scope: str = "overall") -> float:
    ok, n = table[scope]["stance"]
    assert n > 0, "no sanctions item was found with a gold stance"
    return float(ok) / n


def test_both_splits_hold_every_un_language(
    test_table: dict[str, Any], dev_table: dict[str, Any]
) -> None:
    for table in (test_table, dev_table):
        assert sorted(k for k in table if k != "overall") == UN_LANGUAGES


@pytest.mark.parametrize("label", LABELS)
def test_test_split_meets_the_overall_floor(test_table: dict[str, Any], label: str) -> None:
    p, r, f1 = test_table["overall"][label].prf()
    assert f1 >= TEST_FLOORS[label], f"{label}: P {p:.3f} R {r:.3f} F1 {f1:.3f}"


def test_test_split_stance_accuracy(test_table: dict[str, Any]) -> None:
    assert _stance(test_table) >= TEST_STANCE_FLOOR


@pytest.mark.parametrize("lang", UN_LANGUAGES)
def test_test_split_per_language_floor(test_table: dict[str, Any], lang: str) -> None:
    scored = 0
    for label in LABELS:
        counts = test_table[lang][label]
        if counts.positives >= LANGUAGE_MIN_POSITIVES:
            scored += 1
            f1 = counts.prf()[2]
            assert f1 >= LANGUAGE_FLOOR, f"{lang} {label}: F1 {f1:.3f}"
    assert scored >= 1  # countries have enough positives in every language


@pytest.mark.parametrize("label", LABELS)
def test_dev_split_meets_its_floor(dev_table: dict[str, Any], label: str) -> None:
    p, r, f1 = dev_table["overall"][label].prf()
    assert f1 >= DEV_FLOORS[label], f"{label}: P {p:.3f} R {r:.3f} F1 {f1:.3f}"


def test_dev_split_stance_accuracy(dev_table: dict[str, Any]) -> None:
    assert _stance(dev_table) >= DEV_STANCE_FLOOR


def test_gold_labels_read_both_shapes() -> None:
    corpus_record = {"gold": {"countries": ["CN", "RU"], "bilateral_meeting": ["RU", "CN"],
                              "sanctions_rhetoric": True, "stance": "condemn"}}
    devset_record = {"gold": {"countries": ["CN"], "pairs": [["US", "CN"], ["CN", "RU"]],
                              "sanctions": False, "stance": None}}
    assert evaluate.gold_labels(corpus_record) == (
        {"CN", "RU"}, {("CN", "RU")}, True, "condemn")
    assert evaluate.gold_labels(devset_record) == (
        {"CN"}, {("CN", "US"), ("CN", "RU")}, False, None)
    no_meeting = {"gold": {"countries": [], "bilateral_meeting": None,
                           "sanctions_rhetoric": False, "stance": None}}
    assert evaluate.gold_labels(no_meeting) == (set(), set(), False, None)
