"""Deduplication and story clustering: exact and near-duplicate checks over a bounded index.

An article is reduced to a :class:`Signature` by :func:`fingerprint`:

* exact keys — the canonical-URL id, the feed GUID key and the content hash of the
  cleaned, normalised title and text (:mod:`analysis.fingerprints`);
* near-duplicate keys — LSH band hashes of a MinHash (datasketch, ``affine32`` scheme)
  over the shingles of the normalised text: word 3-grams for space-delimited scripts,
  character 4-grams for Han/kana runs. Two band sets are kept: one over the whole text
  (copies with other boilerplate, reordered paragraphs) and one over the *lead*: the
  first 16 and the first 32 words (CJK: 32 and 64 characters) of the body once a
  dateline is removed, so that a summary truncated anywhere after 16 words lands in
  the story of its full text (its Jaccard similarity with the whole text is low).
  Band hashes are salted with the dominant script and the MinHash parameters: texts
  in different scripts, or signatures computed with other parameters, never share a key.
  The MinHash values are those of datasketch's ``MinHash.update_batch`` (seed 1), bit
  for bit: the whole text and both leads are prefixes of one unit sequence (title, then
  body), whose shingles are hashed and permuted once — by the compiled
  ``analysis._minhash`` when the install built it, else with NumPy (:class:`_Sketches`),
  to the same bits (:data:`MINHASH_IMPLEMENTATION` says which).

:class:`StoryIndex` holds the keys of the articles seen within a time window in
numpy arrays, grouped in time-bucketed generations that are dropped whole when they
leave the window. Each generation keeps sorted runs of ``(64-bit key, int32 story ref)``
merged LSM-style, a buffer of its last (at most 4,096) inserted keys, sorted into a run
when full — the only per-entry Python objects: a dict from key to story ref answers
lookups there —, and a story table (story id packed into 10 bytes, first and last
seen).

Replication and races (for the stream agent)::

    sig = fingerprint(doc); verdict, merge = index.observe(sig, now)   # check + add
    story = merge.winner if merge else verdict.story_id   # the article's own id when new
    publish IndexRecord(sig, story, first_seen) to the replicated signatures topic
    every worker: index.add(record.signature, record.story_id, now, record.first_seen)

``add`` is idempotent (an article whose URL key, or id key without a URL, is already
held under the same story changes nothing). When a record's keys match a *different*
story than the record's own — two copies seen at once on two workers — the older story
wins (earliest first-seen, tie → smaller id), whatever order the records arrive in;
``add`` returns ``StoryMerge(loser, winner)`` and the index resolves the loser to the
winner from then on.

Errors: :class:`analysis.errors.InvalidDocumentError` for a document or a serialised
signature that cannot be read; any text yields a signature.
"""

from __future__ import annotations

import hashlib
import math
import re
import struct
import sys
import time
import zlib
from array import array
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from .errors import InvalidDocumentError
from .fingerprints import (  # the byte tables of word splitting are shared
    _ASCII_BYTES,
    _NON_ASCII_NON_WORD,
    _UTF8_WORDS,
    content_hash,
    guid_key,
    url_id,
)
from .jsonlines import error_line, iso_datetime, json_objects
from .normalization import normalize_token
from .text import MAX_RAW_CHARS, CleanFields, clean_fields

try:
    from . import _minhash
except ImportError:  # built without a C compiler: NumPy computes the same values
    _minhash = None  # type: ignore[assignment]

#: Which code computes the MinHash values: "compiled" (analysis._minhash) or "numpy".
MINHASH_IMPLEMENTATION = "numpy" if _minhash is None else "compiled"

__all__ = [
    "DEFAULT_CONFIG",
    "DedupConfig",
    "IndexRecord",
    "Kind",
    "Signature",
    "StoryIndex",
    "StoryMerge",
    "Verdict",
    "dedup_lines",
    "fingerprint",
]

Kind = Literal["new", "url", "guid", "content", "near"]
U64 = npt.NDArray[np.uint64]
U32 = npt.NDArray[np.uint32]
I32 = npt.NDArray[np.int32]
F64 = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class DedupConfig:
    """Parameters shared by every worker; signatures from other parameters never match."""

    threshold: float = 0.8
    """Jaccard similarity from which two texts are one story (LSH S-curve midpoint)."""
    num_perm: int = 64
    """MinHash permutations (measured: 64 keeps recall at 0.9 Jaccard ≈ 0.99)."""
    lead_words: int = 32
    """Words (CJK: twice as many characters) of the body that form the lead; band
    hashes are kept for the lead and for its first half."""
    window_seconds: float = 7 * 86400.0
    """Articles older than this are forgotten; an expired story is new again."""
    generations: int = 7
    """Time buckets per window; a bucket is dropped whole once it is out of the window."""

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold < 1.0:
            raise ValueError("threshold must be in (0, 1)")
        if self.num_perm < 4 or self.lead_words < 4:
            raise ValueError("num_perm and lead_words must be at least 4")
        if self.window_seconds <= 0 or self.generations < 1:
            raise ValueError("window_seconds and generations must be positive")

    @property
    def bucket_seconds(self) -> float:
        return self.window_seconds / self.generations


DEFAULT_CONFIG = DedupConfig()


