"""Search that speaks the field: the thesaurus, acronyms documents define, query expansion, proximity."""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from corpus import corpus_dir
from ingest.acronyms import document_acronyms, find_acronyms
from ingest.pipeline import ingest
from search.index.analysis import index_terms, join_prefixes
from search.index.backends.tantivy import translate
from search.index.store import Store
from search.query import HL_END, HL_START, build_query, search
from search.vocab.thesaurus import ThesaurusError, is_abbreviation, load_thesaurus, terms
from tests.engines import AVAILABLE

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DATA = Path(__file__).parent / "data"
WIDGET = DATA / "widget-panel-briefing.txt"


def _text(hit) -> str:
    return f"{hit.section.get('heading') or ''}\n{hit.section.get('text') or ''}"


def _marked(hit) -> list[str]:
    return re.findall(f"{HL_START}(.*?){HL_END}", hit.snippet)


# -- the thesaurus as data --------------------------------------------------------------

def test_bundled_thesaurus_has_the_fields_abbreviations_and_synonyms():
    t = load_thesaurus()
    assert len(t.abbreviations) >= 60
    for abbr in ("JTAI", "LADO", "MASH", "SUDI", "CSE", "CCE", "FGM", "CSPR", "LCSPR", "SCR", "CDOP", "MARAC",
                 "IDVA", "EHA", "TAF", "ICPC", "RCPC", "CP", "CIN", "CLA", "CiC", "SEND", "EHCP", "CPIS", "ACE",
                 "DSL", "GCP2", "DV"):
        assert abbr in t.abbreviations, abbr
    assert t.abbreviations["JTAI"] == ["joint targeted area inspection"]
    assert "father" in t.lookup(["dads"]) and "male carer" in t.lookup(["dad"])
    assert "safer sleep" in t.lookup(["safe", "sleep"])
    assert "child protection plan" in t.lookup(["CP", "plan"])
    assert "looked after children" in t.lookup(["children", "looked", "after"])
    assert {"domestic violence", "domestic abuse"} <= set(t.lookup(["DV"]))


def test_abbreviations_match_only_in_capitals():
    t = load_thesaurus()
    assert t.lookup(["CIN"]) == ["child in need"]
    assert t.lookup(["cin"]) == [] and t.lookup(["Cin"]) == []
    assert t.lookup(["ACEs"]) == ["adverse childhood experience"]
    assert "CIN" in t.lookup(["child", "in", "need"])
    assert is_abbreviation("GCP2") and is_abbreviation("CiC") and not is_abbreviation("Panel")


def test_a_users_file_adds_and_replaces(tmp_path):
    f = tmp_path / "mine.toml"
    f.write_text('synonyms = [["widget", "gadget"]]\n[abbreviations]\nJTAI = "joint thing"\nWAP = "Widget Assessment Panel"\n',
                 encoding="utf-8")
    t = load_thesaurus([f])
    assert t.lookup(["JTAI"]) == ["joint thing"]
    assert t.lookup(["WAP"]) == ["Widget Assessment Panel"]
    assert t.lookup(["gadgets"]) == ["widget"]


@pytest.mark.parametrize("text, problem", [
    ("[abbreviations]\njtai = \"x y\"\n", "at least two capitals"),
    ("synonyms = [[\"only one\"]]\n", "at least two"),
    ("[abbreviations\n", "not valid TOML"),
    ("[words]\nx = 1\n", "unknown key"),
])
def test_a_bad_thesaurus_file_is_one_line_naming_it(tmp_path, text, problem):
    f = tmp_path / "bad.toml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(ThesaurusError) as e:
        load_thesaurus([f])
    assert str(f) in str(e.value) and problem in str(e.value) and "\n" not in str(e.value)


# -- acronyms documents define ----------------------------------------------------------

