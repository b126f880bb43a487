"""The query syntax read by our own parser (search.parse) and analysed in plain Python.

The parser and the query-side analysis replace Whoosh's on the query path, so that a
tantivy query loads no Whoosh module: the trees they give are compared with Whoosh's own
parser (and analysers) on generated queries, odd input has a reading or a one-line error,
and a tantivy query in a fresh process is checked for the modules it loaded.
"""
from __future__ import annotations

import json
import random
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.index import qtree
from search.index.analysis import STOP_WORDS, accent_map, query_terms
from search.index.schema import field_terms
from search.parse import parse
from search.query import QueryError, SearchResult, search
from tests.engines import AVAILABLE

BOOSTS = {"heading": 2.0, "title": 1.5, "text": 1.0}
FIELDS = ["heading", "text", "title"]


def tree(text: str, fields=FIELDS) -> qtree.Node:
    return parse(text, fields, BOOSTS, field_terms)


def terms_of(field: str, word: str, boost: float) -> qtree.Node:
    return qtree.Term(field, field_terms(field, word)[0], boost)


def word(w: str) -> qtree.Node:
    return qtree.Or(tuple(terms_of(f, w, BOOSTS[f]) for f in FIELDS))


def test_words_side_by_side_all_match_and_or_binds_closer():
    assert tree("neglect audit") == qtree.And((word("neglect"), word("audit")))
    # OR joins its neighbours; words side by side are all required around it
    assert tree("neglect audit OR review") == qtree.And((word("neglect"), qtree.Or((*word("audit").parts,
                                                                                     *word("review").parts))))
    assert tree("neglect AND audit OR review") == tree("(neglect AND audit) OR review")


def test_not_excludes_and_binds_closest():
    assert tree("neglect NOT toolkit") == qtree.And((word("neglect"), qtree.Not(word("toolkit"))))
    assert tree("NOT toolkit") == qtree.Not(word("toolkit"))


def test_phrases_in_double_and_single_quotes_with_slop():
    phrase = qtree.Or(tuple(qtree.Phrase(f, ("male", "carer"), 0, BOOSTS[f]) for f in FIELDS))
    assert tree('"male carers"') == phrase
    assert tree("'male carers'") == phrase
    assert tree('"male carers"~3') == qtree.Or(tuple(qtree.Phrase(f, ("male", "carer"), 2, BOOSTS[f]) for f in FIELDS))
    # a word the analyser makes several terms of is a phrase of them
    assert tree("neglect,toolkit") == qtree.Or(tuple(qtree.Phrase(f, ("neglect", "toolkit"), 0, BOOSTS[f]) for f in FIELDS))


def test_a_quoted_single_word_is_a_term_as_whoosh_made_it():
    # one word in quotes keeps no field weight: Whoosh's parser gave this, and the ranking was fitted with it
    assert tree('"neglect"') == qtree.Or(tuple(qtree.Term(f, "neglect") for f in FIELDS))


@pytest.mark.parametrize("text", [
    '"unbalanced quote', "unbalanced quote\"", "(open group", "closed ) group", "((", "))", "AND", "OR", "NOT",
    "NOT NOT neglect", "neglect AND", "OR neglect", "AND OR NOT", "neglect OR OR audit", "- neglect", "--neglect",
    "neglect -", "!!!", "?", "*", ":", "title:neglect", "[a TO b]", "{a TO b}", "x ANDNOT y", "*:*", "^2", "~",
    "café", "naïve", "straße", "🙂", "日本語", "\u200b", "\x00", "neglect\x00audit", "'", "''", '""', "\"'\"'",
    "a" * 3000, "(" * 200 + "neglect" + ")" * 200, "NOT " * 100 + "neglect",
])
def test_odd_input_is_read_or_refused_in_one_line(store, text):
    assert isinstance(tree(text), qtree.Node)
    try:
        res = search(store, text)
    except QueryError as e:
        assert "\n" not in str(e) and str(e)
    else:
        assert isinstance(res, SearchResult)


