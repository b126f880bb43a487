"""Search sections: parse the query, expand it, rank, filter, highlight.

Every section that holds any of the query's words (or another form of one) is found and
ranked in the engine by BM25 over heading, text and document title (field weights in
``ranking.toml``), plus, for each distinct query word a section holds, a coordination
score scaled by how rare the word is, plus boosts where the words stand together (the
phrase as typed, then neighbouring words near each other). Question and filler words
(``what``, ``did``, ``we``) need not match. ``"quoted words"`` are a phrase, ``-word``
excludes. A query that names a theme (``neglect``, ``pre-birth``) also finds sections
tagged with it unless ``exact`` is set, and so does a word or phrase the thesaurus knows
(``search.vocab.thesaurus``: abbreviations, expansions, synonyms, acronyms the indexed
documents define) find its other forms, weighted a little lower. The answer says how many
sections hold every word. The parsed query becomes an engine-neutral tree
(``search.index.qtree``) that each engine translates.
"""
from __future__ import annotations

import heapq
import re
import sys
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from math import log
from pathlib import Path

from search.cite import section_citation
from search.errors import QueryError, did_you_mean, quoted
from search.index import qtree
from search.index.analysis import STOP_WORDS, join_prefixes
from search.index.backends import Found, Unsupported
from search.index.records import section_json
from search.index.schema import field_terms
from search.index.store import Store
from search.parse import normalize, parse, replace_terms
from search.snippets import HL_END, HL_START, evidence_snippet, highlight, lead, page_at, plain, spans, window
from search.vocab.bodies import body_name, spelled_out
from search.vocab.doctypes import check_doc_type
from search.vocab.taxonomy import load_taxonomy, resolve_theme
from search.vocab.thesaurus import index_thesaurus
from search.vocab.years import UNDATED, fy_label, parse_year_label, year_labels

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["HL_END", "HL_START", "Hit", "QueryError", "SearchResult", "expand_themes", "page_at", "plain",
           "is_undated", "resolve_theme_filter", "search", "spans", "suggest", "year_arg",
           "years_between"]


@lru_cache(maxsize=1)
def ranking() -> dict:
    """The ranking weights and filler words (``search/ranking.toml``)."""
    with (Path(__file__).parent / "ranking.toml").open("rb") as fh:
        data = tomllib.load(fh)
    return {"weights": data["weights"], "filler": frozenset(w.lower() for w in data["filler"])}


_W = ranking()["weights"]


def weights_of(weights=None) -> dict:
    """The ranking weights to rank with: ``ranking.toml``'s ``[weights]``, with any of them
    replaced by those in ``weights`` (a mapping of the same names; None: the file's alone).
    What :func:`search` and :func:`build_query` take as ``weights``: a fit
    (``bench/fit_ranking.py``) ranks with other weights this way, without editing the file."""
    if not weights:
        return _W
    unknown = sorted(set(weights) - set(_W))
    if unknown:
        raise ValueError(f"unknown ranking weights: {', '.join(unknown)}")
    return {**_W, **weights}


_MARK = "zzthememark"
_SYN_MARK = "zzsynmark"


@dataclass
class Hit:
    """One ranked section with its citation and snippet."""

    rank: int
    score: float
    section: dict
    title: str
    publisher: str | None
    doc_type: str
    snippet: str  # with HL_START/HL_END around matched words
    page: int | None
    matched_themes: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        """The hit as ``search --json`` prints it (docs/json.md)."""
        out = {
            "rank": self.rank,
            "score": round(self.score, 4),
            "title": self.title,
            "publisher": self.publisher,
            "doc_type": self.doc_type,
            "snippet": plain(self.snippet),
            "highlights": spans(self.snippet),
            "page": self.page,
        }
        out.update(self.section)
        out["citation"] = section_citation(self.section, self.title, self.page)
        out["matched_themes"] = list(self.matched_themes)  # [] when none: in every result, as every field is
        return out


@dataclass
class SearchResult:
    """The answer to a query: ranked hits, the total, and notes for the summary line."""

    query: str
    total: int
    hits: list[Hit]
    mode: str = "all"  # "all" words, or "any" after falling back
    themes: list[str] = field(default_factory=list)  # themes the query expanded to
    suggestions: list[str] = field(default_factory=list)
    did_you_mean: str | None = None  # the whole query with its misspelt words corrected
    why_empty: str | None = None  # which filter left no sections, when the words alone find some
    expanded: list[str] = field(default_factory=list)  # other forms the query also matched (thesaurus)
    every_word: int = 0  # sections that hold every word of the query (the others hold some)
    searched: str | None = None  # the corrected query searched instead of one with a word no section has
    matched: tuple = field(default=(None, None), repr=False)  # the engine's query and filter: facets count with them
    summary: Summary | None = field(default=None, repr=False, compare=False)

    @property
    def years(self) -> list[str]:
        """The years (labels, oldest first) of the matching sections, counted on first read."""
        return list(self.sections_by_year)

    @property
    def documents(self) -> int:
        """How many documents hold a matching section."""
        return self.summary.brief()[()].documents if self.summary else 0

    @property
    def sections_by_year(self) -> dict[str, int]:
        """Year label -> matching sections."""
        return {y: c.sections for y, c in _by_year(self.summary.brief() if self.summary else {}).items()}

    @property
    def undated_sections(self) -> int:
        """How many matching sections are of reports that state no year (in no year's count)."""
        counted = (self.summary.brief() if self.summary else {}).get((None,))
        return counted.sections if counted else 0

    @property
    def year_counts(self) -> dict:
        """Year label -> ``Count(sections, documents)`` of the matches."""
        return _by_year(self.summary.counts() if self.summary else {})

    def tallies(self, fields: tuple[str, ...]) -> dict[str, dict]:
        """Matching sections per value of each of ``fields`` (see ``Backend.tallies``): with the
        years and documents still to count, counted in the same pass."""
        return self.summary.tallies(fields) if self.summary and self.total else {f: {} for f in fields}

    def to_json(self) -> dict:
        """The result as ``search --json`` prints it and the page serves it (docs/json.md)."""
        return {
            "query": self.query,
            "total": self.total,
            "total_exact": True,  # the engine counts every match
            "mode": self.mode,
            "themes": self.themes,
            "expanded": self.expanded,
            "suggestions": self.suggestions,
            "did_you_mean": self.did_you_mean,
            "why_empty": self.why_empty,
            "every_word": self.every_word,
            "searched": self.searched,
            "results": [h.to_json() for h in self.hits],
        }


