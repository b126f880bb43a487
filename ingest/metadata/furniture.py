"""Page and portal furniture: lines that are no part of a document ("Skip to content",
"Agenda item"), and a list of other documents a page shows beside its own."""
from __future__ import annotations

from ingest.blocks import Block
from ingest.metadata.ruledata import rules

MAX_FURNITURE = 160  # characters: a longer line is never furniture


def own_blocks(blocks: list[Block]) -> list[Block]:
    """The blocks that are the document's own: a list of other documents a page shows beside it
    ("Similar documents", "Related publications") is left out, up to where the document's own
    text starts again ("Transcription")."""
    r = rules()
    out, skipping = [], False
    for b in blocks:
        line = b.text.strip()
        if r.related.match(line):
            skipping = True
        elif skipping and r.resume.match(line):
            skipping = False
        elif not skipping:
            out.append(b)
    return out


def is_furniture(line: str) -> bool:
    """A line of page or portal furniture ("Skip to content", "Agenda item", "Contact: …")."""
    line = (line or "").strip()
    # furniture is short; body paragraphs are not worth the patterns' time
    return bool(line) and len(line) <= MAX_FURNITURE and bool(rules().furniture.match(line))
