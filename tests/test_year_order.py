"""A query's sections listed in year order without its optional part (what only ranks,
:func:`search.index.qtree.required`): the hits, their order (ties too) and the total are
those of the whole query, on every engine.

The index is written straight through the index core: 240 sections of one document over four
years, holding "partnership" from one to eight times, some "kestrel", some neither.
"""
from __future__ import annotations

import pytest

from search.index import qtree as T
from search.index.records import doc_to_fields, section_to_fields
from search.index.store import Store
from tests.engines import AVAILABLE

SECTIONS = 240
WORD = T.Term("text", "partnership", 20.0)


def _text(n: int) -> str:
    if n % 10 == 9:
        return "The board met."
    words = " ".join(["partnership"] * (1 + n % 8))
    kestrel = " a kestrel" if n % 8 == 0 or n % 37 == 0 else ""
    return f"The {words} met{kestrel} in {2016 + n % 4}."


@pytest.fixture(scope="module", params=AVAILABLE)
def backend(request, tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("year-order") / "ix")
    with store.writer(fresh=True, engine=request.param) as (w, _manifest):
        doc = {"doc_id": "d", "path": "/b/d.txt", "sha256": "0" * 64, "title": "Report", "publisher": "",
               "doc_type": "review", "year": "2016-17", "year_start": 2016, "sections": SECTIONS}
        w.add(doc_to_fields(doc))
        for n in range(SECTIONS):
            year = 2016 + n % 4
            sec = {"section_id": f"d:{n}", "doc_id": "d", "ordinal": n, "number": str(n), "heading": "Findings",
                   "heading_path": [], "level": 1, "text": _text(n), "page_start": 1, "page_end": 1,
                   "page_offsets": [[0, 1]], "themes": [], "theme_evidence": {},
                   "year": f"{year}-{(year + 1) % 100:02d}", "year_start": year}
            w.add(section_to_fields(sec, doc))
    yield store.backend()
    store.close()


def _listed(backend, tree, flt, sort, limit, monkeypatch, whole: bool):
    """``(ids, scores, total)`` of a counted search; ``whole``: the whole query lists them."""
    with monkeypatch.context() as m:
        if whole:
            m.setattr(T, "required", lambda query: query)
        top, total = backend.search_counted(tree, flt, sort, limit)
    return [f.id for f in top], [f.score for f in top], total


CASES = {
    "small": T.AndMaybe(WORD, T.Const(T.Term("text", "kestrel"), 0.01)),
    "large": T.AndMaybe(WORD, T.Or((T.Const(T.Term("text", "kestrel"), 5.0), T.Const(T.Term("text", "met"), 0.5)))),
    # on equal scores: ties broken as the engine breaks them
    "ties": T.AndMaybe(T.Const(WORD, 1.0), T.Const(T.Term("text", "kestrel"), 0.25)),
    "level": T.AndMaybe(T.Or((T.Const(WORD, 1.0), T.Const(T.Term("text", "board"), 1.5))),
                        T.Const(T.Term("text", "kestrel"), 0.5)),
    # with an exclusion beside it
    "excluded": T.And((T.AndMaybe(WORD, T.Const(T.Term("text", "kestrel"), 0.3)), T.Not(T.Term("text", "2017")))),
}


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("limit", [1, 5, 20, 300])
def test_a_year_order_is_the_whole_querys(backend, monkeypatch, case, limit):
    tree = CASES[case]
    for flt in (None, T.Range("year_start", 2017, 2018), T.Range("year_start", 1990, 1991)):
        for sort in ("year", "relevance"):
            got = _listed(backend, tree, flt, sort, limit, monkeypatch, whole=False)
            assert got == _listed(backend, tree, flt, sort, limit, monkeypatch, whole=True), (case, limit, flt, sort)
            assert got[2] == backend.count(tree, flt)


def test_the_required_part_is_the_tree_without_its_optional_part():
    must, should, no = T.Term("text", "a"), T.Term("text", "b"), T.Not(T.Term("text", "c"))
    assert T.required(T.AndMaybe(must, should)) == must
    assert T.required(T.And((T.AndMaybe(must, should), no))) == T.And((must, no))
    for kept in (must, None, T.AndMaybe(must, should, 2.0), T.Or((T.AndMaybe(must, should), should))):
        assert T.required(kept) == kept
