"""The prose set (tests/realistic/prose): pages whose points are written in running text, as
real reports write them, which bench/fit_items.py fits on and bench/realdev_items.py scores."""
from __future__ import annotations

from tests.quality import ITEM_KINDS, SET_DIR, load_set, norm_text

PROSE = SET_DIR / "prose"


def test_the_prose_set_is_big_enough_and_written_like_reports():
    docs = load_set(PROSE)
    assert len(docs) >= 24
    for path, exp in docs:
        words = len(path.read_text(encoding="utf-8").split())
        assert 300 <= words <= 1200, (path.name, words)
        assert {i["kind"] for i in exp.get("items", [])} <= set(ITEM_KINDS), path.name
    kinds = {i["kind"] for _, exp in docs for i in exp.get("items", [])}
    assert {"recommendation", "learning", "finding", "priority", "objective", "action"} <= kinds
    assert any(not exp.get("items") for _, exp in docs)  # pages that hold no item teach precision too


def test_every_labelled_item_is_written_on_its_page():
    # a label the page does not hold would teach the fit that its true candidate is no item
    for path, exp in load_set(PROSE):
        page = norm_text(path.read_text(encoding="utf-8"))
        for item in exp.get("items", []):
            assert norm_text(item["text"]) in page, (path.name, item["text"][:60])

