"""The passage floor (``ingest/passages.toml``), fitted by ``bench/fit_passages.py``: a point a
report made in passing that the item model scores under the floor it replaced (0.01) but at the
fitted floor or above is kept as a passage, and ``recur --check`` lists it as said in passing."""
from __future__ import annotations

import pytest

from ingest.document import parse_file
from ingest.items import document_candidates
from ingest.passages import passage_floor
from ingest.pipeline import ingest
from search.index.store import Store
from search.recur import check_many, load_items, made_before, store_concepts
from search.recur.passages import PASSAGE_KIND, index_passages, passage
from tests.rankdocs import bench

BEFORE_FIT = 0.01  # the floor argued for before it was measured: what the fit lowered
# a point made in passing, beside the figures of a year's work; the model all but dismisses it
POINT = "Training was delivered to 400 staff on safe sleeping for babies."
EARLIER = f"""# Brackley Safeguarding Children Partnership Annual Report 2018-19

Published: July 2019

## About the partnership

The partnership brings together the council, the police and health services. It met six times this year and
its chair is independent. The board received twelve reports during the year.

## Our year

A new website was launched in May and the newsletter went to 900 readers. {POINT}
The budget was £212,000, of which the council paid 60%.
"""
LATER = "Practitioners need training on safe sleep for infants."


@pytest.fixture
def earlier(tmp_path):
    """A folder holding the earlier report alone."""
    page = tmp_path / "in" / "brackley-2018-19.md"
    page.parent.mkdir()
    page.write_text(EARLIER, encoding="utf-8")
    return page.parent


def test_the_fitted_floor_is_below_the_one_it_replaced_and_above_nothing():
    assert 0.0 < passage_floor() < BEFORE_FIT


def test_the_point_scores_between_the_fitted_floor_and_the_one_it_replaced(earlier):
    # what the next test rests on: if the item model moves this sentence out of that span, write
    # another one it scores there
    doc = parse_file(earlier / "brackley-2018-19.md")
    [p] = [c.p for _, cs in document_candidates(doc.sections) for c in cs if c.text == POINT]
    assert passage_floor() <= p < BEFORE_FIT


@pytest.fixture
def indexed(earlier, tmp_path):
    """The earlier report ingested, its index open."""
    assert ingest([earlier], tmp_path / "ix").ok
    store = Store(tmp_path / "ix")
    yield store
    store.close()


def test_a_point_scored_under_the_old_floor_is_found_by_check_as_said_in_passing(indexed):
    assert not any("safe sleeping" in it["text"] for it in load_items(indexed))  # not an item
    [result] = check_many(indexed, [LATER])
    [m] = [m for m in result["matches"] if m.get("passage")]
    assert m["text"] == POINT and m["kind"] == PASSAGE_KIND and m["year"] == "2018-19"
    assert not made_before(result, threshold=0.0)  # a passage never makes a text made before


def test_what_the_model_is_surest_is_no_point_stays_out(earlier, indexed):
    # a date and a sum of money the model scores under the fitted floor are not kept: the floor
    # still leaves out what it is all but sure is no point at all
    doc = parse_file(earlier / "brackley-2018-19.md")
    low = [c.text for _, cs in document_candidates(doc.sections) for c in cs if c.p < passage_floor()]
    kept = [passage(indexed, pid)["text"] for pid in index_passages(indexed, store_concepts(indexed)).ids]
    assert low and not set(low) & set(kept)
    assert POINT in kept


def test_an_ingest_given_another_floor_keeps_passages_from_it_up(earlier, indexed, tmp_path):
    # what the benches measuring another floor ingest with: the argument, not the fitted file
    assert ingest([earlier], tmp_path / "old", passages_from=BEFORE_FIT).ok
    old = Store(tmp_path / "old")
    try:
        kept = [passage(old, pid)["text"] for pid in index_passages(old, store_concepts(old)).ids]
        fitted = index_passages(indexed, store_concepts(indexed)).ids
        assert POINT not in kept and 0 < len(kept) < len(fitted)
        assert load_items(old) == load_items(indexed)  # the floor chooses passages, never items
    finally:
        old.close()


def _fit():
    return bench("fit_passages")[0].fit


def _row(linked: int, listed: int = 0, made_before: int = 0) -> dict:
    return {"linked": linked, "listed": listed, "made_before": made_before}


def test_the_fit_keeps_the_highest_floor_linking_the_most_pairs_without_more_look_alikes():
    fit = _fit()
    rows = {0.01: {"a": _row(5, 1), "b": _row(3)}, 0.002: {"a": _row(6, 1), "b": _row(3)},
            0.001: {"a": _row(6, 1), "b": _row(3)}, 0.0: {"a": _row(8, 2), "b": _row(3)}}
    assert fit(rows, {}, 0.01) == 0.002  # 0 lists one more look-alike; 0.001 only ties 0.002
    # a --check past its target at 120,000 items (its CPU time) rules a floor out
    assert fit(rows, {0.002: (2.4, 1.8, 300.0), 0.001: (2.4, 1.2, 320.0)}, 0.01) == 0.001
    assert fit(rows, {0.002: (1.2, 1.0, 600.0)}, 0.01) == 0.001  # or its memory past 500 MB
    # a floor losing a pair on any set, or making a look-alike "made before", is never kept
    rows[0.002]["b"] = _row(2)
    rows[0.001]["b"] = _row(4, made_before=1)
    assert fit(rows, {}, 0.01) == 0.01
