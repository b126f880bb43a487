"""DOCX and PDF readers on generated reports: structure, pages, furniture, bad input."""
from __future__ import annotations

import gc
import re
import warnings

import pytest

from ingest.blocks import HEADING, LIST_ITEM, PARAGRAPH, TABLE_ROW, IngestError
from ingest.readers import read_path
from tests import docgen

SPEC_HEADINGS = docgen.spec_headings()
SPEC_PARAGRAPHS = [docgen._plain(v) for k, v in docgen.SPEC if k == "p"]
SPEC_ITEMS = [item for k, v in docgen.SPEC if k == "list" for item in v]
SPEC_ROWS = [row for k, v in docgen.SPEC if k == "table" for row in v]
SPEC_LEVELS = [docgen.HEADING_KINDS[k] for k, _ in docgen.SPEC if k in docgen.HEADING_KINDS]


@pytest.fixture(scope="module")
def docx_result(tmp_path_factory):
    return read_path(docgen.write_docx(tmp_path_factory.mktemp("docx") / "report.docx"))


@pytest.fixture(scope="module")
def pdf_result(tmp_path_factory):
    return read_path(docgen.write_pdf(tmp_path_factory.mktemp("pdf") / "report.pdf"))


def headings(result):
    return [(b.number, b.text) for b in result.blocks if b.kind == HEADING]


def texts(result, kind):
    return [b.text for b in result.blocks if b.kind == kind]


# --- DOCX -------------------------------------------------------------------------------

def test_docx_headings_have_text_level_and_number(docx_result):
    assert docx_result.fmt == "docx"
    assert headings(docx_result) == SPEC_HEADINGS
    hs = [b for b in docx_result.blocks if b.kind == HEADING]
    assert [b.level for b in hs] == SPEC_LEVELS
    assert all(b.strong for b in hs)
    assert (hs[3].number, hs[3].text, hs[3].level) == ("1.2", "Partners and Objectives", 2)
    assert (hs[-1].number, hs[-1].text) == (None, "Next Steps")


def test_docx_list_items_and_paragraphs(docx_result):
    assert texts(docx_result, LIST_ITEM) == SPEC_ITEMS
    assert texts(docx_result, PARAGRAPH) == SPEC_PARAGRAPHS


def test_docx_table_rows(docx_result):
    rows = [b for b in docx_result.blocks if b.kind == TABLE_ROW]
    assert [r.cells for r in rows] == SPEC_ROWS
    assert rows[2].text == "Embed the pre-birth protocol; Health; ONGOING"


def test_docx_header_and_footer_never_read(docx_result):
    joined = " ".join(b.text for b in docx_result.blocks)
    assert "Test Report" not in joined
    assert not re.search(r"\bPage\s+\d", joined)
    assert docx_result.pages is None and all(b.page is None for b in docx_result.blocks)


def test_docx_merged_cells_once_and_layout_table_read_as_body(tmp_path):
    import docx

    doc = docx.Document()
    table = doc.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "Risk"
    table.cell(0, 2).text = "Score"
    for c, text in enumerate(["R12", "Capacity in the MASH", "16"]):
        table.cell(1, c).text = text
    box = doc.add_table(rows=1, cols=1).cell(0, 0)
    box.paragraphs[0].text = "4 Case Study"
    box.paragraphs[0].style = doc.styles["Heading 1"]
    box.add_paragraph("A mother and baby were supported by the health visitor.")
    doc.save(str(tmp_path / "tables.docx"))
    result = read_path(tmp_path / "tables.docx")
    got = [(b.kind, b.text, b.cells, b.number) for b in result.blocks]
    assert got == [
        (TABLE_ROW, "Risk; Score", ["Risk", "Score"], None),
        (TABLE_ROW, "R12; Capacity in the MASH; 16", ["R12", "Capacity in the MASH", "16"], None),
        (HEADING, "Case Study", [], "4"),
        (PARAGRAPH, "A mother and baby were supported by the health visitor.", [], None),
    ]


def test_docx_bold_short_paragraph_is_heading_and_page_breaks_count(tmp_path):
    spec = [
        ("p", "An opening paragraph."),
        ("bold", "Key Messages"),
        ("p", "Text under the bold heading."),
        ("pagebreak", None),
        ("bold", "3 Bold Numbered Heading"),
        ("bold", "A bold sentence that ends with a full stop."),
    ]
    result = read_path(docgen.write_docx(tmp_path / "bold.docx", spec, header=None))
    got = [(b.kind, b.number, b.text, b.level, b.page) for b in result.blocks]
    assert got == [
        (PARAGRAPH, None, "An opening paragraph.", None, 1),
        (HEADING, None, "Key Messages", None, 1),
        (PARAGRAPH, None, "Text under the bold heading.", None, 1),
        (HEADING, "3", "Bold Numbered Heading", 1, 2),
        (PARAGRAPH, None, "A bold sentence that ends with a full stop.", None, 2),
    ]
    assert result.pages == 2


# --- PDF --------------------------------------------------------------------------------

