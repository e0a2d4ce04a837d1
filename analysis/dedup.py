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

:class:`StoryIndex` holds the keys of the articles seen within a time window in
numpy arrays — no per-entry Python objects — grouped in time-bucketed generations that
are dropped whole when they leave the window. Each generation keeps sorted runs of
``(64-bit key, int32 story ref)`` merged LSM-style, a small sorted buffer for recent
inserts, and a story table (story id packed into 10 bytes, first and last seen).

Replication and races (for the stream agent)::

    sig = fingerprint(doc); verdict = index.check(sig, now)
    story = verdict.story_id                # the article's own id when new
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
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from datasketch import MinHash, MinHashLSH

from .errors import InvalidDocumentError
from .fingerprints import content_hash, guid_key, url_id
from .jsonlines import iso_datetime, json_objects
from .normalization import normalize_token
from .text import clean_text

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
I32 = npt.NDArray[np.int32]
F64 = npt.NDArray[np.float64]

#: Raw characters of a field that are cleaned; the rest is ignored (bounded work).
MAX_RAW_CHARS = 100_000


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
    # Missing a copy shows an analyst the story twice; weigh false negatives 4:1.
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=(0.2, 0.8))
    return int(lsh.b), int(lsh.r)


@cache
def _permutations(num_perm: int) -> npt.NDArray[np.uint32]:
    perms: npt.NDArray[np.uint32] = MinHash(num_perm=num_perm, seed=1).permutations
    return perms