def test_odd_input_readings():
    assert tree('"unbalanced quote') == tree("unbalanced quote")  # the quote is no word
    assert tree("(open group") == tree("open group")
    assert tree("neglect AND") == tree("neglect and")  # an operator needs a space on each side
    assert tree("neglect AND  ") == tree("neglect")
    assert tree(" AND neglect") == tree("neglect")  # an operator with nothing to join is dropped
    assert tree("NOT NOT neglect") == tree("neglect")
    assert tree("x ANDNOT y") == tree("x andnot y")  # not an operator of ours: a word
    assert tree("!!!") == qtree.Nothing()
    assert tree("café") == word("cafe")


# -- the same trees as Whoosh's parser -----------------------------------------------------
PIECES = ['"', "'", "(", ")", "AND", "OR", "NOT", "and", "or", "pre", "birth", "pre-birth", "neglect", "toolkit",
          '"male carers"', "'male carers'", '"a b"~3', "~2", "2016/17", "2016-17", "é", "café", "children's",
          "multi-agency", "tool", "kit", "x", "the", '"neglect"', "zzsynmark0", "^", ":", "title:x", "?", "*", "/",
          "ß", "🙂", "\u200b", "-"]


def _whoosh_tree(text: str, fields: list[str]) -> qtree.Node | None:
    """Whoosh's parser as the query path used it, its tree made neutral (None when it failed)."""
    from whoosh import qparser
    from whoosh import query as wq

    from search.index.backends.whoosh import make_schema

    p = qparser.MultifieldParser(fields, make_schema(), group=qparser.AndGroup,
                                 fieldboosts={f: BOOSTS[f] for f in fields if f in BOOSTS})
    for plugin in (qparser.WildcardPlugin, qparser.FieldsPlugin, qparser.BoostPlugin):
        p.remove_plugin_class(plugin)
    try:
        q = p.parse(text)
    except Exception:  # noqa: BLE001 - Whoosh failed on some odd input; ours reads it
        return None

    def neutral(q):
        t = type(q)
        if t is wq.Term:
            return qtree.Term(q.fieldname, q.text, q.boost)
        if t is wq.Phrase:
            return qtree.Phrase(q.fieldname, tuple(q.words), max(q.slop - 1, 0), q.boost)
        if t in (wq.And, wq.Or):
            return (qtree.And if t is wq.And else qtree.Or)(tuple(neutral(s) for s in q.subqueries), q.boost)
        if t is wq.Not:
            return qtree.Not(neutral(q.query))
        assert q is wq.NullQuery, q
        return qtree.Nothing()

    return neutral(q)


def test_the_same_trees_as_whooshs_parser_on_generated_queries():
    rnd = random.Random(29)
    compared = 0
    for _ in range(2000):
        text = rnd.choice([" ", " ", ""]).join(rnd.choice(PIECES) for _ in range(rnd.randint(1, 8)))
        fields = rnd.choice([FIELDS, ["exact"]])
        expected = _whoosh_tree(text, fields)
        if expected is None:
            continue
        compared += 1
        assert tree(text, fields) == expected, text
    assert compared > 1800


# -- query-side analysis in plain Python -----------------------------------------------------
@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(), st.lists(st.sampled_from(PIECES + ["Pre Birth", "well being", "2016/2017", "Æsop",
                                                               "ﬁnance", "ΣΑΣ"]), max_size=12).map(" ".join)))
def test_query_terms_are_the_whoosh_analysers_terms(text):
    from search.index.analysis import exact_analyzer, text_analyzer

    assert query_terms(text) == [t.text for t in text_analyzer()(text, mode="query")]
    assert query_terms(text, stem=False) == [t.text for t in exact_analyzer()(text, mode="query")]


def test_our_accent_table_and_stop_words_are_whooshs():
    from whoosh.analysis import STOP_WORDS as WHOOSH_STOP_WORDS
    from whoosh.support.charset import accent_map as whoosh_accents

    assert accent_map() == whoosh_accents
    assert STOP_WORDS == WHOOSH_STOP_WORDS


