"""Reading reports from the whole field: publishers from the gazetteer and the page's address,
titles and years by scoring, doc types from scored cues, on documents the tests write."""
from __future__ import annotations

import json

import pytest

from ingest import places
from ingest.blocks import HEADING, PARAGRAPH, Block
from ingest.document import parse_file
from ingest.metadata import detect_doc_type, detect_period, detect_publisher, detect_title, year_of_address
from ingest.pipeline import ingest
from search.export import build_briefing
from search.index.records import years_covered
from search.index.store import Store
from search.query import search
from search.trace import theme_table, trace
from tests.engines import AVAILABLE
from tests.quality import SET_DIR, build_files, metadata_checks, run_document

FIELD = SET_DIR / "field"
KINDS = SET_DIR / "kinds"  # the shapes a document's kind is read from: meeting notices, cover sheets, newsletters, letters
SHAPES = SET_DIR / "shapes"  # committee records of an item, pages about reviews, thematic reports, bodies by acronym
# dates under a title, stamps and meeting lines, inspections, guidance, names in capitals, sites
# whose address names only the area (or its initials) and a text that names only "the Partnership"
STYLES = SET_DIR / "styles"
# pages about another document (news items, blog posts and newsletters on a report someone has
# published), a committee's record of a report put to it, meeting notes, years after a dash or in the address
REPORTED = SET_DIR / "reported"
# pages about reviews (a procedures chapter, an explainer, a magazine piece, a toolkit whose contents
# name "the review"), a committee's notes, a national panel's report, a summary of one review
ABOUT = SET_DIR / "about"
# a procedures chapter whose numbered contents name "The Rapid Review", a page on an inspection
# programme named for a year that tells of the inspectorate's thematic report, a paper dated
# month first ("April 15th 2021"), a page on local reviews in general
LISTED = SET_DIR / "listed"
# councils named by their own names ("Royal Borough of …", a council's site that says only "the
# Council"), a council named as an attendee's employer, a partnership that speaks as itself beside
# a neighbour it names more, sites whose address is a board's or partnership's initials
BODIES = SET_DIR / "bodies"
# documents that gather others (an overview of many reviews, a list of a year's reviews), a briefing
# that says what it is only below its opening, a topic and the kind of document after a colon, bodies
# written by their letters ("NHS Wirral CCG", "Moray CPC")
GATHERED = SET_DIR / "gathered"


@pytest.fixture(scope="module")
def field_results(tmp_path_factory):
    out = tmp_path_factory.mktemp("field")
    return [run_document(path, exp) for path, exp in build_files(out, FIELD)]


@pytest.mark.parametrize("directory", [KINDS, SHAPES, STYLES, REPORTED, ABOUT, LISTED, BODIES, GATHERED],
                         ids=["kinds", "shapes", "styles", "reported", "about", "listed", "bodies", "gathered"])
@pytest.mark.parametrize("field", ["title", "year", "publisher", "doc_type"])
def test_kinds_of_document_by_their_shape_all_right(tmp_path, directory, field):
    results = [run_document(path, exp) for path, exp in build_files(tmp_path, directory)]
    assert len(results) >= 4
    wrong = [(r.name, r.got.get(field), r.expected[field]) for r in results if not metadata_checks(r)[field]]
    assert not wrong


def test_the_field_set_has_every_style_named(field_results):
    assert len(field_results) >= 5
    assert {r.expected["doc_type"] for r in field_results} >= {"annual-report", "board-papers", "briefing", "review"}


@pytest.mark.parametrize("field", ["title", "year", "publisher", "doc_type"])
def test_field_metadata_all_right(field_results, field):
    wrong = [(r.name, r.got.get(field), r.expected[field]) for r in field_results if not metadata_checks(r)[field]]
    assert not wrong


@pytest.mark.parametrize("words, area", [
    ("B&NES", "Bath and North East Somerset"), ("Bath & North East Somerset", "Bath and North East Somerset"),
    ("Bucks", "Buckinghamshire"), ("LBHF", "Hammersmith and Fulham"), ("Brighton & Hove", "Brighton and Hove"),
    ("Gwent", "Gwent"), ("Glasgow City", "Glasgow"), ("Ynys Môn", "Isle of Anglesey"),
])
def test_gazetteer_knows_areas_and_their_short_forms(words, area):
    assert places.lookup(words).name == area


@pytest.mark.parametrize("url, area", [
    ("https://democracy.bathnes.gov.uk/mgDecisionDetails.aspx?IId=1", "Bath and North East Somerset"),
    ("https://www.devonscp.org.uk/document/x/", "Devon"),
    ("http://democratic.bracknell-forest.gov.uk/ieListDocuments.aspx", "Bracknell Forest"),
    ("https://www.wsscp.org.uk/news", "West Sussex"),
    ("https://www.cumbriasafeguardingchildren.co.uk/professionals/", "Cumbria"),
    ("https://www.example.com/a/b", None),
])
def test_area_of_a_page_address(url, area):
    words = ("www", "democracy", "democratic", "gov", "uk", "org", "co", "com", "safeguarding", "children", "scp")
    found = places.area_of_address(url, words)
    assert (found.name if found else None) == area


