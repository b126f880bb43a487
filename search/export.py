"""The briefing export behind ``sgsearch export``: what a subgroup pastes into a board paper.

A briefing has four parts, built once by :func:`build_briefing` and written as
Markdown, Word, CSV or JSON by :func:`export_briefing`:

- ``scope``: what was asked (query, themes, years), when, and over how many documents;
- ``table``: sections tagged with each theme per financial year (and, for a query, the
  sections matching it per year);
- ``passages``: per year, oldest first, quotable passages, each a sentence-bounded
  excerpt around the match with a citation (document, year, section number and
  heading, page);
- ``recurring``: items (recommendations, learning, priorities...) said again in later
  years that concern the query's themes or words.

Report text is data, not markup: every string taken from a document is cleaned of
control characters and terminal escape sequences when the briefing is built, and
escaped for the output format when it is written (Markdown punctuation and HTML
brackets in Markdown; XML-illegal characters never reach python-docx; a CSV cell
that Excel would run as a formula is prefixed with ``'``).
"""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from search.cite import citation, clean, item_citation, section_citation
from search.errors import SgsearchError
from search.index.analysis import STOP_WORDS
from search.index.qtree import And, Term, any_of
from search.index.records import doc_json
from search.index.store import Store
from search.query import (
    QueryError,
    expand_themes,
    plain,
    resolve_theme_filter,
    search,
    spans,
    year_arg,
    years_between,
)
from search.report.briefing import FORMATS, briefing_format, clean_tree, describe, export_briefing
from search.table import year_range
from search.trace import UNDATED, theme_table
from search.vocab.years import fy_label, parse_year_label

QUOTE_CHARS = 600
TABLE_THEMES = 15
RECURRING_CLUSTERS = 10

# -- cleaning and citing: see search.cite -------------------------------------------------




# -- building -------------------------------------------------------------------------------

def build_briefing(
    store: Store,
    query: str | None = None,
    themes=(),
    from_year=None,
    to_year=None,
    limit_per_year: int = 10,
) -> dict:
    """Everything a briefing holds, as a JSON-ready dict with keys ``title``, ``scope``,
    ``table``, ``passages``, ``recurring`` and ``sources``.

    ``query`` is searched as ``sgsearch QUERY`` would (with ``themes`` as ``--theme``
    filters, every one required); with themes but no query, each theme's tagged sections
    are gathered. ``from_year``/``to_year`` take ``2020-21``, ``2020/21`` or ``2020``.
    Raises ``ValueError`` (a :class:`~search.query.QueryError`) for a missing query,
    an unknown theme or a year that cannot be read.
    """
    query = clean(query) or None
    if isinstance(themes, str):
        themes = [themes]
    theme_ids: list[str] = []
    for t in themes or ():
        tid = resolve_theme_filter(t, store.taxonomy())  # QueryError (a ValueError) names the fix
        if tid not in theme_ids:
            theme_ids.append(tid)
    if not query and not theme_ids:
        raise QueryError("nothing to export: give a query (words to search for) or one or more themes ({theme} neglect); "
                         "{theme_list} lists every theme")
    lo, hi = year_arg("from_year", from_year), year_arg("to_year", to_year)
    if lo is not None and hi is not None and lo > hi:
        raise QueryError(f"{{from_year}} {fy_label(lo)} is after {{to_year}} {fy_label(hi)}: swap them")
    limit_per_year = max(1, int(limit_per_year))
    labels = {t.id: t.label for t in store.taxonomy().themes.values()}

    passages, summary = _passages(store, query, theme_ids, lo, hi, limit_per_year)
    query_themes = [t for t in (expand_themes(query, store.taxonomy()) if query else []) if t not in theme_ids]
    table = _table(store, lo, hi, theme_ids, query_themes, labels)
    if query:
        table["query_row"] = {
            "label": f"Sections matching \u201c{query}\u201d",
            "counts": {y: None if y in table["no_document"] else summary["per_year"].get(y, 0)
                       for y in table["years"]},
            "total": summary["total"],
        }
    recurring = _recurring(store, query, theme_ids + query_themes, lo, hi, labels)
    docs = [doc_json(d) for d in store.records("doc")]  # the contract's shape: "title" is the document's
    years = [g["year"] for g in passages]  # the dated years of the matches, as a search's summary gives them
    scope = {
        "query": query,
        "themes": [{"id": t, "label": labels.get(t, t)} for t in theme_ids],
        "query_themes": [{"id": t, "label": labels.get(t, t)} for t in query_themes],
        "from_year": fy_label(lo) if lo is not None else None,
        "to_year": fy_label(hi) if hi is not None else None,
        "years": [years[0], years[-1]] if years else [],
        "generated": date.today().isoformat(),
        "index_documents": len(docs),
        "sections": summary["total"],
        "documents": summary["documents"],
        "mode": summary["mode"],
        "suggestions": summary["suggestions"],
        "limit_per_year": limit_per_year,
    }
    scope["description"] = describe(scope)
    cited: dict[str, dict[str, str]] = {}  # doc id -> embedded report title -> its year
    for g in passages:
        for p in g["passages"]:
            parts = cited.setdefault(p["doc_id"], {})
            if p.get("part_title") and p["part_title"] != p["title"]:
                parts[p["part_title"]] = p["year"]
    sources = sorted(
        ({"doc_id": d["doc_id"], "title": d.get("title") or d["doc_id"], "publisher": d.get("publisher") or None,
          "doc_type": d.get("doc_type"), "year": d.get("year"),
          "parts": [{"title": t, "year": y} for t, y in cited[d["doc_id"]].items()]}
         for d in docs if d["doc_id"] in cited),
        key=lambda d: (parse_year_label(d["year"] or "") or 0, d["title"] or ""),
    )
    title = f"Briefing: \u201c{query}\u201d" if query else "Briefing: " + ", ".join(labels.get(t, t) for t in theme_ids)
    return clean_tree({
        "title": title,
        "scope": scope,
        "table": table,
        "passages": passages,
        "recurring": recurring,
        "sources": sources,
    })