def _by_year(counts: dict) -> dict:
    """Counts keyed by start year as year labels, oldest first."""
    years = year_labels(k[0] for k in counts if k)
    by_label = {fy_label(k[0]): c for k, c in counts.items() if k and k[0] is not None}
    return {y: by_label[y] for y in years}


class Summary:
    """A search's counts by year and document, counted by the engine when first read (a
    caller that wants only the hits and the total never pays for them), and tallies of
    other fields, counted in the same pass."""

    def __init__(self, backend, query, flt, window=(None, None), total: int | None = None, counts: dict | None = None):
        self.backend, self.query, self.flt, self.window, self.total = backend, query, flt, window, total
        self._counts = counts
        self._brief: dict | None = None

    def counts(self) -> dict:
        """``{(): Count, (year,): Count, ...}``, the years outside the year filter left out."""
        if self._counts is None:
            self._load((), True)
        return self._counts

    def brief(self) -> dict:
        """:meth:`counts` with the documents of each year left uncounted (quicker)."""
        if self._counts is not None:
            return self._counts
        if self._brief is None:
            self._load((), False)
        return self._brief

    def tallies(self, fields: tuple[str, ...]) -> dict[str, dict]:
        """Matching sections per value of each of ``fields`` (``Backend.tallies``)."""
        return self._load(fields, False)

    def _load(self, fields: tuple[str, ...], full: bool) -> dict:
        counts, tallied = _engine(self.backend.counts_and_tallies, self.query, self.flt, ("years",), fields,
                                  self.total, full)
        if full:
            self._counts = _in_window(counts, self.window)
        elif self._brief is None:
            self._brief = _in_window(counts, self.window)
        return tallied


_NEG = re.compile(r"(?:(?<=\s)|^)-(?=[\w\"(])")
_YEARISH = re.compile(r"\b((?:19|20)\d{2})\s*(?:/|-|–|\s+to\s+)\s*((?:19|20)?\d{2})\b")


def _prepare(text: str) -> str:
    """Rewrite user syntax into Whoosh syntax: ``-word`` -> ``NOT word``, joined prefixes, year spans."""
    text = text.strip()
    text = _NEG.sub("NOT ", text)
    text = _YEARISH.sub(lambda m: f"{m.group(1)}-{m.group(2)[-2:]}", text)
    return join_prefixes(text)


def _filters(ys=None, lo=None, hi=None, theme=None, doc_type=None, publisher=None, undated=False):
    """The filter (a neutral query tree) for the options given (the years as :func:`year_arg`
    reads them; ``undated``: only the sections whose report states no year), or None (only
    sections can match a query)."""
    parts = []
    if undated:  # every section, less those with a year (a range no year is outside)
        parts += [qtree.Every(), qtree.Not(qtree.Range("year_start", -(2**31), 2**31 - 1))]
    if ys is not None:
        parts.append(qtree.Term("years", str(ys)))  # a report over several years counts for each
    if lo is not None or hi is not None:
        parts.append(years_between(lo, hi))
    for t in theme or []:
        parts.append(qtree.Term("themes", t))
    if doc_type:
        parts.append(qtree.Term("doc_type", doc_type))
    if publisher:  # as typed, or with the abbreviation it ends in written in full, as ingest writes a body
        said = [tuple(field_terms("publisher", p)) for p in dict.fromkeys((publisher, spelled_out(publisher, typed=True)))]
        parts.append(qtree.any_of(qtree.Phrase("publisher", w) for w in said if w))
    if not parts:
        return None
    return qtree.all_of(parts)


def years_between(lo: int | None, hi: int | None) -> qtree.Node:
    """The filter for records that cover any year from ``lo`` to ``hi`` (either may be None:
    open): their start year is in the range, or a span they cover reaches into it (spans
    are under 30 years long, so the years within 30 of an open end are enough)."""
    first = lo if lo is not None else hi - 30
    last = hi if hi is not None else lo + 30
    return qtree.any_of([qtree.Range("year_start", lo, hi),
                         *(qtree.Term("years", str(y)) for y in range(first, last + 1))])


def is_undated(value) -> bool:
    """Whether a year filter asks for the sections whose report states no year (``undated``,
    as the facets and tables name them)."""
    return value is not None and str(value).strip().lower() == UNDATED


def year_arg(field: str, value) -> int | None:
    """A year filter (``2020-21``, ``2020/21``, ``2020``) as its start year; None if not given.
    ``field`` (``year``, ``from_year``, ``to_year``) is the filter the error names."""
    if value in (None, ""):
        return None
    ys = parse_year_label(str(value))
    if ys is None:
        field = {"--year": "year", "--from": "from_year", "--to": "to_year"}.get(field, field)
        raise QueryError(f"{{{field}}} {quoted(value)} is not a year: use a form like 2020-21, 2020/21 or 2020")
    return ys


