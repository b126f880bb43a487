"""News and press releases tell of a review in words put in someone's mouth; the review itself
speaks for itself (doc types, ``ingest/metadata.toml``'s quoted-speech cue)."""
from __future__ import annotations

import pytest

from ingest.metadata import detect_doc_type

STORIES = {
    "said, then the quote": ("Review finds missed chances to help toddler",
                             "A serious case review into the death of a toddler in Marlcombe has found that agencies "
                             "did not share what they knew.\nThe partnership's chair, Tom Reeve, said: \"We accept "
                             "every finding and have acted on them.\""),
    "the quote, then who said it": ("Council responds to case review",
                                    "The serious case review into the care of Child P was published "
                                    "today.\n\"Lessons have been learned,\" a council spokesperson said."),
    "says and a quote": ("Inspectorate calls for faster reviews",
                         "The chair of the serious case review into Child N says 'every agency must "
                         "listen to children' and asks for change."),
}


@pytest.mark.parametrize("title,body", STORIES.values(), ids=STORIES.keys())
def test_a_story_quoting_people_about_a_review_is_not_the_review(title, body):
    assert detect_doc_type(f"{title}\n{body}\n", title) == "other"


def test_a_review_quoting_a_family_member_is_still_a_review():
    text = ("Serious Case Review: Child T\n"
            "This serious case review looks at the help given to Child T and her mother in 2020.\n"
            "Her mother said: \"Nobody asked me what was happening at home.\"\n"
            "This review found that the agencies worked apart.\n")
    assert detect_doc_type(text, "Serious Case Review: Child T") == "review"
    # an apostrophe is no quotation mark, and "said" with no quotation is not a quote
    text = ("Serious Case Review: Baby L\nThis serious case review was commissioned after Baby L's injury.\n"
            "The parents' GP said the family had missed appointments.\n")
    assert detect_doc_type(text, "Serious Case Review: Baby L") == "review"
