"""Counting with the matching tree: :func:`search.index.qtree.matching` leaves out what only
ranks and the parts another part already covers, and must match exactly the same sections
as the tree it comes from, on every engine; the scores a search gives are unchanged."""
from __future__ import annotations

import random

import pytest

from corpus import corpus_dir
from ingest.pipeline import ingest
from search.index import qtree as T
from search.index.analysis import query_terms
from search.index.store import Store
from search.query import build_query, search
from tests.engines import AVAILABLE

W = T.Term("text", "neglect")
P = T.Phrase("text", ("neglect", "toolkit"), 0, 2.0)


def test_what_only_ranks_is_left_out():
    tree = T.AndMaybe(T.Or((T.Term("text", "neglect", 1.5), T.Const(T.Term("heading", "neglect"), 3.0))),
                      T.Const(P, 9.0))
    assert T.matching(tree) == T.Or((W, T.Term("heading", "neglect")))


def test_a_phrase_beside_one_of_its_words_is_dropped_from_alternatives():
    assert T.matching(T.Or((P, W))) == W
    assert T.matching(T.DisMax((T.Term("heading", "neglect"), P, W), 0.1)) == T.Or((T.Term("heading", "neglect"), W))
    # the same words in another field cover nothing
    other = T.Phrase("heading", ("neglect", "toolkit"))
    assert T.matching(T.Or((other, W))) == T.Or((other, W))


def test_a_conjunction_keeps_the_narrower_part_and_exclusions():
    assert T.matching(T.And((W, P))) == T.Phrase("text", ("neglect", "toolkit"))
    tree = T.And((W, T.Not(T.Term("text", "toolkit"))))
    assert T.matching(tree) == tree
    # a run of words beside a phrase of them: the phrase implies the run
    run = T.And((W, T.Term("text", "toolkit")))
    assert T.matching(T.Or((run, P))) == run


def test_a_long_alternative_keeps_its_words_and_drops_the_phrases_they_cover():
    words = [T.Term(f, f"w{n}") for n in range(300) for f in ("text", "heading")]
    phrases = [T.Phrase("text", (f"w{n}", "zz")) for n in range(0, 300, 7)] + [T.Phrase("title", ("w1", "w2"))]
    got = T.matching(T.Or(tuple(words + phrases)))
    assert got == T.Or(tuple(words + [T.Phrase("title", ("w1", "w2"))]))
    # in a conjunction the phrase is the narrower: the words it holds go
    assert T.matching(T.And((T.Term("text", "w1"), T.Term("text", "zz"), T.Phrase("text", ("w1", "w2"))))) == \
        T.And((T.Term("text", "zz"), T.Phrase("text", ("w1", "w2"))))


def test_repeats_go_and_nothing_is_dropped():
    assert T.matching(T.Or((W, T.Term("text", "neglect", 2.0), T.Nothing()))) == W
    assert isinstance(T.matching(T.Or((T.Nothing(),))), T.Nothing)


def test_a_phrase_beside_a_shorter_phrase_it_holds_is_dropped_from_alternatives():
    long = T.Phrase("text", ("child", "in", "care"), 1)
    short = T.Phrase("text", ("in", "care"), 1)
    assert T.matching(T.Or((long, short))) == short
    # a slop is the other words allowed in all: words one apart in a phrase of slop 1 stand two
    # or three places apart, so slop 2 is enough
    for slop in (2, 3):
        assert T.matching(T.Or((long, T.Phrase("text", ("child", "care"), slop)))) == T.Phrase("text", ("child", "care"), slop)
    for other in (T.Phrase("text", ("child", "care"), 1), T.Phrase("text", ("in", "care"), 0),
                  T.Phrase("heading", ("in", "care"), 1), T.Phrase("text", ("care", "in"), 1)):
        assert T.matching(T.Or((long, other))) == T.Or((long, other)), other
    # two words left out of a phrase need a slop of 2, not 1 between each two
    five = T.Phrase("text", ("a", "b", "c", "d", "e"))
    assert T.matching(T.Or((five, T.Phrase("text", ("a", "c", "e"), 1)))) == T.Or((five, T.Phrase("text", ("a", "c", "e"), 1)))
    assert T.matching(T.Or((five, T.Phrase("text", ("a", "c", "e"), 2)))) == T.Phrase("text", ("a", "c", "e"), 2)
    # a looser phrase may be read with its words out of order: nothing is claimed
    loose = T.Phrase("text", ("child", "in", "care"), 2)
    assert T.matching(T.Or((loose, T.Phrase("text", ("in", "care"), 5)))) == T.Or((loose, T.Phrase("text", ("in", "care"), 5)))
    # in a conjunction the longer phrase is the narrower
    assert T.matching(T.And((short, long))) == long
    # a phrase of slop 0 inside the same words with slop 1
    assert T.matching(T.Or((T.Phrase("text", ("in", "care")), short))) == short


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    out = {}
    for engine in AVAILABLE:
        root = tmp_path_factory.mktemp(f"match-{engine}")
        assert ingest([corpus_dir()], root, engine=engine).failed == []
        out[engine] = Store(root)
    yield out
    for s in out.values():
        s.close()


