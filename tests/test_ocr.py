"""Scanned PDFs: pages with no text layer are read by Tesseract, and marked as OCR."""
from __future__ import annotations

import io

import pytest

from ingest.blocks import HEADING, IngestError
from ingest.readers import ocr, read_path

needs_tesseract = pytest.mark.skipif(not ocr.available(), reason="Tesseract OCR not installed")

LINES = [
    (64, "1 Introduction"),
    (34, "The partnership audited neglect cases and found"),
    (34, "that chronologies were not kept up to date."),
    (64, "2 Domestic Abuse"),
    (34, "Practitioners asked about fathers and male carers"),
    (34, "in every assessment of the household."),
]


def write_scan(path, lines=LINES, height: int = 1100):
    """Text rendered to an image (200 dpi) at the top of an A4 page, as a PDF with no text layer."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (1654, height), 255)  # by default the top of an A4 page: less to OCR
    draw = ImageDraw.Draw(image)
    y = 200
    for size, text in lines:
        draw.text((160, y), text, fill=0, font=ImageFont.load_default(size=size))
        y += int(size * 1.8)
        if y > height - 100:
            break
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    pdf = FPDF(format="A4", unit="mm")
    pdf.add_page()
    pdf.image(buf, x=0, y=0, w=210, h=297 * height / 2339)
    pdf.output(str(path))
    return path


@needs_tesseract
def test_scanned_page_is_read_by_ocr_with_headings(tmp_path):
    result = read_path(write_scan(tmp_path / "scan.pdf"))
    assert result.ocr_pages == [1]
    assert all(b.ocr for b in result.blocks)
    heads = [(b.number, b.text) for b in result.blocks if b.kind == HEADING]
    assert heads == [("1", "Introduction"), ("2", "Domestic Abuse")]
    text = " ".join(b.text for b in result.blocks)
    for words in ("audited neglect cases", "chronologies were not kept up to date", "fathers and male carers"):
        assert words in text


@needs_tesseract
def test_ocr_section_is_marked_in_json_and_citations(tmp_path):
    from ingest.pipeline import ingest
    from search.browse import document
    from search.export import citation
    from search.index.store import Store

    write_scan(tmp_path / "scan.pdf")
    report = ingest([tmp_path / "scan.pdf"], tmp_path / "ix", tag=False)
    assert report.failed == [] and len(report.added) == 1
    doc = document(Store(tmp_path / "ix"), "scan")
    sections = [s for s in doc["sections"] if s["heading"] == "Introduction"]
    assert sections and sections[0]["ocr"] is True
    assert citation("Scan", "2022-23", "1", "Introduction", 1, ocr=True).endswith("p. 1 (OCR)")


def test_ocr_never_refuses_a_scan_in_one_line(tmp_path):
    path = write_scan(tmp_path / "scan.pdf", LINES[:2])
    with pytest.raises(IngestError) as info:
        read_path(path, ocr="never")
    assert str(info.value) == "no text layer: scanned? OCR is off (use --ocr auto)"


def test_without_tesseract_the_scan_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: False)
    with pytest.raises(IngestError) as info:
        read_path(write_scan(tmp_path / "scan.pdf", LINES[:2]))
    text = str(info.value)
    assert text.startswith("no text layer: scanned? install Tesseract OCR") and "\n" not in text


@needs_tesseract
def test_ocr_always_reads_a_page_that_has_text(tmp_path):
    from tests import docgen

    spec = [("h1", "1 Findings"), ("p", "Neglect was the most common reason for a plan.")]
    result = read_path(docgen.write_pdf(tmp_path / "t.pdf", spec, header=None, page_numbers=False), ocr="always")
    assert result.ocr_pages == [1]
    assert "Neglect was the most common reason" in " ".join(b.text for b in result.blocks)
