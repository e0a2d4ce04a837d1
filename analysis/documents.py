"""The analysis core's front door: the ``Document`` it reads, the checked ``analyze``,
and JSON lines in and out (``mediawatch analyze``).

Kept apart from :mod:`analysis.analyzer`, which is compiled (setup.py): compiled code
checks the annotated types of its arguments first, with a ``TypeError``, where this
module says what is wrong with an input as an :class:`~analysis.errors.InvalidDocumentError`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from .analyzer import Analysis, analyze_fields
from .errors import InvalidDocumentError
from .gazetteer import is_country_code
from .jsonlines import error_line, given_id, iso_datetime, json_objects
from .text import MAX_RAW_CHARS, CleanFields, clean_fields

__all__ = [
    "Document",
    "analyze",
    "analyze_lines",
    "cli_analyze",
    "document_from_json",
    "document_lines",
]


@dataclass(frozen=True, slots=True)
class Document:
    """An article to analyse. ``lang`` is the feed's declared language (a hint);
    ``country`` the outlet's home country (ISO alpha-2), used for officials the outlet
    names without a country ("the Crown Prince received…", "the President met…")."""

    id: str
    title: str
    text: str
    lang: str | None = None
    published_at: datetime | None = None
    country: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.id, str):
            raise InvalidDocumentError("Document.id must be a string")
        if not isinstance(self.title, str) or not isinstance(self.text, str):
            raise InvalidDocumentError("Document.title and Document.text must be strings")
        if self.lang is not None and not isinstance(self.lang, str):
            raise InvalidDocumentError("Document.lang must be a string or None")
        if self.country is not None and not is_country_code(self.country):
            raise InvalidDocumentError("Document.country must be the ISO 3166-1 alpha-2 code "
                                       f"of a country or None, got {self.country!r}")
        if self.published_at is not None:
            if not isinstance(self.published_at, datetime):
                raise InvalidDocumentError("Document.published_at must be a datetime")
            if self.published_at.tzinfo is None or self.published_at.utcoffset() is None:
                raise InvalidDocumentError("Document.published_at must be timezone-aware")


def analyze(doc: Document, cleaned: CleanFields | None = None) -> Analysis:
    """Analyse one document. Raises only :class:`analysis.errors.AnalysisError`s.
    ``cleaned``: ``clean_fields(doc.title, doc.text)`` when the caller has it already
    (the worker cleans an article once for its fingerprint and its analysis)."""
    if not isinstance(doc, Document):
        raise InvalidDocumentError("analyze() expects a Document")
    if cleaned is None:
        cleaned = clean_fields(doc.title, doc.text)
    elif not isinstance(cleaned, CleanFields):
        raise InvalidDocumentError("analyze(): cleaned must be analysis.text.CleanFields")
    truncated = len(doc.title) > MAX_RAW_CHARS or len(doc.text) > MAX_RAW_CHARS
    return analyze_fields(doc.id, cleaned, doc.lang, doc.published_at, doc.country, truncated)


def document_from_json(obj: Any) -> Document:
    """Build a Document from a decoded JSON line; raises InvalidDocumentError.

    ``published_at`` is an ISO 8601 string; a naive value is taken as UTC and an
    unparsable one is ignored. ``id`` may be a string or a number.
    """
    if not isinstance(obj, dict):
        raise InvalidDocumentError("input line is not a JSON object")
    given = given_id(obj)
    text = obj.get("text")
    if not isinstance(text, str):
        raise InvalidDocumentError("input object has no string 'text'", doc_id=given)
    title = obj.get("title")
    lang = obj.get("lang")
    country = obj.get("country")
    try:
        return Document(
            id=given or "",
            title=title if isinstance(title, str) else "",
            text=text,
            lang=lang if isinstance(lang, str) and lang else None,
            published_at=iso_datetime(obj.get("published_at")),
            country=country.upper() if isinstance(country, str) and country else None,
        )
    except InvalidDocumentError as exc:
        raise InvalidDocumentError(str(exc), doc_id=given) from None


def document_lines(lines: Iterable[str | bytes]
                   ) -> Iterator[tuple[Document, dict[str, Any]] | InvalidDocumentError]:
    """Each non-blank JSON line as its Document and the object it came from, or the
    InvalidDocumentError saying why it is none."""
    for obj in json_objects(lines):
        if isinstance(obj, InvalidDocumentError):
            yield obj
            continue
        try:
            yield document_from_json(obj), obj
        except InvalidDocumentError as exc:
            yield exc


def analyze_lines(lines: Iterable[str | bytes]) -> Iterator[dict[str, Any]]:
    """Analyse JSON lines, yielding one contract dict per non-blank input line.

    A line that is not valid JSON, not an object, has no string ``text`` or a bad
    field yields ``{"id": ..., "error": "..."}`` (the id the line gave, or None) and the
    run goes on. Blank lines are skipped.
    """
    for item in document_lines(lines):
        if isinstance(item, InvalidDocumentError):
            yield error_line(item)
        else:
            yield analyze(item[0]).to_dict()


def cli_analyze(lines: Iterable[str | bytes], out: Any) -> int:
    """Write one JSON line per input line to the text stream ``out``; returns errors."""
    errors = 0
    for result in analyze_lines(lines):
        if "error" in result:
            errors += 1
        out.write(orjson.dumps(result).decode("utf-8") + "\n")
    return errors
