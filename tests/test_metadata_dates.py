"""Dates written with hyphens ("14-11-2021"), a previous meeting's date as the last resort, and a
committee's item on several yearly reports dated by the year they cover (``ingest/metadata/years.py``)."""
from __future__ import annotations

from datetime import date

from ingest.document import parse_file
from ingest.metadata import date_candidates, detect_period, meeting_date, names_yearly_report


def test_a_date_in_figures_with_hyphens_is_read_day_first():
    found = [c[2] for c in date_candidates(["Scrutiny Committee", "Date of meeting: 14-11-2021"])]
    assert found == [date(2021, 11, 14)]
    # one separator throughout; a span of years is no date
    assert date_candidates(["Date of meeting: 14-11/2021"]) == []
    assert date_candidates(["Date: 2019-20-21"]) == []


def test_a_previous_meetings_date_dates_papers_that_carry_no_other():
    lines = ["Scrutiny Committee", "Apologies were received from two members.",
             "Minutes: The Chair signed the minutes of the previous meeting held on 14-11-2021 as a correct record."]
    assert detect_period(lines)["year_start"] == 2021
    # the meeting's own date still wins over it
    lines.insert(1, "Date of meeting: 9 May 2023")
    assert meeting_date(lines) == date(2023, 5, 9)
    assert detect_period(lines, prefer_date=True)["year_start"] == 2023


def test_a_committee_item_on_several_yearly_reports_takes_the_year_they_cover(tmp_path):
    assert names_yearly_report("Safeguarding Boards Annual Reports 2019/20")
    page = tmp_path / "item.md"
    page.write_text("Issue - meetings\n\nSafeguarding Boards Annual Reports 2019/20\n\n"
                    "Meeting: 24/11/2020 - Health and Wellbeing Board (Item 7)\n\nMinutes:\n\n"
                    "The independent chair of both boards presented the 2019/20 annual reports. Members asked about "
                    "training for school staff and noted the reports.\n", encoding="utf-8")
    doc = parse_file(page).doc
    assert (doc["doc_type"], doc["year"]) == ("board-papers", "2019-20")
