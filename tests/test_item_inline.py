"""Points listed inside one sentence after a lead-in naming or implying their kind: one item a point."""
from __future__ import annotations

from ingest.blocks import PARAGRAPH
from ingest.items import extract_section_items, inline_points


def sec(heading, lines):
    return {"heading": heading, "heading_path": [heading], "lines": lines, "ordinal": 2, "level": 2}


def test_points_after_a_colon_at_the_semicolons():
    assert inline_points("Practice issues: visits to the flat stopped after the move; the school's concerns were "
                         "not passed on; and nobody asked the grandmother what she had seen.") == (
        "finding", ["visits to the flat stopped after the move", "the school's concerns were not passed on",
                    "nobody asked the grandmother what she had seen"])
    assert inline_points("The panel identified: a gap in out-of-hours cover; and no shared record of the "
                         "family's moves.")[0] == "finding"
    assert inline_points("Key issues: include: late strategy meetings; missing chronologies.") == (
        "finding", ["late strategy meetings", "missing chronologies"])
    assert inline_points("Lessons for the partnership: plan hospital discharge early; speak to the "
                         "child alone.")[0] == "learning"


def test_points_led_by_that():
    assert inline_points("Recommendations include that the partnership should publish its escalation policy, "
                         "that schools must record every concern and that health visitors ask about new "
                         "adults.") == ("recommendation", [
                             "the partnership should publish its escalation policy",
                             "schools must record every concern", "health visitors ask about new adults"])
    assert inline_points("Among its findings are that home visits were rare, and that the views of the "
                         "children were not sought.")[1] == [
        "home visits were rare", "the views of the children were not sought"]


def test_not_a_list_of_points():
    # a lead-in naming no kind, a single point, and a finding reported with two clauses
    assert inline_points("The meeting noted: the report was late; the chair would write.") is None
    assert inline_points("Recommendations include: a review of the missing children protocol.") is None
    assert inline_points("The review found that the mother was isolated and that she asked for help.") is None
    assert inline_points("Members present: the chair; the vice chair; two officers.") is None
    # a lead-in addressed to the reader introduces steps to take, whatever word it uses
    assert inline_points("If you have concerns about a child: ring the duty team; email the school; or in an "
                         "emergency dial the police.") is None


def test_a_listing_sentence_inside_a_case_summary_gives_its_points_not_the_sentence():
    items = extract_section_items(sec("Child K (Eastmere), published March 2021", [
        (PARAGRAPH, "Child K was three when she was admitted to hospital with a fractured arm. She lived with "
                    "her mother and two older brothers. Concerns about practice included: the neglect of the "
                    "children's teeth was never raised with the family; the mother's new partner was not "
                    "checked by any agency; and the nursery's record of bruising was not shared.", None, []),
        (PARAGRAPH, "Recommendations: agencies to record every adult living in the household; and the "
                    "nursery to share any bruising it sees with the health visitor.", None, []),
    ]))
    texts = {i["text"]: i["kind"] for i in items}
    assert texts.get("the mother's new partner was not checked by any agency") == "finding"
    assert texts.get("the nursery's record of bruising was not shared") == "finding"
    assert texts.get("agencies to record every adult living in the household") == "recommendation"
    assert texts.get("the nursery to share any bruising it sees with the health visitor") == "recommendation"
    assert not any(";" in t for t in texts), texts  # never the whole sentence beside its points


def test_a_labelled_paragraph_splits_at_semicolons_only_without_a_number():
    items = extract_section_items(sec("Child P", [
        (PARAGRAPH, "Key learning: practitioners should ask who else cares for the baby; records should say "
                    "who was seen; and managers should check that the plan changed something.", None, []),
        (PARAGRAPH, "Recommendation 2: The Board should audit the use of chronologies; and report on the "
                    "audit to the next meeting.", None, []),
    ]))
    assert [(i["kind"], i["text"]) for i in items] == [
        ("learning", "practitioners should ask who else cares for the baby"),
        ("learning", "records should say who was seen"),
        ("learning", "managers should check that the plan changed something"),
        ("recommendation", "The Board should audit the use of chronologies; and report on the audit to the "
                           "next meeting.")]
