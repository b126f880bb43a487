"""Councils by their own names, a council named as an attendee's employer, the body a page speaks
as, and sites whose address is a board's or partnership's initials (``tests/realistic/bodies`` is
checked in ``test_metadata_field.py``)."""
from __future__ import annotations

from ingest import places
from ingest.metadata import council_name, councils_found, detect_publisher, publisher_candidates, publishers


def _named(text: str) -> list[tuple[str, str]]:
    return [(text[s:e], area.name) for s, e, area in councils_found(text)]


def test_a_council_is_read_in_every_form_its_name_takes():
    text = ("Reports went to Slough Borough Council, the London Borough of Brent, Cornwall Council, City of York "
            "Council, Stoke-on-Trent City Council and the Royal Borough of Windsor & Maidenhead.")
    assert _named(text) == [("Slough Borough Council", "Slough"), ("London Borough of Brent", "Brent"),
                            ("Cornwall Council", "Cornwall"), ("City of York Council", "York"),
                            ("Stoke-on-Trent City Council", "Stoke-on-Trent"),
                            ("Royal Borough of Windsor & Maidenhead", "Windsor and Maidenhead")]
    # a council in a sentence, in lower case or without its area, is no name
    assert _named("The report went to the Council and to brent council in May.") == []


def test_a_council_is_written_by_its_own_name_when_the_page_gives_only_its_area():
    p = publishers()
    assert council_name(places.lookup("Slough"), p) == "Slough Borough Council"
    assert council_name(places.lookup("Devon"), p) == "Devon County Council"
    assert council_name(places.lookup("Brent"), p) == "Brent Council"
    assert council_name(places.lookup("Greenwich"), p) == "Royal Borough of Greenwich"
    assert detect_publisher("Private fostering\n\nTell the Council about the arrangement.",
                            "https://www.slough.gov.uk/private-fostering") == "Slough Borough Council"


def test_a_council_named_as_an_attendees_employer_or_inside_another_name_is_not_the_author():
    minutes = ("Minute of the Fife Child Protection Committee meeting held on 14 March 2023\n"
               "Mr K Grant, Service Manager, Fife Council\nMs P Wood, Education Officer, Fife Council\n"
               "Members agreed the plan.")
    assert detect_publisher(minutes) == "Fife Child Protection Committee"
    assert _named("The London Borough of Sutton Safeguarding Children Partnership met.") == []


def test_the_body_a_page_speaks_as_wins_over_a_neighbour_it_names_more():
    text = ("Joint learning event\n\nAs Tameside Safeguarding Children Partnership, we invite practitioners.\n"
            "Stockport Safeguarding Children Partnership will present. Stockport Safeguarding Children "
            "Partnership will also show a film.")
    assert detect_publisher(text) == "Tameside Safeguarding Children Partnership"


def test_a_site_named_by_initials_is_the_body_of_the_area_the_page_names():
    page = "Recognising neglect\n\nChildren in Lambeth are mostly well cared for. The NSPCC runs a helpline."
    assert detect_publisher(page, "https://www.lscp.org.uk/neglect") == "Lambeth Safeguarding Children Partnership"
    # a Welsh region's board, by the letters of its site
    assert detect_publisher("Practice reviews\n\nThe Welsh Government sets out the guidance.",
                            "https://www.ctmsb.wales/practice-reviews") == "Cwm Taf Morgannwg Safeguarding Board"


def test_a_body_named_by_its_area_and_abbreviation_is_written_in_full():
    assert detect_publisher("Learning reviews\n\nAngus CPC agrees which reviews to hold.") == \
        "Angus Child Protection Committee"
    assert detect_publisher("Annual report\n\nNHS Wigan CCG commissioned the services.") == \
        "NHS Wigan Clinical Commissioning Group"


def test_points_of_the_compass_before_an_area_are_part_of_it():
    text = "Safeguarding report\n\nSouth and West Devon Clinical Commissioning Group met its duties this year."
    assert detect_publisher(text) == "South and West Devon Clinical Commissioning Group"


def test_a_joint_childrens_and_adults_board_publishes_as_its_childrens_board():
    text = "THE WEST GLAMORGAN SAFEGUARDING CHILDREN & ADULTS BOARDS\n\nANNUAL REPORT 2022-23\n\nThe boards met."
    assert detect_publisher(text) == "West Glamorgan Safeguarding Children Board"


def test_a_name_whose_area_is_cut_short_names_no_area():
    # a cover line whose area lost its last words ("Newport and" before the body) is no area of its own
    text = "NEWPORT AND REGIONAL SAFEGUARDING BOARDS\n\nThe boards met in Newport."
    assert detect_publisher(text) != "Newport and Regional Safeguarding Board"


def test_a_nation_or_region_has_no_council_of_its_own():
    p = publishers()
    assert council_name(places.lookup("Northern Ireland"), p) is None
    page = "News release\n\nThe minister welcomed the review of case management. The NSPCC took part."
    assert detect_publisher(page, "https://www.northernireland.gov.uk/news/review") != "Northern Ireland Council"


def test_a_council_in_an_attendees_line_that_runs_on_is_their_employer():
    minutes = ("National group on child protection: minutes of 4 May 2023\n\nAttendees\n"
               "  • Jo Brown, Chief Executive, Angus Council, lead for children's services\n"
               "  • Sam Green, Head of Education, Moray Council and representative of directors\n"
               "  • Kim White, Scottish Government (secretariat)\n\n"
               "The Scottish Government set out the programme. The Scottish Government will report in June.")
    assert detect_publisher(minutes) == "Scottish Government"
    # a council named in a sentence with commas is still read
    assert _named("In May, after the review, Angus Council agreed the plan.") == [("Angus Council", "Angus")]


