"""``bench/question_causes.py``: a task that loses to plain BM25 is listed with the part whose
removal alone mends it; a task that does not lose is not listed. The index is one these tests
write."""
from __future__ import annotations

import pytest

from ingest.pipeline import ingest
from search.index.store import Store
from search.query import weights_of
from tests.engines import AVAILABLE
from tests.rankdocs import bench, fostering_docs


def _bench():
    return bench("question_causes", "relevance")


@pytest.fixture(scope="module", params=AVAILABLE)
def tiny(request, tmp_path_factory):
    root = tmp_path_factory.mktemp("causes")
    fostering_docs(root / "docs")
    ingest([root / "docs"], root / "ix", tag=False, engine=request.param)
    store = Store(root / "ix")
    yield store, root
    store.close()


def _task(rel, store, kind="keywords"):
    answer = {s["id"] for s in rel.sections_of(store) if "family friend" in s["text"]}
    return {"query": "fostering", "kind": kind, "relevant": answer, "set": "tiny"}


def test_a_keyword_task_losing_to_plain_bm25_names_the_part_that_mends_it(tiny):
    qc, rel = _bench()
    store, root = tiny
    sections = rel.sections_of(store)
    rows = qc.diagnose(store, sections, [_task(rel, store)], {"keywords"}, root / "bm25-a", "tiny")
    assert len(rows) == 1
    r = rows[0]
    assert r["kind"] == "keywords" and r["lost"] == "first"
    assert r["bm25"] == (1, 1) and r["ours"][1] > 1  # plain BM25 puts the answer first, sgsearch below
    # the heading that only names the word is first: its own short field, even at the text's weight
    assert r["parts"]["heading"] == r["ours"]
    # heading and text read as one field, as plain BM25 reads them, mend it, and nothing else alone does
    assert r["parts"][qc.EXACT] == (1, 1) and r["causes"] == [qc.EXACT]
    assert r["above"] and all("family friend" not in s["text"] for s in r["above"])
    assert r["one_doc"][0] <= 10 and not r["corrected"]


def test_a_task_of_another_kind_or_one_that_does_not_lose_is_not_listed(tiny):
    qc, rel = _bench()
    store, root = tiny
    sections = rel.sections_of(store)
    assert qc.diagnose(store, sections, [_task(rel, store, "abbreviations")], {"keywords"}, root / "bm25-b", "tiny") == []
    level = {"heading": 0.25}  # a heading word worth a quarter of a text word: the answer first, as plain BM25 has it
    assert qc.diagnose(store, sections, [_task(rel, store)], {"keywords"}, root / "bm25-c", "tiny", weights=level) == []


def test_each_part_and_all_of_them_at_once_are_ranking_weights():
    qc, _rel = _bench()
    for part in [*qc.PARTS.values(), qc.ALL_OFF]:
        weights_of(part)  # an unknown name is a ValueError
    assert qc.ALL_OFF == {k: v for p in qc.PARTS.values() for k, v in p.items()}


def test_what_a_task_lost_is_ranked_by_found_sections_or_by_first_rank():
    qc, _rel = _bench()
    # a task finding fewer than BM25 is mended most by the part finding most
    assert qc.standing((3, 5), by_found=True) < qc.standing((2, 1), by_found=True)
    # one losing its first rank only, by the part placing the first answer highest
    assert qc.standing((2, 1), by_found=False) < qc.standing((3, 5), by_found=False)
    assert qc.standing((0, None), by_found=False) == (11, 0)
    assert qc.outcome(["a", "b", "c"], {"b", "c", "z"}) == (2, 2)
    assert qc.one_document(["a", "b", "c", "d"], {"a": "x", "b": "y", "c": "x", "d": "x"}) == 3
