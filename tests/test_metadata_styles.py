"""Titles, years, publishers and doc types from signals every page of a kind carries: a date or
a stamp under a title, a meeting's day and place, a section heading after the first paragraph,
a site whose address names only the area (or its initials), an inspection report, a name in
capitals, a contents line, a financial year anywhere in the title lines (the documents of
``tests/realistic/styles`` are checked in ``test_metadata_field.py``)."""
from __future__ import annotations

from ingest.document import parse_file
from ingest.metadata import detect_doc_type, detect_period, detect_publisher


def _title(tmp_path, text: str) -> str:
    path = tmp_path / "page.md"
    path.write_text(text, encoding="utf-8")
    return parse_file(path).doc["title"]


def test_a_stamp_or_a_date_under_a_title_is_no_part_of_it(tmp_path):
    assert _title(tmp_path, "Council opens a new family hub in the market square\n\nPosted on 2 May 2023\n\n"
                            "The hub opened on Monday.\n") == "Council opens a new family hub in the market square"
    assert _title(tmp_path, "Hidden harm: what a national review of neglect in teenagers found\n\nOctober 2022\n\n"
                            "Contents\nForeword 3\n") == "Hidden harm: what a national review of neglect in teenagers found"


def test_a_period_under_a_title_is_part_of_its_name(tmp_path):
    assert _title(tmp_path, "Annual Report\n\nApril 2022 to March 2023\n\nContents\nForeword 3\n") == \
        "Annual Report April 2022 to March 2023"


def test_a_meetings_day_and_place_are_not_part_of_its_title(tmp_path):
    assert _title(tmp_path, "ORKNEY CHILD PROTECTION COMMITTEE\n\nMINUTE OF MEETING\n\n"
                            "Thursday 6th March 2025, 10am, Council Offices\n\nPresent: the Chair\n") == \
        "Orkney Child Protection Committee Minute Of Meeting"


def test_a_field_dating_the_page_and_a_heading_after_the_first_paragraph_are_not_titles(tmp_path):
    text = ("Joint targeted area inspection of the multi-agency response to children who go missing in Bolton\n\n"
            "Inspection dates: 3 to 7 March 2025\n\nDate of publication: 30 April 2025\n\n"
            "This report sets out what inspectors found when they visited the area.\n\n"
            "## Headline findings\n\nPartners know their children well.\n")
    assert _title(tmp_path, text).startswith("Joint targeted area inspection")


def test_a_short_line_above_the_first_paragraph_heads_a_section(tmp_path):
    assert _title(tmp_path, "Learning from a rapid review: Child T\n\nWhat happened\n\n"
                            "Child T was taken to hospital with an injury nobody could explain.\n") == \
        "Learning from a rapid review: Child T"


def test_a_site_named_for_its_area_with_a_text_naming_only_the_partnership():
    text = "Training\n\nThe Partnership runs courses every term. Book through the partnership's site."
    assert detect_publisher(text, "https://www.saferchildrenbolton.org.uk/training") == \
        "Bolton Safeguarding Children Partnership"
    # a council's own site stays the council's
    assert detect_publisher(text, "https://www.bolton.gov.uk/training") == "Bolton Council"


def test_a_host_of_initials_names_the_area_the_page_names():
    text = "7 minute briefings\n\nThese briefings draw on rapid reviews of cases in Bolton and in Bolton's schools."
    assert detect_publisher(text, "https://bscp.org.uk/briefings") == "Bolton Safeguarding Children Partnership"
    # no area of those initials named: no guess
    assert detect_publisher("7 minute briefings\n\nThese briefings draw on rapid reviews.",
                            "https://bscp.org.uk/briefings") is None


def test_an_inspection_report_is_the_inspectorates_not_the_inspected_councils():
    text = ("Bolton Council: inspection of local authority children's services\n"
            "Inspection dates: 3 to 14 March 2025\n"
            "Ofsted inspectors found that Bolton Council's services for children in care are good.")
    assert detect_publisher(text, "https://mirror.example.net/doc/1") == "Ofsted"
    # the council's committee considering that inspection publishes its own record
    record = "Agenda item\n\n" + text + "\nThe Committee noted the report."
    assert detect_publisher(record, "https://bolton.moderngov.co.uk/mgAi.aspx?ID=5") == "Bolton Council"


def test_a_name_in_capitals_is_written_as_a_name():
    assert detect_publisher("ORKNEY CHILD PROTECTION COMMITTEE\n\nMinute of meeting") == \
        "Orkney Child Protection Committee"


