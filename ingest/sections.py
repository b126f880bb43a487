"""Group blocks into sections: a heading plus the body up to the next heading.

Hierarchical numbers (``2``, ``2.1``, ``2.1.1``) set a heading's level and its place
in the heading path; unnumbered headings take the level their source gave them
(DOCX style, PDF font, Markdown ``#``) or sit one level below the numbered heading
they follow. Text before the first heading is the document's front matter. A paper
boundary (:data:`ingest.blocks.BREAK`) closes the outline so that the next paper
in a board pack starts a fresh heading path.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ingest.blocks import BREAK, HEADING, LIST_ITEM, Block
from ingest.numbering import level_of

FRONT_MATTER = "Front matter"


@dataclass
class Section:
    """One section of a document, before it is given ids, year and themes."""

    ordinal: int
    heading: str
    number: str | None
    level: int
    heading_path: list[str]
    blocks: list[Block] = field(default_factory=list)
    part: int = 0  # index of the embedded part (board pack paper) it belongs to

    @property
    def text(self) -> str:
        """The body text, one block per line (list items keep a bullet)."""
        return "\n".join(_line(b) for b in self.blocks if b.text)

    @property
    def page_start(self) -> int | None:
        """The page the section starts on (its heading's, else its first block's), or None."""
        return self._heading_page if self._heading_page is not None else _first_page(self.blocks)

    @property
    def page_end(self) -> int | None:
        """The last page any of its blocks (or its heading) is on, or None."""
        pages = [b.page for b in self.blocks if b.page is not None]
        if self._heading_page is not None:
            pages.append(self._heading_page)
        return max(pages) if pages else None

    _heading_page: int | None = None

    def page_offsets(self) -> list[tuple[int, int]]:
        """``(char offset in text, page)`` wherever the page changes, for snippet pages."""
        out: list[tuple[int, int]] = []
        pos = 0
        last = None
        for b in self.blocks:
            if not b.text:
                continue
            if b.page is not None and b.page != last:
                out.append((pos, b.page))
                last = b.page
            pos += len(_line(b)) + 1
        return out


def _line(b: Block) -> str:
    return f"• {b.text}" if b.kind == LIST_ITEM else b.text


def _first_page(blocks: list[Block]) -> int | None:
    return next((b.page for b in blocks if b.page is not None), None)


def label(number: str | None, heading: str) -> str:
    """How a heading reads in a path or citation: ``2.1 Somerset Safeguarding…``."""
    return f"{number} {heading}".strip() if number else heading


def build_sections(blocks: list[Block], part_starts: dict[int, int] | None = None) -> list[Section]:
    """Turn a reader's blocks into ordered sections with levels and heading paths.

    ``part_starts`` maps a block index to a part number: that block starts a new
    part (an embedded paper) and is made a top-level heading if it is not one.
    """
    part_starts = part_starts or {}
    sections: list[Section] = []
    stack: list[tuple[int, str]] = []  # (level, label) of open headings
    numbered_level = 0  # level of the last numbered heading, for unnumbered ones after it
    part = 0
    current = Section(0, FRONT_MATTER, None, 1, [FRONT_MATTER])

    def close() -> None:
        if current.blocks or current.heading != FRONT_MATTER:
            sections.append(current)

    for i, b in enumerate(blocks):
        starts_part = i in part_starts
        if starts_part:
            part = part_starts[i]
            stack.clear()
            numbered_level = 0
        if b.kind == BREAK:
            stack.clear()
            numbered_level = 0
            continue
        if b.kind != HEADING and not starts_part:
            current.blocks.append(b)
            continue
        close()
        if starts_part:
            level, number = 1, None
        elif b.number:
            level = level_of(b.number)
            number = b.number
            numbered_level = level
        else:
            number = None
            level = b.level if (b.strong and b.level) else (numbered_level + 1 if numbered_level else 1)
            if b.text.rstrip().endswith(":") and stack and not (b.strong and b.level):
                # "Focus for next year:" introduces part of the section above it
                level = stack[-1][0] + 1
        while stack and stack[-1][0] >= level:
            stack.pop()
        lab = label(number, b.text)
        stack.append((level, lab))
        current = Section(len(sections), b.text, number, level, [s[1] for s in stack], part=part)
        current._heading_page = b.page
    close()
    for n, s in enumerate(sections):
        s.ordinal = n
    return sections

