"""Health bodies as publishers: a trust's whole name (words joined by "Hospital for", a possessive
written "St Nicholas'", a capitalised word before its area), trusts written without "NHS", Scottish
health boards and English integrated care boards named "NHS <area>", Welsh university health boards."""
from __future__ import annotations

from ingest.metadata import detect_publisher, nhs_named, publisher_candidates


def _report(name: str, rest: str = "") -> str:
    return (f"{name}\nSafeguarding Children Annual Report 2023-24\n"
            "This report tells the board of directors how our staff kept children safe this year. "
            "Training rose and every ward now has a named safeguarding lead. " + rest)


def test_a_trusts_name_keeps_the_words_joined_by_hospital_for():
    assert detect_publisher(_report("Westbury Hospital for Children NHS Foundation Trust")) == \
        "Westbury Hospital for Children NHS Foundation Trust"
    assert detect_publisher(_report("Eastmoor Hospitals for Sick Children NHS Trust")) == \
        "Eastmoor Hospitals for Sick Children NHS Trust"


def test_a_trusts_name_keeps_a_possessive_written_with_a_trailing_apostrophe():
    assert detect_publisher(_report("Westbury and St Nicholas' NHS Foundation Trust")) == \
        "Westbury and St Nicholas' NHS Foundation Trust"


def test_a_capitalised_word_before_a_trusts_area_is_its_name_but_a_lines_other_words_are_not():
    assert detect_publisher(_report("Royal Dorset Valley Hospitals NHS Trust")) == "Royal Dorset Valley Hospitals NHS Trust"
    assert detect_publisher(_report("The Royal Devon Moor NHS Trust")) == "Royal Devon Moor NHS Trust"
    # "Report" and "of the" are the line's, not the trust's
    assert detect_publisher(_report("Safeguarding Report Devon Moor NHS Trust")) == "Devon Moor NHS Trust"
    assert detect_publisher(_report("The work of the Devon Moor NHS Trust")) == "Devon Moor NHS Trust"


def test_a_trust_written_without_nhs_is_a_trust_and_a_health_trust_in_a_sentence_is_none():
    assert detect_publisher(_report("Westbury Community Healthcare Trust")) == "Westbury Community Healthcare Trust"
    assert detect_publisher(_report("Eastmoor Teaching Hospitals Foundation Trust")) == \
        "Eastmoor Teaching Hospitals Foundation Trust"
    assert detect_publisher(_report("Westbury Ambulance Service Trust")) == "Westbury Ambulance Service Trust"
    text = "Safeguarding update\nThe local health trust and the care trust sent their apologies to the meeting."
    assert publisher_candidates(text) == []


def test_a_scottish_health_board_named_nhs_and_its_area_publishes():
    text = ("NHS Tayside\nChild Protection Annual Report 2023-24\nNHS Tayside staff made more referrals to "
            "social work this year, and our public protection team trained every health visitor.")
    assert detect_publisher(text) == "NHS Tayside"
    listed = "Partners: NHS Greater Glasgow and Clyde, NHS Ayrshire & Arran and NHS Kent and Medway."
    assert [(listed[s:e], kind, area) for s, e, kind, area in nhs_named(listed)] == [
        ("NHS Greater Glasgow and Clyde", "trust", "Greater Glasgow and Clyde"),
        ("NHS Ayrshire & Arran", "trust", "Ayrshire & Arran"), ("NHS Kent and Medway", "icb", "Kent and Medway")]
    assert nhs_named("NHS England and NHS Digital wrote to every trust.") == []


def test_a_health_board_a_committees_page_lists_as_a_partner_is_not_its_publisher():
    text = ("Dundee Child Protection Committee\nAnnual Report 2023-24\nThe Dundee Child Protection Committee "
            "brings together Dundee City Council, NHS Tayside and Police Scotland. The Committee met six times. "
            "NHS Tayside nurses joined every inter-agency referral discussion.")
    assert detect_publisher(text) == "Dundee Child Protection Committee"


def test_a_welsh_university_health_board_publishes_under_its_whole_name():
    assert detect_publisher(_report("Westbury Bay University Health Board")) == "Westbury Bay University Health Board"
    assert detect_publisher(_report("Eastmoor Teaching Health Board")) == "Eastmoor Teaching Health Board"


def test_an_integrated_care_board_named_nhs_and_its_area_is_written_in_full():
    text = ("NHS Kent and Medway\nSafeguarding Children Annual Report 2023-24\nAs a statutory safeguarding "
            "partner, NHS Kent and Medway published this report on how it commissions health services.")
    assert detect_publisher(text) == "NHS Kent and Medway Integrated Care Board"
    assert detect_publisher(_report("NHS Kent and Medway Integrated Care Board")) == \
        "NHS Kent and Medway Integrated Care Board"


def test_an_integrated_care_board_a_partnership_lists_as_a_partner_is_not_its_publisher():
    text = ("Kent Safeguarding Children Partnership\nYearly report 2023-24\nThe three safeguarding partners are "
            "Kent County Council, NHS Kent and Medway and Kent Police. The Kent Safeguarding Children "
            "Partnership reviewed four cases this year; NHS Kent and Medway led the audit of health visiting.")
    assert detect_publisher(text) == "Kent Safeguarding Children Partnership"


def test_for_starts_no_bodys_name_outside_a_name_link():
    assert detect_publisher("Annual report for Devon Safeguarding Children Partnership\nThe partnership met.") == \
        "Devon Safeguarding Children Partnership"
