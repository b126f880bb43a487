"""Property tests: no input text makes a parser, detector, analyzer, query or tagger crash.

Each target either answers in its normal shape or refuses with its own error type
(IngestError, QueryError); any other exception is a bug. Deterministic (derandomized);
``bench/fuzz.py`` runs the same targets with a much larger budget and byte mutations.
"""
from __future__ import annotations

import importlib.util

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.blocks import HEADING, KINDS, Block, IngestError, ReadResult
from ingest.metadata import DOC_TYPES, detect_doc_type, detect_period, detect_title
from ingest.readers.text import decode, parse_text
from ingest.sections import build_sections
from search.index.analysis import (
    SPLIT_REACH,
    engine_text,
    exact_analyzer,
    index_terms,
    join_prefixes,
    text_analyzer,
)
from search.index.store import Store
from search.query import QueryError, SearchResult, search

FUZZ = settings(max_examples=200, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# Pieces of real reports and of query syntax, so that generated text hits the parsers' paths.
REPORT_BITS = [
    "1", "2.1", "3.7.6", "1.1.", "12)", "Introduction", "NEGLECT", "Neglect Toolkit", "pre-birth", "pre birth",
    "2016/17", "2020-21", "2020 to 2021", "1st April 2021 to 30th June 2022", "31 March 2023", "April 2019",
    "Annual Report", "Safeguarding Children Partnership", "(SSCP)", "Contents", "Page 3", "....... 12",
    "This page is intentionally left blank", "·", "•", "❑", "-", "\uf0b7", "\t", "\n", "\n\n", "\f", "\r",
    "**", "__", "*", "[bookmark: _Toc197420056]", "[footnoteRef:1]", "[1: a note [with] brackets]",
    "[image: x.png]", "[link](#)", "<p>", "</li>", "&amp;", "&#27;", "\x1b[2J", "\x00", "\ufeff", "\u00a0",
    "ACHIEVED", "ONGOING", "Complete", "# ", "### ", "café", "£500", "the", "and", "no concerns about neglect",
]
QUERY_BITS = [
    '"', "'", "-", "(", ")", "AND", "OR", "NOT", "and", "or", "not", "*", "?", "~", "^", ":", "[", "]", "{", "}",
    "TO", "\\", "/", "pre", "birth", "pre-birth", "neglect", "-toolkit", '"male carers"', "2016/17", "2020 to 2021",
    "title:", "heading:x", "é", "ß", "ﬁ", "🙂", "\u200b", "\x00", "", " ",
]


def mixed(bits: list[str]) -> st.SearchStrategy[str]:
    """Arbitrary unicode text, or text assembled from meaningful pieces and random ones."""
    return st.one_of(
        st.text(),
        st.lists(st.one_of(st.sampled_from(bits), st.text(max_size=8)), max_size=40).map(" ".join),
        st.lists(st.one_of(st.sampled_from(bits), st.text(max_size=8)), max_size=40).map("".join),
    )


report_text = mixed(REPORT_BITS)
query_text = mixed(QUERY_BITS)

numbers = st.one_of(st.none(), st.from_regex(r"\A\d{1,2}(\.\d{1,2}){0,4}\Z"), st.text(max_size=6))
blocks = st.builds(
    Block,
    kind=st.sampled_from(KINDS),
    text=st.one_of(report_text, st.just("")),
    page=st.one_of(st.none(), st.integers(-3, 10_000)),
    level=st.one_of(st.none(), st.integers(-2, 12)),
    number=numbers,
    strong=st.booleans(),
    cells=st.lists(st.text(max_size=10), max_size=4),
)


# -- reading and structuring ---------------------------------------------------------------
@FUZZ
@given(report_text)
def test_parse_text_gives_blocks_or_ingest_error(text):
    try:
        result = parse_text(text)
    except IngestError as e:
        assert str(e) and "\n" not in str(e)
        return
    assert isinstance(result, ReadResult) and result.blocks
    assert all(b.kind in KINDS and isinstance(b.text, str) for b in result.blocks)
    assert not any("\x1b" in b.text or "\x00" in b.text for b in result.blocks)


@FUZZ
@given(st.binary(max_size=2000))
def test_decode_gives_text_or_ingest_error(data):
    try:
        assert isinstance(decode(data), str)
    except IngestError:
        pass


@FUZZ
@given(st.lists(blocks, max_size=30), st.dictionaries(st.integers(0, 30), st.integers(0, 5), max_size=4))
def test_build_sections_on_any_blocks(bs, part_starts):
    sections = build_sections(bs, part_starts)
    assert [s.ordinal for s in sections] == list(range(len(sections)))
    for s in sections:
        assert s.heading_path and s.level is not None
        assert isinstance(s.text, str)
        s.page_offsets(), s.page_start, s.page_end


@FUZZ
@given(report_text)
def test_sections_of_parsed_text(text):
    try:
        result = parse_text(text)
    except IngestError:
        return
    sections = build_sections(result.blocks)
    heads = [b for b in result.blocks if b.kind == HEADING]
    assert len(sections) >= len(heads)


@FUZZ
@given(st.lists(report_text, max_size=12), st.booleans())
def test_detect_period(lines, prefer_date):
    p = detect_period(lines, prefer_date=prefer_date)
    assert set(p) >= {"year_start", "period_start", "period_end"}
    assert p["year_start"] is None or 1900 <= p["year_start"] <= 2100


@FUZZ
@given(st.lists(blocks, max_size=10), st.text(max_size=30))
def test_detect_title(bs, fallback):
    assert isinstance(detect_title(bs, fallback), str)


@FUZZ
@given(report_text, st.text(max_size=60))
def test_detect_doc_type(text, title):
    assert detect_doc_type(text, title) in DOC_TYPES


# -- analysis and querying -----------------------------------------------------------------
@FUZZ
@given(report_text)
def test_text_analyzer(text):
    for analyzer in (text_analyzer(), text_analyzer(stem=False), exact_analyzer()):
        for mode in ("index", "query"):
            tokens = [(t.text, t.pos, t.startchar, t.endchar)
                      for t in analyzer(text, positions=True, chars=True, mode=mode)]
            for term, pos, start, end in tokens:
                assert term and isinstance(term, str) and pos >= 0 and 0 <= start <= end <= len(text)


@FUZZ
@given(query_text)
def test_join_prefixes(query):
    assert isinstance(join_prefixes(query), str)


DOCS = {
    "a.txt": "Somerset Safeguarding Children Partnership\nAnnual Report 2020/21\n\n1 Pre-birth\n\n"
             "The pre-birth protocol helps fathers and male carers. Neglect Toolkit training continued.\n\n"
             "2 Domestic abuse\n\nDomestic abuse featured in most reviews (see 2.1) — a café offered support.\n",
    "b.txt": "Somerset Safeguarding Children Board\nAnnual Report 2016/17\n\n1 Neglect\n\n"
             "Neglect remained the most common reason for a plan; the graded care profile was used.\n",
}


@pytest.fixture(scope="module")
def small_store(tmp_path_factory):
    from ingest.pipeline import ingest

    root = tmp_path_factory.mktemp("fuzz")
    for name, text in DOCS.items():
        (root / "in").mkdir(exist_ok=True)
        (root / "in" / name).write_text(text, encoding="utf-8")
    assert ingest([root / "in"], root / "ix", tag=False).ok
    store = Store(root / "ix")
    yield store
    store.close()


@FUZZ
@given(query=query_text, exact=st.booleans(), sort=st.sampled_from(["relevance", "year"]))
def test_search_any_query(small_store, query, exact, sort):
    try:
        res = search(small_store, query, exact=exact, sort=sort)
    except QueryError as e:
        assert str(e)
        return
    assert isinstance(res, SearchResult) and res.total >= 0
    res.to_json()


YEARISH = st.one_of(st.none(), st.text(max_size=12), st.integers(-10_000, 10_000),
                    st.sampled_from(["2020-21", "2016/17", "2019", "20", "1900-01", "2100"]))


@FUZZ
@given(year=YEARISH, from_year=YEARISH, to_year=YEARISH, theme=st.one_of(st.none(), st.text(max_size=12)),
       doc_type=st.one_of(st.none(), st.text(max_size=12)), publisher=st.one_of(st.none(), query_text))
def test_search_any_filters(small_store, year, from_year, to_year, theme, doc_type, publisher):
    try:
        res = search(small_store, "neglect", year=year, from_year=from_year, to_year=to_year, theme=theme,
                     doc_type=doc_type, publisher=publisher)
    except QueryError as e:
        assert str(e)
        return
    assert isinstance(res, SearchResult)


# -- themes and items ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def tagger():
    from ingest.themes import get_tagger

    return get_tagger()


@FUZZ
@given(report_text)
def test_theme_tagger(tagger, text):
    tags = tagger.tag(text)
    for t in tags:
        assert t.id and t.count >= 1


def _parse_text(tmp_path_factory, name: str, text: str):
    """``parse_file`` of ``text`` written to a file; None when it is refused (IngestError)."""
    from ingest.document import parse_file

    path = tmp_path_factory.getbasetemp() / name
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        return parse_file(path)
    except IngestError:
        return None


@FUZZ
@given(report_text)
def test_parse_file_on_any_text(tmp_path_factory, text):
    """The whole per-file parse (reader, metadata, parts, sections) of a text file."""
    parsed = _parse_text(tmp_path_factory, "fuzz-parse-file.txt", text)
    if parsed is None:
        return
    assert parsed.doc["doc_type"] in DOC_TYPES and parsed.doc["sections"] == len(parsed.sections)


@pytest.mark.skipif(importlib.util.find_spec("ingest.items") is None, reason="ingest/items.py not written yet")
@FUZZ
@given(report_text)
def test_extract_items(tmp_path_factory, text):
    from ingest.items import KINDS as ITEM_KINDS
    from ingest.items import extract_items

    parsed = _parse_text(tmp_path_factory, "fuzz-items.txt", text)
    if parsed is None:
        return
    for item in extract_items(parsed):
        assert item["kind"] in ITEM_KINDS and item["text"]


ANALYSIS_BITS = REPORT_BITS + [
    "multi-agency", "co sleeping", "Pre", "re", "non accidental", "children's", "don’t", "2016-2017", "1999/00",
    "ÉCOLE", "naïve", "–", "/", "ex-partner", "self harm", "pre 2016", "pre-", "-pre", "co", "ab", "x'", "Ⅻ", "²",
]


@FUZZ
@given(mixed(ANALYSIS_BITS))
def test_index_terms_are_the_exact_analyzers_terms(text):
    """The engine's fast analysis gives exactly the terms and positions Whoosh indexes."""
    assert index_terms(text) == [(t.text, t.pos) for t in exact_analyzer()(text, positions=True, mode="index")]


@FUZZ
@given(mixed(ANALYSIS_BITS + ["tool kit", "health visitors", "child's minder", "pre, birth", "fathers/male", "Ⓐ", "İ", "ΣΑΣ"]))
def test_engine_text_is_index_terms_one_word_a_position(text):
    """The text an engine tokenises itself holds :func:`index_terms`'s words, one a position, in
    order; the parts it puts beside joined words; and each joined word's neighbourhood split."""
    terms = index_terms(text)
    groups: list[list[str]] = []
    for i, (t, p) in enumerate(terms):
        groups.append([t]) if i == 0 or p != terms[i - 1][1] else groups[-1].append(t)
    words, parts, split = engine_text(text)
    assert words.split(" ") == [g[0] for g in groups] if groups else words == ""
    assert sorted(parts) == sorted(t for g in groups for t in g[1:])
    runs = [" ".join([h[0] for h in groups[max(i - SPLIT_REACH, 0):i]] + g[1:] + [h[0] for h in groups[i + 1:i + 1 + SPLIT_REACH]])
            for i, g in enumerate(groups) if len(g) > 1]
    assert split == " \x00 ".join(runs)


@pytest.mark.skipif(importlib.util.find_spec("tantivy") is None, reason="tantivy not installed")
@FUZZ
@given(mixed(ANALYSIS_BITS + ["tool kit", "child's minder", "fathers/male", "x_y", "pre", "ΣΑΣ", "2016-2017", "naïve"]))
def test_engine_fields_stems_are_the_engines_stems(text):
    """The stemmed words and split runs an engine is given are what its own stemming analyser
    makes of the words (so the stemmed fields only split them); the rest is engine_text's."""
    import tantivy

    from search.index.analysis import STEMS, engine_fields, stem_word

    analyse = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).filter(tantivy.Filter.stemmer("english")).build().analyze
    words, parts, split, stems, stemmed_split = engine_fields(text)
    assert (words, parts, split) == engine_text(text)
    assert stems.split() == analyse(words)
    assert stemmed_split.split() == analyse(split)
    assert [STEMS[p] for p in parts] == [stem_word(p) for p in parts]
    # a phrase found in a field's twin is in the field: each word of the twin is among its words or parts
    # (the tantivy backend counts such a phrase without looking its words up in the field again)
    assert set(split.split()) - {"\x00"} <= set(words.split()) | set(parts)
    assert set(stemmed_split.split()) - {"\x00"} <= set(stems.split()) | {STEMS[p] for p in parts}



