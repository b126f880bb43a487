"""Search sections: parse the query, expand themes, filter, rank, highlight.

Ranking is BM25F over heading (boosted), text and document title. A query first
requires all its words; only if nothing has them all does it fall back to any word
(the summary says so). ``"quoted words"`` are a phrase, ``-word`` excludes, and a
query that names a theme (``neglect``, ``pre-birth``, ``fathers and male carers``)
also finds sections tagged with that theme unless ``exact`` is set.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh import qparser
from whoosh.highlight import ContextFragmenter, Formatter, Highlighter
from whoosh.query import And, Not, NullQuery, NumericRange, Or, Term

from ingest.metadata import parse_year_label
from search.analysis import join_prefixes
from search.index import Store
from search.records import section_json

SNIPPET_CHARS = 240
THEME_BOOST = 0.3  # a section found only by its theme tag ranks below literal matches
_MARK = "zzthememark"
HL_START, HL_END = "\x02", "\x03"  # highlight markers inside snippets (CLI renders them)


class QueryError(ValueError):
    """A query or filter that cannot be understood; the message says how to fix it."""


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
    exact_total: bool = True  # False: total is an estimate, years/documents are of the top hits

    def to_json(self) -> dict:
        return {
            "query": self.query,
            "total": self.total,
            "total_exact": self.exact_total,
            "mode": self.mode,
            "themes": self.themes,
            "suggestions": self.suggestions,
            "results": [h.to_json() for h in self.hits],
        }


def plain(snippet: str) -> str:
    """A snippet without highlight markers."""
    return snippet.replace(HL_START, "").replace(HL_END, "")


def spans(snippet: str) -> list[list[int]]:
    """``[start, end]`` offsets of highlighted words in the plain snippet."""
    out, pos, start = [], 0, None
    for ch in snippet:
        if ch == HL_START:
            start = pos
        elif ch == HL_END and start is not None:
            out.append([start, pos])
            start = None
        else:
            pos += 1
    return out


class _MarkFormatter(Formatter):
    """Wrap matches in markers and remember the fragments (for the page of the first match)."""

    between = " … "

    def __init__(self):
        self.fragments = []

    def format_token(self, text, token, replace=False):
        return f"{HL_START}{self._text(text[token.startchar:token.endchar])}{HL_END}"

    def _text(self, text):
        return text

    def format(self, fragments, replace=False):
        self.fragments = fragments
        return super().format(fragments, replace=replace)


_NEG = re.compile(r"(?:(?<=\s)|^)-(?=[\w\"])")
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
    ys = year_arg("--year", year)
    if ys is not None:
        parts.append(NumericRange("year_start", ys, ys))
    lo = year_arg("--from", from_year)
    hi = year_arg("--to", to_year)
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


def year_arg(name: str, value) -> int | None:
    """A year option (``2020-21``, ``2020/21``, ``2020``) as its start year; None if not given."""
    if value in (None, ""):
        return None
    ys = parse_year_label(str(value))
    if ys is None:
        raise QueryError(f"{name} {value!r} is not a year: use a form like 2020-21, 2020/21 or 2020")
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
) -> SearchResult:
    """Search the sections of the index at ``store`` and return ranked, highlighted hits."""
    if not query or not query.strip():
        raise QueryError("empty query: give some words to search for, e.g. sgsearch \"pre-birth\"")
    if sort not in ("relevance", "year"):
        raise QueryError(f"unknown sort {sort!r}: use relevance or year")
    ix = store.index()
    schema = ix.schema
    themes = [theme] if isinstance(theme, str) else list(theme or [])
    theme_ids = [resolve_theme_filter(t) for t in themes]
    flt = _filters(year, from_year, to_year, theme_ids, doc_type, publisher, schema)
    fields = ["exact"] if exact else ["heading", "text", "title"]
    prepared = _prepare(query)
    literal_text = prepared
    expansions: list[list[str]] = []
    if not exact:
        prepared, expansions = _mark_themes(prepared)
    s = store.searcher()
    flt = store.filter_docs(flt)
    mode = "all"
    group = qparser.AndGroup
    q = _parse(schema, fields, group, prepared, expansions)
    want = max(limit, 1)
    kw = {"limit": want if sort == "year" else max(want * 3, 50), "filter": flt}
    if sort == "year":
        kw["sortedby"] = "year_start"
        kw["reverse"] = True
    results = s.search(q, **kw)
    if results.scored_length() == 0:
        q_any = _parse(schema, fields, qparser.OrGroup, prepared, expansions)
        if q_any != q:
            any_results = s.search(q_any, **kw)
            if any_results.scored_length():
                results, q, mode, group = any_results, q_any, "any", qparser.OrGroup
    # not list(results): list() asks len(), which counts every match in Python
    top = [results[i] for i in range(results.scored_length())]
    total, exact_total = _total(results)
    if exact_total:
        years, documents = _spread(s, results.docs())
    else:
        years, documents = _spread(s, [h.docnum for h in top])
    if sort != "year":
        # literal matches first; sections found only through their theme tag after them
        literal = _literal_docnums(s, schema, fields, group, literal_text, top) if expansions else None
        top.sort(key=lambda h: (literal is not None and h.docnum not in literal, -(h.score or 0.0)))
        top = _diversify(top, want)
    expanded = sorted({t for group_ids in expansions for t in group_ids})
    terms = _query_terms(q)
    hits = [_hit(n, h, fields, expanded, terms) for n, h in enumerate(top[:want], start=1)]
    res = SearchResult(query, total, hits, mode, expanded, [], years, documents, exact_total)
    if total == 0:
        res.suggestions = suggest(s, query)
    return res


EXACT_LIMIT = 5000  # beyond this many matches the total is Whoosh's estimate (counting costs ~2 µs a match)


def _total(results) -> tuple[int, bool]:
    if results.has_exact_length():
        return len(results), True
    est = results.estimated_length()
    if est <= EXACT_LIMIT:
        return len(results), True
    return est, False


def _literal_docnums(searcher, schema, fields, group, literal_text: str, top) -> set[int]:
    """Which of the top hits match the words themselves (not only a theme tag).

    Walks a matcher of the query without theme expansion to each hit's document number
    (skip lists make this a few steps per hit), instead of running that query in full.
    """
    if not top:
        return set()
    try:
        q = _parser(schema, fields, group).parse(literal_text)
        m = q.matcher(searcher)
    except Exception:
        return {h.docnum for h in top}
    found = set()
    for d in sorted(h.docnum for h in top):
        if not m.is_active():
            break
        if m.id() < d:
            m.skip_to(d)
        if m.is_active() and m.id() == d:
            found.add(d)
    return found


def _query_terms(q) -> dict[str, list[str]]:
    """The query's terms per field (for choosing where in a long section to highlight)."""
    out: dict[str, list[str]] = {}
    for fname, text in q.iter_all_terms():
        out.setdefault(fname, []).append(text.decode() if isinstance(text, bytes) else text)
    return out


