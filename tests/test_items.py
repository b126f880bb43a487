"""Item extraction: kinds from headings and lead-ins, statuses, risk rows; stored and shown."""
from __future__ import annotations

from ingest.blocks import LIST_ITEM, PARAGRAPH, TABLE_ROW
from ingest.items import extract_section_items, normalise_status
from search.browse import section
from search.recur import load_items


def sec(heading, lines):
    return {"heading": heading, "heading_path": [heading], "lines": lines}


def test_status_normalisation():
    assert normalise_status("ACHIEVED AND ONGOING") == "achieved-ongoing"
    assert normalise_status("ONGOING") == "ongoing"
    assert normalise_status("Complete") == "achieved"
    assert normalise_status("ACHIEVED") == "achieved"
    assert normalise_status("The work is complete") is None


def test_list_under_a_kind_heading():
    items = extract_section_items(sec("Recommendations", [
        (PARAGRAPH, "The review makes the following recommendations:", None, []),
        (LIST_ITEM, "The partnership should ensure fathers are included in assessments", 3, []),
        (LIST_ITEM, "Audit the use of the escalation policy across agencies", 3, []),
        (LIST_ITEM, "“A quote from a practitioner about the day”", 3, []),
    ]))
    assert [(i["kind"], i["page"]) for i in items] == [("recommendation", 3), ("recommendation", 3)]


def test_lead_in_names_the_kind_and_ends_at_the_next_paragraph():
    items = extract_section_items(sec("Rapid Reviews", [
        (PARAGRAPH, "These reviews have identified some key areas for consideration, learning and action:", None, []),
        (LIST_ITEM, "Fathers/male carers could be better included and offered help.", None, []),
        (PARAGRAPH, "Partnership learning has been disseminated widely in the year.", None, []),
        (LIST_ITEM, "A list item after ordinary prose is not an item", None, []),
        (PARAGRAPH, "Next steps", None, []),
        (LIST_ITEM, "Finalise the Neglect Strategy and launch the toolkit", None, []),
    ]))
    assert [(i["kind"], i["text"]) for i in items] == [
        ("learning", "Fathers/male carers could be better included and offered help."),
        ("action", "Finalise the Neglect Strategy and launch the toolkit"),
    ]


def test_paragraphs_under_focus_heading_and_status_and_risk_rows():
    items = extract_section_items(sec("Focus for next year:", [
        (PARAGRAPH, "The partnership is committed to refreshing the neglect toolkit.", None, []),
    ]))
    assert [(i["kind"], i["status"] if "status" in i else None) for i in items] == [("priority", None)]
    rows = extract_section_items(sec("Progress", [
        (TABLE_ROW, "x", None, ["Implementation of the Domestic Abuse Act 2021", "ONGOING"]),
        (TABLE_ROW, "x", None, ["554", "Risk of not meeting statutory safeguarding duties", "9"]),
        (TABLE_ROW, "x", None, ["Risk", "Score"]),
    ]))
    assert rows[0]["kind"] == "objective" and rows[0]["status"] == "ongoing"
    assert (rows[1]["kind"], rows[1]["ref"], rows[1]["risk_score"]) == ("risk", "554", 9)
    assert len(rows) == 2


def test_corpus_objectives_carry_statuses(store):
    ccg = [i for i in load_items(store, kind="objective") if i["doc_id"] == "ccg-2021-22"]
    statuses = {i["text"]: i["status"] for i in ccg}
    assert statuses["Implementation of the Domestic Abuse Act 2021"] == "ongoing"
    assert statuses["Recruitment to Designated Doctor Safeguarding Children secondment through the agreed Case for Change"] == "achieved"
    assert "achieved-ongoing" in statuses.values()
    icb = {i["text"]: i["status"] for i in load_items(store, kind="objective") if i["doc_id"] == "icb-2024-25"}
    assert icb["To provide safeguarding children training data for ICB staff"] == "ongoing"
    assert icb["To develop closer links with safeguarding leads in acute and community contracts."] == "achieved"


def test_corpus_risks_and_priorities(store):
    risks = [i for i in load_items(store, kind="risk") if i["doc_id"] == "icb-2024-25"]
    assert len(risks) == 7
    assert any(i["text"].startswith("Risk to victims of domestic abuse") for i in risks)
    ccg = [i["text"] for i in load_items(store, kind="priority") if i["doc_id"] == "ccg-2021-22"]
    assert any("fathers and male carers" in t for t in ccg)


def test_items_are_tagged_and_shown_with_their_section(store):
    items = [i for i in load_items(store) if "fathers-male-carers" in i["themes"]]
    assert {i["year"] for i in items} >= {"2020-21", "2021-22", "2024-25"}
    s = section(store, items[0]["section_id"])
    assert any(it["item_id"] == items[0]["item_id"] for it in s["items"])
    assert set(s["items"][0]) >= {"item_id", "section_id", "doc_id", "kind", "text", "status", "themes", "year", "year_start"}
