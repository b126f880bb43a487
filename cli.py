"""The ``sgsearch`` command line: a thin click layer over ``ingest`` and ``search``.

Each command parses its options, calls one library function and formats the result:
text for people (highlights in colour on a terminal, plain when piped or NO_COLOR is
set), ``--json`` for programs. Any first argument that is not a command is a query.
"""
from __future__ import annotations

import atexit
import gc
import json
import locale
import os
import re
import sys
import threading
from pathlib import Path

import click
from click.core import ParameterSource

from cliformat import (
    format_checks,
    format_clusters,
    format_document,
    format_documents,
    format_facets,
    format_matches,
    format_results,
    format_section,
    format_tags,
    format_terms,
    format_trace,
    plural,
    safe,
    width,
)
from search.errors import FormatError, QueryError, SgsearchError
from search.index.store import IndexMissing, Store, resolve_index_dir
from search.vocab.kinds import ITEM_KINDS
from usecases import check_file, check_texts, looks_like_file, open_index, seeds


class DefaultToSearch(click.Group):
    """A group whose unknown first argument is taken as a query (``sgsearch "pre-birth"``)."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = ["search", *args]
        return super().parse_args(ctx, args)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except click.UsageError as e:  # an unknown option, a value out of range: one line, as every error
            where = e.ctx.command_path if e.ctx is not None else "sgsearch"
            _fail(f"{e.format_message()} ('{where} --help' says how to use it)", e.exit_code)
        except QueryError as e:  # a query or filter: named by its option
            _query_fail(e)
        except SgsearchError as e:  # what the library cannot do with the input: one line, never a traceback
            _fail(str(e))


class QueryCommand(click.Command):
    """A command whose words are a query: a ``-word`` that is not one of its options is an
    exclusion (``sgsearch neglect -toolkit``), not an unknown option."""

    def parse_args(self, ctx, args):
        known = {o for p in self.params for o in (*p.opts, *p.secondary_opts)}
        words, rest, i = [], [], 0
        while i < len(args):
            a = args[i]
            if a == "--":
                words.extend(args[i + 1:])
                break
            # an option's letter alone ("-n" where this command has none) or with its number ("-n5")
            # is an option for click to read or refuse, never a word to exclude
            letter = re.fullmatch(r"-[A-Za-z]", a) or (re.fullmatch(r"-[A-Za-z]\d+", a) and a[:2] in known)
            if (len(a) > 1 and a[0] == "-" and a[1] != "-" and (a[1].isalpha() or a[1] == '"')
                    and a.split("=")[0] not in known and not letter):
                words.append(a)
            else:
                rest.append(a)
            i += 1
        return super().parse_args(ctx, [*rest, "--", *words] if words else rest)


def echo(text: str = "", err: bool = False, nl: bool = True, raw: bool = False) -> None:
    """Print for a person: control characters and escape sequences from documents and file
    names are removed (``raw`` for text this module has already made safe and coloured)."""
    click.echo(text if raw else safe(text), err=err, nl=nl)


JSON_CHUNK = 1 << 16  # characters of JSON written at once


def _emit_json(data) -> None:
    # json escapes control characters itself (\u001b), so JSON is printed as it is; in pieces
    # as it is made: a national index's recurring groups are hundreds of MB of JSON, which as
    # one string (and the encoder's list of its millions of parts) would take several times that
    batch: list[str] = []
    size = 0
    for part in json.JSONEncoder(indent=2, ensure_ascii=False).iterencode(data):
        batch.append(part)
        size += len(part)
        if size >= JSON_CHUNK:
            click.echo("".join(batch), nl=False)
            batch, size = [], 0
    click.echo("".join(batch))


def _fail(message: str, code: int = 1):
    echo(f"sgsearch: {message}", err=True)
    sys.exit(code)


def _must_exist(path: str) -> None:
    """Fail (exit 2) with one line when a file given on the command line is not there."""
    if not os.path.lexists(path):
        _fail(f"{path}: no such file", 2)
    if os.path.isdir(path):
        _fail(f"{path}: is a folder, not a file", 2)


# The command line's name for each filter a library error names (search.query.FIELD_NAMES)
FLAGS = {"year": "--year", "from_year": "--from", "to_year": "--to", "doc_type": "--type", "theme": "--theme",
         "publisher": "--publisher", "since": "--since", "theme_list": "'sgsearch themes --list'"}


def _query_fail(e: Exception):
    """A library's error about a query or filter, with the filters named by their options (exit 2)."""
    _fail(e.said(FLAGS) if hasattr(e, "said") else str(e), 2)