@cache
def _band_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """The LSH bands ``b`` and rows per band ``r`` (``b * r <= num_perm``) that minimise
    the weighted probabilities of a false candidate below ``threshold`` and of a missed
    one above it: datasketch's ``MinHashLSH`` choice with weights (0.2, 0.8) — missing a
    copy shows an analyst the story twice. Both probabilities are integrals of
    polynomials of degree ``b * r``, which 64-point Gauss-Legendre quadrature computes
    exactly (to rounding)."""
    nodes, weights = np.polynomial.legendre.leggauss(64)

    def unbanded(s: F64, b: int, r: int) -> F64:  # P(no band of s agrees) at Jaccard s
        values: F64 = (1 - s**r) ** b
        return values

    def integral(b: int, r: int, lo: float, hi: float) -> float:
        x = (hi - lo) / 2 * nodes + (hi + lo) / 2
        return float((hi - lo) / 2 * np.dot(weights, unbanded(x, b, r)))

    best, chosen = math.inf, (0, 0)
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            false_pos = threshold - integral(b, r, 0.0, threshold)
            false_neg = integral(b, r, threshold, 1.0)
            error = 0.2 * false_pos + 0.8 * false_neg
            if error < best:
                best, chosen = error, (b, r)
    if chosen[0] < 2:
        raise ValueError("The number of bands are too small (b < 2)")
    return chosen


@cache
def _permutations(num_perm: int) -> tuple[U32, U32]:
    """The ``affine32`` permutation parameters of datasketch's ``MinHash`` for seed 1,
    ``a`` (odd) and ``b``, as columns: the same draws from NumPy's legacy Mersenne
    Twister."""
    gen = np.random.RandomState(1)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return (np.ascontiguousarray(a)[:, np.newaxis], np.ascontiguousarray(b)[:, np.newaxis])


# ---------------------------------------------------------------- shingles
_CJK_RANGES = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK = re.compile(rf"[{_CJK_RANGES}]")
#: In a text with Han or kana, its units are the Han and kana word characters, each on
#: its own, and the runs of other word characters (its words).
_CJK_UNIT = re.compile(rf"(?=\w)[{_CJK_RANGES}]|[^\W{_CJK_RANGES}]+")
_CJK_CHAR = re.compile(rf"(?=\w)[{_CJK_RANGES}]")
_NON_CJK_WORD = re.compile(rf"[^\W{_CJK_RANGES}]+")
_SCRIPTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("latin", re.compile(r"[a-zA-Z\u00c0-\u024f]")),
    ("cyrillic", re.compile(r"[\u0400-\u04ff]")),
    ("arabic", re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")),
    ("han", _CJK),
    ("greek", re.compile(r"[\u0370-\u03ff]")),
    ("hebrew", re.compile(r"[\u0590-\u05ff]")),
    ("devanagari", re.compile(r"[\u0900-\u097f]")),
    ("hangul", re.compile(r"[\uac00-\ud7af\u1100-\u11ff]")),
    ("thai", re.compile(r"[\u0e00-\u0e7f]")),
)
#: A leading dateline: "MOSCOW, March 3 (Reuters) - ", "PARIS (AFP) — ", "موسكو (رويترز) -",
#: "МОСКВА, 3 марта /ТАСС/. ", "新华社北京3月3日电(记者 王林)".
_DATELINE = re.compile(
    r"^(?:[^\n.!?。]{2,60}?(?:\([^()\n]{1,30}\)|/[^/\n]{1,20}/)?\s*[-—–]{1,2}\s+"
    r"|[^\n。]{0,20}?电(?:\([^()\n]{0,20}\))?)"
)
_K = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
               0xD6E8FEB86659FD93, 0xFF51AFD7ED558CCD], dtype=np.uint64)
_WORD_GRAMS = (3, 0x57)  # shingle length, salt
_CHAR_GRAMS = (4, 0x43)


@cache
def _script_table() -> npt.NDArray[np.uint8]:
    """UTF-16 code unit → 1 + index in _SCRIPTS of the first script it belongs to, 0 for
    none. Every script here lies in the Basic Multilingual Plane: the surrogates of the
    other planes' characters belong to none."""
    table = np.zeros(0x10000, dtype=np.uint8)
    plane = "".join(map(chr, range(0x10000)))
    for i, (_name, pattern) in enumerate(_SCRIPTS):
        found = np.array([m.start() for m in pattern.finditer(plane)], dtype=np.intp)
        found = found[table[found] == 0]
        table[found] = i + 1
    return table


#: Every Latin-1 character but the letters of the Latin script (of the scripts, the only
#: one with Latin-1 characters): the ASCII letters and U+00C0–U+00FF.
_NOT_LATIN1_LETTERS = bytes(c for c in range(256)
                            if not (0x41 <= c <= 0x5A or 0x61 <= c <= 0x7A or c >= 0xC0))


def _script(text: str) -> str:
    """The script most characters of the text's first 4,000 are written in (a tie goes to
    the first in _SCRIPTS; "other" when none is)."""
    head = text[:4000]
    if head.isascii():  # of the scripts, only Latin has ASCII letters
        return _SCRIPTS[0][0] if _SCRIPTS[0][1].search(head) else "other"
    try:
        latin1 = head.encode("latin-1")
    except UnicodeEncodeError:
        units = np.frombuffer(head.encode("utf-16-le", "surrogatepass"), dtype="<u2")
        counts = np.bincount(_script_table().take(units), minlength=len(_SCRIPTS) + 1)[1:]
        best = int(np.argmax(counts))
        return _SCRIPTS[best][0] if counts[best] > 0 else "other"
    return _SCRIPTS[0][0] if latin1.translate(None, _NOT_LATIN1_LETTERS) else "other"


#: Every byte but the first bytes of the UTF-8 forms of U+3000–U+9FFF and U+F000–U+FFFF:
#: a text without any of them holds no Han or kana character.
_NOT_CJK_LEAD = bytes(c for c in range(256) if not (0xE3 <= c <= 0xE9 or c == 0xEF))
_NO_CHARS: U64 = np.empty(0, dtype=np.uint64)
_NO_CHARS.flags.writeable = False
#: Kinds of UTF-16 code units (_unit_kinds).
_NON_WORD, _WORD_CHAR, _CJK_WORD_CHAR = range(3)