def search(
    store: Store,
    query: str,
    limit: int = 10,
    year=None,
    from_year=None,
    to_year=None,
    theme: str | list[str] | tuple[str, ...] | None = None,
    doc_type: str | None = None,
    publisher: str | None = None,
    sort: str = "relevance",
    exact: bool = False,
    snippets: bool = True,
    weights=None,
) -> SearchResult:
    """Search the sections of the index at ``store`` and return ranked, highlighted hits.

    ``snippets=False`` leaves every hit's snippet empty (and its page the section's first):
    much quicker when only the sections are wanted. ``limit=0`` ranks nothing: the total
    and the counts (summary, tallies) only, as facets want them (the sections holding every
    word are not counted apart: ``every_word`` is the total).

    With no words but a filter (``theme="neglect"``), every section the filters allow is
    listed, newest year first. ``weights`` ranks with other ranking weights than
    ``ranking.toml``'s (see :func:`weights_of`)."""
    if sort not in ("relevance", "year"):
        raise QueryError(f"unknown sort {sort!r}: use relevance or year")
    backend = store.backend()
    themes = [theme] if isinstance(theme, str) else list(theme or [])
    tax = store.taxonomy()
    theme_ids = [resolve_theme_filter(t, tax) for t in themes]
    doc_type = check_doc_type(doc_type)
    undated = is_undated(year)
    if undated and (from_year or to_year):
        raise QueryError(f"{{year}} {UNDATED} is the sections whose report states no year: none is in a range "
                         "of years (leave out {from_year} and {to_year})")
    years = (None if undated else year_arg("year", year)), year_arg("from_year", from_year), year_arg("to_year", to_year)
    flt = _filters(*years, theme_ids, doc_type, publisher, undated)
    window = _window(*years)
    if not query or not query.strip():
        if flt is None:
            raise QueryError("empty query: give some words to search for, or a filter such as {theme} neglect")
        return _filtered_only(backend, flt, limit, theme_ids, window)
    refuse_stop_words(query)
    fields = ["exact"] if exact else ["heading", "text", "title"]
    typed = query
    corrected = None
    if not exact:
        corrected = corrected_query(store, query)
        if corrected is not None and len(_KEY_WORD.findall(query)) > 1:
            query = corrected  # a misspelt word among others: search what was meant, and say so
    w = weights_of(weights)
    built = build_query(store, query, exact=exact, weights=weights)  # it reads them the same way
    want = max(limit, 1)
    n = want if sort == "year" else max(want * 3, 50)
    # the ranked list and the total in one pass; the counts by year and document when read
    if limit > 0 and sort == "year":
        top, total = _newest_first(backend, built.query, built.matches, flt, n)
    elif limit > 0:
        top, total = _engine(backend.search_counted, built.query, flt, sort, n)
    else:
        top, total = [], _engine(backend.count, built.matches, flt)
    every = total
    if limit > 0 and total and built.every != built.matches:
        every = _engine(backend.count, built.every, flt)
    if sort != "year":
        top = _diversify(top, want, w)
    expanded = sorted({t for group_ids in built.themes for t in group_ids})
    terms = _query_terms(built.query)
    hits = [_hit(i + 1, h, fields, expanded, terms, snippets) for i, h in enumerate(top[:want])]
    summary = Summary(backend, built.matches, flt, window, total)
    res = SearchResult(typed, total, hits, "all" if every or not total else "any", expanded, summary=summary)
    res.every_word = every
    res.expanded = _added(built.synonyms)
    res.matched = (built.matches, flt)
    if query != typed:
        res.did_you_mean, res.searched = corrected, corrected
    if not total:
        res.suggestions = suggest(store, typed)
        res.did_you_mean = corrected
    return res


@dataclass
class Built:
    """A query as neutral trees: ``query`` finds and ranks (any word), ``matches`` finds the
    same sections without the parts that only rank (quicker to count), ``every`` matches the
    sections holding every content word, ``near`` is what ranks words standing together;
    ``themes`` and ``synonyms`` list what each theme or thesaurus mention expanded to."""

    query: qtree.Node
    every: qtree.Node
    near: qtree.Node | None
    themes: list[list[str]]
    synonyms: list[list[str]]
    matches: qtree.Node | None = None

    def __post_init__(self):
        if self.matches is None:
            self.matches = self.query


def build_query(store: Store, query: str, exact: bool = False, weights=None) -> Built:
    """The neutral query trees for the words of ``query`` on the index at ``store`` (which
    says how rare each word is): see :class:`Built` (QueryError when it cannot be read).
    ``weights``: other ranking weights than ``ranking.toml``'s (see :func:`weights_of`)."""
    w_ = weights_of(weights)
    backend = store.backend()
    fields = ["exact"] if exact else ["heading", "text", "title"]
    prepared = _prepare(expand_prefixes(backend, query))
    expansions: list[list[str]] = []
    synonyms: list[list[str]] = []
    if not exact:
        prepared, synonyms = _mark_synonyms(prepared, thesaurus_of(store))
    literal_text = prepared  # the words and their other forms, without the themes
    if not exact:
        prepared, expansions = _mark_themes(prepared, store.taxonomy())
    parsed = _parse(fields, prepared, expansions, synonyms, w_)
    clauses = list(parsed.parts) if isinstance(parsed, qtree.And) else [parsed]
    units = [_unit(c) for c in clauses if not isinstance(c, qtree.Not)]
    excluded = [c for c in clauses if isinstance(c, qtree.Not)]
    filler = ranking()["filler"]
    content = [u for u in units if u[1] is not None or not set(_words_of(u[0][0])) <= _filler_terms()] or units
    extra = [u[0][0] for u in units if u not in content]
    total = backend.doc_frequency("kind", "section") or 1
    weight = w_["coordination"]

    dfs: dict[tuple[str, str], int] = {}

    def df_of(fname: str, text: str) -> int:
        if (fname, text) not in dfs:
            dfs[fname, text] = backend.doc_frequency(fname, text)
        return dfs[fname, text]

    def rarity(node) -> float:
        return _idf(_df(df_of, node), total)

    ranked, every_parts, found = [], [], []
    for ws, alt in content:
        found += [*ws, *([alt] if alt is not None else [])]
        for w in ws:  # each word, and a constant where the section's own words hold it
            ranked.append(_plus_constant(w, weight * rarity(w), w_))
        if alt is None:
            every_parts.append(ws[0])
            continue
        # the other forms of a mention of several words stand for each of its words, and
        # have them together (one constant for both: the engine looks the forms up once)
        together = w_["phrase"] * w_["synonym"] if len(ws) > 1 else 0.0
        forms = qtree.Or(alt.parts, len(ws)) if isinstance(alt, qtree.Or) and alt.boost == 1.0 else qtree.Or((alt,), len(ws))
        if len(content) == 1:  # the query is this mention: its forms' rarity orders them against its words
            ranked.append(_plus_constant(forms, (weight + together) * rarity(alt) * len(ws), w_))
        else:
            said = qtree.Or((qtree.all_of(ws), alt))
            ranked += _mention_beside_others(forms, ws, (weight + together) * rarity(said) * len(ws),
                                             [weight * rarity(w) for w in ws], w_)
        every_parts.append(qtree.Or((qtree.all_of(ws), _counted(alt))))
    near = _proximity(fields, literal_text, filler, lambda f, t: rarity(qtree.Term(f, t)),
                      lambda f, t: _df(df_of, qtree.Term(f, t)) / total, w_)
    # a filler word nearly every section holds ("of", "the") only adds the noise of how densely
    # a section uses it: left out, as the commonest words' constants are
    extra = [u for u in extra if weight * rarity(u) >= w_["least"]]
    should = [qtree.Or(tuple(extra), boost=w_["filler"])] if extra else []
    should += [near] if near is not None else []
    should += _year_intent(query, df_of, total, w_)
    records = backend.records_total() or 1

    def idf(fname: str, text: str) -> float:
        return _idf(df_of(fname, text), records)

    ranked = [_one_rarity(r, idf) for r in ranked]
    should = [_one_rarity(r, idf) for r in should]
    q = qtree.any_of(ranked)
    if should:
        q = qtree.AndMaybe(q, qtree.any_of(should))
    every = qtree.all_of(every_parts)
    matches = qtree.any_of(found)  # the coordination constants only rank what these find
    if excluded:
        q = qtree.And((q, *excluded))
        every = qtree.And((every, *excluded))
        matches = qtree.And((matches, *excluded))
    if len(ranked) == 1 and not should and not excluded:
        every = q
    if len(found) == 1 and every == q:
        matches = q
    return Built(q, every, near, expansions, synonyms, matches)