def _parse(schema, fields, group, prepared: str, expansions: list[list[str]]):
    try:
        q = _parser(schema, fields, group).parse(prepared)
    except Exception as e:  # whoosh raises assorted errors on odd syntax
        raise QueryError(f"cannot read the query: {e}; put odd characters in quotes") from None
    if expansions:
        # normalize() also merges the copies of a theme term made for each field
        q = q.accept(lambda sub: _expand_marker(sub, expansions)).normalize()
    if q is NullQuery or isinstance(q, Not) or not list(q.iter_all_terms()):
        raise QueryError("nothing to search for: a query needs at least one word that is not excluded (-word)")
    return q


def _expand_marker(sub, expansions):
    if isinstance(sub, Term) and isinstance(sub.text, str) and sub.text.startswith(_MARK):
        n = int(sub.text[len(_MARK):])
        return Or([Term("themes", t, boost=THEME_BOOST) for t in expansions[n]])
    return sub


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


def _literal(hit) -> bool:
    return any(field != "themes" for field, _ in (hit.matched_terms() or []))


def _spread(searcher, docnums) -> tuple[list[str], int]:
    """The years and the number of documents of the given matches, from per-segment columns."""
    docnums = sorted(docnums)
    years, docs = set(), set()
    i = 0
    for sub, offset in searcher.reader().leaf_readers():
        end = offset + sub.doc_count_all()
        ycol = sub.column_reader("year_start") if sub.has_column("year_start") else None
        dcol = sub.column_reader("doc_id") if sub.has_column("doc_id") else None
        while i < len(docnums) and docnums[i] < end:
            local = docnums[i] - offset
            if ycol is not None:
                years.add(ycol[local])
            if dcol is not None:
                docs.add(dcol[local])
            i += 1
    from ingest.metadata import fy_label

    # a section without a year reads back from the column as a sentinel (2**31 - 1)
    return [fy_label(y) for y in sorted(y for y in years if y and 1900 < y < 2200)], len(docs)


