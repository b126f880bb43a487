"""The realistic test set (tests/realistic) meets the targets: the same scorer bench/quality.py prints."""
from __future__ import annotations

import pytest

from tests.quality import evaluate, load_set


@pytest.fixture(scope="module")
def scores(tmp_path_factory):
    return evaluate(tmp_path_factory.mktemp("realistic"))


def test_the_set_is_big_enough_and_in_every_format():
    docs = load_set()
    assert len(docs) >= 15
    assert {exp.get("format", "md") for _, exp in docs} == {"md", "docx", "pdf"}
    kinds = {item["kind"] for _, exp in docs for item in exp.get("items", [])}
    assert {"recommendation", "learning", "finding", "priority", "objective", "action"} <= kinds
    assert any(exp["year"] == "undated" for _, exp in docs)


@pytest.mark.parametrize("field", ["title", "year", "publisher", "doc_type"])
def test_metadata_right_for_95_percent(scores, field):
    assert scores["metadata"][field] >= 0.95, scores["metadata_wrong"][field]


def test_items_recall_and_precision_for_every_kind(scores):
    items = scores["items"]
    assert items["recall"] >= 0.90, items["missed"]
    assert items["precision"] >= 0.90, items["extra"]
    for kind, v in items["by_kind"].items():
        assert v["recall"] >= 0.90 and v["precision"] >= 0.90, (kind, v, items["missed"], items["extra"])
    assert items["by_kind"]["action"]["got"] > 0


def test_document_themes_recall_and_precision(scores):
    themes = scores["themes"]
    assert themes["recall"] >= 0.9 and themes["precision"] >= 0.9, themes["differences"]
