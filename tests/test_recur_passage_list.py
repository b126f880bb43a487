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
from search.browse import DocNotFound, section
from search.index.passagelist import (
    LIST_COVERS,
    LIST_FILE,
    ListDamaged,
    listed,
    lists_passages,
    parse_passage_id,
    passage_id,
    section_passages,
)
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


def _sections_said(index) -> dict[str, str]:
    """The passages the index's sections keep: {id: text}, read from every section."""
    store = Store(index)
    try:
        return {pid: it["text"] for r in store.iter_records("section")
                for pid, it in section_passages(r.get("section_id") or r.get("id"), r.get("heading"),
                                                (r.get("cells") or {}).get("passages"))}
    finally:
        store.close()


def _checked_said(index) -> dict[str, str]:
    """The passages a check of the index reads: {id: text}."""
    store = Store(index)
    try:
        return _said(store)
    finally:
        store.close()


def _listed_said(index) -> dict[str, str] | None:
    """The passages the index's list names: {id: text}; None when it names none to read or is damaged."""
    try:
        found = listed(Store(index).current_dir())
        return None if found is None else {p.pid: p.item()["text"] for p in found}
    except ListDamaged:
        return None


@pytest.mark.parametrize("damage", ["truncated line", "ids not a pair", "text not JSON", "covers not names",
                                    "a listed file gone"])
