"""Generate small test reports as text, DOCX and PDF from one spec, plus bad inputs.

A spec is a list of ``(kind, value)`` elements: ``title``, ``h1``/``h2``/``h3`` (the
heading text, with its section number if it has one), ``p`` (a paragraph), ``bold``
(a short paragraph set in bold), ``list`` (a list of items), ``table`` (a list of
rows, each a list of cells) and ``pagebreak`` (value ignored). A soft hyphen (U+00AD)
in a paragraph marks a forced hyphenated line break in the PDF; the text and DOCX
versions drop it.
"""
from __future__ import annotations

import io
import re
import struct
import zlib
from pathlib import Path

from ingest.numbering import split_number

SHY = "\u00ad"

_FILL = (
    "Partners worked together to make sure that children and families received the right help at "
    "the right time, and the board sought assurance that agencies shared information promptly. "
    "Practitioners told us that supervision helped them to reflect on cases where progress had "
    "stalled, and that multi-agency meetings were better attended when held online. "
    "The audit programme looked at the quality of assessments, the voice of the child and the "
    "involvement of fathers and male carers in planning."
)

SPEC: list[tuple[str, object]] = [
    ("title", "Safeguarding Children Partnership Annual Report 2022-23"),
    ("p", "This report sets out the work of the partnership during the year, what we learned from "
          "reviews and what we will do next. " + _FILL),
    ("h1", "1 Introduction"),
    ("p", "The partnership brings together the local authority, health and the police to keep "
          "children safe. " + _FILL),
    ("h2", "1.1 Scope"),
    ("p", "This report covers the period from 1 April 2022 to 31 March 2023 and includes the "
          "following areas of work:"),
    ("list", [
        "Learning from rapid reviews and local child safeguarding practice reviews",
        "The neglect strategy and the graded care profile",
        "Multi-agency training and its evaluation",
        "Early help and the front door",
    ]),
    ("h2", "1.2 Partners and Objectives"),
    ("p", "The table below shows the objectives we set for the year and their status at year end."),
    ("table", [
        ["Objective", "Lead agency", "Status"],
        ["Improve neglect training", "Local authority", "ACHIEVED"],
        ["Embed the pre-birth protocol", "Health", "ONGOING"],
    ]),
    ("p", _FILL + " " + _FILL),
    ("h1", "2 Findings"),
    ("p", "Findings are drawn from audits, reviews and the views of children and practitioners. " + _FILL),
    ("h2", "2.1 Neglect"),
    ("p", "2.1.1 A numbered body paragraph with text. Neglect remained the most common reason for a "
          "child protection plan, and reviews found that chronologies were not always kept up to "
          "date. " + _FILL),
    ("p", "2.1.2 Practitioners across the partnership completed the new course on safe" + SHY
          + "guarding children who are not brought to appointments, and feedback was positive. " + _FILL),
    ("h2", "2.2 Domestic Abuse"),
    ("p", "Domestic abuse featured in most of the reviews completed this year. " + _FILL),
    ("h3", "2.2.1 Early Help Assessments"),
    ("p", "Early help assessments were completed for more families than last year. " + _FILL),
    ("p", _FILL + " " + _FILL),
    ("h1", "3 Learning from Reviews"),
    ("p", "Three rapid reviews were held and one local child safeguarding practice review was "
          "commissioned. " + _FILL),
    ("h2", "3.1 Rapid Reviews"),
    ("p", "The rapid reviews identified the following learning:"),
    ("list", [
        "Professional curiosity about who lives in the household",
        "The risks of unsafe sleeping arrangements for babies",
        "Escalation when agencies disagree",
    ]),
    ("p", _FILL + " " + _FILL),
    ("h1", "Next Steps"),
    ("p", "Next year the partnership will focus on neglect, exploitation and the voice of the child. "
          + _FILL),
]

HEADING_KINDS = {"title": 1, "h1": 1, "h2": 2, "h3": 3}

DEFAULT_HEADER = "Somerset Safeguarding \u2013 Test Report"