@cache
def _cjk_table() -> npt.NDArray[np.bool_]:
    """UTF-16 code unit → whether it is a Han or kana word character (all of them lie in
    the Basic Multilingual Plane; surrogates are not)."""
    table: npt.NDArray[np.bool_] = _unit_kinds() == _CJK_WORD_CHAR
    return table


@cache
def _unit_kinds() -> npt.NDArray[np.uint8]:
    """UTF-16 code unit → _CJK_WORD_CHAR for a Han or kana word character, _WORD_CHAR
    for another word character, _NON_WORD for the rest (surrogates among them: the
    table is for texts of the Basic Multilingual Plane)."""
    plane = "".join(map(chr, range(0x10000)))
    table = np.full(0x10000, _NON_WORD, dtype=np.uint8)
    table[[m.start() for m in re.finditer(r"\w", plane)]] = _WORD_CHAR
    table[[m.start() for m in _CJK_CHAR.finditer(plane)]] = _CJK_WORD_CHAR
    return table


@dataclass(frozen=True, slots=True, eq=False)
class _Units:
    """The units of a normalised text: its words (UTF-8) and, apart, the code points of
    its Han and kana characters (those scripts have no spaces: each character is a unit),
    in text order."""

    text: str
    words: list[bytes]
    chars: U64
    kinds: npt.NDArray[np.uint8] | None = None
    """The _unit_kinds of the text's UTF-16 code units, when that is its UTF-16 form
    (no character of another plane) and it has a Han or kana character."""

    def __len__(self) -> int:
        return len(self.words) + len(self.chars)

    def split(self, *ns: int) -> list[tuple[int, int]]:
        """For each ``n``, how many words and how many characters the first ``n`` units
        hold."""
        if not len(self.chars):
            return [(min(n, len(self.words)), 0) for n in ns]
        # The units that begin before ``end`` (the last one may be cut short, its kind
        # is the same), until there are enough.
        most = max(ns)
        end = 4 * most + 16
        if self.kinds is not None:
            while True:
                kinds = self.kinds[:end]
                is_cjk = kinds == _CJK_WORD_CHAR
                starts = kinds == _WORD_CHAR  # the first character of each word
                starts[1:] &= kinds[:-1] != _WORD_CHAR
                is_char = is_cjk[starts | is_cjk]  # per unit in text order
                if len(is_char) >= most or end >= len(self.kinds):
                    break
                end *= 2
            counts = []
            for n in ns:
                chars = int(np.count_nonzero(is_char[:n]))
                counts.append((min(n, len(is_char)) - chars, chars))
            return counts
        units = _CJK_UNIT.findall(self.text, 0, end)
        while len(units) < most and end < len(self.text):
            end *= 2
            units = _CJK_UNIT.findall(self.text, 0, end)
        counts = []
        for n in ns:
            head = units[:n]
            chars = len(_CJK.findall("".join(head)))  # a Han or kana unit is one character
            counts.append((len(head) - chars, chars))
        return counts


def _units(text: str) -> _Units:
    """The words (runs of word characters) of a normalised text; a token with Han or kana
    characters is split into those characters and the runs of other characters between
    them."""
    # Once its other characters that are not word characters are spaces, the words of a
    # text are the runs of its UTF-8 bytes between ASCII non-word characters.
    if text.isascii():
        return _Units(text, text.encode().translate(_UTF8_WORDS).split(), _NO_CHARS)
    if 8 * text.count(" ") >= len(text):  # words between spaces: likely no Han or kana
        try:
            raw = text.encode()
        except UnicodeEncodeError:  # lone surrogates
            return _units_by_regex(text)
        high = raw.translate(None, _ASCII_BYTES)  # the UTF-8 of its non-ASCII characters
        if not high.translate(None, _NOT_CJK_LEAD):  # no Han or kana character
            # A non-ASCII character is a word character exactly when it is alphanumeric
            # (the underscore is ASCII): most texts need no regular expression.
            if not high.decode().isalnum():
                raw = _NON_ASCII_NON_WORD.sub(" ", text).encode()
            return _Units(text, raw.translate(_UTF8_WORDS).split(), _NO_CHARS)
    # Any other text of the Basic Multilingual Plane, by a table of its UTF-16 code units.
    if len(text) < 64:  # too short a text to gain
        return _units_by_regex(text)
    try:
        utf16 = text.encode("utf-16-le")
    except UnicodeEncodeError:  # lone surrogates
        return _units_by_regex(text)
    if len(utf16) != 2 * len(text):  # characters of other planes: surrogate pairs
        return _units_by_regex(text)
    code_units = np.frombuffer(utf16, dtype="<u2")
    kinds = _unit_kinds().take(code_units)
    chars = code_units[kinds == _CJK_WORD_CHAR].astype(np.uint64)
    # The words: the text with every other character a space, split.
    plain = np.where(kinds == _WORD_CHAR, code_units, np.uint16(0x20)).astype("<u2", copy=False)
    words = plain.tobytes().decode("utf-16-le").encode().split()
    if not len(chars):
        return _Units(text, words, _NO_CHARS)
    return _Units(text, words, chars, kinds)


def _units_by_regex(text: str) -> _Units:
    """``_units`` of any text (lone surrogates, characters of other planes)."""
    if not _CJK.search(text):
        plain = _NON_ASCII_NON_WORD.sub(" ", text)
        return _Units(text, plain.encode().translate(_UTF8_WORDS).split(), _NO_CHARS)
    words = list(map(str.encode, _NON_CJK_WORD.findall(text)))
    code_units = np.frombuffer(text.encode("utf-16-le", "surrogatepass"), dtype="<u2")
    return _Units(text, words, code_units[_cjk_table()[code_units]].astype(np.uint64))