def _hit(rank: int, hit, fields: list[str], theme_ids: list[str], terms: dict[str, list[str]]) -> Hit:
    stored = hit.fields()
    text = stored.get("text") or ""
    fmt = _MarkFormatter()
    # always re-tokenise: the text given is a window of the section, not the whole
    hl = Highlighter(fragmenter=ContextFragmenter(maxchars=SNIPPET_CHARS, surround=90), formatter=fmt,
                     always_retokenize=True)
    snippet = ""
    page = stored.get("page_start")
    if text:
        field = fields[0] if fields == ["exact"] else "text"
        offset, window = _window(text, terms.get(field, []))
        try:
            snippet = hl.highlight_hit(hit, field, text=window, top=2, minscore=1)
        except Exception:  # highlighting must never break a search
            snippet = ""
        if fmt.fragments and fmt.fragments[0].matches:
            at = offset + fmt.fragments[0].matches[0].startchar
            page = page_at(stored.get("page_offsets") or [], at) or page
    sec = section_json(stored)
    matched = [t for t in theme_ids if t in sec["themes"]]
    if not snippet and matched:
        evidence = [e for t in matched for e in sec["theme_evidence"].get(t, {}).get("evidence", [])]
        snippet, at = _evidence_snippet(text, evidence)
        if at is not None:
            page = page_at(stored.get("page_offsets") or [], at) or page
    if not snippet:
        snippet = _lead(text)
    return Hit(rank, float(hit.score or 0.0), sec, stored.get("title", ""), stored.get("publisher") or None,
               stored.get("doc_type", ""), " ".join(snippet.split()), page, matched)


WINDOW = 320  # characters either side of a likely match that the highlighter analyses


def _window(text: str, terms: list) -> tuple[int, str]:
    """The part of a long section worth highlighting: around the first likely matches.

    Analysing a whole long section for every hit is the slowest part of a query; a
    cheap pattern built from the matched terms (letters in order, an optional hyphen or
    space between them, so the term "prebirth" finds "pre-birth") finds where to look.
    Returns the window's offset in the text, and the window.
    """
    if len(text) <= 3 * WINDOW or not terms:
        return 0, text[: 12 * WINDOW]
    rx = _term_pattern(tuple(sorted(t.decode() if isinstance(t, bytes) else t for t in terms)))
    hits = [(m.start(), m.end(), m.lastgroup) for m in rx.finditer(text)]
    if not hits:
        return 0, text[: 12 * WINDOW]
    # the window holding the most different query terms (a phrase, or all the words), earliest first
    best, best_n, j = 0, 0, 0
    for i, (pos, _end, _g) in enumerate(hits):
        while hits[j][0] < pos - WINDOW:
            j += 1
        k = i
        while k + 1 < len(hits) and hits[k + 1][0] <= pos + WINDOW:
            k += 1
        n = len({g for _s, _e, g in hits[j:k + 1]})
        if n > best_n:
            best, best_n = i, n
    pos = hits[best][0]
    start, end = max(0, pos - WINDOW), min(len(text), pos + 2 * WINDOW)
    if start:
        start = text.find(" ", start) + 1 or start
    return start, text[start:end]


_PATTERNS: dict = {}


def _term_pattern(terms: tuple[str, ...]) -> re.Pattern:
    rx = _PATTERNS.get(terms)
    if rx is None:
        # a stem's last letter may differ from the word ("strategi" for "strategy")
        alts = [f"(?P<t{n}>" + r"[\s\-–/]?".join(re.escape(c) for c in (t[:-1] if len(t) > 4 else t)) + ")"
                for n, t in enumerate(terms) if t]
        rx = re.compile(r"(?i)\b(?:" + "|".join(alts) + ")")
        _PATTERNS[terms] = rx
    return rx


def _evidence_snippet(text: str, phrases: list[str]) -> tuple[str, int | None]:
    """A snippet around the first theme phrase found in the text, the phrase marked."""
    low = text.lower()
    found = [(low.find(p.lower()), p) for p in phrases if p and low.find(p.lower()) >= 0]
    if not found:
        return "", None
    at, phrase = min(found)
    start = max(0, text.rfind(" ", 0, max(0, at - 90)) + 1) if at > 90 else 0
    end = min(len(text), at + len(phrase) + 120)
    head = "… " if start > 0 else ""
    tail = " …" if end < len(text) else ""
    body = text[start:at] + HL_START + text[at:at + len(phrase)] + HL_END + text[at + len(phrase):end]
    return head + body + tail, at


