"""``bench/fit_ranking.py``: the search over ranking weights finds a weight that helps where one
plainly does, keeps the weights where nothing gains, and its cross-validation picks how far to go;
the owned search tasks are well formed. The index is one these tests write."""
from __future__ import annotations

import pytest

from ingest.pipeline import ingest
from search.index.store import Store
from search.query import ranking, weights_of
from tests.engines import AVAILABLE
from tests.rankdocs import bench, fostering_docs


def _bench():
    return bench("fit_ranking", "relevance")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    root = tmp_path_factory.mktemp("fitrank")
    fostering_docs(root / "docs")
    ingest([root / "docs"], root / "ix", tag=False, engine=AVAILABLE[-1])
    store = Store(root / "ix")
    yield store
    store.close()


def test_the_ascent_finds_the_heading_weight_that_plainly_helps(tiny):
    fit, rel = _bench()
    sections = rel.sections_of(tiny)
    answer = {s["id"] for s in sections if "family friend" in s["text"]}
    scorer = fit.Scorer([("tiny", tiny, [{"query": "fostering", "relevant": answer}])])
    start = {**ranking()["weights"], "heading": 4.0}  # a heading word far outweighs the text
    assert scorer.score(start) < 0.9  # the heading that only names the word ranks first
    path = fit.coordinate_ascent(scorer.score, start, {"heading": (0.25, 1.0, 4.0)}, passes=2)
    weights, best = path[-1]
    assert weights["heading"] < 4.0 and best == 1.0  # the answer first: every measure 1
    assert len(path) == 2 and path[0] == (start, scorer.score(start))  # one move; the second pass moves none
    assert {k: v for k, v in weights.items() if k != "heading"} == {k: v for k, v in start.items() if k != "heading"}


def test_the_ascent_moves_each_weight_in_turn_to_its_best_value_and_keeps_one_nothing_beats():
    fit, _rel = _bench()

    def score(w):  # best at a = 2, b = 3; c changes nothing
        return -((w["a"] - 2) ** 2) - (w["b"] - 3) ** 2

    path = fit.coordinate_ascent(score, {"a": 1, "b": 1, "c": 5}, {"a": (1, 2, 3), "b": (1, 3), "c": (0, 5, 9)}, passes=3)
    assert path == [({"a": 1, "b": 1, "c": 5}, -5), ({"a": 2, "b": 1, "c": 5}, -4), ({"a": 2, "b": 3, "c": 5}, 0)]
    flat = fit.coordinate_ascent(lambda w: 0.0, {"a": 1}, {"a": (0, 2)}, passes=2)
    assert flat == [({"a": 1}, 0.0)]  # a tie keeps the value in hand


def test_cross_validation_chooses_how_many_moves_hold_out_best():
    fit, _rel = _bench()
    folds = fit.folds_of([[0, 1, 2, 3], [4, 5]], 3, seed=1)
    assert sorted(i for f in folds for i in f) == list(range(6)) and all(len(f) == 2 for f in folds)
    # the held-out folds gain after the first move and lose after the second
    assert fit.chosen_moves([[0.5, 0.7, 0.6], [0.5, 0.8, 0.7]]) == 1
    assert fit.chosen_moves([[0.5, 0.5], [0.6, 0.6]]) == 0  # a tie: the fewest moves
    assert fit.chosen_moves([[0.5, 0.5004], [0.6, 0.6004]]) == 0  # a gain within the tolerance is none
    assert fit.chosen_moves([[0.5, 0.6, 0.7], [0.5, 0.7]]) == 2  # a shorter row keeps its last score

    def score_on(w, which):  # tasks 0-2 want a high, task 3 low
        return sum((-w["a"] if i == 3 else w["a"]) for i in which) / len(which)

    rows = fit.cross_validate(score_on, {"a": 1}, {"a": (0, 1, 2)}, [[0], [1], [2], [3]], passes=1)
    assert rows == [[1, 2], [1, 2], [1, 2], [-1, -2]]  # every fold's training set moves a up
    assert fit.chosen_moves(rows) == 1


def test_weights_of_replaces_only_the_weights_named_and_refuses_unknown_ones():
    base = ranking()["weights"]
    assert weights_of(None) == base
    got = weights_of({"heading": 9.0})
    assert got["heading"] == 9.0 and {k: v for k, v in got.items() if k != "heading"} == \
        {k: v for k, v in base.items() if k != "heading"}
    assert base["heading"] != 9.0  # the file's weights are not changed
    with pytest.raises(ValueError, match="unknown ranking weights: headng"):
        weights_of({"headng": 1.0})


def test_write_weights_replaces_values_and_one_header(tmp_path):
    fit, _rel = _bench()
    f = tmp_path / "ranking.toml"
    f.write_text("# how search ranks\nfiller = [\"a\"]\n\n[weights]\nheading = 1.5\ntitle = 0.5\n"
                 "pair_in_phrase = 1\n", encoding="utf-8")
    fit.write_weights(f, {"heading": 2.0, "title": 1, "pair_in_phrase": 1.0}, f"{fit.HEADER} (test): one")
    fit.write_weights(f, {"heading": 3.0}, f"{fit.HEADER} (test): two")
    assert f.read_text(encoding="utf-8") == (f"{fit.HEADER} (test): two\n# how search ranks\nfiller = [\"a\"]\n\n"
                                             "[weights]\nheading = 3.0\ntitle = 1.0\npair_in_phrase = 1\n")  # each as the file wrote it
    assert fit.fitted_header(f) == f"{fit.HEADER} (test): two"


def test_the_owned_tasks_are_well_formed_and_name_the_documents_the_tests_own():
    _fit, rel = _bench()
    tasks = rel.owned_queries()
    assert len(tasks) >= 60
    names = {p.name for p in rel.owned_paths() if p.is_file()} | {p.name for p in rel.owned_paths()[0].glob("*.txt")}
    for t in tasks:
        assert rel.kind_of(t["why"]) != "other", t["query"]
        assert all(g["file"] in names for g in t["gold"]), t["query"]
    kinds = {rel.kind_of(t["why"]) for t in tasks}
    assert kinds == {"keywords", "abbreviations", "other wordings", "rare phrase", "plain questions", "year intent",
                     "broad themes"}


def test_a_task_file_that_is_not_one_is_one_line_naming_it(tmp_path):
    _fit, rel = _bench()
    bad = tmp_path / "tasks.toml"
    bad.write_text('[[tasks]]\nquery = "x"\n', encoding="utf-8")
    with pytest.raises(SystemExit, match="tasks.toml: not a task file"):
        rel.owned_queries(bad)


def test_the_ranking_weights_say_they_were_fitted_by_the_script():
    fit, _rel = _bench()
    header = fit.fitted_header()
    assert header is not None and header.startswith("# Fitted by bench/fit_ranking.py")
    assert "tasks" in header and "objective" in header
    weights = ranking()["weights"]
    assert set(fit.GRID) <= set(weights) and not set(fit.GRID) & set(fit.FIXED)