def _stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def _read_stdin() -> str:
    """Standard input as text: UTF-8 (a byte-order mark dropped) whatever the console's code
    page, as :func:`utf8_output` writes, else the locale's encoding (a file an older Windows
    program saved). Windows' own reading would take UTF-8 piped in for its code page: wrong
    letters, or a traceback at a byte the code page lacks."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # text only (a test's stream): nothing to decode
        return sys.stdin.read()
    data = stream.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode(locale.getpreferredencoding(False), errors="replace")
    # line ends as Python's standard input gives them on each system (Windows: "\r\n" read as "\n")
    return text if os.linesep == "\n" else text.replace("\r\n", "\n").replace("\r", "\n")


def _colour() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _store(index: str | None) -> Store:
    """Open the index (:func:`usecases.open_index`: the default one is seeded, an old one
    rebuilt), saying so on stderr; a missing or unusable index is one line."""
    try:
        return open_index(index, notice=lambda line: echo(f"sgsearch: {line}", err=True))
    except SgsearchError as e:
        _fail(str(e))


def _index_option(f):
    return click.option("--index", "index", metavar="DIR", help="Index folder (default $SGSEARCH_INDEX, else a per-user folder).")(f)


def _filter_options(f):
    """--from, --to and --type, as search and trace take them."""
    for opt in reversed([click.option("--from", "from_year", help="From this year on (2020-21, 2020/21 or 2020)."),
                         click.option("--to", "to_year", help="Up to this year."),
                         click.option("--type", "doc_type", help="Only this document type (annual-report, board-papers, …).")]):
        f = opt(f)
    return f


@click.group(cls=DefaultToSearch, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sgsearch")
def main():
    """Search published safeguarding-children reports by words, theme and year.

    \b
    sgsearch "pre-birth"                 search every year (the bundled corpus is ready)
    sgsearch ingest reports/             add your own PDF, Word and text reports
    sgsearch docs                        list what is indexed
    """
    utf8_output()


def utf8_output(streams=None) -> None:
    """Write UTF-8 to a file or pipe whatever the console's code page: Windows otherwise
    writes redirected output in the ANSI code page and fails on "ł" or "▶". A terminal keeps
    its own encoding (Python writes to a Windows console in Unicode already); one that cannot
    show a letter (``PYTHONIOENCODING=cp1252``, a Latin-1 locale) shows "?" for it rather than
    stopping with a traceback."""
    for stream in streams or (sys.stdout, sys.stderr):
        try:
            if (stream.encoding or "").replace("-", "").lower() == "utf8":
                continue
            if not stream.isatty():
                stream.reconfigure(encoding="utf-8")
            elif stream.errors == "strict":
                stream.reconfigure(errors="replace")
        except (AttributeError, ValueError, OSError):
            pass  # not a text stream of the io module (a test's capture): nothing to change


# -- search ----------------------------------------------------------------------------
@main.command("search", cls=QueryCommand)
@click.argument("query", nargs=-1, required=False)
@click.option("--limit", "-n", default=None, type=click.IntRange(1, 100000),
              help="Results to show [default: 10; with no words, every section the filters allow].")
@click.option("--year", help="Only this year (2020-21, 2020/21 or 2020; undated: the reports that state none).")
@_filter_options
@click.option("--theme", multiple=True, help="Only sections tagged with this theme (id or label); repeatable.")
@click.option("--publisher", help="Only documents from this publisher (words of its name).")
@click.option("--sort", type=click.Choice(["relevance", "year"]), default="relevance", show_default=True)
@click.option("--exact", is_flag=True, help="Match the words as written: no stemming, no theme expansion.")
@click.option("--facets", is_flag=True, help="Also count every match by year, theme, type and publisher.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see docs/json.md).")
@_index_option
def search_cmd(query, limit, year, from_year, to_year, theme, doc_type, publisher, sort, exact, facets, as_json, index):
    """Search sections for QUERY ("quoted phrase", -exclude, a theme name)."""
    # lazy: a command loads only what it uses (start-up is part of the answer time)
    from search.query import search

    text = " ".join(query)
    store = _store(index)
    if limit is None:
        limit = 10 if text.strip() else 100000
    filters = dict(year=year, from_year=from_year, to_year=to_year, theme=theme, doc_type=doc_type, publisher=publisher)
    try:
        res = search(store, text, limit=limit, sort=sort, exact=exact, **filters)
        if res.total == 0:
            from search.filters import explain_empty  # lazy: only a search that found nothing explains why

            res.why_empty = explain_empty(store, text, exact=exact, **filters)
        counts = None
        if facets:
            from search.facets import result_facets  # lazy: only asked for

            counts = result_facets(store, res)
    except QueryError as e:
        _query_fail(e)
    except IndexMissing as e:
        _fail(str(e))
    # what a query made goes with its process: without this the collector walks all of it
    # again while the interpreter shuts down (some 10 ms of a 0.1 s query). Only a query,
    # which has nothing left to write but its output, skips that last collection.
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)
    if as_json:
        _emit_json({**res.to_json(), **({"facets": counts} if facets else {})})
    else:
        echo(format_results(res, _colour(), width(), _theme_labels(store)), raw=True)
        if counts and res.total:
            echo("\n" + format_facets(counts, width()), raw=True)
    if res.total == 0:
        sys.exit(1)


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
@click.option("--ocr", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Read scanned PDF pages with Tesseract OCR: auto = pages that are scans (no text layer, or an image covering the page with little text).")
@click.option("--remove", "remove", multiple=True, metavar="ID_OR_PATH",
              help="Take a document out of the index, by its id (sgsearch docs) or the path it was ingested from; repeatable.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see docs/json.md).")
@_index_option
def ingest_cmd(paths, rebuild, jobs, retag, taxonomy, thesaurus, engine, ocr, remove, as_json, index):
    """Add reports (PDF, Word, ODT, RTF, web pages, text; files, folders or URLs) to the index."""
    # lazy: a command loads only what it uses (start-up is part of the answer time)
    from ingest.pipeline import ingest

    if not paths and not retag and not thesaurus and not remove:
        _fail("give files or folders to ingest, e.g. sgsearch ingest reports/", 2)
    if remove and rebuild:
        _fail("--remove takes documents out of an index and --rebuild writes it anew from PATHS: give one", 2)
    root = resolve_index_dir(index)
    progress = _progress if sys.stderr.isatty() and not as_json else None
    tax = [Path(t) for t in taxonomy] or None
    if not root.is_file() and seeds(Store(root), index):
        # lazy: a command loads only what it uses (start-up is part of the answer time)
        from corpus import corpus_dir

        echo(f"sgsearch: building the index at {root} from the bundled corpus (once), then adding yours…", err=True)
        paths = (corpus_dir(), *paths)
    try:
        report = ingest(list(paths), root, rebuild=rebuild, jobs=jobs, progress=progress, taxonomy_files=tax,
                        engine=engine, ocr=ocr, thesaurus_files=[Path(t) for t in thesaurus] or None,
                        remove=list(remove)) \
            if paths or thesaurus or remove else None
        ingested = report is not None  # --retag alone reads no file: no ingest summary
        if retag:
            # lazy: a command loads only what it uses (start-up is part of the answer time)
            from ingest.retag import retag as do_retag

            n = do_retag(root, taxonomy_files=tax)
            if report is None:
                # lazy: a command loads only what it uses (start-up is part of the answer time)
                from ingest.pipeline import IngestReport

                report = IngestReport()
            report.retagged = n
    except SgsearchError as e:  # the taxonomy, the thesaurus, the engine or the index itself is unusable
        _fail(str(e))
    except KeyboardInterrupt:  # Ctrl-C: nothing is committed until the end, so nothing was changed
        if progress:
            click.echo("\r\x1b[K", nl=False, err=True)
        _fail("ingest interrupted: the index was left as it was", 130)
    if progress:
        click.echo("\r\x1b[K", nl=False, err=True)
    for f in report.failed:
        echo(f"sgsearch: {f['path']}: {f['error']}", err=True)
    for d in report.duplicates:  # one content is one document: said once a run, not an error
        echo(f"sgsearch: {d['path']}: the same content as {d['same_as']}: indexed once, as that file", err=True)
    # lazy: a command loads only what it uses (start-up is part of the answer time)
    from ingest.readers import format_names

    nothing = bool(paths) and not report.found and not report.failed and not report.removed
    if nothing:
        echo(f"sgsearch: no reports found in {', '.join(paths)}: sgsearch reads {format_names()} files; "
             "nothing was added", err=True)
    if as_json:
        data = report.to_json()
        if retag:
            data["retagged"] = report.retagged
        _emit_json(data)
    elif not nothing and ingested:
        bad_entries = report.catalog_problems  # said above, each; not files
        parts = [f"{len(report.added)} added", f"{len(report.updated)} updated", f"{len(report.unchanged)} unchanged",
                 f"{len(report.removed)} removed", f"{len(report.failed) - bad_entries} failed"]
        if report.duplicates:
            parts.append(plural(len(report.duplicates), "duplicate"))
        if bad_entries:
            parts.append(plural(bad_entries, "catalog problem"))
        echo(f"Ingested into {root}: " + ", ".join(parts) +
             f" ({plural(report.sections, 'section')}) in {report.seconds:.1f} s.")
    if retag and not as_json:
        echo(f"Re-tagged themes on {report.retagged} sections.")
    if report.not_tagged and not retag:
        echo(f"sgsearch: the themes of {', '.join(taxonomy)} tag only the files read now; add --retag to tag "
             f"the {plural(report.not_tagged, 'other indexed document')} with them too",
             err=True)
    if report.tagged_earlier and not retag:
        n = report.tagged_earlier
        echo(f"sgsearch: {plural(n, 'indexed document')} carr{'y' if n != 1 else 'ies'} the themes of "
             "another version of sgsearch; add --retag to tag everything with this version's themes", err=True)
    # each failed file was named once on stderr above, with its reason
    if report.skipped and not as_json:
        echo(f"Skipped {len(report.skipped)} file(s) of a type sgsearch does not read (use {format_names()}):")
        for s in report.skipped:
            echo(f"  {s}")
    sys.exit(1 if report.failed or nothing else 0)


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
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see docs/json.md).")
@_index_option
def docs_cmd(doc_id, as_json, index):
    """List indexed documents; with DOC_ID, the outline of one document."""
    # lazy: a command loads only what it uses (start-up is part of the answer time)
    from search.browse import DocNotFound, document, documents

    store = _store(index)
    if doc_id:
        try:
            doc = document(store, doc_id)
        except DocNotFound as e:
            _fail(str(e))
        if as_json:
            _emit_json(doc)
        else:
            echo(format_document(doc))
        return
    docs = documents(store)
    if as_json:
        _emit_json({"documents": docs})
    else:
        echo(format_documents(docs))


@main.command("show")
@click.argument("section_id")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see docs/json.md).")
@_index_option
def show_cmd(section_id, as_json, index):
    """Print one whole section with its heading path, pages, year and document."""
    # lazy: a command loads only what it uses (start-up is part of the answer time)
    from search.browse import DocNotFound, section

    store = _store(index)
    try:
        s = section(store, section_id)
    except DocNotFound as e:
        _fail(str(e))
    if as_json:
        _emit_json(s)
    else:
        echo(format_section(s, width(), _theme_labels(store)))


# -- terms -----------------------------------------------------------------------------
@main.command("terms")
@click.argument("word", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see docs/json.md).")
@_index_option
def terms_cmd(word, as_json, index):
    """List the abbreviations and synonyms searches expand (with WORD: those that contain it),
    and which documents define an abbreviation themselves."""
    # lazy: a command loads only what it uses (start-up is part of the answer time)
    from search.vocab.thesaurus import terms

    data = terms(_store(index).current_dir(), word)
    if as_json:
        _emit_json(data)
    else:
        echo(format_terms(data, word, width()))
    if word and not data["abbreviations"] and not data["synonyms"]:
        sys.exit(1)  # as search and trace: nothing found is exit status 1


# -- themes ----------------------------------------------------------------------------
@main.command("tag")
@click.argument("source", required=False)
@click.option("--taxonomy", "taxonomy", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Extra theme taxonomy TOML (adds or replaces themes).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see docs/json.md).")
@_index_option
def tag_cmd(source, taxonomy, as_json, index):
    """Tag the themes of a text FILE (a report, or - for standard input); no index needed.

    With --index, the themes that index was tagged with (a user's own included) are used.
    """
    # lazy: a command loads only what it uses (start-up is part of the answer time)
    from search.vocab.taxonomy import TaxonomyError, load_taxonomy

    if source is None and _stdin_is_terminal():
        _fail("give a FILE to tag (sgsearch tag report.pdf), or pipe text in: echo TEXT | sgsearch tag -", 2)
    if source in (None, "-"):
        text = _read_stdin()
        if not text.strip():
            _fail("nothing to tag: the text piped in was empty")
    else:
        # lazy: a command loads only what it uses (start-up is part of the answer time)
        from ingest.blocks import IngestError
        from ingest.readers import read_path

        _must_exist(source)
        try:
            text = "\n".join(b.text for b in read_path(source).blocks)
        except IngestError as e:
            _fail(f"{source}: {e}")
    try:
        store = Store(resolve_index_dir(index)) if index and not taxonomy else None
        if store is not None and store.exists():
            tax = store.taxonomy()
        else:
            tax = load_taxonomy([Path(t) for t in taxonomy] or None)
    except TaxonomyError as e:
        _fail(str(e))
    # lazy: a command loads only what it uses (start-up is part of the answer time)
    from ingest.themes import get_tagger

    tags = get_tagger(tax).tag(text)
    data = {"themes": [{"id": t.id, "label": t.label, "count": t.count, "evidence": t.evidence} for t in tags]}
    if as_json:
        _emit_json(data)
    else:
        echo(format_tags(data["themes"]))


def _table_format(output: str | None) -> str:
    """The format a table file's extension names (``themes.xlsx``); text for any other."""
    ext = Path(output).suffix.lower() if output else ""
    return {".csv": "csv", ".xlsx": "xlsx", ".json": "json"}.get(ext, "text")


@main.command("themes")
@click.option("--from", "from_year", help="From this year on.")
@click.option("--to", "to_year", help="Up to this year.")
@click.option("--per", type=click.Choice(["100", "doc"]),
              help="100: sections per 100 sections of that year; doc: documents mentioning it, of that year's.")
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "xlsx", "json"]),
              help="Output format (xlsx needs -o FILE) [default: text, or as -o FILE's extension says].")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False),
              help="Write the table to this file (.csv, .xlsx and .json as those formats).")
