"""Counting at national scale: the theme table, trace and facets of an index with more
documents than tantivy's aggregation bucket limit allows when documents are nested under
themes and years (65,000 buckets: 3,000 documents x 25 themes), on every engine.

The index is written straight through the index core (no parsing, no spaCy): 3,000 tiny
documents, one section each, over ten years, each section tagged with 25 of the themes.
"""
from __future__ import annotations

import random

import pytest

from search.facets import search_with_facets
from search.index.records import doc_to_fields, section_to_fields
from search.index.store import Store
from search.trace import theme_table, trace
from tests.engines import AVAILABLE

DOCS, YEARS, FIRST, PER_SECTION = 3000, 10, 2015, 25


@pytest.fixture(scope="module", params=AVAILABLE)
def many(request, tmp_path_factory):
    """``(store, expected)``: the index, and the sections and documents of each (theme, year)."""
    root = tmp_path_factory.mktemp(f"many-{request.param}")
    store = Store(root)
    themes = [t.id for t in store.taxonomy().themes.values()]
    rng = random.Random(7)
    expected: dict[tuple, set] = {}
    with store.writer(fresh=True, engine=request.param) as (w, _manifest):
        for d in range(DOCS):
            year = FIRST + d % YEARS
            label = f"{year}-{(year + 1) % 100:02d}"
            doc = {"doc_id": f"d{d:04d}", "path": f"/many/d{d:04d}.txt", "sha256": f"{d:064x}",
                   "title": f"Report {d}", "publisher": f"Partnership {d % 7}",
                   "doc_type": "annual-report" if d % 2 else "review", "year": label, "year_start": year,
                   "sections": 1}
            tagged = rng.sample(themes, PER_SECTION)
            sec = {"section_id": f"d{d:04d}:1", "doc_id": doc["doc_id"], "ordinal": 0, "number": "1",
                   "heading": "Findings", "heading_path": ["1 Findings"], "level": 1,
                   "text": f"The partnership reviewed practice (wren{d % 3}).", "page_start": 1, "page_end": 1,
                   "page_offsets": [[0, 1]], "themes": tagged, "theme_evidence": {}, "year": label,
                   "year_start": year}
            w.add(doc_to_fields(doc))
            w.add(section_to_fields(sec, doc))
            for t in tagged:
                expected.setdefault((t, label), set()).add(doc["doc_id"])
        # and one document that states no year: its own column
        doc = {"doc_id": "undated", "path": "/many/undated.txt", "sha256": "f" * 64, "title": "Undated",
               "publisher": "", "doc_type": "other", "sections": 1}
        sec = {**sec, "section_id": "undated:1", "doc_id": "undated", "themes": themes[:2], "year": None,
               "year_start": None}
        w.add(doc_to_fields(doc))
        w.add(section_to_fields(sec, doc))
        for t in themes[:2]:
            expected.setdefault((t, "undated"), set()).add("undated")
    yield store, expected
    store.close()


def test_the_theme_table_counts_every_document_past_the_bucket_limit(many):
    store, expected = many
    table = theme_table(store)
    assert len(table["years"]) == YEARS + 1 and table["years"][-1] == "undated"
    for y in table["years"][:-1]:
        assert table["totals"][y] == {"sections": DOCS // YEARS, "documents": DOCS // YEARS}
    assert table["totals"]["undated"] == {"sections": 1, "documents": 1}
    for t in table["themes"]:
        for y in table["years"]:
            n = len(expected.get((t["id"], y), ()))
            assert t["counts"][y] == t["documents"][y] == n, (t["id"], y)
    assert sum(t["total"] for t in table["themes"]) == DOCS * PER_SECTION + 2


def test_trace_and_facets_count_in_the_engine_past_the_bucket_limit(many):
    store, expected = many
    theme = next(iter(store.taxonomy().themes.values()))
    data = trace(store, theme.id, examples=0)
    assert {y["year"]: (y["sections"], y["documents"]) for y in data["years"]} == {
        y: (len(docs), len(docs)) for (t, y), docs in expected.items() if t == theme.id and y != "undated"}

    res, facets = search_with_facets(store, "partnership")
    assert res.total == DOCS + 1 and facets["counted"] == DOCS + 1
    # the undated section counted under "undated", last: the year facet adds up to the matches
    assert facets["year"][-1] == {"value": "undated", "label": "undated", "count": 1}
    assert sum(f["count"] for f in facets["year"]) == DOCS + 1
    assert {f["value"]: f["count"] for f in facets["doc_type"]} == {"annual-report": DOCS // 2, "review": DOCS // 2,
                                                                    "other": 1}
    assert sum(f["count"] for f in facets["publisher"]) == DOCS
    counted = {f["value"]: f["count"] for f in facets["theme"]}
    assert counted == {t: sum(len(docs) for (u, _y), docs in expected.items() if u == t)
                       for t in {t for t, _y in expected}}
