"""Ruled tables in PDFs: rows with their cells, items with their status, cells never loose lines."""
from __future__ import annotations

from ingest.blocks import HEADING, PARAGRAPH, TABLE_ROW
from ingest.document import parse_file
from ingest.items import extract_section_items
from ingest.readers import read_path
from tests import docgen

ROWS = [
    ("Recommendation", "Action", "Owner", "Status"),
    ("Partners should include fathers and male carers in every assessment",
     "Revise the assessment template and audit its use", "Children's Social Care", "Complete"),
    ("The partnership should refresh the neglect strategy and toolkit",
     "Launch the refreshed strategy with briefings for practitioners", "Neglect Subgroup", "Ongoing"),
    ("Health visitors should share concerns about unborn babies earlier",
     "Embed the pre-birth protocol in health visiting", "ICB Designated Nurse", "In progress"),
]


def _write(path):
    from fpdf import FPDF

    pdf = FPDF(unit="pt")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.text(50, 70, "3 Recommendations")
    pdf.set_font("Helvetica", "", 10)
    pdf.set_xy(50, 90)
    pdf.multi_cell(495, 13, "The review made the recommendations below; the table shows the action "
                            "taken on each and its status at the end of the year.")
    pdf.set_y(140)
    with pdf.table(col_widths=(40, 35, 15, 10), text_align="LEFT") as table:
        for values in ROWS:
            row = table.row()
            for v in values:
                row.cell(v)
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(0, 13, "The subgroup will report progress on each action to the board in the spring.")
    pdf.output(str(path))
    return path


def test_ruled_table_rows_have_their_cells_and_are_not_loose_lines(tmp_path):
    result = read_path(_write(tmp_path / "recs.pdf"))
    rows = [b.cells for b in result.blocks if b.kind == TABLE_ROW]
    assert rows == [list(r) for r in ROWS]
    assert [b.text for b in result.blocks if b.kind == HEADING] == ["Recommendations"]
    paragraphs = [b.text for b in result.blocks if b.kind == PARAGRAPH]
    assert paragraphs[0].startswith("The review made") and paragraphs[-1].startswith("The subgroup will")
    assert len(paragraphs) == 2  # no cell came out as a paragraph of its own


def test_recommendations_table_reaches_items_with_status(tmp_path):
    parsed = parse_file(_write(tmp_path / "recs.pdf"))
    section = next(s for s in parsed.sections if s["heading"] == "Recommendations")
    items = [i for i in extract_section_items(section) if i.get("cells")]
    assert [(i["kind"], i["status"]) for i in items] == [
        ("recommendation", "achieved"), ("recommendation", "ongoing"), ("recommendation", "ongoing")]
    assert items[0]["text"].startswith("Partners should include fathers and male carers in every assessment; ")


def test_triage_sends_only_grids_to_pdfplumber(tmp_path):
    import pypdfium2 as pdfium
    from fpdf import FPDF

    from ingest.readers.pdf_tables import may_hold_table

    pdf = FPDF(unit="pt")
    pdf.add_page()  # a banner, a sidebar box and a rule under the title: no table
    pdf.set_fill_color(20, 60, 120)
    pdf.rect(0, 0, pdf.w, 60, style="F")
    pdf.rect(400, 100, 150, 300)
    pdf.line(50, 90, 380, 90)
    pdf.set_font("Helvetica", "", 10)
    pdf.text(50, 120, "Some words beside the sidebar.")
    pdf.output(str(tmp_path / "plain.pdf"))
    _write(tmp_path / "recs.pdf")
    # a ruled table of one-line rows is read from its gaps, as fast as text
    one_line = [("h1", "1 Objectives"), ("table", [["Objective", "Status"], ["Train staff", "ACHIEVED"]])]
    docgen.write_pdf(tmp_path / "rows.pdf", one_line, header=None, page_numbers=False)
    for name, want in (("plain.pdf", False), ("recs.pdf", True), ("rows.pdf", False)):
        doc = pdfium.PdfDocument(str(tmp_path / name))
        try:
            assert may_hold_table(doc[0], 10.0) is want, name
        finally:
            doc.close()
