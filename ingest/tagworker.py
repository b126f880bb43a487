"""Theme tagging in a child process, so that loading spaCy overlaps with parsing and writing.

Importing spaCy and building the tagger take most of a second: on a small ingest, most of
what tagging costs. ``ingest()`` starts the child as soon as it knows a file must be
parsed, sends each document's texts as soon as the document is parsed, and collects the
tags in order while it writes the index. The child runs the same
:class:`ingest.themes.Tagger`, so the tags are exactly those of tagging in-process.

- The child imports spaCy without ``spacy.cli`` (typer, weasel, requests…: about a third
  of spaCy's import time), which only spaCy's own command line uses.
- If the child cannot be started, or stops before its tagger is built, tagging runs in
  this process instead (and fails here as it would have, for example without spaCy).
- If it stops later (killed, out of memory, a crash inside spaCy), :meth:`Tagging.result`
  raises :class:`~ingest.blocks.IngestError` with one line saying so. Callers ask for
  results only inside their index writer, so the index is left as it was.
- The child exits when its input closes, so it never outlives the ingest, even a killed one.
"""
from __future__ import annotations

import gc
import os
import pickle
import queue
import signal
import struct
import subprocess
import sys
import threading
import types
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from ingest.blocks import IngestError

if TYPE_CHECKING:
    from ingest.taxonomy import Taxonomy

Tags = list[dict]  # ThemeTag.to_dict() of each theme found in one text

_HEADER = struct.Struct("<Q")
_BOOT = "import sys; sys.path[:] = sys.argv[1:]; from ingest.tagworker import child_main; child_main()"
_WAIT_S = 5.0


def _send(out, obj) -> None:
    blob = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(_HEADER.pack(len(blob)))
    out.write(blob)
    out.flush()


def _receive(inp):
    """The next message, or None at the end of the stream."""
    head = inp.read(_HEADER.size)
    if len(head) < _HEADER.size:
        return None
    size = _HEADER.unpack(head)[0]
    blob = inp.read(size)
    if len(blob) < size:
        return None
    return pickle.loads(blob)


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:200]}" if text else type(exc).__name__


def section_text(section: dict) -> str:
    """What is tagged of a section (parsed or stored): its heading and its text."""
    return f"{section['heading']}\n{section['text']}"


def theme_evidence(tags: Tags) -> dict[str, dict]:
    """A section's ``theme_evidence``: per theme, its count and the words that matched."""
    return {t["id"]: {"count": t["count"], "evidence": t["evidence"]} for t in tags}


def _tag_with(tagger, texts: list[str]) -> list[Tags]:
    return [[t.to_dict() for t in tags] for tags in tagger.tag_many(texts)]


