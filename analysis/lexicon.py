"""Per-language pattern sets: gazetteer + watchlists + event and sanctions lexicons.

``patterns(lang)`` builds (once per language, lazily) the :class:`PatternSet` that
finds every kind of match in one Aho-Corasick pass. Lexicon entries come from
``data/lexicon.yaml`` (see its header for the sections) and watchlist topics from
``data/watchlists.yaml``.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from .errors import DataFileError
from .gazetteer import DATA_DIR, _read_yaml, gazetteer
from .matcher import Kind, PatternSet

__all__ = ["NAME_CASED", "SUPPORTED_LANGS", "lexicon", "patterns", "watchlists"]

SUPPORTED_LANGS: tuple[str, ...] = ("ar", "en", "es", "fr", "ru", "zh", "de", "fa", "tr", "uk")
#: Languages whose capital letter marks a name (German capitalises every noun).
NAME_CASED: frozenset[str] = frozenset({"en", "es", "fr", "ru", "uk", "tr"})

_SIMPLE_SECTIONS = {
    "counterpart": Kind.COUNTERPART,
    "official": Kind.OFFICIAL,
    "negation": Kind.NEGATION,
    "proposal": Kind.NEGATION,
    "nonstate": Kind.NONSTATE,
    "civilian": Kind.NONSTATE,
    "condition": Kind.NEGATION,
    "handover": Kind.NEGATION,
    "summit": Kind.SUMMIT,
    "trilateral": Kind.SUMMIT,
    "sidelines": Kind.SIDELINES,
    "topic_cue": Kind.TOPIC_CUE,
    "sport": Kind.SPORT,
    "approve": Kind.APPROVE,
    "trade": Kind.APPROVE,
    "judicial": Kind.JUDICIAL,
    "penal": Kind.JUDICIAL,
    "mediation": Kind.MEDIATION,
    "dual": Kind.DUAL,
}


@cache
def lexicon() -> dict[str, Any]:
    """The parsed event and sanctions lexicon, by language."""
    data = _read_yaml(DATA_DIR / "lexicon.yaml")
    if not isinstance(data, dict):
        raise DataFileError("lexicon.yaml: expected a mapping of languages")
    return data


@cache
def watchlists() -> dict[str, dict[str, list[str]]]:
    """The parsed watchlists: topic id -> language -> terms."""
    data = _read_yaml(DATA_DIR / "watchlists.yaml")
    if not isinstance(data, dict):
        raise DataFileError("watchlists.yaml: expected a mapping of topics")
    return {
        str(k): {str(lang): [str(t) for t in terms] for lang, terms in v.items()}
        for k, v in data.items()
    }


def _terms(value: Any) -> list[str]:
    return [str(x) for x in value] if isinstance(value, list) else []


@cache
def patterns(lang: str) -> PatternSet:
    """The compiled pattern set of ``lang`` (English for unsupported languages)."""
    if lang not in SUPPORTED_LANGS:
        lang = "en"
    ps = PatternSet(lang)
    gazetteer().add_patterns(ps)
    for topic, per_lang in watchlists().items():
        for raw in per_lang.get(lang, []):
            ps.add(raw, Kind.TOPIC, topic, word=True)
    section = dict(lexicon().get(lang) or {})
    section.update((lexicon().get("events_words") or {}).get(lang) or {})
    for modality, raws in (section.get("trigger") or {}).items():
        for raw in _terms(raws):
            ps.add(raw, Kind.TRIGGER, str(modality), word=True)
    for name, kind in _SIMPLE_SECTIONS.items():
        for raw in _terms(section.get(name)):
            ps.add(raw, kind, name, word=True)
    for strength, raws in (section.get("sanction") or {}).items():
        for raw in _terms(raws):
            ps.add(raw, Kind.SANCTION, str(strength), word=True)
    for stance, raws in (section.get("stance") or {}).items():
        for raw in _terms(raws):
            ps.add(raw, Kind.STANCE, str(stance), word=True)
    return ps
