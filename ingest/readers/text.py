"""Read plain text and Markdown reports (as converted from Word/PDF) into blocks.

Each non-blank line is a unit: a numbered or shaped heading, a paragraph, a list item
(bullet glyphs removed) or a table row (tab-separated cells). Conversion artefacts are
cleaned line by line; tables of contents are dropped; form feeds start a new page.
"This page is intentionally left blank" marks a boundary between papers in a pack.
"""
from __future__ import annotations

import re
from pathlib import Path

from ingest.blocks import BREAK, HEADING, LIST_ITEM, PARAGRAPH, TABLE_ROW, Block, IngestError, ReadResult
from ingest.clean import clean_inline, strip_bullet
from ingest.numbering import follows, level_of, number_key, split_number
from ingest.shape import (
    case_shape,
    is_body,
    is_contents_entry,
    is_contents_heading,
    looks_like_heading,
)

_BLANK_PAGE = re.compile(r"^\W*this page (?:is |has been )?(?:intentionally|deliberately) (?:left )?blank\W*$", re.I)
_TOC_BOOKMARK = re.compile(r"\[bookmark:\s*_Toc", re.I)
_BOLD_LINE = re.compile(r"^\s*(?:\[bookmark:[^\]]*\])?(?P<num>\d{1,3}\.?\s+)?\*\*(?P<bold>[^*]+?)\*\*(?P<tail>[^*]*)$")
_TOC_OUTSIDE = re.compile(r"^\s*\S.{0,100}?(?:\.{4,}|…{2,}|\s-?\t?\s*Page)\s*\d{1,3}\s*$")
_LINK_LINE = re.compile(r"^\[[^\]]*\]\([^)]*\)")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")  # closing hashes are stripped after: "(.*?)\s*#*\s*$" was quadratic
_BARE_NUMBER = re.compile(r"^\s*\d{1,2}(?:\.\d{1,2})*\.?\s*$")
_STATUS_ONLY = re.compile(
    r"^(?:achieved(?: and ongoing)?|ongoing|complete[d]?|in progress|not started|partially achieved|"
    r"on track|delayed|red|amber|green|closed|open)$",
    re.I,
)
# A numbered line is a heading when it is short; longer ones are numbered body paragraphs.
_MAX_NUMBERED_HEADING_WORDS = 16


def decode(data: bytes) -> str:
    """Decode text bytes (UTF-8, with or without BOM, else Windows-1252); refuse binary data."""
    head = data[:4096]
    if b"\x00" in head:
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            return data.decode("utf-16", errors="replace")  # an odd last byte must not crash
        raise IngestError("not a text file: the content is binary")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    sample = text[:4096]
    bad = sum(1 for c in sample if (ord(c) < 32 and c not in "\t\n\r\f") or c == "\ufffd")
    if sample and bad / len(sample) > 0.05:
        raise IngestError("not a text file: the content is binary")
    return text


def _split_cells(raw: str) -> list[str]:
    return [clean_inline(c) for c in raw.split("\t")]


def read_text(path: Path) -> ReadResult:
    """Read a .txt/.md file into blocks (pages only when the file has form feeds)."""
    text = decode(Path(path).read_bytes())
    return parse_text(text)


