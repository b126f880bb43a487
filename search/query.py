"""Search sections: parse the query, expand themes, filter, rank, highlight.

Ranking is BM25F over heading (boosted), text and document title. A query first
requires all its words; only if nothing has them all does it fall back to any word
(the summary says so). ``"quoted words"`` are a phrase, ``-word`` excludes, and a
query that names a theme (``neglect``, ``pre-birth``, ``fathers and male carers``)
also finds sections tagged with that theme unless ``exact`` is set. So does a query word
or phrase the thesaurus knows (``search.vocab.thesaurus``: abbreviations, expansions, synonyms,
acronyms the indexed documents define) find its other forms, weighted a little lower
(``SYNONYM_BOOST``). When every word must match, sections where neighbouring query words
stand together rank higher (``PROXIMITY_BOOST``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh import qparser
from whoosh.analysis import STOP_WORDS
from whoosh.query import And, AndMaybe, Every, Not, NullQuery, NumericRange, Or, Phrase, Term

from search.cite import section_citation
from search.errors import QueryError, did_you_mean, quoted
from search.index.analysis import join_prefixes
from search.index.backends import Found, Unsupported
from search.index.records import section_json
from search.index.schema import make_schema
from search.index.store import Store
from search.snippets import HL_END, HL_START, evidence_snippet, highlight, lead, page_at, plain, spans, window
from search.vocab.doctypes import check_doc_type
from search.vocab.taxonomy import load_taxonomy, resolve_theme
from search.vocab.thesaurus import index_thesaurus
from search.vocab.years import fy_label, parse_year_label, year_labels

__all__ = ["HL_END", "HL_START", "Hit", "QueryError", "SearchResult", "expand_themes", "page_at", "plain",
           "resolve_theme_filter", "search", "spans", "suggest", "year_arg"]

THEME_BOOST = 0.3  # a section found only by its theme tag ranks below literal matches
SYNONYM_BOOST = 0.6  # another form of a query's words (JTAI for "joint targeted area inspection") weighs less
PROXIMITY_BOOST = 1.0  # each pair of the query's words found next to each other (or one word apart) adds this
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
        if self.matched_themes:
            out["matched_themes"] = self.matched_themes
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
    years: list[str] = field(default_factory=list)
    documents: int = 0
    year_counts: dict = field(default_factory=dict)  # year label -> Count(sections, documents)
    did_you_mean: str | None = None  # the whole query with its misspelt words corrected
    why_empty: str | None = None  # which filter left no sections, when the words alone find some
    expanded: list[str] = field(default_factory=list)  # other forms the query also matched (thesaurus)
    matched: tuple = field(default=(None, None), repr=False)  # the engine's query and filter: facets count with them

    def to_json(self) -> dict:
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
            "results": [h.to_json() for h in self.hits],
        }


_NEG = re.compile(r"(?:(?<=\s)|^)-(?=[\w\"(])")
_YEARISH = re.compile(r"\b((?:19|20)\d{2})\s*(?:/|-|–|\s+to\s+)\s*((?:19|20)?\d{2})\b")


def _prepare(text: str) -> str:
    """Rewrite user syntax into Whoosh syntax: ``-word`` -> ``NOT word``, joined prefixes, year spans."""
    text = text.strip()
    text = _NEG.sub("NOT ", text)
    text = _YEARISH.sub(lambda m: f"{m.group(1)}-{m.group(2)[-2:]}", text)
    return join_prefixes(text)


def _parser(schema, fields: list[str], group) -> qparser.QueryParser:
    p = qparser.MultifieldParser(fields, schema, group=group, fieldboosts={"heading": 2.0, "title": 0.5})
    p.remove_plugin_class(qparser.WildcardPlugin)
    p.remove_plugin_class(qparser.FieldsPlugin)
    p.remove_plugin_class(qparser.BoostPlugin)
    return p


def _filters(year=None, from_year=None, to_year=None, theme=None, doc_type=None, publisher=None, schema=None):
    """The filter query for the options given, or None (only sections can match a query)."""
    parts = []
    ys = year_arg("year", year)
    if ys is not None:
        parts.append(NumericRange("year_start", ys, ys))
    lo = year_arg("from_year", from_year)
    hi = year_arg("to_year", to_year)
    if lo is not None or hi is not None:
        parts.append(NumericRange("year_start", lo, hi))
    for t in theme or []:
        parts.append(Term("themes", t))
    if doc_type:
        parts.append(Term("doc_type", doc_type))
    if publisher:
        pq = qparser.QueryParser("publisher", schema).parse(f'"{publisher}"' if " " in publisher else publisher)
        parts.append(pq)
    if not parts:
        return None
    return And(parts) if len(parts) > 1 else parts[0]


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
) -> SearchResult:
    """Search the sections of the index at ``store`` and return ranked, highlighted hits.

    ``snippets=False`` leaves every hit's snippet empty (and its page the section's first):
    much quicker when only the sections are wanted, e.g. to count facets.

    With no words but a filter (``theme="neglect"``), every section the filters allow is
    listed, newest year first."""
    if sort not in ("relevance", "year"):
        raise QueryError(f"unknown sort {sort!r}: use relevance or year")
    backend = store.backend()
    schema = _schema()
    themes = [theme] if isinstance(theme, str) else list(theme or [])
    tax = store.taxonomy()
    theme_ids = [resolve_theme_filter(t, tax) for t in themes]
    doc_type = check_doc_type(doc_type)
    flt = _filters(year, from_year, to_year, theme_ids, doc_type, publisher, schema)
    if not query or not query.strip():
        if flt is None:
            raise QueryError("empty query: give some words to search for, or a filter such as {theme} neglect")
        return _filtered_only(backend, flt, limit, theme_ids)
    refuse_stop_words(query)
    fields = ["exact"] if exact else ["heading", "text", "title"]
    prepared = _prepare(expand_prefixes(backend, query))
    expansions: list[list[str]] = []
    synonyms: list[list[str]] = []
    if not exact:
        prepared, synonyms = _mark_synonyms(prepared, thesaurus_of(store))
    literal_text = prepared  # the words and their other forms, without the themes
    if not exact:
        prepared, expansions = _mark_themes(prepared, tax)
    mode = "all"
    group = qparser.AndGroup
    q = _with_proximity(_parse(schema, fields, group, prepared, expansions, synonyms), schema, fields, literal_text)
    want = max(limit, 1)
    n = want if sort == "year" else max(want * 3, 50)
    counts = _counts(backend, q, flt)
    if not counts[()].sections:
        q_any = _parse(schema, fields, qparser.OrGroup, prepared, expansions, synonyms)
        any_counts = _counts(backend, q_any, flt) if q_any != q else counts
        if any_counts[()].sections:
            counts, q, mode, group = any_counts, q_any, "any", qparser.OrGroup
    top = _engine(backend.search, q, flt, sort, n) if counts[()].sections else []
    if sort != "year" and expansions:
        # literal matches first; sections found only through their theme tag after them
        literal_q = _literal_query(schema, fields, literal_text, group, synonyms)
        literal = _engine(backend.which_match, literal_q, [h.id for h in top]) if literal_q is not None \
            else {h.id for h in top}
        top.sort(key=lambda h: (h.id not in literal, -h.score))
    if sort != "year":
        top = _diversify(top, want)
    expanded = sorted({t for group_ids in expansions for t in group_ids})
    terms = _query_terms(q)
    hits = [_hit(i + 1, h, fields, expanded, terms, snippets) for i, h in enumerate(top[:want])]
    res = _result(query, counts, hits, mode, expanded)
    res.expanded = _added(synonyms)
    res.matched = (q, flt)
    if not counts[()].sections:
        res.suggestions = suggest(store, query)
    if not counts[()].sections or mode == "any":
        res.did_you_mean = corrected_query(store, query)
    return res


def _result(query: str, counts: dict, hits: list, mode: str, expanded: list[str]) -> SearchResult:
    """The result of a search from the engine's counts (total, documents, per year) and its hits."""
    years = year_labels(k[0] for k in counts if k)
    by_label = {fy_label(k[0]): c for k, c in counts.items() if k and k[0] is not None}
    return SearchResult(query, counts[()].sections, hits, mode, expanded, [], years, counts[()].documents,
                        year_counts={y: by_label[y] for y in years})


