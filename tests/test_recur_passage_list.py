"""Passages listed as ingest writes them: ``recur --check`` after an ingest reads the list and
never every section, tokenises only what the ingest added, drops a removed or rewritten
document's passages, and still reads an index written before passages were listed."""
from __future__ import annotations

import pytest

import search.recur.cache as cache_module
from ingest.document import parse_file
from ingest.items import document_candidates
from ingest.passages import passage_floor
from ingest.pipeline import ingest
from search.index.passagelist import LIST_COVERS, LIST_FILE
from search.index.store import Store
from search.recur import check_many, load_items, made_before, store_concepts
from search.recur.passages import index_passages, passage

# points said in passing in a paragraph about the partnership, each scored between the floor and the item bar
FIRST = "School nursing teams rarely used the neglect toolkit on home visits to families with younger children."
SECOND = "Police officers seldom shared information about domestic abuse incidents with schools the next morning."
FIRST_LATER = "School nurses should use the neglect toolkit on home visits to families with younger children."
SECOND_LATER = "The police should share information about domestic abuse incidents with schools the next morning."


def _report(place: str, year: int, point: str) -> str:
    return f"""# {place} Safeguarding Partnership Annual Report {year}-{(year + 1) % 100:02d}

Published: June {year + 1}

## About the partnership

The partnership brings together the council, the police and health services. It met six times this year
and its chair is independent. {point} The board received twelve reports during the year.

## Our year

Training was delivered to 400 staff. A new website was launched in May and the newsletter went to 900 readers.
"""


@pytest.fixture
def reports(tmp_path, monkeypatch):
    """A folder holding the first report; the second is written by :func:`_add_second`."""
    monkeypatch.setenv("SGSEARCH_CACHE", str(tmp_path / "cache"))
    src = tmp_path / "in"
    src.mkdir()
    (src / "ashby-2016-17.md").write_text(_report("Ashby", 2016, FIRST), encoding="utf-8")
    return src


def _add_second(src) -> None:
    (src / "brockley-2018-19.md").write_text(_report("Brockley", 2018, SECOND), encoding="utf-8")


def _sections_read(monkeypatch) -> list[str]:
    """The kinds of record the store is asked to iterate over from now on."""
    kinds: list[str] = []
    real = Store.iter_records

    def counted(self, kind, *a, **k):
        kinds.append(kind)
        return real(self, kind, *a, **k)

    monkeypatch.setattr(Store, "iter_records", counted)
    return kinds


def _tokenised(monkeypatch) -> list[str]:
    """The texts recurrence tokenises from now on."""
    read: list[str] = []
    real = cache_module.item_tokens
    monkeypatch.setattr(cache_module, "item_tokens", lambda it, *a, **k: read.append(it["text"]) or real(it, *a, **k))
    return read


def _said(store: Store) -> dict[str, str]:
    """The index's passages: {id: text}."""
    return {pid: passage(store, pid)["text"] for pid in index_passages(store, store_concepts(store)).ids}


def _listed(result: dict) -> list[tuple[str, str, float]]:
    return [(m["item_id"], m["text"], m["score"]) for m in result["matches"] if m.get("passage")]


def test_both_points_are_passages(reports):
    # what the other tests rest on: if the item model ever keeps one as an item, write another one
    _add_second(reports)
    for name, point in (("ashby-2016-17.md", FIRST), ("brockley-2018-19.md", SECOND)):
        doc = parse_file(reports / name)
        [p] = [c.p for _, cs in document_candidates(doc.sections) for c in cs if c.text == point]
        assert passage_floor() <= p
    index = reports.parent / "ix"
    assert ingest([reports], index).ok
    store = Store(index)
    try:
        assert not any(point in it["text"] for it in load_items(store) for point in (FIRST, SECOND))
    finally:
        store.close()


