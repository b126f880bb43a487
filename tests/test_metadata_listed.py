"""Dates written month first, a title's calendar year, contents lists that name a part ("3. The Rapid
Review"), another body's thematic report, reviews named in the plural, link furniture and a council's
pages for its partnership (``tests/realistic/listed`` is checked in ``test_metadata_field.py``)."""
from __future__ import annotations

from ingest.metadata import detect_doc_type, detect_period, detect_publisher, is_furniture


def test_a_date_written_month_first_dates_a_paper():
    assert detect_period(["Scrutiny Function", "Agreed by the executive on April 15th 2021."])["year_start"] == 2021
    assert detect_period(["Scrutiny Function", "Agreed by the executive on March 3, 2021."])["year_start"] == 2020


def test_a_title_named_for_a_calendar_year_when_nothing_else_dates_it():
    assert detect_period(["Police Inspections 2019", "In 2014 the inspectorate began."])["year_start"] == 2019
    # an Act's year, a span's end and a dated page are not that
    assert detect_period(["The Children Act 1989", "A short guide."])["year_start"] is None
    assert detect_period(["Plans 2017 to 2019"])["year_start"] != 2019
    assert detect_period(["Police Inspections 2019", "Published 3 February 2020"])["year_start"] == 2019


def test_a_numbered_contents_list_names_parts_not_the_document():
    text = ("Child Safeguarding Practice Reviews\n\nThis chapter was updated in March 2022.\n\n1. Overview\n"
            "2. Notifying the Panel\n3. The Rapid Review\n4. Local Reviews\n\n1. Overview\n\nPartners look at what "
            "happened so that practice improves.")
    assert detect_doc_type(text, "Procedures") == "other"
    # a numbered list of sentences is not a contents list
    review = "Child K\n\nThis review found three things.\n1. The rapid review was late.\n2. Notes were lost.\n3. No one asked."
    assert detect_doc_type(review, "Child K") == "review"
    # an agenda's numbered items are the meeting's own business
    agenda = "Children's Board, 12 May 2016\n1. Welcome\n2. Minutes of the last meeting\n3. Matters arising\n4. Data"
    assert detect_doc_type(agenda, "Children's Board, 12 May 2016") == "board-papers"


def test_another_bodys_thematic_report_does_not_make_a_page_a_review():
    page = "In 2016 the inspectorate published its first thematic report on eight forces."
    assert detect_doc_type(page, "Police inspections") == "other"
    assert detect_doc_type("This thematic report looks at 40 reviews of injuries to babies.",
                           "Babies at risk") == "review"


def test_a_title_naming_reviews_in_the_plural_is_a_page_about_them():
    text = "Local reviews\n\nThe rapid review is completed within fifteen working days."
    assert detect_doc_type(text, "Local Child Safeguarding Practice Reviews") == "other"


def test_links_advert_labels_and_portal_sections_are_furniture():
    assert is_furniture("Jump to full report >>")
    assert is_furniture("Read the full guide »")
    assert is_furniture("advertisement")
    assert is_furniture("You are here:")
    assert is_furniture("Council and councillors")  # a committee portal's section name
    assert not is_furniture("Children missing from education: a guide for schools")


def test_a_councils_pages_for_its_partnership_are_the_partnerships():
    text = "Local reviews\n\nWhen a child dies the partners decide whether to review the case."
    assert detect_publisher(text, "https://www.rbkc.gov.uk/lscp/about-us/local-reviews") == \
        "Kensington and Chelsea Safeguarding Children Partnership"
    assert detect_publisher(text, "https://www.southampton.gov.uk/children/southampton-safeguarding-children-"
                                  "partnership/reviews") == "Southampton Safeguarding Children Partnership"
    # the council by its own name, as the gazetteer gives it
    assert detect_publisher(text, "https://www.southampton.gov.uk/children/reviews") == "Southampton City Council"
