"""The benches' `--pool`: `bench/recur_real.py`'s sets whose folders share a name are pooled apart; `bench/relevance.py`'s query sets are pooled as one."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.rankdocs import bench


def _set(root: Path, name: str, text: str) -> Path:
    d = root / name / "pairs"
    d.mkdir(parents=True)
    (d / "01-a.md").write_text(text, encoding="utf-8")
    (d / "02-b.md").write_text(text, encoding="utf-8")
    (d / "manifest.tsv").write_text("file\tyear\n01-a.md\t2019-20\n02-b.md\t2020-21\n", encoding="utf-8")
    (d / "items.tsv").write_text("file\tstart\tend\tkind\titem_no\n01-a.md\t0\t5\tfinding\t01-1\n"
                                 "02-b.md\t0\t5\tfinding\t02-1\n", encoding="utf-8")
    (d / "pairs.tsv").write_text("a_item_no\tb_item_no\tsame\n01-1\t02-1\t1\n", encoding="utf-8")
    return d


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def test_two_sets_in_folders_of_one_name_keep_their_own_pages_items_and_pairs(tmp_path):
    (recur_real,) = bench("recur_real")
    _pool, set_names = recur_real._pool, recur_real.set_names

    dirs = [_set(tmp_path, "h2", "First set's page."), _set(tmp_path, "h3", "Other set's page.")]
    assert set_names(dirs) == ["h2-pairs", "h3-pairs"]
    assert set_names([tmp_path / "j27", tmp_path / "k27"]) == ["j27", "k27"]
    pooled = _pool(dirs, tmp_path / "pooled")
    files = [r["file"] for r in _rows(pooled / "manifest.tsv")]
    assert len(files) == len(set(files)) == 4
    assert (pooled / "h2-pairs-01-a.md").read_text(encoding="utf-8") == "First set's page."
    assert (pooled / "h3-pairs-01-a.md").read_text(encoding="utf-8") == "Other set's page."
    items = [r["item_no"] for r in _rows(pooled / "items.tsv")]
    assert len(items) == len(set(items)) == 4
    pairs = {(r["a_item_no"], r["b_item_no"]) for r in _rows(pooled / "pairs.tsv")}
    assert pairs == {("h2-pairs:01-1", "h2-pairs:02-1"), ("h3-pairs:01-1", "h3-pairs:02-1")}


def _queries(root: Path, name: str, page: str) -> Path:
    d = root / name / "queries"
    (d / "pages").mkdir(parents=True)
    (d / "pages" / page).write_text("# A page\n\nSome text.\n", encoding="utf-8")
    (d / "queries.json").write_text('[{"query": "text", "why": "Short keyword", "gold": []}]', encoding="utf-8")
    return d


def test_relevance_pools_query_sets_as_one_and_refuses_two_pages_of_one_name(tmp_path):
    pooled_sets = bench("relevance")[0].pooled_sets

    pages, queries = pooled_sets([_queries(tmp_path, "h1", "01-a.md"), _queries(tmp_path, "h4", "02-b.md")])
    assert [p.name for p in pages] == ["01-a.md", "02-b.md"]
    assert [q["set"] for q in queries] == ["h1/queries", "h4/queries"]  # folders of one name: the parent's too
    with pytest.raises(SystemExit, match="01-a.md: a page of the same name is in"):
        pooled_sets([tmp_path / "h1" / "queries", _queries(tmp_path, "h9", "01-a.md")])
