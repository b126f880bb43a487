"""What the command line and the web page both do in several steps, said once.

- Checking a new review's recommendations (``sgsearch recur --check FILE``, the Recurring
  page's file check): read the file (a ``.txt`` or ``.md`` file holds one recommendation
  per line, bullets and numbers dropped; any other document sgsearch reads is parsed and
  its items taken), leave out the file's own items when it is itself indexed, check the
  texts against the index (their themes read from the taxonomy's phrases, so no tagger
  starts: a check answers in about a second), give each its verdict and cite each match.
- Opening the index a command answers from: the per-user default index, when there is
  none yet, is seeded with the bundled corpus; an index from an older version is rebuilt
  from the files it records.
- Reading and ingesting away from the caller: :class:`DocumentReader` (a document to check)
  and :func:`ingest_files` (reports to add) work in processes of their own, so the readers
  and spaCy never load in the web page's process.
"""
from __future__ import annotations

import contextlib
import os
import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from search.cite import cite_items
from search.errors import SgsearchError
from search.index.store import (
    DOCS_EVERY,
    IndexFolderError,
    IndexMissing,
    Store,
    default_index_dir,
    resolve_index_dir,
)

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

@lru_cache(maxsize=1)
def _line_patterns() -> tuple[re.Pattern, ...]:
    """The patterns a checklist's lines are read with (compiled on first use: every command
    imports this module, only ``recur --check FILE`` reads a checklist)."""
    # a heading or lead-in names what follows; it is not itself a recommendation: a Markdown
    # heading (``# …``, or a line underlined with ``===``/``---``) or a line ending in a colon
    heading = re.compile(r"^\s*#{1,6}\s|:\s*$")
    underline = re.compile(r"^\s*(?:={3,}|-{3,})\s*$")
    # a plain heading: a short unpunctuated line that opens by naming the kind of what follows
    # ("Recommendations", "Key findings", "Learning for the partnership", "Recommendation 3")
    kind_line = re.compile(r"^(?!.*[.;!?]\s*$)(?=(?:\S+\s+){0,5}\S+\s*$)(?:(?:key|main|our|the|summary\s+of|"
                           r"further|overall|other)\s+)*(?:recommendations|findings|learning|lessons|priorities|"
                           r"actions|next\s+steps|key\s+messages|areas\s+for\s+(?:development|improvement)|"
                           r"recommendation\s+\d+)\b", re.I)
    bullet = re.compile(r"^\s*(?:[-*•·❑]|\(?\d{1,3}[.)]|\(?[a-z][.)]|recommendation\s*\d*\s*[:.])\s*", re.I)
    # a saved web page's furniture: a menu or breadcrumb label (a few words each side of a
    # separator: "Home > Meetings", "Item - minutes"), or a line giving a date under a label
    # ("Meeting: 8/9/2009 - …", "Date: 5 May 2020") or alone
    words = r"[\w'’&]+(?:\s+[\w'’&]+){0,2}"
    month = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
    date = (rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|(?:[a-z]+day,?\s+)?\d{{1,2}}(?:st|nd|rd|th)?\s+{month},?\s+\d{{4}}"
            rf"|{month}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})")
    furniture = re.compile(rf"^(?:{words}(?:\s+[-–—|>›»]\s+{words}){{1,3}}\s*$|[a-z][a-z ]{{0,30}}:\s*{date}\b|{date}\s*$)",
                           re.I)
    return heading, underline, kind_line, bullet, furniture


TEXT_SUFFIXES = (".txt", ".md", ".text")


class ChecklistError(SgsearchError, ValueError):
    """The file cannot be read as a list of recommendations; the message names the file."""


def looks_like_file(text: str) -> bool:
    """Whether ``recur --check`` text is meant as a file name rather than a recommendation:
    one line ending in a document's extension, or a path with a folder in it and no spaces."""
    # lazy: every command opens the index through this module; only --check needs the readers' formats
    from ingest.readers import SUPPORTED_EXTS

    t = text.strip()
    if not t or "\n" in t or len(t) > 400:
        return False
    return Path(t).suffix.lower() in SUPPORTED_EXTS or (("/" in t or "\\" in t) and not any(c.isspace() for c in t))


