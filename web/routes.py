"""The pages: each parses its query string, makes the library call the CLI makes, and
renders HTML (or the CLI's ``--json`` shape, see :func:`web.app.render`).
"""
from __future__ import annotations

import math
import os
import re
import tempfile
from pathlib import Path
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from ingest.readers import SUPPORTED_EXTS, max_file_bytes
from search.browse import DocNotFound, document, documents, section, year_span
from search.cite import cite_items
from search.errors import FormatError
from search.facets import FACET_LIMIT, facets, result_facets, result_page, sections_per_year
from search.filters import PAGE, explain_empty
from search.query import QueryError, is_undated, resolve_theme_filter, search
from search.report.chart import chart_title, plot_trace
from search.table import FEW_MARK, FEW_SECTIONS, chart_years, full_table, rate, write_xlsx, year_range
from search.trace import UNDATED, theme_table, trace
from search.vocab.kinds import ITEM_KINDS
from search.vocab.years import parse_year_label
from usecases import ChecklistError, check_review, check_texts, own_documents, read_checklist
from web.app import Site, error_page, render, wants_json
from web.jobs import discard, safe_name

PER_PAGE = 10
# up to this many matches the page counts its facets with its hits (a quick tally); past it
# the page shows its hits at once and fetches the counts from /facets
INLINE_FACETS = 5000
SORTS = ("relevance", "year")
EXPORT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# originals are served as themselves, except markup, which is shown as text (never run here)
ORIGINAL_TYPES = {".pdf": "application/pdf", ".docx": EXPORT_TYPES["docx"]}
MAX_UPLOAD_FILES = 20
MAX_CHECKS = 300  # recommendations one upload may check (the command takes any number)


def _site(request: Request) -> Site:
    return request.app.state.site


def link(request: Request, path: str | None = None, **changes) -> str:
    """This page's URL with some query parameters changed (None removes one; a list repeats it);
    back to the first page unless ``page`` is given."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k not in changes and k != "page"]
    for k, v in changes.items():
        if v is None or v == "" or v == []:
            continue
        for one in v if isinstance(v, list) else [v]:
            params.append((k, str(one)))
    return (path or request.url.path) + ("?" + urlencode(params) if params else "")


def _int(value, default: int, lo: int, hi: int) -> int:
    try:
        return max(lo, min(hi, int(value)))
    except (TypeError, ValueError):
        return default


# -- search ---------------------------------------------------------------------------------
def _search_options(request: Request) -> tuple[str, list[str], dict]:
    """The query, the themes and search's options (filters, sort) a search URL gives."""
    qp = request.query_params
    themes = [t for t in qp.getlist("theme") if t]
    opts = {"year": qp.get("year") or None, "theme": themes, "doc_type": qp.get("type") or None,
            "publisher": qp.get("publisher") or None,
            "sort": qp.get("sort") if qp.get("sort") in SORTS else "relevance"}
    return qp.get("q", "").strip(), themes, opts


def search_page(request: Request) -> Response:
    """The search page: the documents indexed with no query; else one page of results, with
    their facet counts when few enough (``sgsearch QUERY``, ``--facets``)."""
    site = _site(request)
    q, themes, opts = _search_options(request)
    page = _int(request.query_params.get("page"), 1, 1, 10_000)
    ctx = {"q": q, "opts": opts, "themes": themes, "page": page, "link": lambda **kw: link(request, **kw)}
    if not q:
        with site.lock:
            docs = documents(site.store)
            span = year_span(site.store) if docs else []
        ctx.update(docs=docs, span=span, res=None)
        return render(request, "search.html", ctx, {"query": "", "total": 0, "results": []})
    try:
        with site.lock:
            res = result_page(site.store, q, page=page, per_page=PER_PAGE, **opts)
            last = max(1, math.ceil(min(res.total, FACET_LIMIT) / PER_PAGE))
            if page > last:  # past the last page (an old link, a number typed): the last page
                page = ctx["page"] = last
                res = result_page(site.store, q, page=page, per_page=PER_PAGE, **opts)
            if not res.total:  # which filter left nothing, as the command line says it
                res.why_empty = explain_empty(site.store, q, names=PAGE, **{k: v for k, v in opts.items() if k != "sort"})
            # many matches: the hits now, their counts fetched after (programs get both at once)
            counts = result_facets(site.store, res) if wants_json(request) or res.total <= INLINE_FACETS else None
            labels = site.labels()
    except QueryError as e:
        ctx.update(res=None, error=str(e), docs=[])
        return render(request, "search.html", ctx, {"error": str(e), "status": 400}, status_code=400)
    listed = min(res.total, FACET_LIMIT)  # the pages go down the best FACET_LIMIT: said, never left out unsaid
    pages = max(1, math.ceil(listed / PER_PAGE))
    data = res.to_json()
    data.update(page=page, pages=pages, listed=listed, facets=counts)
    scope = [("q", q)] + [("theme", t) for t in themes]
    if opts["year"] and not is_undated(opts["year"]):  # a briefing's scope is a range of years
        scope += [("from", opts["year"]), ("to", opts["year"])]
    ctx.update(res=res, facets=counts, pages=pages, listed=listed, labels=labels, first=(page - 1) * PER_PAGE,
               export_params=urlencode(scope), facets_url=link(request, path="/facets"))
    return render(request, "search.html", ctx, data)


