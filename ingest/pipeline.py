"""The ingest command as a library function: files and folders in, an updated index out.

Incremental: a file whose content hash (and catalog entry) is unchanged is skipped; a
changed file replaces its old records; a file gone from an ingested folder is
removed. One content is one document: a file whose content another file holds is not
indexed again (``IngestReport.duplicates`` names both). Atomic: each document is written as soon as it is read and tagged, all in one
commit at the end (or a new generation swapped in), so a failure or a kill leaves the
previous index usable, and memory holds a document or two, never the collection.
Bad files are reported one line each and never stop the others. Theme tagging runs in a
worker process (``ingest.tagworker``), started as soon as there is something to parse, so
that spaCy loads while files are parsed; each record is written once, with its themes.
"""
from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from ingest.acronyms import document_acronyms
from ingest.blocks import IngestError
from ingest.catalog import CATALOG_NAME, Entry, read_catalog
from ingest.document import ParsedDoc, parse_file, sha256_file, slug
from ingest.fetch import fetch_urls, is_url
from ingest.items import extract_items
from ingest.itemtokens import AFTER_COMMIT, ItemTokens
from ingest.metadata import rules
from ingest.passages import passage_floor
from ingest.places import areas
from ingest.readers import SUPPORTED_EXTS, check_limits
from ingest.tagworker import (
    TagFailed,
    Tagging,
    ignore_interrupt,
    section_text,
    theme_evidence,
    vocabulary_stamp,
)
from search.index.records import doc_to_fields, item_to_fields, section_to_fields, stored_catalog_sig
from search.index.store import FETCHED, Store, check_index_folder
from search.vocab.taxonomy import load_taxonomy
from search.vocab.thesaurus import INDEX_FILE, Thesaurus, stored, user_entries

# Files in a folder that a user may expect to be read; listed as skipped, not failed.
_DOCUMENT_LIKE = {".doc", ".rtf", ".odt", ".xls", ".xlsx", ".ppt", ".pptx", ".htm", ".html", ".csv",
                  ".jpg", ".jpeg", ".png", ".tif", ".tiff"}
# What Word and Excel put beside a document while it is open ("~$port.docx": who has it open), not a report
OWNER_FILE = "~$"
# progress(phase, done, total, detail): phase is "parsing" (files), "tagging" (sections),
# "writing" (sections) or "committing"
Progress = Callable[[str, int, int, str], None]


@dataclass
class IngestReport:
    """What an ingest did, per file (paths as given on disk, resolved)."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[dict] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    duplicates: list[dict] = field(default_factory=list)  # {"path", "same_as"}: a file another holds already
    sections: int = 0
    pages: int = 0
    found: int = 0  # files found to read (before any was read)
    retagged: int = 0
    not_tagged: int = 0  # documents kept as they were, so not tagged with the theme files given
    tagged_earlier: int = 0  # documents kept as they were, tagged with another version's themes
    seconds: float = 0.0

    def to_json(self) -> dict:
        """What ``ingest --json`` prints: the files by outcome, and the sections written."""
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "failed": self.failed,
            "skipped": self.skipped,
            "duplicates": self.duplicates,
            "sections": self.sections,
            "tagged_earlier": self.tagged_earlier,
        }

    @property
    def ok(self) -> bool:
        """No file (nor catalog entry) failed."""
        return not self.failed

    @property
    def catalog_problems(self) -> int:
        """How many of ``failed`` are a catalog's entries rather than files."""
        return sum(1 for f in self.failed if Path(f["path"]).name == CATALOG_NAME)


def collect_files(paths: list[str | os.PathLike], report: IngestReport) -> tuple[list[Path], list[Path]]:
    """Expand files and folders (recursively) into the files to ingest, and the folders walked."""
    files: list[Path] = []
    folders: list[Path] = []
    seen: set[Path] = set()
    for raw in paths:
        p = Path(raw).expanduser()
        if p.is_dir():
            folders.append(p.resolve())
            for f in sorted(p.rglob("*")):
                if any(part.startswith(".") for part in f.relative_to(p).parts) or f.name.startswith(OWNER_FILE):
                    continue
                if not f.is_file():
                    problem = _link_problem(f) if f.suffix.lower() in SUPPORTED_EXTS else None
                    if problem:
                        report.failed.append({"path": str(f), "error": problem})
                    continue
                if f.name == CATALOG_NAME:
                    continue
                if f.suffix.lower() not in SUPPORTED_EXTS:
                    if f.suffix.lower() in _DOCUMENT_LIKE:
                        report.skipped.append(str(f.resolve()))
                    continue
                r = f.resolve()
                if r not in seen:
                    seen.add(r)
                    files.append(r)
        elif p.exists() or p.is_symlink():
            problem = _link_problem(p)
            if problem:
                report.failed.append({"path": str(p), "error": problem})
                continue
            r = p.resolve()
            if r not in seen:
                seen.add(r)
                files.append(r)
        else:
            report.failed.append({"path": str(p), "error": "no such file or folder"})
    return files, folders