def spec_headings(spec=SPEC) -> list[tuple[str | None, str]]:
    """The ``(number, text)`` of every heading in ``spec``, in order."""
    return [split_number(str(v)) for k, v in spec if k in HEADING_KINDS]


def _plain(text: str) -> str:
    return text.replace(SHY, "")


def write_txt(path, spec=SPEC) -> Path:
    """Write ``spec`` as plain text in the style of the seed files."""
    out: list[str] = []
    for kind, value in spec:
        if kind == "list":
            out.append("\n".join(f"\u00b7 {item}" for item in value))
        elif kind == "table":
            out.append("\n".join("\t".join(row) for row in value))
        elif kind == "pagebreak":
            out.append("\f")
        else:
            out.append(_plain(str(value)))
    path = Path(path)
    path.write_text("\n\n".join(out) + "\n", encoding="utf-8")
    return path


def _add_page_field(paragraph) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    for tag, attr in (("w:fldChar", "begin"), ("w:instrText", " PAGE "), ("w:fldChar", "separate")):
        el = OxmlElement(tag)
        if tag == "w:fldChar":
            el.set(qn("w:fldCharType"), attr)
        else:
            el.set(qn("xml:space"), "preserve")
            el.text = attr
        run._r.append(el)
    paragraph.add_run("1")
    end = paragraph.add_run()
    el = OxmlElement("w:fldChar")
    el.set(qn("w:fldCharType"), "end")
    end._r.append(el)


def write_docx(path, spec=SPEC, header: str | None = DEFAULT_HEADER, footer_page_numbers: bool = True) -> Path:
    """Write ``spec`` as a .docx with real heading, list and table styles, a header and a footer."""
    import docx

    doc = docx.Document()
    section = doc.sections[0]
    if header:
        section.header.paragraphs[0].text = header
    if footer_page_numbers:
        para = section.footer.paragraphs[0]
        para.add_run("Page ")
        _add_page_field(para)
    for kind, value in spec:
        if kind == "title":
            doc.add_paragraph(str(value), style="Title")
        elif kind in HEADING_KINDS:
            doc.add_heading(str(value), level=HEADING_KINDS[kind])
        elif kind == "p":
            doc.add_paragraph(_plain(str(value)))
        elif kind == "bold":
            doc.add_paragraph().add_run(str(value)).bold = True
        elif kind == "list":
            for item in value:
                doc.add_paragraph(item, style="List Bullet")
        elif kind == "table":
            table = doc.add_table(rows=len(value), cols=max(len(r) for r in value))
            table.style = "Table Grid"
            for r, row in enumerate(value):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
        elif kind == "pagebreak":
            doc.add_page_break()
        else:
            raise ValueError(f"unknown spec element {kind!r}")
    path = Path(path)
    doc.save(str(path))
    return path


_PDF_SIZES = {"title": 20, "h1": 16, "h2": 13, "h3": 11}