@click.option("--list", "list_only", is_flag=True, help="List the taxonomy's themes and their phrases.")
@click.option("--all", "show_all", is_flag=True, help="Show themes with no sections too.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see docs/json.md).")
@_index_option
def themes_cmd(from_year, to_year, per, fmt, output, list_only, show_all, as_json, index):
    """The theme-by-year table: sections tagged with each theme, per year."""
    if list_only:
        store = Store(resolve_index_dir(index))
        if store.exists():
            tax = store.taxonomy()  # the themes this index was tagged with, a user's own included
        else:
            # lazy: a command loads only what it uses (start-up is part of the answer time)
            from search.vocab.taxonomy import load_taxonomy

            tax = load_taxonomy()
        if as_json:
            _emit_json({"themes": [{"id": t.id, "label": t.label, "description": t.description,
                                    "phrases": t.phrases, "abbreviations": t.abbreviations} for t in tax.themes.values()]})
            return
        for t in tax.themes.values():
            echo(f"{t.id:<28} {t.label} — {t.description}")
        return
    # lazy: a command loads only what it uses (start-up is part of the answer time)
    from search.query import year_arg
    from search.table import full_table, to_csv, to_text, write_xlsx

    try:
        lo, hi = year_arg("from_year", from_year), year_arg("to_year", to_year)
    except QueryError as e:
        _query_fail(e)
    fmt = "json" if as_json else fmt or _table_format(output)
    if fmt == "xlsx" and not output:
        _fail("--format xlsx writes a file: add -o themes.xlsx", 2)
    store = _store(index)
    table = full_table(store, lo, hi, per=per)
    if not table["documents"] and (lo is not None or hi is not None):
        from search.filters import explain_empty  # lazy: only a range that holds nothing explains why

        why = explain_empty(store, None, from_year=from_year, to_year=to_year)
        _fail("No sections in these years" + (f": {why[0].lower()}{why[1:]}" if why else "."), 1)
    if fmt == "xlsx":
        try:
            write_xlsx(table, output, show_all)
        except OSError as e:
            _fail(f"cannot write {output}: {e.strerror or e}")
        echo(f"Table written to {output}")
        return
    text = (json.dumps(table, indent=2, ensure_ascii=False) if fmt == "json" else to_csv(table, show_all).rstrip("\n")
            if fmt == "csv" else to_text(table, width(), show_all))
    if output:
        try:
            with open(output, "w", encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="") as fh:
                fh.write(text + "\n")
        except OSError as e:
            _fail(f"cannot write {output}: {e.strerror or e}")
        echo(f"Table written to {output}")
        return
    echo(text, raw=fmt == "json")