def _link_problem(p: Path) -> str | None:
    """Why a symbolic link cannot be followed (a loop, or a missing target); None if it can."""
    try:
        os.stat(p)
    except OSError as e:
        if e.errno == errno.ELOOP:
            return "symbolic link loop: the link leads back to itself"
        if p.is_symlink():
            return "broken symbolic link: its target does not exist"
    return None


def check_settings() -> None:
    """Raise IngestError, one line naming the setting, when an environment setting ingest reads is
    unusable (a size limit, the ``SGSEARCH_METADATA`` rules file, the ``SGSEARCH_PLACES``
    gazetteer): said once, before any file is read, not as every file failing."""
    check_limits()
    try:
        rules()
    except ValueError as e:
        raise IngestError(str(e)) from None
    try:
        areas()
    except ValueError as e:
        raise IngestError(f"SGSEARCH_PLACES: {e}") from None


def _catalogs(files: list[Path], report: IngestReport, taxonomy: list[Path] | None = None) -> dict[Path, Entry]:
    """The catalog entries of the files' folders; theme files the catalogs name go in ``taxonomy``."""
    entries: dict[Path, Entry] = {}
    for folder in sorted({f.parent for f in files}):
        problems: list[str] = []  # bad entries are left out, one line each; the good ones apply
        try:
            found, tax = read_catalog(folder, problems)
        except IngestError as e:
            report.failed.append({"path": str(folder / CATALOG_NAME), "error": str(e)})
            continue
        report.failed.extend({"path": str(folder / CATALOG_NAME), "error": p} for p in problems)
        entries.update(found)
        if taxonomy is not None:
            taxonomy.extend(t for t in tax if t not in taxonomy)
    return entries


def _entry_sig(entry: Entry | None) -> str:
    if entry is None:
        return ""
    return hashlib.sha256(json.dumps([entry.fields, entry.parts], sort_keys=True, default=str).encode()).hexdigest()[:16]


def _parse_job(args: tuple) -> tuple[str, ParsedDoc | None, str | None]:
    path, entry, doc_id, ocr, url, sha = args
    try:
        return path, parse_file(path, entry, doc_id, ocr=ocr, source_url=url, sha256=sha), None
    except IngestError as e:
        return path, None, str(e)
    except MemoryError:
        return path, None, "file too large to parse in memory"
    except RecursionError:
        return path, None, "document structure too deeply nested"
    except Exception as e:  # a reader library failing on malformed input
        return path, None, f"could not be parsed ({type(e).__name__}: {str(e).splitlines()[0][:120] if str(e) else 'no detail'})"


