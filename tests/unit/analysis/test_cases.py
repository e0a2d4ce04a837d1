"""Expectation cases per language from tests/unit/analysis/cases/<lang>.jsonl."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from analysis import analyze, document_from_json

CASES_DIR = Path(__file__).with_name("cases")


def _load() -> list[Any]:
    params = []
    for path in sorted(CASES_DIR.glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if line.strip():
                    case = json.loads(line)
                    params.append(pytest.param(case, id=str(case.get("id", f"{path.stem}-{n}"))))
    return params


@pytest.mark.parametrize("case", _load())
def test_case(case: dict[str, Any]) -> None:
    expect = case["expect"]
    result = analyze(document_from_json(case)).to_dict()
    countries = set(result["countries"])
    for code in expect.get("countries_include", []):
        assert code in countries, f"missing country {code}: {sorted(countries)}"
    for code in expect.get("countries_exclude", []):
        assert code not in countries, f"unexpected country {code}"
    pairs = {tuple(e["parties"]): e for e in result["events"]}
    if "pairs" in expect:  # every event of the article, and no other
        assert sorted(pairs) == sorted(tuple(sorted(p)) for p in expect["pairs"]), sorted(pairs)
    if "pair" in expect:
        if expect["pair"] is None:
            assert not pairs, f"unexpected events {sorted(pairs)}"
        else:
            pair = tuple(sorted(expect["pair"]))
            assert pair in pairs, f"pair {pair} not in {sorted(pairs)}"
            if expect.get("modality"):
                assert pairs[pair]["modality"] == expect["modality"]
    sr = result["sanctions_rhetoric"]
    if "sanctions" in expect:
        assert sr["present"] is bool(expect["sanctions"]), sr["evidence"]
    if expect.get("stance") is not None:
        assert sr["stance"] == expect["stance"], sr["evidence"]
    if "stance_not" in expect:  # a cue that is no act of that stance
        assert sr["stance"] != expect["stance_not"], sr["evidence"]


def test_case_ids_are_unique() -> None:
    """An id names one case (test ids, and the tools that compare outputs by id)."""
    ids = [p.id for p in _load()]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