def test_publisher_is_the_body_the_text_names_with_its_area_not_a_minutes_phrase():
    text = ("RESOLVED: That the Ashby Safeguarding Children Partnership Annual Report be noted.\n"
            "That the LSCB continue to monitor training.")
    assert detect_publisher(text) == "Ashby Safeguarding Children Partnership"
    assert not (detect_publisher("That the LSCB report be noted.") or "").startswith("That")
    assert detect_publisher("Members noted the report. The Gwent Safeguarding Board met in May.") == \
        "Gwent Safeguarding Board"


def test_publisher_from_the_address_and_the_body_the_text_names():
    text = "The Local Safeguarding Children Board (LSCB) presented its annual report. The LSCB noted it."
    url = "https://democracy.bathnes.gov.uk/mgDecisionDetails.aspx?IId=9"
    assert detect_publisher(text, url) == "Bath and North East Somerset Local Safeguarding Children Board"
    partnership = "The partnership's learning briefing for practitioners. The SCP thanks everyone."
    assert detect_publisher(partnership, "https://www.devonscp.org.uk/x/") == \
        "Devon Safeguarding Children Partnership"


def test_a_county_council_is_named_as_it_names_itself():
    text = "Members noted the report. The Council thanked the officers."
    assert detect_publisher(text, "https://democracy.kent.gov.uk/ieIssueDetails.aspx?IId=1") == "Kent County Council"
    assert detect_publisher(text, "https://democracy.croydon.gov.uk/ieIssueDetails.aspx?IId=1") == "Croydon Council"


def test_national_bodies_from_the_text_or_their_own_address():
    assert detect_publisher("Case reviews keep showing that professionals need to listen.",
                            "https://learning.nspcc.org.uk/research-resources/x") == "NSPCC"
    panel = "The review, carried out by the Child Safeguarding Practice Review Panel, found that agencies missed signs."
    assert detect_publisher(panel) == "Child Safeguarding Practice Review Panel"
    assert detect_publisher("A thematic report of Ofsted's evaluation of reviews.") == "Ofsted"


def test_welsh_scottish_and_nhs_bodies():
    assert detect_publisher("The Fife Child Protection Committee agreed the plan.") == "Fife Child Protection Committee"
    assert detect_publisher("Cwm Taf Morgannwg Safeguarding Board annual report.") == \
        "Cwm Taf Morgannwg Safeguarding Board"
    assert detect_publisher("The Belfast Health and Social Care Trust reported.") == \
        "Belfast Health and Social Care Trust"


def test_a_saved_page_gives_its_address_and_publisher(tmp_path):
    page = tmp_path / "news.md"
    page.write_text("<!-- https://www.leedsscp.org.uk/news/item -->\n# Learning briefing: Baby T\n\n"
                    "The partnership published a learning briefing. The SCP asks practitioners to read it.\n",
                    encoding="utf-8")
    doc = parse_file(page).doc
    assert doc["publisher"] == "Leeds Safeguarding Children Partnership"
    assert doc["title"] == "Learning briefing: Baby T" and doc["doc_type"] == "briefing"


def test_title_skips_generic_headings_dates_and_link_furniture():
    blocks = [Block(HEADING, "Agenda and minutes", level=1, strong=True),
              Block(HEADING, "Ashby Safeguarding Children Partnership Annual Report 2022-23 PDF 205 KB", level=2,
                    strong=True),
              Block(HEADING, "Minutes of Previous Meeting", level=3, strong=True)]
    assert detect_title(blocks, "f") == "Ashby Safeguarding Children Partnership Annual Report 2022-23"
    dated = [Block(HEADING, "Friday, 22 May 2015 9.00 am", level=1, strong=True),
             Block(HEADING, "Is this the right question?", level=2, strong=True)]
    assert detect_title(dated, "file name") == "file name"


def test_title_lines_joined_stop_at_a_generic_heading(tmp_path):
    page = tmp_path / "ashby-report.txt"
    page.write_text("Ashby Safeguarding Children Partnership\nAnnual Report 2022-23\n\nIntroduction\n\n"
                    "This report sets out the work of the partnership over the year and what it learned.\n",
                    encoding="utf-8")
    assert parse_file(page).doc["title"] == "Ashby Safeguarding Children Partnership Annual Report 2022-23"


@pytest.mark.parametrize("area", ["Ashby", "Wessex"])  # a gazetteer area, and a name it does not hold
def test_a_body_heading_above_the_reports_name_is_one_title(area):
    blocks = [Block(HEADING, f"{area} Safeguarding Children Partnership", level=1, strong=True),
              Block(HEADING, "Annual Report 2023-24", level=2, strong=True),
              Block(HEADING, "The year ahead: 2024-25", level=3, strong=True),
              Block(PARAGRAPH, "Our priorities for next year are neglect and exploitation.")]
    assert detect_title(blocks, "f") == f"{area} Safeguarding Children Partnership Annual Report 2023-24"


def test_title_from_a_report_naming_itself_or_its_address():
    blocks = [Block(HEADING, "Introduction", level=1, strong=True),
              Block(PARAGRAPH, "The Annual Report of the Ashby Safeguarding Children Partnership is presented "
                               "to members for information.")]
    assert detect_title(blocks, "f") == "Annual Report of the Ashby Safeguarding Children Partnership"
    foreword = [Block(HEADING, "Foreword", level=1, strong=True), Block(PARAGRAPH, "We remain committed.")]
    assert detect_title(foreword, "f", url="https://x.org.uk/document/ashby-scp-yearly-report-2024-25") == \
        "Ashby SCP Yearly Report 2024-25"


