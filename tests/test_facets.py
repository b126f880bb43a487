"""search.facets: facet counts of a search and its pages; search without snippets."""
from __future__ import annotations

from collections import Counter

from search.facets import facet_counts, facets, search_with_facets, sections_per_year
from search.query import search
from search.trace import theme_table


def test_search_without_snippets_finds_the_same_sections_in_the_same_order(store):
    full = search(store, "training", limit=500)
    bare = search(store, "training", limit=500, snippets=False)
    assert [h.section["section_id"] for h in bare.hits] == [h.section["section_id"] for h in full.hits]
    assert bare.total == full.total and all(h.snippet == "" for h in bare.hits)
    assert any(h.snippet for h in full.hits)


def test_facet_counts_add_up_and_filter_to_their_counts(store):
    res, facets = search_with_facets(store, "training")
    assert sum(f["count"] for f in facets["year"]) == res.total
    assert sum(f["count"] for f in facets["doc_type"]) == res.total == facets["counted"]
    for key, option in (("year", "year"), ("doc_type", "doc_type"), ("theme", "theme"), ("publisher", "publisher")):
        f = facets[key][0]
        assert search(store, "training", limit=1, **{option: f["value"]}).total == f["count"], key
    labels = {t.id: t.label for t in store.taxonomy().themes.values()}
    assert facets["theme"][0]["label"] == labels[facets["theme"][0]["value"]]
    assert facet_counts([]) == {"year": [], "theme": [], "doc_type": [], "publisher": []}


def test_first_page_is_the_cli_answer_and_pages_repeat_nothing(store):
    res, _ = search_with_facets(store, "training", page=1, per_page=10)
    cli = search(store, "training", limit=10)
    assert [h.section["section_id"] for h in res.hits] == [h.section["section_id"] for h in cli.hits]
    seen = []
    for page in range(1, (res.total + 9) // 10 + 1):
        hits = search_with_facets(store, "training", page=page, per_page=10)[0].hits
        assert [h.rank for h in hits] == list(range((page - 1) * 10 + 1, (page - 1) * 10 + 1 + len(hits)))
        assert all(h.snippet for h in hits)
        seen += [h.section["section_id"] for h in hits]
    assert len(seen) == len(set(seen)) == res.total


def test_sections_per_year_bounds_every_theme_count(store):
    totals = sections_per_year(theme_table(store))
    table = theme_table(store)
    assert set(totals) == set(table["years"])
    for t in table["themes"]:
        assert all(t["counts"][y] <= totals[y] for y in table["years"])
    assert sum(totals.values()) == len(store.records("section"))


def test_past_the_page_limit_the_engine_still_counts_every_match(store, monkeypatch):
    monkeypatch.setattr("search.facets.FACET_LIMIT", 15)
    res, facets = search_with_facets(store, "training")
    assert res.total > 15 and facets["counted"] == res.total
    assert sum(f["count"] for f in facets["year"]) == res.total
    assert sum(f["count"] for f in facets["doc_type"]) == res.total
    assert len(res.hits) == 10


def test_engine_facets_equal_the_counts_of_every_hit(store):
    for query, options in (("training", {}), ("neglect", {"theme": "domestic-abuse"}), ("safeguarding", {"year": "2021-22"})):
        res, facets = search_with_facets(store, query, **options)
        every = search(store, query, limit=10_000, snippets=False, **options).hits
        assert len(every) == res.total
        labels = {t.id: t.label for t in store.taxonomy().themes.values()}
        assert {k: v for k, v in facets.items() if k != "counted"} == facet_counts(every, labels), query


def test_the_web_page_counts_facets_without_reading_stored_sections(store, monkeypatch):
    from search.index.backends import Found

    res = search(store, "training", limit=10)
    read = []
    original = Found.fields.fget
    monkeypatch.setattr(Found, "fields", property(lambda self: read.append(self.id) or original(self)))
    search_with_facets(store, "training", per_page=10)
    assert res.total > 10 and len(set(read)) <= 10  # the page's own hits only


def test_facets_alone_rank_nothing_and_count_what_the_page_counts(store):
    for query, options in (("training", {}), ("pre-birth", {"year": "2020-21"}), ("neglect", {"doc_type": "review"}),
                           ("safeguarding -training", {"theme": ["early-help"]}), ("kestrelmoor", {})):
        res, page = search_with_facets(store, query, **options)
        alone = facets(store, query, sort="year", **options)
        assert alone == {"query": query, "total": res.total, "facets": page}, (query, options)
        bare = search(store, query, limit=0, **options)
        assert bare.hits == [] and bare.total == res.total and bare.years == res.years


def test_facets_count_the_matches_without_counting_every_word_apart(store):
    ranked = search(store, "children chronology", limit=5)
    assert ranked.total > ranked.every_word  # some matches hold only some of the words
    counted = search(store, "children chronology", limit=0)
    assert counted.hits == [] and counted.total == ranked.total
    assert counted.every_word == counted.total  # limit=0 counts the matches, not every word apart
    assert facets(store, "children chronology")["total"] == ranked.total


def test_a_body_written_with_and_without_its_abbreviation_is_one_publisher(tmp_path):
    from ingest.pipeline import ingest
    from search.facets import one_name_per_body
    from search.index.store import Store

    body = "Rutland Safeguarding Children Board"
    said = "met six times this year. Training on neglect was given to staff across the county.\n"
    (tmp_path / "a.txt").write_text(f"{body} Annual Report 2016-17\n\nThe {body} (RSCB) {said}", encoding="utf-8")
    (tmp_path / "b.txt").write_text(f"{body} Annual Report 2017-18\n\nThe {body} {said}", encoding="utf-8")
    ingest([tmp_path / "a.txt", tmp_path / "b.txt"], tmp_path / "ix")
    store = Store(tmp_path / "ix")
    assert {d["publisher"] for d in store.records("doc")} == {body, f"{body} (RSCB)"}  # as each report writes it
    _res, counted = search_with_facets(store, "training")
    assert counted["publisher"] == [{"value": body, "label": body, "count": 2}]
    assert search(store, "training", publisher=body).total == 2  # the entry's filter finds both
    store.close()
    alone = Counter({"NHS Westshire Clinical Commissioning Group (CCG)": 3, "Ofsted": 1})
    # written one way only: named as every output names it, without the abbreviation
    assert one_name_per_body(alone) == Counter({"NHS Westshire Clinical Commissioning Group": 3, "Ofsted": 1})