# a year as typed: 2016, 2016/17, 2016-2017, 2016 to 2017 (not after "-", which excludes)
_YEAR_NAMED = re.compile(r"(?<![-\w])((?:19|20)\d{2})(?:\s*(?:/|-|–|\s+to\s+)\s*(?:(?:19|20)?\d{2}))?\b")


def _year_intent(query: str, df_of, total: int, w=_W) -> list[qtree.Node]:
    """For each year the query names, a constant for the sections of documents that cover it
    (the ``year`` weight times coordination times its rarity among the years sections cover):
    a report's year is read from its whole text ("April 2016 to March 2017"), so a query for
    "2016/17" finds that year however the report writes it."""
    out = []
    for start in sorted({m.group(1) for m in _YEAR_NAMED.finditer(query)}):
        df = df_of("years", start)
        if df:
            c = _constant(qtree.Term("years", start), w["year"] * w["coordination"] * _idf(df, total), w)
            out += [c] if c is not None else []
    return out


def _idf(df: int, total: int) -> float:
    """BM25's rarity of what ``df`` of ``total`` records hold (the engines' own formula)."""
    return log(1 + (total - df + 0.5) / (df + 0.5))


def _one_rarity(node: qtree.Node, idf) -> qtree.Node:
    """The tree with a word in a heading or title weighed by how rare it is in the text
    (``idf(field, term)``), not in that short field: in headings even common words are
    rare, so the engine's own per-field rarity would let any heading with "report" in it win."""
    if isinstance(node, (qtree.Term, qtree.Phrase)) and node.field in ("heading", "title"):
        words = (node.text,) if isinstance(node, qtree.Term) else node.words
        own = sum(idf(node.field, w) for w in words)
        if own <= 0:
            return node
        return replace(node, boost=node.boost * sum(idf("text", w) for w in words) / own)
    if isinstance(node, (qtree.Or, qtree.And, qtree.DisMax)):
        return replace(node, parts=tuple(_one_rarity(p, idf) for p in node.parts))
    if isinstance(node, qtree.AndMaybe):
        return replace(node, must=_one_rarity(node.must, idf), should=_one_rarity(node.should, idf))
    if isinstance(node, qtree.Plus):
        return replace(node, part=_one_rarity(node.part, idf))
    return node  # a constant scores the same whatever its words weigh


def _split(clause: qtree.Node):
    """A clause's run of several typed words and its other forms: ``(run, others)``, or None
    when it is not a mention of several words with other forms."""
    if not isinstance(clause, qtree.Or):
        return None
    alts, stack = [], list(clause.parts)
    while stack:
        p = stack.pop(0)
        if isinstance(p, qtree.Or) and p.boost == 1.0:
            stack[:0] = p.parts
        else:
            alts.append(p)
    runs = [p for p in alts if isinstance(p, qtree.And) and not any(isinstance(w, qtree.Not) for w in p.parts)]
    if len(runs) != 1 or len(runs[0].parts) < 2 or len(alts) < 2:
        return None
    return runs[0], tuple(p for p in alts if p is not runs[0])


def _unit(clause: qtree.Node) -> tuple[list[qtree.Node], qtree.Node | None]:
    """A clause as its words and their other forms: a mention of several words with other
    forms (``(domestic abuse) OR "domestic violence"``) gives its words (filler words left
    out) and the other forms; anything else is one word with no separate forms."""
    split = _split(clause)
    if split is None:
        return [clause], None
    run, others = split
    parts, others = [], list(others)
    for w in run.parts:
        inner = _split(w)  # a mention inside a longer one ("mental health" in "child and adolescent …")
        if inner is None:
            parts.append(w)
        else:  # its words count one by one too; its other forms join the longer mention's
            parts += inner[0].parts
            others += inner[1]
    words = [w for w in parts if not set(_words_of(w)) <= _filler_terms()] or parts
    return words, qtree.any_of(others)


@lru_cache(maxsize=1)
def _filler_terms() -> frozenset:
    """The filler words as the index's analysers make them (stemmed and as written)."""
    return frozenset(t for w in ranking()["filler"] for f in ("text", "exact") for t in field_terms(f, w))


def _words_of(node: qtree.Node) -> list[str]:
    """The terms a clause names in its text fields (what decides whether it is a filler word)."""
    return [t for f, t in qtree.terms(node) if f in ("text", "exact")]


def _in_section(node: qtree.Node):
    """A clause as the section's own words say it: without its theme alternatives and the
    document title (which every section of a document shares); None when nothing is left."""
    if isinstance(node, (qtree.Term, qtree.Phrase)):
        return None if node.field in ("themes", "title") else node
    if isinstance(node, (qtree.Or, qtree.DisMax)):
        parts = tuple(p for p in (_in_section(p) for p in node.parts) if p is not None)
        if len(parts) > 1:
            return qtree.Or(parts, node.boost) if isinstance(node, qtree.Or) else \
                qtree.DisMax(parts, node.tiebreak, node.boost)
        return parts[0] if parts else None
    return node


def _plus_constant(node: qtree.Node, score: float, w=_W) -> qtree.Node:
    """``node`` ranked, and ``score`` added where the section's own words match it
    (:func:`_in_section`: not by a theme tag or the document's title). Where ``node``'s parts
    split into those the section's words match and the others, the constant is added to the
    first as they are scored (:class:`qtree.Plus`): the same sum, with the engine reading
    their terms and phrases once, not again for the constant."""
    coord = _constant(_in_section(node), score, w)
    if coord is None:
        return node
    parts = node.parts if isinstance(node, qtree.Or) else (node,)
    said = [(p, _in_section(p)) for p in parts]
    own = [p for p, s in said if s == p]
    rest = [p for p, s in said if s is None]
    if not own or len(own) + len(rest) < len(parts):  # a part only partly the section's own
        return qtree.Or((node, coord))
    if not isinstance(node, qtree.Or):
        return qtree.Plus(node, coord.score)
    return qtree.any_of([qtree.Plus(qtree.Or(tuple(own), node.boost), coord.score),
                         *([qtree.Or(tuple(rest), node.boost)] if rest else [])])