@pytest.mark.parametrize("lines, year", [
    (["In September 2022 the focus of the audit was neglect.", "The strategy was launched on 27 September 2023."],
     2022),
    (["Wednesday, June 14, 2017", "Documents were published today."], 2017),
    (["Date: 2020", "The infant was admitted to hospital."], 2020),
    (["# Annual Report 2021-2022", "Please find the SCP Annual Report 2020-21 below.", "## SCP Annual Report 2020-2021"],
     2020),
    (["# The year ahead: 2026 - 27", "## Priorities for 2026-27"], 2025),
    (["November 2013, Ref. 4471", "We looked at reviews from 1 April 2009 to 31 March 2013."], 2013),
])
def test_years_from_dates_events_and_votes(lines, year):
    assert detect_period(lines)["year_start"] == year


def test_a_span_of_years_is_kept_as_a_span():
    p = detect_period(["Published: November 2013", "Reviews from 1 April 2009 to 31 March 2013."])
    assert (p["period_start"], p["period_end"], p["year_start"]) == ("2009-04-01", "2013-03-31", 2013)


@pytest.mark.parametrize("title, text, url, kind", [
    ("Annual Report on Safeguarding Arrangements 2021-22", "", None, "annual-report"),
    ("Neglect: learning from case reviews", "Published case reviews highlight", None, "briefing"),
    ("Growing up at risk: lessons from reviews", "A thematic report on an evaluation of case reviews",
     None, "review"),
    ("The coming year", "Our priorities", "https://x.org.uk/about-us/annual-report/looking-ahead", "annual-report"),
    ("Neglect Plan: Progress Report", "Purpose of the paper\nThe Committee is asked to note the progress.", None,
     "board-papers"),
    ("Ashby Annual Report 2018-19", "Minutes of the scrutiny board", None, "board-papers"),
    # a meeting's notice whose business lists an annual report
    ("Fife Child Protection Committee", "NOTICE IS HEREBY GIVEN that a Meeting of the Committee is to be held on "
     "Tuesday, 3 March 2020.\nBUSINESS\n1 Sederunt\n2 Matters Arising\n3 Fife Child Protection Committee Annual "
     "Report 2019", None, "board-papers"),
    # a committee paper's cover sheet, which never says "agenda"
    ("Safeguarding Children Report", "DECISION NOTE\nThe Quality and Safety Committee is asked to: receive the "
     "report\nReporting to: Trust Board\nPaper Title: Safeguarding Children Report", None, "board-papers"),
    # an item on a council's committee portal, whatever report it presents
    ("Safeguarding children", "The Board considered the partnership's annual report and thanked its chair.",
     "https://democracy.ashby.gov.uk/mgAi.aspx?ID=7", "board-papers"),
    # a committee's record, whose minutes of the last meeting are agreed in a sentence
    ("Children's Scrutiny Panel - Tuesday 26th November 2024", "Cllr Wells declared a personal interest as a "
     "governor.\nResolved – That the minutes of the meeting held on 23 October 2024 be signed.", None, "board-papers"),
    # a school's audit that asks for its copy to go with the governors' minutes
    ("Annual education safeguarding audit", "A copy should be appended to the minutes of the Governing Body "
     "meeting. The audit supports the annual review of policies.", None, "other"),
    # a newsletter that mentions an annual report and the arrangements
    ("Safeguarding Newsletter - Autumn 2022", "Welcome to our newsletter. In this issue: the partnership's annual "
     "report is out, and our safeguarding arrangements have been refreshed.", None, "other"),
    # a plan that mentions the safeguarding agenda in its prose
    ("Ashby Safeguarding Board Strategic Plan 2019 - 2020", "Introduction\nThe boards share an all age "
     "safeguarding agenda and publish one strategic plan.", None, "other"),
    # a letter about a review, and a procedures chapter about reviews
    ("Letter to the Secretary of State", "Dear Minister,\nI am writing to announce our first national child "
     "safeguarding practice review.", None, "other"),
    ("Serious Case Reviews", "SCOPE OF THIS CHAPTER\nThis chapter details the criteria for a serious case review.",
     None, "other"),
])
def test_doc_types_for_the_whole_field(title, text, url, kind):
    assert detect_doc_type(text, title, url) == kind


def test_publisher_byline_and_writer_of_a_national_body():
    news = ("Radical shift needed in reviews\nPublished: 22/05/2025\nAuthor: Research in Practice\n"
            "A new report published by the Child Safeguarding Practice Review Panel explores how reviews are done. "
            "The Child Safeguarding Practice Review Panel found variability.")
    assert detect_publisher(news) == "Research in Practice"
    letter = ("Child Safeguarding Practice Review Panel 2019\nDear Damian,\nI am writing to you as Chair of the "
              "independent Child Safeguarding Practice Review Panel to announce a review. Sam Lee, Chair of "
              "Wiltshire Local Safeguarding Children Board (LSCB), will lead it with members of the LSCB.")
    assert detect_publisher(letter) == "Child Safeguarding Practice Review Panel"