# ---------------------------------------------------------------- shingles
_WORD = re.compile(r"\w+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
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


@cache
def _script_marks() -> dict[int, str]:
    """Code point → a private-use marker of its script (index in _SCRIPTS); the markers
    themselves, should a text contain them, are deleted. Every script here lies in the
    Basic Multilingual Plane."""
    table: dict[int, str] = {0xE000 + i: "" for i in range(len(_SCRIPTS))}
    plane = "".join(map(chr, range(0x10000)))
    for i, (_name, pattern) in enumerate(_SCRIPTS):
        mark = chr(0xE000 + i)
        for found in pattern.finditer(plane):
            table.setdefault(found.start(), mark)
    return table


def _script(text: str) -> str:
    """The script most characters of the text's first 4,000 are written in."""
    marked = text[:4000].translate(_script_marks())
    best, count = "other", 0
    for i, (name, _pattern) in enumerate(_SCRIPTS):
        n = marked.count(chr(0xE000 + i))
        if n > count:
            best, count = name, n
    return best


def _units(text: str) -> list[str]:
    """Words of a normalised text; a token with Han or kana characters is split into
    characters (those scripts have no spaces)."""
    units: list[str] = []
    for token in _WORD.findall(text):
        if token.isascii() or not _CJK.search(token):
            units.append(token)
        else:
            run: list[str] = []
            for ch in token:
                if _CJK.match(ch):
                    if run:
                        units.append("".join(run))
                        run = []
                    units.append(ch)
                else:
                    run.append(ch)
            if run:
                units.append("".join(run))
    return units


def _grams(values: U64, k: int, salt: int) -> U64:
    if len(values) == 0:
        return np.empty(0, dtype=np.uint64)
    if len(values) < k:
        values = np.concatenate([values, np.zeros(k - len(values), dtype=np.uint64)])
    n = len(values) - k + 1
    h = np.full(n, salt, dtype=np.uint64)
    for i in range(k):
        h = (h ^ values[i:i + n]) * _K[i]
    h ^= h >> np.uint64(31)
    return h & np.uint64(0xFFFFFFFF)


def _shingles(units: list[str]) -> U64:
    """32-bit hashes of word 3-grams (over non-CJK words) and character 4-grams (over
    CJK characters, in order, across punctuation)."""
    if any(len(u) == 1 and _CJK.match(u) for u in units):
        words = [u for u in units if len(u) > 1 or not _CJK.match(u)]
        chars = [u for u in units if len(u) == 1 and _CJK.match(u)]
    else:  # no Han or kana: every unit is a word
        words, chars = units, []
    word_hashes = np.fromiter((zlib.crc32(w.encode("utf-8")) for w in words),
                              dtype=np.uint64, count=len(words))
    char_codes = np.fromiter((ord(c) for c in chars), dtype=np.uint64, count=len(chars))
    return np.concatenate([_grams(word_hashes, 3, 0x57), _grams(char_codes, 4, 0x43)])


def _identity(value: int) -> int:
    return value


def _bands(shingles: U64, salt: bytes, config: DedupConfig,
           count: int | None = None) -> tuple[int, ...]:
    if len(shingles) == 0:
        return ()
    b, r = _band_params(config.threshold, config.num_perm)
    b = b if count is None else count
    sketch = MinHash(num_perm=config.num_perm, hashfunc=_identity, scheme="affine32",
                     permutations=_permutations(config.num_perm))
    sketch.update_batch(shingles.tolist())
    values = np.asarray(sketch.hashvalues, dtype="<u4")
    out = []
    for i in range(b):
        digest = hashlib.blake2b(values[i * r:(i + 1) * r].tobytes(), digest_size=8,
                                 person=salt + bytes((i,))).digest()
        out.append(int.from_bytes(digest, "little"))
    return tuple(out)


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


def fingerprint(doc: Mapping[str, Any], config: DedupConfig = DEFAULT_CONFIG) -> Signature:
    """Signature of ``{id, url?, guid?, feed_id?, title, text}``; raises
    InvalidDocumentError when a field has the wrong type. Any text is accepted."""
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

    title_clean = clean_text(title).replace("\n", " ")
    body_clean = clean_text(text)
    body_lead = _DATELINE.sub("", body_clean, count=1) if body_clean else ""
    title_units = _units(normalize_token(title_clean))
    body_units = _units(normalize_token(body_lead))
    script = _script(f"{title_clean}\n{body_clean}")
    cjk = script == "han"
    lead_len = config.lead_words * (2 if cjk else 1)
    b, r = _band_params(config.threshold, config.num_perm)
    salt = f"{script[:8]}|{config.num_perm}|{b}x{r}".encode()[:14]
    bands = _bands(_shingles(title_units + body_units), salt + b"F", config)
    units = body_units or title_units
    # Two prefixes of the body, each behind the title: a summary cut anywhere after
    # half the lead, under the same headline, shares one of them whole with its full
    # text (Jaccard 1). The title keeps templated openings of different stories apart.
    lead_b = max(2, b // 2)
    head = title_units if body_units else []
    lead = (_bands(_shingles(head + units[:lead_len // 2]), salt + b"H", config, lead_b)
            + _bands(_shingles(head + units[:lead_len]), salt + b"L", config, lead_b))
    return Signature(
        id=doc_id,
        url_id=url_id(url) if url else None,
        guid_key=guid_key(feed_id, guid) if guid else None,
        content_hash=content_hash(title_clean, body_clean),
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


_KIND_TAG = {"url": b"U", "guid": b"G", "content": b"C", "id": b"A"}
_KIND_RANK = {"url": 0, "guid": 1, "content": 2, "id": 0}
_HEX20 = re.compile(r"[0-9a-f]{20}")


def _key(tag: bytes, value: str) -> int:
    return int.from_bytes(hashlib.blake2b(value.encode("utf-8"), digest_size=8,
                                          person=tag).digest(), "little")


def _keys(sig: Signature) -> tuple[U64, list[str]]:
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
    kinds.extend("near" for _ in sig.bands)
    keys.extend(sig.lead_bands)
    kinds.extend("near" for _ in sig.lead_bands)
    return np.array(keys, dtype=np.uint64), kinds


class _Generation:
    """Keys and stories of one time bucket."""

    BUFFER = 4096

    def __init__(self, number: int) -> None:
        self.number = number
        self.runs: list[tuple[U64, I32]] = []
        self.buf_keys: U64 = np.empty(0, dtype=np.uint64)
        self.buf_refs: I32 = np.empty(0, dtype=np.int32)
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

    def insert(self, keys: U64, ref: int) -> None:
        order = np.argsort(keys)
        keys = keys[order]
        pos = np.searchsorted(self.buf_keys, keys)
        self.buf_keys = np.insert(self.buf_keys, pos, keys)
        self.buf_refs = np.insert(self.buf_refs, pos, np.full(len(keys), ref, dtype=np.int32))
        if len(self.buf_keys) >= self.BUFFER:
            self.flush()

    def flush(self) -> None:
        if not len(self.buf_keys):
            return
        self.runs.append((self.buf_keys, self.buf_refs))
        self.buf_keys = np.empty(0, dtype=np.uint64)
        self.buf_refs = np.empty(0, dtype=np.int32)
        while len(self.runs) > 1 and len(self.runs[-2][0]) < 4 * len(self.runs[-1][0]):
            (k2, r2), (k1, r1) = self.runs.pop(), self.runs.pop()
            keys = np.concatenate([k1, k2])
            refs = np.concatenate([r1, r2])
            order = np.argsort(keys, kind="stable")
            self.runs.append((keys[order], refs[order]))

    def lookup(self, keys: U64) -> I32:
        """Story ref per key (-1 when absent)."""
        found = np.full(len(keys), -1, dtype=np.int32)
        for run_keys, run_refs in [*self.runs, (self.buf_keys, self.buf_refs)]:
            if not len(run_keys):
                continue
            pos = np.searchsorted(run_keys, keys)
            pos[pos == len(run_keys)] = 0
            hit = (run_keys[pos] == keys) & (found < 0)
            found[hit] = run_refs[pos[hit]]
        return found

    def nbytes(self) -> int:
        arrays = sum(k.nbytes + r.nbytes for k, r in self.runs)
        arrays += self.buf_keys.nbytes + self.buf_refs.nbytes
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

    def _hits(self, sig: Signature, now: float) -> dict[str, _Hit]:
        keys, kinds = _keys(sig)
        horizon = now - self.config.window_seconds
        hits: dict[str, _Hit] = {}
        for number, gen in self._gens.items():
            refs = gen.lookup(keys)
            for i in np.flatnonzero(refs >= 0).tolist():
                ref = int(refs[i])
                if gen.last[ref] < horizon:
                    continue
                story = self._resolve(gen.story(ref))
                kind = kinds[i]
                rank = _KIND_RANK.get(kind, 3)
                hit = hits.get(story)
                if hit is None:
                    hit = hits[story] = _Hit(story, float(gen.first[ref]), rank, kind)
                elif rank < hit.rank:
                    hit.rank, hit.kind = rank, kind
                hit.first_seen = min(hit.first_seen, float(gen.first[ref]))
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
        best = self._best(self._hits(sig, now))
        if best is None:
            return Verdict("new", sig.id, None)
        kind: Kind = "url" if best.kind == "id" else best.kind  # type: ignore[assignment]
        return Verdict(kind, best.story, best.story)

    # ------------------------------------------------------------ updates
    def add(self, sig: Signature, story_id: str, now: float,
            first_seen: float | None = None) -> StoryMerge | None:
        """Hold ``sig`` as an article of ``story_id`` (idempotent).

        When the signature matches a different story and not its own — two copies
        assigned to two stories at once — the older story wins (earliest first-seen,
        tie → smaller id); the merge is returned and applied.
        """
        story_id = self._resolve(story_id)
        hits = self._hits(sig, now)
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
                older.flush()
            gen = self._gens[number] = _Generation(number)
        ref = own.local.get(number) if own else None
        if ref is None:
            ref = gen.new_story(story_id, first_seen, now)
        else:
            gen.last[ref] = max(float(gen.last[ref]), now)
        keys, _kinds = _keys(sig)
        gen.insert(keys, ref)
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
    non-blank line, same order; a bad line yields ``{"id": None, "error": ...}``.

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
            yield {"id": None, "error": str(exc)}
            continue
        published = iso_datetime(obj.get("published_at"))
        now = started if published is None else published.timestamp()
        verdict = index.check(sig, now)
        index.add(sig, verdict.story_id, now)
        yield {"id": sig.id, "story_id": verdict.story_id,
               "duplicate_of": verdict.duplicate_of, "kind": verdict.kind}
