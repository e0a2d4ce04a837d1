"""The compiled MinHash values (analysis._minhash) are NumPy's, bit for bit.

analysis.dedup computes a signature's MinHash values with the compiled extension when the
install built it and with NumPy otherwise; signatures travel between workers through the
replicated index, so a worker with the extension and one without must agree on every
bit. The texts here are random or written for these tests.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis import dedup
from analysis.dedup import (
    MINHASH_IMPLEMENTATION,
    DedupConfig,
    _minhashes_compiled,
    _minhashes_numpy,
    _permutation_bytes,
    fingerprint,
)


def test_the_install_built_the_extension() -> None:
    """`make install` compiles it (setup.py); a machine without a C compiler gets the
    NumPy path, and this test says so instead of the others passing vacuously."""
    assert MINHASH_IMPLEMENTATION == "compiled"


@given(st.lists(st.binary(max_size=12), max_size=60),
       st.lists(st.integers(0, 0x10FFFF), max_size=60),
       st.lists(st.tuples(st.integers(0, 70), st.integers(0, 70)), min_size=1, max_size=4),
       st.sampled_from([4, 16, 64, 300]))
def test_prefix_minhashes_equal_numpy(words: list[bytes], chars: list[int],
                                      prefixes: list[tuple[int, int]], num_perm: int) -> None:
    """Any words (the empty word too), characters and prefixes, shorter than a shingle or
    not, in any order, repeated; more permutations than the default."""
    code_points = np.array(chars, dtype=np.uint64)
    prefixes = [(min(w, len(words)), min(c, len(chars))) for w, c in prefixes]
    expected = _minhashes_numpy(words, code_points, prefixes, num_perm)
    assert _minhashes_compiled(words, code_points, prefixes, num_perm) == expected


def test_a_prefix_longer_than_the_units_is_the_whole_sequence() -> None:
    words = [b"alpha", b"beta", b"gamma", b"delta"]
    chars = np.array([0x4E2D, 0x6587, 0x5B57, 0x7B26, 0x4E32], dtype=np.uint64)
    whole = _minhashes_compiled(words, chars, [(4, 5)], 64)
    assert _minhashes_compiled(words, chars, [(40, 50)], 64) == whole
    assert whole == _minhashes_numpy(words, chars, [(4, 5)], 64)


def _article(rng: random.Random) -> dict[str, str]:
    vocab = {
        "latin": ("port", "union", "strike", "minister", "talks", "sanctions", "harbour",
                  "night", "shift", "pay", "exporters", "fruit", "copper", "ships"),
        "cyrillic": ("мост", "движение", "мэрия", "город", "берег", "машины", "министр"),
        "arabic": ("وزير", "الثقافة", "معرض", "الكتاب", "مدينة", "دار", "نشر", "الدورة"),
        "han": tuple("长江大桥维修工程完成明日恢复通车经过三个月的桥面和护栏已经全部"),
    }
    script = rng.choice(list(vocab))
    sep = "" if script == "han" else " "
    words = vocab[script]
    title = sep.join(rng.choice(words) for _ in range(rng.randint(0, 12)))
    text = "\n".join(sep.join(rng.choice(words) for _ in range(rng.randint(1, 90)))
                     for _ in range(rng.randint(0, 5)))
    return {"id": f"a-{rng.random()}", "title": title, "text": text}


@pytest.mark.parametrize("config", [DedupConfig(), DedupConfig(0.5, 16, 5)],
                         ids=["default", "small"])
def test_signatures_equal_with_and_without_the_extension(
        config: DedupConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(20261204)
    docs = [_article(rng) for _ in range(300)]
    compiled = [fingerprint(doc, config) for doc in docs]
    monkeypatch.setattr(dedup, "_minhashes", _minhashes_numpy)
    assert [fingerprint(doc, config) for doc in docs] == compiled
    assert sum(1 for sig in compiled if sig.bands) > 250  # texts with shingles


def test_bad_arguments_are_errors_not_crashes() -> None:
    a, b = _permutation_bytes(16)
    no_chars = np.empty(0, dtype=np.uint64)
    grams = ((3, 0x57), (4, 0x43))
    with pytest.raises(TypeError):
        dedup._minhash.sketch(["word"], no_chars, [(1, 0)], a, b, *grams)
    with pytest.raises(ValueError):
        dedup._minhash.sketch([b"w"], no_chars, [(1, 0)], a, b[:-4], *grams)
    with pytest.raises(ValueError):
        dedup._minhash.sketch([b"w"], no_chars, [], a, b, *grams)
    with pytest.raises(ValueError):
        dedup._minhash.sketch([b"w"], no_chars, [(1, 0)], a, b, (9, 1), (4, 0x43))
    with pytest.raises(ValueError):
        dedup._minhash.sketch([b"w"], b"\0" * 7, [(1, 0)], a, b, *grams)
