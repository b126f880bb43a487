"""Tantivy ranks a query whose optional part only adds constants on the sections its required
part ranks best, when no other section can reach the top: the hits, their scores and order
(ties too) and the total are those of ranking every match with the whole query.

The index is written straight through the index core: 240 sections of one document, holding
"partnership" from one to eight times (so the required part, boosted, ranks them apart), some
"kestrel", some nothing of either.
"""
from __future__ import annotations

import pytest

from search.index import qtree as T
from search.index.records import doc_to_fields, section_to_fields
from search.index.store import Store
from tests.engines import AVAILABLE

pytestmark = pytest.mark.skipif("tantivy" not in AVAILABLE, reason="tantivy is not installed (Python 3.10)")

SECTIONS = 240
WORD = T.Term("text", "partnership", 20.0)  # common: its rarity alone would rank sections close together


def _text(n: int) -> str:
    if n % 10 == 9:
        return "The board met."
    words = " ".join(["partnership"] * (1 + n % 8))
    kestrel = " a kestrel" if n % 8 == 0 or n % 37 == 0 else ""
    return f"The {words} met{kestrel} in {2016 + n % 4}."


@pytest.fixture(scope="module")
def backend(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("bounded") / "ix")
    with store.writer(fresh=True, engine="tantivy") as (w, _manifest):
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


class _Counted:
    """The searcher, counting the searches run through it."""

    def __init__(self, searcher):
        self.searcher, self.searches = searcher, 0

    def search(self, *args, **kwargs):
        self.searches += 1
        return self.searcher.search(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.searcher, name)


def _ranked(backend, tree, flt, sort, limit, monkeypatch, whole: bool):
    """``(ids, scores, total)`` of a counted search, and how many engine searches it took."""
    from search.index.backends import tantivy as tb

    with monkeypatch.context() as m:
        if whole:  # as before: the whole query ranks every match
            m.setattr(tb, "_optional", lambda query: None)
        counted = _Counted(backend._searcher)
        m.setattr(backend, "_searcher", counted)
        top, total = backend.search_counted(tree, flt, sort, limit)
    return ([f.id for f in top], [f.score for f in top], total), counted.searches


CASES = {
    # kestrel adds little: the sections the required part ranks best are enough
    "small": T.AndMaybe(WORD, T.Const(T.Term("text", "kestrel"), 0.01)),
    # kestrel adds more than the required part's spread: more candidates, then every match
    "large": T.AndMaybe(WORD, T.Or((T.Const(T.Term("text", "kestrel"), 5.0), T.Const(T.Term("text", "met"), 0.5)))),
    # the optional part on equal scores: ties broken as the engine breaks them
    "ties": T.AndMaybe(T.Const(WORD, 1.0), T.Const(T.Term("text", "kestrel"), 0.25)),
    # sections outside the candidates reach the last place's score exactly ("board" sections
    # score what "partnership" ones with "kestrel" do): equal is not enough
    "level": T.AndMaybe(T.Or((T.Const(WORD, 1.0), T.Const(T.Term("text", "board"), 1.5))),
                        T.Const(T.Term("text", "kestrel"), 0.5)),
    # with an exclusion beside it
    "excluded": T.And((T.AndMaybe(WORD, T.Const(T.Term("text", "kestrel"), 0.3)), T.Not(T.Term("text", "2017")))),
}


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("limit", [1, 5, 20, 300])
def test_the_bounded_ranking_is_the_whole_querys(backend, monkeypatch, case, limit):
    tree = CASES[case]
    for flt in (None, T.Range("year_start", 2017, 2018), T.Range("year_start", 1990, 1991)):
        for sort in ("relevance", "year"):
            got, _ = _ranked(backend, tree, flt, sort, limit, monkeypatch, whole=False)
            want, _ = _ranked(backend, tree, flt, sort, limit, monkeypatch, whole=True)
            assert got == want, (case, limit, flt, sort)


def test_which_way_the_top_was_found(backend, monkeypatch):
    """The first candidates are enough for a small optional part (two engine searches: the
    40 best hold the sections with eight and seven words, the next 40 hold fewer); a large one
    needs more, and then the whole query (more searches), with the same hits; so does a tie
    across the last place (the five best are among some 27 alike)."""
    _, small = _ranked(backend, CASES["small"], None, "relevance", 40, monkeypatch, whole=False)
    _, large = _ranked(backend, CASES["large"], None, "relevance", 40, monkeypatch, whole=False)
    _, tied = _ranked(backend, CASES["small"], None, "relevance", 5, monkeypatch, whole=False)
    assert small == 2
    assert large > 2 and tied > 2
