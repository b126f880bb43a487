"""Items' recurrence tokens, made as the items are written: ``sgsearch recur`` reads them back
from the index generation instead of tokenising every item on its first run. The passages the
sections keep (what they said in passing) are listed the same way (see
:mod:`search.index.passagelist`) and their tokens made with the items': ``recur --check`` reads
the list, never every section."""
from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from search.index.passagelist import LIST_COVERS, LIST_FILE, lists_passages, passage_line, section_passages
from search.index.passagelist import TOKENS_FILE as SAID_TOKENS_FILE
from search.vocab.concepts import TOKENS_FILE, concepts_digest, tokens_line, written_concepts

COVERS = f"{TOKENS_FILE}.json"  # which documents' items each tokens file holds: {file name: [doc ids]}
SAID_COVERS = f"{SAID_TOKENS_FILE}.json"  # the same for the passages' tokens files
# files of :meth:`ItemTokens.files` to write once the commit is done (``Store.writer``'s ``after``):
# the list's record names what the index holds, never what a failed commit would have written
AFTER_COMMIT = (LIST_COVERS,)
_PIECE = 1 << 20  # characters copied at a time from the lines kept aside to the generation's file
EARLIER_RELEASE_EVERY = 20_000  # sections read between two lets-go of the engine's pages (listing an older index)


class _Lines:
    """Lines of a generation file kept aside in a temporary file as they come (memory holds none
    of them), and the documents they are of."""

    def __init__(self):
        self._fh = None
        self.docs: set[str] = set()

    def write(self, line: str, doc_id: str | None) -> None:
        if line:
            if self._fh is None:
                # a new line stays "\n" here; the generation's file is written as text
                self._fh = tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n")
            self._fh.write(line)
        if doc_id:
            self.docs.add(doc_id)

    def __bool__(self) -> bool:
        return self._fh is not None

    def pieces(self) -> Iterator[str]:
        fh, self._fh = self._fh, None
        with fh:
            fh.seek(0)
            while piece := fh.read(_PIECE):
                yield piece

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


