"""The backend contract: every engine holds and answers the same index the same way.

The bundled corpus is ingested once per engine; every library call that reads the index
must then give the same sections, totals, years, counts and JSON (scores aside: each
engine ranks with its own BM25). Also: the engine is recorded in the index and chosen
only when it is created (``--rebuild --engine`` switches it), an index from an older
version is rebuilt from its recorded files, and an engine that cannot run here is one line.
"""
from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from corpus import corpus_dir
from ingest.pipeline import ingest
from search.browse import document, documents, section
from search.cite import cite_items
from search.index import qtree
from search.index.analysis import query_terms
from search.index.backends import EngineUnavailable, backend_class
from search.index.lock import IndexBusy
from search.index.store import RETIRED, Store
from search.query import search, suggest
from search.recur import recur
from search.trace import theme_table, trace
from tests.engines import AVAILABLE

ROOT = Path(__file__).resolve().parent.parent
needs_both = pytest.mark.skipif(len(AVAILABLE) < 2, reason="tantivy is not installed (Python 3.10)")


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    """The bundled corpus in an index of each engine."""
    out = {}
    for engine in AVAILABLE:
        root = tmp_path_factory.mktemp(f"corpus-{engine}")
        report = ingest([corpus_dir()], root, engine=engine)
        assert report.failed == [] and len(report.added) == 5
        out[engine] = Store(root)
        assert out[engine].engine_name() == engine
    yield out
    for s in out.values():
        s.close()


def _examples_as_sets(data: dict) -> dict:
    """A trace with each year's examples as a set of (section, citation, snippet)."""
    for y in data["years"]:
        y["examples"] = {(e["section_id"], e["citation"], e["snippet"]) for e in y["examples"]}
    return data


def same(stores, call):
    """``call(store)`` for each engine; asserts they are equal and returns one."""
    answers = {engine: call(store) for engine, store in stores.items()}
    first = next(iter(answers.values()))
    for engine, answer in answers.items():
        assert answer == first, f"{engine} differs"
    return first


def unscored(res) -> dict:
    """A search result's JSON without what depends on each engine's scoring (scores, order)."""
    data = res.to_json()
    results = sorted(({k: v for k, v in r.items() if k not in ("rank", "score")} for r in data.pop("results")),
                     key=lambda r: r["section_id"])
    return {**data, "results": results, "years": res.years, "documents": res.documents}


QUERIES = [
    ("pre-birth", {}), ("pre birth", {}), ("neglect", {"year": "2016-17"}), ("neglect -toolkit", {}),
    ('"male carers"', {}), ("training", {"from_year": "2019", "to_year": "2021-22"}),
    ("safeguarding", {"doc_type": "annual-report"}), ("safeguarding", {"publisher": "Integrated Care Board"}),
    ("neglect", {"theme": "domestic-abuse"}), ("recommendations", {"exact": True}), ("neglect toolkit", {}),
    ("zzzneglekt", {}), ("neglect OR asthma", {}), ("fathers", {"sort": "year"}),
    ("looked after children", {}), ("children in care", {}), ('"children care"~3', {}), ('"from the the"~2', {}),
    ("Race, ethnicity and culture", {}), ("parental mental ill health", {}),
]


@needs_both
@pytest.mark.parametrize(("query", "options"), QUERIES)
def test_the_same_query_gives_the_same_sections_totals_and_years(stores, query, options):
    res = same(stores, lambda s: unscored(search(s, query, limit=1000, **options)))
    if query != "zzzneglekt":
        assert res["total"] > 0 and res["total"] == len(res["results"])


@needs_both
def test_year_sort_is_newest_first_on_every_engine(stores):
    for store in stores.values():
        res = search(store, "training", limit=50, sort="year")
        years = [h.section["year_start"] for h in res.hits]
        assert years == sorted(years, reverse=True) and len(years) == min(50, res.total) > 20


@needs_both
def test_ranking_agrees_at_the_top(stores):
    """BM25 differs in detail between engines, but a clear best match is best on both."""
    tops = {e: [h.section["section_id"] for h in search(s, '"Neglect Toolkit"', limit=3).hits]
            for e, s in stores.items()}
    assert len({t[0] for t in tops.values()}) == 1, tops