def test_a_contents_line_does_not_type_a_document():
    text = ("Contents\nIntroduction 3\nChapter 2: Multi-agency safeguarding arrangements 12\n\n"
            "This guidance explains what practitioners must do.")
    assert detect_doc_type(text, "Protecting children online: guidance for schools") == "other"


def test_a_financial_year_anywhere_in_the_title_lines_dates_the_document():
    assert detect_period(["Performance update Q3 2023/24", "Prepared for the Executive"])["year_start"] == 2023
    assert detect_period(["Thematic analysis of rapid reviews 2019 to 2022"])["how"] == "span"


def test_a_title_saying_what_practitioners_should_take_is_a_briefing():
    text = "The review found that nobody asked who else lived in the home. Ask about every adult."
    assert detect_doc_type(text, "Key messages for practitioners from the review of Child R") == "briefing"


def test_a_paper_named_as_a_report_to_a_committee_is_a_board_paper():
    text = "Purpose of the report: to present the annual report of the LSCB. Cabinet is asked to note it."
    assert detect_doc_type(text, "Report to Cabinet: LSCB Annual Report 2016/17") == "board-papers"


def test_a_file_with_no_address_names_the_body_of_the_area_it_names():
    text = "Training\n\nThe Partnership runs courses for staff in Bolton every term. The partnership site lists them."
    assert detect_publisher(text) == "Bolton Safeguarding Children Partnership"
    # a national body the page names is no local partnership's
    assert detect_publisher("The Child Safeguarding Practice Review Panel published its report. "
                            "Safeguarding partners in Bolton should read it.") == "Child Safeguarding Practice Review Panel"


def test_a_public_protection_committee_is_not_renamed_a_child_protection_committee():
    text = "Public Protection Committee\n\nEast Renfrewshire\n\nAnnual Report 2022-23"
    assert detect_publisher(text) == "East Renfrewshire Public Protection Committee"


def test_a_page_with_no_line_naming_it_takes_its_addresss_last_words(tmp_path):
    path = tmp_path / "saved.md"
    path.write_text("<!-- https://www.boltonscp.org.uk/about/independent-scrutiny/ -->\n"
                    "The partners are responsible for local arrangements, and the role of independent scrutiny is to "
                    "provide assurance that they work.\n\nThe scrutineer reports to the partners every year.\n",
                    encoding="utf-8")
    assert parse_file(path).doc["title"] == "Independent Scrutiny"


def test_an_address_restating_the_headline_is_titled_in_the_headlines_own_spelling(tmp_path):
    # a news page whose long headline is read as prose; its address says the same words, without
    # the apostrophes and quotes, and ends with the site's article number
    headline = ("'We failed them' - children's services director's apology after reviews into a toddler's "
                "injuries in Northshire are published today")
    body = "\n\nTown Hall\n\nA toddler was hurt and professionals did not share what they knew, two reviews said.\n"
    assert _title(tmp_path, "<!-- https://news.example.co.uk/news/we-failed-them-children-s-services-director-s-apology-"
                            "after-reviews-into-a-toddler-s-injuries-in-northshire-are-published-today-1-2345678 -->\n"
                            f"{headline}{body}") == headline
    # an address that leaves out the joining words ("into", "is", "of") restates it as well
    headline = "Review into a baby's death after a father is convicted of neglect says lessons must be learned now"
    assert _title(tmp_path, "<!-- https://news.example.co.uk/news/review-babys-death-after-father-convicted-neglect-"
                            "says-lessons-must-be-learned-now-872467 -->\n" + headline + body) == headline
    # an address no line restates is read for its words, without the site's article number
    assert _title(tmp_path, "<!-- https://news.example.co.uk/news/serious-case-review-published-for-eastvale-872467 -->\n"
                            "A toddler was hurt and professionals did not share what they knew, two reviews published "
                            "today have said, and the board has accepted every recommendation they make.\n"
                  ) == "Serious Case Review Published For Eastvale"


def test_a_page_named_by_its_address_alone_finds_its_line_as_the_candidates_read_it(tmp_path):
    # no line scores as a title (the headline is long, read as prose) and the address names no report:
    # the address's words are written as the headline writes them, its link's size left off as the
    # candidates leave it off (the address's own words came back before)
    headline = ("Children's services director apologises after a toddler was hurt in Eastvale and professionals "
                "who knew did not share what they knew with each other")
    page = ("<!-- https://news.example.co.uk/news/childrens-services-director-apologises-after-a-toddler-was-hurt-"
            "in-eastvale-and-professionals-who-knew-did-not-share-what-they-knew-with-each-other -->\n"
            f"{headline} (PDF 205 KB)\n\nA toddler was hurt, two reviews said.\n")
    assert _title(tmp_path, page) == headline


