"""Doc types from how a page speaks of reviews and reports (one review, or reviews in general),
from a meeting record's and a national report's shape; logos are furniture; a body written after
an article is not named for the place before it (the documents of ``tests/realistic/about`` are
checked in ``test_metadata_field.py``)."""
from __future__ import annotations

from ingest.metadata import detect_doc_type, detect_publisher, is_furniture


def test_a_logos_alt_text_and_a_text_size_control_are_furniture():
    assert is_furniture("Wandle SCB Logo")
    assert is_furniture("Logo Alt Text will go here")
    assert is_furniture("Size: View this website with bigger letters")
    assert not is_furniture("Wandle Safeguarding Children Board Annual Report")


def test_reviews_spoken_of_in_general_do_not_make_a_page_a_review():
    general = ("Serious Case Reviews\n\n1. Serious Case Review Process\n2. Deciding Whether to Hold a "
               "Serious Case Review\n3. Serious Case Review Panel Membership\n\n"
               "The chair decides whether the case needs a Serious Case Review.")
    assert detect_doc_type(general, "Serious Case Reviews") == "other"
    assert detect_doc_type("What is a child practice review\n\nEach nation names its reviews differently.",
                           "What is a child practice review") == "other"


def test_one_review_named_is_a_review():
    assert detect_doc_type("This is a summary of a thematic review carried out by the national Panel into "
                           "injuries to babies.", "Babies and new partners") == "review"
    assert detect_doc_type("Serious Case Review: Child F\n\nOverview report\n\nThe family moved twice.",
                           "Serious Case Review: Child F") == "review"


def test_a_contents_table_naming_the_review_is_no_review():
    text = ("Case Review Toolkit\n\nSection / Description / Page\n1 / Introduction / 4\n"
            "2 / Planning the Serious Case Review / 8\n3 / The Serious Case Review report / 12\n\n"
            "This toolkit guides everyone who takes part in a case review.")
    assert detect_doc_type(text, "Case Review Toolkit") == "other"


def test_one_mention_of_an_annual_report_does_not_make_a_page_one():
    text = ("Child practice reviews explained\n\nThe national board reads every report and writes an Annual "
            "Report on the themes it sees.")
    assert detect_doc_type(text, "Child practice reviews explained") == "other"
    assert detect_doc_type("Annual Report 2022-23\n\nForeword", "Annual Report 2022-23") == "annual-report"


def test_a_committees_notes_with_who_was_present_are_board_papers():
    text = ("Fostering Panel\n\nNotes of the meeting held on 4 June 2019\n\nPresent: Cllr A Brown (Chair), "
            "Ms E Ford\n\n1. The panel heard how many children moved placement.")
    assert detect_doc_type(text, "Fostering Panel") == "board-papers"


def test_a_report_shaped_document_of_the_national_panel_is_a_review():
    text = ("Child Safeguarding Practice Review Panel\n\nChildren harmed at home by older siblings\n\nMay 2024\n\n"
            "Contents\nForeword 3\nWhat we found 9\n\nForeword\n\nWe looked at what happened to twelve children.")
    assert detect_doc_type(text, "Children harmed at home by older siblings") == "review"
    # a page naming the Panel without a report's shape stays a page about it
    assert detect_doc_type("The Child Safeguarding Practice Review Panel has published a report on siblings.",
                           "News") == "other"


def test_a_body_written_after_an_article_is_not_named_for_the_place_before_it():
    text = "Case Reviews\n\nIn Rutland the SCP office keeps a record of each notice and sends it to the chair."
    assert detect_publisher(text, "https://rutlandscb.proceduresonline.com/chapters/p_case_reviews.html") == \
        "Rutland Safeguarding Children Partnership"


def test_a_list_of_other_documents_beside_the_page_is_not_read_for_its_metadata(tmp_path):
    from ingest.blocks import PARAGRAPH, Block
    from ingest.document import parse_file
    from ingest.metadata import own_blocks

    lines = ["Quarterly safeguarding update", "Similar documents", "Westshire Annual Report 2016/17",
             "Transcription", "1 Quarterly safeguarding update for the board"]
    kept = [b.text for b in own_blocks([Block(PARAGRAPH, t) for t in lines])]
    assert kept == ["Quarterly safeguarding update", "1 Quarterly safeguarding update for the board"]
    page = tmp_path / "page.md"
    page.write_text("TRUST SAFEGUARDING GROUP NOTES\n\nSimilar documents\n\nNorthshire CCG Annual Report 2015/16\n\n"
                    "Minutes of the Eastshire Safeguarding Children Board, 3 March 2017\n", encoding="utf-8")
    doc = parse_file(page).doc
    assert doc["year"] is None and doc["publisher"] is None
    assert doc["title"] == "Trust Safeguarding Group Notes"


def test_the_body_a_sites_name_says_wins_when_the_text_names_two():
    text = ("Annual Report and Business Plan\n\nOur report tells how the old Local Safeguarding Children "
            "Board (LSCB) handed its work over to a new Safeguarding Children Partnership.")
    assert detect_publisher(text, "https://www.rutlandscp.org.uk/about-us/annual-report/") == \
        "Rutland Safeguarding Children Partnership"


def test_an_annual_report_named_with_its_board_between_takes_that_reports_year():
    from ingest.metadata import detect_period

    lines = ["Agenda item", "Safeguarding Annual Reports",
             "The annual report for the Rutland Safeguarding Children Board (RSCB) 2013-14 is presented with "
             "the business plan for 2014-15."]
    assert detect_period(lines)["year_start"] == 2013