class Tagging:
    """Texts in, tags out, in batches: :meth:`submit` returns a ticket, :meth:`result` its tags.

    Use as a context manager (or call :meth:`close`): the child is stopped on the way out.
    """

    def __init__(self, taxonomy_files: list[Path] | None = None):
        self._pending: dict[int, list[str]] = {}  # submitted, tags not yet received
        self._done: dict[int, list[Tags]] = {}
        self._next = 0
        self._proc: subprocess.Popen | None = None
        self._ready = False
        self.in_process = True  # until the child has started
        self._start()  # first: the child's start-up is the long part
        try:
            from ingest.taxonomy import load_taxonomy

            self.taxonomy: Taxonomy = load_taxonomy(taxonomy_files)  # TaxonomyError: one line
        except BaseException:
            self.close()
            raise
        if not self.in_process:
            self._outbox.put(self.taxonomy)

    # -- the child ------------------------------------------------------------------------

    def _start(self) -> None:
        if getattr(sys, "frozen", False) or not sys.executable:
            return  # no Python to run the child with: tag in this process
        root = str(Path(__file__).resolve().parent.parent)  # the folder holding this `ingest`
        try:
            # -S: no site initialisation (the path is given); spaCy's warnings are not for users
            self._proc = subprocess.Popen(
                [sys.executable, "-S", "-c", _BOOT, root, *[p for p in sys.path if p != root]],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            )
        except OSError:
            return
        self.in_process = False
        self._outbox: queue.Queue = queue.Queue()
        self._inbox: queue.Queue = queue.Queue()
        # the pipes are fed and drained by threads, so that neither side ever blocks the other
        threading.Thread(target=self._feed, args=(self._proc,), daemon=True).start()
        threading.Thread(target=self._drain, args=(self._proc.stdout,), daemon=True).start()

    def _feed(self, proc: subprocess.Popen) -> None:
        try:
            while (obj := self._outbox.get()) is not None:
                _send(proc.stdin, obj)
        except Exception:  # the child has gone (or this could not be sent: stop it, never hang)
            proc.kill()
        finally:
            try:
                proc.stdin.close()
            except OSError:
                pass

    def _drain(self, pipe) -> None:
        try:
            while (msg := _receive(pipe)) is not None:
                self._inbox.put(msg)
        except Exception:  # a broken pipe or a truncated message: the child has gone
            pass
        finally:
            self._inbox.put(None)
            pipe.close()

    def _exit_detail(self) -> str:
        proc = self._proc
        try:
            code = proc.wait(timeout=_WAIT_S)
        except subprocess.TimeoutExpired:
            return "the tagging process stopped answering"
        if code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            return f"the tagging process was killed ({name})"
        return f"the tagging process stopped unexpectedly (exit status {code})"

    def _child_failed(self, msg) -> None:
        detail = msg[1] if msg else self._exit_detail()
        self._stop()
        if not self._ready:  # it never got going: tag here instead
            self.in_process = True
            return
        raise IngestError(f"theme tagging failed: {detail}; the index was not changed")

    def _stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        self._outbox.put(None)  # closes its input
        proc.kill()  # it holds nothing worth a clean exit, and a clean exit takes spaCy's time
        proc.wait()

    # -- the API ----------------------------------------------------------------------------

    def submit(self, texts: list[str]) -> int:
        """Queue texts for tagging; returns the ticket to ask :meth:`result` with."""
        ticket = self._next
        self._next += 1
        self._pending[ticket] = list(texts)
        if not self.in_process:
            self._outbox.put((ticket, self._pending[ticket]))
        return ticket

    def result(self, ticket: int) -> list[Tags]:
        """The tags of each text of a batch (waits for them). Raises IngestError if the child stopped."""
        while ticket not in self._done:
            if self.in_process:
                from ingest.themes import get_tagger

                tagger = get_tagger(self.taxonomy)
                for t in sorted(self._pending):
                    self._done[t] = _tag_with(tagger, self._pending[t])
                self._pending.clear()
                break
            msg = self._inbox.get()
            if msg is None or msg[0] == "error":
                self._child_failed(msg)
            elif msg[0] == "ready":
                self._ready = True
            else:
                _, t, tags = msg
                self._done[t] = tags
                self._pending.pop(t, None)
        return self._done.pop(ticket)

    def tag_later(self, texts: list[str], batch: int = 16) -> Iterator[Tags]:
        """Submit texts now, in batches; the tags of each, in order, as the iterator is consumed."""
        tickets = [self.submit(texts[i:i + batch]) for i in range(0, len(texts), batch)]
        return (tags for ticket in tickets for tags in self.result(ticket))

    def close(self) -> None:
        """Stop the child (the tags not yet collected are lost)."""
        self._stop()

    def __enter__(self) -> Tagging:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# -- the child's side ------------------------------------------------------------------------

def _import_spacy() -> None:
    """Import spaCy without running its command line's imports (which tagging never uses)."""
    if "spacy" in sys.modules:
        return
    cli = types.ModuleType("spacy.cli")
    cli.__path__ = []
    info = types.ModuleType("spacy.cli.info")

    def _no_info(*args, **kwargs):
        raise RuntimeError("spacy.info() is not available in sgsearch's tagging process")

    info.info = _no_info
    cli.info = info
    sys.modules.update({"spacy.cli": cli, "spacy.cli.info": info})
    try:
        import spacy  # noqa: F401
    finally:
        sys.modules.pop("spacy.cli", None)
        sys.modules.pop("spacy.cli.info", None)


def child_main() -> None:
    """Read a taxonomy, then batches of texts; write back ("ready",), then ("tags", ticket, tags)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the parent, which closes our input
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything printed goes to stderr, never into the messages
    inp = sys.stdin.buffer
    try:
        # Loading spaCy makes millions of objects and no garbage: no collections while it
        # loads, and those that follow (while tagging) leave what was loaded alone.
        gc.disable()
        try:
            _import_spacy()
            from ingest.themes import Tagger

            taxonomy = _receive(inp)
            if taxonomy is None:
                return
            tagger = Tagger(taxonomy)
        except Exception as e:
            _send(out, ("error", _describe(e)))
            return
        finally:
            gc.freeze()
            gc.enable()
        _send(out, ("ready",))
        while (msg := _receive(inp)) is not None:
            ticket, texts = msg
            try:
                tags = _tag_with(tagger, texts)
            except Exception as e:
                _send(out, ("error", _describe(e)))
                return
            _send(out, ("tags", ticket, tags))
    except (BrokenPipeError, KeyboardInterrupt):  # the parent has gone
        pass