def _wrap(pdf, text: str, width: float) -> list[str]:
    """Break ``text`` into lines that fit ``width``; a soft hyphen forces "word-" + break."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        if SHY in word:
            head, tail = word.split(SHY, 1)
            candidate = f"{line} {head}-".strip()
            lines.append(candidate)
            line = tail
            continue
        candidate = f"{line} {word}".strip()
        if line and pdf.get_string_width(candidate) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


def write_pdf(path, spec=SPEC, header: str | None = DEFAULT_HEADER, page_numbers: bool = True) -> Path:
    """Write ``spec`` as a PDF (Helvetica, 11pt body, bold larger headings, header and "Page N")."""
    from fpdf import FPDF

    class _Report(FPDF):
        def header(self):
            if header:
                self.set_font("Helvetica", "", 9)
                self.cell(0, 6, header, align="R")
                self.ln(12)

        def footer(self):
            if page_numbers:
                self.set_y(-15)
                self.set_font("Helvetica", "", 9)
                self.cell(0, 6, f"Page {self.page_no()}", align="C")

    pdf = _Report(format="A4", unit="mm")
    pdf.core_fonts_encoding = "windows-1252"  # for the en dash and the bullet
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=22)
    pdf.add_page()
    width = pdf.epw
    line_h = 5.5
    for kind, value in spec:
        if kind in _PDF_SIZES:
            pdf.set_font("Helvetica", "B", _PDF_SIZES[kind])
            pdf.ln(2)
            pdf.multi_cell(width, _PDF_SIZES[kind] * 0.5, str(value))
            pdf.ln(2)
            continue
        if kind == "bold":
            pdf.set_font("Helvetica", "B", 11)
            pdf.multi_cell(width, line_h, str(value))
            pdf.ln(3)
            continue
        if kind == "pagebreak":
            pdf.add_page()
            continue
        pdf.set_font("Helvetica", "", 11)
        if kind == "p":
            for line in _wrap(pdf, str(value), width):
                pdf.cell(width, line_h, line, new_x="LMARGIN", new_y="NEXT")
        elif kind == "list":
            for item in value:
                for i, line in enumerate(_wrap(pdf, item, width - 8)):
                    pdf.set_x(pdf.l_margin)
                    pdf.cell(8, line_h, "\u2022" if i == 0 else "")
                    pdf.cell(width - 8, line_h, line, new_x="LMARGIN", new_y="NEXT")
        elif kind == "table":
            col = width / max(len(r) for r in value)
            for row in value:
                for cell in row:
                    pdf.cell(col, line_h + 1, cell, border=1)
                pdf.ln(line_h + 1)
        else:
            raise ValueError(f"unknown spec element {kind!r}")
        pdf.ln(4)
    path = Path(path)
    pdf.output(str(path))
    return path


def scanned_message() -> str:
    """What reading :func:`write_scanned_pdf`'s file says: OCR finds no words, or OCR is not installed."""
    from ingest.readers import ocr

    return ("no text layer, and OCR found no words on the scanned pages" if ocr.available()
            else "no text layer: scanned? " + ocr.INSTALL)


def write_scanned_pdf(path) -> Path:
    """A one-page PDF holding only an image: no text layer."""
    from fpdf import FPDF

    # A grey image built by hand as a PNG, so no imaging library is needed.
    w, h = 200, 280
    raw = b"".join(b"\x00" + bytes([200 - (y % 50)]) * w for y in range(h))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    pdf = FPDF(format="A4", unit="mm")
    pdf.add_page()
    pdf.image(io.BytesIO(png), x=0, y=0, w=210, h=297)
    path = Path(path)
    pdf.output(str(path))
    return path


def write_encrypted_pdf(path) -> Path:
    """A PDF that needs a user password to open."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_encryption(owner_password="owner-secret", user_password="user-secret")
    pdf.add_page()
    pdf.set_font("Helvetica", "", 11)
    pdf.cell(0, 10, "Confidential safeguarding report")
    path = Path(path)
    pdf.output(str(path))
    return path


def write_corrupt_pdf(path) -> Path:
    """A file that starts like a PDF and then is junk."""
    path = Path(path)
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\nnot really a pdf\n")
    return path


def write_corrupt_docx(path) -> Path:
    """A file with a zip signature followed by junk."""
    path = Path(path)
    path.write_bytes(b"PK\x03\x04" + b"\x14\x00junk that is not a zip archive" * 40)
    return path


def spec_from_markdown(text: str) -> list[tuple[str, object]]:
    """A spec from the Markdown of a test document, so one text gives .md, .docx and .pdf.

    The first ``#`` line is the title, ``##`` and ``###`` are ``h1`` and ``h2``, ``- `` lines
    make a list, tab-separated lines a table, and any other paragraph stays as written.
    """
    spec: list[tuple[str, object]] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [ln for ln in chunk.split("\n") if ln.strip()]
        if all(ln.startswith("- ") for ln in lines):
            spec.append(("list", [ln[2:].strip() for ln in lines]))
        elif all("\t" in ln for ln in lines):
            spec.append(("table", [ln.split("\t") for ln in lines]))
        else:
            for ln in lines:
                m = re.match(r"^(#{1,3})\s+(.*)$", ln)
                if m:
                    spec.append(({1: "title", 2: "h1", 3: "h2"}[len(m.group(1))], m.group(2)))
                else:
                    spec.append(("p", ln))
    return spec