def _grams(values: U64, k: int, salt: int) -> U32:
    """32-bit hashes of the ``k``-grams of at least ``k`` values."""
    n = len(values) - k + 1
    h = values[:n] ^ np.uint64(salt)
    h *= _K[0]
    for i in range(1, k):
        h ^= values[i:i + n]
        h *= _K[i]
    h ^= h >> np.uint64(31)
    return h.astype(np.uint32)  # the low 32 bits


_K_INTS = tuple(int(k) for k in _K)
_MASK64 = (1 << 64) - 1


def _padded_gram(values: U64, k: int, salt: int) -> int:
    """The hash of the one ``k``-gram of fewer than ``k`` values padded with zeros, as
    ``_grams`` computes it, in Python integers."""
    h = salt
    for i in range(k):
        h = ((h ^ (int(values[i]) if i < len(values) else 0)) * _K_INTS[i]) & _MASK64
    return (h ^ (h >> 31)) & 0xFFFFFFFF


def _fmix32(h: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint32]:
    """MurmurHash3's 32-bit finalizer, in place."""
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    return h


def _permuted(shingles: npt.NDArray[np.uint32] | U64, num_perm: int) -> U32:
    """Each 32-bit shingle hash under each MinHash permutation, a row per permutation and
    a column per shingle: the arithmetic of datasketch's ``affine32``
    ``MinHash.update_batch`` (MurmurHash3 finalizer, then ``a * h + b`` mod 2**32), whose
    hash values are the row minima."""
    return _permuted_hashes(_fmix32(shingles.astype(np.uint32)), num_perm)


def _permuted_hashes(hashes: U32, num_perm: int) -> U32:
    """``_permuted`` of shingle hashes already finalized (``_fmix32``)."""
    a, b = _permutations(num_perm)
    table: U32 = a * hashes
    table += b
    return table


class _Sketches:
    """MinHash values of the shingles of a unit sequence and of its prefixes: 32-bit
    hashes of word 3-grams (over its words) and character 4-grams (over its Han and kana
    characters, in order, across punctuation). A prefix's shingles are a prefix of the
    sequence's word shingles and of its character shingles, but for the zero padding of
    fewer units than a shingle: the sequence's shingles are hashed once."""

    def __init__(self, words: Iterable[bytes], n_words: int, chars: U64,
                 num_perm: int) -> None:
        self.num_perm = num_perm
        self.words: U64 = np.fromiter(map(zlib.crc32, words), dtype=np.uint64,
                                      count=n_words)
        self.chars = chars
        self.hashes = (self._hashes(self.words, *_WORD_GRAMS),
                       self._hashes(chars, *_CHAR_GRAMS))

    @staticmethod
    def _hashes(units: U64, k: int, salt: int) -> U32:
        """The finalized hashes of the shingles of ``k`` units (zero-padded ones apart)."""
        if len(units) < k:
            return np.empty(0, dtype=np.uint32)
        return _fmix32(_grams(units, k, salt))

    def _minima(self, units: U64, hashes: U32, grams: tuple[int, int],
                ns: list[int]) -> list[U32 | None]:
        """Per ``n`` of ``ns``, per permutation, the least hash of the shingles of the
        first ``n`` units (None for none)."""
        k, salt = grams
        if not len(units):
            return [None] * len(ns)
        found: dict[int, U32 | None] = {0: None}
        for n in set(ns):
            if 0 < n < k:  # zero-padded: not a prefix of the sequence's shingles
                padded = np.array([_padded_gram(units[:n], k, salt)], dtype=np.uint32)
                found[n] = _permuted_hashes(_fmix32(padded), self.num_perm)[:, 0]
        ends = sorted({n - k + 1 for n in ns if n >= k})  # shingles per prefix
        if ends:
            # the minima of the shingles between one prefix's end and the next, then
            # the running minima of those
            table = _permuted_hashes(hashes[:ends[-1]], self.num_perm)
            parts = np.minimum.reduceat(table, [0, *ends[:-1]], axis=1)
            least = np.minimum.accumulate(parts, axis=1)
            for n in ns:
                if n >= k:
                    found[n] = least[:, ends.index(n - k + 1)]
        return [found[n] for n in ns]

    def minhashes(self, prefixes: list[tuple[int, int]]) -> list[U32 | None]:
        """MinHash values of the first ``n_words`` words and ``n_chars`` characters per
        ``(n_words, n_chars)``; None without any shingle."""
        words = self._minima(self.words, self.hashes[0], _WORD_GRAMS, [w for w, _ in prefixes])
        chars = self._minima(self.chars, self.hashes[1], _CHAR_GRAMS, [c for _, c in prefixes])
        values: list[U32 | None] = []
        for w, c in zip(words, chars, strict=True):
            if w is None or c is None:
                values.append(c if w is None else w)
            else:
                values.append(np.minimum(w, c))
        return values


@cache
def _permutation_bytes(num_perm: int) -> tuple[bytes, bytes]:
    """``_permutations`` as native uint32 bytes, for ``analysis._minhash``."""
    a, b = _permutations(num_perm)
    return a.tobytes(), b.tobytes()


def _minhashes_numpy(words: list[bytes], chars: U64, prefixes: list[tuple[int, int]],
                     num_perm: int) -> list[bytes | None]:
    """MinHash values (``num_perm`` little-endian uint32) of the first ``n_words`` words
    and ``n_chars`` characters per ``(n_words, n_chars)``; None without any shingle."""
    sketches = _Sketches(words, len(words), chars, num_perm)
    return [None if values is None else values.astype("<u4", copy=False).tobytes()
            for values in sketches.minhashes(prefixes)]


