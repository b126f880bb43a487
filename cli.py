"""The ``sgsearch`` command line: a thin click layer over ``ingest`` and ``search``.

Each command parses its options, calls one library function and formats the result:
text for people (highlights in colour on a terminal, plain when piped or NO_COLOR is
set), ``--json`` for programs. Any first argument that is not a command is a query.
"""
from __future__ import annotations

import json
import os
import sys

import click

from search.store import (
    IndexBusy,
    IndexFolderError,
    IndexMissing,
    Store,
    default_index_dir,
    resolve_index_dir,
)


class DefaultToSearch(click.Group):
    """A group whose unknown first argument is taken as a query (``sgsearch "pre-birth"``)."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = ["search", *args]
        return super().parse_args(ctx, args)


def echo(text: str = "", err: bool = False, nl: bool = True, raw: bool = False) -> None:
    """Print for a person: control characters and escape sequences from documents and file
    names are removed (``raw`` for text this module has already made safe and coloured)."""
    click.echo(text if raw else safe(text), err=err, nl=nl)


def _emit_json(data) -> None:
    # json escapes control characters itself (\u001b), so JSON is printed as it is
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _fail(message: str, code: int = 1):
    echo(f"sgsearch: {message}", err=True)
    sys.exit(code)


def _colour() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _store(index: str | None) -> Store:
    """Open the index. Only the default per-user index is seeded: with none there yet, the
    bundled corpus is ingested first (notice on stderr). An index from an older version is
    rebuilt from the files it records."""
    root = resolve_index_dir(index)
    if root.exists() and not root.is_dir():
        _fail(f"{root} is a file, not a folder: give the folder of an index")
    store = Store(root)
    if store.exists() and store.up_to_date():
        return store
    seed = not store.exists() and root == default_index_dir() and not index and not os.environ.get("SGSEARCH_INDEX")
    if not store.exists() and not seed:
        _fail(f"no index at {root}: run 'sgsearch ingest PATH --index {root}'" if index else
              f"no index at {root} ($SGSEARCH_INDEX): run 'sgsearch ingest PATH' to make it")
    from corpus import corpus_dir
    from ingest.pipeline import ingest

    what = "building the index" if seed else "the index format changed; rebuilding"
    echo(f"sgsearch: {what} at {root}{' from the bundled corpus (once)' if seed else ''}…", err=True)
    try:
        report = ingest([corpus_dir()] if seed else [], root)
    except (IndexBusy, IndexFolderError) as e:
        _fail(str(e))
    for f in report.failed:
        echo(f"sgsearch: {f['path']}: {f['error']}", err=True)
    return store


def _index_option(f):
    return click.option("--index", "index", metavar="DIR", help="Index folder (default $SGSEARCH_INDEX, else a per-user folder).")(f)


@click.group(cls=DefaultToSearch, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sgsearch")
def main():
    """Search published safeguarding-children reports by words, theme and year.

    \b
    sgsearch "pre-birth"                 search every year (the bundled corpus is ready)
    sgsearch ingest reports/             add your own PDF, Word and text reports
    sgsearch docs                        list what is indexed
    """


# -- search ----------------------------------------------------------------------------
@main.command("search")
@click.argument("query", nargs=-1, required=True)
@click.option("--limit", "-n", default=10, show_default=True, type=click.IntRange(1, 1000), help="Results to show.")
@click.option("--year", help="Only this year (2020-21, 2020/21 or 2020).")
@click.option("--from", "from_year", help="From this year on.")
@click.option("--to", "to_year", help="Up to this year.")
@click.option("--theme", multiple=True, help="Only sections tagged with this theme (id or label); repeatable.")
@click.option("--type", "doc_type", help="Only this document type (annual-report, board-papers, …).")
@click.option("--publisher", help="Only documents from this publisher (words of its name).")
@click.option("--sort", type=click.Choice(["relevance", "year"]), default="relevance", show_default=True)
@click.option("--exact", is_flag=True, help="Match the words as written: no stemming, no theme expansion.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see GUIDE.md).")
@_index_option
def search_cmd(query, limit, year, from_year, to_year, theme, doc_type, publisher, sort, exact, as_json, index):
    """Search sections for QUERY ("quoted phrase", -exclude, a theme name)."""
    from search.query import QueryError, search

    text = " ".join(query)
    store = _store(index)
    try:
        res = search(store, text, limit=limit, year=year, from_year=from_year, to_year=to_year, theme=theme,
                     doc_type=doc_type, publisher=publisher, sort=sort, exact=exact)
    except QueryError as e:
        _fail(str(e), 2)
    except IndexMissing as e:
        _fail(str(e))
    if as_json:
        _emit_json(res.to_json())
    else:
        echo(format_results(res, _colour()), raw=True)
    if res.total == 0:
        sys.exit(1)


def format_results(res, colour: bool) -> str:
    """Human-readable results: a summary line, then one cited block per hit."""
    from search.query import HL_END, HL_START

    if res.total == 0:
        msg = f'No sections match "{safe(res.query)}".'
        if res.suggestions:
            msg += " Did you mean: " + ", ".join(res.suggestions) + "?"
        else:
            msg += " Try fewer words, another spelling, or a theme (sgsearch themes --list)."
        return msg
    years = res.years
    span = f"{years[0]} to {years[-1]}" if len(years) > 1 else (years[0] if years else "no year")
    if res.exact_total:
        summary = (f"{res.total:,} section{'s' if res.total != 1 else ''} in {res.documents:,} "
                   f"document{'s' if res.documents != 1 else ''}, {span}")
    else:
        summary = (f"About {res.total:,} sections match (the best {len(res.hits)} are from "
                   f"{res.documents:,} document{'s' if res.documents != 1 else ''}, {span})")
    if res.mode == "any":
        summary += " (no section has every word: showing sections with any of them)"
    if res.themes:
        summary += f"; also sections tagged {', '.join(res.themes)}"
    if res.expanded:
        summary += f"; also {', '.join(res.expanded)}"
    if len(res.hits) < res.total:
        summary += f". Top {len(res.hits)}:"
    lines = [summary, ""]
    for h in res.hits:
        s = h.section
        cite = f"§{s['number']} {s['heading']}" if s.get("number") else s["heading"]
        page = f" · p. {h.page}" if h.page else ""
        title = h.title
        if s.get("part_title") and s["part_title"] != h.title:
            title = f"{s['part_title']} (in {h.title})"  # a report embedded in a board pack
        head = f"{h.rank}. {s.get('year') or 'no year'} · {safe(title)} · {safe(cite)}{page}"
        snippet = safe(h.snippet)
        if colour:
            head = click.style(head, bold=True)
            snippet = snippet.replace(HL_START, "\x1b[1;33m").replace(HL_END, "\x1b[0m")
        else:
            snippet = snippet.replace(HL_START, "").replace(HL_END, "")
        lines.append(head)
        lines.append(f"   {snippet}")
        tail = f"   [{s['section_id']}]"
        if s.get("themes"):
            tail += "  themes: " + ", ".join(s["themes"][:6])
        lines.append(tail)
        lines.append("")
    return "\n".join(lines).rstrip()


_UNSAFE = None


def safe(text: str) -> str:
    """Text for a terminal: control characters and escape sequences removed (markers kept)."""
    import re

    global _UNSAFE
    if _UNSAFE is None:
        _UNSAFE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|[\x00-\x01\x04-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
    return _UNSAFE.sub("", text or "")


# -- ingest ----------------------------------------------------------------------------
@main.command("ingest")
@click.argument("paths", nargs=-1, required=False)
@click.option("--rebuild", is_flag=True, help="Start afresh: drop the index and ingest PATHS only.")
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(1, 64), help="Parse files in parallel.")
@click.option("--retag", is_flag=True, help="Re-tag themes of everything indexed (after a taxonomy change).")
@click.option("--taxonomy", "taxonomy", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Extra theme taxonomy TOML (adds or replaces themes).")
@click.option("--thesaurus", "thesaurus", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Your own abbreviations and synonyms (TOML), kept in the index for every search.")
@click.option("--engine", type=click.Choice(["whoosh", "tantivy"]), default=None,
              help="Search engine of a new index (default whoosh; tantivy for large corpora). "
                   "With --rebuild, switches an index's engine.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see GUIDE.md).")
@_index_option
def ingest_cmd(paths, rebuild, jobs, retag, taxonomy, thesaurus, engine, as_json, index):
    """Add PDF, Word and text reports (files or folders) to the index."""
    from pathlib import Path

    from ingest.pipeline import ingest

    if not paths and not retag and not thesaurus:
        _fail("give files or folders to ingest, e.g. sgsearch ingest reports/", 2)
    root = resolve_index_dir(index)
    progress = _progress if sys.stderr.isatty() and not as_json else None
    tax = [Path(t) for t in taxonomy] or None
    try:
        report = ingest(list(paths), root, rebuild=rebuild, jobs=jobs, progress=progress, taxonomy_files=tax,
                        engine=engine, thesaurus_files=[Path(t) for t in thesaurus] or None) \
            if paths or thesaurus else None
        if retag:
            from ingest.retag import retag as do_retag

            n = do_retag(root, taxonomy_files=tax)
            if report is None:
                from ingest.pipeline import IngestReport

                report = IngestReport()
            report.retagged = n
    except (IndexBusy, IndexFolderError) as e:
        _fail(str(e))
    except Exception as e:  # the taxonomy, the thesaurus, the engine or the index itself is unusable
        if type(e).__name__ in ("TaxonomyError", "IngestError", "EngineUnavailable", "ThesaurusError"):
            _fail(str(e))
        raise
    if progress:
        click.echo("\r\x1b[K", nl=False, err=True)
    for f in report.failed:
        echo(f"sgsearch: {f['path']}: {f['error']}", err=True)
    if as_json:
        data = report.to_json()
        if retag:
            data["retagged"] = report.retagged
        _emit_json(data)
    else:
        parts = [f"{len(report.added)} added", f"{len(report.updated)} updated", f"{len(report.unchanged)} unchanged",
                 f"{len(report.removed)} removed", f"{len(report.failed)} failed"]
        echo(f"Ingested into {root}: " + ", ".join(parts) + f" ({report.sections} sections) in {report.seconds:.1f} s.")
        if retag:
            echo(f"Re-tagged themes on {report.retagged} sections.")
        if report.failed:
            echo("Failed:")
            for f in report.failed:
                echo(f"  {f['path']}: {f['error']}")
        if report.skipped:
            echo(f"Skipped {len(report.skipped)} file(s) of a type sgsearch does not read (use PDF, DOCX, TXT or MD).")
    sys.exit(1 if report.failed else 0)


def _progress(phase: str, n: int, total: int, path: str) -> None:
    """One line on stderr, rewritten as ingest goes through its phases."""
    name = safe(os.path.basename(path))[:50]
    line = {"parsing": f"parsing {n}/{total} files  {name}",
            "tagging": f"tagging and writing: {n}/{total} sections  {name}",
            "writing": f"tagging and writing: {n}/{total} sections  {name}",
            "committing": f"committing {total} sections"}.get(phase, phase)
    click.echo(f"\r\x1b[K{line}", nl=False, err=True)


# -- docs / show -----------------------------------------------------------------------
@main.command("docs")
@click.argument("doc_id", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see GUIDE.md).")
@_index_option
def docs_cmd(doc_id, as_json, index):
    """List indexed documents; with DOC_ID, the outline of one document."""
    from search.browse import DocNotFound, document, documents

    store = _store(index)
    if doc_id:
        try:
            doc = document(store, doc_id)
        except DocNotFound as e:
            _fail(str(e))
        if as_json:
            _emit_json(doc)
            return
        echo(f"{doc['title']} ({doc['year'] or 'undated'}) — {doc['publisher'] or 'publisher unknown'}, {doc['doc_type']}")
        echo(f"{doc['path']}")
        for s in doc["sections"]:
            indent = "  " * (max(s["level"], 1) - 1)
            num = f"{s['number']} " if s["number"] else ""
            page = f"  p. {s['page_start']}" if s["page_start"] else ""
            year = f"  [{s['year']}]" if s["year"] != doc["year"] else ""
            echo(f"{indent}{num}{s['heading']}{page}{year}   ({s['section_id']})")
        if doc.get("acronyms"):
            echo("Acronyms it defines: " + "; ".join(f"{a['abbreviation']} {a['expansion']}" for a in doc["acronyms"]))
        return
    docs = documents(store)
    if as_json:
        _emit_json({"documents": docs})
        return
    if not docs:
        echo("The index is empty: sgsearch ingest PATH adds reports.")
        return
    for d in docs:
        pages = f", {d['pages']} pages" if d["pages"] else ""
        echo(f"{d['doc_id']}  {d['year'] or 'undated'}  {d['doc_type']:<13} {d['title']} ({d['sections']} sections{pages})")


@main.command("show")
@click.argument("section_id")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see GUIDE.md).")
@_index_option
def show_cmd(section_id, as_json, index):
    """Print one whole section with its heading path, pages, year and document."""
    from search.browse import DocNotFound, section

    store = _store(index)
    try:
        s = section(store, section_id)
    except DocNotFound as e:
        _fail(str(e))
    if as_json:
        _emit_json(s)
        return
    pages = ""
    if s["page_start"]:
        pages = f", p. {s['page_start']}" + (f"–{s['page_end']}" if s["page_end"] and s["page_end"] != s["page_start"] else "")
    echo(f"{s['title']} ({s['year'] or 'undated'}){pages}")
    echo(" › ".join(s["heading_path"]))
    if s["themes"]:
        echo("Themes: " + ", ".join(s["themes"]))
    echo("")
    echo(s["text"] or "(no text under this heading)")
    if s.get("items"):
        echo("")
        for it in s["items"]:
            status = f" [{it['status']}]" if it.get("status") else ""
            echo(f"- {it['kind']}{status}: {it['text']}")


# -- terms -----------------------------------------------------------------------------
@main.command("terms")
@click.argument("word", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see GUIDE.md).")
@_index_option
def terms_cmd(word, as_json, index):
    """List the abbreviations and synonyms searches expand (with WORD: those that contain it),
    and which documents define an abbreviation themselves."""
    from search.thesaurus import terms

    data = terms(_store(index).current_dir(), word)
    if as_json:
        _emit_json(data)
        return
    if not data["abbreviations"] and not data["synonyms"]:
        echo(f"No abbreviation or synonym contains {word!r}." if word else "The thesaurus is empty.")
        return
    for a in data["abbreviations"]:
        docs = f"  (defined in {', '.join(a['documents'])})" if a["documents"] else ""
        echo(f"{a['abbreviation']:<8} {'; '.join(a['expansions'])}{docs}")
    if data["synonyms"]:
        echo("")
        echo("Synonyms:")
        for group in data["synonyms"]:
            echo("  " + " = ".join(group))


# -- themes ----------------------------------------------------------------------------
@main.command("tag")
@click.argument("source", required=False, default="-")
@click.option("--taxonomy", "taxonomy", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Extra theme taxonomy TOML (adds or replaces themes).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see GUIDE.md).")
def tag_cmd(source, taxonomy, as_json):
    """Tag the themes of a text FILE (a report, or - for standard input); no index needed."""
    from pathlib import Path

    from search.taxonomy import TaxonomyError, load_taxonomy

    if source == "-":
        text = sys.stdin.read()
    else:
        from ingest.blocks import IngestError
        from ingest.readers import read_path

        try:
            text = "\n".join(b.text for b in read_path(source).blocks)
        except IngestError as e:
            _fail(f"{source}: {e}")
    try:
        tax = load_taxonomy([Path(t) for t in taxonomy] or None)
    except TaxonomyError as e:
        _fail(str(e))
    from ingest.themes import get_tagger

    tags = get_tagger(tax).tag(text)
    data = {"themes": [{"id": t.id, "label": t.label, "count": t.count, "evidence": t.evidence} for t in tags]}
    if as_json:
        _emit_json(data)
        return
    if not tags:
        echo("No themes found.")
        return
    for t in tags:
        echo(f"{t.id:<28} {t.count:>4}  {'; '.join(t.evidence[:3])}")


@main.command("themes")
@click.option("--from", "from_year", help="From this year on.")
@click.option("--to", "to_year", help="Up to this year.")
@click.option("--list", "list_only", is_flag=True, help="List the taxonomy's themes and their phrases.")
@click.option("--all", "show_all", is_flag=True, help="Show themes with no sections too.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see GUIDE.md).")
@_index_option
def themes_cmd(from_year, to_year, list_only, show_all, as_json, index):
    """The theme-by-year table: sections tagged with each theme, per year."""
    if list_only:
        store = Store(resolve_index_dir(index))
        if store.exists():
            tax = store.taxonomy()  # the themes this index was tagged with, a user's own included
        else:
            from search.taxonomy import load_taxonomy

            tax = load_taxonomy()
        if as_json:
            _emit_json({"themes": [{"id": t.id, "label": t.label, "description": t.description,
                                    "phrases": t.phrases, "abbreviations": t.abbreviations} for t in tax.themes.values()]})
            return
        for t in tax.themes.values():
            echo(f"{t.id:<28} {t.label} — {t.description}")
        return
    from search.query import QueryError, year_arg

    try:
        lo, hi = year_arg("--from", from_year), year_arg("--to", to_year)
    except QueryError as e:
        _fail(str(e), 2)
    from search.trace import theme_table

    table = theme_table(_store(index), lo, hi)
    if as_json:
        _emit_json(table)
        return
    echo(format_theme_table(table, show_all))


def format_theme_table(table: dict, show_all: bool = False) -> str:
    """The theme-by-year table as aligned text (a dot for none)."""
    years = table["years"]
    rows = [t for t in table["themes"] if show_all or t["total"]]
    width = max([len(t["label"]) for t in rows] + [5])
    out = [" " * width + "  " + "  ".join(f"{y:>7}" for y in years) + "    total"]
    for t in sorted(rows, key=lambda t: -t["total"]):
        cells = "  ".join(f"{(t['counts'][y] or ''):>7}" for y in years)
        out.append(f"{t['label']:<{width}}  {cells}  {t['total']:>7}")
    return "\n".join(out)


# -- trace / recur ---------------------------------------------------------------------
@main.command("trace")
@click.argument("query", nargs=-1, required=True)
@click.option("--examples", default=2, show_default=True, type=click.IntRange(0, 20), help="Quoted examples per year.")
@click.option("--plot", "plot", type=click.Path(dir_okay=False, writable=True), help="Also draw the counts per year (PNG/SVG/PDF).")
@click.option("--exact", is_flag=True, help="Match the words as written: no stemming, no theme expansion.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see GUIDE.md).")
@_index_option
def trace_cmd(query, examples, plot, exact, as_json, index):
    """How a subject or theme runs over the years, with quoted examples."""
    from search.query import QueryError
    from search.trace import plot_trace, theme_table, trace

    store = _store(index)
    text = " ".join(query)
    try:
        data = trace(store, text, examples=examples, exact=exact)
    except QueryError as e:
        _fail(str(e), 2)
    if plot:
        try:
            plot_trace(data, plot, all_years=theme_table(store)["years"])
        except (OSError, ValueError) as e:
            _fail(f"cannot write the chart {plot}: {e}")
    if as_json:
        _emit_json(data)
    else:
        echo(format_trace(data))
        if plot:
            echo(f"Chart written to {plot}")
    if not data["years"]:
        sys.exit(1)


def format_trace(data: dict) -> str:
    """A year-by-year account with the first and last year and quoted examples."""
    what = f"theme {data['theme']}" if data.get("theme") else f'"{safe(data["query"])}"'
    if not data["years"]:
        return f"No sections mention {what}."
    out = [f"{what}: first seen {data['first_seen']}, last seen {data['last_seen']}.", ""]
    for y in data["years"]:
        out.append(f"{y['year']}: {y['sections']} section{'s' if y['sections'] != 1 else ''} in "
                   f"{y['documents']} document{'s' if y['documents'] != 1 else ''}")
        for ex in y["examples"]:
            cite = f"§{ex['number']} {ex['heading']}" if ex["number"] else ex["heading"]
            page = f", p. {ex['page']}" if ex.get("page") else ""
            out.append(f"   “{safe(ex['snippet'])}”")
            out.append(f"      — {safe(ex['title'])}, {safe(cite)}{page} [{ex['section_id']}]")
        out.append("")
    return "\n".join(out).rstrip()


@main.command("recur")
@click.option("--min-years", default=2, show_default=True, type=click.IntRange(2, 50), help="Distinct years a group must span.")
@click.option("--kind", type=click.Choice(["recommendation", "learning", "finding", "priority", "objective", "action", "risk"]),
              help="Only items of this kind.")
@click.option("--theme", help="Only items tagged with this theme.")
@click.option("--threshold", default=None, type=click.FloatRange(0, 100), help="Similarity 0-100 needed to group (default 40).")
@click.option("--check", "check_text", metavar="TEXT", help="Instead: the items most similar to TEXT (a new finding).")
@click.option("--limit", "-n", default=10, show_default=True, type=click.IntRange(1, 1000), help="With --check: matches to show.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see GUIDE.md).")
@_index_option
def recur_cmd(min_years, kind, theme, threshold, check_text, limit, as_json, index):
    """Items said again in different years; with --check, items like a new finding."""
    from search.query import QueryError, resolve_theme_filter
    from search.recur import DEFAULT_THRESHOLD, check, recur

    store = _store(index)
    if check_text is not None:
        if not check_text.strip():
            _fail("--check needs the text of a finding or recommendation", 2)
        matches = check(store, check_text, limit=limit, kind=kind, themes=_themes_of(check_text, store))
        if as_json:
            _emit_json({"text": check_text, "matches": matches})
        else:
            echo(format_matches(matches))
        if not matches:
            sys.exit(1)
        return
    try:
        theme_id = resolve_theme_filter(theme, store.taxonomy()) if theme else None
    except QueryError as e:
        _fail(str(e), 2)
    clusters = recur(store, min_years=min_years, kind=kind, theme=theme_id,
                     threshold=DEFAULT_THRESHOLD if threshold is None else threshold)
    if as_json:
        _emit_json({"clusters": clusters})
        return
    echo(format_clusters(clusters))


def _themes_of(text: str, store: Store) -> list[str]:
    """The theme ids of free text, tagged with the index's taxonomy (search/ never tags)."""
    from ingest.themes import get_tagger

    return [t.id for t in get_tagger(store.taxonomy()).tag(text)]


