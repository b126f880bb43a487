"""Records written ahead of their tags (while the tagger loads) index exactly as written whole."""
from __future__ import annotations

import pytest

import ingest.pipeline as pipeline
from corpus import corpus_dir
from ingest.pipeline import ingest
from search import engine
from search.index import Store, _Mirrored
from search.query import search


def _dump(root) -> tuple[dict, dict, dict]:
    """Everything Whoosh holds, keyed by record id: stored fields, field lengths, postings."""
    st = Store(root)
    r = st.searcher().reader()
    ids = {n: f["id"] for n, f in r.iter_docs()}
    fields = [name for name, f in r.schema.items() if f.indexed]
    stored = {ids[n]: dict(f) for n, f in r.iter_docs()}
    lengths = {ids[n]: {f: r.doc_field_length(n, f) for f in fields} for n in ids}
    lengths["*total*"] = {f: r.field_length(f) for f in fields}
    postings = {}
    terms = list(r.all_terms())
    assert terms == sorted(terms)  # the term index in field then term order, as Whoosh reads it
    for field, term in terms:
        m = r.postings(field, term)
        got = {}
        while m.is_active():
            got[ids[m.id()]] = (m.weight(), m.value())
            m.next()
        ti = r.term_info(field, term)  # with the shortest and longest field a posting is in
        postings[(field, term)] = (got, ti.weight(), ti.doc_frequency(), ti.min_length(), ti.max_length(),
                                   ti.max_weight())
    st.close()
    return stored, lengths, postings


def _engine_answers(root) -> list:
    st = Store(root)
    out = [(t, sorted(h.section["section_id"] for h in search(st, "safeguarding", theme=[t], limit=1000).hits))
           for t in ("neglect", "pre-birth", "fathers-male-carers", "domestic-abuse")]
    st.close()
    return out


@pytest.fixture(scope="module")
def ahead_and_whole(tmp_path_factory):
    root = tmp_path_factory.mktemp("ahead")
    calls = []
    real = Store.writer

    def spy(self, *a, **kw):
        cm = real(self, *a, **kw)

        class Spy:
            def __enter__(s):
                w, manifest = cm.__enter__()
                add_later = w.add_later
                w.add_later = lambda **f: (calls.append(f["kind"]), add_later(**f))[1]
                return w, manifest

            def __exit__(s, *exc):
                return cm.__exit__(*exc)

        return Spy()

    real_postings = _Mirrored.write_postings_ahead

    def spy_postings(self):
        calls.append(("postings ahead", real_postings(self)))
        return calls[-1][1]

    mp = pytest.MonkeyPatch()
    mp.setattr(Store, "writer", spy)
    mp.setattr(_Mirrored, "write_postings_ahead", spy_postings)
    ingest([corpus_dir()], root / "ahead")
    mp.undo()
    mp.setattr(pipeline, "AHEAD_LIMIT", 0)  # every record waits for its tags and is written whole
    ingest([corpus_dir()], root / "whole")
    mp.undo()
    return root / "ahead", root / "whole", calls


def test_ingest_writes_sections_and_items_ahead_of_their_tags(ahead_and_whole):
    _, _, calls = ahead_and_whole
    assert calls.count("section") > 200 and calls.count("item") > 200 and "doc" not in calls
    # and, once all are written, the postings of all their fields but the tags
    assert calls[-1] == ("postings ahead", True) and calls.count(("postings ahead", True)) == 1


def test_written_ahead_the_index_is_the_one_written_whole(ahead_and_whole):
    ahead, whole, _ = ahead_and_whole
    stored, lengths, postings = _dump(ahead)
    assert (stored, lengths, postings) == _dump(whole)
    # the tags did arrive: themes stored, searchable and counted in the lengths
    assert any(f.get("themes") for f in stored.values()) and any(f.get("item_themes") for f in stored.values())
    assert ("themes", b"pre-birth") in postings and lengths["*total*"]["themes"] > 100
    neglect = next(f for f in stored.values() if "neglect" in (f.get("themes") or "").split(","))
    assert neglect["theme_evidence"]["neglect"]["count"] >= 1


@pytest.mark.skipif(not engine.AVAILABLE, reason="tantivy 0.27+ is not installed (Python 3.10)")
def test_written_ahead_the_engine_has_the_themes(ahead_and_whole):
    ahead, whole, _ = ahead_and_whole
    answers = _engine_answers(ahead)
    assert answers == _engine_answers(whole) and all(ids for _, ids in answers)
    st = Store(ahead)
    assert st.engine() is not None
    st.close()


def test_ahead_is_bounded_then_each_record_waits_for_its_tags(tmp_path, monkeypatch, ahead_and_whole):
    monkeypatch.setattr(pipeline, "AHEAD_LIMIT", 1)  # the first document ahead, the others whole
    ingest([corpus_dir()], tmp_path / "mixed")
    assert _dump(tmp_path / "mixed") == _dump(ahead_and_whole[1])