# -- trace / recur ---------------------------------------------------------------------
@main.command("trace", cls=QueryCommand)
@click.argument("query", nargs=-1, required=True)
@click.option("--examples", default=None, type=click.IntRange(0, 100000),
              help="Quoted examples per year [default: 2; with --year, every section].")
@click.option("--year", help="Only this year: every section of one cell of the theme table.")
@_filter_options
@click.option("--theme", multiple=True, help="Only sections also tagged with this theme; repeatable.")
@click.option("--plot", "plot", type=click.Path(dir_okay=False, writable=True), help="Also draw the counts per year (PNG/SVG/PDF).")
@click.option("--exact", is_flag=True, help="Match the words as written: no stemming, no theme expansion.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see docs/json.md).")
@_index_option
def trace_cmd(query, examples, year, from_year, to_year, theme, doc_type, plot, exact, as_json, index):
    """How a subject or theme runs over the years, with quoted examples."""
    # lazy: a command loads only what it uses (start-up is part of the answer time)
    from search.report.chart import plot_trace
    from search.table import chart_years
    from search.trace import trace

    store = _store(index)
    text = " ".join(query)
    if examples is None:
        examples = 100000 if year else 2
    try:
        data = trace(store, text, examples=examples, exact=exact, year=year, from_year=from_year, to_year=to_year,
                     theme=theme, doc_type=doc_type)
    except QueryError as e:
        _query_fail(e)
    if plot and not data["years"]:
        _fail(f"nothing to plot: no section mentions {text!r}, so no chart was written to {plot}")
    if plot:
        years, indexed = chart_years(store, data, whole_span=not (year or from_year or to_year))
        try:
            plot_trace(data, plot, all_years=years, indexed=indexed)
        except (OSError, ValueError) as e:
            _fail(f"cannot write the chart {plot}: {e}")
    if as_json:
        _emit_json(data)
    else:
        echo(format_trace(data, width(), _theme_labels(store)))
        if plot:
            echo(f"Chart written to {plot}")
    if not data["years"]:
        sys.exit(1)