def _generation_files(folder: Path | None, prefix: str, covers_name: str, gone: set[str],
                      usable: Callable[[str], bool], new: list[tuple[str, _Lines]], always: bool = False,
                      unnamed_kept: bool = True) -> dict:
    """The files ``prefix-*.tsv`` to write at the commit, and the record ``covers_name`` of which
    documents' lines each holds (written when there is any, or ``always``): the ``new`` ones (their
    text in pieces), and None for each file of ``folder`` (the live generation written into, if it
    is) that no reader can use any more: not ``usable`` by its name, every document it held written
    again or removed (``gone``), or (unless ``unnamed_kept``) not named in the record at all. A file
    that could not be removed (open elsewhere) is named again next time."""
    out: dict[str, object] = {}
    covers: dict[str, list[str]] = {}
    if folder is not None:
        try:
            known = json.loads((folder / covers_name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            known = {}
        known = known if isinstance(known, dict) else {}
        for path in sorted(folder.glob(f"{prefix}-*.tsv")):
            docs = known.get(path.name)
            left = None if not isinstance(docs, list) else sorted(set(map(str, docs)) - gone)
            if not usable(path.name) or left == [] or (left is None and not unnamed_kept):
                out[path.name] = None
                covers[path.name] = []  # removed after the commit; if it cannot be, the next ingest tries again
            elif left is not None:
                covers[path.name] = left
            # else a file with no record (tokens written before there was one) is kept
    for name, lines in new:
        if lines:
            covers[name] = sorted(lines.docs)
            out[name] = lines.pieces()
    if covers or always:
        out[covers_name] = json.dumps(covers, sort_keys=True)
    return out


class ItemTokens:
    """The tokens of the items an ingest writes (see :func:`search.vocab.concepts.written_concepts`),
    and the list of the passages its sections keep with their tokens, kept aside as they come."""

    def __init__(self, taxonomy, kept=None):
        self.concepts = written_concepts(taxonomy, kept)
        self.digest = concepts_digest(self.concepts)
        self._tokens = _Lines()
        self._said_tokens = _Lines()  # the passages' tokens, in files of their own
        self._said = _Lines()  # the passages of the documents this ingest writes
        self._earlier = _Lines()  # those of an index written before passages were listed (see list_earlier)
        self.gone: set[str] = set()  # documents written again or removed: their lines in older files are dead
        self._relisted = False  # every passage of the index listed again (see list_earlier): its older list files are dead

    @property
    def docs(self) -> set[str]:
        """Documents whose items (or passages) this ingest's tokens file holds."""
        return self._tokens.docs

    def add_item(self, item: dict) -> None:
        """Take an item as written (its ``text``, ``heading`` and ``doc_id``)."""
        self._tokens.write(tokens_line(item, self.concepts), item.get("doc_id"))

    def add_section(self, section_id: str, doc_id: str, heading: str | None, said, into: _Lines | None = None) -> None:
        """Take a section as written: its passages (``said``, the ``passages`` it keeps) are listed,
        and their tokens made as an item's (their text and the section's heading), kept apart from the items'."""
        for pid, it in section_passages(section_id, heading, said):
            (self._said if into is None else into).write(passage_line(doc_id, pid, it), doc_id)
            self._said_tokens.write(tokens_line(it, self.concepts), doc_id)

    def add(self, fields: dict) -> None:
        """Take a record's fields as written (an item's, from ``item_to_fields``, or a section's,
        from ``section_to_fields``; others are ignored)."""
        if fields.get("kind") == "item":
            self.add_item({"text": fields.get("item_text"), "heading": (fields.get("cells") or {}).get("heading"),
                           "doc_id": fields.get("doc_id")})
        elif fields.get("kind") == "section":
            self.add_section(fields.get("section_id") or fields.get("id"), fields.get("doc_id"), fields.get("heading"),
                             (fields.get("cells") or {}).get("passages"))

    def list_earlier(self, store) -> None:
        """When the live generation of ``store`` (the one this ingest writes into) lists no passages
        (written before they were listed, its last commit failed, or its list damaged), list those
        its sections keep, reading each section once now so that no later ``recur --check`` has to."""
        folder = store.current_dir()
        if folder is None or lists_passages(folder):
            return
        self._relisted = True
        for r in store.iter_records("section", release_every=EARLIER_RELEASE_EVERY):
            said = (r.get("cells") or {}).get("passages")
            if said:
                self.add_section(r.get("section_id") or r.get("id"), r.get("doc_id"), r.get("heading"), said,
                                 into=self._earlier)

    def drop(self, doc_id: str) -> None:
        """A document written again or removed: older files' lines of its items and passages are no longer used."""
        self.gone.add(doc_id)

    def files(self, folder: Path | None = None) -> dict[str, object]:
        """The generation's files to write at the commit (``Store.writer``'s ``extra``): this
        ingest's tokens file and passage list (their text in pieces), the records of which documents
        each file holds, and None for each file of ``folder`` (the live generation written into, if
        it is) that no reader can use any more: tokens made with other concepts, or every document a
        file held written again or removed. The passages' record is always written: a generation
        holding it lists every passage its sections keep; it is to be written once the commit is done
        (the names :data:`AFTER_COMMIT`)."""
        stamp = time.time_ns()
        self._earlier.docs -= self.gone  # written again or removed in this ingest: listed anew, or not at all
        out: dict[str, object] = {}
        for prefix, covers, lines in ((TOKENS_FILE, COVERS, self._tokens),
                                      (SAID_TOKENS_FILE, SAID_COVERS, self._said_tokens)):
            out.update(_generation_files(folder, prefix, covers, self.gone,
                                         lambda name, prefix=prefix: name.startswith(f"{prefix}-{self.digest}-"),
                                         [(f"{prefix}-{self.digest}-{stamp}.tsv", lines)]))
        # the earlier passages' file named first: a list is read in the order its files were written
        out.update(_generation_files(folder, LIST_FILE, LIST_COVERS, self.gone, lambda name: not self._relisted,
                                     [(f"{LIST_FILE}-{stamp}.tsv", self._earlier),
                                      (f"{LIST_FILE}-{stamp + 1}.tsv", self._said)], always=True,
                                     unnamed_kept=False))  # a list file is read only when its record names it
        return out

    def close(self) -> None:
        """Let go of the lines kept aside (when the ingest ends without writing them)."""
        for lines in (self._tokens, self._said_tokens, self._said, self._earlier):
            lines.close()
