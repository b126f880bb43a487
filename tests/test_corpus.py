"""The bundled corpus, ingested: years, structure and clean text as the seed README states."""
from __future__ import annotations

import re

import pytest

from search.browse import document, documents, section

EXPECTED_YEARS = {
    "ccg-2021-22": "2021-22",
    "icb-2024-25": "2024-25",
    "hwbb-2018-01-18": "2017-18",
    "sscp-arrangements-2019": "2019-20",
    "sscp-2020-21": "2020-21",
}
ARTEFACTS = re.compile(
    r"\[bookmark|\[footnoteRef|\[image:|\[\d+:|\*\*|\]\(#\)|</?(?:p|ul|li)\b|\bPage \d+\s*$|\.{4,}\s*\d+$",
    re.M,
)


def test_documents_and_years(store):
    docs = {d["doc_id"]: d for d in documents(store)}
    assert {k: d["year"] for k, d in docs.items()} == EXPECTED_YEARS
    ccg = docs["ccg-2021-22"]
    assert (ccg["period_start"], ccg["period_end"], ccg["year_start"]) == ("2021-04-01", "2022-06-30", 2021)
    assert ccg["publisher"] == "NHS Somerset Clinical Commissioning Group"  # the name, not the abbreviation it defines
    assert docs["hwbb-2018-01-18"]["doc_type"] == "board-papers"
    assert docs["sscp-arrangements-2019"]["doc_type"] == "arrangements"
    for d in docs.values():
        assert len(d["sha256"]) == 64 and d["path"].endswith(".txt") and d["sections"] > 0


def test_ccg_headings_are_its_numbered_structure(store):
    doc = document(store, "ccg-2021-22")
    outline = [(s["number"], s["level"]) for s in doc["sections"]]
    assert outline == [("1", 1), ("2", 1), ("2.1", 2), ("2.3", 2), ("3", 1), ("4", 1), ("5", 1), ("6", 1)]
    assert doc["sections"][2]["heading"] == "Somerset Safeguarding Leadership and Accountability"
    assert doc["sections"][2]["heading_path"] == [
        "2 DELIVERY OF STATUTORY SAFEGUARDING FUNCTIONS",
        "2.1 Somerset Safeguarding Leadership and Accountability",
    ]
    # numbered body paragraphs belong to the section they number
    assert "2.1.2 As part of an integrated approach" in doc["sections"][2]["text"]
    assert all(not s["heading"].startswith("As part of") for s in doc["sections"])


def test_board_pack_embedded_report_keeps_its_own_year(store):
    doc = document(store, "hwbb-2018-01-18")
    by_heading = {}
    for s in doc["sections"]:
        by_heading.setdefault(s["heading"], s)
    assert by_heading["Foreword by the Independent Chair"]["year"] == "2016-17"
    assert by_heading["Child Death Overview Panel"]["year"] == "2016-17"
    assert by_heading["Key priorities for the SSCB for 2017/18"]["year"] == "2016-17"
    assert by_heading["Apologies for absence"]["year"] == "2017-18"  # the agenda
    assert by_heading["291 Minutes from the meeting held on 28 September 2017 – Agenda Item 3"]["year"] == "2017-18"
    assert by_heading["Health and Wellbeing Board Work Programme – January 2018"]["year"] == "2017-18"
    sscb = [s for s in doc["sections"] if s["year"] == "2016-17"]
    assert len(sscb) > 50
    assert all(s["year_start"] == 2016 for s in sscb)


def test_sscb_report_outline_and_toc_never_a_section(store):
    doc = document(store, "hwbb-2018-01-18")
    numbers = [s["number"] for s in doc["sections"] if s["year"] == "2016-17" and s["level"] == 1 and s["number"]]
    assert numbers[-13:] == [str(n) for n in range(1, 14)]
    headings = [s["heading"] for s in doc["sections"]]
    assert "Contents" not in headings
    assert not any(h in ("What we did", "How well we did it") for h in headings)  # a numbered list, not headings


@pytest.mark.parametrize("doc_id", sorted(EXPECTED_YEARS))
def test_no_artefacts_toc_lines_or_furniture_in_sections(store, doc_id):
    for s in document(store, doc_id)["sections"]:
        for field in ("heading", "text"):
            m = ARTEFACTS.search(s[field])
            assert m is None, f"{s['section_id']} {field}: {m.group(0)!r}"
        assert "❑" not in s["text"] and "· · ·" not in s["text"]


def test_show_returns_whole_section_with_document(store):
    s = section(store, "ccg-2021-22:3")
    assert s["title"].startswith("Safeguarding Children Annual Report 2021-22")
    assert s["number"] == "2.1" and s["year"] == "2021-22"
    assert "The Named GP for Safeguarding post has been vacant since October 2021" in s["text"]
    assert set(s) >= {"section_id", "doc_id", "number", "heading", "heading_path", "level", "text",
                      "page_start", "page_end", "themes", "year", "year_start", "items"}


def test_section_ids_are_stable_across_rebuilds(tmp_path, store):
    from corpus import corpus_dir
    from ingest.pipeline import ingest
    from search.index.store import Store

    ingest([corpus_dir()], tmp_path / "again", tag=False)
    again = Store(tmp_path / "again")
    for doc_id in EXPECTED_YEARS:
        a = [(s["section_id"], s["heading"]) for s in document(store, doc_id)["sections"]]
        b = [(s["section_id"], s["heading"]) for s in document(again, doc_id)["sections"]]
        assert a == b
    again.close()