@needs_both
def test_counts_tables_traces_and_browsing_agree(stores):
    table = same(stores, theme_table)
    assert table["years"] and any(t["total"] for t in table["themes"])
    for q in ("neglect", "pre-birth", "male carers", "fathers-male-carers"):
        # the same counts and the same examples each year; two examples whose scores are
        # nearly equal may come in either order, as each engine's BM25 weighs length its own way
        data = same(stores, lambda s, q=q: _examples_as_sets(trace(s, q, examples=2)))
        assert data["years"] and all(y["examples"] for y in data["years"])
    same(stores, documents)
    same(stores, lambda s: document(s, "ccg-2021-22"))
    same(stores, lambda s: section(s, "ccg-2021-22:3"))
    same(stores, lambda s: s.records("item"))
    same(stores, lambda s: recur(s))
    same(stores, lambda s: suggest(s, "neglekt domestc"))
    for by in (("year_start",), ("themes",), ("doc_type",), ("doc_id",), ("themes", "year_start")):
        counts = same(stores, lambda s, by=by: s.backend().counts(None, None, by))
        assert counts[()].sections == 237 and counts[()].documents == 5


def _numbered_parts(tmp_path, engine: str, texts: dict[str, str]):
    """An index of one report whose numbered parts hold ``texts`` (number -> text), and what
    finds the numbers of the parts a query tree ranks."""
    src = tmp_path / "in"
    src.mkdir()
    body = "".join(f"\n{n} Part {n}\n\n{t}\n" for n, t in texts.items())
    (src / "a.txt").write_text(f"Report on phrases\nAnnual Report 2020/21\n{body}", encoding="utf-8")
    assert ingest([src], tmp_path / "ix", tag=False, engine=engine).ok
    store = Store(tmp_path / "ix")

    def found(node) -> set[str]:
        hits = store.backend().search(node, None, "relevance", 50)
        return {n for h in hits for n, t in texts.items() if t in store.backend().get(h.id)["text"]}

    return store, found


@pytest.mark.parametrize("engine", AVAILABLE)
def test_a_phrase_slop_counts_the_other_words_in_all_and_keeps_the_order(tmp_path, engine):
    """A slop of 1 lets one other word stand in the whole phrase, not one between each two
    words; a larger slop never lets the words change places."""
    texts = {"1": "The child in care review was held.", "2": "The child was in care at the time.",
             "3": "The child meetings in primary care were held.", "4": "Care for the child in question.",
             "5": "Domestic abuse services were seen.", "6": "Abuse of any domestic kind was seen."}
    store, found = _numbered_parts(tmp_path, engine, texts)

    child_in_care = qtree.Phrase("text", tuple(query_terms("child in care")), 1)
    assert found(child_in_care) == {"1", "2"}
    assert store.backend().count(child_in_care, None) == 2
    assert found(qtree.Phrase("text", tuple(query_terms("child in care")), 2)) == {"1", "2", "3"}
    assert found(qtree.Phrase("text", tuple(query_terms("abuse domestic")), 3)) == {"6"}
    assert found(qtree.Phrase("text", tuple(query_terms("domestic abuse")), 3)) == {"5"}
    assert search(store, '"abuse domestic"~3', limit=10).total == 1
    store.close()


@pytest.mark.parametrize("engine", AVAILABLE)
def test_a_two_word_phrase_of_any_slop_finds_its_words_in_order_within_it(tmp_path, engine):
    """Two words with up to ``slop`` other words between them, the first first: never the other
    way round, never further apart; scored (ranked) and unscored (counted) alike."""
    texts = {str(k + 1): f"The lantern {'stone ' * k}harbour was seen." for k in range(9)}  # 1-9: k apart
    texts.update({str(k + 11): f"The harbour {'stone ' * k}lantern was seen." for k in range(9)})  # the other way
    texts["10"] = "The lantern multi-agency harbour was seen."  # a joined word's parts between them
    store, found = _numbered_parts(tmp_path, engine, texts)
    backend = store.backend()

    words = tuple(query_terms("lantern harbour"))
    for slop in (2, 3, 4, 5, 6, 20):
        phrase = qtree.Phrase("text", words, slop)
        want = {str(k + 1) for k in range(min(slop, 8) + 1)} | {"10"}
        assert found(phrase) == want, slop
        assert backend.count(phrase, None) == len(want), slop
        assert found(qtree.Const(phrase, 1.0)) == want, slop
    store.close()