def ingest(
    paths: list[str | os.PathLike],
    index_dir: str | os.PathLike,
    rebuild: bool = False,
    jobs: int = 1,
    progress: Progress | None = None,
    tag: bool = True,
    taxonomy_files: list[Path] | None = None,
    engine: str | None = None,
    ocr: str = "auto",
    thesaurus_files: list[Path] | None = None,
    passages_from: float | None = None,
    remove: list[str] | None = None,
) -> IngestReport:
    """Ingest files and folders into the index at ``index_dir``; return what happened.

    ``engine`` (``whoosh`` or ``tantivy``) is the engine of a new index; giving another
    engine than an existing index's needs ``rebuild`` (the index is then written anew).
    ``ocr`` (``auto``, ``always``, ``never``) says which PDF pages are read by OCR.
    ``thesaurus_files``: a user's own abbreviations and synonyms, kept in the index.
    ``passages_from``: the lowest item score a candidate needs to be kept as a passage (see
    :mod:`ingest.passages`; default the floor fitted in ``ingest/passages.toml``).
    ``remove``: documents to take out of the index, each named by its id or the path it was
    ingested from (one not in the index is a failure line; the rest carries on).
    """
    started = time.monotonic()
    floor = passage_floor() if passages_from is None else passages_from
    report = IngestReport()
    check_settings()
    user_thesaurus = user_entries(thesaurus_files) if thesaurus_files else None  # checked before any work
    # URLs: fetched into the index folder's cache, then read like files (see ingest.fetch)
    if any(is_url(str(p)) for p in paths):
        check_index_folder(Path(index_dir))  # before a download folder is made in it
    paths, from_urls, url_failures = fetch_urls(list(paths), Path(index_dir) / FETCHED)
    report.failed += url_failures
    files, folders = collect_files(paths, report)
    report.found = len(files)
    tax_files: list[Path] = list(taxonomy_files or [])  # with those that catalogs name
    entries = _catalogs(files, report, tax_files)
    if tax_files:
        load_taxonomy(tax_files)  # a broken theme file is said before any work, whether or not a file is read
    store = Store(index_dir)
    tagging = None  # the theme tagger, in a worker process (see ingest.tagworker)
    try:
        # the index's files are let go, before its lock, however the ingest ends (nothing to do, a
        # failure): a process that carries on (the web page's) must not hold them open (Windows)
        with store.locked(), contextlib.closing(store):
            existing: dict[str, dict] = {}
            if store.exists():
                if engine and not rebuild and store.up_to_date() and engine != store.engine_name():
                    raise IngestError(f"the index at {store.root} uses the {store.engine_name()} engine: "
                                      f"add --rebuild to write it anew with {engine}")
                try:
                    existing = {d["path"]: d for d in store.records("doc")}
                except Exception:  # an index from another version: rebuilt below
                    existing = {}
                if not store.up_to_date():
                    # the schema changed: rebuild from every recorded file that still exists
                    rebuild = True
                    recorded = [Path(p) for p in store.manifest() if Path(p).is_file() and Path(p) not in files]
                    files.extend(recorded)
                    entries.update(_catalogs(recorded, IngestReport()))  # each folder's catalog read once
            hashed: list[tuple[Path, str]] = []  # the files to read and their contents' hashes
            for f in files:
                try:
                    hashed.append((f, sha256_file(f)))
                except FileNotFoundError:
                    report.failed.append({"path": str(f), "error": "file vanished before it could be read"})
                except OSError as e:
                    report.failed.append({"path": str(f), "error": f"cannot read the file: {e.strerror or e}"})
            removed = [
                d for p, d in existing.items()
                if not Path(p).exists() and any(Path(p).is_relative_to(folder) for folder in folders)
            ]
            for d in _named_for_removal(existing, remove or [], report):
                if d not in removed:
                    removed.append(d)
            gone = {d["path"] for d in removed}
            report.duplicates = _same_content(hashed, {} if rebuild else existing, gone)
            for dup in report.duplicates:  # a copy indexed before (by an older version) is taken out
                if not rebuild and dup["path"] in existing and dup["path"] not in gone:
                    removed.append(existing[dup["path"]])
            twice = {dup["path"] for dup in report.duplicates}
            todo: list[tuple[str, Entry | None, str, str, str | None, str]] = []  # path, entry, id, ocr, address, hash
            used_ids = {d["doc_id"]: p for p, d in existing.items()}
            for f, sha in hashed:
                key = str(f)
                if key in twice:
                    continue
                entry = entries.get(f)
                old = existing.get(key)
                if not rebuild and old and old.get("sha256") == sha and stored_catalog_sig(old) == _entry_sig(entry):
                    report.unchanged.append(key)
                    continue
                stated = entry.fields.get("id") if entry else None
                doc_id = stated or (old["doc_id"] if old else slug(f.stem))
                if used_ids.get(doc_id, key) != key:
                    taken, doc_id = doc_id, f"{doc_id}-{hashlib.sha1(key.encode()).hexdigest()[:6]}"
                    if stated:  # two files may not share an id: the second is told apart, and it is said
                        report.failed.append({"path": str(entry.catalog or f.parent / CATALOG_NAME), "error": (
                            f"[[document]] (file = {entry.fields['file']!r}): id {taken!r} is already the id of "
                            f"{used_ids[taken]}; this file is indexed as {doc_id!r}")})
                used_ids[doc_id] = key
                # the hash taken before the file is read: a file changed while it is read is read again next time
                todo.append((key, entry, doc_id, ocr, from_urls.get(str(Path(key).resolve())), sha))
            report.removed = [d["path"] for d in removed]
            gone = set(report.removed)
            todo = [job for job in todo if job[0] not in gone]
            kept_as_is = {p for p in existing if p not in gone} - {job[0] for job in todo}  # not read again now
            if taxonomy_files and not rebuild:
                report.not_tagged = len(kept_as_is)
            stamp = vocabulary_stamp()
            if tag and not rebuild and kept_as_is:
                report.tagged_earlier = sum(1 for p, e in store.manifest().items() if p in kept_as_is
                                            and isinstance(e, dict) and e.get("tagged_with", "") not in (stamp, None))
            if not todo and not removed and not rebuild and not thesaurus_files:
                return report
            if tag and todo:
                tagging = Tagging(tax_files)  # spaCy loads in the worker while files are parsed
            known = None  # the themes the index knows after this ingest (kept in it for search)
            if tagging is not None:
                known = tagging.taxonomy if rebuild else store.taxonomy().updated_by(tagging.taxonomy)
            kept = _kept_thesaurus(store, user_thesaurus, rebuild, removed)
            extra: dict = {}  # filled in before the commit, when every file is read
            after: dict = {}  # the same, for files written once the commit is done
            tokens = None
            # written into the live generation unless a new one is made
            same = not rebuild and (engine is None or engine == store.engine_name())
            # The writer is open while files are read: each document is written as soon as its
            # tags arrive (one document ahead is read meanwhile), so memory holds two documents,
            # never the collection.
            try:
                # the kept thesaurus's own entries, before this ingest's documents define acronyms
                tokens = ItemTokens(known if known is not None else store.taxonomy(), kept)
                if same:
                    tokens.list_earlier(store)  # an index written before passages were listed: once
                with store.writer(fresh=rebuild, taxonomy=known, engine=engine, extra=extra, after=after) as (w, manifest):
                    written = _Written(report, progress, kept, tokens, stamp)
                    if not rebuild:
                        for d in removed:
                            w.delete_doc(d["doc_id"])
                            manifest.pop(d["path"], None)
                            tokens.drop(d["doc_id"])
                    ahead: deque = deque()  # documents read, their tags on the way
                    for n, (key, doc, err) in enumerate(_run(todo, jobs), start=1):
                        if progress:
                            progress("parsing", n, len(todo), key)
                        if err:
                            report.failed.append({"path": key, "error": err})
                            continue
                        doc.doc["catalog_sig"] = _entry_sig(entries.get(Path(key)))
                        doc.doc["source_url"] = from_urls.get(str(Path(key).resolve()))
                        # each section keeps what it said in passing, from ``floor`` up, beside its items
                        # (see ingest.passages)
                        doc.doc["_items"] = extract_items(doc, floor)
                        ahead.append((doc, _submit(tagging, _tag_texts(doc)) if tagging else None))
                        (report.updated if key in existing and not rebuild else report.added).append(key)
                        report.sections += len(doc.sections)
                        report.pages += doc.doc.get("pages") or 0
                        if len(ahead) > 1:
                            written.write(w, manifest, *ahead.popleft(), tagging, None if rebuild else existing)
                    while ahead:
                        written.write(w, manifest, *ahead.popleft(), tagging, None if rebuild else existing)
                    if not (report.added or report.updated or removed or rebuild or thesaurus_files):
                        raise _NothingToWrite
                    if rebuild and existing and not report.added:  # it would only empty the index
                        raise _NothingToWrite
                    extra[INDEX_FILE] = kept.to_json()
                    extra.update(tokens.files(store.current_dir() if same else None))
                    after.update((name, extra.pop(name)) for name in AFTER_COMMIT if name in extra)
                    if rebuild:  # the documents a rebuild did not read again are gone: say so
                        again = set(report.added)
                        report.removed = [p for p in existing if p not in again]
                    if tagging:
                        tagging.close()  # all tags are in: stop it before the commit
                    if progress:
                        progress("committing", written.done, report.sections, "")
            except _NothingToWrite:
                return report
            finally:
                if tokens is not None:
                    tokens.close()
    finally:
        if tagging:
            tagging.close()
        _failed_with_their_twin(report)
        report.seconds = time.monotonic() - started
    return report