def test_a_mirror_sites_and_a_news_sites_own_lines_are_no_part_of_a_title(tmp_path):
    assert _title(tmp_path, "<!-- https://docs.example.com/doc/1234567/westshire-plan -->\n"
                            "Westshire Safeguarding Partnership Business Plan 2021-2024\n\nPage created by Sam Jones\n"
                            "CONTINUE READING\nTotal Page:22\nFile Type:pdf, Size:900Kb\n"
                            "Westshire Safeguarding Partnership Business Plan 2021-2024\nWestshire Safeguarding Partnership\n\n"
                            "The plan sets out what the partners will do over three years to keep children safe.\n"
                  ) == "Westshire Safeguarding Partnership Business Plan 2021-2024"
    assert _title(tmp_path, "<!-- https://news.example.org/item?id=77 -->\nSkip the Example Bar\nPrintable version "
                            "E-mail this to a friend\n\nInspectors call for faster reviews after child deaths\n\n"
                            "Inspectors said today that reviews after a child dies take too long and the learning is lost.\n"
                  ) == "Inspectors call for faster reviews after child deaths"
    assert _title(tmp_path, "Practice Review Panel 2020\n\nDear Minister,\n\n1 March 2020\n\n"
                            "I am writing to tell you that the panel will review the deaths of four babies this year.\n"
                  ) == "Practice Review Panel 2020"


def test_a_sites_own_controls_and_a_cover_sheets_boxes_are_no_part_of_a_title(tmp_path):
    assert _title(tmp_path, "Local democracy\n\nANNUAL REPORT OF THE NORTHSHIRE SAFEGUARDING CHILDREN BOARD 2016/17\n\n"
                            "The board reports each year to the council's cabinet on how well children are kept safe.\n"
                  ) == "Annual Report Of The Northshire Safeguarding Children Board 2016/17"
    assert _title(tmp_path, "Latest News\n\nJoint inspection of the response to neglect in Northshire\n\n"
                            "Inspectors visited the partnership in March and spoke to families and professionals.\n"
                  ) == "Joint inspection of the response to neglect in Northshire"
    assert _title(tmp_path, "Quickly Leave This Website\nToggle Contrast\n-A A A+\nNorthshire Council Banner\n\n"
                            "Northshire Multi-Agency Safeguarding Arrangements 2024\n\n"
                            "This document sets out how the three partners work together to keep children safe.\n"
                  ) == "Northshire Multi-Agency Safeguarding Arrangements 2024"
    assert _title(tmp_path, "Decision ( ) Discussion ( ) Information ( )\n\nSize: px\nStart display at page:\n\n"
                            "Transcription\n\nWestvale Safeguarding Board Annual Report ( ) Business Plan ( )\n\n"
                            "The board met four times this year and agreed its priorities for the next.\n"
                  ) == "Westvale Safeguarding Board Annual Report Business Plan"


def test_a_name_set_twice_on_a_cover_is_said_once_in_the_title(tmp_path):
    assert _title(tmp_path, "Eastvale Child Protection Committee\n\nEastvale Child Protection Committee\n\n"
                            "Annual Report 2010/11\n\n1.0 Foreword\n\nThe committee has worked hard this year to keep "
                            "children safe.\n") == "Eastvale Child Protection Committee Annual Report 2010/11"


def test_a_body_named_without_its_area_is_never_made_up_for_an_area_of_another_nation():
    # Scotland has Child Protection Committees, not Local Safeguarding Children Boards
    scottish = ("Safeguarding Annual Report 2023-24\nNHS Greater Glasgow and Clyde\n"
                "The board sets out its child protection work across Glasgow this year.")
    assert "Local Safeguarding Children Board" not in (detect_publisher(scottish) or "")
    english = "Annual Report 2022-23\nThe Partnership met six times in Devon. Devon children were heard."
    assert detect_publisher(english) == "Devon Safeguarding Children Partnership"
    assert detect_publisher(english.replace("Devon", "Glasgow")) != "Glasgow Safeguarding Children Partnership"


def test_a_post_stamp_is_no_title(tmp_path):
    # a blog's stamp written "Post on", above or below the page's own name
    assert _title(tmp_path, "Post on 12-May-2021\n\nNew safeguarding arrangements for the partnership\n\n"
                            "The three partners agreed the arrangements this week.\n") == \
        "New safeguarding arrangements for the partnership"