def parse_text(text: str) -> ReadResult:
    """Turn the text of a converted report into blocks."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    pages = text.split("\f")
    paged = len(pages) > 1
    lines: list[tuple[str, int | None]] = []
    for pno, page in enumerate(pages, start=1):
        for line in page.split("\n"):
            lines.append((line, pno if paged else None))
        lines.append(("", pno if paged else None))

    blocks: list[Block] = []
    in_toc = False
    blank_before = True
    last_num: str | None = None
    tab_group: Block | None = None  # a row being assembled from one-cell lines
    for raw, page in lines:
        if not raw.strip():
            blank_before = True
            continue
        raw = raw.rstrip()
        cleaned = clean_inline(raw)
        if in_toc:
            if "\t" in raw or is_contents_entry(raw) or _BARE_NUMBER.match(cleaned) or not cleaned:
                continue
            in_toc = False
        if not cleaned:
            continue
        if (
            tab_group is not None
            and not blank_before
            and raw.startswith("\t")
            and len([c for c in raw.split("\t") if c.strip()]) == 1
        ):
            # Word tables converted one cell per line ("\tObjective" / "\tONGOING",
            # "\t554" / "\tRisk of…" / "\t9"): the lines of one row have no blank between
            tab_group.cells.append(cleaned)
            tab_group.text = "; ".join(tab_group.cells)
            continue
        tab_group = None
        if is_contents_heading(cleaned):
            in_toc = True
            continue
        if _TOC_OUTSIDE.search(raw):
            # a contents line without a "Contents" heading: dotted leaders or "Page N"
            continue
        if _BLANK_PAGE.match(cleaned):
            blocks.append(Block(BREAK, "", page))
            blank_before = True
            last_num = None
            continue
        if _BARE_NUMBER.match(cleaned):
            # an empty numbered heading such as "2.2 " carries nothing to keep
            continue
        if not blank_before and blocks and _continues(blocks[-1], cleaned, raw):
            _append(blocks[-1], cleaned)
            continue
        block = _classify(raw, cleaned, page, last_num)
        if block.kind == HEADING and not block.number and not blank_before and not _TOC_BOOKMARK.search(raw):
            block.kind = PARAGRAPH
        if _TOC_BOOKMARK.search(raw) and block.kind in (HEADING, PARAGRAPH) and looks_like_heading(block.text):
            # Word marks every heading listed in its table of contents with a _Toc bookmark
            block.kind, block.strong = HEADING, True
        if block.kind == HEADING and block.number and blocks:
            prev = blocks[-1]
            if (prev.number and prev.kind in (HEADING, LIST_ITEM) and level_of(prev.number) == level_of(block.number)
                    and (not blank_before or _next_point(prev, block))):
                # "1. What we did / 2. How well we did it" on adjacent lines, or sentences numbered
                # one after another with nothing under them: a numbered list
                prev.kind = block.kind = LIST_ITEM
                prev.text = f"{prev.number}. {prev.text}" if not prev.text.startswith(prev.number) else prev.text
                block.text = f"{block.number}. {block.text}"
            elif prev.kind == PARAGRAPH and _next_point(prev, block):
                # the point after a numbered paragraph is a numbered paragraph too
                block.kind, block.level, block.text = PARAGRAPH, None, f"{block.number} {block.text}"
        blocks.append(block)
        if block.kind == TABLE_ROW and raw.startswith("\t") and len(block.cells) == 1:
            tab_group = block
        if block.kind == HEADING and block.number:
            last_num = block.number
        elif block.kind == BREAK:
            last_num = None
        blank_before = False

    blocks = _confirm_shaped_headings(blocks)
    blocks = _attach_status_rows(blocks)
    if not any(b.text for b in blocks):
        raise IngestError("no text found in the file")
    return ReadResult(blocks=blocks, pages=len(pages) if paged else None, fmt="txt")


def _classify(raw: str, cleaned: str, page: int | None, last_num: str | None = None) -> Block:
    md = _MD_HEADING.match(raw.strip())
    if md:
        text = clean_inline(md.group(2).rstrip().rstrip("#").rstrip())
        number, rest = split_number(text)
        return Block(HEADING, rest if number else text, page, level=len(md.group(1)), number=number, strong=True)
    stripped = raw.strip()
    bold = _BOLD_LINE.match(raw)
    if bold and len(bold.group("bold")) >= 0.5 * len(cleaned) and len(cleaned) <= 120 and not is_body(cleaned):
        # a line set wholly (or mostly) in bold in the source: a styled heading
        num = (bold.group("num") or "").strip().rstrip(".")
        if num and len(num) <= 2:
            rest = clean_inline(bold.group("bold") + bold.group("tail"))
            return Block(HEADING, rest, page, level=level_of(num), number=num, strong=True)
        return Block(HEADING, cleaned, page, strong=True)
    had_bullet, rest = strip_bullet(raw)
    if had_bullet:
        rest = clean_inline(rest)
        # "- 2.2** The number of…": a numbered paragraph behind a stray bullet
        return Block(LIST_ITEM, rest, page)
    if "\t" in raw.strip() or raw.startswith("\t"):
        cells = _split_cells(raw)
        nonempty = [c for c in cells if c]
        # "2.1<TAB>Heading" or "1.1<TAB>Body…": a number then text, not a table
        if cells[0] and _BARE_NUMBER.match(cells[0]) and len(nonempty) == 2:
            line = f"{cells[0].rstrip('.')} {nonempty[1]}"
            return _numbered(line, page, _follows(last_num, line))
        if len(nonempty) == 1 and raw.startswith("\t"):
            return Block(TABLE_ROW, nonempty[0], page, cells=nonempty)
        if len(nonempty) >= 2:
            return Block(TABLE_ROW, "; ".join(nonempty), page, cells=nonempty)
    num, rest = split_number(cleaned)
    if num:
        return _numbered(cleaned, page, _follows(last_num, cleaned))
    if looks_like_heading(cleaned) and not _LINK_LINE.match(stripped):
        return Block(HEADING, cleaned, page)
    return Block(PARAGRAPH, cleaned, page)


def _next_point(prev: Block, block: Block) -> bool:
    """Two numbered lines one after the other (2 after 1), both written as sentences, not
    styled as headings: points of a list, not headings of sections left empty."""
    if not (prev.number and block.number) or prev.strong or block.strong:
        return False
    have, want = number_key(prev.number), number_key(block.number)
    text = prev.text.removeprefix(prev.number).lstrip(". ") if prev.kind != HEADING else prev.text
    return (have[:-1] == want[:-1] and want[-1] == have[-1] + 1
            and all(case_shape(t) in ("sentence", "lower") and len(t.split()) >= 3 for t in (text, block.text)))


def _follows(last_num: str | None, line: str) -> bool:
    num, _ = split_number(line)
    return bool(num) and follows(last_num, num)


def _continues(prev: Block, cleaned: str, raw: str) -> bool:
    """A line that carries on the previous one (a paragraph broken mid-sentence)."""
    if prev.kind not in (PARAGRAPH, LIST_ITEM, HEADING) or "\t" in raw:
        return False
    if not cleaned[:1].islower() or strip_bullet(raw)[0]:
        return False
    if prev.kind == HEADING and not prev.number:
        return False
    return not prev.text.rstrip().endswith((".", "!", "?", ":"))


def _append(prev: Block, cleaned: str) -> None:
    if prev.kind == HEADING:
        prev.kind = PARAGRAPH
        prev.text = f"{prev.number} {prev.text}" if prev.number else prev.text
        prev.level = None
    prev.text = f"{prev.text} {cleaned}"


def _numbered(cleaned: str, page: int | None, expected: bool = False) -> Block:
    num, rest = split_number(cleaned)
    if num is None:
        return Block(PARAGRAPH, cleaned, page)
    n_words = len(rest.split())
    # a number that continues the outline ("6" after "5.11") lets a longer
    # sentence-case heading through
    shape = "title" if expected else case_shape(rest)
    headingish = (
        n_words <= _MAX_NUMBERED_HEADING_WORDS
        and not rest.rstrip().endswith((".", ",", ";"))
        and rest[:1].isupper()
        and not (shape == "sentence" and n_words > 12)
        and not (rest.rstrip().endswith(":") and n_words > 3)
    )
    if headingish:
        return Block(HEADING, rest, page, level=level_of(num), number=num)
    # a numbered body paragraph keeps its number in the text, so it can be cited
    return Block(PARAGRAPH, f"{num} {rest}", page, number=num)


def _confirm_shaped_headings(blocks: list[Block]) -> list[Block]:
    """Keep an unnumbered, unstyled heading only if body text follows it.

    Inside a numbered report (after its first numbered heading, until a paper
    boundary) only title-case or capitals lines may be unnumbered sub-headings.
    """
    out = []
    numbered = False
    for i, b in enumerate(blocks):
        if b.kind == BREAK:
            numbered = False
        elif b.kind == HEADING and b.number:
            numbered = True
        if b.kind == HEADING and not b.number and not b.strong:
            if numbered and case_shape(b.text) not in ("title", "upper"):
                b.kind = PARAGRAPH
                out.append(b)
                continue
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            ok = nxt is not None and (
                nxt.kind in (LIST_ITEM, TABLE_ROW)
                or (nxt.kind == PARAGRAPH and (is_body(nxt.text) or nxt.number is not None))
            )
            if not ok:
                b.kind = PARAGRAPH
        out.append(b)
    # a run of one-line "paragraphs" that were heading-shaped stays as body text
    return out


def _attach_status_rows(blocks: list[Block]) -> list[Block]:
    """Join a status-only row (ONGOING, ACHIEVED…) to the row it belongs to."""
    out: list[Block] = []
    for b in blocks:
        if (
            b.kind in (TABLE_ROW, PARAGRAPH)
            and _STATUS_ONLY.match(b.text)
            and out
            and out[-1].kind == TABLE_ROW
            and len(out[-1].cells) == 1
        ):
            prev = out[-1]
            prev.cells.append(b.text)
            prev.text = f"{prev.text}; {b.text}"
            continue
        out.append(b)
    return out