def _passages(store, query, theme_ids, lo, hi, per_year) -> tuple[list[dict], dict]:
    """Per year, oldest first: the best ``per_year`` passages and how many sections matched."""
    rng = {"from_year": lo, "to_year": hi}
    if query:
        searches = [(query, theme_ids)]
    else:  # each theme on its own: the sections tagged with any of them
        searches = [(t, [t]) for t in theme_ids]
    overall = [search(store, q, limit=1, theme=th, **rng) for q, th in searches]
    years = sorted({y for r in overall for y in r.years}, key=lambda y: parse_year_label(y) or 0)
    groups, counts = [], {}
    documents: set[str] = set()
    for y in years:
        results = [search(store, q, limit=per_year, year=y, theme=th) for q, th in searches]
        seen: set[str] = set()
        chosen = []
        for rank in range(per_year):  # round-robin over the searches, best first
            for r in results:
                if rank < len(r.hits) and r.hits[rank].section["section_id"] not in seen:
                    seen.add(r.hits[rank].section["section_id"])
                    chosen.append(r.hits[rank])
        chosen = chosen[:per_year]
        ys = parse_year_label(y)
        total = results[0].total if len(results) == 1 else _union_count(store, theme_ids, ys, ys)
        counts[y] = total
        documents.update(h.section["doc_id"] for h in chosen)
        groups.append({
            "year": y,
            "year_start": parse_year_label(y),
            "sections": total,
            "documents": max((r.documents for r in results), default=0),
            "passages": [_passage(h) for h in chosen],
        })
    summary = {
        # each section once, though a span's sections are in every year they cover
        "total": overall[0].total if len(overall) == 1 else _union_count(store, theme_ids, lo, hi),
        "per_year": {**counts, **({UNDATED: _undated(overall[0])} if len(overall) == 1 else {})},
        "documents": max(len(documents), max((r.documents for r in overall), default=0)),
        "mode": "any" if any(r.mode == "any" for r in overall) else "all",
        "suggestions": sorted({s for r in overall for s in r.suggestions}),
    }
    return groups, summary


def _undated(res) -> int:
    """A search's matching sections whose document states no year."""
    found = res.summary.brief().get((None,)) if res.summary else None
    return found.sections if found else 0


def _union_count(store, theme_ids, lo, hi) -> int:
    """Sections covering a year from ``lo`` to ``hi`` (None: open) tagged with any of several themes."""
    themed = any_of(Term("themes", t) for t in theme_ids)
    flt = themed if lo is None and hi is None else And((years_between(lo, hi), themed))
    return store.backend().counts(None, flt, ())[()].sections


def _passage(hit) -> dict:
    s = hit.section
    quote = excerpt(s.get("text") or "", _marked(hit.snippet)) or clean(plain(hit.snippet))
    return {
        "year": s.get("year"),
        "title": hit.title or s.get("doc_id"),
        "part_title": s.get("part_title"),
        "publisher": hit.publisher,
        "doc_id": s.get("doc_id"),
        "section_id": s.get("section_id"),
        "number": s.get("number"),
        "heading": s.get("heading"),
        "page": hit.page,
        "themes": s.get("themes") or [],
        "quote": quote,
        "source_url": s.get("source_url"),
        "citation": section_citation(s, hit.title, hit.page),
    }


