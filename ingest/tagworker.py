"""Theme tagging in a worker process, so that loading spaCy overlaps with parsing.

Importing spaCy and building the tagger take most of a second: on a small ingest, most of
what tagging costs. ``ingest()`` starts the worker (a one-process
:class:`~concurrent.futures.ProcessPoolExecutor` whose initializer builds the tagger) as
soon as it knows a file must be parsed, submits each document's texts as soon as the
document is parsed, and collects the tags in order while it writes the index. The worker
runs the same :class:`ingest.themes.Tagger`, so the tags are exactly those of tagging
in-process. Workers are started with ``spawn`` on every platform, as on Windows.

- If the worker cannot be started, or fails before its tagger is built, tagging runs in
  this process instead (and fails here as it would have, for example without spaCy).
- If it stops later (killed, out of memory, a crash inside spaCy), :meth:`Tagging.result`
  raises :class:`~ingest.blocks.IngestError` with one line saying so. Callers ask for
  results only inside their index writer, so the index is left as it was.
"""
from __future__ import annotations

import gc
import hashlib
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Iterator

from ingest.blocks import IngestError
from search.vocab.taxonomy import Taxonomy, bundled_path, load_taxonomy

Tags = list[dict]  # ThemeTag.to_dict() of each theme found in one text

_tagger = None  # the worker's tagger, built by _initializer


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:200]}" if text else type(exc).__name__


# what the bundled tagging reads besides the user's theme files: the themes and the sentence cues
_VOCABULARY = (bundled_path(), Path(__file__).with_name("cues.toml"))


def vocabulary_stamp() -> str:
    """A short digest of the themes and cues this version of sgsearch tags with. The index
    records it per document, so an ingest after an upgrade can say which documents carry an
    earlier version's tags (``sgsearch ingest --retag`` tags them again)."""
    digest = hashlib.sha256()
    for path in _VOCABULARY:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def section_text(section: dict) -> str:
    """What is tagged of a section (parsed or stored): its heading and its text."""
    return f"{section['heading']}\n{section['text']}"


def theme_evidence(tags: Tags) -> dict[str, dict]:
    """A section's ``theme_evidence``: per theme, its count and the words that matched."""
    return {t["id"]: {"count": t["count"], "evidence": t["evidence"]} for t in tags}


def _tag_with(tagger, texts: list[str]) -> list[Tags]:
    return [[t.to_dict() for t in tags] for tags in tagger.tag_many(texts)]


# -- the worker's side ---------------------------------------------------------------------

def _initializer(taxonomy) -> None:
    """Build the worker's tagger (importing spaCy), once, when the worker starts; the
    worker ends with its parent, however the parent ends (even killed)."""
    global _tagger
    end_with_parent()
    ignore_interrupt()
    # Loading spaCy makes millions of objects and no garbage: no collections while it loads,
    # and those that follow (while tagging) leave what was loaded alone.
    gc.disable()
    try:
        # lazy: spaCy (ingest.themes) loads only in the tagging worker
        from ingest.themes import Tagger

        _tagger = Tagger(taxonomy)
    finally:
        gc.freeze()
        gc.enable()


def end_with_parent() -> None:
    """In a spawned worker process: end it when its parent process ends, however that ends (even killed)."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent.sentinel,), daemon=True).start()


def ignore_interrupt() -> None:
    """In a worker process: leave Ctrl-C to the process that started it, which stops its
    workers (a worker interrupted while it waited printed a traceback, and one interrupted
    in a task went on to the next)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _exit_with(sentinel) -> None:
    multiprocessing.connection.wait([sentinel])  # ready when the parent process has ended
    os._exit(1)


def _ready() -> int:
    """The first task: done once the tagger is built; the worker's pid."""
    return os.getpid()


def _tag(texts: list[str]) -> list[Tags]:
    return _tag_with(_tagger, texts)