def _failed_with_their_twin(report: IngestReport) -> None:
    """A file left out as the same as one that then failed is not in the index either: it fails
    with it, for the same reason (its bytes are the same), rather than being said to be indexed."""
    failed = {f["path"]: f["error"] for f in report.failed}
    for dup in [d for d in report.duplicates if d["same_as"] in failed]:
        report.duplicates.remove(dup)
        report.failed.append({"path": dup["path"], "error": failed[dup["same_as"]]})


class _NothingToWrite(Exception):
    """Every file to read failed (or a rebuild read none): the index is left as it was."""


class _Written:
    """Writes parsed documents once their tags are in, counting sections for progress; a
    document written defines its acronyms in the kept thesaurus (one that fails tagging,
    none: its older version, if any, stays with its own)."""

    def __init__(self, report: IngestReport, progress: Progress | None, kept: Thesaurus,
                 tokens: ItemTokens | None = None, stamp: str | None = None):
        self.report, self.progress, self.done, self.kept, self.tokens = report, progress, 0, kept, tokens
        self.stamp = stamp  # the themes' version each document written is tagged with

    def write(self, w, manifest: dict, doc: ParsedDoc, tickets, tagging, existing: dict | None) -> None:
        tags = None
        if tickets is not None:
            if self.progress:
                self.progress("tagging", self.done, self.report.sections, doc.doc["path"])
            try:
                tags = iter([t for ticket in tickets for t in tagging.result(ticket)])
            except TagFailed as e:  # this file fails alone; an older version of it stays
                _fail(self.report, doc, str(e))
                return
        old = existing.get(doc.doc["path"]) if existing else None
        if old:
            w.delete_doc(old["doc_id"])
            self.kept.forget(old["doc_id"])
            if self.tokens is not None:
                self.tokens.drop(old["doc_id"])
        _write_doc(w, doc, tags)
        if self.tokens is not None:
            for item in doc.doc.get("_items", []):
                self.tokens.add_item(item)
            for s in doc.sections:
                self.tokens.add_section(s["section_id"], doc.doc["doc_id"], s.get("heading"), s.get("passages"))
        self.kept.define(doc.doc["doc_id"], _acronyms(doc))
        self.done += len(doc.sections)
        if self.progress:
            self.progress("writing", self.done, self.report.sections, doc.doc["path"])
        manifest[doc.doc["path"]] = {"sha256": doc.doc["sha256"], "doc_id": doc.doc["doc_id"]}
        if self.stamp:  # None: written untagged (``tag=False``), so no version's themes to count
            manifest[doc.doc["path"]]["tagged_with"] = self.stamp if tags is not None else None