def _minhashes_compiled(words: list[bytes], chars: U64, prefixes: list[tuple[int, int]],
                        num_perm: int) -> list[bytes | None]:
    """``_minhashes_numpy`` by ``analysis._minhash`` (which must be built)."""
    assert _minhash is not None
    result: list[bytes | None] = _minhash.sketch(
        words, chars, prefixes, *_permutation_bytes(num_perm), _WORD_GRAMS, _CHAR_GRAMS)
    return result


_minhashes = _minhashes_numpy if _minhash is None else _minhashes_compiled


@cache
def _band_hashers(salt: bytes, count: int) -> tuple[hashlib.blake2b, ...]:
    """Unused blake2b states, one per band, to be copied (the personalisation of band
    ``i`` is ``salt`` and the byte ``i``)."""
    return tuple(hashlib.blake2b(digest_size=8, person=salt + bytes((i,)))
                 for i in range(count))


def _bands(raw: bytes | None, salt: bytes, count: int, r: int) -> tuple[int, ...]:
    """Hashes of the first ``count`` bands of ``r`` MinHash values (little-endian
    uint32)."""
    if raw is None:
        return ()
    width = 4 * r
    digests = []
    for i, hasher in enumerate(_band_hashers(salt, count)):
        h = hasher.copy()
        h.update(raw[i * width:(i + 1) * width])
        digests.append(h.digest())
    return struct.unpack(f"<{count}Q", b"".join(digests))


