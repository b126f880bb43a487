"""Ranking: every word counts (rarity, coordination, words together), questions read as
questions, "did you mean" only for words no section holds, and both engines agree, on a
small corpus these tests write themselves."""
from __future__ import annotations

import ast
import random
from pathlib import Path

import pytest

import search.query as search_query
from ingest.pipeline import ingest
from search.index import qtree
from search.index.store import Store
from search.query import build_query, corrected_query, search
from tests.engines import AVAILABLE

ROOT = Path(__file__).resolve().parent.parent

FILLER = ("The partnership met in the spring and the board discussed its work with children and families. "
          "Children and families were at the centre of the work of the board this year. ")


def _write(folder: Path, docs: dict[str, list[tuple[str, str]]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, sections in docs.items():
        body = "\n\n".join(f"{n} {heading}\n\n{text}" for n, (heading, text) in enumerate(sections, start=1))
        (folder / f"{name}.txt").write_text(f"{name.replace('-', ' ').title()} Annual Report 2021/22\n\n{body}\n",
                                            encoding="utf-8")


def _corpus(folder: Path) -> None:
    rng = random.Random(26)
    common = ["children", "families", "board", "work", "partnership", "practice", "support", "services"]
    docs: dict[str, list[tuple[str, str]]] = {}
    for d in range(6):
        secs = []
        for s in range(5):
            words = " ".join(rng.choice(common) for _ in range(40))
            secs.append((f"Update {d}.{s}", f"{FILLER}{words}."))
        docs[f"report-{d}"] = secs
    docs["audit"] = [
        ("Chronologies", "Practitioners should keep a meaningful chronology for every child on a plan."),
        ("Children", "Children children children children and more children were seen by the board."),
        ("Missing children", "Children who go missing from home are offered a return home interview."),
        ("Strategy", "The board agreed its strategy for the year with partners."),
    ]
    docs["review"] = [
        ("Scattered", "Figures for 2013/14 came late. A report went to the board. The 2013/14 report was short."),
        ("Injuries", "Two non-accidental head injuries were seen by the hospital this year."),
        ("Wellbeing", "Mental wellbeing of staff was discussed at the away day."),
        ("Misuse", "Misuse of the old building was reported to the landlord in the winter."),
        ("Together", "The chair presented the annual report 2013/14 of the partnership to the board and its "
                     "partners, with what it found and what the board would do in the year ahead."),
    ]
    _write(folder, docs)


@pytest.fixture(scope="module", params=AVAILABLE)
def store(request, tmp_path_factory):
    root = tmp_path_factory.mktemp(f"rank-{request.param}")
    _corpus(root / "docs")
    ingest([root / "docs"], root / "ix", tag=False, engine=request.param)
    s = Store(root / "ix")
    yield s
    s.close()


def _first(res) -> str:
    return res.hits[0].section["heading"]


def test_rare_words_outrank_a_common_word_repeated(store):
    res = search(store, "children chronology")
    assert _first(res) == "Chronologies"  # one rare word beats "children" said five times
    assert res.total > res.every_word >= 0  # sections with any of the words are found too


def test_sections_with_more_of_the_words_rank_higher(store):
    res = search(store, "children missing home")
    assert _first(res) == "Missing children"
    assert res.every_word == 1 and res.mode == "all"


def test_a_question_needs_only_its_content_words(store):
    res = search(store, "what did the board say about keeping a chronology")
    assert res.total > 0 and _first(res) == "Chronologies"
    built = build_query(store, "what did the board say about keeping a chronology")
    required = {t for _f, t in qtree.terms(built.every)}
    assert not required & {"what", "did", "say", "about"}  # filler words are not required


def test_no_section_with_every_word_still_ranks_by_the_words_it_has(store):
    res = search(store, "chronology zzyzzxq")
    assert res.mode == "any" and res.every_word == 0 and _first(res) == "Chronologies"


def test_words_with_a_year_span_standing_together_rank_first(store):
    # "2013/14" is one term to the index: the words together are found as such
    assert _first(search(store, "report 2013/14")) == "Together"


def _constants(node) -> list:
    """The words-together constants of a query's ``near`` tree."""
    if node is None:
        return []
    return [node] if isinstance(node, qtree.Const) else [c for p in node.parts for c in _constants(p)]


def _slops(constants) -> set[int]:
    """The slops of the phrases the constants read."""
    def phrases(n):
        if isinstance(n, qtree.Phrase):
            return [n]
        inner = getattr(n, "parts", None) or ([n.part] if isinstance(n, qtree.Const) else [])
        return [p for x in inner for p in phrases(x)]
    return {p.slop for c in constants for p in phrases(c)}


def test_words_each_in_most_sections_add_no_words_together_constant(store, monkeypatch):
    # "children" and "board" are each in most sections: where they stand together says little,
    # and reading their positions is what costs most in a large collection
    backend = store.backend()
    total = backend.doc_frequency("kind", "section")
    shares = [backend.doc_frequency("text", w) / total for w in ("children", "board")]
    assert min(shares) > 0.5
    monkeypatch.setitem(search_query._W, "common", min(shares))  # both are common
    assert build_query(store, "children board").near is None
    assert _constants(build_query(store, "children missing").near)  # one rarer word is enough
    monkeypatch.setitem(search_query._W, "common", min(shares) + 0.01)  # "board" is not
    assert _constants(build_query(store, "children board").near)


def test_two_neighbouring_words_read_their_pair_as_the_phrase(store, monkeypatch):
    words = "missing chronology"
    one = _constants(build_query(store, words).near)
    assert len(one) == 1 and _slops(one) == {0}
    monkeypatch.setitem(search_query._W, "pair_in_phrase", 0)
    two = _constants(build_query(store, words).near)
    assert len(two) == 2 and _slops(two) == {0, 1}
    # the pair's weight joins the phrase's: words side by side gain what they gained before
    assert one[0].score == pytest.approx(sum(c.score for c in two))
    # three words keep their pairs (each two may stand together without the third)
    assert len(_constants(build_query(store, "missing chronology home").near)) == 3
    assert _first(search(store, "missing children")) == "Missing children"


def test_each_word_of_a_theme_phrase_holding_a_thesaurus_phrase_counts(store):
    # "parental substance misuse" names a theme and holds "substance misuse", which the
    # thesaurus knows: "misuse" still counts on its own
    res = search(store, "parental substance misuse")
    assert "Misuse" in [h.section["heading"] for h in res.hits]


def test_each_word_of_a_theme_phrase_inside_a_thesaurus_phrase_counts(store):
    # "child and adolescent mental health services" (thesaurus) holds "… mental health" (a theme)
    res = search(store, "child and adolescent mental health services", limit=50)
    assert "Wellbeing" in [h.section["heading"] for h in res.hits]  # "mental" counts on its own


def test_another_form_of_several_words_allows_one_word_between(store):
    # NAI's other form "non-accidental injury" is found in "non-accidental head injuries"
    assert "Injuries" in [h.section["heading"] for h in search(store, "NAI").hits]


def test_did_you_mean_only_for_words_no_section_holds(store):
    assert corrected_query(store, "children's chronology") is None
    assert corrected_query(store, "chronolgy") == "chronology"
    res = search(store, "missing chronolgy")
    assert res.searched == "missing chronology" and res.did_you_mean == "missing chronology"
    assert any("chronology" in h.section["text"] for h in res.hits)  # the corrected word, not "missing" alone
    res = search(store, "missing chronology")
    assert res.searched is None and res.did_you_mean is None


def test_other_forms_of_held_words_are_not_misspellings(store):
    # a form of a word some section holds ("strategies" for "strategy") or a word the
    # thesaurus knows is searched as typed
    assert corrected_query(store, "interview chronologies") is None
    assert corrected_query(store, "strategies for missing children") is None
    assert corrected_query(store, "dads and mums") is None  # thesaurus words, in no section here
    res = search(store, "missing interview strategies")
    assert res.searched is None and res.did_you_mean is None


@pytest.mark.skipif(len(AVAILABLE) < 2, reason="needs both engines")
def test_both_engines_give_the_same_top_results(tmp_path):
    _corpus(tmp_path / "docs")
    stores = {}
    for engine in AVAILABLE:
        ingest([tmp_path / "docs"], tmp_path / engine, tag=False, engine=engine)
        stores[engine] = Store(tmp_path / engine)
    try:
        for q in ("children chronology", "children missing home", "what did the board say about missing children",
                  "board strategy", '"return home interview"', "children -chronology"):
            tops = {e: [h.section["section_id"] for h in search(s, q, limit=3).hits] for e, s in stores.items()}
            totals = {e: (search(s, q).total, search(s, q).every_word) for e, s in stores.items()}
            assert all(tops.values()) and len({t[0] for t in tops.values()}) == 1, (q, tops)
            assert len(set(totals.values())) == 1, (q, totals)
    finally:
        for s in stores.values():
            s.close()


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
    return out


@pytest.mark.parametrize("module", ["search/index/backends/tantivy.py", "search/trace.py", "search/index/qtree.py"])
def test_the_neutral_query_needs_no_whoosh(module):
    assert not any(m == "whoosh" or m.startswith("whoosh.") for m in _imports(ROOT / module))


def test_the_top_sections_do_not_depend_on_how_many_are_asked_for(store):
    # an engine that skips what it judges unable to reach the top must not drop a section
    # the ranked query (constants, boosts, words together) scores higher than the last kept
    backend = store.backend()
    for q in ("children chronology", "annual report 2013/14 board", "what did the board say about missing children",
              "the board report to partners", "children missing home interview", "mental wellbeing of staff"):
        built = build_query(store, q)
        every = [(f.id, round(f.score, 6)) for f in backend.search(built.query, None, "relevance", 1000)]
        for n in (1, 3, 5):
            top = [(f.id, round(f.score, 6)) for f in backend.search(built.query, None, "relevance", n)]
            assert [s for _i, s in top] == [s for _i, s in every[:n]], (q, n, top, every[:n])


def _small(tmp_path: Path, engine: str, docs: dict[str, str]) -> Store:
    folder = tmp_path / "docs"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in docs.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    for d in range(8):  # the common words of every partnership's papers
        (folder / f"minutes-{d}.txt").write_text(
            f"Board Minutes {d}\n\n1 Attendance\n\n{FILLER * 3}\n\n2 Updates\n\n{FILLER * 2}\n", encoding="utf-8")
    ingest([folder], tmp_path / "ix", tag=False, engine=engine)
    return Store(tmp_path / "ix")


@pytest.mark.parametrize("engine", AVAILABLE)
def test_a_heading_alone_ranks_below_the_passage_under_it(tmp_path, engine):
    store = _small(tmp_path, engine, {
        "escalation": "Escalation Policy\n\n1 Escalation Policy\n\n2 Introduction\n\nThe escalation policy sets out "
                      "how professionals resolve a disagreement about a child, and when a worker takes it to a "
                      "manager.\n",
    })
    try:
        res = search(store, "escalation policy")
        assert res.hits[0].section["text"].startswith("The escalation policy")
        assert "Escalation Policy" in [h.section["heading"] for h in res.hits]  # still found, just lower
    finally:
        store.close()


@pytest.mark.parametrize("engine", AVAILABLE)
def test_a_section_with_every_word_outranks_one_saying_a_common_word_over_and_over(tmp_path, engine):
    store = _small(tmp_path, engine, {
        "abuse-review": "Domestic Abuse Review\n\n1 Domestic abuse\n\nDomestic abuse was the board's work this year: "
                        "domestic abuse in families, domestic abuse and children, the board and domestic abuse.\n",
        "notices": "Police Notices\n\n1 Notices\n\nSchools are told by the police before the next school day when "
                   f"a pupil has been at home during domestic abuse, so that the children are supported. {FILLER * 4}\n",
    })
    try:
        # coordination by rarity: "schools" and "home" beside "domestic abuse" outweigh a heading,
        # a title and a text saying "domestic abuse" again and again
        res = search(store, "how are schools told about domestic abuse at home")
        assert res.hits[0].section["heading"] == "Notices"
    finally:
        store.close()


@pytest.mark.parametrize("engine", AVAILABLE)
def test_a_passage_of_a_document_that_answers_the_query_ranks_above_a_lone_mention(tmp_path, engine):
    store = _small(tmp_path, engine, {
        "practice-review": "Practice Review C\n\n1 Messages\n\nTeenage parents need support that fits them: "
                                "teenage parents told us that teenage parents were seldom asked what help they "
                                "wanted.\n\n2 Background\n\nThe parents were both seventeen when the baby was "
                                "born, lived with a grandmother, and had met the health visitor once before the "
                                "birth of the child in the spring.\n",
        "newsletter": "Partnership Newsletter\n\n1 Events\n\nParents came to the open evening.\n",
    })
    try:
        headings = [h.section["heading"] for h in search(store, "teenage parents").hits]
        # "Events" holds "parents" in fewer words, so it scores higher on its own; the review's
        # other passage comes first because its document answers the query
        assert headings.index("Background") < headings.index("Events"), headings
    finally:
        store.close()


@pytest.mark.parametrize("engine", AVAILABLE)
def test_a_year_the_query_names_ranks_the_report_of_that_year_first_however_it_is_written(tmp_path, engine):
    cover = "Safeguarding Partnership Annual Report\n\nThis report covers 1 April {} to 31 March {}.\n\n1 Priorities\n\n"
    store = _small(tmp_path, engine, {
        "report-a": cover.format(2016, 2017) + "Our priorities were neglect, exploitation and the voice of the child, "
                                               "agreed with partners at the spring meeting in the town hall.\n",
        "report-b": cover.format(2018, 2019) + "Our priorities were neglect, exploitation and the voice of the child.\n",
    })
    try:
        # neither text says "2016/17"; the shorter 2018-19 section matches the words a little better
        hits = search(store, "partnership priorities 2016/17").hits
        assert (hits[0].section["heading"], hits[0].section["year"]) == ("Priorities", "2016-17")
    finally:
        store.close()


def _scored(store, q: str) -> list[tuple[str, float]]:
    return [(h.section["section_id"], h.score) for h in search(store, q, limit=50).hits]


def test_both_engines_score_words_standing_together_alike(tmp_path):
    """A phrase, a heading word and a long section's length weigh the same on both engines:
    every hit with the same score and in the same order, not only the same first hit."""
    if len(AVAILABLE) < 2:
        pytest.skip("one engine only")
    _corpus(tmp_path / "docs")
    long_text = " ".join(f"The panel met partners at home and at school on day {n} of the visit." for n in range(12))
    _write(tmp_path / "docs", {"visits": [
        ("Home visits", "Home visits were made. The home was visited and the visits recorded at home, home again."),
        ("Return home interviews", "A return home interview is offered to every child who comes back."),
        ("Interviews", "Interviews at home and the return of forms: the interview took place at home, at home."),
        ("Long visits", long_text + " A return home interview was held."),
    ]})
    stores = {}
    for engine in AVAILABLE:
        ingest([tmp_path / "docs"], tmp_path / engine, tag=False, engine=engine)
        stores[engine] = Store(tmp_path / engine)
    try:
        for q in ("return home interview", '"return home interview"', "home visits", "missing from home",
                  "panel visit school", "what did the board say about missing children",
                  "home visits -school", "return home interview -panel"):
            scored = {e: _scored(s, q) for e, s in stores.items()}
            a, b = (dict(hits) for hits in scored.values())
            assert a.keys() == b.keys() and len({hits[0][0] for hits in scored.values()}) == 1, (q, scored)
            # the same score within 2% (Whoosh keeps some lengths less exactly), and the same order
            # wherever two sections' scores are more than 5% apart
            assert all(abs(a[i] - b[i]) <= 0.02 * max(a[i], b[i]) for i in a), (q, scored)
            assert all(b[i] > b[j] for i in a for j in a if a[i] > 1.05 * a[j]), (q, scored)
    finally:
        for s in stores.values():
            s.close()


@pytest.mark.parametrize("engine", AVAILABLE)
def test_a_mention_among_other_words_counts_once_and_as_rare_as_its_words(tmp_path, engine):
    store = _small(tmp_path, engine, {
        "guide": "Family Link Guide\n\n1 About the meetings\n\nA family link meeting (FLM) brings the family and "
                 "the workers together. Every FLM has a chair, and the FLM notes go to the family link worker.\n",
        "notices": "Notices\n\n" + "".join(f"{n} Papers {n}\n\nThe link to the papers of each meeting went to every "
                                             "family on the list.\n\n" for n in range(1, 5)),
        "procedure": "Link Procedure\n\n1 When to act\n\nAn urgent family link meeting is held within two days "
                     "when a child is moved in an emergency.\n",
        "diary": "Link Diary\n\n1 Dates\n\nThe next FLM is on the first Monday of the month.\n",
    })
    try:
        res = search(store, "when is an urgent family link meeting held")
        assert "FLM" in res.expanded  # the guide defines the abbreviation
        # the guide says the mention twice over (in words and as FLM, a far rarer token than its
        # words, which other papers use apart) but not "urgent", the word the question turns on
        assert _first(res) == "When to act", [h.section["heading"] for h in res.hits]
        assert "About the meetings" in [h.section["heading"] for h in res.hits]
        # said only by its abbreviation, the mention still ranks a section beside another word
        assert _first(search(store, "family link meeting chair")) == "About the meetings"
        # the mention alone: its rarer abbreviation still orders its forms against its words
        alone = [h.section["heading"] for h in search(store, "family link meeting").hits]
        assert alone.index("Dates") < alone.index("When to act"), alone
    finally:
        store.close()


@pytest.mark.parametrize("engine", AVAILABLE)
def test_a_rare_filler_word_orders_sections_holding_the_same_content_words(tmp_path, engine):
    store = _small(tmp_path, engine, {
        "duties": "Partnership Duties\n\n1 Duties\n\nThe yearly report must name each school that took part.\n",
        "diary": "Partnership Diary\n\n1 Dates\n\nThe yearly report will name the school.\n",
    })
    try:
        # both hold "yearly report name"; "must", a filler word no other paper uses, is what the
        # question asks, and outweighs the shorter passage's slightly better match of the rest
        res = search(store, "what must the yearly report name")
        assert _first(res) == "Duties", [h.section["heading"] for h in res.hits]
    finally:
        store.close()


@pytest.mark.parametrize("engine", AVAILABLE)
def test_a_filler_word_in_every_section_is_left_out(tmp_path, engine):
    folder = tmp_path / "docs"
    folder.mkdir()
    for n, topic in enumerate(("neglect", "housing", "schools", "health", "police", "courts", "youth", "sport")):
        (folder / f"note-{n}.txt").write_text(f"The {topic} note\n\nThe {topic} work of the year went to the board.\n",
                                              encoding="utf-8")
    ingest([folder], tmp_path / "ix", tag=False, engine=engine)
    store = Store(tmp_path / "ix")
    try:
        # "the" says nothing and would only add how densely each section uses it; "what", which
        # no section holds here, may stay (it matches nothing)
        ranked = {t for _f, t in qtree.terms(build_query(store, "what is the housing work").query)}
        assert "the" not in ranked and {"hous", "work"} <= ranked, ranked
    finally:
        store.close()