def test_acronyms_are_found_both_ways_round():
    assert find_acronyms("A referral to the Local Authority Designated Officer (LADO) was made.") == [
        ("LADO", "Local Authority Designated Officer")]
    assert find_acronyms("The LADO (Local Authority Designated Officer) reported.") == [
        ("LADO", "Local Authority Designated Officer")]
    assert find_acronyms("during the Joint Targeted Area Inspection (JTAI) of services") == [
        ("JTAI", "Joint Targeted Area Inspection")]
    assert find_acronyms("Adverse Childhood Experiences (ACEs) and the Education, Health and Care Plan (EHCP)") == [
        ("ACE", "Adverse Childhood Experiences"), ("EHCP", "Education Health and Care Plan")]


def test_an_acronym_is_all_the_words_whose_initials_spell_it():
    # letter by letter from the right would take the "s" inside "Somerset" and drop "Safer"
    assert find_acronyms("links with the Safer Somerset Partnership (SSP) and others") == [
        ("SSP", "Safer Somerset Partnership")]
    assert find_acronyms("the Avon and Somerset Strategic Safeguarding Partnership (ASSSP) met") == [
        ("ASSSP", "Avon and Somerset Strategic Safeguarding Partnership")]
    assert find_acronyms("guidance from the Department for Education (DfE) said") == [
        ("DfE", "Department for Education")]
    assert find_acronyms("the Multi-Agency Safeguarding Hub (MASH) took calls") == [
        ("MASH", "Multi-Agency Safeguarding Hub")]


@pytest.mark.parametrize("text", [
    "see the report (page 4) for more",
    "South West Carers Leads Network (ADASS) met",
    "Social Care (CSC) said",
    "the total was high (NB) this year",
])
def test_brackets_that_define_nothing_are_ignored(text):
    assert find_acronyms(text) == []


def test_a_document_defines_each_acronym_once():
    texts = ["The Widget Assessment Panel (WAP) met.", "Later the Wider Access Plan (WAP) was agreed."]
    assert document_acronyms(texts) == [("WAP", "Widget Assessment Panel")]


@pytest.fixture(scope="module")
def widget_index(tmp_path_factory):
    root = tmp_path_factory.mktemp("widget-index")
    report = ingest([WIDGET], root, tag=False)
    assert report.failed == []
    return root


def test_an_acronym_a_document_defines_finds_its_expansion(widget_index):
    store = Store(widget_index)
    try:
        res = search(store, "WAP")
        assert res.expanded == ["Widget Assessment Panel"]
        ids = [h.section["section_id"] for h in res.hits]
        intro = next(h for h in res.hits if "Widget Assessment Panel" in _text(h))
        assert intro.section["section_id"] in ids
        marked = " ".join(_marked(intro))
        assert "WAP" in marked and "Widget Assessment Panel" in marked
        back = search(store, "widget assessment panel")
        assert "WAP" in back.expanded
        assert any("WAP" in _text(h) and "Widget" not in _text(h) for h in back.hits)
        assert search(store, "WAP", exact=True).expanded == []
    finally:
        store.close()


def test_an_expansion_typed_in_full_is_not_another_meaning_of_its_letters():
    t = load_thesaurus()
    t.add({"abbreviations": {"WCR": "widget case review", "QRP": ["quarterly review panel", "quarterly panel"]}})
    t.define("northshire", [("WCR", "wobble case review")])
    t.define("southshire", [("QRP", "quiet room plan")])
    t.define("eastshire", [("ZQP", "zinc quota plan")])
    t.define("westshire", [("ZQP", "zebra quilt project")])
    t.define("upshire", [("WCR", "Widget Case-Reviews"), ("BUN", "Board for Upshire North")])
    t.define("downshire", [("BUN", "BOARD UPSHIRE NORTH")])
    assert t.lookup(["widget", "case", "review"]) == ["WCR"]
    assert t.lookup(["wobble", "case", "reviews"]) == ["WCR"]  # a document's meaning: its letters only
    assert set(t.lookup(["WCR"])) == {"widget case review", "wobble case review"}  # the letters: every meaning
    assert t.lookup(["quarterly", "review", "panel"]) == ["QRP", "quarterly panel"]  # written together: equivalents
    assert t.lookup(["quiet", "room", "plan"]) == ["QRP"]
    # the same words written otherwise (function words, case, a plural) are the same meaning
    assert t.lookup(["board", "for", "upshire", "north"]) == ["BUN", "BOARD UPSHIRE NORTH"]
    assert t.lookup(["zinc", "quota", "plan"]) == ["ZQP"] and t.lookup(["zebra", "quilt", "project"]) == ["ZQP"]
    assert {"domestic violence", "DA", "DV"} <= set(t.lookup(["domestic", "abuse"]))


