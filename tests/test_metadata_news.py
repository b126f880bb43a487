"""News and press releases tell of a review in words put in someone's mouth; the review itself
speaks for itself (doc types, ``ingest/metadata.toml``'s quoted-speech cue)."""
from __future__ import annotations

from ingest.metadata import detect_doc_type


def test_a_story_quoting_people_about_a_review_is_not_the_review():
    text = ("Review finds missed chances to help toddler\n"
            "A serious case review into the death of a toddler in Marlcombe has found that agencies did not share "
            "what they knew.\n"
            "The partnership's chair, Tom Reeve, said: \"We accept every finding and have acted on them.\"\n")
    assert detect_doc_type(text, "Review finds missed chances to help toddler") == "other"
    # the quotation closed before its speaker, and a press release's "says" before the quote
    text = ("Council responds to case review\nA safeguarding practice review was published today.\n"
            "\"Lessons have been learned,\" a council spokesperson said.\n")
    assert detect_doc_type(text, "Council responds to case review") == "other"
    text = ("Inspectorate calls for faster reviews\nThe inspectorate's report on a serious case review process "
            "says 'reviews take too long' and asks for change.\n")
    assert detect_doc_type(text, "Inspectorate calls for faster reviews") == "other"


def test_a_review_quoting_a_family_member_is_still_a_review():
    text = ("Serious Case Review: Child T\n"
            "This serious case review looks at the help given to Child T and her mother in 2020.\n"
            "Her mother said: \"Nobody asked me what was happening at home.\"\n"
            "This review found that the agencies worked apart.\n")
    assert detect_doc_type(text, "Serious Case Review: Child T") == "review"


def test_a_page_without_quoted_speech_keeps_its_type():
    # an apostrophe is no quotation mark, and "said" with no quotation is not a quote
    text = ("Serious Case Review: Baby L\nThis serious case review was commissioned after Baby L's injury.\n"
            "The parents' GP said the family had missed appointments.\n")
    assert detect_doc_type(text, "Serious Case Review: Baby L") == "review"
