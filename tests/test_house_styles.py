"""Metadata and items from other partnerships' house styles (titles, years, publishers, item forms)."""
from __future__ import annotations

import pytest

from ingest.blocks import HEADING, LIST_ITEM, PARAGRAPH, TABLE_ROW, Block
from ingest.items import extract_section_items, inline_list, labelled, normalise_status
from ingest.metadata import detect_doc_type, detect_period, detect_publisher, detect_title, is_furniture


def sec(heading, lines, ordinal=3, level=2):
    return {"heading": heading, "heading_path": [heading], "lines": lines, "ordinal": ordinal, "level": level}


@pytest.mark.parametrize("line", [
    "Agenda item", "Decision details", "Issue - meetings", "Councillors and committees", "Skip to content",
    "<!-- page template -->", "Contact: Jo Bloggs 01632 960000", "Published: November 2013",
    "Download the briefing (PDF)", "Sign up for updates", "See the full series", "![Boy sat on stairs](a.jpg)",
])
def test_furniture_lines(line):
    assert is_furniture(line)


def test_furniture_is_not_body_text():
    assert not is_furniture("Contact with the family was lost in May.")
    assert not is_furniture("Agenda items were agreed by the Board.")


def test_title_skips_portal_furniture_and_takes_the_styled_heading():
    blocks = [Block(PARAGRAPH, t) for t in ("<!-- x -->", "Skip to content", "Agenda item", "Decision details")]
    blocks += [Block(HEADING, "Neglect Strategy: Progress Update", level=1, strong=True),
               Block(PARAGRAPH, "Contact: Priya Lanes 01632 960123")]
    assert detect_title(blocks, "file name") == "Neglect Strategy: Progress Update"
    seven = [Block(HEADING, "Minute Briefing: Seeing the Dads", level=1, number="7", strong=True)]
    assert detect_title(seven, "f") == "7 Minute Briefing: Seeing the Dads"


@pytest.mark.parametrize("lines, year", [
    (["This report describes where we were at the end of 2015-16."], 2015),
    (["The work of the partnership for the year 2022/23."], 2022),
    (["Audit period: January 2021 - March 2022"], 2021),
    (["The report covers April 2020 to March 2021."], 2020),
    (["Annual Report 2020 to 2021"], 2020),
    (["Annual report 2020-2021"], 2020),
    (["Yearly report 2020/2021"], 2020),
    (["Priorities for 2024-25"], 2024),
    (["For the year ending 31 March 2023"], 2022),
    (["Date of meeting: 21 June 2021"], 2021),
    (["Fernley Board Published: September 2016 A serious case review is held when"], 2016),
])
def test_years_from_common_statements(lines, year):
    assert detect_period(lines)["year_start"] == year


def test_body_period_beats_page_title_and_plan_year():
    lines = ["Annual report 2022 | Cresswell Partnership", "Cresswell Annual Report 2020 to 2021",
             "Priorities for 2021-22"]
    assert detect_period(lines)["year_start"] == 2020
    assert detect_period(["Meeting date: Tuesday 14 November 2023", "Annual Report 2022-23"],
                         prefer_date=True)["year_start"] == 2023


@pytest.mark.parametrize("text, publisher", [
    ("Lancashire's Safeguarding Children Board met four times.", "Lancashire's Safeguarding Children Board"),
    ("Welcome to the annual report of Thornbury & Wyvern LSCB.", "Thornbury & Wyvern Local Safeguarding Children Board"),
    ("Marsh and North West Fenland Safeguarding Children Partnership", "Marsh and North West Fenland Safeguarding Children Partnership"),
    ("commissioned by the Tri-borough Safeguarding Children Partnership after", "Tri-borough Safeguarding Children Partnership"),
    ("Easthaven Children's Safeguarding Partnership\nPublished", "Easthaven Children's Safeguarding Partnership"),
    ("how NHS Northmoor Integrated Care Board met its duties", "NHS Northmoor Integrated Care Board"),
    ("Findings and Recommendations\nKingsmere Safeguarding Children Partnership", "Kingsmere Safeguarding Children Partnership"),
])
def test_publishers_keep_their_area(text, publisher):
    assert detect_publisher(text) == publisher


def test_an_adults_board_never_publishes_a_childrens_report():
    text = ("Ashvale Safeguarding Adults Board and Ashvale Safeguarding Adults Board shared learning. "
            "The Safeguarding Children Partnership reviewed the children's cases.")
    assert "Adults" not in (detect_publisher(text) or "")


