"""Searching the corpus: analysis, ranking, syntax, filters, snippets and the light query path."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from search.query import HL_END, HL_START, QueryError, plain, search, spans


def ids(res):
    return {h.section["section_id"] for h in res.hits}


@pytest.mark.parametrize("variant", ["pre birth", "prebirth", "Pre-Birth", "PRE-BIRTH"])
def test_pre_birth_spellings_find_the_same_sections(store, variant):
    base = search(store, "pre-birth", limit=100, exact=True)
    assert base.total >= 5
    assert ids(search(store, variant, limit=100, exact=True)) == ids(base)


def test_hyphenated_query_is_not_split_into_two_words(store):
    # "pre AND birth" would also match sections mentioning birth and pre-school separately
    res = search(store, "pre-birth", limit=100, exact=True)
    for h in res.hits:
        assert "pre" in (h.section["text"] + h.section["heading"]).lower().replace(" ", "").replace("-", "")


def test_plural_and_tense_forms_match(store):
    a = ids(search(store, "recommendation", limit=200))
    b = ids(search(store, "recommendations", limit=200))
    assert a == b and len(a) > 3


def test_quoted_phrase_is_a_phrase(store):
    phrase = search(store, '"male carers"', limit=100, exact=True)
    assert phrase.total >= 2
    for h in phrase.hits:
        assert "male carer" in h.section["text"].lower()
    loose = search(store, "male carers", limit=100, exact=True)
    assert loose.total >= phrase.total


def test_minus_word_excludes(store):
    all_ = search(store, "neglect", limit=200, exact=True)
    without = search(store, "neglect -toolkit", limit=200, exact=True)
    assert 0 < without.total < all_.total
    for h in without.hits:
        assert "toolkit" not in (h.section["text"] + h.section["heading"]).lower()


def test_and_first_then_any_word(store):
    res = search(store, "neglect zzyzzx", limit=5)
    assert res.mode == "any" and res.total > 0


def test_year_filters(store):
    res = search(store, "safeguarding", limit=200, year="2016/17")
    assert res.total > 0 and {h.section["year"] for h in res.hits} == {"2016-17"}
    ranged = search(store, "safeguarding", limit=500, from_year="2019", to_year="2021-22")
    assert {h.section["year"] for h in ranged.hits} <= {"2019-20", "2020-21", "2021-22"}
    assert {"2020-21", "2021-22"} <= {h.section["year"] for h in ranged.hits}
    with pytest.raises(QueryError, match="not a year"):
        search(store, "neglect", year="last year")


def test_type_and_publisher_filters(store):
    res = search(store, "safeguarding", limit=200, doc_type="arrangements")
    assert res.total > 0 and {h.doc_type for h in res.hits} == {"arrangements"}
    icb = search(store, "safeguarding", limit=200, publisher="Integrated Care Board")
    assert icb.total > 0 and {h.section["doc_id"] for h in icb.hits} == {"icb-2024-25"}
    # a body typed by its area and letters is read as ingest writes it, in full
    short = search(store, "safeguarding", limit=200, publisher="Somerset ICB")
    assert {h.section["doc_id"] for h in short.hits} == {"icb-2024-25"}
    full = search(store, "safeguarding", limit=500, publisher="Somerset Safeguarding Children Partnership")
    typed = search(store, "safeguarding", limit=500, publisher="somerset scp")
    assert full.total > 0 and {h.section["doc_id"] for h in typed.hits} == {h.section["doc_id"] for h in full.hits}


def test_sort_by_year_newest_first(store):
    res = search(store, "safeguarding", limit=50, sort="year")
    years = [h.section["year_start"] for h in res.hits]
    assert years == sorted(years, reverse=True)


def test_snippet_highlights_matched_words(store):
    res = search(store, "neglect", limit=5, exact=True)
    h = res.hits[0]
    assert HL_START in h.snippet and HL_END in h.snippet
    marked = h.snippet.split(HL_START)[1].split(HL_END)[0]
    assert marked.lower().startswith("neglect")
    js = h.to_json()
    start, end = js["highlights"][0]
    assert js["snippet"][start:end].lower().startswith("neglect")
    assert HL_START not in js["snippet"] and plain(h.snippet) == js["snippet"]


def test_json_contract_fields(store):
    js = search(store, "pre-birth", limit=3).to_json()
    assert set(js) >= {"query", "total", "results"}
    r = js["results"][0]
    assert set(r) >= {"rank", "score", "title", "publisher", "doc_type", "snippet", "section_id", "doc_id",
                      "number", "heading", "heading_path", "level", "text", "page_start", "page_end",
                      "themes", "year", "year_start"}


def test_no_results_suggests_a_spelling(store):
    res = search(store, "neglekt")
    assert res.total == 0 and "neglect" in res.suggestions


def test_empty_query_is_an_error(store):
    with pytest.raises(QueryError, match="empty query"):
        search(store, "   ")


def test_theme_expansion_finds_tagged_sections_without_the_word(store):
    # every corpus section tagged neglect also says "neglect"; pre-birth has synonyms (unborn, antenatal)
    expanded = search(store, "pre-birth", limit=300)
    literal = search(store, "pre-birth", limit=300, exact=True)
    assert "pre-birth" in expanded.themes
    assert ids(literal) <= ids(expanded)
    extra = ids(expanded) - ids(literal)
    assert extra, "a theme search should also find sections tagged neglect by a synonym"
    for h in expanded.hits:
        if h.section["section_id"] in extra:
            assert "pre-birth" in h.section["themes"]


def test_query_path_never_imports_spacy_or_pdfplumber(corpus_index):
    code = (
        "import sys\n"
        "from search.index.store import Store\n"
        "from search.query import search\n"
        f"res = search(Store({str(corpus_index)!r}), 'pre-birth')\n"
        "assert res.total > 0\n"
        "bad = [m for m in ('spacy', 'pdfplumber', 'pdfminer', 'docx', 'thinc') if m in sys.modules]\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_whoosh_is_the_pinned_fork():
    import whoosh

    assert whoosh.versionstring() == "2.7.5"


def test_pre_birth_top_ten_spans_the_years(store):
    for q in ("pre-birth", "prebirth", "pre birth"):
        years = {h.section["year"] for h in search(store, q, limit=10).hits}
        assert {"2016-17", "2020-21", "2024-25"} <= years, q


def test_strategy_discussions_phrase(store):
    res = search(store, '"strategy discussions"', limit=50)
    assert res.total >= 2
    for h in res.hits:
        assert "strategy discussion" in h.section["text"].lower() or "strategy discussion" in h.section["heading"].lower()
        assert "strategy discussion" in plain(h.snippet).lower()


def test_theme_filter_and_repeatable(store):
    res = search(store, "safeguarding", limit=200, theme="neglect")
    assert res.total > 0 and all("neglect" in h.section["themes"] for h in res.hits)
    both = search(store, "safeguarding", limit=200, theme=["neglect", "Pre-birth and unborn babies"])
    assert 0 < both.total <= res.total
    assert all({"neglect", "pre-birth"} <= set(h.section["themes"]) for h in both.hits)
    with pytest.raises(QueryError, match="unknown theme"):
        search(store, "safeguarding", theme="not-a-theme")


def test_summary_counts_cover_all_matches(store):
    res = search(store, "pre-birth", limit=3)
    assert res.total > 3 and len(res.hits) == 3
    assert res.documents >= 3 and res.years[0] == "2016-17" and res.years[-1] == "2024-25"


def test_theme_only_matches_rank_below_literal_matches(store):
    res = search(store, "neglect toolkit", limit=50)
    assert res.themes == ["neglect"]
    literal = [{"neglect", "toolkit"} <= set(re.findall(r"\w+", (h.section["text"] + h.section["heading"]).lower()))
               for h in res.hits]
    assert literal[0] and not all(literal)
    assert literal == sorted(literal, reverse=True)


@pytest.mark.parametrize("bad", ["-neglect", "NOT", "(", "-\"\""])
def test_unreadable_queries_are_query_errors_not_tracebacks(store, bad):
    try:
        search(store, bad)
    except QueryError as e:
        assert str(e) and "\n" not in str(e)


def test_snippets_have_no_artefacts(store):
    from tests.test_corpus import ARTEFACTS

    for q in ("neglect", "pre-birth", "fathers", "training", "recommendations"):
        for h in search(store, q, limit=20).hits:
            assert not ARTEFACTS.search(plain(h.snippet)), (q, h.snippet)


def test_search_during_an_uncommitted_write_sees_the_last_complete_index(tmp_path):
    from ingest.pipeline import ingest
    from search.index.store import Store

    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("1 Neglect\n\nThe neglect strategy was refreshed this year.\n")
    ix = tmp_path / "ix"
    ingest([src], ix, tag=False)
    writer_store = Store(ix)
    with writer_store.locked(), writer_store.writer() as (w, _):
        w.add(dict(kind="section", id="x:1", section_id="x:1", doc_id="x", text="neglect neglect neglect",
                   heading="Neglect", exact="neglect", ordinal=0, year_start=2020, year="2020-21"))
        during = search(Store(ix), "neglect", exact=True)
        assert during.total == 1
    after = search(Store(ix), "neglect", exact=True)
    assert after.total == 2


def test_phrase_snippets_show_the_phrase_marked_whole(store):
    r = search(store, '"voice of the child"', limit=50)
    shown = 0
    for h in r.hits:
        if "voice of the child" not in " ".join(h.section["text"].lower().split()):
            continue  # the phrase is in the heading only
        snippet = plain(h.snippet)
        marked = {snippet[a:b].lower() for a, b in spans(h.snippet)}
        assert any("voice of the child" in m for m in marked), (h.section["section_id"], h.snippet)
        shown += 1
    assert shown >= 5


def test_snippet_prefilter_marks_what_full_analysis_marks(store):
    from search.snippets import match_spans

    queries = [["prebirth"], ["neglect", "toolkit"], ["voic", "of", "the", "child"], ["2016-17"], ["agenc"],
               ["father", "male", "carer"], ["recommend"], ["cse", "exploit"]]
    marked = 0
    for s in store.records("section"):
        for words in queries:
            fast = match_spans(s["text"], frozenset(words))
            assert fast == match_spans(s["text"], frozenset(words), prefilter=False)
            marked += len(fast)
    assert marked > 1000


def test_a_theme_named_with_a_plural_inside_it_is_still_that_theme():
    from search.query import expand_themes

    # the taxonomy lists singular forms; any word of the query may be plural, not only the last
    assert expand_themes("children in care") == expand_themes("child in care") == ["looked-after-children"]
    assert expand_themes("young people in care") == ["looked-after-children"]
    assert expand_themes("looked after children") == ["looked-after-children"]
    assert expand_themes("address") == []  # a word ending in "ss" is no plural