def _mention_beside_others(forms: qtree.Node, words: list[qtree.Node], score: float,
                           word_scores: list[float], w=_W) -> list[qtree.Node]:
    """A mention of several words among other query words, said by one of its other ``forms``:
    ranked, and ``score`` added where the section says it so, counted once with the words'
    own constants (``word_scores``, added where the section holds each word): a section holding
    every word as well gains only what ``score`` exceeds their sum. ``score`` is reckoned by how
    rare the mention is however it is said, its words included: an abbreviation is a far rarer
    token than the words it shortens, though the sections saying either say the same, and a
    question's other words are weighed against the mention, not against its rarest spelling."""
    said = _in_section(forms)
    own = [_in_section(w) for w in words]
    if said is None or any(w is None for w in own):
        c = _constant(said, score, w)
        return [forms] + ([c] if c is not None else [])
    held = sum(s for s in word_scores if s >= w["least"])
    parts = [_constant(qtree.And((said, qtree.Not(qtree.all_of(own)))), score, w),
             _constant(qtree.all_of([said, *own]), score - held, w)]
    return [forms] + [c for c in parts if c is not None]


def _counted(alt: qtree.Node) -> qtree.Node:
    """A mention's other forms as the every-word count reads them. Where they name a theme, a
    section holding one of their phrases is tagged with it (the tagger found the theme's phrases
    at ingest), so the tags stand for the phrases and the engine reads no positions to count
    (the phrases still rank, scored); the single-word forms stay."""
    parts = alt.parts if isinstance(alt, qtree.Or) else (alt,)
    if not any(isinstance(p, qtree.Term) and p.field == "themes" for p in parts):
        return alt
    return qtree.any_of(p for p in parts if not isinstance(p, qtree.Phrase))


def _df(df_of, node: qtree.Node) -> int:
    """About how many sections a clause matches, from its terms' document frequencies
    (``df_of(field, term)``): alternatives as the most frequent, a phrase or conjunction as
    its rarest word."""
    if isinstance(node, qtree.Term):
        return df_of(node.field, node.text) if node.field in ("text", "exact") else 0
    if isinstance(node, qtree.Phrase):
        if node.field not in ("text", "exact"):
            return 0
        return min(df_of(node.field, w) for w in node.words)
    if isinstance(node, (qtree.Or, qtree.DisMax)):
        return max((_df(df_of, p) for p in node.parts), default=0)
    if isinstance(node, qtree.And):
        found = [_df(df_of, p) for p in node.parts if not isinstance(p, qtree.Not)]
        return min(found, default=0)
    return 0


def _engine(call, *args):
    """Call the engine; a query form it cannot run is a QueryError."""
    try:
        return call(*args)
    except Unsupported as e:
        raise QueryError(f"this index's engine cannot run that query ({e}): leave out the unusual syntax") from None


def _counts(backend, q, flt, window=(None, None)):
    """Matching sections and documents, in all and per year they cover (the engine counts
    them), the years outside the ``(first, last)`` year filter left out: a span's other years."""
    return _in_window(_engine(backend.counts, q, flt, ("years",)), window)


def _in_window(counts: dict, window) -> dict:
    lo, hi = window
    return {k: c for k, c in counts.items()
            if not k or k[0] is None or ((lo is None or k[0] >= lo) and (hi is None or k[0] <= hi))}


def _window(ys=None, lo=None, hi=None) -> tuple[int | None, int | None]:
    """The first and last year the year filters (as :func:`year_arg` reads them) allow (None: open)."""
    if ys is not None:
        return max(ys, lo if lo is not None else ys), min(ys, hi if hi is not None else ys)
    return lo, hi


def _newest_first(backend, q, matches, flt, n: int) -> tuple[list, int]:
    """The first ``n`` matches newest year first, the undated after every dated one, and the
    total. An engine sorts a section without a year as its own sentinel (first or last), so
    as many more are asked for as there are undated matches, and those are moved to the end."""
    undated = _engine(backend.counts, matches, flt, ("year_start",), False).get((None,))
    extra = undated.sections if undated else 0
    top, total = _engine(backend.search_counted, q, flt, "year", n + extra)
    if extra and top and not top[0].fields.get("year_start"):
        top = top[extra:] + top[:extra]  # the sentinel sorted first: the undated lead
    return top[:n], total


def _filtered_only(backend, flt, limit: int, theme_ids: list[str], window=(None, None)) -> SearchResult:
    """Every section the filters allow (no words), newest year first."""
    counts = _counts(backend, None, flt, window)
    top = _newest_first(backend, qtree.Every(), None, flt, max(limit, 1))[0] if counts[()].sections and limit > 0 else []
    hits = [_hit(i + 1, h, ["text"], theme_ids, {}) for i, h in enumerate(top[:limit])]
    res = SearchResult("", counts[()].sections, hits, "all", theme_ids, summary=Summary(backend, None, flt, window, counts[()].sections, counts))
    res.matched = (None, flt)
    return res


def refuse_stop_words(query: str) -> None:
    """QueryError for a query made only of common words (``the``, ``and of``): they are in
    nearly every section, so they would list everything."""
    # a hyphenated word whole ("not-in-school", a theme's id): common only if each of its parts is
    words = [w for w in re.findall(r"(?<![-\w])[A-Za-z'][A-Za-z'-]*", query) if w not in ("AND", "OR", "NOT")]
    if (words and all(p.lower() in STOP_WORDS for w in words for p in w.split("-") if p)
            and not re.search(r"\d", query)):
        raise QueryError(f"{query.strip()!r} is only common words ({', '.join(words)}), which nearly every "
                         "section has: add a word that says what you are looking for")


_PREFIX = re.compile(r'("[^"]*")|(?<![\w*])([A-Za-z][\w-]*)\*(?![\w*])')
MAX_PREFIX_WORDS = 60


def expand_prefixes(backend, query: str) -> str:
    """``neg*`` as ``(neglect OR neglected OR …)``: the index's words that start so (outside
    quotes; the most frequent first, at most MAX_PREFIX_WORDS)."""

    def one(m):
        if m.group(1):
            return m.group(1)
        prefix = m.group(2).lower()
        found = backend.words(prefix)
        if not found:
            return prefix
        words = [w for w, _n in sorted(found, key=lambda wn: (-wn[1], wn[0]))[:MAX_PREFIX_WORDS]]
        return "(" + " OR ".join(f'"{w}"' for w in words) + ")"  # quoted: each word as it is

    return _PREFIX.sub(one, query)