@pytest.mark.parametrize("title, text, kind", [
    ("Learning and Improvement Subgroup: Minutes", "Rapid reviews were considered.", "board-papers"),
    ("Exploitation update", "Agenda item\nDecision details", "board-papers"),
    ("Six Step Learning Briefing: Safer Sleep", "", "briefing"),
    ("7 Minute Briefing: Fathers", "", "briefing"),
    ("Learning from Serious Case Reviews: What Young People Told Us", "A serious case review is held", "briefing"),
    ("Local Child Safeguarding Practice Review: Child K", "", "review"),
    ("Rapid Review Summary: Baby S", "", "review"),
    ("Partnership Yearly Report 2022/23", "", "annual-report"),
])
def test_doc_types(title, text, kind):
    assert detect_doc_type(text, title) == kind


def test_labelled_paragraphs_and_inline_lists():
    assert labelled("Recommendation 1: The Partnership should seek assurance from schools.") == (
        "recommendation", "The Partnership should seek assurance from schools.")
    assert labelled("Finding 2 Chronologies were missing in half of the cases.")[0] == "finding"
    assert labelled("Learning point 3: Practitioners should see where the baby sleeps.")[0] == "learning"
    assert labelled("ACTION: Sian to circulate the escalation policy by March.")[0] == "action"
    assert labelled("Recommendations include: a; b") is None  # an inline list, not a labelled one
    assert inline_list("Our three priorities for 2021-24 were: neglect; exploitation; and early help.") == (
        "priority", ["neglect", "exploitation", "early help"])
    assert inline_list("Recommendations include: refresh training; repeat the audit")[1] == [
        "refresh training", "repeat the audit"]
    assert inline_list("The meeting noted: the report was late.") is None


def test_short_bullets_under_areas_of_focus_and_no_furniture_or_intro():
    items = extract_section_items(sec("What we did", [
        (PARAGRAPH, "Areas of focus:", None, []),
        (LIST_ITEM, "Neglect", None, []),
        (LIST_ITEM, "Early Help", None, []),
        (PARAGRAPH, "Download the briefing (PDF)", None, []),
    ]))
    assert [(i["kind"], i["text"]) for i in items] == [("priority", "Neglect"), ("priority", "Early Help")]
    items = extract_section_items(sec("Learning points", [
        (PARAGRAPH, "What follows draws on reviews published from 2013 onwards.", None, []),
        (PARAGRAPH, "Sign up for updates", None, []),
        (PARAGRAPH, "Practitioners should see where the baby sleeps, not just ask.", None, []),
    ]))
    assert [i["text"] for i in items] == ["Practitioners should see where the baby sleeps, not just ask."]


def test_rag_action_table_rows():
    rows = extract_section_items(sec("Progress on our plan", [
        (TABLE_ROW, "x", None, ["Action", "Owner", "RAG"]),
        (TABLE_ROW, "x", None, ["Launch the revised neglect toolkit", "Local authority", "Green"]),
        (TABLE_ROW, "x", None, ["Agree a transitions protocol with adult care", "ICB", "Red"]),
        (TABLE_ROW, "x", None, ["Add the learning to the training programme", "Lead", "On track"]),
    ]))
    assert [(i["kind"], i["status"]) for i in rows] == [("action", "green"), ("action", "red"), ("action", "on-track")]
    assert normalise_status("Amber") == "amber"


def test_title_section_cue_does_not_make_items_of_its_opening_lines():
    items = extract_section_items(sec("Neglect Audit: Findings and Recommendations", [
        (PARAGRAPH, "Kingsmere Safeguarding Children Partnership", None, []),
        (PARAGRAPH, "The audit looked at twelve families where neglect was the concern.", None, []),
    ], ordinal=0, level=1))
    assert items == []


# -- themes read like a practitioner ------------------------------------------------------------

@pytest.fixture(scope="module")
def tagger():
    from ingest.themes import get_tagger

    return get_tagger()


def themes_of(tagger, text):
    return {t.id for t in tagger.tag(text)}


@pytest.mark.parametrize("text", [
    "Invite fathers to appointments and record their details.",
    "Health visitors should talk to Dad as well as Mum.",
    "The stepfather had a history of violence.",
    "The role of the father was not explored.",
    "The mother’s new partner was not known to the school.",
    "Nobody assessed the father before he moved back into the home.",
])
def test_fathers_and_male_carers_from_plain_words(tagger, text):
    assert "fathers-male-carers" in themes_of(tagger, text)


def test_a_father_in_a_family_description_is_not_the_theme(tagger):
    assert "fathers-male-carers" not in themes_of(tagger, "Child J lived with mother and father and a sibling.")