_SCHEMA = None


def _schema():
    """The schema whose analysers parse queries (the same for every engine)."""
    global _SCHEMA
    if _SCHEMA is None:
        _SCHEMA = make_schema()
    return _SCHEMA


def _engine(call, *args):
    """Call the engine; a query form it cannot run is a QueryError."""
    try:
        return call(*args)
    except Unsupported as e:
        raise QueryError(f"this index's engine cannot run that query ({e}): leave out the unusual syntax") from None


def _counts(backend, q, flt):
    """Matching sections and documents, in all and per year (the engine counts them)."""
    return _engine(backend.counts, q, flt, ("year_start",))


def _filtered_only(backend, flt, limit: int, theme_ids: list[str]) -> SearchResult:
    """Every section the filters allow (no words), newest year first."""
    counts = _counts(backend, None, flt)
    top = backend.search(Every(), flt, "year", max(limit, 1)) if counts[()].sections else []
    hits = [_hit(i + 1, h, ["text"], theme_ids, {}) for i, h in enumerate(top[:limit])]
    res = _result("", counts, hits, "all", theme_ids)
    res.matched = (None, flt)
    return res


def refuse_stop_words(query: str) -> None:
    """QueryError for a query made only of common words (``the``, ``and of``): they are in
    nearly every section, so they would list everything."""
    words = [w for w in re.findall(r"(?<![-\w])[A-Za-z']+", query) if w not in ("AND", "OR", "NOT")]
    if words and all(w.lower() in STOP_WORDS for w in words) and not re.search(r"\d", query):
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
    # lazy: off the query path; only suggestions for an empty search need it
    from rapidfuzz import fuzz, process

    vocab = _vocabulary(store)
    known = set(vocab)
    changed = False

    def fix(m):
        nonlocal changed
        w = m.group(0)
        if w.lower() in known or w.upper() == w and len(w) <= 6:  # an abbreviation is left alone
            return w
        best = process.extractOne(w.lower(), vocab, scorer=fuzz.ratio, score_cutoff=75)
        if not best:
            return w
        changed = True
        return best[0]

    out = re.sub(r"(?<![-\w])[A-Za-z][A-Za-z']{2,}", fix, query)
    return out if changed else None