def test_a_damaged_list_is_never_half_read_nor_a_traceback_the_sections_are_read_instead(
        reports, tmp_path, monkeypatch, damage):
    _add_second(reports)
    index = tmp_path / "ix"
    assert ingest([reports], index).ok
    whole = _sections_said(index)
    assert {FIRST, SECOND} <= set(whole.values()) and _listed_said(index) == whole
    gen = Store(index).current_dir()
    [tsv] = [p for p in gen.glob(f"{LIST_FILE}-*.tsv") if p.stat().st_size]
    lines = tsv.read_text(encoding="utf-8").splitlines(keepends=True)
    if damage == "truncated line":
        tsv.write_text("".join(lines)[:-len(lines[-1]) // 2], encoding="utf-8")
    elif damage == "ids not a pair":
        key, words, _, rest = lines[0].split("\t", 3)
        tsv.write_text("".join([f"{key}\t{words}\t5\t{rest}", *lines[1:]]), encoding="utf-8")
    elif damage == "text not JSON":
        key, words, ids, _ = lines[0].split("\t", 3)
        tsv.write_text("".join([f"{key}\t{words}\t{ids}\t[\"cut\n", *lines[1:]]), encoding="utf-8")
    elif damage == "covers not names":
        (gen / LIST_COVERS).write_text('{"%s": [["x"]]}' % tsv.name, encoding="utf-8")
    else:
        tsv.unlink()
    assert _listed_said(index) is None  # the list cannot be trusted as a whole
    store = Store(index)
    try:
        assert _said(store) == whole
        assert [t for _, t, _ in _listed(check_many(store, [SECOND_LATER])[0])] == [SECOND]
    finally:
        store.close()
    # the next ingest lists them all again from the sections when it can tell the list is damaged
    # without reading it all (a line damaged inside is read past by each check, from the sections)
    (reports / "brockley-2018-19.md").write_text(_report("Brockley", 2018, SECOND) + "\nMore.\n", encoding="utf-8")
    assert ingest([reports], index).ok
    now = _sections_said(index)
    if damage in ("truncated line", "covers not names", "a listed file gone"):
        assert _listed_said(index) == now
    assert _checked_said(index) == now


def test_an_ingest_that_fails_at_its_commit_leaves_the_list_naming_what_the_index_holds(
        reports, tmp_path, monkeypatch):
    index = tmp_path / "ix"
    assert ingest([reports], index).ok
    before = _sections_said(index)
    assert _listed_said(index) == before and FIRST in before.values()
    _add_second(reports)
    (reports / "ashby-2016-17.md").write_text(_report("Ashby", 2016, SECOND_LATER), encoding="utf-8")
    store = Store(index)
    w = store.backend().writer()
    engine = type(w)
    w.cancel()
    store.close()
    real = engine.commit

    def killed(self):
        raise KeyboardInterrupt  # as a user's Ctrl+C between the files beside the index and its commit

    monkeypatch.setattr(engine, "commit", killed)
    with pytest.raises(KeyboardInterrupt):
        ingest([reports], index)
    assert _sections_said(index) == before  # nothing committed
    assert _listed_said(index) in (None, before)  # never the passages of an index that was not committed
    assert _checked_said(index) == before
    monkeypatch.setattr(engine, "commit", real)
    assert ingest([reports], index).ok
    after = _sections_said(index)
    assert SECOND in after.values() and FIRST not in after.values()
    assert _listed_said(index) == after


@pytest.mark.parametrize("sid", ["ashby-2016-17:2", "a~b:3", "x"])
def test_a_passage_id_is_read_back_as_it_was_made(sid):
    for n in (1, 7, 12):
        assert parse_passage_id(passage_id(sid, n)) == (sid, n)


@pytest.mark.parametrize("pid", ["ashby-2016-17:2", "ashby-2016-17:2~", "~3", "ashby-2016-17:2~0",
                                 "ashby-2016-17:2~01", "ashby-2016-17:2~x", "ashby-2016-17:2~\u00b2",
                                 "ashby-2016-17:2~\u0663"])
def test_what_no_passage_id_looks_like_is_not_read_as_one(pid):
    assert parse_passage_id(pid) is None


def test_show_names_a_passage_number_in_other_digits_as_not_found_never_a_traceback(reports, tmp_path):
    index = tmp_path / "ix"
    assert ingest([reports], index).ok
    store = Store(index)
    try:
        [pid] = [p for p, t in _said(store).items() if t == FIRST]
        sid, n = parse_passage_id(pid)
        assert section(store, pid)["passage"]["text"] == FIRST
        for odd in ("\u00b2", "\u0663", f"0{n}"):  # a superscript two, an Arabic-Indic three, a leading zero
            with pytest.raises(DocNotFound):
                section(store, f"{sid}~{odd}")
        assert passage(store, f"{sid}~\u00b2")["text"] == ""
    finally:
        store.close()


def test_a_list_written_with_windows_line_ends_reads_the_same(reports, tmp_path):
    _add_second(reports)
    index = tmp_path / "ix"
    assert ingest([reports], index).ok
    whole = _listed_said(index)
    assert {FIRST, SECOND} <= set(whole.values())
    gen = Store(index).current_dir()
    for tsv in gen.glob(f"{LIST_FILE}-*.tsv"):
        tsv.write_bytes(tsv.read_bytes().replace(b"\n", b"\r\n"))  # as text mode writes them on Windows
    assert lists_passages(gen) and _listed_said(index) == whole


def test_a_list_file_its_record_does_not_name_goes_at_the_next_ingest(reports, tmp_path):
    index = tmp_path / "ix"
    assert ingest([reports], index).ok
    gen = Store(index).current_dir()
    [tsv] = [p for p in gen.glob(f"{LIST_FILE}-*.tsv") if p.stat().st_size]
    stray = gen / f"{LIST_FILE}-1.tsv"  # as an ingest killed before its commit leaves one
    stray.write_bytes(tsv.read_bytes())
    _add_second(reports)
    assert ingest([reports], index).ok
    assert not stray.exists()
    assert _listed_said(index) == _sections_said(index)


def test_a_list_record_held_open_past_the_retries_fails_the_ingest_in_one_line_and_changes_nothing(
        reports, tmp_path, monkeypatch):
    import os

    import search.index.store as store_module
    from search.errors import SgsearchError

    index = tmp_path / "ix"
    assert ingest([reports], index).ok
    before, listed_before = _sections_said(index), _listed_said(index)
    real = os.replace

    def held(src, dst):
        if str(dst).endswith(LIST_COVERS):  # as Windows refuses while another program reads it
            raise PermissionError(13, "The process cannot access the file because it is being used by another process")
        return real(src, dst)

    monkeypatch.setattr(store_module.os, "replace", held)
    monkeypatch.setattr(store_module.time, "sleep", lambda s: None)
    _add_second(reports)
    with pytest.raises(SgsearchError) as e:
        ingest([reports], index)
    assert LIST_COVERS in str(e.value) and "\n" not in str(e.value)
    monkeypatch.setattr(store_module.os, "replace", real)
    assert _sections_said(index) == before and _listed_said(index) == listed_before
    assert ingest([reports], index).ok
    assert _listed_said(index) == _sections_said(index) and SECOND in _listed_said(index).values()