def test_pdf_headings_levels_and_pages(pdf_result):
    assert pdf_result.fmt == "pdf"
    assert pdf_result.pages >= 3
    assert headings(pdf_result) == SPEC_HEADINGS
    hs = [b for b in pdf_result.blocks if b.kind == HEADING]
    assert [b.level for b in hs] == SPEC_LEVELS
    assert all(b.strong for b in hs)
    assert all(isinstance(b.page, int) and 1 <= b.page <= pdf_result.pages for b in pdf_result.blocks)
    assert [b.page for b in pdf_result.blocks] == sorted(b.page for b in pdf_result.blocks)
    assert hs[0].page == 1 and hs[-1].page >= 3


def test_pdf_running_header_and_page_numbers_removed(pdf_result):
    for b in pdf_result.blocks:
        assert "Test Report" not in b.text
        assert not re.search(r"\bPage\s+\d", b.text)
        assert not re.fullmatch(r"\d+", b.text)


def test_pdf_hyphenated_word_joined(pdf_result):
    joined = " ".join(b.text for b in pdf_result.blocks)
    assert "course on safeguarding children who are not brought" in joined
    assert "safe-" not in joined and "safe guarding" not in joined


def test_pdf_body_text_is_clean_and_complete(pdf_result):
    # paragraphs wrapped over lines and pages come back whole, with single spaces
    assert texts(pdf_result, PARAGRAPH) == SPEC_PARAGRAPHS
    assert texts(pdf_result, LIST_ITEM) == SPEC_ITEMS
    for b in pdf_result.blocks:
        assert b.text == b.text.strip() and "  " not in b.text
        assert not re.search(r"[\x00-\x1f\ufffe\ufffd]", b.text)


def test_pdf_table_rows_from_wide_gaps(pdf_result):
    rows = [b for b in pdf_result.blocks if b.kind == TABLE_ROW]
    assert [r.cells for r in rows] == SPEC_ROWS
    assert rows[1].text == "Improve neglect training; Local authority; ACHIEVED"


def test_pdf_bold_body_size_heading(tmp_path):
    spec = [("p", "An opening paragraph of ordinary text."), ("bold", "Key Messages"),
            ("p", "Text under the bold heading.")]
    result = read_path(docgen.write_pdf(tmp_path / "bold.pdf", spec, header=None, page_numbers=False))
    got = [(b.kind, b.text, b.strong) for b in result.blocks]
    assert got == [(PARAGRAPH, "An opening paragraph of ordinary text.", False),
                   (HEADING, "Key Messages", True),
                   (PARAGRAPH, "Text under the bold heading.", False)]


# --- across formats ----------------------------------------------------------------------

def test_same_heading_sequence_from_docx_pdf_and_spec(docx_result, pdf_result):
    assert headings(docx_result) == headings(pdf_result) == SPEC_HEADINGS
    assert len(SPEC_HEADINGS) >= 10 and sum(1 for n, _ in SPEC_HEADINGS if n and "." not in n) >= 3


def test_txt_version_is_the_same_report(tmp_path):
    path = docgen.write_txt(tmp_path / "report.txt")
    text = path.read_text(encoding="utf-8")
    assert text.startswith(docgen.SPEC[0][1] + "\n\nThis report sets out")
    assert "\n\n1 Introduction\n\n" in text and "\n\n2.2.1 Early Help Assessments\n\n" in text
    assert "\u00b7 Early help and the front door\n" in text
    assert "Improve neglect training\tLocal authority\tACHIEVED\n" in text
    assert "safeguarding" in text and docgen.SHY not in text
    assert headings(read_path(path)) == SPEC_HEADINGS


def test_reading_is_deterministic(tmp_path):
    pdf = docgen.write_pdf(tmp_path / "a.pdf")
    docx = docgen.write_docx(tmp_path / "a.docx")
    assert read_path(pdf) == read_path(pdf)
    assert read_path(docx) == read_path(docx)


def test_no_resource_warnings(tmp_path):
    pdf = docgen.write_pdf(tmp_path / "a.pdf")
    bad = docgen.write_encrypted_pdf(tmp_path / "locked.pdf")
    gc.collect()  # what earlier tests in this process left for the collector is not this test's
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        read_path(pdf)
        with pytest.raises(IngestError):
            read_path(bad)
        gc.collect()
    leaked = [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]
    assert not leaked, leaked


# --- bad input ---------------------------------------------------------------------------

def _plain_text(path):
    path.write_text("This is just a note, not a real document.\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("locked.pdf", docgen.write_encrypted_pdf, "encrypted PDF: it needs a password to open; save a copy without the password and use that"),
        ("broken.pdf", docgen.write_corrupt_pdf, "corrupt PDF: "),
        ("scan.pdf", docgen.write_scanned_pdf, docgen.scanned_message()),
        ("broken.docx", docgen.write_corrupt_docx, "corrupt Word file: not a valid .docx package"),
        ("note.pdf", _plain_text, "not a PDF"),
        ("note.docx", _plain_text, "not a Word document"),
        ("empty.docx", lambda p: docgen.write_docx(p, [], header=None, footer_page_numbers=False),
         "no text found in the document"),
    ],
)
def test_bad_input_raises_one_line_reason(tmp_path, name, make, message):
    path = make(tmp_path / name)
    with pytest.raises(IngestError) as info:
        read_path(path)
    text = str(info.value)
    assert text.startswith(message)
    assert "\n" not in text and str(tmp_path) not in text
