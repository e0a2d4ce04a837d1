"""Quality on published news: the real-text corpus of ../shared/corpus (docs/quality.md).

The corpus lives beside the checkout (``../shared/corpus``, or ``MEDIAWATCH_CORPUS_DIR``)
and the project keeps no copy of its texts. Its dev split is tuned on; its test split
(other sources) is only measured: these floors say what unseen news gets and fail the
build when a change makes it worse. A missing corpus fails the tests, it never skips
them.
"""

import json
import os
from pathlib import Path
from typing import Any

import pytest
from project_scripts import load_script

evaluate = load_script("benchmarks/evaluate.py", "evaluate")

CORPUS = Path(os.environ.get("MEDIAWATCH_CORPUS_DIR") or evaluate.CORPUS)
UN_LANGUAGES = ["ar", "en", "es", "fr", "ru", "zh"]
LABELS = ["countries", "pair", "sanctions"]

#: Overall F1 and stance-accuracy floors per split. On the test split countries, sanctions
#: and stance meet their targets (0.95, 0.93, 0.85), which are their floors; meetings stand
#: under theirs (0.90: docs/quality.md says where) and the floor holds the level reached.
#: The dev split is tuned on: it must stay near where the tuning left it.
FLOORS = {
    "test": {"countries": 0.95, "pair": 0.85, "sanctions": 0.93, "stance": 0.85},
    "dev": {"countries": 0.95, "pair": 0.95, "sanctions": 0.95, "stance": 0.90},
}
#: Every UN language, for every label with at least this many gold positives (test split).
LANGUAGE_FLOOR, LANGUAGE_MIN_POSITIVES = 0.85, 5


@pytest.fixture(scope="module")
def tables() -> dict[str, dict[str, Any]]:
    scored = {}
    for name in FLOORS:
        path = CORPUS / f"{name}.jsonl"
        assert path.is_file(), (
            f"the real-text corpus is missing: {path} (the checkout's ../shared/corpus, "
            "or set MEDIAWATCH_CORPUS_DIR)"
        )
        scored[name] = dict(evaluate.evaluate(path))
    return scored


@pytest.mark.parametrize("split", list(FLOORS))
def test_each_split_holds_every_un_language(
    tables: dict[str, dict[str, Any]], split: str
) -> None:
    assert sorted(k for k in tables[split] if k != "overall") == UN_LANGUAGES


@pytest.mark.parametrize("split", list(FLOORS))
@pytest.mark.parametrize("label", [*LABELS, "stance"])
def test_each_split_meets_its_overall_floor(
    tables: dict[str, dict[str, Any]], split: str, label: str
) -> None:
    overall = tables[split]["overall"]
    if label == "stance":
        ok, n = overall["stance"]
        assert n > 0, "no sanctions item was found with a gold stance"
        assert ok / n >= FLOORS[split]["stance"], f"stance {ok}/{n}"
    else:
        p, r, f1 = overall[label].prf()
        assert f1 >= FLOORS[split][label], f"{label}: P {p:.3f} R {r:.3f} F1 {f1:.3f}"


@pytest.mark.parametrize("lang", UN_LANGUAGES)
def test_test_split_per_language_floor(tables: dict[str, dict[str, Any]], lang: str) -> None:
    scored = 0
    for label in LABELS:
        counts = tables["test"][lang][label]
        if counts.positives >= LANGUAGE_MIN_POSITIVES:
            scored += 1
            f1 = counts.prf()[2]
            assert f1 >= LANGUAGE_FLOOR, f"{lang} {label}: F1 {f1:.3f}"
    assert scored >= 1  # countries have enough positives in every language


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


def test_errors_list_the_tuned_sets_and_never_the_test_split(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = {"lang": "en", "title": "", "text": "The Kenyan president met the Ghanaian "
             "president in Nairobi on Monday.", "gold": {"countries": ["PE"]}}
    devset, corpus = tmp_path / "devset", tmp_path / "corpus"
    devset.mkdir()
    corpus.mkdir()
    for path, name in ((devset / "en.jsonl", "own"), (corpus / "dev.jsonl", "tuned"),
                       (corpus / "test.jsonl", "unseen")):
        path.write_text(json.dumps(wrong | {"id": f"{name}-1"}) + "\n", encoding="utf-8")
    monkeypatch.setattr(evaluate, "DEVSET", devset)
    evaluate.main(["--errors", "--corpus", str(corpus)])
    evaluate.main(["--errors", "--devset", str(corpus / "test.jsonl")])
    out = capsys.readouterr().out
    assert "# own-1: countries" in out and "# tuned-1: countries" in out
    assert "unseen-1" not in out
    assert out.count("the test split's wrong documents are not listed") == 2