def _matched(backend, tree) -> set[str]:
    return {f.id for f in backend.search(tree, None, "relevance", 100_000)}


def _random_tree(rng: random.Random, runs: list[list[str]], depth: int = 0) -> T.Node:
    """A tree of the corpus's own words: terms, phrases of neighbouring words, and every node form."""
    field = rng.choice(["text", "heading", "title", "exact"])
    run = rng.choice(runs)
    if depth >= 3 or rng.random() < 0.3:
        if rng.random() < 0.5:
            return T.Term(field, rng.choice(run), rng.choice([1.0, 0.5, 2.0]))
        start = rng.randrange(max(1, len(run) - 2))
        return T.Phrase(field, tuple(run[start:start + rng.randint(2, 3)]), rng.choice([0, 1]), rng.choice([1.0, 0.6]))
    parts = tuple(_random_tree(rng, runs, depth + 1) for _ in range(rng.randint(1, 4)))
    kind = rng.choice(["or", "or", "and", "dismax", "const", "andmaybe", "not"])
    if kind == "or":
        return T.Or(parts, rng.choice([1.0, 3.0]))
    if kind == "and":
        return T.And(parts)
    if kind == "dismax":
        return T.DisMax(parts, 0.1)
    if kind == "const":
        return T.Const(T.any_of(parts), 2.5)
    if kind == "not":
        return T.And((parts[0], T.Not(_random_tree(rng, runs, depth + 1))))
    return T.AndMaybe(parts[0], _random_tree(rng, runs, depth + 1))


def _runs(store) -> list[list[str]]:
    """Runs of neighbouring words of the corpus's sections."""
    runs = []
    for sec in store.records("section")[:60]:
        words = [w for w in sec["text"].lower().split() if w.isalpha()]
        runs += [words[i:i + 6] for i in range(0, min(len(words), 60), 6) if len(words[i:i + 6]) >= 3]
    return runs


def _analysed(run: list[str], field: str) -> list[str]:
    """The words as a field's analyser makes them."""
    return query_terms(" ".join(run), stem=field != "exact")


@pytest.mark.parametrize("engine", AVAILABLE)
def test_a_phrase_is_found_only_where_the_shorter_phrases_it_holds_are(stores, engine):
    """What :func:`search.index.qtree.matching` takes a phrase to imply holds on the engine:
    no section has the phrase without the shorter one (words left out, slops as it allows)."""
    backend = stores[engine].backend()
    pairs = found = 0
    for run in _runs(stores[engine])[:80]:
        for field in ("text", "exact"):
            words = tuple(_analysed(run[:4], field))
            for slop in (0, 1):
                x = T.Phrase(field, words, slop)
                if len(words) < 3 or not backend.count(x, None):
                    continue
                found += 1
                for y in (T.Phrase(field, words[1:], slop), T.Phrase(field, words[:2], slop + 1),
                          T.Phrase(field, (words[0], words[2]), 2 * slop + 1), T.Phrase(field, words[::3], 3 * slop + 2)):
                    assert T.matching(T.Or((x, y))) == y, (x, y)
                    assert backend.count(T.And((x, T.Not(y))), None) == 0, (x, y)
                    pairs += 1
    assert found >= 20 and pairs >= 80


