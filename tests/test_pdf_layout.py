"""PDFs as they are published: columns, turned pages, banners, furniture and odd headings."""
from __future__ import annotations

import re

import pytest

from ingest.blocks import HEADING, TABLE_ROW
from ingest.readers import read_path
from tests import docgen, pdfgen


def _words(result) -> list[str]:
    return " ".join(b.text for b in result.blocks).lower().split()


def _pair_recall(source: str, result) -> float:
    src = source.lower().split()
    got = _words(result)
    pairs = list(zip(src, src[1:]))
    have = set(zip(got, got[1:]))
    return sum(1 for p in pairs if p in have) / len(pairs)


@pytest.mark.parametrize("columns, gutter", [(2, 18.0), (3, 12.0)])
@pytest.mark.parametrize("interleave", [False, True])
def test_columns_read_column_by_column(tmp_path, columns, gutter, interleave):
    path, texts = pdfgen.write_columns(tmp_path / "cols.pdf", columns=columns, gutter=gutter, interleave=interleave)
    result = read_path(path)
    assert _words(result) == texts[0].lower().split()
    assert [b.text for b in result.blocks if b.kind == HEADING] == ["Annual Report of the Partnership"]
    assert not [b for b in result.blocks if b.kind == TABLE_ROW]


def test_sidebar_is_its_own_block(tmp_path):
    from fpdf import FPDF

    pdf = FPDF(unit="pt")
    pdf.add_page()
    pdf.set_font("Helvetica", "", 10)
    main_lines = pdfgen._wrap(pdf, pdfgen.words(400, 7), 330)[:40]
    main_lines[-1] += "."
    side_lines = pdfgen._wrap(pdf, pdfgen.words(60, 8), 120)
    for i, line in enumerate(main_lines):
        pdf.text(50, 80 + 12 * i, line)
        if i < len(side_lines):
            pdf.text(420, 80 + 12 * i, side_lines[i])
    pdf.output(str(tmp_path / "side.pdf"))
    result = read_path(tmp_path / "side.pdf")
    texts = [b.text for b in result.blocks]
    assert " ".join(side_lines) in texts
    assert " ".join(main_lines) in texts


@pytest.mark.parametrize("angle, rotate", [(90, 270), (270, 90), (180, 180), (90, 0)])
def test_turned_text_and_rotated_pages_read_upright(tmp_path, angle, rotate):
    path, text = pdfgen.write_turned(tmp_path / "turned.pdf", angle, rotate)
    result = read_path(path)
    heads = [(b.number, b.text) for b in result.blocks if b.kind == HEADING]
    assert heads == [("1", "Turned Heading")]
    assert " ".join(b.text for b in result.blocks if b.kind != HEADING) == text


def test_banner_before_pdf_header_is_accepted(tmp_path):
    pdf = docgen.write_pdf(tmp_path / "plain.pdf").read_bytes()
    banned = tmp_path / "banner.pdf"
    banned.write_bytes(b"Downloaded from the council website " * 7 + b"\n" + pdf)
    assert read_path(banned).blocks == read_path(tmp_path / "plain.pdf").blocks


def test_word_drawn_in_pieces_comes_back_whole(tmp_path):
    from fpdf import FPDF

    pdf = FPDF(unit="pt")
    pdf.add_page()
    pdf.set_font("Helvetica", "", 11)
    # "filing" drawn as "filin" then, after other text, its last letter in place
    pdf.text(60, 100, "Early help filin")
    x = 60 + pdf.get_string_width("Early help filin")
    pdf.text(300, 100, "exchange of information")
    pdf.text(x, 100, "g")
    pdf.text(60, 114, "and records kept up to date")
    pdf.output(str(tmp_path / "pieces.pdf"))
    words = re.findall(r"\w+", " ".join(_words(read_path(tmp_path / "pieces.pdf"))))
    assert "filing" in words and "filin" not in words and "g" not in words


