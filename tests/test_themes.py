"""Theme taxonomy and tagger: examples from the taxonomy, spelling variants, negation, user files, corpus."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.themes import Tagger, ThemeTag, get_tagger, phrase_variants
from search.vocab.taxonomy import TaxonomyError, Theme, bundled_path, load_taxonomy, resolve_theme

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
TAXONOMY = load_taxonomy()  # no spaCy needed: safe at collection time

REQUIRED_IDS = """neglect domestic-abuse pre-birth babies non-accidental-injury sudi child-sexual-abuse
child-sexual-exploitation criminal-exploitation online-harm missing-children not-in-school
child-mental-health parental-mental-health substance-misuse hidden-harm fathers-male-carers
information-sharing early-help thresholds strategy-discussions child-protection-conferences escalation
voice-of-the-child professional-curiosity risk-assessment supervision training child-death
looked-after-children send-disability fgm poverty-housing race-culture transitions covid
radicalisation allegations-lado""".split()


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return get_tagger()


def ids(tags: list[ThemeTag]) -> set[str]:
    return {t.id for t in tags}


def by_id(tags: list[ThemeTag]) -> dict[str, ThemeTag]:
    return {t.id: t for t in tags}


# -- the taxonomy's own examples ---------------------------------------------------------

EXAMPLES = [(t.id, s) for t in TAXONOMY for s in t.examples]
COUNTER_EXAMPLES = [(t.id, s) for t in TAXONOMY for s in t.counter_examples]


@pytest.mark.parametrize("theme_id, sentence", EXAMPLES, ids=[f"{i}:{s[:40]}" for i, s in EXAMPLES])
def test_example_is_tagged(tagger, theme_id, sentence):
    assert theme_id in ids(tagger.tag(sentence))


@pytest.mark.parametrize("theme_id, sentence", COUNTER_EXAMPLES, ids=[f"{i}:{s[:40]}" for i, s in COUNTER_EXAMPLES])
def test_counter_example_is_not_tagged(tagger, theme_id, sentence):
    assert theme_id not in ids(tagger.tag(sentence))


def test_taxonomy_has_required_themes_with_examples():
    assert set(REQUIRED_IDS) <= set(TAXONOMY.ids())
    for theme in TAXONOMY:
        assert theme.label and theme.description and "\n" not in theme.description
        assert theme.examples and theme.counter_examples, theme.id


# -- spelling, case, plural, tense ------------------------------------------------------

@pytest.mark.parametrize("spelling", ["pre-birth", "pre birth", "prebirth", "Pre-Birth", "PRE-BIRTH", "pre–birth"])
def test_pre_birth_spellings(tagger, spelling):
    assert "pre-birth" in ids(tagger.tag(f"Guidance on {spelling} assessment was revised."))


def test_pre_birth_not_pre_school_and_birth(tagger):
    assert "pre-birth" not in ids(tagger.tag("Birth registration and pre-school checks were completed."))


@pytest.mark.parametrize("text, theme_id", [
    ("Neglected children were not identified early enough.", "neglect"),
    ("The reviews found that strategy discussions were late.", "strategy-discussions"),
    ("Concerns were escalated to the manager.", "escalation"),
    ("96% of care leavers were in suitable accommodation.", "looked-after-children"),
    ("Practitioners shared information promptly.", "information-sharing"),
    ("Staff were trained in the Graded Care Profile.", "neglect"),
    ("Children who go missing from home", "missing-children"),
])
def test_plural_and_tense(tagger, text, theme_id):
    assert theme_id in ids(tagger.tag(text))


def test_phrase_crosses_a_wrapped_line(tagger):
    tags = by_id(tagger.tag("The Graded Care\nProfile was used."))
    assert tags["neglect"].evidence == ["Graded Care Profile"]


def test_phrase_variants():
    assert phrase_variants("pre-birth") == ["pre-birth", "pre birth", "prebirth"]
    assert phrase_variants("domestic abuse") == ["domestic abuse"]
    assert len(phrase_variants("over-reliance on self-report")) == 9


# -- abbreviations: capitals only -------------------------------------------------------

@pytest.mark.parametrize("text, theme_id", [
    ("CSE remains a priority.", "child-sexual-exploitation"),
    ("Schools were reminded about FGM.", "fgm"),
    ("A baby presented with a suspected NAI.", "non-accidental-injury"),
    ("The number of CME cases rose.", "not-in-school"),
    ("645 ICPCs were held.", "child-protection-conferences"),
    ("The LADO received 478 notifications.", "allegations-lado"),
    ("Two SUDI cases were reviewed.", "sudi"),
])
def test_abbreviation_in_capitals(tagger, text, theme_id):
    assert theme_id in ids(tagger.tag(text))


@pytest.mark.parametrize("text, theme_id", [
    ("the cse module was updated", "child-sexual-exploitation"),
    ("fgm", "fgm"),
    ("a nai", "non-accidental-injury"),
    ("Cse and Nai", "child-sexual-exploitation"),
])
def test_abbreviation_not_in_lower_case(tagger, text, theme_id):
    assert theme_id not in ids(tagger.tag(text))


def test_mixed_case_term_not_at_sentence_start(tagger):
    assert "radicalisation" not in ids(tagger.tag("Prevent drift and delay in case work."))
    assert "radicalisation" in ids(tagger.tag("Training covered Domestic Abuse, Prevent and CSE."))


# -- negation, hypotheticals and scope --------------------------------------------------

@pytest.mark.parametrize("text, theme_id", [
    ("There were no concerns about neglect.", "neglect"),
    ("We found no evidence of neglect.", "neglect"),
    ("There was no evidence of domestic abuse.", "domestic-abuse"),
    ("Neglect was not a feature.", "neglect"),
    ("If neglect had been identified the plan would have changed.", "neglect"),
    ("It was not clear whether domestic abuse was present.", "domestic-abuse"),
    ("No concerns about neglect or domestic abuse were raised.", "domestic-abuse"),
    ("Non-accidental injury was ruled out.", "non-accidental-injury"),
])
def test_negated_or_hypothetical_mention_not_counted(tagger, text, theme_id):
    assert theme_id not in ids(tagger.tag(text))


@pytest.mark.parametrize("text, theme_id", [
    ("Neglect was present and mental health was not considered.", "neglect"),
    ("There was no escalation, but neglect was evident.", "neglect"),
    ("No concerns were raised; domestic abuse was later disclosed.", "domestic-abuse"),
    ("Non-accidental injury could not be ruled out.", "non-accidental-injury"),
    ("Practitioners did not recognise the neglect.", "neglect"),
])
def test_negation_scope_is_limited(tagger, text, theme_id):
    assert theme_id in ids(tagger.tag(text))


def test_practice_theme_counts_when_negated(tagger):
    tags = ids(tagger.tag("Fathers and male carers were not included and information was not shared."))
    assert "fathers-male-carers" in tags
    assert "information-sharing" not in tags  # no phrase: "information ... shared" is not "information sharing"
    assert "information-sharing" in ids(tagger.tag("There was no information sharing between agencies."))


def test_self_neglect_is_not_neglect(tagger):
    assert "neglect" not in ids(tagger.tag("The adult's self-neglect and self neglect were reviewed."))
    assert "neglect" in ids(tagger.tag("Self-neglect in the mother led to neglect of the children."))


def test_negated_mention_does_not_hide_another(tagger):
    tags = by_id(tagger.tag("We found no evidence of neglect. Neglect of the younger child was clear."))
    assert tags["neglect"].count == 1


# -- counts, evidence, order ------------------------------------------------------------

def test_count_and_evidence(tagger):
    tags = by_id(tagger.tag("Neglect is a priority. The neglect subgroup promoted the Graded Care Profile."))
    neglect = tags["neglect"]
    assert neglect.count == 3
    assert neglect.label == "Neglect"
    assert "Graded Care Profile" in neglect.evidence
    assert neglect.evidence[0] == "Neglect"
    assert len(neglect.evidence) == 2  # distinct, case-insensitively


def test_evidence_is_capped_and_in_order(tagger):
    text = "Neglect Toolkit. Neglect Strategy. Graded Care Profile. failure to thrive. malnourished. starvation."
    neglect = by_id(tagger.tag(text))["neglect"]
    assert neglect.count == 6
    assert neglect.evidence == ["Neglect Toolkit", "Neglect Strategy", "Graded Care Profile", "failure to thrive", "malnourished"]


def test_sorted_by_count_then_taxonomy_order(tagger):
    tags = tagger.tag("Domestic abuse. Domestic abuse. Neglect. Pre-birth.")
    assert [t.id for t in tags] == ["domestic-abuse", "neglect", "pre-birth"]
    assert tags[0].to_dict() == {"id": "domestic-abuse", "label": "Domestic abuse", "count": 2,
                                 "evidence": ["Domestic abuse"]}


def test_tag_many_matches_tag(tagger):
    texts = ["Neglect and CSE.", "", "No themes here.", "pre birth planning"]
    assert tagger.tag_many(texts, batch_size=2) == [tagger.tag(t) for t in texts]
    assert tagger.tag("") == []


def test_every_token_has_its_words_norm(tagger):
    """Norms are set on the vocabulary, once per word: special cases must not give a token its own."""
    doc = tagger.nlp("I'm sure they're not: we didn't see ANY Neglect, and can't rule out wo n't.")
    assert [t.norm_ for t in doc] == [tagger._norm(t.text) for t in doc]
    by_text = {t.text: t.norm_ for t in doc}
    assert by_text["n't"] == "not" and by_text["Neglect"] == "neglect" and by_text["'m"] == tagger._norm("'m")
    # the words it reads are set; the lexical attributes it never reads are not computed
    assert doc[0].is_alpha and doc[-1].is_punct and not doc[1].is_space
    assert tagger.tag("We didn't find neglect.") == [] and tagger.tag("Neglect wasn't a feature.") == []


def test_get_tagger_is_cached(tagger):
    assert get_tagger() is tagger
    assert get_tagger(load_taxonomy()) is tagger


# -- taxonomy files ---------------------------------------------------------------------

USER_FILE = """
[[theme]]
id = "bruising-protocol"
label = "Bruising protocol"
description = "Bruising in non-mobile babies."
phrases = ["bruising protocol", "non-mobile"]
abbreviations = ["BPNM"]
examples = ["The bruising protocol was followed."]