def test_a_page_flattened_into_one_line_has_no_title_line():
    members = " ".join(f"Member {i} Lay Member" for i in range(12))
    minutes = ("14th Meeting of the Safeguarding Board for Northern Ireland To be held on 9th March 2016 at 2.00pm "
               "RECORD OF ATTENDANCE Name Title & Organisation " + members + " Chief Executive Ashby District "
               "Council Director of Public Health Chief Executive Ashby District Council Minute Taker SBNI "
               "Professional Officer SBNI Communications SBNI")
    assert detect_publisher(minutes) == "Safeguarding Board for Northern Ireland"


def test_no_publisher_from_a_body_without_its_area():
    framework = ("This framework sets out inspections of services for children.\nSection 2: The effectiveness "
                 "of the Local Safeguarding Children Board (LSCB)\nThe LSCB is reviewed.")
    assert detect_publisher(framework) is None
    adults = ("Safeguarding Children and Adults at Risk Report. The Trust is a member of the Local Safeguarding "
              "Children Boards and the Ashby Adult Safeguarding Board.")
    assert detect_publisher(adults) is None


def test_publisher_is_the_body_whose_plan_it_is():
    plan = ("Ashby Safeguarding\n\nPartnership Business Plan\n\nThe safeguarding partners (local authorities, police "
            "and Clinical Commissioning Groups (CCGs)) must work together. Nottingham City Council, Nottinghamshire "
            "County Council, Nottingham and Nottinghamshire Clinical Commissioning Group and the police approved "
            "the arrangements.\n\nThe arrangements are called the Nottingham and Nottinghamshire Safeguarding "
            "Children Partnership Business Plan.")
    assert detect_publisher(plan) == "Nottingham and Nottinghamshire Safeguarding Children Partnership"


@pytest.mark.parametrize("lines, year", [
    (["About", "Independent Scrutineers Report 24-25", "In December 2023 new guidance was published."], 2024),
    (["Newsletter - Archive", "NEWSLETTER – SPRING 2021", "Our webinar is on 22nd Feb."], 2020),
    (["Summer Term 2019 Newsletter", "Welcome back."], 2019),
    (["Autumn 2022", "Welcome to the newsletter."], 2022),
])
def test_years_of_short_spans_and_school_terms(lines, year):
    assert detect_period(lines)["year_start"] == year


def test_winter_dates_nothing_it_straddles():
    assert detect_period(["Winter 2019 Newsletter", "Welcome."])["year_start"] is None


def test_a_numbered_minute_is_an_agenda_item_not_a_title(tmp_path):
    page = tmp_path / "agenda.md"
    page.write_text("Fife Child Protection Committee\n\nMonday, 18 February 2019\n\nNOTICE IS HEREBY GIVEN that a "
                    "Meeting of the Committee is to be held on Monday, 18 February 2019.\n\nBUSINESS\n\n1 Sederunt"
                    "\n\n2 Minute of Meeting dated 30 October 2018 5 - 8\n\n3 Matters Arising\n", encoding="utf-8")
    doc = parse_file(page).doc
    assert "Minute of Meeting" not in doc["title"] and doc["doc_type"] == "board-papers"
    assert doc["year"] == "2018-19"
    seven = [Block(HEADING, "Minute Briefing: Neglect", level=1, strong=True, number="7")]
    assert detect_title(seven, "f") == "7 Minute Briefing: Neglect"


def test_word_properties_give_title_publisher_and_year(tmp_path):
    import docx

    d = docx.Document()
    d.core_properties.title = "Ashby Safeguarding Children Partnership Annual Report 2021-22"
    d.core_properties.author = "Ashby Safeguarding Children Partnership"
    d.add_heading("Foreword", 1)
    d.add_paragraph("We are pleased to share our work for the year.")
    d.save(tmp_path / "report.docx")
    doc = parse_file(tmp_path / "report.docx").doc
    assert doc["title"] == "Ashby Safeguarding Children Partnership Annual Report 2021-22"
    assert doc["publisher"] == "Ashby Safeguarding Children Partnership"
    assert (doc["year"], doc["doc_type"]) == ("2021-22", "annual-report")


def test_national_bodies_of_your_own(tmp_path, monkeypatch):
    extra = tmp_path / "extra.toml"
    extra.write_text('[[publisher.national]]\nname = "Foundations"\npattern = \'Foundations\'\n'
                     'hosts = ["foundations.org.uk"]\n', encoding="utf-8")
    monkeypatch.setenv("SGSEARCH_METADATA", str(extra))
    assert detect_publisher("A report published by Foundations found that plans drifted.") == "Foundations"
    assert detect_publisher("Plans drifted.", "https://www.foundations.org.uk/report") == "Foundations"


@pytest.mark.parametrize("url", ["http://[bad", "https://", "not a url at all", "//"])
def test_a_malformed_address_is_no_signal_and_no_error(tmp_path, url):
    page = tmp_path / "p.md"
    page.write_text(f"<!-- {url} -->\n# Ashby Safeguarding Children Partnership Annual Report 2021-22\n\nText.\n",
                    encoding="utf-8")
    doc = parse_file(page, source_url=url).doc
    assert doc["publisher"] == "Ashby Safeguarding Children Partnership" and doc["year"] == "2021-22"


