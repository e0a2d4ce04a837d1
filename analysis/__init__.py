"""mediawatch analysis core: pure functions from article text to tags and events.

Public API::

    from analysis import analyze, Document, Analysis
    result = analyze(Document(id="x", title="...", text="...", lang=None, published_at=None))
    result.to_dict()

``analyze_lines`` / ``cli_analyze`` serve the ``mediawatch analyze`` command. This
package imports no stream, HTTP or metrics library.
"""

from .analyzer import (
    MAX_RAW_CHARS,
    MAX_TEXT_CHARS,
    Analysis,
    MeetingRecord,
    SanctionsRecord,
)
from .documents import Document, analyze, analyze_lines, cli_analyze, document_from_json
from .errors import AnalysisError, DataFileError, InvalidDocumentError

__all__ = [
    "MAX_RAW_CHARS",
    "MAX_TEXT_CHARS",
    "Analysis",
    "AnalysisError",
    "DataFileError",
    "Document",
    "InvalidDocumentError",
    "MeetingRecord",
    "SanctionsRecord",
    "analyze",
    "analyze_lines",
    "cli_analyze",
    "document_from_json",
]
