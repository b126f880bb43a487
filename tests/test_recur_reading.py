"""How recurrence reads an item: the point, not where it was made or its examples; "young
people" alone means adolescents; a heading naming a subject is listed, never made before."""
from __future__ import annotations

from ingest.metadata import fy_label
from search.index.records import item_to_fields
from search.index.store import Store
from search.recur import CHECK_MIN_SCORE, DEFAULT_THRESHOLD, check, normalise, pair_scores, store_concepts

POINT = "Professionals do not always recognise the signs of neglect in older children"


def test_an_attribution_and_examples_are_not_the_point(store):
    said_again = ("However, as highlighted in the thematic review 'Harm Nobody Saw' by the national panel, "
                  "professionals do not always recognise the signs of neglect in older children, e.g. poor "
                  "school attendance, missed dental appointments and untreated head lice.")
    score = pair_scores([(POINT, said_again)], concepts=store_concepts(store))[0]
    assert score["score"] >= 90, score
    assert not {"school", "dental", "thematic", "panel"} & set(score["why"]), score


def test_young_people_alone_means_adolescents_not_every_child():
    assert "adolescents" in normalise("Safeguarding teenagers at risk of serious youth violence")
    assert "adolescents" in normalise("Safeguarding young people")
    assert "adolescents" not in normalise("Children and young people are heard in every assessment")


def _index(tmp_path, store, texts):
    ix = Store(tmp_path / "ix")
    with ix.locked(), ix.writer(fresh=True, taxonomy=store.taxonomy()) as (w, _manifest):
        for n, (year, text) in enumerate(texts):
            item = {"item_id": f"r{year}:1.{n}", "section_id": f"r{year}:1", "doc_id": f"r{year}", "ordinal": n,
                    "kind": "priority", "text": text, "status": None, "themes": [], "year": fy_label(year),
                    "year_start": year}
            w.add(item_to_fields(item, {"title": f"Report {year}", "doc_type": "annual-report"}))
    return ix


def test_a_heading_naming_the_subject_is_listed_but_never_made_before(store, tmp_path):
    ix = _index(tmp_path, store, [(2018, "Safeguarding Young People"), (2018, "Independent Chair"),
                                  (2019, "Joint training on domestic abuse for staff in GP practices")])
    found = check(ix, "Safeguarding teenagers: serious youth violence and exploitation")
    heading = [m for m in found if m["text"] == "Safeguarding Young People"]
    assert heading and CHECK_MIN_SCORE <= heading[0]["score"] < DEFAULT_THRESHOLD, found
    # a heading sharing only a plain word with the text ("chair") is not a match at all
    assert not [m for m in check(ix, "Buy ergonomic chairs for the meeting room") if m["text"] == "Independent Chair"]


def test_examples_inside_the_point_are_kept(store):
    # "for example" early in the sentence names who the point is about: cutting there would leave nothing
    a = "Carers, for example grandparents, who could have looked after the child were not contacted by staff"
    b = "Grandparents and other carers who could have looked after the child were not contacted by staff"
    assert pair_scores([(a, b)], concepts=store_concepts(store))[0]["score"] >= DEFAULT_THRESHOLD


def test_the_summary_has_the_same_groups_with_first_and_last_items_whole(corpus_index):
    from search.recur import recur

    store = Store(corpus_index)
    full, summary = recur(store), recur(store, detail=False)
    assert full and [[i["item_id"] for i in c["items"]] for c in summary] == \
        [[i["item_id"] for i in c["items"]] for c in full]
    for f, s in zip(full, summary):
        assert (s["first_seen"], s["last_seen"], s["kinds"], s["statuses"], s["why"], s["score"]) == \
            (f["first_seen"], f["last_seen"], f["kinds"], f["statuses"], f["why"], f["score"])
        assert s["items"][0]["text"] == f["items"][0]["text"] and s["items"][-1]["text"] == f["items"][-1]["text"]