@pytest.mark.parametrize("engine", AVAILABLE)
def test_a_question_naming_one_meaning_of_an_acronym_ranks_that_meaning_first(tmp_path, engine):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "gadget.txt").write_text(
        "Gadget Case Reviews in Upshire\n\n1 Scope of the Gadget Case Review Group\n\nA Gadget Case Review (GCR) "
        "is held when a gadget fails at school. The gadget case review group lists each gadget case review, "
        "and every gadget case review is sent to the board.\n\n2 Purpose of the Case Review Group\n\nThe "
        "purpose of the group is to choose which gadget case review to hold and to publish each gadget case "
        "review.\n", encoding="utf-8")
    (folder / "gizmo.txt").write_text(
        "Learning in Downshire\n\n1 Introduction\n\nA Gizmo Case Review (GCR) in Downshire looks at how "
        "agencies worked together.\n\n2 Why reviews are held\n\nThe aim of a gizmo case review in Downshire is "
        "that agencies learn how to keep children safe, not to blame anyone.\n", encoding="utf-8")
    for d in range(6):  # other papers, so that the review words are not the commonest
        (folder / f"minutes-{d}.txt").write_text(
            f"Board Minutes {d}\n\n1 Attendance\n\nThe board met and agreed its plan for the year. Members "
            "noted the report on training and the budget.\n", encoding="utf-8")
    ingest([folder], tmp_path / "ix", tag=False, engine=engine)
    store = Store(tmp_path / "ix")
    try:
        res = search(store, "what is the aim of a gizmo case review in Downshire")
        assert res.expanded == ["GCR"]
        # both passages on the meaning asked for above the other meaning's, which holds the same words
        headings = [h.section["heading"] for h in res.hits]
        assert headings[:2] == ["Why reviews are held", "Introduction"], headings
        # the letters typed still stand for both meanings
        assert set(search(store, "GCR").expanded) == {"Gadget Case Review", "Gizmo Case Review"}
    finally:
        store.close()


def test_terms_command_lists_what_documents_define(widget_index):
    r = CliRunner().invoke(main, ["terms", "WAP", "--index", str(widget_index), "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["abbreviations"] == [{"abbreviation": "WAP", "expansions": ["Widget Assessment Panel"],
                                      "documents": ["widget-panel-briefing"]}]
    r = CliRunner().invoke(main, ["terms", "--index", str(widget_index)])
    assert "WAP      Widget Assessment Panel  (defined in widget-panel-briefing)" in r.output
    assert "JTAI" in r.output and "Synonyms:" in r.output
    assert terms(Store(widget_index).current_dir(), "father")["synonyms"][0][0] == "father"
    r = CliRunner().invoke(main, ["docs", "widget-panel-briefing", "--index", str(widget_index), "--json"])
    assert json.loads(r.output)["acronyms"] == [{"abbreviation": "WAP", "expansion": "Widget Assessment Panel"}]
    r = CliRunner().invoke(main, ["docs", "widget-panel-briefing", "--index", str(widget_index)])
    assert "Acronyms it defines: WAP Widget Assessment Panel" in r.output


def test_re_ingesting_a_changed_document_replaces_its_acronyms(tmp_path):
    doc = tmp_path / "brief.txt"
    doc.write_text("Briefing\n\n1 Panel\n\nThe Widget Assessment Panel (WAP) met twice.\n", encoding="utf-8")
    root = tmp_path / "ix"
    ingest([tmp_path], root, tag=False)
    assert terms(Store(root).current_dir(), "WAP")["abbreviations"][0]["expansions"] == ["Widget Assessment Panel"]
    doc.write_text("Briefing\n\n1 Panel\n\nThe Wider Access Plan (WAP) met twice.\n", encoding="utf-8")
    ingest([tmp_path], root, tag=False)
    assert terms(Store(root).current_dir(), "WAP")["abbreviations"][0]["expansions"] == ["Wider Access Plan"]
    doc.unlink()
    ingest([tmp_path], root, tag=False)
    assert terms(Store(root).current_dir(), "WAP")["abbreviations"] == []


