"""A search's counts: the total comes with the ranked hits, the counts by year and document
when first read, the search page's facet tallies in the same engine pass as those, and a
query matching most sections counted by the sections it does not match (tantivy) — each
equal to counting the matches directly, on every engine, through writes.

The index is written straight through the index core: 40 small documents over four years,
most sections holding "partnership", a few "kestrel".
"""
from __future__ import annotations

import pytest

from search.facets import search_with_facets
from search.index.records import doc_to_fields, section_to_fields
from search.index.store import Store
from search.query import search
from tests.engines import AVAILABLE

DOCS, SECTIONS, FIRST, YEARS = 40, 5, 2019, 4
FIELDS = ("themes", "doc_type", "doc_id")


def _write(store: Store, engine: str) -> None:
    themes = [t.id for t in store.taxonomy().themes.values()]
    with store.writer(fresh=True, engine=engine) as (w, _manifest):
        for d in range(DOCS):
            year = FIRST + d % YEARS
            label = f"{year}-{(year + 1) % 100:02d}"
            doc = {"doc_id": f"d{d:02d}", "path": f"/lazy/d{d:02d}.txt", "sha256": f"{d:064x}", "title": f"Report {d}",
                   "publisher": f"Partnership {d % 3}", "doc_type": "annual-report" if d % 2 else "review",
                   "year": label, "year_start": year, "sections": SECTIONS}
            w.add(doc_to_fields(doc))
            for s in range(SECTIONS):
                words = "The partnership met" if (d + s) % 7 else "The board met"
                if (d * SECTIONS + s) % 23 == 0:
                    words += " a kestrel"
                sec = {"section_id": f"d{d:02d}:{s}", "doc_id": doc["doc_id"], "ordinal": s, "number": str(s + 1),
                       "heading": "Findings", "heading_path": [f"{s + 1} Findings"], "level": 1,
                       "text": f"{words} in {label} to review practice number {d}-{s}.", "page_start": 1,
                       "page_end": 1, "page_offsets": [[0, 1]], "themes": [themes[(d + s) % 5], themes[s % 3 + 5]],
                       "theme_evidence": {}, "year": label, "year_start": year}
                w.add(section_to_fields(sec, doc))


@pytest.fixture(params=AVAILABLE)
def lazy(request, tmp_path):
    store = Store(tmp_path / "ix")
    _write(store, request.param)
    yield store
    store.close()


def _direct(store: Store, res) -> tuple[dict, dict]:
    """The counts and tallies of a result's matches, counted on their own by the engine."""
    query, flt = res.matched
    backend = store.backend()
    return backend.counts(query, flt, ("years",)), backend.tallies(query, flt, FIELDS)


def _expected(store: Store, res) -> tuple[list, int, dict, dict]:
    counts, tallies = _direct(store, res)
    years = {f"{y}-{(y + 1) % 100:02d}": c for (y,), c in ((k, c) for k, c in counts.items() if k)}
    return sorted(years), counts[()].documents, years, tallies


@pytest.mark.parametrize("query", ["partnership", "kestrel", "partnership met", "practice -kestrel"])
@pytest.mark.parametrize("year", [None, "2020-21"])
def test_summary_and_facets_equal_the_direct_counts(lazy, query, year):
    res = search(lazy, query, year=year)
    years, documents, year_counts, tallies = _expected(lazy, res)
    assert res.total == sum(tallies["doc_id"].values()) > 0
    assert (res.years, res.documents, res.year_counts) == (years, documents, year_counts)
    assert res.sections_by_year == {y: c.sections for y, c in year_counts.items()}
    assert res.tallies(FIELDS) == tallies
    brief = search(lazy, query, year=year)  # the years and documents alone, counted the quicker way
    assert (brief.years, brief.documents) == (years, documents)
    # the page's facets, counted with the summary in one pass
    page, facets = search_with_facets(lazy, query, year=year)
    assert page.documents == documents and page.year_counts == year_counts
    assert {f["value"]: f["count"] for f in facets["theme"]} == tallies["themes"]
    assert {f["value"]: f["count"] for f in facets["doc_type"]} == tallies["doc_type"]
    assert sum(f["count"] for f in facets["publisher"]) == res.total


def test_counts_follow_writes(lazy):
    """Counts kept for the sections a query does not match are counted again after a write."""
    before = search(lazy, "partnership")
    assert before.total > DOCS * SECTIONS // 2  # most sections: counted by the sections it misses
    before.years, before.tallies(FIELDS)
    with lazy.writer() as (w, _manifest):
        w.delete_doc("d01")
        w.delete_doc("d02")
    after = search(lazy, "partnership")
    years, documents, year_counts, tallies = _expected(lazy, after)
    assert after.total < before.total and documents == DOCS - 2
    assert (after.years, after.documents, after.year_counts) == (years, documents, year_counts)
    assert after.tallies(FIELDS) == tallies and "d01" not in tallies["doc_id"]


class _Counting:
    """A backend whose counting calls are recorded (the rest passed through)."""

    def __init__(self, backend):
        self._backend, self.calls = backend, []

    def __getattr__(self, name):
        value = getattr(self._backend, name)
        if name in ("counts", "counts_and_tallies", "tallies"):
            def counted(*args, **kwargs):
                self.calls.append(name)
                return value(*args, **kwargs)
            return counted
        return value


def test_search_counts_by_year_only_when_read(lazy, monkeypatch):
    counting = _Counting(lazy.backend())
    monkeypatch.setattr(lazy, "backend", lambda: counting)
    res = search(lazy, "partnership")
    assert res.total > 0 and res.hits and counting.calls == []  # the hits and the total: no counting
    assert res.years and res.documents and res.sections_by_year
    assert len(counting.calls) == 1  # once for the years and documents
    assert res.year_counts and res.years and res.documents
    assert len(counting.calls) == 2  # and once more for the documents of each year


def test_page_counts_summary_and_facets_in_one_call(lazy, monkeypatch):
    counting = _Counting(lazy.backend())
    monkeypatch.setattr(lazy, "backend", lambda: counting)
    res, facets = search_with_facets(lazy, "kestrel")
    assert res.total and facets["theme"] and res.years and res.documents
    assert len(counting.calls) == 1
