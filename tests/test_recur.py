"""Recurrence: clusters across years, --check, trace and their commands on the corpus."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cli import main
from search.errors import SgsearchError
from search.recur import ConceptsError, check, load_concepts, normalise, recur
from search.trace import trace


def cluster_with(clusters, needle):
    return [c for c in clusters if any(needle in i["text"].lower() for i in c["items"])]


def test_normalise_drops_stock_openings_and_common_words():
    assert normalise("The partnership should ensure that fathers are included in assessments") == \
        ["fathers", "involve", "assessment"]
    # organisations are one token and stock openings go: the CCG's and the ICB's duty read alike
    assert normalise("Ensure the CCG and the services we commission fulfil our statutory functions") == \
        ["commissioned services", "fulfil", "statutori", "duties"]
    assert normalise("Ensure that the ICB meets its statutory responsibilities") == ["fulfil", "statutori", "duties"]


def test_fathers_and_male_carers_recur_across_years(store):
    clusters = recur(store)
    found = cluster_with(clusters, "fathers")
    assert len(found) == 1
    c = found[0]
    assert {"2020-21", "2021-22"} <= set(c["years"])
    kinds = {(i["year"], i["kind"]) for i in c["items"]}
    assert ("2020-21", "learning") in kinds and ("2021-22", "priority") in kinds
    # the 2024-25 project for new fathers shares the theme and nothing else: never grouped
    assert not any("project to support new fathers" in i["text"] for i in c["items"])
    years = [i["year_start"] for i in c["items"]]
    assert years == sorted(years)  # oldest first
    assert "fathers-male-carers" in c["themes"]


def test_what_a_group_shares_is_said_once(store):
    # a word a longer label already shows ("fathers" beside "Fathers and male carers") is left
    # out, in the group's reasons and in each item's, and no label comes twice in two cases
    for c in recur(store):
        for why in [c["why"], *(i["why"] for i in c["items"] if i.get("why"))]:
            lower = [w.lower() for w in why]
            assert len(set(lower)) == len(lower), why
            for w in lower:
                assert not any(set(w.split()) < set(o.split()) for o in lower), why
    fathers = cluster_with(recur(store), "fathers")[0]
    assert "Fathers and male carers" in fathers["why"] and "fathers" not in fathers["why"]


def test_neglect_toolkit_refresh_recurs(store):
    c = cluster_with(recur(store), "toolkit")
    assert c and {"2016-17", "2020-21"} <= set(c[0]["years"])
    assert all("neglect" in i["text"].lower() for i in c[0]["items"])


def test_short_generic_items_do_not_cluster(store):
    for c in recur(store):
        for i in c["items"]:
            assert len(normalise(i["text"])) >= 3


def test_min_years_and_kind(store):
    assert all(len(c["years"]) >= 3 for c in recur(store, min_years=3))
    assert all(i["kind"] == "objective" for c in recur(store, kind="objective") for i in c["items"])


def test_check_finds_earlier_siblings_of_a_2024_25_item(store):
    from ingest.themes import get_tagger

    text = "To implement project to support new fathers across Somerset."
    themes = [t.id for t in get_tagger(store.taxonomy()).tag(text)]  # the caller tags, as the CLI does
    assert "fathers-male-carers" in themes
    matches = check(store, text, limit=5, themes=themes)
    years = {m["year"] for m in matches}
    assert {"2020-21", "2021-22"} <= years
    assert matches == sorted(matches, key=lambda m: -m["score"])
    assert all({"score", "title", "item_id", "year"} <= set(m) for m in matches)


def test_trace_pre_birth_years_and_examples(store):
    data = trace(store, "pre-birth")
    years = [y["year"] for y in data["years"]]
    assert {"2016-17", "2020-21", "2024-25"} <= set(years)
    assert data["first_seen"] == "2016-17" and data["last_seen"] == "2024-25"
    for y in data["years"]:
        assert y["examples"] and y["sections"] >= len(y["examples"])
        for ex in y["examples"]:
            assert {"section_id", "title", "number", "heading", "snippet"} <= set(ex)


def test_trace_recur_cli_json_and_plot(corpus_index, tmp_path):
    r = CliRunner().invoke(main, ["trace", "pre-birth", "--json", "--plot", str(tmp_path / "c.png"),
                                  "--index", str(corpus_index)])
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert set(data) >= {"query", "first_seen", "last_seen", "years"}
    png = (tmp_path / "c.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000
    rec = json.loads(CliRunner().invoke(main, ["recur", "--json", "--index", str(corpus_index)]).stdout)
    item = rec["clusters"][0]["items"][0]
    assert {"item_id", "section_id", "doc_id", "kind", "text", "status", "themes", "year", "year_start",
            "score", "title"} <= set(item)
    chk = CliRunner().invoke(main, ["recur", "--check", "Fathers should be included in assessments",
                                    "--json", "--index", str(corpus_index)])
    assert json.loads(chk.stdout)["matches"]
    text = CliRunner().invoke(main, ["recur", "--index", str(corpus_index)]).output
    assert "said again in different years" in text


def test_bulk_scores_equal_pairwise_scores(store):
    import numpy as np

    from search.recur import load_items
    from search.recur.scoring import pair_score, prepare, scores_and_evidence

    p = prepare(load_items(store))
    pairs = [(a, b) for a in range(0, len(p.items), 7) for b in range(a + 1, len(p.items), 11)]
    bulk, _ = scores_and_evidence(p, np.array([a for a, _ in pairs]), np.array([b for _, b in pairs]))
    for (a, b), s in zip(pairs, bulk.tolist()):
        assert abs(s - pair_score(p, a, b)) <= 0.11, (a, b)


def test_top_k_keeps_each_rows_best_values_with_ties():
    import numpy as np

    from search.recur.scoring import _top_k

    rng = np.random.default_rng(7)
    for _ in range(50):
        n_rows, nnz, k = int(rng.integers(1, 40)), int(rng.integers(0, 1500)), int(rng.integers(1, 12))
        rows = rng.integers(0, n_rows, nnz).astype(np.int32)
        cols = rng.permutation(nnz).astype(np.int32)
        vals = (rng.integers(0, 25, nnz) / 24.0).astype(np.float32)  # many ties, 0 and 1 included
        kept = _top_k(rows, cols, vals, n_rows, k)
        assert len(set(kept.tolist())) == len(kept)
        for r in range(n_rows):
            mine = kept[rows[kept] == r]
            want = sorted(vals[rows == r].tolist(), reverse=True)[:k]
            assert sorted(vals[mine].tolist(), reverse=True) == want
            # among equal values at the cut, the lower columns are kept
            if len(want) == k:
                tied = np.flatnonzero((rows == r) & (vals == want[-1]))
                chosen = [i for i in mine.tolist() if vals[i] == want[-1]]
                assert sorted(cols[chosen].tolist()) == sorted(cols[tied].tolist())[:len(chosen)]


def test_a_bad_concepts_file_is_a_one_line_library_error(tmp_path):
    bad = tmp_path / "concepts.toml"
    bad.write_text("[[concept]]\nterms = 'no id'\n", encoding="utf-8")
    with pytest.raises(SgsearchError) as e:  # the one base the command line and the web page catch
        load_concepts(extra_files=[bad])
    assert isinstance(e.value, ConceptsError) and str(e.value).startswith(f"{bad}: each [[concept]] needs an id")
    assert "\n" not in str(e.value)


def test_phrases_found_where_they_may_start_as_at_every_word():
    import random

    from search.vocab.concepts import _Phrases

    phrases = _Phrases({"care plan": "P", "care plan review": "R", "plan": "", "child": "C",
                        "child protection plan": "CPP", "early help": "EH", "help": "H"})

    def replace(words):  # the plain reading: ask at every position
        out, i = [], 0
        while i < len(words):
            m = phrases.at(words, i)
            if m is None:
                out.append(words[i])
                i += 1
            else:
                out += [m[1]] if m[1] else []
                i += m[0]
        return out

    def find(words):
        return list(dict.fromkeys(m[1] for i in range(len(words)) if (m := phrases.at(words, i))))

    pool = ["care", "cares", "plan", "plans", "review", "reviews", "child", "children", "childs", "protection",
            "early", "help", "helps", "s", "the", "of"]
    rng = random.Random(5)
    for _ in range(3000):
        words = [rng.choice(pool) for _ in range(rng.randrange(0, 12))]
        assert phrases.replace(words) == replace(words), words
        assert phrases.find(words) == find(words), words


def test_tokens_read_as_when_each_word_is_judged_afresh(store, monkeypatch):
    """The tokeniser's shortcuts (each distinct word judged once, the openings tried only when
    one of them would take something) read every text as judging each word and trying every
    opening does: random texts of the index's own words, openings, spellings and abbreviations."""
    import random
    import re
    from dataclasses import replace

    from search.recur.concepts import store_concepts, tokens
    from search.recur.scoring import item_tokens
    from search.vocab.concepts import _strip_openings

    c = store_concepts(store)
    items = [{"text": r.get("text"), "heading": (r.get("cells") or {}).get("heading")} for r in store.records("item")]
    pool = [w for it in items for w in (it["text"] or "").split()] + [
        "Ensure that", "The partnership should", "should", "to", "Recommendation 3:", "action 2.", "it is recommended that",
        "the", "org", "SEND", "S&L", "0-19", "prioritize", "organization's", "focussed", "[bookmark: x]", "more likely than",
        "to be", "children's", "2019", "a"]
    rng = random.Random(7)
    texts = [it["text"] or "" for it in items] + [
        " ".join(rng.choice(pool) for _ in range(rng.randrange(0, 30))) for _ in range(1500)]
    fresh = []
    for text in texts:  # a new vocabulary for each text: every word judged afresh
        learnt: dict = {}
        fresh.append((tokens(text, replace(c, read_as={}), learnt), learnt))
    warm = replace(c, read_as={})
    for text, want in zip(texts, fresh):
        learnt = {}
        assert (tokens(text, warm, learnt), learnt) == want, text
    monkeypatch.setattr("search.vocab.concepts._READ_AS_MOST", 50)  # words judged before let go again and again
    small = replace(c, read_as={})
    for text, want in zip(texts, fresh):
        learnt = {}
        assert (tokens(text, small, learnt), learnt) == want, text
    assert len(small.read_as) <= 50 + max(len(re.findall("[A-Za-z0-9]+", t)) for t in texts)
    tried = replace(c, opening_any=None)  # every opening tried on every text
    for text in texts:
        t = " ".join(text.lower().split())
        assert _strip_openings(t, c) == _strip_openings(t, tried), t
    assert [item_tokens(it, warm) for it in items] == [item_tokens(it, replace(c, read_as={})) for it in items]



def test_the_quick_tests_before_the_examples_pattern_never_skip_a_match():
    """A text said to give no examples never has the examples pattern (random texts of the
    characters that matter)."""
    import random

    from search.vocab.concepts import _EXAMPLES_AT_END, _may_give_examples

    rng = random.Random(3)
    pieces = ["e.g.", "E. G", "e.\tg", "eg", "EG,", "for example", "For Instance", "for  example", "(", ")", "é",
              "ſ", "e", "g", ".", " ", ",", ";", ":", "\n", "a", "9", "'", "-", "x"]
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 15)))
        assert _may_give_examples(text) or _EXAMPLES_AT_END.search(text) is None, text
@pytest.mark.parametrize("opening", [r"(?i)kindly\s+", r"(kindly|please)\s+"])
def test_an_opening_that_cannot_be_joined_to_the_others_is_still_taken(tmp_path, opening):
    extra = tmp_path / "concepts.toml"
    extra.write_text(f"[openings]\npatterns = ['{opening}']\n", encoding="utf-8")
    c = load_concepts(extra_files=[extra])
    assert c.opening_any is None  # each opening tried alone
    assert normalise("Kindly review plans monthly", c) == normalise("review plans monthly", c) == ["review", "plan", "month"]
