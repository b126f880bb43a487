"""OCR for scanned PDF pages: render with pypdfium2, read words with Tesseract.

Tesseract is a system program (``tesseract-ocr``), optional: :func:`available` says
whether it is installed. A page is rendered at 200 dpi, Tesseract's words come back
with their boxes, and each becomes a :class:`ingest.readers.pdf_text.Piece` in PDF
points, so an OCR'd page goes through the same line, column and heading logic as a
page with a text layer. A word's font size is estimated from its line's height.
"""
from __future__ import annotations

import shutil

from ingest.blocks import IngestError
from ingest.readers.pdf_text import Piece

DPI = 200
MODES = ("auto", "always", "never")
INSTALL = ("install Tesseract OCR to read it (Windows: the UB Mannheim installer, "
           "https://github.com/UB-Mannheim/tesseract/wiki; Debian/Ubuntu: apt-get install tesseract-ocr)")
# A line box is about this many times the font size tall (ascenders and descenders).
_LINE_TO_SIZE = 1.2
_MIN_CONF = 10  # words Tesseract itself doubts (noise, specks) are dropped


def available() -> bool:
    """True when the ``tesseract`` program can be run."""
    # lazy: optional; only scanned pages need it
    import pytesseract

    cmd = pytesseract.pytesseract.tesseract_cmd
    return shutil.which(cmd) is not None


def page_pieces(page, height: float, dpi: int = DPI) -> list[Piece]:
    """The words Tesseract reads on one pdfium page, in PDF points (y up)."""
    # lazy: optional; only scanned pages need it
    import pytesseract

    image = page.render(scale=dpi / 72).to_pil()
    try:
        data = pytesseract.image_to_data(image, output_type=pytesseract.Output.DICT)
    except pytesseract.TesseractNotFoundError:
        raise IngestError("scanned PDF: " + INSTALL) from None
    except (pytesseract.TesseractError, RuntimeError) as e:
        raise IngestError(f"OCR failed: {str(e).strip().splitlines()[0][:120] if str(e).strip() else 'Tesseract error'}") from None
    finally:
        image.close()
    k = 72 / dpi
    lines: dict[tuple, tuple[float, float]] = {}
    for i, level in enumerate(data["level"]):
        if level == 4:  # a line: its box sets the baseline and size of its words
            key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
            lines[key] = (data["top"][i] * k, data["height"][i] * k)
    out: list[Piece] = []
    for i, level in enumerate(data["level"]):
        text = (data["text"][i] or "").strip()
        if level != 5 or not text or float(data["conf"][i]) < _MIN_CONF:
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        top, h = lines.get(key, (data["top"][i] * k, data["height"][i] * k))
        size = round(h / _LINE_TO_SIZE * 2) / 2
        x0 = data["left"][i] * k
        piece = Piece(x0, height - (top + h), height - top, size, False, True, len(out), 0)
        piece.x1 = x0 + data["width"][i] * k
        piece.chars = list(text)
        piece.sizes[size] = len(text)
        out.append(piece)
    return out