@pytest.mark.parametrize("engine", AVAILABLE)
def test_a_span_of_years_is_found_by_any_year_it_covers(tmp_path, engine):
    src = tmp_path / "in"
    src.mkdir()
    (src / "span.md").write_text(
        "# Lessons from reviews of neglect\n\nPublished: October 2011\n\nAn evaluation of reviews from 1 April "
        "2007 to 31 March 2011.\n\n## Neglect\n\nNeglect was missed in many of the reviews.\n", encoding="utf-8")
    (src / "annual.md").write_text(
        "# Ashby LSCB Annual Report 2008-09\n\n## Neglect\n\nThe neglect strategy was launched.\n", encoding="utf-8")
    root = tmp_path / "ix"
    assert ingest([src], root, engine=engine).ok
    store = Store(root)

    def found(year):
        return sorted({h.section["doc_id"] for h in search(store, "neglect", year=year).hits})

    assert found(2008) == ["annual", "span"]
    assert found(2009) == found(2011) == ["span"]
    assert found(2012) == []

    def between(lo, hi):
        return sorted({h.section["doc_id"] for h in search(store, "neglect", from_year=lo, to_year=hi).hits})

    assert between(2009, 2010) == ["span"]  # the review starts in 2007 and is dated 2011
    assert between(2008, None) == between(None, 2008) == ["annual", "span"]
    assert between(2012, None) == [] and between(None, 2006) == []
    res = search(store, "neglect", from_year=2009, to_year=2010)
    assert list(res.year_counts) == ["2009-10", "2010-11"]  # only the years asked for
    assert search(store, "neglect", year=2009).years == ["2009-10"]

    traced = trace(store, "neglect")
    assert [y["year"] for y in traced["years"]] == ["2007-08", "2008-09", "2009-10", "2010-11", "2011-12"]
    n = [y["sections"] for y in traced["years"]]
    assert n[0] == n[2] == n[3] == n[4] >= 1 and n[1] == n[0] + 1  # the span in each year; 2008 has the annual too
    table = theme_table(store)
    assert table["years"] == ["2007-08", "2008-09", "2009-10", "2010-11", "2011-12"]
    assert table["totals"]["2009-10"]["documents"] == 1
    assert table["sections"] < sum(v["sections"] for v in table["totals"].values())  # each section once in all
    ranged = theme_table(store, 2009, 2010)
    assert ranged["years"] == ["2009-10", "2010-11"] and ranged["documents"] == 1

    briefing = build_briefing(store, "neglect", from_year=2009, to_year=2010)
    assert [g["year"] for g in briefing["passages"]] == ["2009-10", "2010-11"]
    row = briefing["table"]["query_row"]
    assert row["total"] == res.total < sum(row["counts"].values())  # each section once, not once per year

    from click.testing import CliRunner

    from cli import main

    out = CliRunner().invoke(main, ["neglect", "--from", "2009", "--to", "2010-11", "--json", "--index", str(root)])
    assert out.exit_code == 0 and {r["doc_id"] for r in json.loads(out.output)["results"]} == {"span"}
    themes = CliRunner().invoke(main, ["themes", "--from", "2009", "--json", "--index", str(root)])
    assert json.loads(themes.output)["years"] == ["2009-10", "2010-11", "2011-12"]


@pytest.mark.parametrize("lines, first, last", [
    (["# Biennial Report 2021-2023"], 2021, 2022),
    (["# Annual Report 2021/22 - 2022/23"], 2021, 2022),
    (["# Safeguarding Strategy 2023 to 2026", "Published June 2023"], 2023, 2025),
])
def test_a_report_named_for_several_years_covers_each(lines, first, last):
    p = detect_period(lines)
    assert (p["period_start"], p["period_end"]) == (f"{first}-04-01", f"{last + 1}-03-31")
    assert years_covered(p["year_start"], p) == ",".join(str(y) for y in range(first, last + 1))


def test_a_long_year_is_one_year_not_a_span():
    p = detect_period(["This report covers 1 April 2021 to 30 June 2022."])
    assert (p["year_start"], years_covered(p["year_start"], p)) == (2021, "2021")


def test_a_local_report_that_mentions_ofsted_is_not_ofsteds():
    text = ("The LSCB welcomed Ofsted's inspection. Ofsted's judgement was good. Ofsted visited twice. "
            "The LSCB thanked Ofsted. The LSCB will deliver training.")
    assert detect_publisher(text, "https://democracy.bathnes.gov.uk/x") == \
        "Bath and North East Somerset Local Safeguarding Children Board"
    assert detect_period(["Deliver the neglect strategy by March 2024.", "In June 2022 the Board met."])[
        "year_start"] == 2022


def test_a_body_named_in_full_once_is_the_one_its_acronym_names():
    text = ("Report of the Independent Chair of the Rutland Local Safeguarding Children Board (LSCB).\n"
            "The LSCB Annual Report sets out the work of the LSCB. The LSCB met four times. "
            "The LSCB audited early help. The LSCB thanked its partners.")
    assert detect_publisher(text) == "Rutland Local Safeguarding Children Board (LSCB)"


