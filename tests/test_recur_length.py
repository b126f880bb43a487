"""A longer item's other points are not evidence against it: an earlier item listing several
points matches a later text saying one of them (scoring's LENGTH_EXPONENT), and the labelled
rankings the tests own (tests/recur_rankings.toml) put their earlier item first."""
from __future__ import annotations

from pathlib import Path

import pytest

from search.recur import load_items, pair_scores, scoring, store_concepts
from search.recur.concepts import ConceptsError
from search.recur.scoring import load_rankings, ranking_figures

RANKINGS = Path(__file__).with_name("recur_rankings.toml")
LIST_ITEM = ("This year the board will renew its escalation protocol, check that youth clubs have named "
             "safeguarding leads, ask dentists how they spot dental neglect, and audit chronologies in "
             "long-running cases.")
ONE_POINT = "Youth clubs should each have a named safeguarding lead."
SHORT_OTHER = "Each sports club should publish its complaints policy."


def test_an_item_listing_several_points_matches_one_of_them_more_than_with_a_plain_cosine(monkeypatch):
    soft = pair_scores([(LIST_ITEM, ONE_POINT), (SHORT_OTHER, ONE_POINT)])
    monkeypatch.setattr(scoring, "LENGTH_EXPONENT", 1.0)
    plain = pair_scores([(LIST_ITEM, ONE_POINT), (SHORT_OTHER, ONE_POINT)])
    assert scoring.LENGTH_EXPONENT == 1.0 and soft[0]["score"] > plain[0]["score"]
    assert soft[0]["score"] > soft[1]["score"]
    assert "clubs" in soft[0]["why"]


def test_the_length_counted_never_lifts_a_pair_of_equal_items_or_past_100(monkeypatch):
    for e in (0.0, 0.5, 1.0):
        monkeypatch.setattr(scoring, "LENGTH_EXPONENT", e)
        same = pair_scores([(ONE_POINT, ONE_POINT), (LIST_ITEM, ONE_POINT)])
        assert same[0]["score"] == 100.0
        assert 0.0 < same[1]["score"] <= 100.0


def test_scores_are_symmetric_whatever_the_length_counted(monkeypatch):
    monkeypatch.setattr(scoring, "LENGTH_EXPONENT", 0.3)
    ab, ba = pair_scores([(LIST_ITEM, ONE_POINT), (ONE_POINT, LIST_ITEM)])
    assert ab["score"] == ba["score"]


def test_labelled_rankings_put_the_earlier_item_first(store):
    rankings = load_rankings(RANKINGS)
    assert len(rankings) >= 10 and all(len(r["others"]) >= 2 for r in rankings)
    fig = ranking_figures(rankings, [i["text"] for i in load_items(store)], store_concepts(store))
    # what bench/recur_fit.py measured at the weights it fitted: every ranking's place, so a change that
    # loses one (or gains one: then write the new figure here) is seen
    assert fig["first"] >= FIRST_AT_FITTED_WEIGHTS, fig


def test_rankings_file_errors_name_the_file(tmp_path):
    bad = tmp_path / "r.toml"
    bad.write_text('[[ranking]]\nlater = "a"\n', encoding="utf-8")
    with pytest.raises(ConceptsError, match="r.toml"):
        load_rankings(bad)


FIRST_AT_FITTED_WEIGHTS = 7
