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
# A page is a scan to read by OCR when images cover at least this share of it ...
SCAN_IMAGE_COVER = 0.5
# ... and its text layer covers less than this share: a page number, a running header or a
# stamp put on a scanned page (a line of 10 pt text across an A4 page is about 1.5%). A page
# whose text layer came from an earlier OCR covers far more, and is read as it is.
SCAN_TEXT_COVER = 0.03


def is_scan(text_cover: float, image_cover: float) -> bool:
    """Whether a page whose text layer covers ``text_cover`` of it and images ``image_cover``
    (shares of the page's area, 0-1) is a scan that only OCR can read."""
    return text_cover <= 0 or (image_cover >= SCAN_IMAGE_COVER and text_cover < SCAN_TEXT_COVER)


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
