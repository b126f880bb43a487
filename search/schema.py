"""The Whoosh schema: one index holding documents, sections and items.

Every record has ``kind`` (``doc``, ``section`` or ``item``) and a unique ``id``.
All the fields the ``--json`` contract names are stored, so a query never needs the
source files. ``SCHEMA_VERSION`` changes whenever fields or analysis change; an index
with another version is rebuilt from the files it records.
"""
from __future__ import annotations

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from search.analysis import ANALYSIS_VERSION, exact_analyzer, text_analyzer

SCHEMA_VERSION = f"6.{ANALYSIS_VERSION}"


def make_schema() -> Schema:
    """Build the schema (a fresh object each time: Whoosh fields are stateful)."""
    text = text_analyzer()
    exact = exact_analyzer()
    return Schema(
        kind=ID(stored=True),
        id=ID(stored=True, unique=True),
        doc_id=ID(stored=True, sortable=True),
        section_id=ID(stored=True),
        # document fields
        path=ID(stored=True),
        sha256=STORED(),
        title=TEXT(stored=True, analyzer=text, multitoken_query="phrase"),
        publisher=TEXT(stored=True, analyzer=exact, multitoken_query="phrase"),
        doc_type=ID(stored=True),
        period_start=STORED(),
        period_end=STORED(),
        pages=STORED(),
        nsections=STORED(),
        fmt=STORED(),
        mtime=STORED(),
        parts=STORED(),
        # shared
        year=ID(stored=True),
        year_start=NUMERIC(int, stored=True, sortable=True),
        ordinal=NUMERIC(int, stored=True, sortable=True),
        themes=KEYWORD(stored=True, commas=True, scorable=True, lowercase=True),
        theme_evidence=STORED(),
        # section fields
        number=ID(stored=True),
        heading=TEXT(stored=True, analyzer=text, multitoken_query="phrase", field_boost=2.0),
        heading_path=STORED(),
        level=STORED(),
        text=TEXT(stored=True, analyzer=text, multitoken_query="phrase", chars=True),
        exact=TEXT(analyzer=exact, multitoken_query="phrase"),
        page_start=STORED(),
        page_end=STORED(),
        page_offsets=STORED(),
        # item fields
        item_kind=ID(stored=True),
        status=ID(stored=True),
        cells=STORED(),
    )
