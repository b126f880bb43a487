"""What an item says, not where or when it was said: the areas that publish the reports and
the dates and shares an item cites are never concepts; --check lists matches from its fitted floor,
and below it the nearest items that share more than a theme."""
from __future__ import annotations

from search.recur import (
    CHECK_MIN_SCORE,
    CHECK_NEAR_FLOOR,
    CHECK_NEAREST,
    DEFAULT_THRESHOLD,
    check_many,
    load_concepts,
    normalise,
    pair_scores,
    publisher_places,
    store_concepts,
    tokens,
    verdict,
)


def test_publishers_name_the_areas_they_serve():
    names = ["Redbridge LSCB", "Kirkby Safeguarding Children Partnership", "Ashford & Wye Local Safeguarding Children Board",
             "Department for Education", "NSPCC", None, "", "Child Safeguarding Practice Review Panel",
             "London Borough of Hartmoor", "Fenwick County Council"]
    assert publisher_places(names) == ("Ashford", "Fenwick", "Kirkby", "London", "Redbridge", "Wye")


def test_an_area_is_where_an_item_comes_from_not_what_it_says():
    c = load_concepts(places=["Redbridge", "Ashford"])
    assert "redbridg" not in tokens("Redbridge's children at risk of neglect are seen sooner", c)
    assert normalise("Redbridge's children at risk of neglect are seen sooner", c) == \
        normalise("Ashford's children at risk of neglect are seen sooner", c)
    # two items from one area sharing nothing else are not alike; without the area they read the same
    pair = [("Redbridge will audit its strategy meetings.", "Redbridge will publish a new fathers toolkit.")]
    assert pair_scores(pair, concepts=c)[0]["score"] < pair_scores(pair, concepts=load_concepts())[0]["score"]
    # a word a concept or a theme uses is never taken for a place
    assert "audit" in normalise("Audit the strategy meetings", load_concepts(places=["Audit"]))


def test_dates_and_shares_cited_are_not_concepts():
    c = load_concepts()
    said = normalise("Publish the neglect strategy by March 2026, as agreed on the 31st January, for 60 per cent", c)
    assert not {"march", "januari", "2026", "31st", "per", "cent"} & set(said), said
    assert "publish" in said and "strategi" in said


def test_the_index_publishers_areas_are_read_with_its_concepts(store):
    publishers = [d.get("publisher") for d in store.records("doc")]
    c = store_concepts(store)
    assert c.places == {p for a in publisher_places(publishers) for p in load_concepts(places=[a]).places}


def test_check_lists_from_below_the_threshold():
    assert 30 <= CHECK_MIN_SCORE < DEFAULT_THRESHOLD
    assert 15 <= CHECK_NEAR_FLOOR < CHECK_MIN_SCORE and CHECK_NEAREST >= 1


_BACKGROUND = ["Publish the annual report of the partnership by September.",
               "Train school staff on online safety and sharing images.",
               "Audit the quality of strategy discussions with the police.",
               "Review the thresholds document with schools and health visitors."]


def _items(texts: list[str]) -> list[dict]:
    return [{"item_id": f"d{n}:1.1", "doc_id": f"d{n}", "text": t, "themes": [], "year_start": 2019,
             "kind": "recommendation"} for n, t in enumerate(texts)]


def test_check_lists_the_nearest_items_sharing_a_point_below_its_floor(store):
    # one point in other words: it shares a point of practice and scores low, yet it is the nearest item
    earlier = "The lack of curiosity about who lived in the household left risks to the baby unseen."
    text = "Practitioners should find out which adults are around the child and what part they play in family life."
    near = check_many(store, [text], items=_items([earlier, *_BACKGROUND]))[0]
    assert [m["item_id"] for m in near["matches"]] == ["d0:1.1"], near
    assert CHECK_NEAR_FLOOR <= near["matches"][0]["score"] < CHECK_MIN_SCORE
    assert "adults in the household" in near["matches"][0]["why"]
    assert near["matches"][0]["nearest"] is True
    assert verdict(near) == "new"  # the nearest item is listed for a person to judge; it is no match
    # a match from the floor up makes the text similar; the nearest items beside it stay marked
    mixed = {"matches": [{"score": CHECK_MIN_SCORE}, {"score": CHECK_NEAR_FLOOR, "nearest": True}]}
    assert verdict(mixed) == "similar"
    # from the floor alone, nothing is listed: the nearest items are what was added
    assert check_many(store, [text], items=_items([earlier, *_BACKGROUND]), nearest=0)[0]["matches"] == []
    # never more than CHECK_NEAREST of them, and none sharing nothing the text says
    many = check_many(store, [text], items=_items([earlier] * (CHECK_NEAREST + 3) + _BACKGROUND * 10), limit=20)[0]
    assert len(many["matches"]) == CHECK_NEAREST
    assert all(m["item_id"].startswith(tuple(f"d{n}:" for n in range(CHECK_NEAREST + 3))) for m in many["matches"])