@pytest.mark.parametrize("engine", AVAILABLE)
def test_a_constant_added_to_a_query_scores_as_the_query_beside_its_constant(stores, engine):
    """``Plus(part, c)`` matches what ``part`` matches, each scored ``part``'s score plus ``c``:
    as ``part`` beside ``Const(part, c)``, which reads ``part`` twice."""
    backend = stores[engine].backend()
    words = {w: tuple(query_terms(w)) for w in ("children in care", "early help", "neglect", "male carers")}
    part = qtree.Or((qtree.Phrase("text", words["children in care"], 1, 0.6),
                     qtree.Phrase("heading", words["early help"], 0, 1.5), qtree.Term("text", words["neglect"][0]),
                     qtree.Phrase("text", words["male carers"], 3)), 2.0)
    plus = backend.search(qtree.Plus(part, 7.5), None, "relevance", 300)
    apart = backend.search(qtree.Or((part, qtree.Const(part, 7.5))), None, "relevance", 300)
    assert len(plus) > 10
    assert {h.id: round(h.score, 3) for h in plus} == {h.id: round(h.score, 3) for h in apart}
    assert min(h.score for h in plus) > 7.5
    assert backend.count(qtree.Plus(part, 7.5), None) == backend.count(part, None) == len(plus)


def test_records_read_letting_go_of_the_pages_are_the_same(stores):
    for store in stores.values():
        every = sorted(map(repr, store.iter_records("item")))
        assert every and sorted(map(repr, store.iter_records("item", release_every=7))) == every
        docs = list(store.iter_records("doc", release_every=1))
        assert sorted(map(repr, docs)) == sorted(map(repr, store.iter_records("doc")))
        groups = recur(store, release=True)
        assert groups == recur(store)
        plain, let_go = ([dict(it) for c in groups for it in c["items"]] for _ in range(2))
        cite_items(store, plain)
        cite_items(store, let_go, release_every=1)
        assert plain == let_go and all(it["citation"] for it in plain)