@pytest.mark.parametrize("text, publisher", [
    ("# Learning briefing\n\nThe Partnership asks every practitioner to read this briefing.\n\n"
     "Contact the Partnership business unit: scp@wiltshire.gov.uk or www.wiltshirescp.org.uk",
     "Wiltshire Safeguarding Children Partnership"),
    ("# Annual report\n\nThe LSCB brought together schools, police and health services across Cornwall. "
     "Cornwall's children told the LSCB what mattered to them.",
     "Cornwall Local Safeguarding Children Board"),
])
def test_a_bare_body_takes_the_area_its_page_prints_or_names(text, publisher):
    assert detect_publisher(text) == publisher


def test_a_place_in_a_national_bodys_summary_does_not_make_it_local():
    text = ("The Child Safeguarding Practice Review Panel has published its review. "
            "The Panel found that a child in Leeds was not seen. The Panel recommends national changes.")
    assert detect_publisher(text) == "Child Safeguarding Practice Review Panel"


@pytest.mark.parametrize("lines, year", [
    (["Minute of the meeting held on the 3rd of March 2016 in the council chamber"], 2015),
    (["# Neglect Strategy 2024-2027", "Our four priorities are below."], 2024),  # a plan looks forward
    (["# Biennial Report 2021-2023", "What the partnership did."], 2022),  # a report looks back
])
def test_dates_with_of_and_plans_dated_by_their_first_year(lines, year):
    assert detect_period(lines)["year_start"] == year


@pytest.mark.parametrize("text, publisher", [
    ("ANNUAL REPORT OF THE SAFEGUARDING BOARD FOR NORTHERN IRELAND\n\nThe duties of the Safeguarding Board are "
     "set out in law. The Board met six times.", "Safeguarding Board for Northern Ireland"),
    ("The minutes of the Wiltshire Safeguarding Children Partnership were noted. The Wiltshire Safeguarding "
     "Children Partnership agreed its priorities.", "Wiltshire Safeguarding Children Partnership"),
])
def test_a_national_body_in_capitals_and_words_before_an_area_are_not_a_name(text, publisher):
    assert detect_publisher(text) == publisher


def test_a_meetings_own_record_is_a_board_paper():
    text = "Name / Role / Present / Apology\nA Chair / Independent Chair\nIn attendance\nB Clerk / Minute Taker"
    assert detect_doc_type(text, "12th Meeting of the Regional Board") == "board-papers"


@pytest.mark.parametrize("text, publisher", [
    ("The Blackburn with Darwen Safeguarding Children Partnership met in June. It agreed its plan.",
     "Blackburn with Darwen Safeguarding Children Partnership"),
    ("This review was carried out jointly with Devon Safeguarding Children Partnership. Devon Safeguarding "
     "Children Partnership published it.", "Devon Safeguarding Children Partnership"),
])
def test_an_area_with_with_in_its_name_and_a_name_after_with(text, publisher):
    assert detect_publisher(text) == publisher


def test_a_scottish_minute_of_meeting_is_a_title():
    blocks = [Block(PARAGRAPH, "Minute of the meeting held on 2 May 2019, Council Chamber, Inverness"),
              Block(PARAGRAPH, "Present: the Chair, the Clerk and six members")]
    assert detect_title(blocks, "file name") == "Minute of the meeting held on 2 May 2019, Council Chamber, Inverness"


@pytest.mark.parametrize("lines, year", [
    (["The Cabinet received the Annual Reports of the Ashby Safeguarding Children Partnership and the Ashby "
      "Safeguarding Adults Board for 2019/20.", "The reports go to the Boards on 14th October 2020."], 2019),
    (["# The Review Panel's 2021 Annual Report", "Posted in June"], 2021),
    (["# Joint Strategy 2019 2023", "The partners agreed it."], 2019),
])
def test_years_of_reports_named_loosely(lines, year):
    assert detect_period(lines)["year_start"] == year


@pytest.mark.parametrize("lines, year", [
    # dates run together, as a PDF's text can give them
    (["Ashby Safeguarding Board", "Annual Report", "1stApril 2018 to 31stMarch 2019"], 2018),
    # a title line run on into the contents: its month and year still date it
    (["Keeping Children Safe in Ashby Schools June 2018 CONTENTS 1.0 INTRODUCTION ........ 4 1.1 Scope of this "
      "guidance ........ 5 1.2 Who it is for ........ 6"], 2018),
    (["Bulletin 9; February 2019 Message from the Chair. Welcome to our bulletin for the new year, in which we "
      "look back at the Board's work and forward to the audits ahead."], 2018),
])
def test_dates_a_pdf_ran_together(lines, year):
    assert detect_period(lines)["year_start"] == year


@pytest.mark.parametrize("lines, year", [
    # the date a document is next to be reviewed is no date of it
    (["Ashby Escalation Policy", "Date agreed: March 2022", "Review date: March 2025", "This policy sets out."], 2021),
    (["Ashby Neglect Strategy", "Approved by the Partnership in May 2021", "To be reviewed in May 2024"], 2021),
    (["Ashby Escalation Policy", "Next review: March 2025", "This policy sets out how to resolve disagreements."],
     None),
    # a field naming the document's own date
    (["Practice guidance", "Document date: 14.02.2019"], 2018),
])
def test_a_review_date_is_no_date_of_the_document(lines, year):
    assert detect_period(lines)["year_start"] == year


