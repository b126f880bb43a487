"""The tantivy matcher answers exactly as Whoosh's own matching, and stays in step with it."""
from __future__ import annotations

import shutil

import pytest
from whoosh import query as wq

from corpus import corpus_dir
from ingest.pipeline import ingest
from search import engine
from search.index import Store
from search.matching import EngineMatcher, WhooshMatcher
from search.query import search

pytestmark = pytest.mark.skipif(not engine.AVAILABLE, reason="tantivy 0.27+ is not installed (Python 3.10)")

QUERIES = [
    "pre-birth", "pre birth", "prebirth", "neglect", "voice of the child", '"strategy discussions"',
    "neglect -toolkit", "male carers", "fathers", "2016/17", "multi-agency", "agency", "recommendations",
    "CSE", "safeguarding partnership board", "domestic abuse", '"child protection" conference',
    "graded care profile", "county lines", "escalation policy", "zzzunknownword safeguarding",
]
FILTERS = [
    {}, {"year": "2020-21"}, {"from_year": "2016", "to_year": "2019"}, {"theme": ["neglect"]},
    {"theme": ["domestic-abuse", "pre-birth"]}, {"doc_type": "annual-report"}, {"exact": True},
    {"publisher": "Somerset Safeguarding Children Partnership"},
]


def _whoosh_only(monkeypatch):
    monkeypatch.setattr(Store, "engine", lambda self: None)


def _answer(store, q, **kw):
    r = search(store, q, limit=1000, **kw)
    return (r.total, r.mode, r.years, r.documents, sorted(h.section["section_id"] for h in r.hits),
            sorted(r.themes))


def test_corpus_index_uses_the_engine(store):
    assert store.engine() is not None


@pytest.mark.parametrize("flt", FILTERS, ids=lambda f: ",".join(f) or "none")
def test_engine_and_whoosh_match_the_same_sections(store, monkeypatch, flt):
    got = {q: _answer(store, q, **flt) for q in QUERIES}
    assert any(a[0] for a in got.values()), "the filter left nothing to compare"
    with monkeypatch.context() as m:
        _whoosh_only(m)
        want = {q: _answer(store, q, **flt) for q in QUERIES}
    assert got == want


def test_engine_terms_are_the_analyzers_terms(store):
    """One pass of the unstemmed analyzer gives every field's terms, as Whoosh indexes them."""
    from search.analysis import exact_analyzer, text_analyzer

    def direct(analyzer, text):
        return [(t.text, t.pos) for t in analyzer(text, positions=True, mode="index")]

    text_a, exact_a = text_analyzer(), exact_analyzer()
    cases = [(s["heading"], s["text"], s["title"], s["publisher"] or "") for s in store.records("section")]
    cases += [("Working with the pre", "birth team: multi-agency 2016/17", "T", ""), ("", "co-sleeping", "", "")]
    for heading, text, title, publisher in cases:
        got = engine.section_terms(heading, text, title, publisher)
        assert got["heading"] == direct(text_a, heading)
        assert got["text"] == direct(text_a, text)
        assert got["title"] == direct(text_a, title)
        assert got["publisher"] == direct(exact_a, publisher)
        assert got["exact"] == direct(exact_a, f"{heading}\n{text}")


def test_year_sort_is_newest_first(store):
    r = search(store, "neglect", sort="year", limit=50)
    starts = [h.section["year_start"] for h in r.hits]
    assert starts == sorted(starts, reverse=True) and len(set(starts)) > 1


@pytest.mark.parametrize("matcher", ["engine", "whoosh"])
def test_literal_matches_rank_before_sections_found_by_their_tag(store, monkeypatch, matcher):
    if matcher == "whoosh":
        _whoosh_only(monkeypatch)
    r = search(store, "unborn", limit=1000)
    assert r.themes == ["pre-birth"]
    literal = ["unborn" in (h.section["heading"] + h.section["text"]).lower() for h in r.hits]
    # every section that says "unborn" comes before those found by their pre-birth tag alone
    assert literal == sorted(literal, reverse=True) and any(literal) and not all(literal)


def test_syntax_tantivy_cannot_express_falls_back_to_whoosh(store):
    s = store.searcher()
    slop = wq.Phrase("text", ["strategi", "discuss"], slop=3)
    with pytest.raises(engine.Unsupported):
        engine.translate(slop, store.engine().schema)
    m = EngineMatcher(store, store.engine(), None, "relevance", 50)
    found = m.run(slop)
    assert found.total > 0
    assert {h.id for h in found.top} == {h.id for h in WhooshMatcher(store, None, "relevance", 50).run(slop).top}
    assert s is store.searcher()
    r = search(store, '"strategy discussions"~3')
    assert r.total >= search(store, '"strategy discussions"').total > 0