def facets_page(request: Request) -> Response:
    """The facet counts of a search (``sgsearch QUERY --facets``): a page of its own, the part
    the search page puts in place (``fragment=1``), or JSON."""
    site = _site(request)
    q, themes, opts = _search_options(request)
    if not q:
        raise HTTPException(404, "No query to count.")
    try:
        with site.lock:
            data = facets(site.store, q, **opts)
    except QueryError as e:
        raise HTTPException(400, str(e)) from None
    labels = site.labels()
    within = [v for v in (opts["year"], *(labels.get(t, t) for t in themes),
                          (opts["doc_type"] or "").replace("-", " "), opts["publisher"]) if v]
    ctx = {"q": q, "themes": themes, "within": within, "facets": data["facets"], "total": data["total"],
           "link": lambda **kw: link(request, path="/", fragment=None, **kw),
           "back": link(request, path="/", fragment=None), "more_url": link(request, fragment=None)}
    fragment = request.query_params.get("fragment") == "1"
    return render(request, "facets_fragment.html" if fragment else "facets.html", ctx, data)


# -- documents and sections -----------------------------------------------------------------
def docs_page(request: Request) -> Response:
    """Every indexed document (``sgsearch docs``)."""
    site = _site(request)
    with site.lock:
        docs = documents(site.store)
    return render(request, "docs.html", {"docs": docs}, {"documents": docs})


def _original_url(doc: dict, page=None) -> str | None:
    path = doc.get("path") or ""
    if not path:
        return None
    url = f"/doc/{doc['doc_id']}/original"
    if page and Path(path).suffix.lower() == ".pdf":
        url += f"#page={page}"
    return url


def _document(request: Request) -> dict:
    """The document the request's path names (a 404 when the index has none by that id)."""
    site = _site(request)
    try:
        with site.lock:
            return document(site.store, request.path_params["doc_id"])
    except DocNotFound as e:
        raise HTTPException(404, str(e)) from None


def doc_page(request: Request) -> Response:
    """One document's outline (``sgsearch docs DOC_ID``)."""
    doc = _document(request)
    return render(request, "doc.html", {"doc": doc, "original": _original_url(doc)}, doc)


def original(request: Request) -> Response:
    """The ingested file itself: only a path the index recorded for this document id."""
    doc = _document(request)
    path = Path(doc.get("path") or "")  # the index's own record: nothing from the request reaches a path
    if not doc.get("path") or not path.is_file():
        return error_page(request, 404, f"The original file of this report is no longer where it was added from "
                                        f"({path.name or 'no file recorded'}).")
    media = ORIGINAL_TYPES.get(path.suffix.lower(), "text/plain; charset=utf-8")
    disposition = "attachment" if path.suffix.lower() == ".docx" else "inline"
    return FileResponse(path, media_type=media, filename=path.name, content_disposition_type=disposition)