def corrected_query(store: Store, query: str) -> str | None:
    """The query with each word the index does not hold replaced by its closest indexed
    spelling (``domestc abuse`` -> ``domestic abuse``); None when no word needs it."""
    backend = store.backend()
    changed = False

    def known(term: str) -> bool:  # one of the index's spellings (:func:`_vocabulary`), asked of the engine
        return len(term) >= 3 and backend.doc_frequency("exact", term) > 0

    def fix(m):
        nonlocal changed
        w = m.group(0)
        if known(w.lower()) or w.upper() == w and len(w) <= 6:  # an abbreviation is left alone
            return w
        if any(known(t) for t in field_terms("exact", w)):  # "children's" is "children"
            return w
        if _held_or_named(store, w):  # "dads" (the index has "dad"), "mums" (the thesaurus names mothers so)
            return w
        if is_english_word(w):  # "brought" in no report is still no slip for "borough"
            return w
        best = _near_spellings(w, _vocabulary(store), 1)  # a slip, as suggestions read one
        if not best:
            return w
        changed = True
        return best[0]

    out = re.sub(r"(?<![-\w])[A-Za-z][A-Za-z']{2,}(?![\w*])", fix, query)
    return out if changed else None


@cache
def _english():
    """A dictionary of English words in their usual forms ("brought", "appointments"): loaded once
    a process, and only when a query holds a word the index does not."""
    from spellchecker import SpellChecker  # lazy: a third of a second, for the rare query that needs it

    return SpellChecker(language="en", distance=1)


def is_english_word(word: str) -> bool:
    """Whether a word is an everyday English word, so never a typing slip to correct."""
    return word.lower() in _english()


def _held_or_named(store: Store, word: str) -> bool:
    """Whether a word is no misspelling: its stem is in some section's heading or text, or
    the thesaurus or the themes name it in one of their forms."""
    backend = store.backend()
    if any(backend.doc_frequency(f, t) for t in field_terms("text", word)
           for f in ("text", "heading")):
        return True
    return word.lower() in store.cached("vocabulary words",
                                        lambda: _words_named(thesaurus_of(store), store.taxonomy()))


def _words_named(thesaurus, taxonomy) -> frozenset:
    """Every word of every form in the thesaurus and of every theme's name, phrases and
    abbreviations ("ill" of "parental mental ill health"), in lower case (a final plural "s" too)."""
    forms = [form for group in thesaurus.groups() for form in group]
    forms += [name for t in taxonomy.themes.values() for name in (t.label, *t.phrases, *t.abbreviations)]
    words = {w.lower() for form in forms for w in _KEY_WORD.findall(form)}
    return frozenset(words | {w + "s" for w in words})


def _constant(node: qtree.Node | None, score: float, w=_W) -> qtree.Const | None:
    """``score`` added where ``node`` matches; None for a score under the ``least`` weight,
    as the commonest words give (it could hardly change an order, and such words have the
    longest lists of sections to go through)."""
    return qtree.Const(node, score) if node is not None and score >= w["least"] else None


def _proximity(fields: list[str], text: str, filler: frozenset, rarity, share, wts=_W):
    """What ranks sections where the query's words stand together above those where they are
    scattered: the typed words as a phrase, and each two neighbouring content words (filler
    words between them allowed for) near each other, in the heading or the text. Each adds a
    constant, its weight times the rarity (``rarity(field, term)``) of the words it joins, so
    common words standing together ("safeguarding children") add little. None for a
    one-word query.

    Two cut-offs (``ranking.toml``) leave out what costs most for least: words that are each
    in at least the ``common`` share of sections (``share(field, term)``) get no constant (their
    positions are the longest to read, and they stand together in a good part of what matches
    anyway); and where the query is two neighbouring words, their pair is not read apart: its
    weight joins the phrase's (words one apart lose that small bonus), so the words' positions
    are read once."""
    words, skip = [], False
    for chunk in re.split(r'"[^"]*"', text):
        for w in _JOINED_WORD.findall(chunk):
            if w in ("AND", "OR") or w.startswith((_MARK, _SYN_MARK)):
                continue
            if w == "NOT":
                skip = True
                continue
            if not skip:
                words.append(w)
            skip = False
    content = [i for i, w in enumerate(words) if w.lower() not in filler]
    if len(content) < 2:
        return None
    text_fields = [f for f in fields if f != "title"]
    rf = text_fields[-1]  # rarity is read from the body text (``text`` or ``exact``)

    def together(words_text: str, slop: int, weight: float):
        per_field = [tuple(field_terms(f, words_text)) for f in text_fields]
        run = per_field[-1]
        if len(run) < 2 or len(set(run)) < 2:
            return None
        own = [t for t in set(run) if t not in _filler_terms()]
        if own and min(share(rf, t) for t in own) >= wts["common"]:
            return None
        score = weight * sum(rarity(rf, t) for t in own)
        phrases = tuple(qtree.Phrase(f, r, slop) for f, r in zip(text_fields, per_field) if len(r) > 1)
        return _constant(qtree.any_of(phrases), score, wts)

    pairs = list(zip(content, content[1:]))
    phrase_weight = wts["phrase"]
    if len(content) == 2 and pairs[0][1] - pairs[0][0] == 1 and wts["pair_in_phrase"]:
        pairs, phrase_weight = [], phrase_weight + wts["proximity"]
    parts = [together(" ".join(words[content[0]:content[-1] + 1]), 0, phrase_weight)]
    parts += [together(f"{words[a]} {words[b]}", b - a, wts["proximity"]) for a, b in pairs]
    parts = [p for p in parts if p is not None]
    return qtree.any_of(parts) if parts else None


def _added(synonyms: list[list[str]]) -> list[str]:
    """The other forms a query was expanded with, each once, in query order."""
    return list(dict.fromkeys(f for forms in reversed(synonyms) for f in forms))


def thesaurus_of(store: Store):
    """The thesaurus for searching ``store``: the bundled one, a user's own entries and the
    acronyms its documents define (see ``search.vocab.thesaurus``)."""
    return store.cached("thesaurus", lambda: index_thesaurus(store.current_dir()))