@main.command("recur")
@click.option("--min-years", default=2, show_default=True, type=click.IntRange(2, 50), help="Distinct years a group must span.")
@click.option("--kind", type=click.Choice(ITEM_KINDS),
              help="Only items of this kind.")
@click.option("--theme", help="Only groups with an item tagged with this theme (id or label), as in export.")
@click.option("--from", "from_year", help="Only items from this year on (2019 or 2019-20).")
@click.option("--to", "to_year", help="Only items up to this year.")
@click.option("--since", help="Only groups whose latest item is after this year: did it recur after 2019?")
@click.option("--threshold", default=None, type=click.FloatRange(0, 100), help="Similarity 0-100 needed to group (default 52, fitted on labelled pairs).")
@click.option("--check", "check_text", metavar="TEXT|FILE",
              help="Instead: the earlier items like TEXT, or like each recommendation in FILE (.txt one per line, "
                   "or any document sgsearch reads; - reads them from standard input, one per line).")
@click.option("--include-self", is_flag=True, help="With --check FILE: keep the items of FILE itself when it is indexed.")
@click.option("--limit", "-n", default=10, show_default=True, type=click.IntRange(1, 1000), help="With --check: matches to show.")
@click.option("--all", "show_all", is_flag=True, help="List every item of every group (default: each group summarised).")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv", "docx", "md"]),
              help="Format of -o (default: from its name): the tracker xlsx or csv; with --check docx, md or csv.")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Also write the tracker (.xlsx, .csv), or with --check the appendix (.docx, .md, .csv).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see docs/json.md).")
