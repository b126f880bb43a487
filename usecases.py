"""What the command line and the web page both do in several steps, said once.

- Checking a new review's recommendations (``sgsearch recur --check FILE``, the Recurring
  page's file check): read the file (a ``.txt`` or ``.md`` file holds one recommendation
  per line, bullets and numbers dropped; any other document sgsearch reads is parsed and
  its items taken), tag the texts with the index's themes in the tagging worker process
  (as ingest tags, so spaCy never loads in the caller), check them against the index and
  cite each match.
- Opening the index a command answers from: the per-user default index, when there is
  none yet, is seeded with the bundled corpus; an index from an older version is rebuilt
  from the files it records.
"""
from __future__ import annotations

import contextlib
import importlib
import os
import re
import threading
from pathlib import Path
from typing import Callable

from search.cite import cite_items
from search.errors import SgsearchError
from search.index.store import IndexFolderError, IndexMissing, Store, default_index_dir, resolve_index_dir
from search.vocab.taxonomy import Taxonomy, load_taxonomy

_BULLET = re.compile(r"^\s*(?:[-*•·❑]|\(?\d{1,3}[.)]|\(?[a-z][.)]|recommendation\s*\d*\s*[:.])\s*", re.I)
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


def read_checklist(path, name: str | None = None) -> list[str]:
    """The recommendations in ``path``: one per line of a text file, or a document's items.

    ``name`` is what messages call the file (an uploaded file's own name; default the path)."""
    path = Path(path)
    name = name or str(path)
    if path.suffix.lower() in TEXT_SUFFIXES:
        try:
            lines = path.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as e:
            raise ChecklistError(f"{name}: cannot read it as text: {getattr(e, 'strerror', None) or e}") from e
        texts = [_BULLET.sub("", ln).strip() for ln in lines]
        texts = [t for t in texts if len(t.split()) >= 1]
    else:
        # lazy: every command opens the index through this module; only a document to check needs the readers
        from ingest.document import parse_file
        from ingest.items import extract_items

        try:
            texts = [i["text"] for i in extract_items(parse_file(path))]
        except Exception as e:  # noqa: BLE001 - any reader failure is the file's problem, said in one line
            raise ChecklistError(f"{name}: cannot read it: {' '.join(str(e).split()) or type(e).__name__}") from e
    if not texts:
        raise ChecklistError(f"{name}: no recommendations found (a .txt file needs one per line)")
    return texts


class TaggingWorker:
    """A tagging worker process kept for many batches of texts (the web page keeps one, so
    spaCy loads once, in the worker); :meth:`close` stops it."""

    def __init__(self):
        self._lock = threading.Lock()  # one batch at a time: a Tagging serves one caller
        self._key: str | None = None  # the fingerprint of the taxonomy the worker tags with
        self._tagging = None

    def tag(self, texts: list[str], taxonomy: Taxonomy,
            meanwhile: Callable[[], object] | None = None) -> list[list[str]]:
        """The theme ids of each text; ``meanwhile`` runs here while a new worker loads spaCy."""
        # lazy: the worker's machinery loads only when something is tagged
        from ingest.tagworker import Tagging

        with self._lock:
            if self._tagging is None or self._key != taxonomy.fingerprint():
                self._stop()
                self._tagging, self._key = Tagging(taxonomy=taxonomy), taxonomy.fingerprint()
            try:
                pending = self._tagging.tag_later(texts)
                if meanwhile is not None:
                    meanwhile()
                return [[t["id"] for t in tags] for tags in pending]
            except BaseException:  # the worker stopped (killed, out of memory): the next batch starts another
                self._stop()
                raise

    def _stop(self) -> None:
        if self._tagging is not None:
            self._tagging.close()
        self._tagging = self._key = None

    def close(self) -> None:
        """Stop the worker."""
        with self._lock:
            self._stop()


def tag_texts(texts: list[str], taxonomy: Taxonomy | None = None,
              meanwhile: Callable[[], object] | None = None,
              worker: TaggingWorker | None = None) -> list[list[str]]:
    """The theme ids of each text, tagged in the tagging worker process as ingest tags them
    (in this process only when no worker can be started); empty lists without spaCy.
    ``worker`` is one kept for later texts (else one is started for these and stopped);
    ``meanwhile`` runs here while a new worker loads spaCy."""
    taxonomy = taxonomy if taxonomy is not None else load_taxonomy()
    own = worker is None
    worker = TaggingWorker() if own else worker
    try:
        return worker.tag(texts, taxonomy, meanwhile)
    except ImportError:  # pragma: no cover - spaCy missing: check by words alone
        return [[] for _ in texts]
    finally:
        if own:
            worker.close()


def check_texts(store: Store, texts: list[str], kind: str | None = None, limit: int = 10,
                lock=None, worker: TaggingWorker | None = None) -> list[dict]:
    """Each text (a new review's recommendations) against the index, as ``recur --check`` does it:
    tagged with the index's themes, its earlier matches best first, each match cited.
    ``[{"text", "matches": [item + "score", "why", "citation"]}]`` in the order given.

    ``lock`` (the web page's, around the index) is held while the index is read, never
    while the texts are tagged, so other pages are answered meanwhile; ``worker`` is a
    :class:`TaggingWorker` kept for later checks (else one is started for this one)."""
    lock = lock if lock is not None else contextlib.nullcontext()
    with lock:
        taxonomy = store.taxonomy()
    # recurrence (numpy, scipy: half a second) loads here while a new worker loads spaCy
    tags = tag_texts(texts, taxonomy, meanwhile=lambda: importlib.import_module("search.recur"), worker=worker)
    # lazy: only checking needs recurrence (loaded just above, while tagging)
    from search.recur import check_many

    with lock:
        checks = check_many(store, texts, tags, limit=limit, kind=kind)
        cite_items(store, [m for c in checks for m in c["matches"]])
    return checks


def check_file(store: Store, path, kind: str | None = None, limit: int = 10, name: str | None = None,
               lock=None) -> list[dict]:
    """The recommendations of a file, read, tagged, checked and cited (see :func:`check_texts`)."""
    return check_texts(store, read_checklist(path, name=name), kind=kind, limit=limit, lock=lock)


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