def section_page(request: Request) -> Response:
    """One whole section with its neighbours (``sgsearch show SECTION_ID``)."""
    site = _site(request)
    sid = request.path_params["section_id"]
    try:
        with site.lock:
            s = section(site.store, sid)
            doc = document(site.store, s["doc_id"])
            labels = site.labels()
    except DocNotFound as e:
        raise HTTPException(404, str(e)) from None
    ids = [x["section_id"] for x in doc["sections"]]
    i = ids.index(sid) if sid in ids else -1
    marked = [m for m in [(s.get("passage") or {}).get("text"), *(it["text"] for it in s["items"] if it.get("marked"))] if m]
    ctx = {"s": s, "doc": doc, "labels": labels, "original": _original_url(doc, s.get("page_start")),
           "paragraphs": marked_paragraphs(s.get("text") or "", marked),
           "prev": doc["sections"][i - 1] if i > 0 else None,
           "next": doc["sections"][i + 1] if 0 <= i < len(ids) - 1 else None}
    return render(request, "section.html", ctx, s)


def marked_paragraphs(text: str, marked: list[str]) -> list[list[tuple[str, bool]]]:
    """A section's paragraphs as runs of text, the runs that say one of ``marked`` (the passage
    or item the address names, as ``sgsearch show`` marks it) flagged; spacing may differ."""
    pattern = "|".join(r"\s+".join(map(re.escape, m.split())) for m in marked if m.split())
    found = re.compile(pattern) if pattern else None
    out = []
    for para in text.split("\n"):
        if not para.strip():
            continue
        runs, at = [], 0
        for m in found.finditer(para) if found else ():
            runs += [(para[at:m.start()], False), (m.group(0), True)]
            at = m.end()
        out.append([r for r in [*runs, (para[at:], False)] if r[0]])
    return out


# -- themes ---------------------------------------------------------------------------------
def themes_page(request: Request) -> Response:
    """The theme × year table (``sgsearch themes``), as counts or per 100 sections, and the
    sections of one cell (a theme, and a year or every year)."""
    site = _site(request)
    qp = request.query_params
    per100 = qp.get("show") == "per100"
    table = site.cached("themes", lambda: theme_table(site.store))
    totals = sections_per_year(table)
    rows = [t for t in table["themes"] if t["total"]]
    all_years = _every_year(table["years"])
    rows.sort(key=lambda t: -t["total"])
    values = {}
    for t in rows:
        for y in table["years"]:
            n = t["counts"][y]
            values[(t["id"], y)] = rate(n, totals[y]) if per100 and totals.get(y) else n
    every = table["sections"]  # each section once, though a span's are in every year it covers
    alls = {t["id"]: f"{rate(t['total'], every):.1f}" if per100 else t["total"] for t in rows}
    few = [y for y in table["years"] if per100 and totals.get(y, 0) < FEW_SECTIONS]
    top = max(values.values(), default=0) or 1
    levels = {k: (0 if not v else 1 + min(4, int(5 * v / top - 1e-9))) for k, v in values.items()}
    cell = None
    tid, year = qp.get("theme"), qp.get("year")
    if tid or year:
        theme = next((t for t in table["themes"] if t["id"] == tid), None)
        if theme is None or (year and year not in table["years"]):
            raise HTTPException(404, "No such theme or year in the table.")
        try:
            with site.lock:
                # the id as the query: every tagged section matches it (a label's words may not)
                res = search(site.store, theme["id"], limit=200, theme=theme["id"], year=year or None)
        except QueryError as e:
            raise HTTPException(400, str(e)) from None
        cell = {"theme": theme, "year": year, "res": res}
    ctx = {"table": table, "all_years": all_years, "undated": UNDATED, "rows": rows, "values": values, "levels": levels, "per100": per100,
           "totals": totals, "cell": cell, "link": lambda **kw: link(request, **kw), "alls": alls, "every": every, "few": few,
           "few_mark": FEW_MARK, "few_sections": FEW_SECTIONS}
    # programs get the shape `sgsearch themes --json` prints (every year, a year with no report null)
    data = dict(site.cached("themes-json", lambda: full_table(site.store)))
    if per100:  # what the table shows: sections per 100 of each year's, as `sgsearch themes --per 100` gives
        data["rates"] = {t["id"]: {y: values[(t["id"], y)] for y in table["years"]} for t in rows}
    if cell:
        data["passages"] = cell["res"].to_json()
    return render(request, "themes.html", ctx, data)