@_index_option
def recur_cmd(min_years, kind, theme, from_year, to_year, since, threshold, check_text, include_self, limit, show_all,
              fmt, output, as_json, index):
    """Items said again in different years, as a tracker; with --check, earlier items like a new finding or a file of them."""
    # lazy: a command loads only what it uses (start-up is part of the answer time)
    from search.query import resolve_theme_filter
    from search.recur import DEFAULT_THRESHOLD, best_threshold, recur

    _say_unused(("min_years", "theme", "from_year", "to_year", "since", "threshold", "show_all")
                if check_text is not None else ("include_self", "limit"), check_text is not None)
    store = _store(index)
    if check_text is not None:
        _recur_check(store, check_text, kind, limit, output, fmt, include_self, as_json)
        return
    try:
        theme_id = resolve_theme_filter(theme, store.taxonomy()) if theme else None
    except QueryError as e:
        _query_fail(e)
    options = {"min_years": min_years, "kind": kind, "theme": theme_id, "from_year": from_year,
               "to_year": to_year, "since": since}
    used = DEFAULT_THRESHOLD if threshold is None else threshold
    # the terminal shows each group's latest item unless --all: only those are read whole and cited
    every = bool(as_json or output or show_all)
    try:
        clusters = recur(store, threshold=used, detail=every, release=True, **options)
    except QueryError as e:
        _query_fail(e)
    # lazy: a command loads only what it uses (start-up is part of the answer time)
    from search.cite import cite_items

    cite_items(store, [it for c in clusters for it in (c["items"] if every else c["items"][-1:])], release_every=50)
    if output and clusters:  # as export: no file when nothing matches
        _write_tracker(store, clusters, output, fmt)
    if as_json:
        _emit_json({"clusters": clusters})
    else:
        hint = best_threshold(store, used, **options) if not clusters else None
        echo(format_clusters(clusters, hint, show_all, _theme_labels(store)))
        if output:
            echo(f"Tracker written to {output}" if clusters else f"No tracker written to {output}.")
    if not clusters:
        sys.exit(1)  # as search, trace, export and --check: nothing found is exit status 1