@pytest.mark.parametrize("engine", AVAILABLE)
def test_the_matching_tree_matches_the_same_sections(stores, engine):
    store = stores[engine]
    backend = store.backend()
    runs = _runs(store)
    schema_terms = {}  # the corpus's words as each field's analyser makes them

    def analysed(run: list[str], field: str) -> list[str]:
        key = (tuple(run), field)
        if key not in schema_terms:
            schema_terms[key] = _analysed(run, field)
        return schema_terms[key]

    def fix(node):  # each term as its field's analyser makes it
        if isinstance(node, T.Term):
            got = analysed([node.text], node.field)
            return T.Term(node.field, got[0], node.boost) if got else T.Nothing()
        if isinstance(node, T.Phrase):
            got = analysed(list(node.words), node.field)
            return T.Phrase(node.field, tuple(got), node.slop, node.boost) if len(got) > 1 else T.Nothing()
        if isinstance(node, (T.Or, T.And, T.DisMax)):
            return type(node)(**{**node.__dict__, "parts": tuple(fix(p) for p in node.parts)})
        if isinstance(node, T.Not):
            return T.Not(fix(node.part))
        if isinstance(node, T.Const):
            return T.Const(fix(node.part), node.score)
        if isinstance(node, T.AndMaybe):
            return T.AndMaybe(fix(node.must), fix(node.should))
        return node

    rng = random.Random(7)
    checked = nonempty = 0
    for _ in range(150):
        tree = fix(_random_tree(rng, runs))
        try:
            want = _matched(backend, tree)
        except Exception:  # a form this engine cannot run (negation alone, say) is not the point here
            continue
        assert _matched(backend, T.matching(tree)) == want, tree
        assert backend.count(tree, None) == len(want), tree
        checked += 1
        nonempty += bool(want)
    assert checked >= 100 and nonempty >= 30


QUERIES = ["looked after children", "pre-birth", "neglect -toolkit", "domestic abuse", "CSE",
           '"early help" assessment', "what did the board say about children going missing", "safeguard*"]


@pytest.mark.parametrize("engine", AVAILABLE)
def test_searches_count_as_the_full_trees_do(stores, engine):
    store = stores[engine]
    backend = store.backend()
    for q in QUERIES:
        built = build_query(store, q)
        for tree in (built.query, built.every, built.matches):
            assert backend.count(tree, None) == len(_matched(backend, tree)), (q, tree)
        res = search(store, q, limit=20)
        assert res.total == len(_matched(backend, built.matches)), q


@pytest.mark.parametrize("engine", AVAILABLE)
def test_a_ranked_search_counts_what_a_count_counts(stores, engine):
    store = stores[engine]
    backend = store.backend()
    filters = [None, T.Range("year_start", 2016, 2017), T.Range("year_start", 1990, 1991),  # the last allows nothing
               T.Term("doc_type", "annual-report")]
    for q in QUERIES:
        tree = build_query(store, q).query
        for flt in filters:
            want = backend.count(tree, flt)
            for sort in ("relevance", "year"):
                top, total = backend.search_counted(tree, flt, sort, 5)
                assert total == want, (q, flt, sort)
                assert [f.id for f in top] == [f.id for f in backend.search(tree, flt, sort, 5)], (q, flt, sort)
                assert len(top) == min(5, want), (q, flt, sort)


@pytest.mark.skipif("tantivy" not in AVAILABLE, reason="tantivy is not installed (Python 3.10)")
def test_constants_score_as_before_on_tantivy(stores, monkeypatch):
    """A constant scores the same whichever tree finds its sections: the hits and their
    scores are those of the constants' full trees."""
    store = stores["tantivy"]
    def hits(q):
        found = search(store, q, limit=30).hits
        return [h.section["section_id"] for h in found], [h.score for h in found]

    got = {q: hits(q) for q in QUERIES}
    monkeypatch.setattr(T, "matching", lambda node: node)
    for q in QUERIES:
        ids, scores = hits(q)
        assert ids == got[q][0] and scores == pytest.approx(got[q][1]), q