@pytest.mark.parametrize("line", ["Ashby Safeguarding Board Annual Report -2018-2019", "Annual Report: 2018/19",
                                  "Annual Report | 2018-19", "Annual Report \u2013 2018 to 2019"])
def test_a_reports_year_after_a_dash_colon_or_bar(line):
    period = detect_period([line, "Members were told the report described what the Board had done."])
    assert (period["year_start"], period["how"]) == (2018, "report-year")


@pytest.mark.parametrize("text, title, url, doc_type", [
    # a page about a report someone has published is no report
    ("The Panel has today published its annual report on serious incidents.\nWe will share it with teams.",
     "Panel findings on serious incidents", "https://ashbyscp.org.uk/news/panel-findings/", "other"),
    ("This blog was written by our research lead.\nWe read twenty annual reports from partnerships.",
     "Reading partners' annual reports", None, "other"),
    # the body's own report, published by it, stays its report
    ("Annual Report 2021/22\nThis annual report sets out the work of the Ashby Safeguarding Children "
     "Partnership.\nThe report has been published on our website.", "Annual Report 2021/22", None, "annual-report"),
    # a committee's record of a report put to it
    ("Issue - decisions\nReport No. 40/2021 from the Independent Chair was received.\nThe Director "
     "introduced the report.", "Ashby Safeguarding Children Partnership Annual Report", None, "board-papers"),
    ("Date of Meeting:\n3rd March 2015\nPoints raised: the training offer was agreed.",
     "Partnership meeting \u2013 3rd March 2015", None, "board-papers"),
    # a report on the arrangements is a report, the arrangements themselves are not
    ("Annual Report on Safeguarding Arrangements 2022-23\nThis report sets out how the partners worked.",
     "Annual Report on Safeguarding Arrangements 2022-23", None, "annual-report"),
    ("Multi-Agency Safeguarding Arrangements\nThis document sets out how the partners will work together.",
     "Multi-Agency Safeguarding Arrangements", None, "arrangements"),
    # a case review by each nation's name for it, a page on such reviews in general by none
    ("This learning review was commissioned by the Committee after a child was hurt.", "Learning Review: Child R",
     None, "review"),
    ("The case management review was carried out after a baby was injured.", "Case Management Review: Child K",
     None, "review"),
    ("The significant case review examined how agencies worked with the family.", "Significant Case Review: Child L",
     None, "review"),
    ("The purpose of a significant case review is to learn. Criteria for undertaking one are set nationally "
     "and the committee has a statutory duty to consider them.",
     "Significant case reviews", None, "other"),
    ("A learning review is a multi-agency process for finding out what happened and why.", "Learning reviews",
     None, "other"),
    ("This serious case review was commissioned after Child A died. A serious case review is a review of "
     "services.", "Serious Case Review: Child A", None, "review"),
    # a committee's report for two years is its periodic report too
    ("Dumfries and Galloway Child Protection Committee\nBiennial Report 2018-2020\nIntroduction by the Chair",
     "Biennial Report 2018-2020", None, "annual-report"),
    # a briefing named so in its title, however much it says of the review it summarises
    ("Background\nThis review was commissioned after Child D was hurt. The serious case review found that "
     "agencies did not share what they knew.\nThis review asks teams to be curious.",
     "7 Minute Briefing: Child D", None, "briefing"),
])
def test_doc_types_of_pages_about_reports_records_of_them_and_reports_themselves(text, title, url, doc_type):
    assert detect_doc_type(text, title, url) == doc_type


def test_the_body_a_meetings_first_line_names_is_its_publisher():
    text = ("Sixth Meeting of the Child Safeguarding Practice Review Panel\n"
            "Name / Organisation\nA Chair / Chair, Child Safeguarding Practice Review Panel\n"
            "B Member / Chief Executive, Wrexham County Borough Council\n"
            "C Member / Secretary to the Child Safeguarding Practice Review Panel\nActions agreed: none.")
    assert detect_publisher(text) == "Child Safeguarding Practice Review Panel"


def test_a_council_committee_portal_is_the_councils_and_a_report_for_a_body_is_that_bodys():
    assert detect_publisher("Agenda and minutes\nChildren's Scrutiny Panel - 6 March 2024\nApologies were received.",
                            "https://wiltshire.moderngov.co.uk/ieListDocuments.aspx?MId=1") == "Wiltshire Council"
    text = ("Safeguarding Children Annual Report\nContents: Introduction 3 Governance Performance Cornwall "
            "Safeguarding Children Partnership (CSCP) 4\nThis is the annual safeguarding report for the NHS "
            "Cornwall CCG. It sets out the progress made in the year.")
    assert detect_publisher(text) == "NHS Cornwall Clinical Commissioning Group"
    assert detect_publisher("Contents: Governance Performance Cornwall Safeguarding Children Partnership 4") == \
        "Cornwall Safeguarding Children Partnership"


def test_a_sites_document_number_and_a_contents_line_are_no_title():
    foreword = [Block(HEADING, "Foreword", level=1, strong=True), Block(PARAGRAPH, "We remain committed.")]
    assert detect_title(foreword, "f", url="https://docs.example.com/news/48213377-ashby-scp-neglect-review-2023") == \
        "Ashby SCP Neglect Review 2023"
    blocks = [Block(PARAGRAPH, "Contents. Foreword...3 Chapter 1: Our Area...5"), Block(HEADING, "Annual Report", level=1)]
    assert detect_title(blocks, "f") == "Annual Report"