def _item_line(it: dict) -> str:
    cite = f"§{it['number']}" if it.get("number") else (it.get("heading") or "")
    status = f" [{it['status']}]" if it.get("status") else ""
    return (f"{it['year']}  {it['kind']}{status}: {safe(it['text'])}\n"
            f"         — {safe(it.get('title') or '')}, {safe(cite)} [{it['item_id']}]")


def format_clusters(clusters: list[dict]) -> str:
    """Recurring groups, each oldest first."""
    if not clusters:
        return "No item recurs across years at this threshold (try --threshold 30)."
    out = [f"{len(clusters)} group{'s' if len(clusters) != 1 else ''} of items said again in different years:", ""]
    for c in clusters:
        themes = f" — {', '.join(c['themes'])}" if c["themes"] else ""
        out.append(f"#{c['id']}  {', '.join(c['years'])}{themes}")
        for it in c["items"]:
            out.append("   " + _item_line(it))
        out.append("")
    return "\n".join(out).rstrip()


def format_matches(matches: list[dict]) -> str:
    """Items most like the text given to --check, best first."""
    if not matches:
        return "Nothing indexed says anything like that."
    return "\n".join(f"{m['score']:5.1f}  " + _item_line(m) for m in matches)


# -- export ----------------------------------------------------------------------------
@main.command("export")
@click.argument("query", nargs=-1, required=False)
@click.option("--theme", multiple=True, help="Theme to brief on (id or label); repeatable.")
@click.option("--from", "from_year", help="From this year on.")
@click.option("--to", "to_year", help="Up to this year.")
@click.option("--format", "fmt", type=click.Choice(["md", "docx", "csv", "json"]),
              help="Output format (default: from the file name).")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False),
              help="File to write (.md, .docx, .csv or .json).")
@click.option("--per-year", default=10, show_default=True, type=click.IntRange(1, 200), help="Passages per year.")
@_index_option
def export_cmd(query, theme, from_year, to_year, fmt, output, per_year, index):
    """Write a briefing for a board paper: scope, theme × year table, quoted passages, recurring items."""
    from search.export import export
    from search.query import QueryError

    store = _store(index)
    text = " ".join(query) or None
    try:
        path = export(store, output, fmt=fmt, query=text, themes=list(theme), from_year=from_year,
                      to_year=to_year, limit_per_year=per_year)
    except (QueryError, ValueError) as e:
        _fail(str(e), 2)
    except OSError as e:
        _fail(f"cannot write {output}: {e.strerror or e}")
    echo(f"Briefing written to {path}")


if __name__ == "__main__":  # pragma: no cover
    main()