# -- a tantivy query loads no Whoosh (nor shutil, which only writes need) --------------------
_LOADED = """
import json, sys
from cli import main
try:
    main([sys.argv[1], "--index", sys.argv[2]], standalone_mode=False)
except SystemExit:
    pass
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules} & {"whoosh", "spacy", "pdfplumber", "shutil"})))
"""


@pytest.mark.skipif("tantivy" not in AVAILABLE, reason="tantivy needs Python 3.11+")
@pytest.mark.parametrize("query", ["pre-birth", '"male carers" -toolkit', "neglect OR abuse"])
def test_a_tantivy_query_loads_no_whoosh_spacy_pdfplumber_or_shutil(tmp_path, query):
    from ingest.pipeline import ingest

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "report.txt").write_text(
        "Annual Report 2021-22\n\n1 Pre-birth\n\nPre-birth assessments and fathers and male carers.\n\n"
        "2 Neglect\n\nThe neglect toolkit and domestic abuse.\n", encoding="utf-8")
    ingest([tmp_path / "docs"], tmp_path / "ix", tag=False, engine="tantivy")
    out = subprocess.run([sys.executable, "-c", _LOADED, query, str(tmp_path / "ix")], capture_output=True,
                         text=True, check=True, cwd=tmp_path)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []
    assert "Pre-birth" in out.stdout or "Neglect" in out.stdout or "neglect" in out.stdout


@pytest.mark.parametrize("module", ["search/parse.py", "search/query.py", "search/snippets.py", "search/export.py",
                                    "search/index/schema.py", "search/index/store.py", "cli.py", "cliformat.py"])
def test_the_query_path_imports_no_whoosh(module):
    """Whoosh is imported by its backend and by the analysis module's Whoosh analysers only."""
    import ast
    from pathlib import Path

    source = (Path(__file__).resolve().parent.parent / module).read_text(encoding="utf-8")
    names = {a.name for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module for n in ast.walk(ast.parse(source)) if isinstance(n, ast.ImportFrom) and n.module}
    assert not any(m == "whoosh" or m.startswith("whoosh.") for m in names)


# -- a query loads only what answering it needs ----------------------------------------------
_OTHER_COMMANDS = ("ingest", "web", "corpus", "search.recur", "search.report", "search.export", "search.facets",
                   "search.trace", "search.filters", "search.browse", "search.table", "rapidfuzz", "multiprocessing",
                   "spacy", "pdfplumber")
_LOADED_BY_QUERY = """
import json, sys
from cli import main
try:
    main([sys.argv[1], "--index", sys.argv[2]], standalone_mode=False)
except SystemExit:
    pass
import usecases
print(json.dumps({"modules": sorted(sys.modules), "checklist": usecases._line_patterns.cache_info().currsize}))
"""


@pytest.mark.parametrize("engine", AVAILABLE)
def test_a_query_loads_no_module_of_other_commands_nor_the_checklist_patterns(tmp_path, engine):
    """Start-up is part of a query's time: what only ingest, recur, export, the web page, the
    counts or a misspelt word need stays out of a process that answers a plain query, and the
    checklist's line patterns (``recur --check FILE``) are not compiled."""
    from ingest.pipeline import ingest

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "report.txt").write_text(
        "Annual Report 2021-22\n\n1 Pre-birth\n\nPre-birth assessments and fathers and male carers.\n", encoding="utf-8")
    ingest([tmp_path / "docs"], tmp_path / "ix", tag=False, engine=engine)
    out = subprocess.run([sys.executable, "-c", _LOADED_BY_QUERY, "pre-birth", str(tmp_path / "ix")],
                         capture_output=True, text=True, check=True, cwd=tmp_path)
    assert "Pre-birth" in out.stdout
    loaded = json.loads(out.stdout.strip().splitlines()[-1])
    assert "search.query" in loaded["modules"]
    assert [m for m in loaded["modules"] if m.split(".")[0] in _OTHER_COMMANDS
            or ".".join(m.split(".")[:2]) in _OTHER_COMMANDS] == []
    assert loaded["checklist"] == 0
