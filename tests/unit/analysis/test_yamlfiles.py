"""The data files' YAML: YAML 1.2 booleans, and strings only in the analysis data."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from analysis import yamlfiles
from analysis.errors import DataFileError
from analysis.gazetteer import DATA_DIR, _read_yaml, is_country_code


@pytest.mark.parametrize("word", ["NO", "No", "no", "on", "On", "OFF", "yes", "Y", "n"])
def test_yaml_1_1_booleans_are_words(word: str) -> None:
    assert yamlfiles.load(f"{word}: [{word}]") == {word: [word]}


def test_true_and_false_stay_booleans() -> None:
    assert yamlfiles.load("a: true\nb: False\nc: 'true'") == {"a": True, "b": False, "c": "true"}


def test_non_strings_says_where() -> None:
    data = yamlfiles.load("en:\n  same_day: [today, 3, ~]\n  7: x\nzh: {NO: '|'}")
    assert yamlfiles.non_strings(data) == ["en/same_day[1] (3)", "en/same_day[2] (None)",
                                           "en/7 (key 7)"]


def test_a_data_file_with_a_number_is_a_data_file_error(tmp_path: Path) -> None:
    path = tmp_path / "lexicon.yaml"
    path.write_text("en:\n  same_day: [on, today]\n  reach: 24\n")
    with pytest.raises(DataFileError, match=r"lexicon.yaml: only strings .*en/reach \(24\)"):
        _read_yaml(path)


def test_every_country_term_is_filed_under_a_country_code() -> None:
    terms = _read_yaml(DATA_DIR / "country_terms.yaml")
    wrong = [(lang, code) for lang, codes in terms.items() if isinstance(codes, dict)
             for code in codes if not is_country_code(code)]
    assert wrong == []
    assert "NO" in terms["zh"]  # Oslo, 奥斯陆


def test_a_key_written_twice_is_an_error_that_names_its_lines(tmp_path: Path) -> None:
    path = tmp_path / "country_terms.yaml"
    path.write_text("fr:\n  FR: 'France'\n  DE: 'Allemagne'\n  FR: 'Hexagone'\n")
    with pytest.raises(DataFileError, match=r"duplicate key 'FR' \(first on line 2\)"):
        _read_yaml(path)


def test_keys_a_merge_brings_may_be_overridden() -> None:
    text = "base: &b {k: v, j: w}\nm:\n  <<: *b\n  k: other\n"
    assert yamlfiles.load(text)["m"] == {"k": "other", "j": "w"}


def test_a_key_written_twice_on_one_line_is_found() -> None:
    with pytest.raises(yaml.YAMLError, match=r"duplicate key 'url' \(first on line 2\)"):
        yamlfiles.load("feeds:\n  - {id: a, url: x, url: y}\n")
