"""The fields of every record, for any engine, and how a query's text becomes their terms.

Every record has ``kind`` (``doc``, ``section`` or ``item``) and a unique ``id``. Only
sections have indexed text, heading, title and themes, so a query needs no filter to
match sections only (computing such a filter costs as much as a query at 100k sections).
All the fields the ``--json`` contract names are stored, so a query never needs the
source files. ``SCHEMA_VERSION`` changes whenever fields or analysis change; an index
with another version is rebuilt from the files it records. Each backend builds its own
engine's fields from :data:`FIELDS`.
"""
from __future__ import annotations

from search.index.analysis import ANALYSIS_VERSION, query_terms

# Whoosh keeps the analysers' module paths in the index: moving a module changes the version,
# as a new field does
SCHEMA_VERSION = f"14.{ANALYSIS_VERSION}"
UNSTORED = frozenset({"exact", "years"})  # indexed for matching only, never read back
STEMMED = frozenset({"heading", "text", "title"})  # the other text fields hold words as written

# name -> (kind, options). Kinds: "id" one term as written, "keyword" comma-separated terms,
# "numeric" an integer, "text" analysed and stemmed, "exact" analysed as written, "stored"
# kept and never searched. Options: stored, unique, sortable, scorable, lowercase. No field
# weighs more in the index itself: field weights are the query's (search/ranking.toml), so
# both engines score a word in a heading alike.
FIELDS: dict[str, tuple[str, dict]] = {
    "kind": ("id", {"stored": True}),
    "id": ("id", {"stored": True, "unique": True}),
    "doc_id": ("id", {"stored": True, "sortable": True}),
    "section_id": ("id", {"stored": True}),
    # document fields (stored only, so that a query matches sections and nothing else)
    "doc_title": ("stored", {}),
    "path": ("id", {"stored": True}),
    "sha256": ("stored", {}),
    "title": ("text", {"stored": True}),
    "publisher": ("exact", {"stored": True}),
    "doc_type": ("id", {"stored": True, "sortable": True}),
    "period_start": ("stored", {}),
    "period_end": ("stored", {}),
    "pages": ("stored", {}),
    "nsections": ("stored", {}),
    "fmt": ("stored", {}),
    "parts": ("stored", {}),
    "source_url": ("stored", {}),  # the URL a document was fetched from
    # shared
    "year": ("id", {"stored": True}),
    "year_start": ("numeric", {"stored": True, "sortable": True}),
    "years": ("keyword", {}),  # every year a record counts for: a span's years too
    "ordinal": ("numeric", {"stored": True, "sortable": True}),
    "themes": ("keyword", {"stored": True, "scorable": True, "lowercase": True}),
    "theme_evidence": ("stored", {}),
    # section fields
    "number": ("id", {"stored": True}),
    "heading": ("text", {"stored": True}),
    "heading_path": ("stored", {}),
    "level": ("stored", {}),
    "text": ("text", {"stored": True}),
    "exact": ("exact", {}),
    "page_start": ("stored", {}),
    "page_end": ("stored", {}),
    "page_offsets": ("stored", {}),
    "ocr": ("stored", {}),  # the section's text came from OCR
    # item fields (text and themes stored only: items are read by recur, not searched)
    "item_kind": ("id", {"stored": True}),
    "item_text": ("stored", {}),
    "item_themes": ("stored", {}),
    "status": ("id", {"stored": True}),
    "cells": ("stored", {}),
}


def field_terms(field: str, text: str) -> list[str]:
    """The terms a query's ``text`` gives in a text field (stemmed in :data:`STEMMED` fields)."""
    return query_terms(text, stem=field in STEMMED)