def _every_year(years: list[str]) -> list[str]:
    """Every financial year from the first to the last, those with no report included."""
    undated = [y for y in years if parse_year_label(y) is None]  # "undated" stays last
    return year_range(years) + undated


# -- trace ----------------------------------------------------------------------------------
def trace_page(request: Request) -> Response:
    """How a subject or theme runs over the years (``sgsearch trace QUERY``)."""
    site = _site(request)
    q = request.query_params.get("q", "").strip()
    data = None
    if q:
        try:
            with site.lock:
                data = trace(site.store, q, examples=3)
        except QueryError as e:
            return render(request, "trace.html", {"q": q, "data": None, "error": str(e)},
                          {"error": str(e), "status": 400}, 400)
    return render(request, "trace.html", {"q": q, "data": data, "labels": site.labels(),
                                          "chart": link(request, path="/trace.svg"),
                                          "chart_title": chart_title(data) if data else ""},
                  data or {"query": "", "years": []})


def trace_chart(request: Request) -> Response:
    """The trace as an SVG bar chart, drawn by the same function as ``sgsearch trace --plot``."""
    site = _site(request)
    q = request.query_params.get("q", "").strip()
    if not q:
        raise HTTPException(404, "No query to chart.")

    def draw() -> bytes:
        data = trace(site.store, q, examples=0)
        with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:
            path = Path(tmp) / "trace.svg"
            years, indexed = chart_years(site.store, data)
            plot_trace(data, path, all_years=years, indexed=indexed)
            return path.read_bytes()

    try:
        svg = site.cached(("trace.svg", q), draw)
    except QueryError as e:
        raise HTTPException(400, str(e)) from None
    return Response(svg, media_type="image/svg+xml")


# -- recurrence -----------------------------------------------------------------------------
def recur_page(request: Request) -> Response:
    """Items said again in different years (``sgsearch recur``), as a page or the tracker
    file; with ``check``, the earlier items like one text (``recur --check TEXT``)."""
    # lazy: numpy/scipy (recur) and python-docx (export) load only for the pages that need them
    from search.recur import DEFAULT_THRESHOLD, recur, verdict_line

    site = _site(request)
    qp = request.query_params
    kind = qp.get("kind") if qp.get("kind") in ITEM_KINDS else None
    min_years = _int(qp.get("min_years"), 2, 2, 50)
    text = qp.get("check", "").strip()
    ctx = {"kind": kind, "kinds": ITEM_KINDS, "min_years": min_years, "check": text, "theme": qp.get("theme") or "",
           "link": lambda **kw: link(request, **kw), **_upload_limits()}
    ctx["labels"] = site.labels()
    if text:
        result = _check(site, [text[:5000]], kind)[0]  # recur --check TEXT
        ctx.update(matches=result["matches"], verdict=result["verdict"], clusters=None,
                   verdict_text=verdict_line(result["verdict"], True))
        return render(request, "recur.html", ctx, result)
    theme_id = None
    if qp.get("theme"):
        try:
            with site.lock:  # the store's cache is not shared across threads unguarded
                theme_id = resolve_theme_filter(qp["theme"], site.store.taxonomy())
        except QueryError as e:
            ctx.update(error=str(e), clusters=[], matches=None)
            return render(request, "recur.html", ctx, {"error": str(e), "status": 400}, status_code=400)

    def groups():
        found = recur(site.store, min_years=min_years, kind=kind, theme=theme_id, threshold=DEFAULT_THRESHOLD)
        cite_items(site.store, [it for c in found for it in c["items"]])
        return found

    clusters = site.cached(("recur", min_years, kind, theme_id), groups)
    fmt = qp.get("format")
    if fmt in ("xlsx", "csv"):  # the tracker, as ``sgsearch recur -o tracker.xlsx`` writes it
        # lazy: the writers load only for a download
        from search.recur import tracker_rows
        from search.report import write_tracker

        with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:
            body = write_tracker(tracker_rows(clusters, ctx["labels"]), Path(tmp) / f"tracker.{fmt}").read_bytes()
        return _download(body, XLSX if fmt == "xlsx" else EXPORT_TYPES["csv"], f"recommendation-tracker.{fmt}")
    ctx.update(clusters=clusters, matches=None, theme_id=theme_id)
    return render(request, "recur.html", ctx, {"clusters": clusters})


