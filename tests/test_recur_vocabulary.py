"""Recurrence vocabulary and scale: spellings read alike, abbreviations as written, generic
concepts, a word's sense (disguised compliance is not training compliance), the cache's
compact columns and the candidate search's bounded blocks."""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from search.recur import (
    CHECK_MIN_SCORE,
    DEFAULT_THRESHOLD,
    load_concepts,
    load_items,
    normalise,
    pair_scores,
    store_concepts,
    tokens,
)
from search.recur.cache import code_values, decode_values
from search.recur.scoring import JoinedStrings, nearest_candidates, prepare


def test_spellings_and_ize_are_read_alike(store):
    c = store_concepts(store)
    assert tokens("Practitioners focussed on the adults", c) == tokens("Practitioners focused on the adults", c)
    assert tokens("Prioritize the paediatric assessment", c) == tokens("Prioritise the pediatric assessment", c)
    # a word that only looks like -ize is left alone
    assert tokens("The size of the caseload", c)[:2] == ["size", "caseload"]


def test_a_superlative_in_one_word_reads_as_in_two(store):
    c = store_concepts(store)
    assert tokens("Bruising was the commonest injury", c) == tokens("Bruising was the most common injury", c)
    # a word ending as a superlative does not is left alone
    assert tokens("An interest in the request", c)[:2] == ["interest", "request"]


def test_a_baby_not_yet_mobile_is_one_point_in_other_words(store):
    c = store_concepts(store)
    label = "non-mobile"
    for text in ("a bruise on a baby who is not yet crawling", "an infant with no independent mobility",
                 "a baby who cannot move independently", "a non-mobile baby"):
        assert label in normalise(text, c), text
    assert label not in normalise("a child who is crawling and walking", c)


def test_a_spellings_table_in_a_users_file_is_read(tmp_path):
    extra = tmp_path / "mine.toml"
    extra.write_text('[spellings]\nbabys = "babies"\n', encoding="utf-8")
    c = load_concepts(extra_files=[extra])
    assert tokens("babys at risk", c) == tokens("babies at risk", c)


def test_a_theme_abbreviation_counts_only_as_written(store):
    c = store_concepts(store)
    prevent = [t for t in c.abbreviations if t == "Prevent"]
    assert prevent, "the bundled taxonomy lists Prevent as an abbreviation"
    label = c.labels[c.abbreviations["Prevent"]]
    assert label in normalise("Embed Prevent training for school staff", c)
    assert label not in normalise("Early help prevents problems becoming entrenched", c)


def test_disguised_compliance_is_not_training_compliance(store):
    c = store_concepts(store)
    assert "disguised compliance" in normalise("Parents' disguised compliance delayed intervention", c)
    assert "compliance" not in normalise("Parents' disguised compliance delayed intervention", c)
    assert "compliance" in normalise("Improve the training compliance of GP staff", c)
    pair = [("Disguised compliance by a stepfather meant the school nurse lowered her concern.",
             "Raise the school nurses' compliance with mandatory level three training.")]
    assert pair_scores(pair, concepts=c)[0]["score"] < DEFAULT_THRESHOLD


def test_a_theme_and_generic_concepts_alone_never_reach_the_threshold(store):
    c = store_concepts(store)
    assert any(label == "staff" for tok, label in c.labels.items() if tok in c.generic)
    a, b = "Practitioners noted disguised compliance.", "Practitioners queried disguised compliance."
    themes = [(["professional-curiosity"], ["professional-curiosity"])]
    assert pair_scores([(a, b)], concepts=c, themes=themes)[0]["score"] < DEFAULT_THRESHOLD
    # were "practitioners" not generic, the two would pass the threshold
    assert pair_scores([(a, b)], concepts=replace(c, generic=frozenset()), themes=themes)[0]["score"] >= DEFAULT_THRESHOLD
    # two items saying the same thing still link
    same = ("Disguised compliance by a father led the health visitor to postpone the referral.",
            "The health visitor postponed the referral, accepting the father's disguised compliance.")
    assert pair_scores([same], concepts=c, themes=themes)[0]["score"] >= DEFAULT_THRESHOLD


def test_coded_cache_columns_read_back_as_written():
    for values in ([], ["d1", "d1", "d2", None], [2019, None, 2019, 2021], [["a", "b"], [], ["a", "b"], None]):
        assert decode_values(code_values(values)) == values
    strings = ["a b", "", "\x01c:staff fathers", "é"]
    joined = JoinedStrings.of(strings)
    assert list(joined) == strings and len(joined) == 4 and joined[-1] == "é"
    assert list(joined + ["extra"]) == [*strings, "extra"]
    assert JoinedStrings(joined.joined().encode("utf-8")) == strings
    for few in ([], [""], ["", ""], ["x", ""]):  # an item without concepts is an empty string, still one
        assert list(JoinedStrings.of(few)) == few and len(JoinedStrings.of(few)) == len(few)