def test_the_nearest_item_is_listed_when_a_point_in_other_words_scores_low(store):
    # a point said again in other words shares a word and a concept with the text and little else: its
    # score is low however near it is, yet it is the nearest earlier item, and listed for a person to judge
    earlier = "Handover between the midwife and the health visitor was a phone message, and the family history it carried was thin."
    text = "Midwives should pass a written summary of what is known about the family to the health visitor before the first home visit."
    near = check_many(store, [text], items=_items([earlier, *_BACKGROUND]))[0]
    assert [m["item_id"] for m in near["matches"]] == ["d0:1.1"], near
    m = near["matches"][0]
    assert m["nearest"] is True and CHECK_NEAR_FLOOR <= m["score"] < 20
    assert verdict(near) == "new"


def test_a_point_of_a_list_is_read_with_the_concepts_its_heading_names():
    from search.recur.scoring import item_tokens

    c = load_concepts()
    point = {"text": "poor information sharing between services", "heading": "Unseen men: fathers and male carers"}
    fathers = [t for t in tokens("fathers and male carers", c) if t.startswith("\x01")]
    assert fathers and set(fathers) <= set(item_tokens(point, c))
    # a heading naming only the kind of item adds nothing; a whole sentence keeps to its own words
    assert item_tokens({"text": "Neglect", "heading": "Board priorities"}, c) == tokens("Neglect", c)
    sentence = {"text": "Share information between services whenever a child protection plan is made for a baby",
                "heading": "Unseen men: fathers and male carers"}
    assert not set(fathers) & set(item_tokens(sentence, c))


def test_an_area_is_never_a_word_the_vocabulary_uses():
    c = load_concepts(places=["Education", "Fathers Hill", "Redbridge"])
    assert c.places == {"redbridge"}


def test_a_short_item_is_read_whole_a_long_one_by_its_first_sentence():
    from search.recur.scoring import SHORT_ITEM_WORDS, item_subject

    short = "Health visitors should see the baby at home. Transfers between teams need a handover meeting."
    assert len(short.split()) <= SHORT_ITEM_WORDS and item_subject(short) == short
    long = short + " " + " ".join(["The audit of forty cases showed that records were kept well overall."] * 3)
    assert item_subject(long) == "Health visitors should see the baby at home."
    # a point said second in a short item is compared; in a long one it is commentary
    probe = "Every transfer between teams needs a handover meeting."
    short_score, long_score = pair_scores([(short, probe), (long, probe)])
    assert "handover" in short_score["why"] and short_score["score"] > 0
    assert long_score["score"] == 0


def test_a_short_text_is_not_matched_by_someone_elses_point(store):
    # whose point it is: a short text naming nobody is about the child; an item holding its words as a
    # parent's or a father's is about someone else, a likeness at most; naming the same people still matches
    earlier = ["Young people described anxiety and low mood that went unnoticed at school.",
               "Parental anxiety and low mood left the household without routine.",
               "Fathers' anxiety and low mood were not asked about by health visitors."]
    items = _items(earlier + _BACKGROUND)

    def scores(text: str) -> dict[str, float]:
        return {m["item_id"]: m["score"] for m in check_many(store, [text], items=items, nearest=0)[0]["matches"]}

    childs = scores("anxiety, low mood")
    assert childs["d0:1.1"] >= DEFAULT_THRESHOLD  # the young people's own: made before
    assert childs["d1:1.1"] <= CHECK_MIN_SCORE and childs["d2:1.1"] <= CHECK_MIN_SCORE  # a parent's, a father's
    assert max(childs, key=childs.get) == "d0:1.1"
    parents = scores("parental anxiety, mood")  # a parent's point: the parent's item, not the child's or a father's
    assert parents["d1:1.1"] >= DEFAULT_THRESHOLD
    assert all(s <= CHECK_MIN_SCORE for i, s in parents.items() if i != "d1:1.1")
    fathers = scores("a father's anxiety")
    assert fathers["d2:1.1"] >= DEFAULT_THRESHOLD
    assert all(s <= CHECK_MIN_SCORE for i, s in fathers.items() if i != "d2:1.1")
