"""The document types a report is classed as (``--type``), read by ingest and search alike."""
from __future__ import annotations

from search.errors import QueryError, did_you_mean, quoted

DOC_TYPES = ("annual-report", "board-papers", "arrangements", "review", "briefing", "other")


def check_doc_type(value: str | None) -> str | None:
    """A ``--type`` value as a document type; QueryError (naming the valid types) if unknown."""
    if value in (None, ""):
        return None
    v = value.strip().lower().replace(" ", "-").replace("_", "-")
    if v in DOC_TYPES:
        return v
    raise QueryError(f"unknown document type {quoted(value)}: {did_you_mean(v, DOC_TYPES)}use one of {', '.join(DOC_TYPES)}")