def test_a_users_thesaurus_is_kept_in_the_index(tmp_path):
    mine = tmp_path / "mine.toml"
    mine.write_text('[abbreviations]\nQQP = "quarterly quality panel"\n', encoding="utf-8")
    doc = tmp_path / "docs" / "note.txt"
    doc.parent.mkdir()
    doc.write_text("Note\n\n1 Panels\n\nThe quarterly quality panel met in May.\n", encoding="utf-8")
    root = tmp_path / "ix"
    r = CliRunner().invoke(main, ["ingest", str(doc.parent), "--thesaurus", str(mine), "--index", str(root)])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(main, ["QQP", "--index", str(root)])
    assert r.exit_code == 0 and "also quarterly quality panel" in r.output
    # an ingest without the file keeps it
    ingest([doc.parent], root, tag=False)
    store = Store(root)
    try:
        assert search(store, "QQP").total == 1
    finally:
        store.close()
    bad = tmp_path / "bad.toml"
    bad.write_text("[abbreviations]\nqqp = 1\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["ingest", str(doc.parent), "--thesaurus", str(bad), "--index", str(root)])
    assert r.exit_code == 1 and str(bad) in r.output and "Traceback" not in r.output


# -- the examples of the issue, on the bundled corpus ------------------------------------

def test_joint_targeted_area_inspection_finds_the_icb_reports_jtai_sections(store):
    res = search(store, "joint targeted area inspection")
    assert "JTAI" in res.expanded
    jtai = {h.section["section_id"] for h in res.hits if re.search(r"\bJTAI", _text(h))}
    only = [h for h in res.hits if "JTAI" in _text(h) and "joint targeted" not in _text(h).lower()]
    assert len(jtai) >= 3 and only and all(h.section["doc_id"].startswith("icb") for h in only)
    assert any("JTAI" in m for h in res.hits for m in _marked(h))
    # --exact does not expand: JTAI is never matched, and the JTAI-only section does not hold every word
    exact = search(store, "joint targeted area inspection", exact=True)
    assert exact.expanded == [] and not any("JTAI" in m for h in exact.hits for m in _marked(h))
    every = build_query(store, "joint targeted area inspection", exact=True).every
    assert not store.backend().which_match(every, [only[0].section["section_id"]])


def test_local_authority_designated_officer_finds_lado_only_sections(store):
    res = search(store, "Local Authority Designated Officer")
    assert "LADO" in res.expanded
    assert any("LADO" in _text(h) and "designated officer" not in _text(h).lower() for h in res.hits)


def test_dads_finds_fathers(store):
    res = search(store, "dads")
    assert "father" in res.expanded
    assert res.total >= 5
    assert sum("father" in _text(h).lower() for h in res.hits[:5]) >= 4
    assert any(m.lower().startswith("father") for h in res.hits for m in _marked(h))


def test_safe_sleep_finds_safer_sleep(store):
    res = search(store, "safe sleep")
    assert any("safer sleep" in _text(h).lower() for h in res.hits)
    hit = next(h for h in res.hits if "Safer Sleep" in _text(h))  # "the National Safer Sleep campaign"
    assert any(m.lower().startswith("safer sleep") for m in _marked(hit))
    assert "safer sleep" in res.expanded


def test_an_expansion_ranks_below_the_literal_form(store):
    res = search(store, "JTAI")
    assert re.search(r"\bJTAI\b", _text(res.hits[0]))


def test_county_lines_ranks_the_phrase_first(store):
    res = search(store, "county lines")
    assert "county lines" in _text(res.hits[0]).lower()
    assert "county lines" in _text(res.hits[1]).lower()


def test_compounds_are_one_term():
    assert join_prefixes("neglect tool kit") == "neglect toolkit"
    assert join_prefixes("health visitors") == "healthvisitors"
    assert join_prefixes("case of") == "case of"
    spaced = dict(index_terms("the neglect tool kit"))
    assert {"toolkit", "tool", "kit"} <= set(spaced)
    assert dict(index_terms("health-visitor"))["healthvisitor"] == dict(index_terms("health visitor"))["healthvisitor"]


def test_neglect_toolkit_matches_tool_kit(tmp_path):
    d = tmp_path / "docs"
    d.mkdir()
    (d / "a.txt").write_text("Report A\n\n1 Neglect\n\nThe neglect tool kit was refreshed in May.\n", encoding="utf-8")
    (d / "b.txt").write_text("Report B\n\n1 Neglect\n\nOur Neglect Toolkit is used by health visitors.\n",
                             encoding="utf-8")
    root = tmp_path / "ix"
    ingest([d], root, tag=False)
    store = Store(root)
    try:
        for q in ("neglect toolkit", "neglect tool kit", "neglect tool-kit"):
            assert search(store, q).total == 2, q
        assert search(store, "health visitor").total == 1
        hit = next(h for h in search(store, "neglect toolkit").hits if "tool kit" in _text(h))
        assert "neglect tool kit" in _marked(hit)
    finally:
        store.close()


def test_json_lists_what_was_added_and_exact_turns_it_off(corpus_index):
    r = CliRunner().invoke(main, ["JTAI", "--index", str(corpus_index), "--json"])
    data = json.loads(r.output)
    assert data["expanded"] == ["joint targeted area inspection"]
    r = CliRunner().invoke(main, ["JTAI", "--index", str(corpus_index), "--exact", "--json"])
    assert json.loads(r.output)["expanded"] == []
    r = CliRunner().invoke(main, ["JTAI", "--index", str(corpus_index)])
    assert "also joint targeted area inspection" in r.output.splitlines()[0]


@pytest.fixture(scope="module")
def tantivy_store(tmp_path_factory):
    if "tantivy" not in AVAILABLE:
        pytest.skip("no tantivy engine on this Python")
    root = tmp_path_factory.mktemp("corpus-tantivy")
    ingest([corpus_dir()], root, tag=False, engine="tantivy")
    s = Store(root)
    yield s
    s.close()


def test_proximity_ranks_the_same_on_both_engines(store, tantivy_store):
    for text in ("county lines", "local authority designated officer", "neglect toolkit"):
        built = build_query(store, text)
        translate(built.query, tantivy_store.backend().schema)  # expressible there
        w = store.backend().search(built.query, None, "relevance", 20)
        t = tantivy_store.backend().search(built.query, None, "relevance", 20)
        ids = sorted({h.id for h in w} | {h.id for h in t})
        near = tantivy_store.backend().which_match(built.near, ids)
        assert near == store.backend().which_match(built.near, ids), text
        assert w[0].id in near and t[0].id in near, text  # words together rank first


def test_expanded_queries_stay_expressible_in_tantivy(store, tantivy_store):
    for text in ("joint targeted area inspection", "dads", "JTAI neglect", "safe sleep -smoking"):
        built = build_query(store, text)
        assert built.synonyms, text
        for q in (built.query, built.every):
            translate(q, tantivy_store.backend().schema)  # raises Unsupported if tantivy had no form for it
    res = search(tantivy_store, "joint targeted area inspection")
    assert "JTAI" in res.expanded and any("JTAI" in _text(h) and "oint targeted" not in _text(h) for h in res.hits)


def test_the_quality_pairs_find_their_passages(store, widget_index):
    with open(DATA / "expansion_pairs.toml", "rb") as fh:
        pairs = tomllib.load(fh)["pairs"]
    assert len(pairs) >= 25
    widget = Store(widget_index)
    missed = []
    for p in pairs:
        s = widget if "Widget" in p["query"] + p["passage"] or p["query"] == "WAP" else store
        flags = 0 if p["passage"].upper() == p["passage"] else re.I
        rx = re.compile(r"\b" + re.escape(p["passage"]), flags)
        if not any(rx.search(_text(h)) for h in search(s, p["query"], limit=10).hits):
            missed.append(p["query"])
    widget.close()
    assert missed == []
