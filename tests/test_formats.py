"""The same report as text, DOCX and PDF gives the same sections, pages and clean text."""
from __future__ import annotations

import pytest

from ingest.pipeline import ingest
from search.browse import document, section
from search.index.store import Store
from search.query import search
from tests import docgen


@pytest.fixture(scope="module")
def three(tmp_path_factory):
    src = tmp_path_factory.mktemp("formats")
    docgen.write_txt(src / "report-txt.txt")
    docgen.write_docx(src / "report-docx.docx")
    docgen.write_pdf(src / "report-pdf.pdf")
    docgen.write_scanned_pdf(src / "scanned.pdf")
    docgen.write_encrypted_pdf(src / "locked.pdf")
    ix = tmp_path_factory.mktemp("formats-ix")
    report = ingest([src], ix, tag=False, jobs=2)
    store = Store(ix)
    yield report, store
    store.close()


def outline(store, doc_id):
    return [(s["number"], s["heading"]) for s in document(store, doc_id)["sections"] if s["heading"] != "Front matter"]


def test_same_heading_sequence_in_every_format(three):
    _, store = three
    expected = [(n, h) for n, h in docgen.spec_headings() if h != docgen.SPEC[0][1]]
    for doc_id in ("report-txt", "report-docx", "report-pdf"):
        got = [x for x in outline(store, doc_id) if x[1] != docgen.SPEC[0][1]]
        assert got == expected, doc_id


def test_pdf_sections_have_pages_and_no_furniture(three):
    _, store = three
    secs = document(store, "report-pdf")["sections"]
    assert all(s["page_start"] for s in secs)
    assert secs[-1]["page_start"] >= 3
    assert [s["page_start"] for s in secs] == sorted(s["page_start"] for s in secs)
    for s in secs:
        assert docgen.DEFAULT_HEADER not in s["text"]
        assert "Page " not in s["text"]
    body = " ".join(s["text"] for s in secs)
    assert "safeguarding" in body and "safe- guarding" not in body


def test_search_result_page_is_page_of_the_match(three):
    _, store = three
    res = search(store, "neglect", limit=20, exact=True)
    pdf_hits = [h for h in res.hits if h.section["doc_id"] == "report-pdf"]
    assert pdf_hits
    for h in pdf_hits:
        s = section(store, h.section["section_id"])
        assert s["page_start"] <= h.page <= s["page_end"]


def test_scanned_and_encrypted_pdfs_fail_with_reasons(three):
    report, _ = three
    errors = {f["path"].rsplit("/", 1)[-1]: f["error"] for f in report.failed}
    assert errors == {
        "scanned.pdf": docgen.scanned_message(),
        "locked.pdf": "encrypted PDF: it needs a password to open; save a copy without the password and use that",
    }
    assert len(report.added) == 3
