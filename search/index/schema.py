"""The Whoosh schema: the fields of every record, and the analysers the query parser uses.

Every record has ``kind`` (``doc``, ``section`` or ``item``) and a unique ``id``. Only
sections have indexed text, heading, title and themes, so a query needs no filter to
match sections only (computing such a filter costs as much as a query at 100k sections).
All the fields the ``--json`` contract names are stored, so a query never needs the
source files. ``SCHEMA_VERSION`` changes whenever fields or analysis change; an index
with another version is rebuilt from the files it records.
"""
from __future__ import annotations

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from search.index.analysis import ANALYSIS_VERSION, exact_analyzer, text_analyzer

# Whoosh keeps the analysers' module paths in the index: moving a module changes the version,
# as a new field does
SCHEMA_VERSION = f"13.{ANALYSIS_VERSION}"
UNSTORED = frozenset({"exact", "years"})  # indexed for matching only, never read back


def make_schema() -> Schema:
    """Build the schema (a fresh object each time: Whoosh fields are stateful)."""
    text = text_analyzer()
    exact = exact_analyzer()
    return Schema(
        kind=ID(stored=True),
        id=ID(stored=True, unique=True),
        doc_id=ID(stored=True, sortable=True),
        section_id=ID(stored=True),
        # document fields (stored only, so that a query matches sections and nothing else)
        doc_title=STORED(),
        path=ID(stored=True),
        sha256=STORED(),
        title=TEXT(stored=True, analyzer=text, multitoken_query="phrase"),
        publisher=TEXT(stored=True, analyzer=exact, multitoken_query="phrase"),
        doc_type=ID(stored=True, sortable=True),
        period_start=STORED(),
        period_end=STORED(),
        pages=STORED(),
        nsections=STORED(),
        fmt=STORED(),
        parts=STORED(),
        source_url=STORED(),  # the URL a document was fetched from
        # shared
        year=ID(stored=True),
        year_start=NUMERIC(int, stored=True, sortable=True),
        years=KEYWORD(commas=True),  # every year a record counts for: a span's years too
        ordinal=NUMERIC(int, stored=True, sortable=True),
        themes=KEYWORD(stored=True, commas=True, scorable=True, lowercase=True),
        theme_evidence=STORED(),
        # section fields
        number=ID(stored=True),
        heading=TEXT(stored=True, analyzer=text, multitoken_query="phrase", field_boost=2.0),
        heading_path=STORED(),
        level=STORED(),
        text=TEXT(stored=True, analyzer=text, multitoken_query="phrase"),
        exact=TEXT(analyzer=exact, multitoken_query="phrase"),
        page_start=STORED(),
        page_end=STORED(),
        page_offsets=STORED(),
        ocr=STORED(),  # the section's text came from OCR
        # item fields (text and themes stored only: items are read by recur, not searched)
        item_kind=ID(stored=True),
        item_text=STORED(),
        item_themes=STORED(),
        status=ID(stored=True),
        cells=STORED(),
    )