# ---------------------------------------------------------------- signature
@dataclass(frozen=True, slots=True)
class Signature:
    """What the index needs to know of an article; serialisable to bytes and JSON."""

    id: str
    url_id: str | None
    guid_key: str | None
    content_hash: str | None
    script: str
    bands: tuple[int, ...]
    lead_bands: tuple[int, ...]

    _VERSION = 1

    def to_bytes(self) -> bytes:
        """Compact binary form (about 200 bytes with the default parameters)."""
        parts = [bytes((self._VERSION,))]
        for text in (self.id, self.url_id or "", self.guid_key or "",
                     self.content_hash or "", self.script):
            raw = text.encode("utf-8")
            parts.append(struct.pack("<H", len(raw)) + raw)
        parts.append(struct.pack("<BB", len(self.bands), len(self.lead_bands)))
        parts.append(struct.pack(f"<{len(self.bands) + len(self.lead_bands)}Q",
                                 *self.bands, *self.lead_bands))
        return b"".join(parts)

    @classmethod
    def from_bytes(cls, data: bytes) -> Signature:
        try:
            if not data or data[0] != cls._VERSION:
                raise ValueError("unknown signature version")
            pos = 1
            texts: list[str] = []
            for _ in range(5):
                (n,) = struct.unpack_from("<H", data, pos)
                texts.append(data[pos + 2:pos + 2 + n].decode("utf-8"))
                if len(data) < pos + 2 + n:
                    raise ValueError("truncated")
                pos += 2 + n
            nb, nl = struct.unpack_from("<BB", data, pos)
            pos += 2
            values = struct.unpack_from(f"<{nb + nl}Q", data, pos)
            if pos + 8 * (nb + nl) != len(data):
                raise ValueError("trailing bytes")
        except (ValueError, struct.error, UnicodeDecodeError) as exc:
            raise InvalidDocumentError(f"not a serialised signature: {exc}") from None
        return cls(texts[0], texts[1] or None, texts[2] or None, texts[3] or None, texts[4],
                   tuple(values[:nb]), tuple(values[nb:]))

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form; band hashes as 16-hex-digit strings."""
        return {"id": self.id, "url_id": self.url_id, "guid_key": self.guid_key,
                "content_hash": self.content_hash, "script": self.script,
                "bands": [f"{v:016x}" for v in self.bands],
                "lead_bands": [f"{v:016x}" for v in self.lead_bands]}

    @classmethod
    def from_dict(cls, obj: Mapping[str, Any]) -> Signature:
        try:
            def opt(name: str) -> str | None:
                value = obj.get(name)
                if value is not None and not isinstance(value, str):
                    raise TypeError(name)
                return value

            return cls(str(obj["id"]), opt("url_id"), opt("guid_key"), opt("content_hash"),
                       str(obj["script"]), tuple(int(v, 16) for v in obj["bands"]),
                       tuple(int(v, 16) for v in obj["lead_bands"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidDocumentError(f"not a signature object: {exc!r}") from None


def _field(doc: Mapping[str, Any], name: str) -> str | None:
    value = doc.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and name == "id":
        return str(value)
    if not isinstance(value, str):
        raise InvalidDocumentError(f"field {name!r} must be a string")
    return value


def fingerprint(doc: Mapping[str, Any], config: DedupConfig = DEFAULT_CONFIG, *,
                url_key: str | None = None, cleaned: CleanFields | None = None) -> Signature:
    """Signature of ``{id, url?, guid?, feed_id?, title, text}``; raises
    InvalidDocumentError when a field has the wrong type. Any text is accepted.
    ``url_key``: the ``url_id`` of the document's URL when the caller has it (an
    articles.raw key is one), so that the URL is not made canonical again; ``cleaned``:
    ``clean_fields`` of its title and text, likewise."""
    if not isinstance(doc, Mapping):
        raise InvalidDocumentError("document is not a mapping")
    doc_id = _field(doc, "id")
    if doc_id is None:
        raise InvalidDocumentError("document has no id")
    url = _field(doc, "url")
    guid = _field(doc, "guid")
    feed_id = _field(doc, "feed_id") or ""
    title = (_field(doc, "title") or "")[:MAX_RAW_CHARS]
    text = (_field(doc, "text") or "")[:MAX_RAW_CHARS]

    if cleaned is None:
        cleaned = clean_fields(title, text)
    elif not isinstance(cleaned, CleanFields):
        raise InvalidDocumentError("fingerprint(): cleaned must be analysis.text.CleanFields")
    title_clean, body_clean = cleaned
    body_lead = _DATELINE.sub("", body_clean, count=1) if body_clean else ""
    title_units = _units(normalize_token(title_clean))
    body_units = _units(normalize_token(body_lead))
    script = _script(f"{title_clean}\n{body_clean}")
    cjk = script == "han"
    lead_len = config.lead_words * (2 if cjk else 1)
    b, r = _band_params(config.threshold, config.num_perm)
    salt = f"{script[:8]}|{config.num_perm}|{b}x{r}".encode()[:14]
    # The units are the title's then the body's; every MinHash is over a prefix of them:
    # the whole sequence and two prefixes of the body, each behind the title. A summary
    # cut anywhere after half the lead, under the same headline, shares one of them
    # whole with its full text (Jaccard 1). The title keeps templated openings of
    # different stories apart. Without a body, the prefixes are the title's.
    chars = (np.concatenate([title_units.chars, body_units.chars])
             if len(title_units.chars) or len(body_units.chars) else _NO_CHARS)
    if len(body_units):
        title_words, title_chars = len(title_units.words), len(title_units.chars)
        prefixes = [(title_words + n_words, title_chars + n_chars)
                    for n_words, n_chars in body_units.split(lead_len // 2, lead_len)]
    else:
        prefixes = title_units.split(lead_len // 2, lead_len)
    words = title_units.words + body_units.words
    whole, half, lead_all = _minhashes(words, chars, [(len(words), len(chars)), *prefixes],
                                       config.num_perm)
    bands = _bands(whole, salt + b"F", b, r)
    lead_b = max(2, b // 2)
    lead = _bands(half, salt + b"H", lead_b, r) + _bands(lead_all, salt + b"L", lead_b, r)
    return Signature(
        id=doc_id,
        url_id=(url_key or url_id(url)) if url else None,
        guid_key=guid_key(feed_id, guid) if guid else None,
        content_hash=content_hash(title_clean, body_clean, cleaned=True),
        script=script,
        bands=bands,
        lead_bands=lead,
    )


# ---------------------------------------------------------------- index
@dataclass(frozen=True, slots=True)
class Verdict:
    """Outcome of :meth:`StoryIndex.check`; ``duplicate_of`` is None for a new story."""

    kind: Kind
    story_id: str
    duplicate_of: str | None


@dataclass(frozen=True, slots=True)
class StoryMerge:
    """Two stories found to be one: ``loser`` resolves to ``winner`` from now on."""

    loser: str
    winner: str


@dataclass(frozen=True, slots=True)
class IndexRecord:
    """One entry of the replicated signatures topic."""

    signature: Signature
    story_id: str
    first_seen: float

    def to_bytes(self) -> bytes:
        sid = self.story_id.encode("utf-8")
        return (struct.pack("<dH", self.first_seen, len(sid)) + sid
                + self.signature.to_bytes())

    @classmethod
    def from_bytes(cls, data: bytes) -> IndexRecord:
        try:
            first_seen, n = struct.unpack_from("<dH", data, 0)
            story = data[10:10 + n].decode("utf-8")
            if len(data) < 10 + n or not math.isfinite(first_seen):
                raise ValueError("truncated")
        except (ValueError, struct.error, UnicodeDecodeError) as exc:
            raise InvalidDocumentError(f"not an index record: {exc}") from None
        return cls(Signature.from_bytes(data[10 + n:]), story, first_seen)


_KIND_RANK = {"url": 0, "guid": 1, "content": 2, "id": 0}
_HEX20 = re.compile(r"[0-9a-f]{20}")


@cache
def _key_hasher(tag: bytes) -> hashlib.blake2b:
    """An unused blake2b state personalised with ``tag``, to be copied."""
    return hashlib.blake2b(digest_size=8, person=tag)


def _key(tag: bytes, value: str) -> int:
    h = _key_hasher(tag).copy()
    h.update(value.encode("utf-8"))
    return int.from_bytes(h.digest(), "little")


#: A signature's index keys as an array and as a list, and the kind each one stands for.
_Keyed = tuple[U64, list[str], list[int]]


def _keys(sig: Signature) -> _Keyed:
    """Index keys of a signature and the kind each one stands for."""
    keys: list[int] = []
    kinds: list[str] = []
    if sig.url_id:
        keys.append(_key(b"U", sig.url_id))
        kinds.append("url")
    else:
        keys.append(_key(b"A", sig.id))
        kinds.append("id")
    if sig.guid_key:
        keys.append(_key(b"G", sig.guid_key))
        kinds.append("guid")
    if sig.content_hash:
        keys.append(_key(b"C", sig.content_hash))
        kinds.append("content")
    keys.extend(sig.bands)
    keys.extend(sig.lead_bands)
    kinds.extend(["near"] * (len(sig.bands) + len(sig.lead_bands)))
    return np.array(keys, dtype=np.uint64), kinds, keys


class _Generation:
    """Keys and stories of one time bucket."""

    BUFFER = 4096

    def __init__(self, number: int) -> None:
        self.number = number
        self.runs: list[tuple[U64, I32]] = []
        # The buffer: every (key, ref) inserted since the last flush, in insertion order
        # (sorted into a run at the next flush), and the ref of each key's latest insert
        # there (what a lookup finds in the buffer).
        self.buf_keys = array("Q")
        self.buf_refs = array("i")
        self.buf_latest: dict[int, int] = {}
        self.n_stories = 0
        self.ids = np.zeros(64, dtype="S10")
        self.first = np.zeros(64, dtype=np.float64)
        self.last = np.zeros(64, dtype=np.float64)
        self.odd_ids: dict[int, str] = {}
        self.articles = 0

    def story(self, ref: int) -> str:
        odd = self.odd_ids.get(ref)
        return odd if odd is not None else bytes(self.ids[ref]).ljust(10, b"\0").hex()

    def new_story(self, story_id: str, first_seen: float, now: float) -> int:
        ref = self.n_stories
        if ref == len(self.ids):
            size = ref + ref // 2
            self.ids = np.resize(self.ids, size)
            self.first = np.resize(self.first, size)
            self.last = np.resize(self.last, size)
        if _HEX20.fullmatch(story_id):
            self.ids[ref] = bytes.fromhex(story_id)
        else:
            self.odd_ids[ref] = story_id
        self.first[ref] = first_seen
        self.last[ref] = now
        self.n_stories += 1
        return ref

    def insert(self, keys: list[int], ref: int) -> None:
        self.buf_keys.extend(keys)
        self.buf_refs.extend([ref] * len(keys))
        self.buf_latest.update(dict.fromkeys(keys, ref))
        if len(self.buf_keys) >= self.BUFFER:
            self.flush()

    def flush(self, compact: bool = False) -> None:
        """Sort the buffer into a run: by key, and for one key its latest insert first.
        Then merge the last two runs while there are more than two or the first is less
        than four times as long as the second: a lookup searches at most two runs, and
        the long one is rewritten only when the short one has grown to a quarter of it.
        ``compact`` (a generation that newer ones follow, which few keys still reach):
        merge them all into one. (A merged run lists the older run's entries of a key
        first: lookups find in it what they found in the two.)"""
        if len(self.buf_keys):
            keys = np.frombuffer(self.buf_keys, dtype=np.uint64)[::-1]
            refs = np.frombuffer(self.buf_refs, dtype=np.intc)[::-1]
            order = np.argsort(keys, kind="stable")
            self.runs.append((keys[order], refs[order].astype(np.int32)))
            self.buf_keys = array("Q")
            self.buf_refs = array("i")
            self.buf_latest = {}
        while len(self.runs) > 2 or (len(self.runs) == 2 and (
                compact or len(self.runs[0][0]) < 4 * len(self.runs[1][0]))):
            (k2, r2), (k1, r1) = self.runs.pop(), self.runs.pop()
            keys = np.concatenate([k1, k2])
            refs = np.concatenate([r1, r2])
            order = np.argsort(keys, kind="stable")
            self.runs.append((keys[order], refs[order]))

    def lookup(self, keys: U64, key_list: list[int]) -> list[int] | None:
        """Story ref per key (-1 when absent): that of the oldest run holding the key
        (in a run, of the first of its entries), else that of its latest insert in the
        buffer; None when no key is held. ``key_list``: the keys as a list."""
        found: I32 | None = None
        for run_keys, run_refs in self.runs:
            pos = run_keys.searchsorted(keys)
            hit = run_keys.take(pos, mode="clip") == keys
            if np.count_nonzero(hit):
                refs = np.where(hit, run_refs.take(pos, mode="clip"), -1)
                found = refs if found is None else np.where(found < 0, refs, found)
        if self.buf_latest.keys().isdisjoint(key_list):
            return None if found is None else found.tolist()
        latest = self.buf_latest.get
        if found is None:
            return [latest(key, -1) for key in key_list]
        return [ref if ref >= 0 else latest(key, -1)
                for ref, key in zip(found.tolist(), key_list, strict=True)]

    def nbytes(self) -> int:
        arrays = sum(k.nbytes + r.nbytes for k, r in self.runs)
        arrays += sys.getsizeof(self.buf_keys) + sys.getsizeof(self.buf_refs)
        arrays += sys.getsizeof(self.buf_latest) + sum(map(sys.getsizeof, self.buf_latest))
        arrays += self.ids.nbytes + self.first.nbytes + self.last.nbytes
        odd = sys.getsizeof(self.odd_ids) + sum(sys.getsizeof(v) for v in self.odd_ids.values())
        return arrays + odd + 400


@dataclass(slots=True)
class _Hit:
    story: str
    first_seen: float
    rank: int  # 0 url / id, 1 guid, 2 content, 3 near
    kind: str
    bands: int = 0
    local: dict[int, int] = field(default_factory=dict)  # generation number → ref


class StoryIndex:
    """Bounded index of the stories seen within the window; see the module docstring."""

    def __init__(self, config: DedupConfig = DEFAULT_CONFIG) -> None:
        self.config = config
        self._gens: dict[int, _Generation] = {}
        self._aliases: dict[str, tuple[str, float]] = {}  # loser → (winner, when)
        self._articles = 0

    # ------------------------------------------------------------ queries
    def _resolve(self, story: str) -> str:
        seen = 0
        while story in self._aliases and seen < 32:
            story = self._aliases[story][0]
            seen += 1
        return story

    def _hits(self, sig: Signature, now: float,
              keyed: _Keyed | None = None) -> dict[str, _Hit]:
        keys, kinds, key_list = keyed if keyed is not None else _keys(sig)
        horizon = now - self.config.window_seconds
        hits: dict[str, _Hit] = {}
        for number, gen in self._gens.items():
            refs = gen.lookup(keys, key_list)
            if refs is None:
                continue
            held: dict[int, tuple[str, float] | None] = {}  # ref → story, first seen
            for i, ref in enumerate(refs):
                if ref < 0:
                    continue
                if ref in held:
                    found = held[ref]
                else:
                    found = held[ref] = None if gen.last[ref] < horizon else (
                        self._resolve(gen.story(ref)), float(gen.first[ref]))
                if found is None:
                    continue
                story, first_seen = found
                kind = kinds[i]
                rank = _KIND_RANK.get(kind, 3)
                hit = hits.get(story)
                if hit is None:
                    hit = hits[story] = _Hit(story, first_seen, rank, kind)
                elif rank < hit.rank:
                    hit.rank, hit.kind = rank, kind
                hit.first_seen = min(hit.first_seen, first_seen)
                if rank == 3:
                    hit.bands += 1
                hit.local.setdefault(number, ref)
        return hits

    @staticmethod
    def _best(hits: dict[str, _Hit]) -> _Hit | None:
        if not hits:
            return None
        return min(hits.values(), key=lambda h: (h.rank, -h.bands, h.first_seen, h.story))

    def check(self, sig: Signature, now: float) -> Verdict:
        """Is ``sig`` a copy of a story held in the window at time ``now``?"""
        return self._verdict(sig, self._hits(sig, now))

    def _verdict(self, sig: Signature, hits: dict[str, _Hit]) -> Verdict:
        best = self._best(hits)
        if best is None:
            return Verdict("new", sig.id, None)
        kind: Kind = "url" if best.kind == "id" else best.kind  # type: ignore[assignment]
        return Verdict(kind, best.story, best.story)

    def observe(self, sig: Signature, now: float) -> tuple[Verdict, StoryMerge | None]:
        """``check`` then ``add`` under the verdict's story, probing the index once:
        what a stream does with each article it reads."""
        keyed = _keys(sig)
        hits = self._hits(sig, now, keyed)
        verdict = self._verdict(sig, hits)
        story_id = self._resolve(verdict.story_id)
        if story_id != verdict.story_id:  # an alias of the verdict's story: probe again
            return verdict, self.add(sig, story_id, now)
        return verdict, self._add(sig, story_id, now, None, hits, keyed)

    # ------------------------------------------------------------ updates
    def add(self, sig: Signature, story_id: str, now: float,
            first_seen: float | None = None) -> StoryMerge | None:
        """Hold ``sig`` as an article of ``story_id`` (idempotent).

        When the signature matches a different story and not its own — two copies
        assigned to two stories at once — the older story wins (earliest first-seen,
        tie → smaller id); the merge is returned and applied.
        """
        story_id = self._resolve(story_id)
        keyed = _keys(sig)
        return self._add(sig, story_id, now, first_seen, self._hits(sig, now, keyed), keyed)

    def _add(self, sig: Signature, story_id: str, now: float, first_seen: float | None,
             hits: dict[str, _Hit], keyed: _Keyed) -> StoryMerge | None:
        own = hits.get(story_id)
        merge: StoryMerge | None = None
        if first_seen is None:
            first_seen = own.first_seen if own else now
        elif own:
            first_seen = min(first_seen, own.first_seen)
        if own is None:
            best = self._best(hits)
            if best is not None:
                if (best.first_seen, best.story) < (first_seen, story_id):
                    merge = StoryMerge(story_id, best.story)
                    winner_first = best.first_seen
                else:
                    merge = StoryMerge(best.story, story_id)
                    winner_first = first_seen
                self._aliases[merge.loser] = (merge.winner, now)
                story_id, first_seen = merge.winner, winner_first
                own = hits.get(story_id)
        if own is not None and own.rank == 0 and own.kind in ("url", "id"):
            return merge  # this article (its URL or id) is held already
        number = math.floor(now / self.config.bucket_seconds)
        gen = self._gens.get(number)
        if gen is None:
            for older in self._gens.values():
                older.flush(compact=True)
            gen = self._gens[number] = _Generation(number)
        ref = own.local.get(number) if own else None
        if ref is None:
            ref = gen.new_story(story_id, first_seen, now)
        else:
            gen.last[ref] = max(float(gen.last[ref]), now)
        gen.insert(keyed[2], ref)
        gen.articles += 1
        self._articles += 1
        return merge

    def expire(self, now: float) -> int:
        """Drop the generations (and aliases) wholly out of the window; returns how many
        articles were forgotten."""
        horizon = now - self.config.window_seconds
        dropped = 0
        for number in [n for n in self._gens
                       if (n + 1) * self.config.bucket_seconds <= horizon]:
            dropped += self._gens.pop(number).articles
        self._articles -= dropped
        for loser in [k for k, (_, when) in self._aliases.items() if when < horizon]:
            del self._aliases[loser]
        return dropped

    def __len__(self) -> int:
        """Articles held."""
        return self._articles

    def memory_bytes(self) -> int:
        """Bytes held by the index's arrays and tables (measured, not estimated)."""
        aliases = sys.getsizeof(self._aliases) + sum(
            sys.getsizeof(k) + sys.getsizeof(w) + 64 for k, (w, _) in self._aliases.items())
        return sum(g.nbytes() for g in self._gens.values()) + aliases


# ---------------------------------------------------------------- command
def dedup_lines(lines: Iterable[str | bytes], config: DedupConfig = DEFAULT_CONFIG,
                index: StoryIndex | None = None) -> Iterator[dict[str, Any]]:
    """Deduplicate JSON lines ``{"id", "url"?, "guid"?, "feed_id"?, "title", "text",
    "published_at"?}``, yielding ``{"id", "story_id", "duplicate_of", "kind"}`` per
    non-blank line, same order; a bad line yields ``{"id", "error"}`` (the id it gave,
    or None).

    An article's time is its ``published_at`` (ISO 8601; naive is UTC) or, without
    one, the time of the run.
    """
    index = index if index is not None else StoryIndex(config)
    started = time.time()
    for obj in json_objects(lines):
        try:
            if isinstance(obj, InvalidDocumentError):
                raise obj
            sig = fingerprint(obj, config)
        except InvalidDocumentError as exc:
            yield error_line(exc, obj)
            continue
        published = iso_datetime(obj.get("published_at"))
        now = started if published is None else published.timestamp()
        verdict, _merge = index.observe(sig, now)
        yield {"id": sig.id, "story_id": verdict.story_id,
               "duplicate_of": verdict.duplicate_of, "kind": verdict.kind}
