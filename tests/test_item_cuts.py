"""How item candidates are cut and joined: where a sentence ends, what a list after a colon holds,
a list of topic names, a sentence that says what the one before it means, a question leading a paragraph."""
from __future__ import annotations

import pytest

from ingest.blocks import PARAGRAPH
from ingest.candidates import Candidate, model, split_sentences
from ingest.document import parse_file
from ingest.items import _listed, _scored_items, extract_items, section_candidates


@pytest.mark.parametrize("text, sentences", [
    # a note's number after the stop ends the sentence all the same
    ("Harm builds up over many years.1,2 Warning signs are then missed.", 2),
    ("Children in foster care go missing more often.[3] However, the figures differ.", 2),
    ("Most of the families were known to services.² The review began in May.", 2),
    # text taken from slides that lost the space after a stop
    ("The team reached its full size in March, which raised its profile.Training followed in May.", 2),
    # numbers, abbreviations and initials are not sentence ends
    ("See section 3.2 The board met in May.", 1),
    ("The rate fell in 2019.5 Children were seen.", 1),
    ("Some babies e.g.The ones born early are at risk.", 1),
    ("Mr.Brown chaired the meeting.", 1),
    ("The figures are in Annex A.1 Children in care are counted apart.", 1),
])
def test_a_stop_with_a_notes_number_or_without_a_space_ends_a_sentence(text, sentences):
    assert len(split_sentences(text)) == sentences, split_sentences(text)


REPOSITORY = """# Recent case reviews: learning for practitioners

Summaries of local case reviews published this year, with the learning each one drew out.

## 2023 – Eastmere – Baby with a fractured arm

A four-month-old baby was taken to hospital with a fractured arm. The baby lived with his mother and her new \
partner, who had not been known to services.

includes: health visitors need to ask both parents how they cope when the baby cries; the partner's history \
should be checked before any plan is agreed; a fracture in a baby who cannot crawl needs to be treated as a \
possible sign of harm; managers should make sure that every adult in the household is recorded.

## 2023 – Northvale – Teenager exploited by older men

A fifteen-year-old girl was sexually exploited by older men over two years. She went missing from home many times.

The learning covered: delay in acting; working with fathers; sharing information; the impact of poverty.

Recommendations include: make return interviews part of every missing episode; the police and children's social \
care should share intelligence about known adults; schools need to record and pass on changes in attendance.
"""


def test_points_after_a_colon_lead_in_naming_no_kind_are_read_as_a_list(tmp_path):
    path = tmp_path / "repository.md"
    path.write_text(REPOSITORY, encoding="utf-8")
    texts = [i["text"] for i in extract_items(parse_file(path))]
    assert "health visitors need to ask both parents how they cope when the baby cries" in texts
    assert "managers should make sure that every adult in the household is recorded" in texts
    assert not any(t.startswith("includes") or "cries;" in t for t in texts), texts  # never the whole sentence


def test_a_list_of_topic_names_gives_no_item_a_name(tmp_path):
    path = tmp_path / "repository.md"
    path.write_text(REPOSITORY, encoding="utf-8")
    texts = [i["text"] for i in extract_items(parse_file(path))]
    for topic in ("delay in acting", "working with fathers", "sharing information", "the impact of poverty"):
        assert topic not in texts
    # the entry's recommendations, after a lead-in naming their kind, still come out one a point
    assert "make return interviews part of every missing episode" in texts


def test_what_a_list_holds_by_its_lead_in_and_its_entries():
    # short instructions are points, and short names of priorities are what a list of priorities holds
    assert _listed("Recommendations include: refresh the training; make a chronology part of every plan; "
                   "and repeat the audit in a year.")[0] == "recommendation"
    assert _listed("Our priorities were: neglect; exploitation; and early help.") == (
        "priority", ["neglect", "exploitation", "early help"])
    # names of topics under another kind make no points
    assert _listed("Key themes identified: drift and delay; listening to children; and working with fathers.") is None
    # a lead-in naming no kind: three clauses or more, each of four words or more
    assert _listed("The panel noted: staff changed often during the year; plans were reviewed late; and the "
                   "school was not invited to meetings.") == (None, [
                       "staff changed often during the year", "plans were reviewed late",
                       "the school was not invited to meetings"])
    assert _listed("The meeting noted: the report was late; the chair would write.") is None
    assert _listed("Members present: the chair; the vice chair; two officers from the council.") is None
    assert _listed("If you are worried about a child: ring the duty team straight away; email the school "
                   "office the same day; dial the police in an emergency.") is None


def _sentence(text: str, n: int, of: int, p: float) -> Candidate:
    c = Candidate(text, "sentence", None, 0, n, of)
    c.p = p
    return c


KEPT, BELOW = 0.99, 0.01


def test_a_sentence_saying_what_the_one_before_means_comes_out_with_it():
    first = "Professionals judged each concern on its own instead of seeing the whole picture."
    then = "This meant that the harm to the child was not recognised for years."
    assert model().threshold < KEPT
    # the sentence before is no item itself: the item is both, and no passage repeats it
    passages: list = []
    alone = _scored_items([], [_sentence(first, 0, 2, BELOW), _sentence(then, 1, 2, KEPT)], passages, 0.0)
    assert [i["text"] for i in alone] == [f"{first} {then}"] and passages == []
    # it is an item itself: each stays its own (joined, a pair's point is diluted by the other's words)
    both = [i["text"] for i in _scored_items([], [_sentence(first, 0, 2, KEPT), _sentence(then, 1, 2, KEPT)])]
    assert both == [first, then]


def test_a_sentence_that_makes_its_own_point_stays_its_own_item():
    first = "Professionals judged each concern on its own instead of seeing the whole picture."
    for then in ("However, the school recorded every concern it had.",
                 "This review found that the school recorded every concern it had."):
        got = [i["text"] for i in _scored_items([], [_sentence(first, 0, 2, KEPT), _sentence(then, 1, 2, KEPT)])]
        assert got == [first, then]
    # and one below the bar is left out, as before
    got = [i["text"] for i in _scored_items([], [_sentence(first, 0, 2, BELOW),
                                                   _sentence("However, the school recorded every concern.", 1, 2,
                                                             KEPT)])]
    assert got == ["However, the school recorded every concern."]


def test_a_question_leading_a_paragraph_is_not_a_run_in_label():
    section = {"heading": "Reading fifty reviews", "heading_path": ["Reading fifty reviews"], "ordinal": 2, "level": 2,
               "lines": [(PARAGRAPH, "So what should change? Practitioners should ask every child about their "
                                     "worries. Records should say who was seen and when.", None, [])]}
    _fixed, cands = section_candidates(section)
    assert [c.text for c in cands] == ["So what should change?",
                                       "Practitioners should ask every child about their worries.",
                                       "Records should say who was seen and when."]