def read_checklist(path, name: str | None = None, worker: DocumentReader | None = None) -> list[str]:
    """The recommendations in ``path``: one per line of a text file (its heading and lead-in
    lines left out), or a document's items.

    ``name`` is what messages call the file (an uploaded file's own name; default the path);
    a document is read in ``worker``'s reading process when one is given (the web page's),
    so the readers' libraries never load in the caller."""
    path = Path(path)
    name = name or str(path)
    if path.suffix.lower() in TEXT_SUFFIXES:
        try:
            lines = path.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as e:
            raise ChecklistError(f"{name}: cannot read it as text: {getattr(e, 'strerror', None) or e}") from e
        heading, underline, kind_line, bullet, furniture = _line_patterns()
        texts = []
        for ln, below in zip(lines, lines[1:] + [""]):
            if heading.search(ln) or underline.match(ln) or underline.match(below):
                continue
            text = bullet.sub("", ln).strip()
            if text and not kind_line.match(text) and not furniture.match(text):
                texts.append(text)
    else:
        texts = worker.read(path, name) if worker is not None else _document_items(str(path), name)
    if not texts:
        if path.suffix.lower() in TEXT_SUFFIXES:
            raise ChecklistError(f"{name}: no recommendations found (a .txt file needs one per line)")
        # a document's hint is not a text file's: nothing in it was read as an item
        raise ChecklistError(f"{name}: no recommendations found: nothing in it reads as a recommendation, "
                             "finding or other item (a .txt file with one per line lists them instead)")
    return texts


def _document_items(path: str, name: str) -> list[str]:
    """The texts of a document's items (in the reading process, or in the caller without one)."""
    # lazy: every command opens the index through this module; only a document to check needs the readers
    from ingest.document import parse_file
    from ingest.items import extract_items

    try:
        return [i["text"] for i in extract_items(parse_file(Path(path)))]
    except Exception as e:  # noqa: BLE001 - any reader failure is the file's problem, said in one line
        raise ChecklistError(f"{name}: cannot read it: {' '.join(str(e).split()) or type(e).__name__}") from e


def _reading_started() -> None:
    """The reading process's start: it ends with the process that started it."""
    # lazy: the workers' machinery loads only in a worker
    from ingest.tagworker import end_with_parent

    end_with_parent()


class DocumentReader:
    """A process that reads documents to check, kept from one check to the next (the web
    page keeps one), so the readers' libraries never load in its owner's process;
    started with ``spawn``, as on Windows, it ends with its owner's process."""

    def __init__(self):
        self._lock = threading.Lock()
        self._reader: ProcessPoolExecutor | None = None

    def read(self, path, name: str) -> list[str]:
        """The texts of the items of the document at ``path`` (called ``name`` in messages),
        read in the reading process; raises :class:`ChecklistError` in one line."""
        # lazy: processes are started by a few commands only; a query starts none
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        with self._lock:
            if self._reader is None:
                self._reader = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                                   initializer=_reading_started)
            try:
                return self._reader.submit(_document_items, str(path), name).result()
            except BrokenProcessPool:  # the reader stopped (killed, out of memory): the next file starts another
                self._stop()
                raise ChecklistError(f"{name}: cannot read it: the reading process stopped") from None

    def _stop(self) -> None:
        if self._reader is not None:
            self._reader.shutdown(wait=True, cancel_futures=True)
        self._reader = None

    def close(self) -> None:
        """Stop the reading process."""
        with self._lock:
            self._stop()


