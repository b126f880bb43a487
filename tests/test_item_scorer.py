"""Items as scored candidates: sentences of prose, bullets and rows, kept by a fitted model."""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from ingest.candidates import SCORED_KINDS, WEIGHTS_FILE, Model, gate_signals, model, split_sentences
from ingest.document import parse_file
from ingest.items import extract_items, lead_kind
from tests.itemgen import documents
from tests.quality import match_items

HELD_OUT_SEED = 7  # bench/fit_items.py fits on seed 1


def items_of(tmp_path: Path, text: str) -> list[tuple[str, str]]:
    path = tmp_path / "page.md"
    path.write_text(text, encoding="utf-8")
    return [(i["kind"], i["text"]) for i in extract_items(parse_file(path))]


@pytest.mark.parametrize("text, sentences", [
    ("The reviews found gaps. Professionals need to ask more.", 2),
    ("Some babies are at risk e.g. those born early. Staff should know this.", 2),
    ("Dr. Amin chaired the panel. It met twice.", 2),
    ("Child J. Smith was seen by the GP in May. Nobody followed it up.", 2),
    ("She asked “Who lives here?” Nobody knew.", 2),
    ("One sentence without a stop", 1),
])
def test_sentences_split_where_a_reader_would(text, sentences):
    assert len(split_sentences(text)) == sentences


def test_prose_briefing_findings_and_learning_come_out_with_their_kinds(tmp_path):
    got = items_of(tmp_path, "\n\n".join([
        "# Bruising in babies: learning from local reviews",
        "Published: March 2024",
        "This briefing draws on six reviews completed in the last three years.",
        "The reviews showed that small bruises on babies who could not yet crawl were often explained away "
        "by the adults caring for them. Health staff did not always refer to children's social care.",
        "The learning from these reviews is that practitioners must treat any bruise on a baby who is not "
        "mobile as a reason to refer. Professionals need to speak to both parents about how the bruise happened.",
        "Download the briefing (PDF)",
        "Sign up to our newsletter for new briefings.",
    ]))
    kinds = dict((text[:30], kind) for kind, text in got)
    assert kinds.get("The reviews showed that small ") == "finding"
    assert kinds.get("The learning from these review") == "learning"
    assert kinds.get("Professionals need to speak to") == "learning"
    assert not any(t.startswith(("Published", "Download", "Sign up", "This briefing")) for _, t in got)


def test_minutes_procedure_is_not_an_item_but_a_labelled_action_is(tmp_path):
    got = items_of(tmp_path, "\n\n".join([
        "# Minutes of the Larchfield Child Protection Committee",
        "Date of meeting: 4 October 2023",
        "The Committee is recommended to receive and note the annual report.",
        "The Chair thanked the Business Manager for the report. A member asked whether schools had been consulted.",
        "ACTION: The Business Manager to circulate the revised escalation guidance by December.",
    ]))
    assert got == [("action", "The Business Manager to circulate the revised escalation guidance by December.")]


def test_a_list_is_read_as_its_lead_in_names_it(tmp_path):
    got = items_of(tmp_path, "\n\n".join([
        "# Annual report 2023 to 2024",
        "## Looking ahead",
        "Alongside the priorities already agreed, the partnership has planned some further work:",
        "- Refresh the multi-agency neglect toolkit with practitioners\n"
        "- Audit the quality of return home interviews for children who go missing",
        "## Membership",
        "The board's members include:",
        "- Police\n- Health\n- Education",
    ]))
    assert [k for k, _ in got] == ["action", "action"]
    assert lead_kind("Alongside the priorities already agreed, the partnership has planned some further work:") == "action"


@pytest.mark.parametrize("heading", ["What needs to happen", "What the partnership must do differently",
                                     "What has to change"])
def test_a_heading_asking_what_must_change_heads_recommendations(tmp_path, heading):
    assert lead_kind(heading) == "recommendation"
    got = items_of(tmp_path, "\n\n".join([
        "# Learning from a rapid review: Baby M",
        "## Background",
        "Baby M was seven weeks old when taken to hospital with a broken arm.",
        f"## {heading}",
        "- All agencies should ensure that fathers and male carers are seen during pre-birth assessments\n"
        "- The partnership will audit strategy meeting records for police attendance by March 2026",
    ]))
    assert [k for k, _ in got] == ["recommendation", "recommendation"]