def _check(site: Site, texts: list[str], kind: str | None) -> list[dict]:
    """``recur --check TEXT``'s answer for ``texts``: the library call the command makes."""
    return check_texts(site.store, texts, kind=kind, lock=site.lock)


def _review(site: Site, texts: list[str], kind: str | None, own: list[dict]) -> dict:
    """``recur --check FILE``'s answer: the library call the command makes."""
    return check_review(site.store, texts, kind=kind, own=own, lock=site.lock)


def _read_upload(site: Site, name: str, data: bytes) -> tuple[list[str], list[dict]]:
    """The recommendations in an uploaded file, read as ``recur --check FILE`` reads a file (a
    document in the reading process, so its reader's libraries never load in the server), and
    the indexed documents that are this file itself (their items are left out)."""
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:
        path = Path(tmp) / safe_name(name)
        path.write_bytes(data)
        texts = read_checklist(path, name=name, worker=site.reader)
        with site.lock:
            return texts, own_documents(site.store, path, name=name)


async def recur_check(request: Request) -> Response:
    """A review's recommendations checked against the index (``recur --check FILE``): from an
    uploaded file, or the texts of an earlier check sent back (``text`` fields) to download it."""
    site = _site(request)
    limit = _limit()
    cap = limit + 1048576
    length = request.headers.get("content-length")
    try:
        if length and length.isdigit() and int(length) > cap:
            raise _TooLarge
        return await _recur_check(_capped(request, cap), site, limit)
    except _TooLarge:
        return _check_error(request, f"That file is over the {size(limit)} limit.", 413)


class _TooLarge(Exception):
    """A request's body went past the size it may have while it was coming in."""


def _capped(request: Request, cap: int) -> Request:
    """The request, its body counted as it streams in and refused (:class:`_TooLarge`) once past
    ``cap`` bytes: a chunked upload declares no length, and is never taken in whole first."""
    seen = 0

    async def receive():
        nonlocal seen
        message = await request.receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > cap:
                raise _TooLarge
        return message

    return Request(request.scope, receive)


async def _recur_check(request: Request, site: Site, limit: int) -> Response:
    """The check itself, on a request whose body is capped as it streams in."""
    # lazy: numpy/scipy (recur) and python-docx (the writers) load only for the pages that need them
    from search.recur import CHECK_MIN_SCORE, DEFAULT_THRESHOLD, verdict_line
    from search.report import write_appendix
    from search.report.appendix import left_out_line, made_before_line, others_line

    async with request.form(max_files=1, max_fields=MAX_CHECKS + 10) as form:
        if not site.csrf_ok(form.get("csrf") or request.headers.get("x-csrf-token")):
            return _check_error(request, "That form has expired: reload the page and try again.", 403)
        fmt = form.get("fmt") or "html"
        kind = form.get("kind") if form.get("kind") in ITEM_KINDS else None
        up = form.get("file")
        source = form.get("source") or None
        texts = [t.strip() for t in form.getlist("text") if isinstance(t, str) and t.strip()]
        own = [{"doc_id": d, "title": t} for d, t in zip(form.getlist("own_id"), form.getlist("own_title"))
               if isinstance(d, str) and isinstance(t, str)]
        if hasattr(up, "read") and up.filename:
            source, data, refusal = await _received(up, limit)
            if refusal:
                return _check_error(request, f"{source}: {refusal}",
                                    413 if Path(source).suffix.lower() in _exts() else 415)
            try:
                texts, own = await run_in_threadpool(_read_upload, site, source, data)
            except ChecklistError as e:
                return _check_error(request, str(e), 400)
    if fmt not in EXPORT_TYPES and fmt != "html":
        return _check_error(request, "Choose Word (docx), Markdown (md) or CSV.", 400)
    if not texts:
        return _check_error(request, "Choose a file of recommendations to check.", 400)
    if len(texts) > MAX_CHECKS:
        return _check_error(request, f"{source or 'That file'}: {len(texts)} recommendations, more than the "
                                     f"{MAX_CHECKS} this page checks at once: split it into smaller files.", 400)
    result = await run_in_threadpool(_review, site, texts, kind, own)
    checks, total = result["checks"], result["summary"]
    if fmt in EXPORT_TYPES:
        with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:
            path = write_appendix(checks, total, Path(tmp) / f"checked.{fmt}", source=source,
                                  threshold=DEFAULT_THRESHOLD, min_score=CHECK_MIN_SCORE)
            body = path.read_bytes()
        name = "checked-" + _slug(Path(source).stem if source else "recommendations") + f".{fmt}"
        return _download(body, EXPORT_TYPES[fmt], name)
    ctx = {"checks": checks, "verdicts": [verdict_line(c["verdict"], bool(c["matches"])) for c in checks],
           "line": made_before_line(total), "others": others_line(total),
           "left_out": left_out_line(total), "own": own,
           "source": source, "kind": kind, "clusters": None, "matches": None, "labels": site.labels(),
           **_upload_limits()}
    return render(request, "recur.html", ctx, {"checks": checks, "summary": total})


