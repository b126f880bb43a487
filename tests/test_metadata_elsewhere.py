"""A page that tells of a national body's report is not that report: the body named as the report's
author counts against the report's own type only when the page is not on that body's site."""
from __future__ import annotations

from ingest.metadata import detect_doc_type, doc_type_scores

TITLE = "Ofsted: Annual Report 2021 to 2022"
TEXT = (f"{TITLE}\n\nThe annual report from Ofsted looks at what inspectors saw in children's services "
        "over the year.\n\nOfsted's annual report names three themes for local areas.")


def test_another_bodys_report_on_a_partnership_site_is_a_page_about_it():
    url = "https://www.examplesafeguarding.org.uk/updates/inspectorate-annual-report"
    assert detect_doc_type(TEXT, TITLE, url) == "other"


def test_the_same_words_on_the_bodys_own_site_are_its_report():
    url = "https://www.ofsted.gov.uk/reports/annual-report-2021-22"
    assert detect_doc_type(TEXT, TITLE, url) == "annual-report"
    assert doc_type_scores(TEXT, TITLE, url).get("other", 0.0) < doc_type_scores(TEXT, TITLE, url)["annual-report"]


def test_without_an_address_the_body_named_does_not_count():
    assert detect_doc_type(TEXT, TITLE, None) == "annual-report"


def test_a_report_that_names_another_bodys_report_in_passing_stays_a_report():
    title = "Example Safeguarding Children Partnership Annual Report 2022-23"
    text = (f"{title}\n\nThis annual report sets out what the partnership did during the year.\n\n"
            "The Child Safeguarding Practice Review Panel's annual report shaped our priorities.")
    url = "https://www.examplesafeguarding.org.uk/documents/annual-report-2022-23"
    assert detect_doc_type(text, title, url) == "annual-report"


def test_on_a_site_that_puts_up_anyones_documents_the_body_named_does_not_count():
    assert detect_doc_type(TEXT, TITLE, "https://docslib.org/doc/123/inspectorate-annual-report") == "annual-report"