def test_an_items_code_is_its_number_not_its_text(tmp_path):
    got = items_of(tmp_path, "\n\n".join([
        "# Thematic review of neglect in adolescents",
        "## Recommendations",
        "R1: The Partnership should publish practice guidance on adolescent neglect by September 2026.",
        "R2 – Children's social care should make a home visit before any neglect referral is closed.",
        "A1 road closures meant that two families could not attend appointments.",
    ]))
    assert got[:2] == [
        ("recommendation", "The Partnership should publish practice guidance on adolescent neglect by September 2026."),
        ("recommendation", "Children's social care should make a home visit before any neglect referral is closed.")]
    assert all(not t.startswith("road") for _, t in got)  # a name with a figure in it is no code


def test_the_committed_weights_are_what_the_fitting_script_writes():
    # the fingerprint hashes the fitting candidates of the realistic set and the first generated
    # documents: a change to the signals, the generator or the set needs a refit
    spec = importlib.util.spec_from_file_location("fit_items", Path(__file__).resolve().parent.parent / "bench" / "fit_items.py")
    fit = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fit)
    recorded = re.search(r"^# inputs \w+; fingerprint (\w+)$", WEIGHTS_FILE.read_text(encoding="utf-8"), re.M)
    assert recorded, f"{WEIGHTS_FILE} records no fingerprint: run python bench/fit_items.py"
    assert fit.fingerprint() == recorded.group(1), f"{WEIGHTS_FILE} was fitted on other inputs: run python bench/fit_items.py"


def test_the_fitted_model_is_complete():
    m = model()
    assert 0 < m.threshold < 1
    assert set(m.kinds) == set(SCORED_KINDS) - {"objective"} or set(m.kinds) == set(SCORED_KINDS)
    assert "bias" in m.item and len(m.item) > 50


def test_the_page_gate_is_fitted_and_reads_the_whole_page():
    m = model()
    assert m.gate and "bias" in m.gate
    assert m.threshold <= m.gate_bar <= 1.01 or m.gate_bar == 0.0
    assert 0 < m.gate_cut < 1
    assert Model(0.4, {}, {}).p_gate({"bias": 1.0}) == 1.0  # no gate fitted: every page holds items


def test_a_page_the_gate_doubts_keeps_only_strongly_marked_candidates(tmp_path):
    """The same sentence of advice on a page about who a board is and on a briefing whose
    headings name its learning: the gate doubts the first page, not the second."""
    from ingest.items import document_candidates

    advice = "Practitioners should ask every adult in the household about their caring role."
    about = tmp_path / "about.md"
    about.write_text("\n\n".join([
        "# About the Board", "Who we are",
        "The Board brings together the council, the police, health services and schools.",
        "It meets four times a year and publishes its papers on this website.",
        "Its independent chair is appointed for three years.",
        "A business unit of four staff supports the Board and its subgroups.",
        "The subgroups cover training, case reviews, performance and communications.",
        "Members include senior leaders from every partner agency and two lay members.",
        "Schools are represented by a head teacher from each phase.",
        "Its members are:",
        "- the Director of Children's Services\n- the Chief Superintendent\n- the Designated Nurse\n"
        "- a head teacher from each phase",
        advice, "Contact the business unit by email.", "Our offices are at the Civic Centre, Larchfield."]),
        encoding="utf-8")
    briefing = tmp_path / "briefing.md"
    briefing.write_text("\n\n".join([
        "# Learning from the review of Baby N", "## Key learning",
        "- " + advice, "- Health visitors should record who lives in the home at every visit.",
        "- Agencies must share concerns about a new partner the same day.",
        "## Findings", "- The review found that the father's history was not known to the midwife.",
        "- Referrals did not say who else lived in the home."]), encoding="utf-8")
    gate = {}
    for name, path in (("about", about), ("briefing", briefing)):
        cands = [c for _, cs in document_candidates(parse_file(path).sections) for c in cs]
        gate[name] = cands[0].context["gate"]
        page = cands[0].context["gate_signals"]
        assert {"bias", "kept_none", "strong_0"} <= set(gate_signals(cands, [0.0] * len(cands), 0.4, False))
        assert ("named" in page) == (name == "briefing")
    assert gate["briefing"] >= model().gate_cut > gate["about"]
    assert advice not in [i["text"] for i in extract_items(parse_file(about))]
    assert advice in [i["text"] for i in extract_items(parse_file(briefing))]


def test_documents_the_fitting_never_saw(tmp_path):
    """Generated with another seed: the same styles, other wordings and topics in other places."""
    expected = got = matched = 0
    for d in documents(HELD_OUT_SEED, 40):
        path = tmp_path / f"{d.name}.md"
        path.write_text(d.text, encoding="utf-8")
        found = extract_items(parse_file(path))
        want = [{"kind": k, "text": t} for k, t in d.items]
        expected, got = expected + len(want), got + len(found)
        matched += len(match_items(want, found))
    assert matched / expected >= 0.8 and matched / got >= 0.85, (matched, expected, got)