@pytest.mark.skipif("tantivy" not in AVAILABLE, reason="tantivy is not installed (Python 3.10)")
def test_a_commit_while_records_are_read_letting_go_is_one_error(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for n in range(3):
        (src / f"r{n}.txt").write_text(f"Report {n}\nAnnual Report 2020/21\n\n1 Findings\n\nThe partnership met.\n",
                                       encoding="utf-8")
    ingest([src], tmp_path / "ix", tag=False, engine="tantivy")
    store = Store(tmp_path / "ix")
    reading = store.iter_records("doc", release_every=1)
    assert next(reading)
    (src / "r3.txt").write_text("Report 3\nAnnual Report 2021/22\n\n1 Findings\n\nThe board met.\n", encoding="utf-8")
    ingest([src], tmp_path / "ix", tag=False)
    with pytest.raises(IndexBusy, match="written while it was read"):
        list(reading)
    assert len(store.records("doc")) == 4
    store.close()


@needs_both
def test_incremental_add_and_delete_agree(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for name, topic in (("a.txt", "neglect toolkit"), ("b.txt", "zebrafinch protocol")):
        (src / name).write_text(f"Report on {topic}\nAnnual Report 2020/21\n\n1 Findings\n\nThe {topic} was "
                                f"reviewed by the partnership.\n", encoding="utf-8")
    roots = {e: tmp_path / e for e in AVAILABLE}
    for engine, root in roots.items():
        assert ingest([src], root, tag=False, engine=engine).ok
    stores = {e: Store(r) for e, r in roots.items()}
    assert same(stores, lambda s: search(s, "zebrafinch").total) > 0
    (src / "b.txt").unlink()
    (src / "a.txt").write_text((src / "a.txt").read_text(encoding="utf-8") + "\n2 More\n\nAn added kestrel.\n",
                               encoding="utf-8")
    for engine, root in roots.items():
        report = ingest([src], root, tag=False)  # the engine the index was made with
        assert report.removed and report.updated
        assert stores[engine].engine_name() == engine
    assert same(stores, lambda s: (search(s, "zebrafinch").total, search(s, "kestrel").total,
                                   len(s.records("section"))))[:2] == (0, 1)
    for s in stores.values():
        s.close()


@needs_both
def test_rebuild_with_another_engine_switches_it_and_keeps_everything(tmp_path):
    root = tmp_path / "ix"
    r = CliRunner().invoke(main, ["ingest", str(corpus_dir()), "--index", str(root), "--engine", "whoosh"])
    assert r.exit_code == 0, r.output
    before = unscored(search(Store(root), "pre-birth", limit=100))
    r = CliRunner().invoke(main, ["ingest", str(corpus_dir()), "--index", str(root), "--engine", "tantivy"])
    assert r.exit_code == 1
    assert r.stderr.strip().splitlines() == [
        f"sgsearch: the index at {root} uses the whoosh engine: add --rebuild to write it anew with tantivy"]
    r = CliRunner().invoke(main, ["ingest", str(corpus_dir()), "--index", str(root), "--engine", "tantivy", "--rebuild"])
    assert r.exit_code == 0, r.output
    store = Store(root)
    assert store.engine_name() == "tantivy"
    assert unscored(search(store, "pre-birth", limit=100)) == before
    # the old generation is retired: kept a while for searches still reading it
    assert [(d / RETIRED).is_file() for d in root.glob("ix-*") if d != store.current_dir()] == [True]


@pytest.mark.parametrize("engine", AVAILABLE)
def test_an_index_from_an_older_version_is_rebuilt_from_its_recorded_files(tmp_path, engine):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("Report\nAnnual Report 2020/21\n\n1 Neglect\n\nThe neglect toolkit.\n", encoding="utf-8")
    root = tmp_path / "ix"
    assert ingest([src], root, tag=False, engine=engine).ok
    gen = Store(root).current_dir()
    (gen / "VERSION").write_text("7.3", encoding="utf-8")  # as the previous version wrote it
    (gen / "BACKEND").unlink()  # which had no engine choice
    r = CliRunner().invoke(main, ["neglect", "--index", str(root)])
    assert r.exit_code == 0, r.output
    assert "rebuilding" in r.stderr
    store = Store(root)
    assert store.up_to_date() and search(store, "toolkit").total == 1


def test_an_engine_that_cannot_run_here_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "tantivy", None)  # as on Python 3.10, which has no tantivy wheel
    with pytest.raises(EngineUnavailable):
        backend_class("tantivy")
    r = CliRunner().invoke(main, ["ingest", str(corpus_dir()), "--index", str(tmp_path / "ix"), "--engine", "tantivy"])
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert r.stderr.strip().splitlines() == [
        "sgsearch: the tantivy engine needs tantivy 0.27 or later, which has wheels for Python 3.11 and later: "
        "use --engine whoosh, or a newer Python"]
    assert not (tmp_path / "ix" / "CURRENT").exists()


# -- architecture ----------------------------------------------------------------------------

def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_search_never_imports_ingest():
    for path in sorted((ROOT / "search").rglob("*.py")):
        bad = {m for m in _imports(path) if m == "ingest" or m.startswith("ingest.")}
        assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


# Whoosh's storage internals, and names the write-ahead machinery reached for
_PRIVATE = re.compile(r"\b(_tindex|_fieldmap|perdocwriter|PostingPool|OrderedHashWriter|pack_ushort|"
                      r"_HeldDocs|_TermsAhead|_ReplayIndex|_Mirrored|write_postings_ahead|add_later)\b")
_INTERNAL_MODULES = ("whoosh.filedb", "whoosh.codec", "whoosh.system", "whoosh.util", "whoosh.writing",
                     "whoosh.matching", "tantivy.tantivy")


def test_no_library_internals_in_the_source():
    sources = [ROOT / "cli.py", ROOT / "cliformat.py", ROOT / "usecases.py",
               *sorted((ROOT / "search").rglob("*.py")), *sorted((ROOT / "ingest").rglob("*.py")),
               *sorted((ROOT / "web").rglob("*.py"))]
    for path in sources:
        text = path.read_text(encoding="utf-8")
        assert not _PRIVATE.search(text), f"{path.relative_to(ROOT)}: {_PRIVATE.search(text).group(0)}"
        internal = {m for m in _imports(path) if m.startswith(_INTERNAL_MODULES)}
        assert not internal, f"{path.relative_to(ROOT)} imports {sorted(internal)}"


# Words of every shape the analysis treats apart: suffixes the stemmers differ on, possessives,
# curly apostrophes, prefixes and compounds written three ways, year spans, accents, slashes.
_STEMS = ["organisation", "organic", "university", "universal", "emergency", "added", "adding", "generate",
          "general", "community", "communication", "past", "pasta", "later", "lateral", "arsenal",
          "recommendations", "safeguarding", "children", "families", "relational", "hopeful", "running"]
_SHAPES = ["children's", "carer’s", "don’t", "wasn't", "pre-birth", "pre birth", "Pre-Birth", "prebirth",
           "multi-agency", "multi agency", "co-sleeping", "non accidental", "tool kit", "tool-kit", "toolkit",
           "health visitors", "health-visiting", "well-being", "step-father", "grand parents", "child's minder",
           "2016/17", "2016-2017", "2019–20", "1999/00", "2016/19", "fathers/male", "and/or", "café", "naïve",
           "ÉCOLE", "Straße", "e-mail", "re-referral", "self harm", "pre 2016", "x'", "under_score"]


def _battery_text(rng) -> str:
    words = _STEMS + _SHAPES
    return " and ".join(rng.choice(words) + rng.choice(["", "", ",", ".", ";", " (note)"]) for _ in range(400))


@needs_both
def test_tantivy_analyses_text_into_the_terms_whoosh_indexes(tmp_path):
    """Tantivy tokenises and stems the text itself, yet every word of a battery, parsed as
    a query is, finds its section in every field as on Whoosh, as a word and in a phrase
    with its neighbour (through a part of a joined word too: ``agency and``)."""
    import random

    from search.index.backends.whoosh import make_schema
    from search.index.qtree import Phrase, Term
    from search.index.records import exact_value

    text = _battery_text(random.Random(7))
    fields = {"id": "s1", "kind": "section", "doc_id": "d", "heading": "Pre", "text": text,
              "title": "Multi-Agency Audit", "publisher": "Café Board", "year_start": 2020}
    fields["exact"] = exact_value(fields)
    engines = {}
    for engine in AVAILABLE:
        (tmp_path / engine).mkdir()
        engines[engine] = backend_class(engine).create(tmp_path / engine)
        w = engines[engine].writer()
        w.add(dict(fields))
        w.commit()
        engines[engine].refresh()
    schema = make_schema()

    def found(node) -> dict[str, int]:
        return {engine: b.count(node, None) for engine, b in engines.items()}

    def terms(field: str, words: str) -> tuple[str, ...]:
        return tuple(schema[field].process_text(words, mode="query"))

    for word in _STEMS + _SHAPES:
        for field in ("text", "exact"):
            for term in terms(field, word):
                assert set(found(Term(field, term)).values()) == {1}, (field, word, term)
    raw = text.split()
    phrases = 0
    for a, b in zip(raw, raw[1:]):
        for field in ("text", "exact"):
            words = terms(field, f"{a} {b}")
            if len(words) > 1:
                n = found(Phrase(field, words))
                assert len(set(n.values())) == 1, (field, a, b, words, n)
                phrases += n["whoosh"]
    assert phrases > 500
    for field, word in (("title", "agency"), ("title", "multiagency"), ("heading", "pre"), ("publisher", "cafe")):
        assert set(found(Term(field, terms(field, word)[0])).values()) == {1}, (field, word)
    for b in engines.values():
        b.close()


def _write_docs(store, engine, docs: dict[str, tuple[int | None, list[list[str]]]], fresh: bool = False,
                delete: tuple[str, ...] = (), update: dict[str, list[list[str]]] | None = None) -> None:
    """Write documents (id -> (year, each section's themes)), delete some, re-tag some in place."""
    from search.index.records import doc_to_fields, exact_value, section_to_fields, years_covered

    with store.writer(fresh=fresh, engine=engine) as (w, _manifest):
        for d in delete:
            w.delete_doc(d)
        for doc_id, (year, sections) in docs.items():
            w.delete_doc(doc_id)
            doc = {"doc_id": doc_id, "path": f"/t/{doc_id}.txt", "sha256": "0" * 64, "title": doc_id, "publisher": "",
                   "doc_type": "review", "year": None if year is None else f"{year}-{(year + 1) % 100:02d}",
                   "year_start": year, "sections": len(sections)}
            w.add(doc_to_fields(doc))
            for n, themes in enumerate(sections):
                # a section of another year, as a report inside a board pack has
                y = year + 1 if year is not None and n == 2 else year
                sec = {"section_id": f"{doc_id}:{n}", "doc_id": doc_id, "ordinal": n, "number": str(n), "heading": "H",
                       "heading_path": [], "level": 1, "text": "Text.", "page_start": 1, "page_end": 1,
                       "page_offsets": [[0, 1]], "themes": themes, "theme_evidence": {},
                       "year": None if y is None else f"{y}-{(y + 1) % 100:02d}", "year_start": y}
                w.add(section_to_fields(sec, doc))
        for section_id, themes in (update or {}).items():
            s = store.backend().get(section_id)
            years = years_covered(s["year_start"], {}) if s.get("year_start") is not None else None
            w.update({**s, "themes": ",".join(themes), "exact": exact_value(s), "years": years})


@needs_both
def test_documents_kept_per_theme_and_year_follow_adds_deletes_and_retags(tmp_path):
    """Tantivy counts a theme table's documents from marks made as it writes; after an add,
    a delete, a rewrite and a re-tag in place they still agree with counting every section."""
    stores = {e: Store(tmp_path / e) for e in AVAILABLE}
    first = {"a": (2019, [["neglect"], ["neglect", "pre-birth"], ["neglect"]]), "b": (2019, [["neglect"], []]),
             "c": (None, [["pre-birth"]]), "d": (2020, [[], ["domestic-abuse"], ["neglect"]])}
    for engine, store in stores.items():
        _write_docs(store, engine, first, fresh=True)
    same(stores, theme_table)
    for engine, store in stores.items():
        _write_docs(store, engine, {"a": (2021, [["domestic-abuse"], ["neglect"], ["neglect"]]),
                                    "e": (2019, [["neglect"]])}, delete=("b",))
    table = same(stores, theme_table)
    for engine, store in stores.items():  # as retag does: every section re-tagged in one writer
        sections = {s["section_id"]: ["pre-birth"] for s in store.records("section")}
        _write_docs(store, engine, {}, update=sections)
    again = same(stores, theme_table)
    assert stores["tantivy"].backend().theme_documents() is not None  # counted from the marks
    neglect = next(t for t in table["themes"] if t["id"] == "neglect")
    assert neglect["documents"] == {"2019-20": 1, "2020-21": 0, "2021-22": 2, "2022-23": 1, "undated": 0}
    assert neglect["all_documents"] == 3 and table["documents"] == 4
    prebirth = next(t for t in again["themes"] if t["id"] == "pre-birth")
    assert prebirth["all_documents"] == 4 and prebirth["documents"]["undated"] == 1
    for s in stores.values():
        s.close()


@pytest.mark.parametrize("engine", AVAILABLE)
def test_phrases_as_likely_as_each_other_rank_and_count_together(tmp_path, engine):
    """Alternatives whose phrases share their rarest word (so the engine guesses as many
    matches for each) find and count the sections of both."""
    from search.index.qtree import Or, Phrase

    b = backend_class(engine).create(tmp_path)
    w = b.writer()
    texts = ["amber lantern beside the river", "amber quilt on the bed", "lantern and quilt", "amber lantern, amber quilt"]
    for n, text in enumerate(texts):
        w.add({"id": f"s{n}", "kind": "section", "doc_id": "d", "heading": "H", "text": text, "title": "T", "year_start": 2020})
    w.commit()
    b.refresh()
    both = Or((Phrase("text", ("amber", "lantern")), Phrase("text", ("amber", "quilt"))))
    top, total = b.search_counted(both, None, "relevance", 10)
    assert total == b.count(both, None) == 3
    assert {f.id for f in top} == {"s0", "s1", "s3"}
    b.close()
