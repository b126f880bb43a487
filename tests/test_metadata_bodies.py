"""Councils by their own names, a council named as an attendee's employer, the body a page speaks
as, and sites whose address is a board's or partnership's initials (``tests/realistic/bodies`` is
checked in ``test_metadata_field.py``)."""
from __future__ import annotations

from ingest import places
from ingest.metadata import council_name, councils_found, detect_publisher, publishers


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