def check_texts(store: Store, texts: list[str], kind: str | None = None, limit: int = 10,
                lock=None, exclude_docs=(), release: bool = False) -> list[dict]:
    """Each text (a new review's recommendations) against the index, as ``recur --check`` does it:
    its earlier matches best first, each match cited; items of ``exclude_docs`` left out.
    ``[{"text", "verdict", "matches": [item + "score", "why", "citation"]}]`` in the order given.

    The texts' themes are those whose phrases they hold (:func:`search.recur.check_many`):
    starting the tagger would cost seconds per check. ``lock`` (the web page's, around the
    index) is held while the index is read. ``release``: a one-shot command's, letting go of
    the index's pages as it reads many records (see :func:`search.recur.recur`)."""
    lock = lock if lock is not None else contextlib.nullcontext()
    # lazy: recurrence loads numpy and scipy (half a second), which only checking needs
    from search.recur import check_many, verdict

    with lock:
        checks = check_many(store, texts, limit=limit, kind=kind, exclude_docs=exclude_docs, release=release)
        cite_items(store, [m for c in checks for m in c["matches"]])
    return [{"text": c["text"], "verdict": verdict(c), "matches": c["matches"]} for c in checks]


def own_documents(store: Store, path, name: str | None = None, release: bool = False) -> list[dict]:
    """The indexed documents that are the checked file itself: the same content (sha256), or
    the id its name would be given (``name``: an uploaded file's own name). ``[{"doc_id", "title"}]``."""
    # lazy: only a file to check needs the readers' helpers
    from ingest.document import sha256_file, slug

    try:
        digest = sha256_file(Path(path))
    except OSError:
        digest = None
    doc_id = slug(Path(name or path).stem)
    every = store.iter_records("doc", release_every=DOCS_EVERY if release else 0)
    return sorted(({"doc_id": d["doc_id"], "title": d.get("doc_title") or d["doc_id"], "year_start": d.get("year_start")}
                   for d in every if (digest and d.get("sha256") == digest) or d.get("doc_id") == doc_id),
                  key=lambda d: d["doc_id"])


def later_documents(store: Store, own: list[dict], release: bool = False) -> list[dict]:
    """The indexed documents dated after the checked document (``own``: it, already indexed,
    with its stated year): nothing they say can have been said before it. ``[{"doc_id", "title"}]``;
    none when the checked document is not indexed or states no year."""
    years = [d["year_start"] for d in own if d.get("year_start") is not None]
    if not years:
        return []
    mine = {d["doc_id"] for d in own}
    every = store.iter_records("doc", release_every=DOCS_EVERY if release else 0)
    return sorted(({"doc_id": d["doc_id"], "title": d.get("doc_title") or d["doc_id"]} for d in every
                   if d["doc_id"] not in mine and d.get("year_start") is not None and d["year_start"] > max(years)),
                  key=lambda d: d["doc_id"])


def check_review(store: Store, texts: list[str], kind: str | None = None, limit: int = 10,
                 own: list[dict] = (), lock=None, release: bool = False) -> dict:
    """A review's recommendations checked (``recur --check FILE``): ``{"checks": [{"text",
    "verdict", "matches"}], "summary"}``, the items of ``own`` (the review itself, if indexed:
    see :func:`own_documents`) and of the reports dated after it (:func:`later_documents`) left
    out and the summary saying so (``left_out``, ``later_left_out``)."""
    # lazy: recurrence loads numpy and scipy (half a second), which only checking needs
    from search.recur import summary

    lock_ = lock if lock is not None else contextlib.nullcontext()
    with lock_:
        later = later_documents(store, list(own), release=release)
    checks = check_texts(store, texts, kind=kind, limit=limit, lock=lock,
                         exclude_docs=[d["doc_id"] for d in [*own, *later]], release=release)
    result = summary(checks, left_out=[{"doc_id": d["doc_id"], "title": d["title"]} for d in own])
    result["later_left_out"] = later
    return {"checks": checks, "summary": result}


def check_file(store: Store, path, kind: str | None = None, limit: int = 10, name: str | None = None,
               lock=None, include_self: bool = False, worker: DocumentReader | None = None,
               release: bool = False) -> dict:
    """The recommendations of a file, read, checked and cited, with their verdicts and summary
    (see :func:`check_review`); the file's own items are left out unless ``include_self``.
    With ``worker``, a document is read in its reading process."""
    texts = read_checklist(path, name=name, worker=worker)
    if include_self:
        own = []
    else:
        lock_ = lock if lock is not None else contextlib.nullcontext()
        with lock_:
            own = own_documents(store, path, name=name, release=release)
    return check_review(store, texts, kind=kind, limit=limit, own=own, lock=lock, release=release)


