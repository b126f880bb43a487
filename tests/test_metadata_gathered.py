"""Bodies written by their letters, a topic and its kind after a colon, a title's calendar year
against an event the body tells of, reviews of many reviews, briefings that say what they are
(``tests/realistic/gathered`` is checked in ``test_metadata_field.py``)."""
from __future__ import annotations

from ingest.blocks import Block
from ingest.metadata import detect_doc_type, detect_period, detect_publisher, detect_title, spelled_out


def test_a_body_named_by_its_area_and_letters_is_written_in_full():
    assert spelled_out("Aberdeenshire CPC") == "Aberdeenshire Child Protection Committee"
    assert spelled_out("NHS Trafford CCG") == "NHS Trafford Clinical Commissioning Group"
    assert spelled_out("Cumbria CSCP") == "Cumbria Safeguarding Children Partnership"
    # letters that stand for more than one kind of body, or no area before them, stay as written
    assert spelled_out("Leeds CSP") == "Leeds CSP"
    assert spelled_out("SBNI") == "SBNI"
    assert detect_publisher("Ask for a case to be considered by Moray CPC. The Moray CPC lead officer will reply.") == \
        "Moray Child Protection Committee"
    # one body, one name, whichever way the page writes it
    assert detect_publisher("The Devon SCP met in May. Devon Safeguarding Children Partnership agreed its plan.") == \
        detect_publisher("The Devon SCP met in May. The Devon SCP agreed its plan.")


def _lines(*texts: str) -> list[Block]:
    return [Block("paragraph", t) for t in texts]


def test_a_topic_and_the_kind_of_document_after_a_colon_is_a_title_not_a_field():
    blocks = _lines("Self-neglect: learning from case reviews", "Publication date May 2022",
                    "Summary of risk factors and learning for practice around self-neglect",
                    "Reviews published since 2018 show that practitioners found it hard to see the harm.")
    assert detect_title(blocks, "fallback") == "Self-neglect: learning from case reviews"
    # a field and its value is still no title
    blocks = _lines("Date of meeting: 4 May 2022", "Safeguarding Partnership Annual Report 2021-22",
                    "The partnership met six times in the year and agreed three priorities.")
    assert detect_title(blocks, "fallback") == "Safeguarding Partnership Annual Report 2021-22"


def test_a_titles_calendar_year_outranks_an_event_the_body_tells_of():
    lines = ["Case reviews published in 2016", "A list of the year's reviews.",
             "Death of a baby in March 2015 after a fall at home."]
    period = detect_period(lines)
    assert (period["year_start"], period["how"]) == (2016, "title-calendar-year")
    # a publication date still dates the document before its title's calendar year
    assert detect_period(["Case reviews published in 2016", "Published: 3 March 2017",
                          "Death of a baby in March 2015."])["year_start"] == 2016
    assert detect_period(["Case reviews published in 2016", "Published: 3 May 2017",
                          "Death of a baby in March 2015."])["year_start"] == 2017
    # with no year in the title, the event still dates the page
    assert detect_period(["Case reviews", "Death of a baby in March 2015."])["year_start"] == 2014


def test_a_review_of_many_reviews_is_a_review():
    text = ("Learning together\nAn overview of learning from significant case reviews in Falkirk 2010 to 2015\n"
            "The Committee commissioned this report to gather what six reviews had found.")
    assert detect_doc_type(text, "Learning together") == "review"
    assert detect_doc_type("Triennial analysis of serious case reviews 2014 to 2017\nWhat the reviews found.",
                           "Triennial analysis of serious case reviews 2014 to 2017") == "review"
    # a page listing reviews, or news that a report gathered learning from many, is not one
    assert detect_doc_type("Published reviews\nA list of the reviews we have published.", "Published reviews") == "other"
    news = ("Minister welcomes report on child deaths\nThe Minister today welcomed a report that brings together "
            "key learning from 30 case reviews.")
    assert detect_doc_type(news, "Minister welcomes report on child deaths") == "other"