def _fail(report: IngestReport, doc: ParsedDoc, error: str) -> None:
    """Report a parsed file as failed after all (its records are not written)."""
    path = doc.doc["path"]
    for done in (report.added, report.updated):
        if path in done:
            done.remove(path)
    report.sections -= len(doc.sections)
    report.pages -= doc.doc.get("pages") or 0
    report.failed.append({"path": path, "error": error})


def _same_content(hashed: list[tuple[Path, str]], existing: dict[str, dict], gone: set[str]) -> list[dict]:
    """The files of ``hashed`` (path, content hash) whose content another file of the same type
    already holds, each ``{"path", "same_as"}``. One content is one document, kept under one name: a name
    already indexed with that content (and kept, not in ``gone``) before one read now; among
    those read now, the file modified first (a copy is usually made later), then the shorter
    name ("report.pdf" before "report (1).pdf" or "report - Copy.pdf", which a copy that keeps
    the time gets), then the order the files were given in."""
    def same(path, sha):  # the same bytes under another type are read by another reader: not the same
        return sha, Path(path).suffix.lower()

    now = {str(f): same(f, sha) for f, sha in hashed}
    owner: dict[tuple, str] = {}
    for p, d in existing.items():  # indexed, kept, and not read again now: holds its content as it is
        if p not in gone and p not in now and d.get("sha256"):
            owner.setdefault(same(p, d["sha256"]), p)
    for p, key in now.items():  # indexed with this very content
        if p in existing and p not in gone and existing[p].get("sha256") == key[0]:
            owner.setdefault(key, p)
    for i in sorted(range(len(hashed)), key=lambda i: (_modified(hashed[i][0]), len(hashed[i][0].name), i)):
        owner.setdefault(now[str(hashed[i][0])], str(hashed[i][0]))
    return [{"path": p, "same_as": owner[key]} for p, key in now.items() if owner[key] != p]


def _modified(f: Path) -> int:
    """When ``f`` was last modified (nanoseconds; 0 when it cannot be told)."""
    try:
        return f.stat().st_mtime_ns
    except OSError:
        return 0