[[theme]]
id = "neglect"
label = "Neglect (local)"
phrases = ["neglect", "home conditions"]
"""


def test_user_file_adds_and_replaces(tmp_path):
    extra = tmp_path / "local.toml"
    extra.write_text(USER_FILE, encoding="utf-8")
    tax = load_taxonomy([extra])
    assert tax.ids()[-1] == "bruising-protocol"
    assert tax.ids().index("neglect") == TAXONOMY.ids().index("neglect")  # replaced in place
    assert tax.get("neglect").label == "Neglect (local)"
    assert "graded care profile" not in tax.get("neglect").phrases
    assert tax.fingerprint() != TAXONOMY.fingerprint()
    assert str(extra) in tax.sources

    local = get_tagger(tax)
    tags = by_id(local.tag("The BPNM and the bruising protocol. Neglect and the Graded Care Profile."))
    assert tags["bruising-protocol"].count == 2
    assert tags["neglect"].count == 1 and tags["neglect"].label == "Neglect (local)"


@pytest.mark.parametrize("content, problem", [
    ("[[theme]\nid = 'x'", "not valid TOML"),
    ("[[theme]]\nlabel = 'No id'\nphrases = ['x']", "has no 'id'"),
    ("[[theme]]\nid = 'x'\nphrases = ['x']", "has no 'label'"),
    ("[[theme]]\nid = 'x'\nlabel = 'X'\nphrases = ['x']\nsynonyms = ['y']", "unknown key(s) 'synonyms'"),
    ("[[theme]]\nid = 'x'\nlabel = 'X'\nphrases = 'x'", "must be a list of strings"),
    ("[[theme]]\nid = 'x'\nlabel = 'X'", "no phrases or abbreviations"),
    ("[[theme]]\nid = 'Bad Id'\nlabel = 'X'\nphrases = ['x']", "id must be"),
    ("[themes]\nid = 'x'", "unknown top-level key(s) 'themes'"),
    ("[negation]\nbefore = ['no']\nafter_window = 'four'", "after_window"),
])
def test_broken_taxonomy_file(tmp_path, content, problem):
    bad = tmp_path / "broken.toml"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(TaxonomyError) as err:
        load_taxonomy([bad])
    message = str(err.value)
    assert message.startswith(str(bad) + ": ")
    assert problem in message
    assert "\n" not in message


def test_missing_taxonomy_file(tmp_path):
    with pytest.raises(TaxonomyError, match="file not found"):
        load_taxonomy([tmp_path / "nope.toml"])


def test_bundled_file_is_package_data():
    assert bundled_path().name == "themes.toml" and bundled_path().is_file()


def test_resolve_theme():
    assert resolve_theme(TAXONOMY, "pre-birth").id == "pre-birth"
    assert resolve_theme(TAXONOMY, "Pre birth").id == "pre-birth"
    assert resolve_theme(TAXONOMY, "DOMESTIC ABUSE").id == "domestic-abuse"
    assert resolve_theme(TAXONOMY, "fathers and male carers").id == "fathers-male-carers"
    assert resolve_theme(TAXONOMY, "fath").id == "fathers-male-carers"
    assert resolve_theme(TAXONOMY, "CSE").id == "child-sexual-exploitation"
    assert resolve_theme(TAXONOMY, "child") is None  # ambiguous prefix
    assert resolve_theme(TAXONOMY, "astrology") is None
    assert resolve_theme(TAXONOMY, "  ") is None
    assert isinstance(resolve_theme(TAXONOMY, "neglect"), Theme)


def test_taxonomy_import_does_not_import_spacy():
    code = "import search.vocab.taxonomy, sys; search.vocab.taxonomy.load_taxonomy(); assert 'spacy' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


# -- the bundled corpus -----------------------------------------------------------------

def corpus_themes(tagger: Tagger, name: str, start: str | None = None, end: str | None = None) -> set[str]:
    text = (CORPUS / name).read_text(encoding="utf-8")
    if start:
        text = text[text.index(start):]
    if end:
        text = text[:text.index(end)]
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    return {t.id for tags in tagger.tag_many(paragraphs) for t in tags}


def test_corpus_sscb_annual_report_2016_17(tagger):
    found = corpus_themes(tagger, "hwbb-agenda-pack-2018-01-18-with-sscb-annual-report-2016-17.txt",
                          start="SSCB – Annual Report 2016-17", end="Health and Wellbeing Board Work Programme")
    assert {"neglect", "pre-birth"} <= found


def test_corpus_sscp_2020_21(tagger):
    found = corpus_themes(tagger, "sscp-twelve-monthly-report-2020-21.txt")
    assert {"neglect", "pre-birth", "fathers-male-carers"} <= found


def test_corpus_ccg_2021_22(tagger):
    assert "fathers-male-carers" in corpus_themes(tagger, "ccg-safeguarding-children-annual-report-2021-22.txt")


def test_corpus_icb_2024_25(tagger):
    found = corpus_themes(tagger, "icb-safeguarding-children-annual-report-2024-25.txt")
    assert {"pre-birth", "fathers-male-carers"} <= found


def test_no_evidence_of_neglect(tagger):
    assert "neglect" not in ids(tagger.tag("We found no evidence of neglect."))