def _literal_query(schema, fields, literal_text: str, group, synonyms: list[list[str]]):
    """The query without theme expansion (to tell word matches from tag-only ones), or None."""
    try:
        return _parse(schema, fields, group, literal_text, [], synonyms)
    except QueryError:
        return None


def _with_proximity(q, schema, fields: list[str], text: str):
    """``q`` with an optional clause that ranks sections where the query's words stand close together
    (each pair of neighbouring words of the query, in order, at most one word apart) above
    those where they are scattered. The clause never decides what matches."""
    words, skip = [], False
    for chunk in re.split(r'"[^"]*"', text):
        for w in _KEY_WORD.findall(chunk):
            if w in ("AND", "OR") or w.startswith((_MARK, _SYN_MARK)):
                continue
            if w == "NOT":
                skip = True
                continue
            if not skip:
                words.append(w)
            skip = False
    pairs = []
    for f in fields:
        if f == "title":
            continue
        terms = list(schema[f].process_text(" ".join(words), mode="query"))
        pairs += [Phrase(f, [a, b], slop=2, boost=PROXIMITY_BOOST) for a, b in zip(terms, terms[1:]) if a != b]
    return AndMaybe(q, Or(pairs)) if pairs else q


def _added(synonyms: list[list[str]]) -> list[str]:
    """The other forms a query was expanded with, each once, in query order."""
    return list(dict.fromkeys(f for forms in reversed(synonyms) for f in forms))


def thesaurus_of(store: Store):
    """The thesaurus for searching ``store``: the bundled one, a user's own entries and the
    acronyms its documents define (see ``search.vocab.thesaurus``)."""
    return store.cached("thesaurus", lambda: index_thesaurus(store.current_dir()))


