"""Document types, years and publishers from a page's shape: a committee's record of an item, a
page about reviews in general, a thematic report of many reviews, bodies named by an acronym of
their area, in the plural, or by an address that drops an area's joining words (the documents of
``tests/realistic/shapes`` are checked in ``test_metadata_field.py``)."""
from __future__ import annotations

from ingest import places
from ingest.metadata import detect_doc_type, detect_period, detect_publisher


def test_a_committees_record_of_an_annual_report_is_a_board_paper():
    text = ("Meeting: 03/10/2016 - Children's Scrutiny Panel (Item 6)\n"
            "Minutes:\n"
            "The Panel considered the annual report of the Ashby Safeguarding Children Board for 2015-16.\n"
            "Members asked how the Board checked that its training was used.\n"
            "Members noted that the report had been published late.\n"
            "It was resolved that the report be noted.")
    assert detect_doc_type(text, "Ashby Safeguarding Children Board Annual Report 2015-16") == "board-papers"


def test_an_annual_report_saying_once_what_its_board_did_is_still_an_annual_report():
    text = ("This annual report sets out how children in Ashby were kept safe in 2015-16.\n"
            "The Board agreed three priorities for the year: neglect, exploitation and early help.")
    assert detect_doc_type(text, "Ashby Safeguarding Children Board Annual Report 2015-16") == "annual-report"


def test_a_page_about_reviews_in_general_is_not_a_review():
    text = ("Partners must notify the Panel of a serious incident.\n"
            "The purpose of a rapid review is to find what can be learned at once.\n"
            "Criteria for undertaking a local child safeguarding practice review are set out below.\n"
            "Reviews stay on this website for a year after they are published.")
    assert detect_doc_type(text, "Rapid reviews and practice reviews") == "other"


def test_a_thematic_report_of_many_reviews_is_a_review():
    text = ("This thematic report draws on 40 local reviews of harm to babies.\n"
            "The thematic report sets out what the reviews found about fathers and about sleep.")
    assert detect_doc_type(text, "Lessons from local reviews about babies") == "review"


def test_an_address_may_drop_the_joining_words_of_an_area_name():
    words = ("www", "democracy", "gov", "uk")
    assert places.area_of_address("https://democracy.brighton-hove.gov.uk/mgAi.aspx?ID=1", words).name == \
        "Brighton and Hove"
    assert places.area_of_address("https://democracy.telford-wrekin.gov.uk/x", words).name == "Telford and Wrekin"


def test_a_body_named_in_the_plural_is_one_body():
    assert detect_publisher("This is the annual report of the safeguarding team for the Leeds CCGs.") == "Leeds Clinical Commissioning Group"


def test_an_acronym_of_the_address_area_names_its_body():
    text = "The NSCP carries out rapid reviews. The NSCP has published a guide for practitioners."
    assert detect_publisher(text, "https://www.newcastlesafeguarding.org.uk/learning/") == \
        "Newcastle upon Tyne Safeguarding Children Partnership"
    # the same letters on a page of another area name nothing
    assert detect_publisher(text, "https://www.example.org/news/") is None


def test_a_report_a_news_page_lists_does_not_date_the_page():
    lines = ["Panel publications out this week",
             "On 15 December 2022 the Panel put out a set of documents.",
             "Reports published:",
             "Annual Report 2021: the Panel's annual report",
             "Rapid review examples"]
    assert detect_period(lines)["year_start"] == 2022
    assert detect_period(["Annual Report 2021", "The Panel's year in review."])["year_start"] == 2021


def test_a_committees_record_of_a_yearly_report_takes_the_reports_year(tmp_path):
    from ingest.document import parse_file

    page = tmp_path / "item.md"
    page.write_text("Ashby Safeguarding Children Board Annual Report 2015-16\n\n"
                    "Meeting: 03/10/2016 - Children's Scrutiny Panel (Item 6)\n\nMinutes:\n\n"
                    "The Panel considered the annual report of the Ashby Safeguarding Children Board.\n\n"
                    "Members asked how the Board checked that its training was used.\n\n"
                    "It was resolved that the report be noted.\n", encoding="utf-8")
    doc = parse_file(page).doc
    assert (doc["doc_type"], doc["year"]) == ("board-papers", "2015-16")
    notice = tmp_path / "notice.md"
    notice.write_text("# Ashby Children's Scrutiny Panel\n\nMeeting: 03/10/2016 (Item 1 to Item 4)\n\n"
                      "1 Apologies\n\n2 Minutes of the last meeting\n\n"
                      "3 Ashby Safeguarding Children Board Annual Report 2015-16\n\n4 Any other business\n",
                      encoding="utf-8")
    doc = parse_file(notice).doc
    assert (doc["doc_type"], doc["year"]) == ("board-papers", "2016-17")
