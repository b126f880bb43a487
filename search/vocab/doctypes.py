"""The document types a report is classed as (``--type``), read by ingest and search alike."""
from __future__ import annotations

import difflib

from search.errors import QueryError

DOC_TYPES = ("annual-report", "board-papers", "arrangements", "review", "briefing", "other")


def check_doc_type(value: str | None) -> str | None:
    """A ``--type`` value as a document type; QueryError (naming the valid types) if unknown."""
    if value in (None, ""):
        return None
    v = value.strip().lower().replace(" ", "-").replace("_", "-")
    if v in DOC_TYPES:
        return v
    close = difflib.get_close_matches(v, DOC_TYPES, n=1)
    hint = f"did you mean {close[0]}? " if close else ""
    raise QueryError(f"unknown document type {value!r}: {hint}use one of {', '.join(DOC_TYPES)}")
