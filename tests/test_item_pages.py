"""Items on whole pages: pages that hold none give none, and points in prose or under short
labels come out, read from what the whole document says as well as from each candidate."""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest.document import parse_file
from ingest.items import extract_items, lead_kind


def items_of(tmp_path: Path, text: str) -> list[tuple[str, str]]:
    path = tmp_path / "page.md"
    path.write_text(text, encoding="utf-8")
    return [(i["kind"], i["text"]) for i in extract_items(parse_file(path))]


# pages a careful reader finds no finding, recommendation or plan on
@pytest.mark.parametrize("lines", [
    pytest.param([
        "# More children on protection plans in Larchfield",
        "The number of contacts, assessments and children on protection plans all rose last year, council figures show.",
        "Contacts rose by 5.2% this year, from 12,410 to 13,055, while assessments went up by 3.1% to 6,880.",
        "Enquiries under section 47 also increased, from 1,720 to 1,905, a rise of 10.8%.",
        "However, the number of children in care fell slightly, from 612 to 598 at 31 March.",
        "Emotional abuse was the most common category for children on a plan (41%), ahead of neglect (37%).",
        "Keep up to date with the latest figures. Sign up to our weekly emails.",
        "Tel: 01632 960 123 Contact us",
    ], id="statistics story"),
    pytest.param([
        "# Keeping Babies Safe: a conference for practitioners",
        "14 March 2024",
        "9:30 am - 3:30 pm",
        "The Guildhall, 12 Market Street, Larchfield.",
        "“If we want babies to be safe, every agency must listen to parents and act on what they see.”",
        "Book your place",
        "The conference looks at the work of partners with families who are expecting a baby. "
        "The key focus is to deliver a more joined-up response across midwifery, health visiting and the police. "
        "Speakers include the Designated Nurse and the Independent Chair.",
        "Referrals about unborn babies rose by 18% last year, and 240 practitioners took part in training.",
    ], id="event page"),
    pytest.param([
        "Larchfield Council",
        "MINUTES of the Meeting of the Safeguarding Committee held on Tuesday 4 March 2025 at 5.00 pm.",
        "PRESENT:",
        "Ms A Rowe, Mr B Hale, Mrs C Ode",
        "12 APOLOGIES FOR ABSENCE",
        "An apology for absence was received from Mr D Venn.",
        "13 MINUTES",
        "RESOLVED: that the minutes of the meeting held on 2 December 2024 be approved and signed by the Chair.",
        "14 ATTENDANCE POLICY",
        "Mrs Ode reported that the cost of the new system was £640 for the year.",
        "RESOLVED: that the policy be approved.",
    ], id="minutes of resolutions"),
])
def test_a_page_holding_no_items_gives_none(tmp_path, lines):
    assert items_of(tmp_path, "\n\n".join(lines)) == []


def test_points_under_short_labels_are_the_items_of_the_heading_above(tmp_path):
    got = items_of(tmp_path, "\n\n".join([
        "# Learning from our reviews",
        "## Key learning and practice improvements",
        "Working with fathers:",
        "- Practitioners who asked about every adult in the household understood the risks to the baby.\n"
        "- Inviting fathers to appointments gave them a part in the plan.",
        "Early help:",
        "- A named lead practitioner kept the family and the agencies working to one plan.",
    ]))
    assert [k for k, _ in got] == ["learning", "learning", "learning"]
    assert not any(t.startswith(("Working with fathers", "Early help")) for _, t in got)


def test_a_lead_in_that_says_what_should_be_done_names_its_points(tmp_path):
    got = items_of(tmp_path, "\n\n".join([
        "# Bruising in babies",
        "A baby who is not yet mobile rarely bruises by accident.",
        "Professionals need to:",
        "- refer any bruise on a baby who is not mobile to children's social care the same day\n"
        "- speak to both parents about how the bruise happened",
    ]))
    assert len(got) == 2 and all(k in ("learning", "recommendation") for k, _ in got)


def test_what_inspectors_found_is_a_finding_in_a_lead_in_and_in_prose(tmp_path):
    assert lead_kind("In the councils judged good, inspectors found:") == "finding"
    got = items_of(tmp_path, "\n\n".join([
        "# Inspection results for four councils",
        "Ofsted has published the results of its latest inspections of four councils.",
        "Marshby was praised for its early help but was told its planning for care leavers needs improvement.",
        "Inspectors reported that too many children in Fernley had several changes of social worker.",
        "It also advised Fernley to strengthen management oversight of children in need.",
    ]))
    kinds = {t[:20]: k for k, t in got}
    assert kinds.get("Marshby was praised ") == "finding"
    assert kinds.get("Inspectors reported ") == "finding"
    assert kinds.get("It also advised Fern") in ("recommendation", "finding")


def test_a_heading_written_as_a_lead_in_names_the_points_under_it(tmp_path):
    got = items_of(tmp_path, "\n\n".join([
        "# Home visits to babies",
        "Health visitors see most babies at home in their first weeks.",
        "## When a visit raises a worry, staff should:",
        "- talk to the parents about what they saw before leaving the home\n"
        "- tell the named safeguarding nurse about the worry on the same day\n"
        "- write down who else was living in the home",
    ]))
    points = [(k, t) for k, t in got if t.startswith(("talk to", "tell the", "write down"))]
    assert len(points) == 3 and all(k in ("learning", "recommendation") for k, _ in points)


def test_a_heading_written_as_a_plain_lead_in_gives_no_items(tmp_path):
    got = items_of(tmp_path, "\n\n".join([
        "# Who sits on the board",
        "The board meets every quarter in the town hall.",
        "## The board's members come from:",
        "- the county council\n- the police\n- the health board\n- the schools' forum",
    ]))
    assert got == []
