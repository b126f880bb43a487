"""Web pages, Markdown front matter, .odt, .rtf and .doc give the report the .docx gives."""
from __future__ import annotations

import shutil

import pytest

from ingest.blocks import HEADING, LIST_ITEM, TABLE_ROW, IngestError
from ingest.document import parse_file
from ingest.readers import read_path
from ingest.readers.doc import NO_SOFFICE, convert
from tests import docgen, officegen

SPEC_HEADINGS = docgen.spec_headings()
SPEC_ROWS = [row for kind, value in docgen.SPEC if kind == "table" for row in value]
SPEC_ITEMS = [item for kind, value in docgen.SPEC if kind == "list" for item in value]
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")


def headings(result):
    return [(b.number, b.text) for b in result.blocks if b.kind == HEADING]


def test_web_page_main_text_headings_and_metadata(tmp_path):
    path = officegen.write_html(tmp_path / "report.html", title=docgen.SPEC[0][1])
    result = read_path(path)
    assert result.fmt == "html"
    assert headings(result) == SPEC_HEADINGS
    assert [b.cells for b in result.blocks if b.kind == TABLE_ROW] == SPEC_ROWS
    assert [b.text for b in result.blocks if b.kind == LIST_ITEM] == SPEC_ITEMS
    text = " ".join(b.text for b in result.blocks)
    for junk in ("Skip to content", "cookies", "About us", "Training courses", "Privacy notice", "Copyright"):
        assert junk not in text
    assert result.meta["site_name"] == "Devon Safeguarding Children Partnership"
    assert result.meta["date"] == "2023-09-14"
    doc = parse_file(path).doc
    assert doc["title"] == result.meta["title"] == docgen.SPEC[0][1]
    assert doc["publisher"] == "Devon Safeguarding Children Partnership"
    assert doc["year"] == "2022-23"  # the report's own period, not the page date (2023-24)


def test_htm_page_built_by_scripts_is_refused_in_one_line(tmp_path):
    path = tmp_path / "app.htm"
    path.write_text("<html><head><title>App</title></head><body><div id='app'></div>"
                    "<script>render()</script></body></html>")
    with pytest.raises(IngestError) as info:
        read_path(path)
    assert str(info.value).startswith("no text found in the web page") and "\n" not in str(info.value)


def test_markdown_front_matter_and_comments_are_not_body_text(tmp_path):
    path = tmp_path / "report.md"
    path.write_text(
        "---\ntitle: \"Rapid Review Briefing\"\ndate: 2021-02-10\nlayout: post\n---\n"
        "<!-- draft: check the figures with the\nbusiness unit before publishing -->\n\n"
        "# 1 Background\n\nThe rapid review looked at the care of a baby known to services.\n\n"
        "| Recommendation | Status |\n|---|---|\n| Share information about unborn babies earlier | Ongoing |\n",
        encoding="utf-8")
    result = read_path(path)
    assert result.meta == {"title": "Rapid Review Briefing", "date": "2021-02-10"}
    text = " ".join(b.text for b in result.blocks)
    assert "layout" not in text and "draft" not in text and "business unit" not in text and "---" not in text
    assert headings(result) == [("1", "Background")]
    assert [b.cells for b in result.blocks if b.kind == TABLE_ROW] == [
        ["Recommendation", "Status"], ["Share information about unborn babies earlier", "Ongoing"]]
    doc = parse_file(path).doc
    assert doc["title"] == "Rapid Review Briefing" and doc["year"] == "2020-21"


def test_odt_written_with_odfpy_gives_the_docx_headings(tmp_path):
    odt = read_path(officegen.write_odt(tmp_path / "report.odt"))
    docx = read_path(docgen.write_docx(tmp_path / "report.docx"))
    assert odt.fmt == "odt"
    assert headings(odt) == headings(docx) == SPEC_HEADINGS
    assert [b.level for b in odt.blocks if b.kind == HEADING] == [b.level for b in docx.blocks if b.kind == HEADING]
    assert [b.cells for b in odt.blocks if b.kind == TABLE_ROW] == SPEC_ROWS
    assert [b.text for b in odt.blocks if b.kind == LIST_ITEM] == SPEC_ITEMS


@pytest.mark.slow
@needs_soffice
def test_odt_rtf_and_doc_converted_by_libreoffice_give_the_docx_headings(tmp_path):
    docx_path = docgen.write_docx(tmp_path / "report.docx")
    want = headings(read_path(docx_path))
    for fmt in ("odt", "rtf", "doc"):
        out = tmp_path / fmt
        out.mkdir()
        result = read_path(convert(docx_path, fmt, out))
        assert result.fmt == fmt
        assert headings(result) == want == SPEC_HEADINGS, fmt
        assert [b.cells for b in result.blocks if b.kind == TABLE_ROW] == SPEC_ROWS, fmt
        assert [b.text for b in result.blocks if b.kind == LIST_ITEM] == SPEC_ITEMS, fmt


def test_doc_without_libreoffice_is_one_line(tmp_path, monkeypatch):
    import ingest.readers.doc

    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(ingest.readers.doc, "install_places", lambda: [])  # not in its install folders either
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(IngestError) as info:
        read_path(path)
    assert str(info.value) == NO_SOFFICE and "LibreOffice" in NO_SOFFICE


@pytest.mark.parametrize("name, data, message", [
    ("bad.odt", b"not a zip at all", "not an OpenDocument text file"),
    ("bad.rtf", b"plain words, no rtf header", "not an RTF file"),
    ("bad.doc", b"plain words in a .doc", "not a Word document"),
    ("zip.odt", b"PK\x03\x04" + b"junk" * 50, "corrupt OpenDocument file"),
])
def test_bad_office_files_one_line(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(IngestError) as info:
        read_path(path)
    assert str(info.value).startswith(message) and "\n" not in str(info.value)