def _lead(text: str) -> str:
    t = " ".join(text.split())
    if len(t) <= SNIPPET_CHARS:
        return t
    cut = t[:SNIPPET_CHARS].rsplit(" ", 1)[0]
    return cut + " …"


def page_at(offsets: list, charpos: int) -> int | None:
    """The page on which character ``charpos`` of a section's text lies."""
    page = None
    for start, p in offsets:
        if start <= charpos:
            page = p
        else:
            break
    return page


_KEY_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")


def _key(words: list[str]) -> str:
    """A phrase as one key: case, spaces and hyphens ignored, a final plural dropped."""
    k = "".join(w.lower().replace("’", "'") for w in words)
    for suffix in ("ies", "es", "s"):
        if k.endswith(suffix) and len(k) > len(suffix) + 3:
            return k[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return k


def _theme_names() -> tuple[dict[str, list[str]], dict[str, list[str]], int]:
    """Theme ids by phrase key (ids, labels, phrases) and by exact abbreviation; the longest phrase."""
    global _NAMES
    if _NAMES is None:
        t = _taxonomy()
        keys: dict[str, set[str]] = {}
        abbrs: dict[str, set[str]] = {}
        longest = 1
        if t is not None:
            for theme in t.themes.values():
                for name in (theme.id, theme.label, *theme.phrases):
                    words = _KEY_WORD.findall(name)
                    if words and len("".join(words)) >= 3:
                        keys.setdefault(_key(words), set()).add(theme.id)
                        longest = max(longest, len(words))
                for abbr in theme.abbreviations:
                    abbrs.setdefault(abbr, set()).add(theme.id)
        _NAMES = ({k: sorted(v) for k, v in keys.items()}, {k: sorted(v) for k, v in abbrs.items()}, longest)
    return _NAMES


_NAMES = None


def _mark_themes(prepared: str) -> tuple[str, list[list[str]]]:
    """Rewrite theme mentions outside quotes as ``((mention) OR marker)``; return the themes per marker.

    Mentions are found by looking up runs of query words (longest first) in a table of
    every theme's id, label and phrases, so no per-phrase pattern is compiled.
    """
    keys, abbrs, longest = _theme_names()
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
                if any(w[2] in ("AND", "OR", "NOT") for w in run):
                    continue
                if n == 1 and run[0][2] in abbrs:
                    found = (n, abbrs[run[0][2]])
                    break
                ids = keys.get(_key([w[2] for w in run]))
                if ids:
                    found = (n, ids)
                    break
            if found:
                n, ids = found
                spans.append((words[j][0], words[j + n - 1][1], ids))
                j += n
            else:
                j += 1
        for start, end, ids in sorted(spans, reverse=True):
            expansions.append(ids)
            chunk = f"{chunk[:start]}(({chunk[start:end]}) OR {_MARK}{len(expansions) - 1}){chunk[end:]}"
        chunks[i] = chunk
    return "".join(chunks), expansions


def expand_themes(query: str) -> list[str]:
    """Theme ids that a query mentions (``neglect``, ``Pre-Birth``, ``male carers``, ``CSE``)."""
    _, expansions = _mark_themes(_prepare(query))
    return sorted({t for group in expansions for t in group})


def resolve_theme_filter(name: str) -> str:
    """A ``--theme`` value (id or label, any case) as a theme id; QueryError if unknown."""
    t = _taxonomy()
    if t is None:
        return name
    from ingest.taxonomy import resolve_theme

    theme = resolve_theme(t, name)
    if theme is None:
        raise QueryError(f"unknown theme {name!r}: 'sgsearch themes --list' shows the themes")
    return theme.id


def _norm(text: str) -> str:
    return re.sub(r"[\s\-_/]+", "", text.lower())


_TAXONOMY = None


def _taxonomy():
    global _TAXONOMY
    if _TAXONOMY is None:
        try:
            from ingest.taxonomy import load_taxonomy

            _TAXONOMY = load_taxonomy()
        except Exception:
            return None
    return _TAXONOMY


def suggest(searcher, query: str, limit: int = 3) -> list[str]:
    """'Did you mean' spellings for a query that found nothing, from the index's own words."""
    words = re.findall(r"[A-Za-z][A-Za-z'-]{2,}", query)
    if not words:
        return []
    from rapidfuzz import fuzz, process

    vocab = _vocabulary(searcher)
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


def _vocabulary(searcher) -> list[str]:
    """Unstemmed words of the index (from the exact field), for spelling suggestions."""
    reader = searcher.reader()
    return [t.decode("utf-8") if isinstance(t, bytes) else t for t in reader.lexicon("exact")
            if len(t) >= 3]
