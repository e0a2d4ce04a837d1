"""Errors raised by the analysis core.

Exception tree (under the service's root, ``MediawatchError``, declared here because
the core imports nothing of the service; ``streams.errors`` holds the rest of the tree)::

    MediawatchError
    └── AnalysisError             base of every error the core raises on purpose
        ├── InvalidDocumentError  the input is not an analysable document
        │                         (wrong types, naive datetime, bad JSON line);
        │                         quarantine: retrying the same input fails again
        ├── DataFileError         a bundled data file is missing or malformed;
        │                         a deployment fault, raised at first use
        └── RulesError            (analysis.rules) a rules file that cannot be used

``analyze`` never raises for odd *text* (binary junk, empty strings, mixed
scripts): such input yields a valid, possibly empty, ``Analysis``.
"""

from __future__ import annotations


class MediawatchError(Exception):
    """Base of every error the service raises on purpose (``streams.errors``)."""


class AnalysisError(MediawatchError):
    """Base class of all errors raised by :mod:`analysis`."""


class InvalidDocumentError(AnalysisError, ValueError):
    """The input cannot be turned into a :class:`analysis.Document`. ``doc_id``: the id
    the input gave, when it gave one, for the error line that answers it."""

    def __init__(self, message: str, *, doc_id: str | None = None) -> None:
        super().__init__(message)
        self.doc_id = doc_id


class DataFileError(AnalysisError, RuntimeError):
    """A bundled gazetteer or lexicon file is missing or malformed."""