def test_a_briefing_that_says_what_it_is_below_its_opening_is_a_briefing():
    opening = "Young people were the subject of a growing share of reviews. " * 12
    text = (f"Older children who self-harm\n{opening}\nWhy these reviews were held\n"
            "This briefing draws together what practitioners can take from these reviews.")
    assert detect_doc_type(text, "Why these reviews were held") == "briefing"
    # a committee paper that calls itself a briefing for members stays the committee's paper
    paper = (f"Report to the Children's Scrutiny Committee\nDate of meeting: 4 May 2022\n{opening}\n"
             "This briefing sets out the position for members. The Committee is asked to note the report.")
    assert detect_doc_type(paper, "Report to the Children's Scrutiny Committee") == "board-papers"


def test_a_national_bodys_report_on_the_governments_publishing_site_is_its_own():
    title = "Child Safeguarding Practice Review Panel: national review of children harmed at night"
    text = (f"{title}\nThe panel looked at twenty serious incidents notified by local areas.\n"
            "Published 2 May 2024")
    assert detect_doc_type(text, title, "https://www.gov.uk/government/publications/children-harmed-at-night") == "review"
    # the same words on a council's site under gov.uk tell of the Panel's review: a page about it
    assert detect_doc_type(text, title, "https://www.kent.gov.uk/news/children-harmed-at-night") == "other"


def test_guidance_for_practitioners_is_guidance_not_a_briefing():
    text = "Inspections of our area: Guidance for Practitioners\nWhat to expect when inspectors visit."
    assert detect_doc_type(text, "Inspections of our area: Guidance for Practitioners") == "other"
    # what practitioners should take from a review is still a briefing
    assert detect_doc_type("Key messages for practitioners\nWhat the review found.",
                           "Child K: key messages for practitioners") == "briefing"


def test_a_typed_body_is_spelled_out_whatever_its_case():
    assert spelled_out("devon scp", typed=True) == "devon Safeguarding Children Partnership"
    assert spelled_out("devon scp") == "devon scp"  # a page's name must end in capitals
    assert spelled_out("Devon", typed=True) == "Devon"


def test_a_briefing_paper_to_a_committee_is_no_learning_briefing_and_its_cover_line_names_no_body():
    paper = ("BRIEFING PAPER FOR THE HEALTH COMMITTEE ON THE PROPOSED SAFEGUARDING BOARD\n\nSubmitted by the Western "
             "Health and Social Care Trust\n\nThe Western Health and Social Care Trust welcomes the proposal.")
    assert detect_doc_type(paper, "Briefing paper for the Health Committee") == "other"
    assert detect_publisher(paper) == "Western Health and Social Care Trust"
    # a learning briefing is still one
    assert detect_doc_type("Learning briefing: Child F\n\nWhat happened and what we learned.",
                           "Learning briefing: Child F") == "briefing"


def test_learning_from_is_a_briefings_heading_not_a_sentences_start():
    guidance = ("Committees and reviews\n\nLearning from the deaths of children in our communities is one of the "
                "hardest duties a committee has. It must be done with care.\n\nThis document sets out when to hold one.")
    assert detect_doc_type(guidance, "Committees and reviews") == "other"
    heading = "Committees and reviews\nLearning from Child G\n\nWhat practitioners should take from the review."
    assert detect_doc_type(heading, "Committees and reviews") == "briefing"


def test_a_cover_that_starts_with_the_reports_name_is_an_annual_report_whatever_it_runs_into():
    cover = ("Second annual report Safeguarding Children Team Northfield Hospitals NHS Foundation Trust June 2023 "
             "Contents Introduction 2 Activity 3 Training 5\n\nIntroduction\n\nThis report sets out the team's work "
             "over the year: the referrals it made and the training staff completed.")
    assert detect_doc_type(cover, "Hospital safeguarding report", "https://docslib.org/doc/1/report") == "annual-report"
    # further down, in a sentence, or in the plural, it is not the document's own name
    later = ("Hospital safeguarding news\n\nThe team met in June. Staff from the wards and the emergency department "
             "discussed referrals, and the board will read the annual report in the autumn.")
    assert detect_doc_type(later, "Hospital safeguarding news") == "other"
    listing = "Annual reports of the partnership, 2015 to 2023, and its business plans\n\nChoose a year below."
    assert detect_doc_type(listing, "Publications") == "other"
    sentence = "Hospital safeguarding news\nThe annual report from the board picks out three themes for the year."
    assert detect_doc_type(sentence, "Hospital safeguarding news") == "other"
