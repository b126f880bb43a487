"""What a report said in passing: a point in prose below the item bar is kept as a passage of
its section, found by ``recur --check`` as "said in passing", never made before, never an item."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cli import main
from ingest.document import parse_file
from ingest.items import document_candidates
from ingest.passages import passage_floor
from ingest.pipeline import ingest
from search.index.store import Store
from search.recur import check_many, load_items, made_before, recur, store_concepts, verdict
from search.recur.passages import PASSAGE_KIND, index_passages, passage
from search.recur.scoring import CHECK_NEAR_FLOOR, PASSAGE_FACTOR

# said in passing in a paragraph about the partnership's year, not under a heading naming a kind
POINT = "School nursing teams rarely used the neglect toolkit on home visits to families with younger children."
EARLIER = f"""# Ashby Safeguarding Partnership Annual Report 2016-17

Published: June 2017

## About the partnership

The partnership brings together the council, the police and health services. It met six times this year and
its chair is independent. {POINT} The board received twelve reports during the year.

## Our year

Training was delivered to 400 staff. A new website was launched in May and the newsletter went to 900 readers.
"""
LATER = "School nurses should use the neglect toolkit on home visits to families with younger children."


def run(index, *args):
    return CliRunner().invoke(main, [*args, "--index", str(index)])


@pytest.fixture
def earlier(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "ashby-2016-17.md").write_text(EARLIER, encoding="utf-8")
    return src


def test_the_floor_is_data_between_nothing_and_the_item_bar():
    assert 0.0 < passage_floor() < 0.3


def test_the_point_scores_between_the_floor_and_the_item_bar(earlier):
    # what the other tests rest on: if the item model ever keeps this sentence as an item, write
    # another one it scores below its bar
    doc = parse_file(earlier / "ashby-2016-17.md")
    [p] = [c.p for _, cs in document_candidates(doc.sections) for c in cs if c.text == POINT]
    assert passage_floor() <= p


def test_a_point_said_in_passing_is_found_by_check_and_never_made_before(earlier, tmp_path):
    index = tmp_path / "ix"
    assert ingest([earlier], index).ok
    store = Store(index)
    try:
        assert not any("toolkit" in it["text"] for it in load_items(store))  # not an item
        said = [passage(store, pid) for pid in index_passages(store, store_concepts(store)).ids]
        assert POINT in [p["text"] for p in said]
        [result] = check_many(store, [LATER])
        passing = [m for m in result["matches"] if m.get("passage")]
        assert [m["text"] for m in passing] == [POINT]
        m = passing[0]
        assert m["kind"] == PASSAGE_KIND and m["nearest"] and m["year"] == "2016-17"
        assert "neglect toolkit" in " ".join(m["why"]) or "toolkit" in " ".join(m["why"])
        # whatever its score, a passage never makes a text "made before"
        assert not made_before(result, threshold=0.0)
        assert verdict(result, threshold=0.0) != "made before"
        assert check_many(store, [LATER], passages=False)[0]["matches"] == [
            x for x in result["matches"] if not x.get("passage")]
        assert all("~" not in it["item_id"] for g in recur(store, threshold=0.0) for it in g["items"])
    finally:
        store.close()
    # the command cites it as said in passing; the appendix too
    data = json.loads(run(index, "recur", "--check", LATER, "--json").stdout)
    [m] = [x for x in data["matches"] if x.get("passage")]
    assert m["citation"].startswith("Ashby Safeguarding Partnership Annual Report 2016-17 (2016-17)")
    assert "About the partnership" in m["citation"]
    out = run(index, "recur", "--check", LATER).output
    assert f"{PASSAGE_KIND}: {POINT}" in " ".join(out.split())
    review = tmp_path / "later.txt"
    review.write_text(LATER + "\n", encoding="utf-8")
    appendix = tmp_path / "appendix.md"
    data = json.loads(run(index, "recur", "--check", str(review), "--json").stdout)
    assert data["summary"]["made_before"] == 0 and data["checks"][0]["verdict"] != "made before"
    assert any(m.get("passage") for m in data["checks"][0]["matches"])
    assert run(index, "recur", "--check", str(review), "-o", str(appendix)).exit_code == 0
    assert PASSAGE_KIND in appendix.read_text(encoding="utf-8")


def test_a_one_word_check_finds_a_passage_holding_it_as_it_finds_an_item(earlier, tmp_path):
    # a short text is listed by how much of it is held, for passages as for items: one word of it
    # shares one word, never the two a weak match of a longer text must share
    index = tmp_path / "ix"
    assert ingest([earlier], index).ok
    store = Store(index)
    try:
        for word in ("nursing", "visits", "toolkit"):
            [result] = check_many(store, [word])
            assert [m["text"] for m in result["matches"] if m.get("passage")] == [POINT], word
            assert not made_before(result, threshold=0.0)
        assert check_many(store, ["asthma"])[0]["matches"] == []  # nothing holds it
    finally:
        store.close()


def test_a_passage_is_listed_from_the_floor_an_item_must_reach_and_ranked_below_one_saying_as_much(
        earlier, tmp_path):
    # a text sharing less of the point: as an item the passage would be listed among the nearest
    # (its score from the near floor up), so it is listed, at that score times the factor
    near = "Home visits to younger children should be unannounced."
    far = "Home visits should be unannounced."
    index = tmp_path / "ix"
    assert ingest([earlier], index).ok
    store = Store(index)
    try:
        # each checked alone: the texts checked together count in how rare a word is
        [got] = check_many(store, [near])
        [m] = [m for m in got["matches"] if m.get("passage")]
        assert m["text"] == POINT and m["nearest"] and not made_before(got, threshold=0.0)
        assert CHECK_NEAR_FLOOR * PASSAGE_FACTOR <= m["score"] < CHECK_NEAR_FLOOR
        # sharing too little to be listed as an item would be (below the floor before the factor): not listed
        assert not [m for m in check_many(store, [far])[0]["matches"] if m.get("passage")]
        [low] = [m for m in check_many(store, [far], near_floor=0.0)[0]["matches"] if m.get("passage")]
        assert low["score"] < CHECK_NEAR_FLOOR * PASSAGE_FACTOR
    finally:
        store.close()


def test_passages_change_no_item(earlier, tmp_path, monkeypatch):
    assert ingest([earlier], tmp_path / "with").ok
    monkeypatch.setattr("ingest.pipeline.passage_floor", lambda: None)
    assert ingest([earlier], tmp_path / "without").ok
    with_, without = Store(tmp_path / "with"), Store(tmp_path / "without")
    try:
        assert load_items(with_) == load_items(without)
        assert len(with_.records("item")) == len(without.records("item"))
    finally:
        with_.close()
        without.close()


def test_an_index_without_passages_is_checked_as_before(earlier, tmp_path, monkeypatch):
    # an index written before passages were kept: its sections hold none
    monkeypatch.setattr("ingest.pipeline.passage_floor", lambda: None)
    index = tmp_path / "old"
    assert ingest([earlier], index).ok
    store = Store(index)
    try:
        assert index_passages(store, store_concepts(store)).ids == []
        [result] = check_many(store, [LATER])
        assert not any(m.get("passage") for m in result["matches"])
    finally:
        store.close()
    got = run(index, "recur", "--check", LATER, "--json")
    # nothing like it (the point was never an item): the command's usual answer, not an error
    assert got.exit_code == 1 and isinstance(got.exception, SystemExit), got.output
    assert json.loads(got.stdout)["matches"] == []


def test_show_opens_the_section_a_passage_citation_names(earlier, tmp_path):
    # a practitioner copies the id --check printed beside a passage and opens it
    index = tmp_path / "ix"
    assert ingest([earlier], index).ok
    data = json.loads(run(index, "recur", "--check", LATER, "--json").stdout)
    [pid] = [m["item_id"] for m in data["matches"] if m.get("passage")]
    shown = json.loads(run(index, "show", pid, "--json").stdout)
    assert shown["passage"] == {"passage_id": pid, "text": POINT, "page": shown["passage"]["page"]}
    assert POINT in shown["text"] and shown["section_id"] == pid.rpartition("~")[0]
    out = run(index, "show", pid).output
    assert f"said in passing: {POINT}" in " ".join(out.split())
    # a passage number the section does not keep: one line saying so (the section is there)
    sid = pid.rpartition("~")[0]
    got = run(index, "show", f"{sid}~99")
    assert got.exit_code != 0 and "Traceback" not in got.output and len(got.output.strip().splitlines()) == 1
    assert f"section {sid!r} has no passage 99" in got.output and f"sgsearch show {sid}" in got.output


def test_the_web_page_lists_a_passage_said_in_passing_with_a_link_to_its_section(earlier, tmp_path):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # newer Starlette prefers httpx2 for its test client
        from starlette.testclient import TestClient
    from web import create_app

    index = tmp_path / "ix"
    assert ingest([earlier], index).ok
    with TestClient(create_app(index), base_url="http://127.0.0.1:8765") as client:
        got = client.get("/recur", params={"check": LATER}, headers={"accept": "application/json"}).json()
        [m] = [x for x in got["matches"] if x.get("passage")]
        html = client.get("/recur", params={"check": LATER}).text
        assert PASSAGE_KIND in html and POINT in html
        assert f'href="/section/{m["section_id"]}"' in html
        assert POINT in client.get(f"/section/{m['section_id']}").text