@pytest.mark.parametrize("lines, year", [
    # the meeting's own date in figures, not the previous meeting whose minutes it agrees
    (["Meeting: 14/09/2016 - Children's Scrutiny Committee (Item 4)",
      "To agree the minutes of the meeting of the Committee held on 12 February 2016."], 2016),
    (["## Ashby Safeguarding Board - Tuesday, 9 May 2017",
      "The minutes of the meeting held on 21 March 2017 were approved."], 2017),
])
def test_a_meeting_is_dated_by_its_own_date_not_a_previous_meetings(lines, year):
    assert detect_period(lines, prefer_date=True)["year_start"] == year
    assert detect_period(lines)["year_start"] == year


@pytest.mark.parametrize("lines, year", [
    # an update or version date says when the document is from; an event it mentions does not
    (["Guidance for schools", "Issued to schools in May 2015 and kept under review.", "Last updated: 3 March 2020"],
     2019),
    (["Escalation procedure", "Version 3.1 – 12 September 2021", "It replaces the procedure agreed on 4 May 2016."],
     2021),
    (["Neglect toolkit", "Draft v0.3 – 14 March 2019", "Agreed by the Board on 2 May 2017."], 2018),
    ([" date 2023-07-20 The partnership has published its review.", "It looks back on events of 2019."], 2023),
    (["Practice note", "Date published: 5 January 2023", "It draws on a review of events on 1 June 2020."], 2022),
    (["Quarterly report to the Board", "Period covered: 2019-20", "In May 2021 the audit began."], 2019),
    # ordinals that conversion split from their numbers still make a period
    (["This report covers the period from 1 st April 2018 to 31 st March 2019."], 2018),
])
def test_update_and_version_dates_and_split_ordinals(lines, year):
    assert detect_period(lines)["year_start"] == year


@pytest.mark.parametrize("lines, year", [
    (["Trust Board. Date of meeting: 20th July 2016",
      "This annual report covers the year 1 st April st March."], 2015),
    (["Safeguarding Annual Report June 2018", "It describes the team's work during the financial year, /18."], 2017),
])
def test_a_year_whose_numbers_were_lost_is_the_last_one_ended_before_the_date(lines, year):
    assert detect_period(lines)["year_start"] == year


@pytest.mark.parametrize("lines, first, last, year", [
    (["# Business Improvement Plan 2017-19", "Page updated: 23.03.2017"], 2017, 2018, 2017),
    (["The Board's business strategy has been approved for the period 2018-2020."], 2018, 2019, 2018),
])
def test_spans_with_a_shortened_end_or_named_as_a_period(lines, first, last, year):
    p = detect_period(lines)
    assert (p["period_start"], p["period_end"], p["year_start"]) == (f"{first}-04-01", f"{last + 1}-03-31", year)


def test_a_report_year_before_a_plans_span_and_a_running_header_voting_once():
    assert detect_period(["# Annual Report 2014-15 and Business Plan 2015-17", "Foreword"])["year_start"] == 2014
    header = "ANNUAL REPORT 2018-19 ASHBY SAFEGUARDING BOARD"
    lines = ["# Ashby Safeguarding Board Annual Report 2019-20", "Contents", header, "Foreword", header]
    assert detect_period(lines)["year_start"] == 2019


def test_a_dated_address_dates_a_page_that_states_no_date(tmp_path):
    assert year_of_address("https://www.example.org.uk/media/news/2016/aug/board-review") == 2016
    assert year_of_address("https://ashbyscp.org.uk/2022/02/learning-review-published/") == 2021
    assert year_of_address("https://ashbyscp.org.uk/annual-report-2020-21") == 2020
    # a page named for its month and year; two months or two years date nothing
    assert year_of_address("https://ashbyscp.org.uk/FebruaryNewsletter2024") == 2023
    assert year_of_address("https://ashbyscp.org.uk/news/bulletin-september-2019/") == 2019
    assert year_of_address("https://ashbyscp.org.uk/minutes-june-2019-and-july-2020") is None
    assert year_of_address("https://ashbyscp.org.uk/about-us/") is None
    page = tmp_path / "news.md"
    page.write_text("<!-- https://www.example.org.uk/media/news/2016/aug/board-review -->\n"
                    "# Association calls for a review of the Board\n\nThe association welcomed the report. "
                    "On 10 July it met the Minister.\n", encoding="utf-8")
    assert parse_file(page).doc["year"] == "2016-17"


@pytest.mark.parametrize("lines, year", [
    (["Agenda item", "To note the Annual Report of the Ashby Children's Safeguarding Partnership 2021-2022, "
      "presented by its Chair."], 2021),
    (["Members' Bulletin - November 2018 edition", "The inspections programme continues."], 2018),
    # a deadline dates a page that carries no other date
    (["The consultation on the new guidance runs until 6th September 2023.", "Events: Monday 4th September"], 2023),
])
def test_a_report_named_with_its_body_then_its_year_and_a_month_in_the_title(lines, year):
    assert detect_period(lines)["year_start"] == year