def test_candidate_blocks_cut_small_find_the_same_pairs(store, monkeypatch):
    import search.recur.scoring as scoring
    from search.recur import load_items

    p = prepare(load_items(store), store_concepts(store))
    a, b = nearest_candidates(p)
    assert len(a) and np.all(a < b)
    monkeypatch.setattr(scoring, "BLOCK_PRODUCTS", 50)  # nearly a block per row
    a2, b2 = nearest_candidates(p)
    assert a.tolist() == a2.tolist() and b.tolist() == b2.tolist()
    monkeypatch.setattr(scoring, "RARE_MAX", 2)  # only the rarest concepts propose: fewer candidates, never more
    a3, b3 = nearest_candidates(p)
    assert len(a3) <= len(a)


def test_pairs_scored_in_blocks_and_reasons_from_the_slimmed_items_are_the_same(store, monkeypatch):
    import search.recur.scoring as scoring
    from search.recur import load_items
    from search.recur.scoring import scores_and_evidence, why

    p = prepare(load_items(store), store_concepts(store))
    p.rows.strings = JoinedStrings.of(p.rows.strings)  # as the cache gives them
    a, b = nearest_candidates(p)
    scores, beyond = scores_and_evidence(p, a, b)
    monkeypatch.setattr(scoring, "SCORE_BLOCK", 7)  # many blocks, the strings split once for all
    scores2, beyond2 = scores_and_evidence(p, a, b)
    assert scores.tolist() == scores2.tolist() and beyond.tolist() == beyond2.tolist()
    assert scores.max() >= DEFAULT_THRESHOLD
    slim = p.for_reasons()
    assert slim.x is None and not len(slim.rows.strings)  # the matrices and strings are let go
    for n in range(0, len(a), max(1, len(a) // 50)):
        assert why(slim, int(a[n]), int(b[n])) == why(p, int(a[n]), int(b[n]))


def test_joined_strings_split_whole_and_cached_ids_stay_joined(store, tmp_path, monkeypatch):
    from search.recur.cache import index_tokens

    strings = ["a b", "", "é c"]
    joined = JoinedStrings.of(strings) + ["extra"]
    assert joined.split() == [*strings, "extra"] and joined.pick([3, 0]) == ["extra", "a b"]
    monkeypatch.setenv("SGSEARCH_CACHE", str(tmp_path))
    first = index_tokens(store, store_concepts(store))[0]
    again = index_tokens(store, store_concepts(store))[0]  # read back from the cache
    ids = again.column("item_id")
    assert isinstance(ids, JoinedStrings) and list(ids) == list(first.column("item_id")) and len(ids) > 100
    assert again[5]["item_id"] == first[5]["item_id"] and list(again.take([3, 1])) == [first[3], first[1]]


def test_rows_made_in_one_pass_over_tokens_made_as_read(store):
    from search.recur import load_items
    from search.recur.scoring import concept_rows, item_subject

    items = load_items(store)
    c = store_concepts(store)
    toks = [tokens(item_subject(it["text"]), c) for it in items]
    whole = concept_rows(items, toks)
    streamed = concept_rows(iter(items), (t for t in toks), words=(len(it["text"].split()) for it in items))
    assert streamed.strings == whole.strings == [" ".join(t) for t in toks] and streamed.sizes == whole.sizes
    assert streamed.vocab == whole.vocab and streamed.indices.dtype == np.int32 and streamed.indptr.dtype == np.int64
    assert streamed.indptr.tolist() == whole.indptr.tolist() and streamed.indices.tolist() == whole.indices.tolist()
    assert any(whole.sizes) and not all(whole.sizes)  # statements and headings both present


def test_a_word_and_its_inflections_read_alike(store):
    c = store_concepts(store)
    # a stem that drops a final "s" would read "focus" and "focusing" apart
    assert tokens("Focus on the outcomes", c) == tokens("Focusing on the outcomes", c)
    assert tokens("Delay in the referral", c) == tokens("Delaying the referral", c)


def test_the_thesaurus_groups_are_concepts_beside_the_words():
    from search.vocab.thesaurus import Thesaurus

    t = Thesaurus()
    t.add({"synonyms": [["kinship care", "family and friends care"]],
           "abbreviations": {"FGC": "family group conference"}})
    c = load_concepts(thesaurus=t)
    kinship, friends = tokens("Assess kinship care early", c), tokens("Assess family and friends care early", c)
    shared = set(kinship) & set(friends)
    assert any(c.labels.get(tok) == "kinship care" for tok in shared)
    assert "kinship" in [w for w in kinship if not w.startswith("\x01")]  # the words still count
    # an abbreviation counts as written only
    conference = set(tokens("Offer a family group conference", c))
    assert conference & set(tokens("Offer an FGC", c)) - set(tokens("Offer", c))
    assert not conference & set(tokens("offer an fgc", c)) - set(tokens("Offer", c))
    pair = [("Offer every family a family group conference before proceedings.",
             "Every family is offered an FGC before proceedings start.")]
    assert pair_scores(pair, concepts=c)[0]["score"] > pair_scores(pair, concepts=load_concepts(thesaurus=Thesaurus()))[0]["score"]


def test_an_index_reads_the_bundled_thesaurus_as_concepts(store):
    c = store_concepts(store)
    visitor = set(tokens("The health visitor saw the baby at home", c))
    visiting = set(tokens("Health visiting saw the baby at home", c))
    assert any(c.labels.get(tok) == "health visitor" for tok in visitor & visiting)
    # the bodies that write reports stay one token, whichever name the thesaurus gives them
    assert tokens("The CCG will audit GP records", c) == tokens("We will audit GP records", c)


def test_a_findings_comparison_reads_alike_either_way(store):
    c = store_concepts(store)
    a = "Children in care are at greater risk of exploitation than other children."
    b = "Looked after children are more likely than their peers to be exploited."
    assert "more likely" in normalise(a, c) and "more likely" in normalise(b, c)
    score = pair_scores([(a, b)], concepts=c)[0]
    assert "more likely" in score["why"] and score["score"] >= CHECK_MIN_SCORE  # --check lists it


def test_caregivers_and_attention_are_concepts(store):
    c = store_concepts(store)
    for text in ("Practitioners kept their attention on the caregivers, not the baby.",
                 "Workers focused on the parents instead of the baby."):
        assert {"attention", "caregivers"} <= set(normalise(text, c))


def test_a_thesaurus_form_of_a_theme_says_the_theme(store):
    c = store_concepts(store)
    # the taxonomy lists the singular; the thesaurus's plural says the same theme
    label = c.labels[c.theme_of["looked after child"]]
    assert label in normalise("Looked after children are more likely to be exploited", c)


def test_the_thesaurus_widens_no_concept_of_the_data_file(store):
    c = store_concepts(store)
    # the thesaurus reads "pregnancy" as "unborn baby" (right for finding more); recurrence
    # keeps its own pre-birth set, so a termination pathway is not a pre-birth item
    assert "pre-birth" in normalise("Revise the unborn baby protocol", c)
    assert "pre-birth" not in normalise("Develop a termination of pregnancy pathway", c)


def test_a_point_of_practice_said_in_other_words_is_one_concept(store):
    c = store_concepts(store)
    a = "Practitioners took the parents' account at face value."
    b = "Workers believed the parents without checking what they said."
    assert "face value" in normalise(a, c) and "face value" in normalise(b, c)
    # a point a theme holds says more than the theme: sharing it is not sharing the theme alone
    assert not c.theme_only(set(tokens(a, c)) & set(tokens(b, c)))
    # the theme's own name shared, and nothing else, is the theme alone
    assert c.theme_only(set(tokens("Promote professional curiosity in training", c))
                        & set(tokens("Professional curiosity was lacking", c)))


def test_findings_comparing_different_harms_are_not_the_same(store):
    c = store_concepts(store)
    abused = "Disabled children are more likely to be abused than their peers."
    bullied = "Disabled children are more likely to be bullied at school than their peers."
    same = "Disabled children are at greater risk of abuse than other children."
    different, alike = pair_scores([(abused, bullied), (abused, same)], concepts=c)
    assert different["score"] <= CHECK_MIN_SCORE < DEFAULT_THRESHOLD  # a likeness at most, never made before
    assert alike["score"] >= DEFAULT_THRESHOLD
    # what a comparison compares is agreed, never shown as a concept
    assert all(not w.startswith("\x01") for w in normalise(abused, c))


def test_the_child_at_the_centre_is_child_centred_and_translating_is_an_interpreters_work(store):
    c = store_concepts(store)
    for said in ("Every plan puts children at the centre", "Plans must be centred on the child",
                 "Put children at the heart of every plan"):
        assert "child-centred" in normalise(said, c), said
    assert "interpreter" in normalise("A neighbour was asked to translate for the mother", c)
    same, other = pair_scores([("Each plan puts children at the centre.", "Plans should be child-centred."),
                               ("Each plan puts children at the centre.", "The centre opened in the spring.")],
                              concepts=c)
    assert same["score"] > other["score"] and "child-centred" in same["why"]


def test_the_people_a_point_is_about_are_not_the_point(store):
    # the same people, two points: a likeness; including fathers, said of the extended family too, is the same point
    c = store_concepts(store)
    wider = next(tok for tok, label in c.labels.items() if label == "wider family")
    assert wider not in c.points and "wider family" in normalise("Grandparents were not asked about the home", c)
    background = [i["text"] for i in load_items(store)]
    pairs = [("Practitioners did not ask whether relatives in the wider family posed a risk to the baby.",
              "Grandparents and other relatives were offered family group conferences to plan care for the children."),
             ("Fathers and male carers could be better included in the help offered.",
              "Fathers, male carers and the extended family should be included better in assessments.")]
    apart, same = (s["score"] for s in pair_scores(pairs, background, concepts=c))
    assert apart < DEFAULT_THRESHOLD <= same
    # were the wider family a point, the two points about relatives would pass the threshold
    as_point = replace(c, points=c.points | {wider})
    assert pair_scores(pairs[:1], background, concepts=as_point)[0]["score"] >= DEFAULT_THRESHOLD