def test_mental_health_is_assigned_by_its_sentence(tagger):
    assert themes_of(tagger, "The mother's depression was known to her GP.") >= {"parental-mental-health"}
    child = themes_of(tagger, "Several young people spoke about their own mental health.")
    assert "child-mental-health" in child and "parental-mental-health" not in child
    plain = themes_of(tagger, "Mental health was a feature in most of the reviews.")
    assert "mental-health" in plain and not plain & {"child-mental-health", "parental-mental-health"}
    adult = themes_of(tagger, "Adult mental health services should ask about the children in the household.")
    assert "parental-mental-health" in adult and "child-mental-health" not in adult
    assert "mental-health" not in themes_of(tagger, "There were no mental health concerns.")


def test_quoted_terms_and_new_themes(tagger):
    assert "looked-after-children" in themes_of(tagger, "Young people who are ‘looked after’ told us so.")
    assert "audit-quality-assurance" in themes_of(tagger, "A multi-agency audit of twelve cases found gaps.")
    assert "workforce" in themes_of(tagger, "Staff turnover left gaps in the team.")
    assert "education-exclusion" in themes_of(tagger, "He was excluded from school in Year 9.")
    assert "education-exclusion" not in themes_of(tagger, "Children missing education are tracked.")


def test_plain_words_for_online_harm_and_information_sharing(tagger):
    assert "online-harm" in themes_of(tagger, "She was found with men she had met online.")
    assert "online-harm" not in themes_of(tagger, "The referral form is now online.")
    assert "information-sharing" in themes_of(tagger, "The concerns were not passed to the police.")
    assert "information-sharing" not in themes_of(tagger, "The annual report was shared with the Board.")


def test_negation_after_did_not_see_and_statutory_definitions(tagger):
    assert "neglect" not in themes_of(tagger, "We did not see evidence of neglect.")
    assert "neglect" not in themes_of(tagger, "We did not identify neglect in these families.")
    definition = ("A review is held when abuse or neglect of a child is known or suspected and the child dies "
                  "or is seriously harmed.")
    assert not themes_of(tagger, definition) & {"neglect", "child-death"}
    assert "child-death" in themes_of(tagger, "Baby S was eight weeks old when she died.")


def test_navigation_lines_are_not_evidence(tagger):
    page = "Home\nTraining and resources for professionals\nSkip to content\n\nThe Board met in May."
    assert "training" not in themes_of(tagger, page)


# -- undated documents ------------------------------------------------------------------------

def test_undated_documents_show_undated_and_have_a_themes_column(tmp_path):
    from click.testing import CliRunner

    from cli import main
    from ingest.pipeline import ingest
    from search.index.store import Store
    from search.trace import theme_table

    src = tmp_path / "in"
    src.mkdir()
    (src / "dated.txt").write_text("Annual Report 2020/21\n\n1 Neglect\n\nNeglect was the main concern.\n")
    (src / "undated.txt").write_text("Section 11 Audit\n\n1 Neglect\n\nNeglect featured in the audit.\n")
    ingest([src], tmp_path / "ix")
    table = theme_table(Store(tmp_path / "ix"))
    assert table["years"] == ["2020-21", "undated"]
    neglect = next(t for t in table["themes"] if t["id"] == "neglect")
    assert neglect["counts"] == {"2020-21": 1, "undated": 1}
    assert theme_table(Store(tmp_path / "ix"), from_year=2019)["years"] == ["2020-21"]
    out = CliRunner().invoke(main, ["docs", "--index", str(tmp_path / "ix")]).output
    assert "undated" in out and "None" not in out
    one = CliRunner().invoke(main, ["docs", "undated", "--index", str(tmp_path / "ix")]).output
    assert "(undated)" in one and "None" not in one


def test_users_extend_the_metadata_rules(tmp_path, monkeypatch):
    extra = tmp_path / "mine.toml"
    extra.write_text("[furniture]\nlines = ['rate this page']\n\n[publisher]\n"
                     "bodies = ['Children and Young People Safeguarding Partnership']\nabbreviations = [\"CYPSP\"]\n")
    assert not is_furniture("Rate this page")
    monkeypatch.setenv("SGSEARCH_METADATA", str(extra))
    assert is_furniture("Rate this page") and is_furniture("Skip to content")
    assert detect_publisher("Report of the Oakvale CYPSP for 2023.") == "Oakvale CYPSP"
    assert (detect_publisher("Welcome from Oakvale Children and Young People Safeguarding Partnership")
            == "Oakvale Children and Young People Safeguarding Partnership")
    extra.write_text("[furniture\n")
    monkeypatch.setenv("SGSEARCH_METADATA", str(tmp_path / "other.toml"))
    with pytest.raises(ValueError, match="other.toml"):
        is_furniture("x")
