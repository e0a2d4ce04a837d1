"""Errors raised by the analysis core.

Exception tree::

    AnalysisError                 base of every error the core raises on purpose
    ├── InvalidDocumentError      the input is not an analysable document
    │                             (wrong types, naive datetime, bad JSON line);
    │                             quarantine: retrying the same input fails again
    └── DataFileError             a bundled data file is missing or malformed;
                                  a deployment fault, raised at first use

``analyze`` never raises for odd *text* (binary junk, empty strings, mixed
scripts): such input yields a valid, possibly empty, ``Analysis``.
"""

from __future__ import annotations


class AnalysisError(Exception):
    """Base class of all errors raised by :mod:`analysis`."""


class InvalidDocumentError(AnalysisError, ValueError):
    """The input cannot be turned into a :class:`analysis.Document`."""


class DataFileError(AnalysisError, RuntimeError):
    """A bundled gazetteer or lexicon file is missing or malformed."""