def _check_error(request: Request, message: str, status: int) -> Response:
    """A refused check, said on the recurrence page above its forms (or as JSON)."""
    if wants_json(request):
        return JSONResponse({"error": message, "status": status}, status_code=status)
    return render(request, "recur.html", {"check_error": message, "clusters": None, "matches": None,
                                          "labels": {}, **_upload_limits()}, status_code=status)


def _download(body: bytes, media_type: str, name: str) -> Response:
    return Response(body, media_type=media_type, headers={"content-disposition": f'attachment; filename="{name}"'})


# -- export ---------------------------------------------------------------------------------
def export_file(request: Request) -> Response:
    """A briefing file, written by the same call as ``sgsearch export``."""
    # lazy: numpy/scipy (recur) and python-docx (export) load only for the pages that need them
    from search.export import NothingToExport, export

    site = _site(request)
    qp = request.query_params
    fmt = qp.get("fmt", "docx")
    if fmt not in EXPORT_TYPES:
        raise HTTPException(400, "Choose DOCX, Markdown (md) or CSV.")
    q = qp.get("q", "").strip() or None
    themes = [t for t in qp.getlist("theme") if t]
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:
        path = Path(tmp) / f"briefing.{fmt}"
        try:
            with site.lock:
                export(site.store, path, fmt=fmt, query=q, themes=themes, from_year=qp.get("from") or None,
                       to_year=qp.get("to") or None)
        except (QueryError, FormatError) as e:
            raise HTTPException(400, str(e)) from None
        except NothingToExport as e:
            hint = f" Did you mean: {', '.join(e.suggestions)}?" if e.suggestions else ""
            return error_page(request, 404, "No sections match, so there is no briefing to download." + hint)
        body = path.read_bytes()
    name = "briefing-" + _slug(q or "-".join(themes) or "themes") + f".{fmt}"
    return _download(body, EXPORT_TYPES[fmt], name)


def themes_xlsx(request: Request) -> Response:
    """The theme × year table as an Excel workbook, written as ``sgsearch themes --format xlsx`` writes it."""
    site = _site(request)
    per = request.query_params.get("per") or None
    if per not in (None, "100", "doc"):
        raise HTTPException(400, "Choose per=100 or per=doc, or neither.")
    with site.lock:
        table = full_table(site.store, per=per)
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:
        path = Path(tmp) / "themes.xlsx"
        write_xlsx(table, path)
        body = path.read_bytes()
    return _download(body, XLSX, f"themes{'-per-' + per if per else ''}.xlsx")


def _slug(text: str) -> str:
    out = "".join(c.lower() if c.isalnum() else "-" for c in text)
    return "-".join(p for p in out.split("-") if p)[:50] or "briefing"


# -- add reports ----------------------------------------------------------------------------
def ingest_page(request: Request) -> Response:
    """The Add reports page: the form, the running or last ingest, the documents indexed."""
    site = _site(request)
    job = site.job.snapshot()
    with site.lock:
        docs = documents(site.store)
    return render(request, "ingest.html", {"job": job, "docs": docs, **_upload_limits()},
                  {"job": job, "documents": docs, "read_only": site.read_only})


def _upload_limits() -> dict:
    """What an upload form says it takes: the file types and the size of one file."""
    return {"exts": _exts(), "limit": size(_limit())}


def _exts() -> list[str]:
    return sorted(SUPPORTED_EXTS)