class IngestStopped(SgsearchError):
    """The process adding reports ended before it said how it went."""


def _ingest_in_worker(paths: list[str], index_dir: str, queue) -> None:
    """The ingest process's side of :func:`ingest_files`: progress and the outcome go on ``queue``."""
    # lazy: the readers, spaCy's worker and the index writer load only in this process
    from ingest.pipeline import ingest
    from ingest.tagworker import end_with_parent

    end_with_parent()
    try:
        report = ingest(paths, index_dir, progress=lambda *step: queue.put(("progress", step))).to_json()
    except Exception as e:  # noqa: BLE001 - the index busy or unusable: raised again in the caller
        import pickle  # lazy: only an error pays for it

        try:
            pickle.dumps(e)
        except Exception:  # noqa: BLE001 - an error that cannot travel is told by its message
            e = SgsearchError(str(e) or type(e).__name__)
        queue.put(("error", e))
    else:
        queue.put(("done", report))


def ingest_files(paths: list, index_dir, progress: Callable[[str, int, int, str], object] | None = None) -> dict:
    """Ingest ``paths`` into the index at ``index_dir`` in a process of its own (started
    with ``spawn``, as on Windows), so the readers and spaCy never load in the caller (the
    web page); the report as ``ingest --json`` gives it, one line per file that failed.

    ``progress`` is told ingest's steps here, as they happen. Raises
    :class:`~search.errors.SgsearchError` (one line) when the index cannot be written to or
    the process stops before it has finished."""
    # lazy: processes are started by a few commands only; a query starts none
    import multiprocessing
    from queue import Empty

    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    # not a daemon: ingest starts its own tagging worker, which a daemon process may not
    proc = ctx.Process(target=_ingest_in_worker, args=([str(p) for p in paths], str(index_dir), queue),
                       name="sgsearch-ingest")
    proc.start()
    try:
        while True:
            try:
                what, value = queue.get(timeout=0.5)
            except Empty:
                if proc.is_alive():
                    continue
                try:  # it has ended: what it said last may still be on its way
                    what, value = queue.get(timeout=1)
                except Empty:
                    raise IngestStopped(f"adding the reports stopped: the process ended (exit code "
                                        f"{proc.exitcode}) before it had finished") from None
            if what == "progress":
                if progress is not None:
                    progress(*value)
            elif what == "done":
                return value
            else:
                raise value
    finally:
        proc.join(60)


def seeds(store: Store, index: str | None) -> bool:
    """Whether ``store`` is the per-user default index with none there yet (the bundled corpus fills it)."""
    return (not store.exists() and store.root == default_index_dir() and not index
            and not os.environ.get("SGSEARCH_INDEX"))


def open_index(index: str | None, notice: Callable[[str], None] = lambda line: None) -> Store:
    """The index at ``index`` (else ``$SGSEARCH_INDEX``, else the per-user default), ready to answer.

    Only the default per-user index is seeded: with none there yet, the bundled corpus is
    ingested first. An index from an older version is rebuilt from the files it records.
    ``notice`` is told, in a line each, what is being done and which files failed. Raises a
    :class:`~search.errors.SgsearchError` saying what to do when there is no index there."""
    root = resolve_index_dir(index)
    if root.exists() and not root.is_dir():
        raise IndexFolderError(f"{root} is a file, not a folder: give the folder of an index")
    store = Store(root)
    if store.exists() and store.up_to_date():
        return store
    seed = seeds(store, index)
    if not store.exists() and not seed:
        raise IndexMissing(f"no index at {root}: run 'sgsearch ingest PATH --index {root}'" if index else
                           f"no index at {root} ($SGSEARCH_INDEX): run 'sgsearch ingest PATH' to make it")
    # lazy: ingesting loads only when the index must be built
    from corpus import corpus_dir
    from ingest.pipeline import ingest

    what = "building the index" if seed else "the index format changed; rebuilding"
    notice(f"{what} at {root}{' from the bundled corpus (once)' if seed else ''}…")
    report = ingest([corpus_dir()] if seed else [], root)
    for f in report.failed:
        notice(f"{f['path']}: {f['error']}")
    return store
