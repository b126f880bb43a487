"""The publisher judge of ``bench/realdev.py`` (and ``bench/heldout.py``, which uses it): a right answer
is right for every kind of body a manifest may name, national bodies need no area, a council's area is
the name before "Council"."""
from __future__ import annotations

import pytest

from tests.rankdocs import bench

realdev = bench("realdev")[0]


@pytest.mark.parametrize(("got", "want"), [
    ("Care Quality Commission", "Care Quality Commission (CQC)"),
    ("Care Inspectorate", "Care Inspectorate (Scotland), page hosted by a professional association"),
    ("NSPCC", "A news site (reporting a university and NSPCC)"),
    ("Ofsted", "Westshire Council reporting Ofsted inspection (Westshire)"),
    ("Child Safeguarding Practice Review Panel", "Child Safeguarding Practice Review Panel"),
    ("Healthcare Inspectorate Wales", "Healthcare Inspectorate Wales (with Care Inspectorate Wales and Estyn)"),
    ("Haringey Council", "Haringey Council Children's Policy and Practice Advisory Committee (London Borough of Haringey)"),
    ("City of York Council", "City of York Council Children, Culture and Communities Scrutiny"),
    ("Brent Council", "London Borough of Brent"),
    ("Cardiff and Vale of Glamorgan Regional Safeguarding Board", "Cardiff and Vale of Glamorgan Regional Safeguarding Boards"),
    # health bodies named by their area alone, or written without "NHS"
    ("NHS Westshire", "NHS Westshire (health board, Scotland)"),
    ("NHS Westshire Integrated Care Board", "NHS Westshire"),
    ("Westbury Hospital Trust", "Westbury Hospital Trust (safeguarding team)"),
    ("Westbury Community Healthcare Foundation Trust", "Westbury Community Healthcare Foundation Trust"),
])
def test_a_right_publisher_is_judged_right(got, want):
    assert realdev.publisher_right(got, want)


@pytest.mark.parametrize(("got", "want"), [
    ("Care Inspectorate Wales", "Healthcare Inspectorate Wales (with Care Inspectorate Wales and Estyn)"),
    ("York Safeguarding Children Partnership", "City of York Council Children, Culture and Communities Scrutiny"),
    ("Leeds City Council", "City of York Council Children, Culture and Communities Scrutiny"),
    ("Vale of Glamorgan Regional Safeguarding Board", "Cardiff and Vale of Glamorgan Regional Safeguarding Boards"),
    ("NSPCC", "Department of Health, Social Services and Public Safety (Northern Ireland)"),
    (None, "Child Safeguarding Practice Review Panel"),
    ("Devon Safeguarding Children Partnership", "Cornwall Safeguarding Children Partnership"),
    ("NHS Eastshire", "NHS Westshire"),
    ("NHS England", "NHS Westshire"),
    ("Westshire Safeguarding Children Partnership", "NHS Westshire"),
    ("Westbury Community Healthcare Foundation Trust", "Eastbury Community Healthcare Foundation Trust"),
])
def test_a_wrong_publisher_is_judged_wrong(got, want):
    assert not realdev.publisher_right(got, want)


@pytest.mark.parametrize(("got", "want"), [
    # "X reporting Y": the page is X's (its site, its news), about Y's work: either names it
    ("Westshire Council", "Westshire Council (reporting NSPCC)"),
    ("NSPCC", "Westshire Council (reporting NSPCC)"),
    ("Westshire Safeguarding Children Partnership",
     "Westshire Safeguarding Children Partnership reposting Child Safeguarding Practice Review Panel briefing (national)"),
    ("Westshire Council", "Westshire Council (Schools bulletin, Westshire) reporting NSPCC summary (national)"),
    # a note in brackets that is the body's other name, written as a name
    ("Westshire Child Protection Committee", "Westshire Public Protection Committee (Westshire Child Protection Committee)"),
    # a proper name of no known kind (a news site, a company), with or without "The", "Ltd" or "news"
    ("Westshire Gazette", "Westshire Gazette"),
    ("The Daily Lantern", "Daily Lantern (interview with the Westshire Safeguarding Children Partnership chair)"),
    ("Harbour Training", "Harbour Training Ltd (on Westshire Safeguarding Children Board guidance)"),
    ("Radio Fen", "Radio Fen news (reporting a national inspectorate)"),
    ("LanternNI", "Lantern NI (article by a national board)"),
    # "Borough" after an area is its council's kind, not a part of the area
    ("Westbury Safeguarding Children Partnership", "Westbury Borough Safeguarding Children Partnership (WBSCP)"),
])
def test_a_publisher_named_as_the_manifest_allows_is_right(got, want):
    assert realdev.publisher_right(got, want)


@pytest.mark.parametrize(("got", "want"), [
    # a remark in brackets names no alternative: the page is not the body it mentions
    ("Westshire Safeguarding Children Partnership",
     "Daily Lantern (interview with the Westshire Safeguarding Children Partnership chair)"),
    ("Westshire Safeguarding Children Board", "Harbour Training Ltd (on Westshire Safeguarding Children Board guidance)"),
    # a name of no known kind is that name, not a part of it or another
    ("Harbour", "Harbour Training"),
    ("Westshire Gazette", "Eastshire Gazette"),
    ("Westshire Safeguarding Children Partnership", "Westshire Gazette"),
    # the reported body is not any body of its kind
    ("Eastshire Council", "Westshire Council (reporting NSPCC)"),
    ("Eastbury Safeguarding Children Partnership", "Westbury Borough Safeguarding Children Partnership (WBSCP)"),
])
def test_a_publisher_the_manifest_does_not_allow_is_wrong(got, want):
    assert not realdev.publisher_right(got, want)