def test_translate_covers_the_parsed_forms(store):
    schema = store.engine().schema
    ts = store.engine().searcher()
    text = wq.Term("text", "neglect")
    for q in [text, wq.Phrase("text", ["voic", "of", "the", "child"]), wq.And([text, wq.Not(wq.Term("text", "toolkit"))]),
              wq.AndNot(text, wq.Term("text", "toolkit")), wq.Or([text, wq.Term("themes", "neglect", boost=0.3)]),
              wq.NumericRange("year_start", 2016, 2020), wq.Term("heading", "neglect", boost=2.0),
              wq.DisjunctionMax([text, wq.Term("heading", "neglect")], tiebreak=0.1)]:
        assert ts.search(engine.translate(q, schema), 5).count > 0, q
    for q in [wq.Prefix("text", "negl"), wq.TermRange("text", "a", "c"), wq.NumericRange("ordinal", 1, 2),
              wq.Ordered([text, wq.Term("text", "toolkit")]), wq.Or([text, wq.Not(wq.Term("text", "toolkit"))])]:
        with pytest.raises(engine.Unsupported):
            engine.translate(q, schema)


def _copy(corpus_index, tmp_path):
    root = tmp_path / "ix"
    shutil.copytree(corpus_index, root)
    return root


def test_out_of_step_engine_is_not_used_and_the_next_ingest_repairs_it(corpus_index, tmp_path):
    root = _copy(corpus_index, tmp_path)
    st = Store(root)
    before = _answer(st, "pre-birth")
    gen = st.current_dir()
    # as if an ingest were killed after the Whoosh commit and before tantivy's
    engine.write_stamp(gen, engine.read_stamp(gen) - 1)
    st.close()
    assert st.engine() is None
    assert _answer(st, "pre-birth") == before
    st.close()
    report = ingest([corpus_dir()], root)
    assert report.added == [] and report.updated == []
    assert st.engine() is not None and _answer(st, "pre-birth") == before
    st.close()


def test_missing_engine_folder_is_rebuilt_by_the_next_ingest(corpus_index, tmp_path):
    root = _copy(corpus_index, tmp_path)
    st = Store(root)
    before = _answer(st, "neglect")
    gen = st.current_dir()
    shutil.rmtree(gen / engine.ENGINE_DIR)
    st.close()
    assert st.engine() is None and _answer(st, "neglect") == before
    st.close()
    ingest([corpus_dir()], root)
    assert st.engine() is not None and _answer(st, "neglect") == before
    st.close()


def test_incremental_ingest_keeps_the_engine_in_step(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("Annual Report 2019-20\n\n1. Neglect\n\nWork on neglect and the toolkit.\n",
                               encoding="utf-8")
    root = tmp_path / "ix"
    ingest([src], root, tag=False)
    st = Store(root)
    assert st.engine() is not None and search(st, "toolkit").total == 1
    st.close()
    (src / "a.txt").write_text("Annual Report 2019-20\n\n1. Neglect\n\nWork on neglect and graded care.\n",
                               encoding="utf-8")
    (src / "b.txt").write_text("Annual Report 2020-21\n\n1. Toolkit\n\nThe toolkit was relaunched.\n",
                               encoding="utf-8")
    ingest([src], root, tag=False)
    assert st.engine() is not None
    r = search(st, "toolkit")
    assert r.total == 1 and r.hits[0].section["year"] == "2020-21"
    (src / "b.txt").unlink()
    ingest([src], root, tag=False)
    assert search(st, "toolkit").total == 0 and search(st, "graded").total == 1
    st.close()


def _postings(root) -> dict:
    """Every positional field's postings, as {(field, term): {record id: positions}}."""
    st = Store(root)
    s = st.searcher()
    ids = {n: f["id"] for n, f in s.iter_docs()}
    out = {}
    r = s.reader()
    for field in ("heading", "text", "title", "exact", "publisher"):
        for term in r.lexicon(field):
            m = r.postings(field, term)
            out[(field, term)] = {ids[d]: list(v) for d, v in m.items_as("positions")}
    st.close()
    return out


def test_whoosh_indexes_the_same_postings_when_it_replays_the_engines_terms(tmp_path, monkeypatch):
    import search.index as index

    # tagged: sections written ahead of their tags; untagged: written whole
    ingest([corpus_dir()], tmp_path / "ahead")
    ingest([corpus_dir()], tmp_path / "at-add", tag=False)
    # Whoosh's own index methods (its analyzers) for every field
    monkeypatch.setattr(index._ReplayIndex, "__call__", lambda self, value, **kw: self.index(value, **kw))
    ingest([corpus_dir()], tmp_path / "analysed", tag=False)
    analysed = _postings(tmp_path / "analysed")
    assert len(analysed) > 5000
    assert _postings(tmp_path / "ahead") == analysed and _postings(tmp_path / "at-add") == analysed
    st = Store(tmp_path / "ahead")  # the schema kept in the index has the fields' own methods
    assert all("index" not in vars(st.index().schema[f]) for f in ("text", "exact"))
    st.close()