def _theme_labels(store) -> dict[str, str]:
    """Theme id -> label of the index's taxonomy: the command line names themes as the page does."""
    return {t.id: t.label for t in store.taxonomy()}


def _say_unused(names: tuple[str, ...], checking: bool) -> None:
    """One line on stderr naming the options given that this use of ``recur`` does not read
    (a group's filters with --check, --check's own without it), rather than ignoring them unsaid."""
    ctx = click.get_current_context()
    given = [next((o for o in p.opts if o.startswith("--")), p.opts[0]) for p in ctx.command.params
             if p.name in names and ctx.get_parameter_source(p.name) in (ParameterSource.COMMANDLINE,
                                                                          ParameterSource.ENVIRONMENT)]
    if given:
        echo(f"sgsearch: {', '.join(given)} {'is' if len(given) == 1 else 'are'} not used "
             f"{'with' if checking else 'without'} --check (ignored)", err=True)


def _write_tracker(store, clusters, output, fmt):
    """``recur -o tracker.xlsx``: one row per recurring group, as partnerships keep action plans."""
    # lazy: a command loads only what it uses (start-up is part of the answer time)
    from search.recur import tracker_rows
    from search.report import write_tracker

    labels = _theme_labels(store)
    try:
        write_tracker(tracker_rows(clusters, labels), output, fmt)
    except FormatError as e:
        _fail(str(e), 2)
    except OSError as e:
        _fail(f"cannot write {output}: {e.strerror or e}")


def _recur_check(store, check_text, kind, limit, output, fmt, include_self, as_json, name=None):
    """``recur --check``: one text, or each recommendation of a file (``-``: standard input),
    against the index; ``name`` is what messages and the appendix call the file."""
    if not check_text.strip():
        _fail("--check needs the text of a finding or recommendation, or a file of them", 2)
    if check_text == "-":  # standard input: recommendations one per line, read as a .txt file is
        import tempfile  # lazy: only this use needs it

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "standard-input.txt"
            path.write_text(_read_stdin(), encoding="utf-8")
            _recur_check(store, str(path), kind, limit, output, fmt, include_self, as_json, name="standard input")
        return
    is_file = os.path.isfile(check_text)
    # a folder named without a slash is still a folder given for a file, not a one-word finding
    if not is_file and (looks_like_file(check_text) or os.path.isdir(check_text)):
        _must_exist(check_text)
    try:
        if is_file:
            result = check_file(store, check_text, kind=kind, limit=limit, name=name, include_self=include_self,
                                release=True)
            checks, total = result["checks"], result["summary"]
        else:
            checks, total = check_texts(store, [check_text], kind=kind, limit=limit, release=True), None
    except SgsearchError as e:
        _fail(str(e))
    if output:
        # lazy: a command loads only what it uses (start-up is part of the answer time)
        from search.recur import CHECK_MIN_SCORE, DEFAULT_THRESHOLD, summary
        from search.report import write_appendix

        try:
            write_appendix(checks, total or summary(checks), output, fmt, source=(name or check_text) if is_file else None,
                           threshold=DEFAULT_THRESHOLD, min_score=CHECK_MIN_SCORE)
        except FormatError as e:
            _fail(str(e), 2)
        except OSError as e:
            _fail(f"cannot write {output}: {e.strerror or e}")
    if not is_file:
        if as_json:
            _emit_json(checks[0])
        else:
            if checks[0]["matches"]:
                from search.recur import verdict_line  # loaded already: the check read the index through it

                echo(verdict_line(checks[0]["verdict"], True))
            echo(format_matches(checks[0]["matches"]))
        if not checks[0]["matches"]:
            sys.exit(1)
        return
    if as_json:
        _emit_json({"checks": checks, "summary": total})
    else:
        echo(format_checks(checks, total))
    if output:
        echo(f"Written to {output}")


