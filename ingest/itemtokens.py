"""Items' recurrence tokens, made as the items are written: ``sgsearch recur`` reads them back
from the index generation instead of tokenising every item on its first run."""
from __future__ import annotations

import time

from search.vocab.concepts import TOKENS_FILE, concepts_digest, tokens_line, written_concepts


class ItemTokens:
    """The tokens of the items an ingest writes (see :func:`search.vocab.concepts.written_concepts`)."""

    def __init__(self, taxonomy, kept=None):
        self.concepts = written_concepts(taxonomy, kept)
        self.lines: list[str] = []

    def add_item(self, item: dict) -> None:
        """Take an item as written (its ``text`` and ``heading``)."""
        self.lines.append(tokens_line(item, self.concepts))

    def add(self, fields: dict) -> None:
        """Take a record's fields as written (an item's, from ``item_to_fields``; others are ignored)."""
        if fields.get("kind") == "item":
            self.add_item({"text": fields.get("item_text"), "heading": (fields.get("cells") or {}).get("heading")})

    def file(self) -> tuple[str, str] | None:
        """(name, text) of the generation's file holding them, or None when no item was written."""
        if not any(self.lines):
            return None
        return f"{TOKENS_FILE}-{concepts_digest(self.concepts)}-{time.time_ns()}.tsv", "".join(self.lines)