def _query_terms(q) -> dict[str, list[str]]:
    """The query's terms per field (for choosing where in a long section to highlight)."""
    out: dict[str, list[str]] = {}
    for fname, text in q.iter_all_terms():
        out.setdefault(fname, []).append(text.decode() if isinstance(text, bytes) else text)
    return out


def _parse(schema, fields, group, prepared: str, expansions: list[list[str]], synonyms: list[list[str]] = ()):
    try:
        q = _parser(schema, fields, group).parse(prepared)
    except Exception as e:  # whoosh raises assorted errors on odd syntax
        raise QueryError(f"cannot read the query: {e}; put odd characters in quotes") from None
    if expansions or synonyms:
        # normalize() also merges the copies of a theme term made for each field
        q = q.accept(lambda sub: _expand_marker(sub, expansions, synonyms, schema)).normalize()
    if q is NullQuery or isinstance(q, Not) or not list(q.iter_all_terms()):
        raise QueryError("nothing to search for: a query needs at least one word that is not excluded (-word)")
    return q


def _expand_marker(sub, expansions, synonyms, schema):
    if isinstance(sub, Term) and isinstance(sub.text, str) and sub.text.startswith(_MARK):
        n = int(sub.text[len(_MARK):])
        return Or([Term("themes", t, boost=THEME_BOOST) for t in expansions[n]])
    if isinstance(sub, Term) and isinstance(sub.text, str) and sub.text.startswith(_SYN_MARK):
        n = int(sub.text[len(_SYN_MARK):])
        forms = [_form_query(schema, sub.fieldname, f, sub.boost * SYNONYM_BOOST) for f in synonyms[n]]
        forms = [f for f in forms if f is not None]
        return Or(forms) if forms else NullQuery
    return sub


def _form_query(schema, fieldname: str, form: str, boost: float):
    """One form of a thesaurus entry as a query on a field: a term, or a phrase of its words."""
    words = list(schema[fieldname].process_text(join_prefixes(form), mode="query"))
    if not words:
        return None
    if len(words) == 1:
        return Term(fieldname, words[0], boost=boost)
    return Phrase(fieldname, words, boost=boost)


def _diversify(hits: list, limit: int) -> list:
    """Keep one long document from filling the first page: at most a third of the
    page (at least two) per document until every matching document has had its turn."""
    cap = max(2, limit // 3)
    first, later, per_doc = [], [], {}
    for h in hits:
        d = h["doc_id"]
        if per_doc.get(d, 0) < cap and len(first) < limit:
            per_doc[d] = per_doc.get(d, 0) + 1
            first.append(h)
        else:
            later.append(h)
    return first + later


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
    return Hit(rank, hit.score, sec, stored.get("title", ""), stored.get("publisher") or None,
               stored.get("doc_type", ""), " ".join(snippet.split()), page, matched)


_KEY_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")


def _key(words: list[str]) -> str:
    """A phrase as one key: case, spaces and hyphens ignored, a final plural dropped."""
    k = "".join(w.lower().replace("’", "'") for w in words)
    for suffix in ("ies", "es", "s"):
        if k.endswith(suffix) and len(k) > len(suffix) + 3:
            return k[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return k


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
    # lazy: off the query path; only suggestions for an empty search need it
    from rapidfuzz import fuzz, process

    vocab = _vocabulary(store)
    out = []
    for w in words:
        lw = w.lower()
        if lw in vocab:
            continue
        best = process.extract(lw, vocab, scorer=fuzz.ratio, limit=limit, score_cutoff=70)
        out.extend(b[0] for b in best if b[0] != lw)
    seen, uniq = set(), []
    for s in out:
        if s not in seen:
            seen.add(s)
            uniq.append(s)
    return uniq[:limit]


def _vocabulary(store: Store) -> list[str]:
    """Unstemmed words of the index (at least three letters), for spelling suggestions: read
    once per state of the index, not once per search."""
    return store.cached("vocabulary", lambda: [w for w, _n in store.backend().words("") if len(w) >= 3])
