"""The text reader: artefacts cleaned, TOCs dropped, headings, lists, rows and pages."""
from __future__ import annotations

from ingest.blocks import BREAK, HEADING, LIST_ITEM, PARAGRAPH, TABLE_ROW
from ingest.readers.text import parse_text
from ingest.sections import build_sections

SAMPLE = """Contents
1.\tIntroduction\t3
2.\tFindings\t5
List of attendees -\tPage 5

1 INTRODUCTION

1.1\tThis report covers the period of 1st April 2021 to 30th June 2022 and sets out our work.[footnoteRef:1] [1:  A footnote that must not land in the body.]

2 FINDINGS

2.1\t[bookmark: _Toc197420058]Working with **fathers** and male carers

2.1.1 As part of an integrated approach we [looked](#) at *twelve* cases.
· first bullet point
- ❑ second bullet point
- · · · third
\tEmbedding safeguarding within the system
\tONGOING
Risk ID\tRisk\tScore
CYP01\t<p>Capacity of the team</p><ul><li>vacancies</li></ul>\t12
[image: chart.png]

This page is intentionally left blank
Rapid Reviews

The partnership completed two rapid reviews during the year and shared the learning widely.
"""


def blocks():
    return parse_text(SAMPLE).blocks


def test_toc_lines_and_contents_heading_are_dropped():
    texts = [b.text for b in blocks()]
    assert "Contents" not in texts
    assert not any("Page 5" in t or t.endswith("\t3") for t in texts)
    assert not any(t.startswith("List of attendees") for t in texts)


def test_numbered_headings_and_numbered_body_paragraphs():
    bs = blocks()
    heads = [(b.number, b.text) for b in bs if b.kind == HEADING]
    assert heads[:3] == [("1", "INTRODUCTION"), ("2", "FINDINGS"), ("2.1", "Working with fathers and male carers")]
    para = next(b for b in bs if b.text.startswith("2.1.1"))
    assert para.kind == PARAGRAPH
    assert para.text == "2.1.1 As part of an integrated approach we looked at twelve cases."


def test_footnotes_bookmarks_images_and_markup_are_cleaned():
    joined = "\n".join(b.text for b in blocks())
    for junk in ("[footnoteRef", "footnote that must not", "[bookmark", "[image", "**", "](#)", "<p>", "<li>", "*twelve*"):
        assert junk not in joined
    assert "This report covers the period of 1st April 2021 to 30th June 2022 and sets out our work." in joined


def test_bullets_become_list_items_without_glyphs():
    items = [b.text for b in blocks() if b.kind == LIST_ITEM]
    assert items == ["first bullet point", "second bullet point", "third"]


def test_an_asterisk_and_a_space_open_a_bullet_and_bold_text_does_not():
    text = ("Recommendations\n\n* Partners should review the neglect pathway by March.\n"
            "* The board must audit supervision records.\n\n**Bold opening** of a paragraph.\n")
    got = [(b.kind, b.text) for b in parse_text(text).blocks]
    assert got[1:] == [(LIST_ITEM, "Partners should review the neglect pathway by March."),
                       (LIST_ITEM, "The board must audit supervision records."),
                       (PARAGRAPH, "Bold opening of a paragraph.")]


def test_table_rows_keep_cells_and_status_rows_join_their_objective():
    rows = [b for b in blocks() if b.kind == TABLE_ROW]
    assert rows[0].cells == ["Embedding safeguarding within the system", "ONGOING"]
    assert rows[2].cells == ["CYP01", "Capacity of the team; vacancies", "12"]
    assert rows[2].text == "CYP01; Capacity of the team; vacancies; 12"


def test_blank_page_marker_is_a_paper_boundary_and_shaped_heading_found():
    bs = blocks()
    kinds = [b.kind for b in bs]
    assert BREAK in kinds
    after = bs[kinds.index(BREAK) + 1]
    assert (after.kind, after.text, after.number) == (HEADING, "Rapid Reviews", None)


def test_sections_have_heading_paths_and_body():
    secs = build_sections(blocks())
    labels = [(s.number, s.heading) for s in secs]
    assert labels == [("1", "INTRODUCTION"), ("2", "FINDINGS"), ("2.1", "Working with fathers and male carers"),
                      (None, "Rapid Reviews")]
    sub = secs[2]
    assert sub.heading_path == ["2 FINDINGS", "2.1 Working with fathers and male carers"]
    assert "2.1.1 As part of an integrated approach" in sub.text
    assert secs[3].heading_path == ["Rapid Reviews"]  # the boundary closed the outline


def test_form_feeds_give_pages_and_plain_text_has_none():
    assert all(b.page is None for b in blocks())
    paged = parse_text("1 First\n\nSome body text on page one that is long enough.\f2 Second\n\nMore body text on page two.\n")
    assert paged.pages == 2
    assert [(b.text, b.page) for b in paged.blocks if b.kind == HEADING] == [("First", 1), ("Second", 2)]


def test_short_title_case_lines_without_body_are_not_headings():
    text = "Governing Body\nAccountable Officer\nQuality and Nursing Operational Meeting\n"
    assert all(b.kind != HEADING for b in parse_text(text).blocks)


def test_a_line_of_connectives_between_two_lists_is_not_a_heading():
    text = ("Criteria for a review\n\nA review is held when one of these applies, as the guidance sets out.\n\n"
            "- the child has died\n\nOR\n\n"
            "- the child was seriously harmed and abuse is suspected\n\nAND / OR\n\n- agencies may have worked better together\n")
    blocks = parse_text(text).blocks
    assert [b.text for b in blocks if b.kind == HEADING] == ["Criteria for a review"]
    assert [s.heading for s in build_sections(blocks)] == ["Criteria for a review"]


def test_adjacent_numbered_lines_are_a_list_not_headings():
    text = "3 About the report\n\nThe report says:\n\n1. What we did\n2. How well we did it\n3. The difference it has made\n\n4 Context\n\nBody text here for the context section.\n"
    heads = [(b.number, b.text) for b in parse_text(text).blocks if b.kind == HEADING]
    assert heads == [("3", "About the report"), ("4", "Context")]


def test_sentences_numbered_one_after_another_are_a_list_even_with_blank_lines_between():
    text = ("# What do we want to see?\n\n1. Fewer babies are bruised before they can crawl\n\n"
            "2. Every father is asked about at the first antenatal visit\n\n"
            "3. More families are offered early help before a referral\n\n# What will we do?\n\n"
            "We will train every health visitor in the area.\n")
    blocks = parse_text(text).blocks
    assert [b.text for b in blocks if b.kind == HEADING] == ["What do we want to see?", "What will we do?"]
    assert [b.text[:4] for b in blocks if b.kind == LIST_ITEM] == ["1. F", "2. E", "3. M"]


def test_numbered_headings_set_in_title_case_stay_headings():
    text = ("1. Introduction\n\nThe partnership met four times during the year and agreed its plan.\n\n"
            "2. Governance and Accountability\n\n3. Learning From Reviews\n\n"
            "Two rapid reviews were completed and both were shared with the national panel.\n")
    heads = [(b.number, b.text) for b in parse_text(text).blocks if b.kind == HEADING]
    assert heads == [("1", "Introduction"), ("2", "Governance and Accountability"), ("3", "Learning From Reviews")]