def _limit() -> int:
    return max_file_bytes()


def size(n: int) -> str:
    """A file size as people read it: ``12 MB``, ``900 KB``."""
    return f"{n / 1048576:.0f} MB" if n >= 1048576 else f"{max(1, round(n / 1024))} KB"


def _refusal(name: str, n: int | None, limit: int) -> str | None:
    """Why an uploaded file of ``n`` bytes is refused before it is read (its type or size), or None."""
    exts = _exts()
    ext = Path(name).suffix.lower()
    if ext not in exts:
        return f"unsupported file type {ext or '(no extension)'}: use {', '.join(exts)}"
    if n is not None and n > limit:
        return f"file is {size(n)}, over the {size(limit)} limit"
    return None


async def _received(up, limit: int) -> tuple[str, bytes, str | None]:
    """An uploaded file's own name (without the sender's folders), its bytes, and why it is
    refused (its type, its declared size, then its real size), or None. A refused file is not read."""
    name = os.path.basename(up.filename.replace("\\", "/"))
    refusal = _refusal(name, up.size, limit)
    data = b"" if refusal else await up.read()
    if refusal is None and len(data) > limit:
        refusal = f"over the {size(limit)} limit"
    return name, data, refusal


async def ingest_upload(request: Request) -> Response:
    """Save the uploaded files (type and size checked as ingest would) and ingest them in the background."""
    site = _site(request)
    if site.read_only:
        return error_page(request, 403, "Adding reports is turned off: this page was started read-only.")
    limit = _limit()
    length = request.headers.get("content-length")
    cap = limit * MAX_UPLOAD_FILES + 65536
    too_much = f"Too much at once: up to {MAX_UPLOAD_FILES} files of {size(limit)} each."
    if length and length.isdigit() and int(length) > cap:
        return error_page(request, 413, too_much)
    try:
        saved, refused = await _save_uploads(_capped(request, cap), site, limit)
    except _TooLarge:
        return error_page(request, 413, too_much)
    if isinstance(saved, Response):
        return saved
    if not saved and not refused:
        return error_page(request, 400, "Choose one or more files to add.")
    site.job.start(saved, refused)
    if wants_json(request):
        return JSONResponse(site.job.snapshot(), status_code=202)
    return RedirectResponse("/ingest", status_code=303)


async def _save_uploads(request: Request, site: Site, limit: int):
    """The uploaded files saved in a new batch folder under ``uploads/`` (type and size checked as
    ingest would), and the refused ones; a refusal of the whole form as a Response instead. Nothing
    of a batch that fails part-way is left behind."""
    async with request.form(max_files=MAX_UPLOAD_FILES, max_fields=20) as form:
        token = form.get("csrf") or request.headers.get("x-csrf-token")
        if not site.csrf_ok(token):
            return error_page(request, 403, "That form has expired: reload the page and try again."), []
        if site.job.running:
            return error_page(request, 409, "Reports are being added already: wait for that to finish."), []
        refused, saved = [], []
        folder = None
        try:
            for up in form.getlist("files"):
                if not hasattr(up, "read") or not up.filename:
                    continue
                name, data, refusal = await _received(up, limit)
                if refusal:
                    refused.append({"path": name, "error": refusal})
                    continue
                if folder is None:
                    folder = site.job.upload_dir()
                target = folder / safe_name(name)
                if target.exists():
                    target = target.with_name(f"{target.stem}-{len(saved)}{target.suffix}")
                target.write_bytes(data)
                saved.append(target)
        except BaseException:
            discard(saved, folder)
            raise
    return saved, refused


ROUTES = [
    Route("/", search_page),
    Route("/facets", facets_page),
    Route("/docs", docs_page),
    Route("/doc/{doc_id}", doc_page),
    Route("/doc/{doc_id}/original", original),
    Route("/section/{section_id}", section_page),
    Route("/themes", themes_page),
    Route("/themes.xlsx", themes_xlsx),
    Route("/trace", trace_page),
    Route("/trace.svg", trace_chart),
    Route("/recur", recur_page),
    Route("/recur/check", recur_check, methods=["POST"]),
    Route("/export", export_file),
    Route("/ingest", ingest_page, methods=["GET"]),
    Route("/ingest", ingest_upload, methods=["POST"]),
]