def _report_pages(footer: str, extra: list[tuple[str, float, str, float]] | None = None, pages: int = 3):
    out = []
    for n in range(1, pages + 1):
        lines = [("", 10, "Somerset Safeguarding Children Partnership Annual Report", 40)]
        lines += [("B", 14, f"{n} Section {['One', 'Two', 'Three', 'Four'][n - 1]}", 90)]
        lines += [("", 10, " ".join(pdfgen.words(12, n * 10 + i)), 110 + 13 * i) for i in range(8)]
        lines += [("", 8, footer.format(n=n), 800)]
        if n == 1 and extra:
            lines += extra
        out.append(lines)
    return out


@pytest.mark.parametrize("footer", [
    "\u00a9 Somerset Council 2023. All rights reserved.",
    "Annual Report 2022-23 | Page {n}",
    "Annual Report 2022-23",
])
def test_repeated_footers_and_rights_lines_never_headings_or_text(tmp_path, footer):
    path = pdfgen.write_lines(tmp_path / "f.pdf", _report_pages(footer))
    result = read_path(path)
    heads = [b.text for b in result.blocks if b.kind == HEADING]
    assert heads == ["Section One", "Section Two", "Section Three"]
    text = " ".join(b.text for b in result.blocks)
    assert "rights reserved" not in text and "Annual Report 2022-23" not in text


def test_rights_line_on_a_single_page_is_dropped(tmp_path):
    pages = [[("B", 14, "1 Introduction", 90)]
             + [("", 10, " ".join(pdfgen.words(12, i)), 110 + 13 * i) for i in range(6)]
             + [("B", 8, "\u00a9 Crown copyright 2023", 805)]]
    result = read_path(pdfgen.write_lines(tmp_path / "one.pdf", pages))
    assert [b.text for b in result.blocks if b.kind == HEADING] == ["Introduction"]
    assert "copyright" not in " ".join(b.text for b in result.blocks).lower()


def test_contents_with_roman_page_numbers_figure_labels_and_cut_headings(tmp_path):
    body = [("", 10, " ".join(pdfgen.words(14, i)) + ".", 300 + 13 * i) for i in range(6)]
    page1 = [
        ("B", 14, "Contents", 60),
        ("", 10, "Foreword \u2026\u2026.vii", 80),
        ("", 10, "Executive summary ........ ix", 94),
        ("", 10, "Introduction ........ 1", 108),
        ("B", 14, "I. Introduction", 200),
        ("", 10, " ".join(pdfgen.words(14, 40)) + ".", 220),
        ("B", 10, "Figure 3: Referrals by agency", 250),
        ("B", 10, "Definition 1 (-", 270),
    ] + body
    page2 = [
        ("", 10, "II. Method and Sources", 100),
        ("", 10, " ".join(pdfgen.words(14, 41)) + ".", 120),
        ("", 10, "A. Data Collection", 150),
        ("", 10, " ".join(pdfgen.words(14, 42)) + ".", 170),
        ("B", 10, "Table 2 - Children on plans", 200),
        ("", 10, " ".join(pdfgen.words(14, 43)) + ".", 220),
    ]
    result = read_path(pdfgen.write_lines(tmp_path / "paper.pdf", [page1, page2]))
    heads = [(b.text, b.level) for b in result.blocks if b.kind == HEADING]
    assert heads == [("I. Introduction", 1), ("II. Method and Sources", 1), ("A. Data Collection", 2)]
    text = " ".join(b.text for b in result.blocks)
    assert "Foreword" not in text and "Executive summary" not in text
    assert "Figure 3: Referrals by agency" in text and "Table 2 - Children on plans" in text


def test_wrapped_table_header_cells_are_not_headings(tmp_path):
    lines = [
        ("B", 14, "1 Action Plan", 80),
        ("", 10, " ".join(pdfgen.words(12, 5)) + ".", 100),
        ("B", 10, "Recommendation\tAction\tLead", 130),
        ("B", 10, "\t\tofficer", 142),
        ("", 10, "Improve training\tDeliver course\tLSCP", 156),
        ("", 10, "Audit plans\tRun audit\tHealth", 170),
    ]
    result = read_path(pdfgen.write_lines(tmp_path / "t.pdf", [lines]))
    assert [b.text for b in result.blocks if b.kind == HEADING] == ["Action Plan"]
    rows = [b.cells for b in result.blocks if b.kind == TABLE_ROW]
    assert ["Recommendation", "Action", "Lead"] in rows and ["Improve training", "Deliver course", "LSCP"] in rows
