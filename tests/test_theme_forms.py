"""A query naming a theme: its other forms rank as phrases, but the every-word count reads the
theme's tags for them (the tagger found the theme's phrases at ingest), not their positions;
on both engines, on documents these tests write."""
from __future__ import annotations

import pytest

from ingest.pipeline import ingest
from search.index import qtree
from search.index.store import Store
from search.query import build_query, search
from tests.engines import AVAILABLE

DOCS = {
    "placements": "Placements Report\n\n1 Placements\n\nAt the end of March there were forty children in care, "
                  "and each child in care had a plan reviewed by an independent reviewing officer.\n",
    "centre": "Family Centre Report\n\n1 Holidays\n\nThe centre gave care to children in the holidays and ran "
              "sessions for parents in the spring.\n",
    "minutes": "Board Minutes\n\n1 Attendance\n\nThe board met in the spring with partners from schools and "
               "health.\n",
}


@pytest.fixture(params=AVAILABLE, scope="module")
def store(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(f"forms-{request.param}")
    (tmp / "docs").mkdir()
    for name, text in DOCS.items():
        (tmp / "docs" / f"{name}.txt").write_text(text, encoding="utf-8")
    ingest([tmp / "docs"], tmp / "ix", tag=True, engine=request.param)
    st = Store(tmp / "ix")
    yield st
    st.close()


def _nodes(node: qtree.Node):
    yield node
    for attr in ("parts", "part", "must", "should"):
        child = getattr(node, attr, None)
        for c in child if isinstance(child, tuple) else [child] if child is not None else []:
            yield from _nodes(c)


def _constants(node: qtree.Node) -> list[qtree.Const | qtree.Plus]:
    """The constants: on their own (``Const``) or added to what they are read with (``Plus``)."""
    return [n for n in _nodes(node) if isinstance(n, (qtree.Const, qtree.Plus))]


def _phrases(node: qtree.Node) -> list[qtree.Phrase]:
    return [n for n in _nodes(node) if isinstance(n, qtree.Phrase)]


def test_a_theme_names_forms_rank_as_phrases_and_count_by_its_tags(store):
    built = build_query(store, "looked after children")
    ranked = built.query.must if isinstance(built.query, qtree.AndMaybe) else built.query
    assert [n for n in _phrases(ranked) if n.words == ("children", "in", "care")]  # scored
    # the forms' constant still reads them as phrases (what ranks is unchanged)
    assert any(n.words == ("children", "in", "care") for c in _constants(ranked) for n in _phrases(c.part))
    assert not _phrases(built.every)
    assert qtree.Term("themes", "looked-after-children", 0.3) in _nodes(built.every)


def test_a_section_the_tagger_found_the_theme_in_holds_every_word(store):
    res = search(store, "looked after children")
    headings = [h.section["heading"] for h in res.hits]
    assert headings[0] == "Placements", headings
    # the placements section is tagged with the theme ("children in care"); the centre's
    # section holds "children" and "care" apart, is not tagged, and so holds not every word
    assert res.every_word == 1 and res.mode == "all"
    assert "Holidays" in headings  # still found by the words it has, lower
    assert headings.index("Holidays") > headings.index("Placements")


def test_a_query_naming_no_theme_counts_its_forms_as_phrases(store):
    built = build_query(store, "school nurse visits")
    assert ("school", "nurs") in [n.words for n in _phrases(built.every)]
    assert not [n for n in _nodes(built.every) if isinstance(n, qtree.Term) and n.field == "themes"]


def test_the_engines_agree_on_a_theme_name(tmp_path):
    if len(AVAILABLE) < 2:
        pytest.skip("needs both engines")
    (tmp_path / "docs").mkdir()
    for name, text in DOCS.items():
        (tmp_path / "docs" / f"{name}.txt").write_text(text, encoding="utf-8")
    answers = {}
    for engine in AVAILABLE:
        ingest([tmp_path / "docs"], tmp_path / engine, tag=True, engine=engine)
        st = Store(tmp_path / engine)
        try:
            res = search(st, "looked after children")
            answers[engine] = ([h.section["section_id"] for h in res.hits], res.total, res.every_word)
        finally:
            st.close()
    assert len(set(map(repr, answers.values()))) == 1, answers