# -- export ----------------------------------------------------------------------------
@main.command("export", cls=QueryCommand)
@click.argument("query", nargs=-1, required=False)
@click.option("--theme", multiple=True, help="Theme to brief on (id or label); repeatable.")
@click.option("--from", "from_year", help="From this year on.")
@click.option("--to", "to_year", help="Up to this year.")
@click.option("--format", "fmt", type=click.Choice(["md", "docx", "csv", "json"]),
              help="Output format (default: from the file name).")
@click.option("--json", "as_json", is_flag=True, help="The same as --format json.")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False),
              help="File to write (.md, .docx, .csv or .json).")
@click.option("--per-year", default=10, show_default=True, type=click.IntRange(1, 200), help="Passages per year.")
@_index_option
def export_cmd(query, theme, from_year, to_year, fmt, as_json, output, per_year, index):
    """Write a briefing for a board paper: scope, theme × year table, quoted passages, recurring items."""
    # lazy: a command loads only what it uses (start-up is part of the answer time)
    from search.export import NothingToExport, export

    if as_json:
        if fmt not in (None, "json"):
            _fail(f"--json and --format {fmt} disagree: give one of them", 2)
        fmt = "json"
    store = _store(index)
    text = " ".join(query) or None
    try:
        path = export(store, output, fmt=fmt, query=text, themes=list(theme), from_year=from_year,
                      to_year=to_year, limit_per_year=per_year)
    except (QueryError, FormatError) as e:
        _query_fail(e)
    except NothingToExport as e:
        _fail(str(e))
    except OSError as e:
        _fail(f"cannot write {output}: {e.strerror or e}")
    echo(f"Briefing written to {path}")



# -- serve -----------------------------------------------------------------------------
@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (this computer only by default).")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the web browser.")
@click.option("--read-only", is_flag=True, help="Turn off Add reports.")
@_index_option
def serve_cmd(host, port, open_browser, read_only, index):
    """A local web page for searching, themes, trace, recurrence and adding reports."""
    # lazy: a command loads only what it uses (start-up is part of the answer time)
    from ingest.blocks import IngestError
    from ingest.pipeline import check_settings
    from web import create_app
    from web.app import host_names

    store = _store(index)
    try:
        check_settings()  # the page's uploads obey them
    except IngestError as e:
        _fail(str(e))
    sock = _listen(host, port)
    if host not in ("127.0.0.1", "localhost", "::1"):
        echo(f"sgsearch: warning: listening on {host}: other computers on the network can reach this page "
             "and the reports in it", err=True)
    app = create_app(store.root, read_only=read_only, hosts=host_names(host))
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    echo(f"sgsearch: serving {store.root} at {url} (Ctrl+C stops)", err=True)
    if open_browser:
        # lazy: only --open needs a browser
        import webbrowser

        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    _run(app, sock)


def _run(app, sock) -> None:
    """Serve ``app`` on the listening socket ``sock`` until Ctrl+C."""
    import uvicorn  # lazy: only serve needs the server

    uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[sock])


def _listen(host: str, port: int):
    """A socket listening on ``host``:``port``, bound before anything says "serving"; one line
    and exit 1 when the port is taken or the address cannot be used."""
    # lazy: only serve listens
    import errno
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        _fail(f"cannot listen on {host}: no such address on this computer (try --host 127.0.0.1)")
    family, _, _, _, address = infos[0]
    try:
        return socket.create_server(address, family=family)
    except OSError as e:
        if e.errno in (errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", -1)):
            _fail(f"port {port} is in use on {host} (another sgsearch serve, or another program): "
                  f"stop it, or give another port, e.g. --port {port + 1 if port < 65535 else 8765}")
        if e.errno in (errno.EACCES, getattr(errno, "WSAEACCES", -1)):
            _fail(f"not allowed to listen on port {port} of {host}: use a port above 1024, e.g. --port 8765")
        _fail(f"cannot listen on {host} port {port}: {e.strerror or e}")


if __name__ == "__main__":  # pragma: no cover
    main()