def _marked(snippet: str) -> list[str]:
    """The highlighted words of a snippet, in order, without repeats."""
    text = plain(snippet)
    out = []
    for a, b in spans(snippet):
        w = text[a:b].strip()
        if w and w.lower() not in (o.lower() for o in out):
            out.append(w)
    return out


_LINE_SPLIT = re.compile(r"\n+")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]?\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9\u2022\u00b7])")


def _units(text: str) -> list[tuple[int, int]]:
    """Sentence (and line, for bullets and table rows) boundaries as ``(start, end)`` offsets."""
    out = []
    pos = 0
    for line in _LINE_SPLIT.split(text):
        start = text.find(line, pos) if line else pos
        pos = start + len(line)
        cut = start
        for m in _SENTENCE_SPLIT.finditer(line):
            out.append((cut, start + m.start()))
            cut = start + m.end()
        out.append((cut, start + len(line)))
    return [(a, b) for a, b in out if text[a:b].strip()]


def excerpt(text: str, terms: list[str], max_chars: int = QUOTE_CHARS) -> str:
    """A quotable passage of ``text``: the sentence (or bullet) holding the first of
    ``terms``, later sentences that also hold one, a sentence of lead-in and of
    follow-on while short, at most about ``max_chars``, with ``…`` where the section goes
    on. Empty when no term is found (the caller then falls back to the search snippet)."""
    terms = [t for t in terms if t and t.strip() and t.strip().lower() not in STOP_WORDS]
    if not text or not terms:
        return ""
    rx = re.compile("|".join(r"[\s\-/]*".join(map(re.escape, re.split(r"[\s\-/]+", t.strip()))) for t in terms),
                    re.I)
    units = _units(text)
    found: dict[int, set[str]] = {}
    for m in rx.finditer(text):
        for i, (a, b) in enumerate(units):
            if a <= m.start() < b:
                found.setdefault(i, set()).add(re.sub(r"\W+", "", m.group().lower()))
    if not found:
        return ""
    best = max(len(v) for v in found.values())
    at = min(i for i, v in found.items() if len(v) == best)  # the first sentence with the most query words
    hits = sorted(i for i in found if i >= at)

    def length(i):
        return len(" ".join(text[units[i][0]:units[i][1]].split())) + 1

    size = length(at)
    if size > max_chars:  # one long sentence: a window of words around the match
        a, b = units[at]
        m = rx.search(text, a)
        lo = max(a, m.start() - max_chars // 3)
        hi = min(b, lo + max_chars)
        if lo > a:
            lo = text.find(" ", lo, m.start()) + 1 or lo
        if hi < b:
            hi = text.rfind(" ", m.end(), hi) if text.rfind(" ", m.end(), hi) > 0 else hi
        return ("… " if text[:lo].strip() else "") + clean(text[lo:hi]) + (" …" if text[hi:].strip() else "")
    first = last = at
    for j in hits[1:]:  # further sentences that mention it, while the quote stays short enough
        extra = sum(length(k) for k in range(last + 1, j + 1))
        if size + extra > max_chars:
            break
        last, size = j, size + extra
    target = max_chars // 2
    if first > 0:
        lead = text[units[first - 1][0]:units[first - 1][1]].rstrip()
        if size + length(first - 1) <= max_chars and (lead.endswith(":") or size + length(first - 1) <= target):
            first -= 1
            size += length(first)
    while size < target and last + 1 < len(units) and size + length(last + 1) <= max_chars:
        last += 1
        size += length(last)
    start, end = units[first][0], units[last][1]
    head = "… " if text[:start].strip() else ""
    tail = " …" if text[end:].strip() else ""
    return head + clean(text[start:end]) + tail


def _table(store, lo, hi, theme_ids, query_themes, labels) -> dict:
    """The theme-by-year table: the asked themes, else the query's themes and the most
    frequent others (at most ``TABLE_THEMES`` rows)."""
    data = theme_table(store, lo, hi)
    by_id = {t["id"]: t for t in data["themes"]}
    indexed = set(data["years"])
    # every year first to last (None for a year with no document), then the undated sections'
    # own column, as `sgsearch themes` has it, so a row's cells add up to its total
    years = year_range(data["years"]) + [y for y in data["years"] if y == UNDATED]

    def row(tid):
        t = by_id.get(tid)
        counts = {y: (t["counts"].get(y, 0) if t else 0) if y in indexed else None for y in years}
        return {"id": tid, "label": (t or {}).get("label") or labels.get(tid, tid), "counts": counts,
                "total": t["total"] if t else 0}  # each section once, though a span counts in each of its years

    if theme_ids:
        rows = [row(t) for t in theme_ids]
    else:
        picked = [t for t in query_themes if t in by_id or t in labels]
        others = sorted((t for t in data["themes"] if t["total"] > 0 and t["id"] not in picked),
                        key=lambda t: -t["total"])  # stable: taxonomy order breaks ties
        kept = others[:max(0, TABLE_THEMES - len(picked))]
        picked += [t["id"] for t in kept]
        rows = [row(t) for t in picked]
        left = len(others) - len(kept)
    return {"years": years, "rows": rows, "query_row": None, "no_document": [y for y in years if y not in indexed],
            "themes_left_out": 0 if theme_ids else left}


_QUERY_NOISE = re.compile(r"(?:(?<=\s)|^)-[\w\"]\S*|\b(?:AND|OR|NOT)\b")


def _recurring(store, query, theme_ids, lo, hi, labels) -> list[dict]:
    """Recurring clusters relevant to the briefing: a member tagged with one of its themes,
    or holding every content word of the query; the most relevant first."""
    # lazy: recurrence (numpy, scipy) loads only for briefings that show it
    from search.recur import normalise, recur

    want_themes = set(theme_ids)
    words = set(normalise(_QUERY_NOISE.sub(" ", query.replace('"', " ")))) if query else set()
    excluded = set(normalise(" ".join(re.findall(r"(?:(?<=\s)|^)-([\w\"][^\s\"]*)", query or ""))))
    if not want_themes and not words:
        return []
    parts: dict[str, str | None] = {}  # section id -> the embedded report's title (cached)
    out = []
    for cluster in recur(store):
        items = [it for it in cluster["items"]
                 if (lo is None or (it.get("year_start") or 0) >= lo)
                 and (hi is None or (it.get("year_start") or 0) <= hi)]
        if len({it.get("year") for it in items if it.get("year")}) < 2:
            continue
        relevant = [it for it in items
                    if (want_themes & set(it.get("themes") or [])
                        or (words and words <= set(normalise(it.get("text") or ""))))
                    and not excluded & set(normalise(it.get("text") or ""))]
        if not relevant:
            continue
        years = sorted({it["year"] for it in items if it.get("year")}, key=lambda y: parse_year_label(y) or 0)
        out.append((len(relevant), {
            "id": cluster["id"],
            "themes": [{"id": t, "label": labels.get(t, t)} for t in cluster["themes"]],
            "years": years,
            "items": [{
                "year": it.get("year"),
                "kind": it.get("kind"),
                "status": it.get("status"),
                "text": it.get("text"),
                "title": it.get("title") or it.get("doc_id"),
                "section_id": it.get("section_id"),
                "item_id": it.get("item_id"),
                "citation": item_citation(store, it, parts),
            } for it in items],
        }))
    out.sort(key=lambda x: (-len(x[1]["years"]), -x[0], x[1]["id"]))
    return [c for _, c in out[:RECURRING_CLUSTERS]]


def export(store: Store, path, fmt: str | None = None, query: str | None = None, themes=(),
           from_year=None, to_year=None, limit_per_year: int = 10) -> Path:
    """Build a briefing and write it; ``fmt`` defaults to the file's extension."""
    fmt = briefing_format(path, fmt)
    briefing = build_briefing(store, query, themes, from_year, to_year, limit_per_year)
    if not briefing["passages"]:
        scope = briefing["scope"]
        hint = f" Did you mean: {', '.join(scope['suggestions'])}?" if scope.get("suggestions") else ""
        raise NothingToExport(f"no sections match, so no briefing was written to {path}.{hint}",
                              scope.get("suggestions") or [])
    return export_briefing(briefing, path, fmt)


class NothingToExport(SgsearchError, LookupError):
    """A briefing would hold no passages (nothing matches); no file is written.
    ``suggestions``: spellings from the index that might have been meant."""

    def __init__(self, message: str, suggestions: list[str] | None = None):
        super().__init__(message)
        self.suggestions = list(suggestions or [])


__all__ = ["NothingToExport", "build_briefing", "export_briefing", "export", "citation", "excerpt", "clean",
           "FORMATS"]
