"""Generate PDFs laid out as reports are published: columns, sidebars, turned pages, furniture.

Each writer returns the path it wrote; the text it drew is built from ``words(n, seed)``
so that tests and the benchmark can compare what comes out with what went in.
"""
from __future__ import annotations

import io
import random
from pathlib import Path

from tests import docgen

_VOCAB = (
    "partnership children families neglect assessment practitioners review learning health "
    "police school referral safeguarding agencies audit supervision fathers carers housing "
    "exploitation training board report priorities outcomes evidence escalation chronology "
    "voice child early help domestic abuse pre-birth protocol threshold strategy meeting "
    "multi-agency plan education nursery midwife visitor rapid local authority court"
).split()


def words(n: int, seed: int) -> list[str]:
    """``n`` lower-case words drawn from a fixed vocabulary (the same for the same seed)."""
    rng = random.Random(seed)
    return [rng.choice(_VOCAB) for _ in range(n)]


def _pdf(format="A4"):
    from fpdf import FPDF

    pdf = FPDF(format=format, unit="pt")
    pdf.core_fonts_encoding = "windows-1252"  # for the ellipsis, dashes and the copyright sign
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", "", 10)
    return pdf


def _wrap(pdf, text_words: list[str], width: float) -> list[str]:
    return docgen._wrap(pdf, " ".join(text_words), width)


def write_columns(path, columns: int = 2, lines_per_column: int = 30, seed: int = 1, interleave: bool = False,
                  gutter: float = 18.0, title: str | None = "Annual Report of the Partnership",
                  pages: int = 1) -> tuple[Path, list[str]]:
    """A page (or pages) of ``columns`` columns of wrapped text under a full-width title.

    With ``interleave`` the content stream draws the columns line by line across the
    page, as forms and some layout programs do. Returns the path and, per page, the
    text in reading order (title, then each column top to bottom).
    """
    pdf = _pdf()
    margin = 50.0
    col_w = (pdf.w - 2 * margin - (columns - 1) * gutter) / columns
    texts = []
    for page in range(pages):
        pdf.add_page()
        y0 = 80.0
        read: list[str] = []
        if title:
            # each page its own title: one repeated at the top of every page is a running header
            heading = title if page == 0 else f"{title}: " + " ".join(words(2, seed * 100 + page)).title()
            pdf.set_font("Helvetica", "B", 16)
            pdf.text(margin, 60, heading)
            read.append(heading)
        pdf.set_font("Helvetica", "", 10)
        cols = []
        for c in range(columns):
            ws = words(lines_per_column * 12, seed * 1000 + page * 10 + c)
            cols.append(_wrap(pdf, ws, col_w)[:lines_per_column])
        for c in range(columns):
            read.extend(cols[c])
        order = ([(i, c) for i in range(lines_per_column) for c in range(columns)] if interleave
                 else [(i, c) for c in range(columns) for i in range(lines_per_column)])
        for i, c in order:
            if i < len(cols[c]):
                pdf.text(margin + c * (col_w + gutter), y0 + 12 * (i + 1), cols[c][i])
        texts.append(" ".join(read))
    path = Path(path)
    pdf.output(str(path))
    return path, texts


def write_turned(path, angle: int, rotate_page: int = 0, n_lines: int = 20, seed: int = 3) -> tuple[Path, str]:
    """A page whose text is drawn turned by ``angle`` degrees (counter-clockwise), saved with ``/Rotate``.

    Returns the path and the text drawn, in reading order.
    """
    import pypdfium2 as pdfium

    pdf = _pdf()
    pdf.add_page()
    lines = _wrap(pdf, words(n_lines * 11, seed), 400)[:n_lines]
    cx, cy = pdf.w / 2, pdf.h / 2
    with pdf.rotation(angle, x=cx, y=cy):
        pdf.set_font("Helvetica", "B", 14)
        pdf.text(cx - 200, cy - 200, "1 Turned Heading")
        pdf.set_font("Helvetica", "", 10)
        for i, line in enumerate(lines):
            pdf.text(cx - 200, cy - 180 + 13 * i, line)
    path = Path(path)
    pdf.output(str(path))
    if rotate_page:
        doc = pdfium.PdfDocument(str(path))
        try:
            doc[0].set_rotation(rotate_page)
            doc.save(str(path) + ".tmp")
        finally:
            doc.close()
        Path(str(path) + ".tmp").replace(path)
    return path, " ".join(lines)


def write_lines(path, pages: list[list[tuple[str, float, str, float]]], format="A4") -> Path:
    """Draw exact lines: per page, a list of ``(style, size, text, y)`` at the left margin.

    ``style`` is ``""`` or ``"B"``; a text holding a tab is drawn as cells 150 pt apart.
    """
    pdf = _pdf(format)
    for lines in pages:
        pdf.add_page()
        for style, size, text, y in lines:
            pdf.set_font("Helvetica", style, size)
            for i, part in enumerate(text.split("\t")):
                pdf.text(60 + 150 * i, y, part)
    path = Path(path)
    pdf.output(str(path))
    return path


SCAN_LINES = [(64, "1 Introduction"), (34, "The partnership audited neglect cases and found"),
              (34, "that chronologies were not kept up to date.")]


def write_stamped_scan(path: Path, stamp: str | None = "Page 1", cover: float = 1.0) -> Path:
    """A page-sized scan (an image of text, ``cover`` of the page tall) with ``stamp`` as real text."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (1654, int(2339 * cover)), 255)
    draw = ImageDraw.Draw(image)
    y = 200
    for size, text in SCAN_LINES:
        draw.text((160, y), text, fill=0, font=ImageFont.load_default(size=size))
        y += int(size * 1.8)
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    pdf = FPDF(format="A4", unit="mm")
    pdf.add_page()
    pdf.image(buf, x=0, y=0, w=210, h=297 * cover)
    if stamp:
        pdf.set_font("Helvetica", size=9)
        pdf.text(95, 290, stamp)
    pdf.output(str(path))
    return path
