"""Items' recurrence tokens, made as the items are written: ``sgsearch recur`` reads them back
from the index generation instead of tokenising every item on its first run."""
from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from search.vocab.concepts import TOKENS_FILE, concepts_digest, tokens_line, written_concepts

COVERS = f"{TOKENS_FILE}.json"  # which documents' items each tokens file holds: {file name: [doc ids]}
_PIECE = 1 << 20  # characters copied at a time from the lines kept aside to the generation's file


class ItemTokens:
    """The tokens of the items an ingest writes (see :func:`search.vocab.concepts.written_concepts`),
    kept aside in a temporary file as they come (memory holds none of them)."""

    def __init__(self, taxonomy, kept=None):
        self.concepts = written_concepts(taxonomy, kept)
        self.digest = concepts_digest(self.concepts)
        self._fh = None
        self.docs: set[str] = set()  # documents whose items this ingest's file holds
        self.gone: set[str] = set()  # documents written again or removed: their lines in older files are dead

    def add_item(self, item: dict) -> None:
        """Take an item as written (its ``text``, ``heading`` and ``doc_id``)."""
        line = tokens_line(item, self.concepts)
        if line:
            if self._fh is None:
                # a new line stays "\n" here; the generation's file is written as text, as before
                self._fh = tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n")
            self._fh.write(line)
        if item.get("doc_id"):
            self.docs.add(item["doc_id"])

    def add(self, fields: dict) -> None:
        """Take a record's fields as written (an item's, from ``item_to_fields``; others are ignored)."""
        if fields.get("kind") == "item":
            self.add_item({"text": fields.get("item_text"), "heading": (fields.get("cells") or {}).get("heading"),
                           "doc_id": fields.get("doc_id")})

    def drop(self, doc_id: str) -> None:
        """A document written again or removed: older files' lines of its items are no longer used."""
        self.gone.add(doc_id)

    def files(self, folder: Path | None = None) -> dict[str, object]:
        """The generation's files to write at the commit (``Store.writer``'s ``extra``): this
        ingest's tokens file (its text in pieces), the record of which documents each file holds,
        and None for each file of ``folder`` (the live generation written into, if it is) that no
        reader can use any more: made with other concepts, or every document it held written again
        or removed. A file that could not be removed (open elsewhere) is named again next time."""
        out: dict[str, object] = {}
        covers: dict[str, list[str]] = {}
        if folder is not None:
            try:
                known = json.loads((folder / COVERS).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                known = {}
            known = known if isinstance(known, dict) else {}
            for path in sorted(folder.glob(f"{TOKENS_FILE}-*.tsv")):
                docs = known.get(path.name)
                left = None if not isinstance(docs, list) else sorted(set(map(str, docs)) - self.gone)
                if not path.name.startswith(f"{TOKENS_FILE}-{self.digest}-") or left == []:
                    out[path.name] = None
                    covers[path.name] = []  # removed after the commit; if it cannot be, the next ingest tries again
                elif left is not None:
                    covers[path.name] = left
                # a file with no record (written before there was one) is kept
        if self._fh is not None:
            name = f"{TOKENS_FILE}-{self.digest}-{time.time_ns()}.tsv"
            out[name] = self._pieces()
            covers[name] = sorted(self.docs)
        if covers:
            out[COVERS] = json.dumps(covers, sort_keys=True)
        return out

    def _pieces(self) -> Iterator[str]:
        fh, self._fh = self._fh, None
        with fh:
            fh.seek(0)
            while piece := fh.read(_PIECE):
                yield piece

    def close(self) -> None:
        """Let go of the lines kept aside (when the ingest ends without writing them)."""
        if self._fh is not None:
            self._fh.close()
            self._fh = None