# -- the caller's side ---------------------------------------------------------------------

class TagFailed(IngestError):
    """The tagger failed on one batch of texts (one file's): that file fails, the others go on."""


class Tagging:
    """Texts in, tags out, in batches: :meth:`submit` returns a ticket, :meth:`result` its tags.

    Use as a context manager (or call :meth:`close`): the worker is stopped on the way out.
    """

    def __init__(self, taxonomy_files: list[Path] | None = None, taxonomy: Taxonomy | None = None):
        """Tag with ``taxonomy`` (an index's own), else with the bundled themes and ``taxonomy_files``."""
        # TaxonomyError: one line
        self.taxonomy: Taxonomy = taxonomy if taxonomy is not None else load_taxonomy(taxonomy_files)
        self._texts: dict[int, list[str]] = {}  # submitted, tags not yet collected
        self._futures: dict[int, Future] = {}
        self._next = 0
        self.in_process = True  # until the worker has started
        self.worker_pid: int | None = None
        self._pool: ProcessPoolExecutor | None = None
        try:
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_initializer, initargs=(self.taxonomy,))
            self._started = self._pool.submit(_ready)  # starts the worker now: spaCy loads meanwhile
        except (OSError, RuntimeError):  # no process can be started here: tag in this process
            self._pool = None
            return
        self.in_process = False

    def submit(self, texts: list[str]) -> int:
        """Queue texts for tagging; returns the ticket to ask :meth:`result` with."""
        ticket = self._next
        self._next += 1
        self._texts[ticket] = list(texts)
        if not self.in_process:
            try:
                self._futures[ticket] = self._pool.submit(_tag, self._texts[ticket])
            except BrokenProcessPool:
                self._worker_failed()
        return ticket

    def result(self, ticket: int) -> list[Tags]:
        """The tags of each text of a batch (waits for them). Raises :class:`TagFailed` if the
        tagger failed on them, IngestError if the worker stopped."""
        if not self.in_process:
            try:
                tags = self._futures.pop(ticket).result()
                self._texts.pop(ticket, None)
                return tags
            except BrokenProcessPool:
                self._worker_failed()
            except Exception as e:  # the tagger failed on these texts: their file alone fails
                self._texts.pop(ticket, None)
                raise TagFailed(f"theme tagging failed: {_describe(e)}") from None
        # lazy: spaCy (ingest.themes) loads only in the tagging worker
        from ingest.themes import get_tagger

        tagger = get_tagger(self.taxonomy)  # failing to build it (no spaCy) stops the ingest
        try:
            return _tag_with(tagger, self._texts.pop(ticket))
        except Exception as e:
            raise TagFailed(f"theme tagging failed: {_describe(e)}") from None

    def _worker_failed(self) -> None:
        """The worker has gone: before it was ready, tag here instead; after, stop with one line."""
        try:
            self.worker_pid = self._started.result(timeout=0)
        except Exception:  # it never got going
            self.worker_pid = None
        self.close()
        if self.worker_pid is None:
            self.in_process = True
            return
        raise IngestError("theme tagging failed: the tagging process stopped unexpectedly (killed, or out of "
                          "memory); the index was not changed")

    def wait_ready(self) -> None:
        """Wait until the worker's tagger is built (or tagging has fallen back to this process)."""
        if not self.in_process:
            try:
                self.worker_pid = self._started.result()
            except BrokenProcessPool:
                self._worker_failed()

    def tag_later(self, texts: list[str], batch: int = 16) -> Iterator[Tags]:
        """Submit texts now, in batches; the tags of each, in order, as the iterator is consumed."""
        tickets = [self.submit(texts[i:i + batch]) for i in range(0, len(texts), batch)]
        return (tags for ticket in tickets for tags in self.result(ticket))

    def close(self) -> None:
        """Stop the worker (the tags not yet collected are lost)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
            self._futures.clear()

    def __enter__(self) -> Tagging:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
