"""A report that says it weighs how well a system works (an inspectorate's thematic inspection, a
national review of systems) is a review (doc types, ``ingest/metadata.toml``)."""
from __future__ import annotations

import pytest

from ingest.metadata import detect_doc_type

REVIEWS = {
    "a title ending in its kind": ("Keeping children safe online: thematic inspection",
                                   "Age group: 0-18 Published: May 2021\nInspectors visited six areas and read the "
                                   "records of 90 children."),
    "a report weighing effectiveness": ("Children who go missing from care",
                                        "This report explores the effectiveness of the work agencies do to find and "
                                        "protect children who go missing."),
    "a review of systems": ("Everyone's business still",
                            "Review of the child protection systems and services in Calderton.\nLeadership\n"
                            "1.1 Leaders set the tone for the work of every agency."),
}
# a local inspection's report, a guidance page naming a thematic inspection, a yearly report that weighs
# its own year: each keeps its own type
NOT_REVIEWS = {
    "a local inspection": ("Inspection of Marlcombe local authority children's services",
                           "This inspection took place in May 2022.", "other"),
    "guidance naming one": ("Preparing for inspection",
                            "This guidance tells staff what a thematic inspection of our area involves.", "other"),
    "a yearly report": ("Marlcombe Safeguarding Children Partnership Annual Report 2021-22",
                        "This report evaluates the effectiveness of local safeguarding arrangements in the year.",
                        "annual-report"),
}


@pytest.mark.parametrize("title,body", REVIEWS.values(), ids=REVIEWS.keys())
def test_a_report_weighing_how_well_a_system_works_is_a_review(title, body):
    assert detect_doc_type(f"{title}\n{body}\n", title) == "review"


@pytest.mark.parametrize("title,body,want", NOT_REVIEWS.values(), ids=NOT_REVIEWS.keys())
def test_a_page_naming_an_inspection_in_passing_keeps_its_type(title, body, want):
    assert detect_doc_type(f"{title}\n{body}\n", title) == want