def _query_terms(q: qtree.Node) -> dict[str, list[str]]:
    """The query's terms per field (for choosing where in a long section to highlight)."""
    out: dict[str, list[str]] = {}
    for fname, text in qtree.terms(q):
        out.setdefault(fname, []).append(text)
    return out


def _parse(fields, prepared: str, expansions: list[list[str]], synonyms: list[list[str]] = (), w=_W) -> qtree.Node:
    q = parse(prepared, fields, {f: w[f] for f in ("heading", "title", "text")}, field_terms)
    if expansions or synonyms:
        # normalize() also merges the copies of a theme term made for each field
        q = normalize(replace_terms(q, lambda sub: _expand_marker(sub, expansions, synonyms, w)))
    if isinstance(q, (qtree.Nothing, qtree.Not)) or not _has_terms(q):
        raise QueryError("nothing to search for: a query needs at least one word that is not excluded (-word)")
    return q


def _has_terms(node: qtree.Node) -> bool:
    """Whether the tree names a term anywhere (excluded parts too)."""
    if isinstance(node, (qtree.Term, qtree.Phrase)):
        return True
    if isinstance(node, qtree.Not):
        return _has_terms(node.part)
    return isinstance(node, (qtree.And, qtree.Or)) and any(_has_terms(p) for p in node.parts)


def _expand_marker(sub: qtree.Term, expansions, synonyms, w=_W) -> qtree.Node:
    if sub.text.startswith(_MARK):
        n = int(sub.text[len(_MARK):])
        return qtree.Or(tuple(qtree.Term("themes", t, w["theme"]) for t in expansions[n]))
    if sub.text.startswith(_SYN_MARK):
        n = int(sub.text[len(_SYN_MARK):])
        forms = [_form_query(sub.field, f, sub.boost * w["synonym"]) for f in synonyms[n]]
        forms = [f for f in forms if f is not None]
        return qtree.Or(tuple(forms)) if forms else qtree.Nothing()
    return sub


def _form_query(fieldname: str, form: str, boost: float) -> qtree.Node | None:
    """One form of a thesaurus entry as a query on a field: a term, or a phrase of its words."""
    words = tuple(field_terms(fieldname, join_prefixes(form)))
    if not words:
        return None
    if len(words) == 1:
        return qtree.Term(fieldname, words[0], boost)
    # one other word may stand between ("non-accidental head injuries" for "non-accidental injury")
    return qtree.Phrase(fieldname, words, 1, boost)