def test_a_welsh_regions_board_named_as_its_childrens_board_is_not_made_again_from_the_address():
    page = ("Terms of reference: the quality group\n\nThe group reports to the West Glamorgan Safeguarding "
            "Children Board. Each Safeguarding Board partner sends a member, and the Safeguarding Board "
            "reviews the group's work each year.\n\nThe Safeguarding Board sets the group's priorities; the chair "
            "reports to the Safeguarding Board twice a year.")
    assert detect_publisher(page, "https://www.westglamorgansafeguarding.example.org/about/quality") == \
        "West Glamorgan Safeguarding Children Board"


def test_a_determiner_starting_a_sentence_is_no_area():
    text = ("Terms of reference\n\nSome Safeguarding Board partners send deputies. Most Safeguarding Board members "
            "attend. The Cwm Taf Morgannwg Safeguarding Board agreed these terms.")
    assert detect_publisher(text) == "Cwm Taf Morgannwg Safeguarding Board"
    assert [name for _, name in publisher_candidates(text)] == ["Cwm Taf Morgannwg Safeguarding Board"]


def test_a_national_body_on_its_own_site_is_the_author_beside_another_it_names_more():
    page = ("Joint follow-up\n\nThe Welsh Government asked Care Inspectorate Wales (CIW) to lead the review. CIW wrote "
            "to each region and CIW met council leads.\n\nWith Estyn and with us, Healthcare Inspectorate Wales, CIW "
            "looked at the replies.")
    assert detect_publisher(page, "https://www.hiw.org.uk/follow-up") == "Healthcare Inspectorate Wales"
    # the same words on no site of its own: the inspectorate named most
    assert detect_publisher(page) == "Care Inspectorate Wales"


def test_the_commissioners_of_the_four_nations_are_different_bodies():
    assert detect_publisher("Annual report\n\nThe Children's Commissioner for Wales has published her report.") == \
        "Children's Commissioner for Wales"
    assert detect_publisher("Annual report\n\nThe Children's Commissioner for England has published her report.") == \
        "Children's Commissioner"


def test_a_body_that_commissioned_a_report_is_not_its_author():
    page = ("University and NSPCC publish a review of case reviews\n\nThe review was commissioned by the Department of "
            "Health, Social Services and Public Safety (DHSSPS) and draws on many case management reviews.")
    assert detect_publisher(page, "https://news.example.com/2013/review") == "NSPCC"
    # a department that speaks for itself on its own site is the author
    news = "Minister welcomes guidance\n\nThe Minister welcomed guidance written for the Department with the NSPCC."
    assert detect_publisher(news, "https://www.health-ni.gov.uk/news/guidance") == "Department of Health (Northern Ireland)"


def test_a_site_named_by_a_boroughs_initials_is_that_boroughs_body():
    page = "7 minute briefings\n\nOur briefings help teams reflect. The NSPCC also writes briefings.\nContact us (Wigan)."
    assert detect_publisher(page, "https://www.wbscp.org.uk/briefings/") == "Wigan Safeguarding Children Partnership"
    # a site's letters with no area named there that they fit: no area is made up
    assert detect_publisher(page.replace("Wigan", "Leeds"), "https://www.wbscp.org.uk/briefings/") == "NSPCC"


def test_an_address_naming_annual_reports_in_the_plural_is_a_page_about_them():
    from ingest.metadata import detect_doc_type

    text = "Reading partners' reports\n\nLocal partners publish a yearly report on their arrangements, and we read some."
    assert detect_doc_type(text, "Reading partners' reports", "https://example.org/blog/partners-annual-reports/") == "other"
    assert detect_doc_type(text, "Reading partners' reports", "https://example.org/docs/partnership-annual-report-2022.pdf") \
        == "annual-report"


def test_the_national_panel_written_short_is_the_panel():
    page = ("Bruising in babies\n\nLast week the government's Child Safeguarding Panel published a briefing on bruising "
            "in babies who are not yet mobile. The Panel asks partners to review their protocols.")
    assert detect_publisher(page, "https://chambers.example.co.uk/news/bruising/") == \
        "Child Safeguarding Practice Review Panel"


def test_a_body_of_two_areas_agrees_with_either_areas_address():
    # a council's committee page presents the joint board's report: the address's area is one of the
    # board's, so the board named in full is the author and no board of that area alone is made from it
    page = ("Agenda item\n\nWILTSHIRE & SWINDON LOCAL SAFEGUARDING CHILDREN BOARD (LSCB) ANNUAL REPORT\n\n"
            "To consider a report by the business manager, Wiltshire & Swindon LSCB, presenting the annual report "
            "of the Wiltshire & Swindon Local Safeguarding Children Board.\n\nMinutes:\n\n"
            "Members asked how the LSCB checks the training of staff. The LSCB answered.")
    url = "https://democracy.swindon.gov.uk/mgAi.aspx?ID=1"
    assert [name for _, name in publisher_candidates(page, url)] == [
        "Wiltshire & Swindon Local Safeguarding Children Board (LSCB)"]


def test_northern_irelands_care_inspectorate_is_a_national_body_a_news_page_reports():
    page = ("Inspectors ask trusts to tighten their oversight of child protection\n\nThe Regulation and Quality "
            "Improvement Authority (RQIA) looked at how each trust's board hears about children at risk. RQIA "
            "asks for eleven changes within a year.\n")
    assert detect_publisher(page, "https://www.example-radio.co.uk/local/news/trusts-asked-to-tighten-oversight") == \
        "Regulation and Quality Improvement Authority"