def _named_for_removal(existing: dict[str, dict], names: list[str], report: IngestReport) -> list[dict]:
    """The indexed documents ``names`` name, each by its id or the path it was ingested from;
    a name that names none is a failure line of ``report``."""
    by_id = {d["doc_id"]: d for d in existing.values()}
    out: list[dict] = []
    for name in names:
        d = by_id.get(name) or existing.get(str(Path(name).resolve())) or existing.get(name)
        if d is None:
            report.failed.append({"path": name, "error": "not in the index: give a document's id "
                                                         "('sgsearch docs' lists them) or the path it was ingested from"})
        elif d not in out:
            out.append(d)
    return out


def _kept_thesaurus(store, user, rebuild: bool, removed: list[dict]) -> Thesaurus:
    """The thesaurus the index keeps, before this ingest's documents define their acronyms:
    the user's entries kept before (and added now), and the acronyms of the documents kept
    (those of removed ones forgotten)."""
    kept = stored(store.current_dir()) or Thesaurus()
    if user is not None:
        kept.add({"abbreviations": user.abbreviations, "synonyms": user.synonyms}, "thesaurus")
    if rebuild:
        kept.defined = {}
    for d in removed:
        kept.forget(d["doc_id"])
    return kept


def _acronyms(doc: ParsedDoc) -> list:
    """The acronyms a document defines."""
    return document_acronyms(f"{s.get('heading') or ''}\n{s.get('text') or ''}" for s in doc.sections)


def _run(todo, jobs: int):
    if jobs > 1 and len(todo) > 1:
        with ProcessPoolExecutor(max_workers=jobs, initializer=ignore_interrupt) as pool:
            futures = [pool.submit(_parse_job, job) for job in todo]
            try:
                for job, future in zip(todo, futures):
                    try:
                        yield future.result()
                    except BrokenProcessPool:
                        # a worker died (a reader library crashed): parse what is left one file
                        # per process, so that the crash is reported against its file alone
                        yield _parse_isolated(job)
            except BaseException:
                # Ctrl-C, or the ingest stopping: the files not yet started are not read (leaving
                # the pool would otherwise wait for every one of them)
                pool.shutdown(wait=False, cancel_futures=True)
                raise
    else:
        for job in todo:
            yield _parse_job(job)


def _parse_isolated(job):
    with ProcessPoolExecutor(max_workers=1, initializer=ignore_interrupt) as pool:
        try:
            return pool.submit(_parse_job, job).result()
        except BrokenProcessPool:
            return job[0], None, "the reader crashed on this file: it is probably damaged"


TAG_BATCH_CHARS = 1_000_000  # texts sent to the tagger at once: the worker holds a batch, not a whole file


def _submit(tagging, texts: list[str]) -> list[int]:
    """Send a document's texts to the tagger in batches of about TAG_BATCH_CHARS; their tickets."""
    tickets, batch, size = [], [], 0
    for t in texts:
        if batch and size + len(t) > TAG_BATCH_CHARS:
            tickets.append(tagging.submit(batch))
            batch, size = [], 0
        batch.append(t)
        size += len(t)
    tickets.append(tagging.submit(batch))
    return tickets


def _tag_texts(doc: ParsedDoc) -> list[str]:
    """What is tagged: each section's heading and text, then each item's text."""
    return [section_text(s) for s in doc.sections] + [i["text"] for i in doc.doc.get("_items", [])]


def _records(doc: ParsedDoc, tags: Iterator[list[dict]] | None = None) -> Iterator[dict]:
    """The index fields of a document's sections, then its items; with ``tags`` (those of
    each section, then item, as the tagger gives them) each is given its themes first."""
    for s in doc.sections:
        if tags is not None:
            found = next(tags)
            s["themes"] = [t["id"] for t in found]
            s["theme_evidence"] = theme_evidence(found)
        yield section_to_fields(s, doc.doc)
    for item in doc.doc.get("_items", []):
        if tags is not None:
            item["themes"] = [t["id"] for t in next(tags)]
        yield item_to_fields(item, doc.doc)


def _write_doc(w, doc: ParsedDoc, tags: Iterator[list[dict]] | None = None) -> None:
    """Write a document, its sections and its items; ``tags``: those of each section, then item."""
    w.add(doc_to_fields(doc.doc))
    for fields in _records(doc, tags):
        w.add(fields)