def _diversify(hits: list, limit: int, w=_W) -> list:
    """Place the candidates on the page. A section gains the ``document`` weight times its
    document's best candidate score (at most its own score again): the other passages of a
    report that answers the query well are likelier answers than a lone passage elsewhere.
    Beyond a third of the page (at least two) from one document, a section counts at the
    ``diversity`` weight; a heading alone (no text under it) at the ``heading_only`` weight.
    Only the candidates are looked at, and only those reaching the page have their text read."""
    best: dict[str, float] = {}
    for h in hits:
        best[h["doc_id"]] = max(best.get(h["doc_id"], 0.0), h.score)
    placed = sorted(((h.score + min(w["document"] * best[h["doc_id"]], h.score), n, h) for n, h in enumerate(hits)),
                    key=lambda k: (-k[0], k[1]))
    cap = max(2, limit // 3)
    per_doc: dict[str, int] = {}
    keyed: list[tuple[float, int, Found]] = []
    for score, n, h in placed:
        d = h["doc_id"]
        per_doc[d] = per_doc.get(d, 0) + 1
        keyed.append((-(score if per_doc[d] <= cap else score * w["diversity"]), n, h))
    heapq.heapify(keyed)
    page, judged = [], set()
    while keyed and len(page) < limit:
        key, n, h = heapq.heappop(keyed)
        if n not in judged:
            judged.add(n)
            if _heading_only(h.fields, w):  # a score only goes down: it goes back among the rest
                heapq.heappush(keyed, (key * w["heading_only"], n, h))
                continue
        page.append(h)
    return page + [h for _k, _n, h in sorted(keyed, key=lambda k: k[:2])]


def _heading_only(stored: dict, w=_W) -> bool:
    """Whether a section has fewer than ``heading_only_words`` words of text under its heading."""
    return len((stored.get("text") or "").split(maxsplit=int(w["heading_only_words"]))) < w["heading_only_words"]


def _hit(rank: int, hit: Found, fields: list[str], theme_ids: list[str], terms: dict[str, list[str]],
         snippets: bool = True) -> Hit:
    stored = hit.fields
    text = (stored.get("text") or "") if snippets else ""
    snippet = ""
    page = stored.get("page_start")
    if text:
        field = fields[0] if fields == ["exact"] else "text"
        offset, part = window(text, terms.get(field, []))
        snippet, at = highlight(part, terms.get(field, []), stemmed=field != "exact")
        if at is not None:
            page = page_at(stored.get("page_offsets") or [], offset + at) or page
    sec = section_json(stored)
    matched = [t for t in theme_ids if t in sec["themes"]]
    if not snippet and matched:
        evidence = [e for t in matched for e in sec["theme_evidence"].get(t, {}).get("evidence", [])]
        snippet, at = evidence_snippet(text, evidence)
        if at is not None:
            page = page_at(stored.get("page_offsets") or [], at) or page
    if not snippet:
        snippet = lead(text)
    return Hit(rank, hit.score, sec, stored.get("title", ""), body_name(stored.get("publisher")) or None,
               stored.get("doc_type", ""), " ".join(snippet.split()), page, matched)


_KEY_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
# a word as the index's analyser takes it: "multi-agency" and "2013-14" are one term each
_JOINED_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?(?:[-/–][A-Za-z0-9]+(?:['’][A-Za-z]+)?)*")


_IRREGULAR = {"children": "child", "people": "person", "women": "woman", "men": "man"}


@lru_cache(maxsize=100_000)  # the theme-name table reads the same few hundred words again and again
def _singular(word: str) -> str:
    """An English plural read as its singular, the same way for a query's words and a theme's
    ("children in care" is "child in care"; "cases" is "case", "babies" "baby")."""
    w = word.lower().replace("’", "'")
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith(("sses", "xes", "ches", "shes")):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is", "'s")):
        return w[:-1]
    return w


def _key(words: list[str]) -> str:
    """A phrase as one key: case, spaces and hyphens ignored, each word's plural read as its singular."""
    return "".join(map(_singular, words))


def _theme_names(t) -> tuple[dict[str, list[str]], dict[str, list[str]], int]:
    """Theme ids by phrase key (ids, labels, phrases) and by exact abbreviation; the longest phrase."""
    global _NAMES
    if _NAMES is None or _NAMES[0] is not t:
        keys: dict[str, set[str]] = {}
        abbrs: dict[str, set[str]] = {}
        longest = 1
        for theme in t.themes.values():
            for name in (theme.id, theme.label, *theme.phrases):
                words = _KEY_WORD.findall(name)
                if words and len("".join(words)) >= 3:
                    keys.setdefault(_key(words), set()).add(theme.id)
                    longest = max(longest, len(words))
            for abbr in theme.abbreviations:
                abbrs.setdefault(abbr, set()).add(theme.id)
        _NAMES = (t, ({k: sorted(v) for k, v in keys.items()}, {k: sorted(v) for k, v in abbrs.items()}, longest))
    return _NAMES[1]


_NAMES = None


def _mark_themes(prepared: str, taxonomy) -> tuple[str, list[list[str]]]:
    """Rewrite theme mentions outside quotes as ``((mention) OR marker)``; return the themes per marker.

    Mentions are found by looking up runs of query words (longest first) in a table of
    every theme's id, label and phrases, so no per-phrase pattern is compiled.
    """
    keys, abbrs, longest = _theme_names(taxonomy)

    def find(words: list[str]) -> list[str] | None:
        if len(words) == 1 and words[0] in abbrs:
            return abbrs[words[0]]
        return keys.get(_key(words))

    return _mark(prepared, find, longest, _MARK)


def _mark_synonyms(prepared: str, thesaurus) -> tuple[str, list[list[str]]]:
    """Rewrite mentions of a thesaurus entry outside quotes as ``((mention) OR marker)``;
    return the other forms per marker (abbreviation, expansions, synonyms)."""
    return _mark(prepared, lambda words: thesaurus.lookup(words) or None, thesaurus.longest, _SYN_MARK)


def _mark(prepared: str, find, longest: int, marker: str) -> tuple[str, list[list[str]]]:
    """Rewrite each run of query words outside quotes that ``find`` knows (longest runs first)
    as ``((run) OR markerN)``; return what ``find`` gave for each N."""
    expansions: list[list[str]] = []
    chunks = re.split(r'("[^"]*")', prepared)
    for i in range(0, len(chunks), 2):
        chunk = chunks[i]
        words = [(m.start(), m.end(), m.group(0)) for m in _KEY_WORD.finditer(chunk)]
        spans: list[tuple[int, int, list[str]]] = []
        j = 0
        while j < len(words):
            found = None
            for n in range(min(longest, len(words) - j), 0, -1):
                run = words[j:j + n]
                if any(w[2] in ("AND", "OR", "NOT") or w[2].startswith(("zzthememark", "zzsynmark")) for w in run):
                    continue
                if n > 1 and any(c in chunk[run[0][1]:run[-1][0]] for c in "()"):
                    continue  # across a mention already marked: it would tear that mention's group apart
                got = find([w[2] for w in run])
                if got:
                    found = (n, got)
                    break
            if found:
                n, got = found
                spans.append((words[j][0], words[j + n - 1][1], got))
                j += n
            else:
                j += 1
        for start, end, got in sorted(spans, reverse=True):
            expansions.append(got)
            chunk = f"{chunk[:start]}(({chunk[start:end]}) OR {marker}{len(expansions) - 1}){chunk[end:]}"
        chunks[i] = chunk
    return "".join(chunks), expansions


def expand_themes(query: str, taxonomy=None) -> list[str]:
    """Theme ids that a query mentions (``neglect``, ``Pre-Birth``, ``male carers``, ``CSE``), in
    ``taxonomy`` (an index's: ``Store.taxonomy()``; by default the bundled one)."""
    _, expansions = _mark_themes(_prepare(query), taxonomy or _bundled())
    return sorted({t for group in expansions for t in group})


def resolve_theme_filter(name: str, taxonomy=None) -> str:
    """A ``--theme`` value (id or label, any case) as a theme id of ``taxonomy`` (an index's:
    ``Store.taxonomy()``; by default the bundled one); QueryError if unknown."""
    taxonomy = taxonomy or _bundled()
    theme = resolve_theme(taxonomy, name)
    if theme is None:
        hint = did_you_mean(name, [t.id for t in taxonomy.themes.values()] + [t.label for t in taxonomy.themes.values()])
        raise QueryError(f"unknown theme {quoted(name)}: {hint}{{theme_list}} lists every theme")
    return theme.id


_BUNDLED = None


def _bundled():
    global _BUNDLED
    if _BUNDLED is None:
        _BUNDLED = load_taxonomy()
    return _BUNDLED


def suggest(store: Store, query: str, limit: int = 3) -> list[str]:
    """'Did you mean' spellings for a query that found nothing, from the index's own words."""
    words = re.findall(r"[A-Za-z][A-Za-z'-]{2,}", query)
    if not words:
        return []
    vocab = _vocabulary(store)
    held = store.cached("vocabulary-set", lambda: frozenset(vocab))
    out = []
    for w in words:
        lw = w.lower()
        if lw in held or _held_or_named(store, w):
            continue
        out.extend(b for b in _near_spellings(lw, vocab, limit) if b != lw)
    seen, uniq = set(), []
    for s in out:
        if s not in seen:
            seen.add(s)
            uniq.append(s)
    return uniq[:limit]


def _near_spellings(word: str, vocab: list[str], limit: int) -> list[str]:
    """The words of ``vocab`` (commonest first) a typing slip away from ``word``, nearest first,
    at most ``limit``: a letter left out, added, changed, or two neighbours swapped, at most
    once in a word of up to five letters and twice in a longer one. A word further away is
    another word, not a slip ("fabricated" is five edits from "participated")."""
    # lazy: only a word the index does not hold is looked up
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    w = word.lower()
    edits = 1 if len(w) <= 5 else 2
    found = process.extract(w, vocab, scorer=OSA.distance, score_cutoff=edits, limit=None)
    return [v for v, _d, _i in sorted(found, key=lambda f: (f[1], f[2]))[:limit]]


def _vocabulary(store: Store) -> list[str]:
    """Unstemmed words of the index (at least three letters), commonest first, for spelling
    suggestions: read once per state of the index, not once per search."""
    return store.cached("vocabulary", lambda: [w for w, _n in sorted(store.backend().words(""), key=lambda wn: -wn[1])
                                               if len(w) >= 3])