def test_after_adding_a_report_check_reads_no_section_and_tokenises_only_its_passages(reports, tmp_path, monkeypatch):
    index = tmp_path / "ix"
    assert ingest([reports], index).ok
    store = Store(index)
    try:
        before = check_many(store, [FIRST_LATER])  # the per-user cache a user has before adding a report
        assert [t for _, t, _ in _listed(before[0])] == [FIRST]
    finally:
        store.close()
    _add_second(reports)
    assert ingest([reports], index).ok
    new = {pid: t for pid, t in _said(Store(index)).items() if pid.startswith("brockley")}
    assert SECOND in new.values()
    kinds, read = _sections_read(monkeypatch), _tokenised(monkeypatch)
    store = Store(index)
    try:
        got = check_many(store, [FIRST_LATER, SECOND_LATER])
        assert "section" not in kinds
        assert set(read) <= set(new.values())  # the earlier report's passages carried over, the new ones stored by ingest
        assert [t for _, t, _ in _listed(got[0])] == [FIRST] and [t for _, t, _ in _listed(got[1])] == [SECOND]
        assert not any(made_before(r, threshold=0.0) for r in got)
    finally:
        store.close()
    # with an empty per-user cache, the passages come from what ingest stored: still no section read
    monkeypatch.setenv("SGSEARCH_CACHE", str(tmp_path / "empty"))
    store = Store(index)
    try:
        assert check_many(store, [FIRST_LATER, SECOND_LATER]) == got
        assert "section" not in kinds
    finally:
        store.close()
    # the same answer as an index of both reports written at once
    monkeypatch.setenv("SGSEARCH_CACHE", str(tmp_path / "whole-cache"))
    assert ingest([reports], tmp_path / "whole").ok
    whole = Store(tmp_path / "whole")
    try:
        assert check_many(whole, [FIRST_LATER, SECOND_LATER]) == got
    finally:
        whole.close()


def test_removing_or_rewriting_a_report_drops_its_passages_from_the_next_check(reports, tmp_path, monkeypatch):
    _add_second(reports)
    index = tmp_path / "ix"
    assert ingest([reports], index).ok
    store = Store(index)
    try:
        assert {FIRST, SECOND} <= set(_said(store).values())
    finally:
        store.close()
    (reports / "brockley-2018-19.md").unlink()
    report = ingest([reports], index)
    assert report.ok and report.removed
    store = Store(index)
    try:
        said = _said(store)
        assert SECOND not in said.values() and FIRST in said.values()
        assert not any(pid.startswith("brockley") for pid in said)
        assert _listed(check_many(store, [SECOND_LATER])[0]) == []
    finally:
        store.close()
    # rewritten (the removed report's point now in this one): its new point listed once, the old one no more
    (reports / "ashby-2016-17.md").write_text(_report("Ashby", 2016, SECOND), encoding="utf-8")
    assert ingest([reports], index).ok
    store = Store(index)
    try:
        texts = list(_said(store).values())
        assert SECOND in texts and FIRST not in texts and len(texts) == len(set(texts))
        assert [t for _, t, _ in _listed(check_many(store, [SECOND_LATER])[0])] == [SECOND]
    finally:
        store.close()


def _unlisted(index) -> None:
    """Make the index's live generation one written before passages were listed (its sections
    alone keep them)."""
    gen = Store(index).current_dir()
    for f in [gen / LIST_COVERS, *gen.glob(f"{LIST_FILE}-*.tsv")]:
        f.unlink()


def test_an_index_written_before_passages_were_listed_reads_its_sections_until_its_next_ingest(
        reports, tmp_path, monkeypatch):
    index = tmp_path / "ix"
    assert ingest([reports], index).ok
    store = Store(index)
    try:
        listed = _said(store)
        answer = check_many(store, [FIRST_LATER])
    finally:
        store.close()
    _unlisted(index)
    monkeypatch.setenv("SGSEARCH_CACHE", str(tmp_path / "old"))
    kinds = _sections_read(monkeypatch)
    store = Store(index)
    try:
        assert _said(store) == listed and "section" in kinds  # read from its sections, no error
        assert check_many(store, [FIRST_LATER]) == answer
    finally:
        store.close()
    # its next ingest lists the earlier report's passages too: no check reads a section after it
    _add_second(reports)
    assert ingest([reports], index).ok
    kinds.clear()
    for cache in ("old", "new"):
        monkeypatch.setenv("SGSEARCH_CACHE", str(tmp_path / cache))
        store = Store(index)
        try:
            said = _said(store)
            got = check_many(store, [FIRST_LATER, SECOND_LATER])
        finally:
            store.close()
        assert "section" not in kinds, cache
        assert {FIRST, SECOND} <= set(said.values()) and len(said) == len(set(said))
        assert [t for _, t, _ in _listed(got[0])] == [FIRST] and [t for _, t, _ in _listed(got[1])] == [SECOND]


def test_an_old_index_without_passages_is_checked_without_error(reports, tmp_path, monkeypatch):
    monkeypatch.setattr("ingest.pipeline.passage_floor", lambda: None)
    index = tmp_path / "ix"
    assert ingest([reports], index).ok
    assert (Store(index).current_dir() / LIST_COVERS).is_file()  # listed, though there are none
    _unlisted(index)
    store = Store(index)
    try:
        assert index_passages(store, store_concepts(store)).ids == []
        assert _listed(check_many(store, [FIRST_LATER])[0]) == []
    finally:
        store.close()