def _writer_with_one_section_ahead(tmp_path):
    from ingest.document import parse_file
    from search.records import doc_to_fields, section_to_fields

    doc = parse_file(str(next(corpus_dir().glob("sscp-twelve*.txt"))), None, "sscp")
    st = Store(tmp_path / "ix")
    return st, doc, doc_to_fields(doc.doc), [section_to_fields(s, doc.doc) for s in doc.sections[:2]]


@pytest.mark.parametrize("postings_ahead", [False, True])
def test_a_record_left_without_its_tags_fails_the_commit_and_writes_nothing(tmp_path, postings_ahead):
    st, _doc, docf, secs = _writer_with_one_section_ahead(tmp_path)
    with pytest.raises(RuntimeError, match="never got their tags"):
        with st.writer(fresh=True) as (w, _manifest):
            w.add_document(**docf)
            w.add_later(**secs[0])
            if postings_ahead:
                assert w.write_postings_ahead() is True
    assert not st.exists() and not list((tmp_path / "ix").glob("ix-*"))


def test_tags_must_come_in_the_order_the_records_were_written(tmp_path):
    st, _doc, docf, secs = _writer_with_one_section_ahead(tmp_path)
    with pytest.raises(RuntimeError, match="in the order"):
        with st.writer(fresh=True) as (w, _manifest):
            first, second = w.add_later(**secs[0]), w.add_later(**secs[1])
            w.add_tags(second, themes="neglect")
    with st.writer(fresh=True) as (w, _manifest):
        first, second = w.add_later(**secs[0]), w.add_later(**secs[1])
        with pytest.raises(ValueError, match="not a tag field"):
            w.add_tags(first, heading="x")
        w.add_tags(first, themes="neglect", theme_evidence={"neglect": {"count": 1, "evidence": ["neglect"]}})
        w.add_tags(second, themes="", theme_evidence={})
    found = [r["id"] for r in st.records("section") if "neglect" in r["themes"]]
    assert found == [secs[0]["id"]]
    st.close()


def test_postings_written_ahead_leave_only_tags_to_add(tmp_path):
    st, _doc, docf, secs = _writer_with_one_section_ahead(tmp_path)
    with st.writer(fresh=True) as (w, _manifest):
        w.add_document(**docf)
        first, second = w.add_later(**secs[0]), w.add_later(**secs[1])
        assert w.write_postings_ahead() is True
        assert w.write_postings_ahead() is False  # once
        with pytest.raises(RuntimeError, match="only tags"):
            w.add_document(**dict(secs[1], id="another"))
        w.add_tags(first, themes="neglect", theme_evidence={"neglect": {"count": 1, "evidence": ["neglect"]}})
        w.add_tags(second, themes="pre-birth", theme_evidence={})
    assert [r["id"] for r in st.records("section") if "neglect" in r["themes"]] == [secs[0]["id"]]
    assert [r["id"] for r in st.records("section", themes="pre-birth")] == [secs[1]["id"]]
    assert st.record(secs[0]["id"])["heading"] == secs[0]["heading"]  # the ids' postings, written ahead
    # an incremental writer (over the segment just written) may merge segments at its commit:
    # its postings are all written then
    with st.writer() as (w, _manifest):
        later = w.add_later(**dict(secs[0], id="again"))
        assert w.write_postings_ahead() is False
        w.add_tags(later, themes="", theme_evidence={})
    assert st.record("again") is not None
    st.close()


def test_with_tags_already_pooled_the_postings_wait_for_the_commit(tmp_path):
    st, _doc, docf, secs = _writer_with_one_section_ahead(tmp_path)
    with st.writer(fresh=True) as (w, _manifest):
        w.add_document(**dict(secs[0], themes="neglect"))  # a record written whole, with its tags
        later = w.add_later(**secs[1])
        assert w.write_postings_ahead() is False
        w.add_tags(later, themes="neglect", theme_evidence={})
    assert sorted(r["id"] for r in st.records("section", themes="neglect")) == sorted([secs[0]["id"], secs[1]["id"]])
    st.close()


def test_postings_written_ahead_of_no_tags_at_all(tmp_path):
    st, _doc, docf, secs = _writer_with_one_section_ahead(tmp_path)
    with st.writer(fresh=True) as (w, _manifest):
        later = [w.add_later(**s) for s in secs]
        assert w.write_postings_ahead() is True
        for rec in later:
            w.add_tags(rec, themes="", theme_evidence={})
    assert st.records("section", themes="neglect") == []
    assert [r["id"] for r in st.records("section")] == [s["id"] for s in secs]
    terms = list(st.searcher().reader().all_terms())
    assert terms == sorted(terms) and not [t for f, t in terms if f == "themes"]
    st.close()