@FUZZ
@given(mixed(ANALYSIS_BITS + ["a'b'c", "x-y-", "’’s", "-–/", "a_b", "9/11", "'-'", "ab'-cd"]))
def test_the_compiled_token_pattern_finds_the_written_patterns_tokens(text):
    """The tokens engine_text and snippets cut (a pattern that never backtracks into a word) are
    those of the pattern as written, which Whoosh's tokenizer uses, at the same places."""
    import re

    from search.index.analysis import _TOKEN, TOKEN_RX

    for s in (text, text.lower()):
        assert [m.span() for m in TOKEN_RX.finditer(s)] == [m.span() for m in re.finditer(_TOKEN, s)]


@FUZZ
@given(mixed(ANALYSIS_BITS + ["İ", "ΣΑΣ", "K", "ß", "\U0001d400", "\ud800", "’", "–", "é"]))
def test_characters_folding_changes_are_found_by_lookup_as_by_their_class(text):
    from search.index.analysis import _chars, _folds

    if not text.lower().isascii():
        assert _folds(text) == bool(_chars()[0].search(text))


@FUZZ
@given(mixed(ANALYSIS_BITS), st.randoms(use_true_random=False))
def test_snippet_prefilter_never_loses_a_match(text, rnd):
    """Skipping words whose first letter starts no query term marks the same words as analysing all."""
    from search.snippets import _terms, match_spans

    for stemmed in (True, False):
        terms = sorted({t for w in text.split() for t in _terms(w, stemmed)})
        words = frozenset(rnd.sample(terms, min(len(terms), 3)))
        assert match_spans(text, words, stemmed) == match_spans(text, words, stemmed, prefilter=False)
