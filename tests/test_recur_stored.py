"""Items' tokens made as ingest writes them: recur's first run reads them back, and tokenises
again only the items the index's later concepts (its publishers' areas, its documents'
acronyms) may read differently."""
from __future__ import annotations

import json

import search.recur.cache as cache_module
from ingest.itemtokens import COVERS, ItemTokens
from ingest.metadata import fy_label
from ingest.pipeline import ingest
from search.index.records import doc_to_fields, item_to_fields
from search.index.store import Store
from search.recur import recur, store_concepts
from search.recur.cache import _text_key, _Written, index_tokens, shown_item
from search.vocab.concepts import Changes, item_tokens, load_concepts, written_concepts
from search.vocab.taxonomy import load_taxonomy
from search.vocab.thesaurus import stored


def _counting(monkeypatch) -> list[str]:
    """The texts recur tokenises from now on."""
    read: list[str] = []
    real = cache_module.item_tokens
    monkeypatch.setattr(cache_module, "item_tokens", lambda it, *a, **k: read.append(it["text"]) or real(it, *a, **k))
    return read


def _fresh(store: Store, monkeypatch, cache) -> tuple:
    """recur's answer and tokens with nothing stored read (every item tokenised)."""
    monkeypatch.setenv("SGSEARCH_CACHE", str(cache))
    with monkeypatch.context() as m:
        m.setattr(_Written, "of", classmethod(lambda cls, store, concepts, *files: None))
        return recur(store), index_tokens(store, store_concepts(store))


def test_stored_tokens_equal_fresh_tokenising_and_recur_answers_the_same(corpus_index, tmp_path, monkeypatch):
    store = Store(corpus_index)
    concepts = store_concepts(store)
    written = _Written.of(store, concepts)
    assert written is not None  # the ingest stored them
    used = 0
    for r in store.iter_records("item"):
        it = shown_item(r)
        got = written.reused.get(_text_key(it))
        assert got is not None  # every item the ingest wrote
        if not written.changes.touches(it):
            learnt: dict[str, str] = {}
            assert got == (" ".join(item_tokens(it, concepts, learnt)), " ".join(learnt.values())), it["text"]
            used += 1
    read = _counting(monkeypatch)
    monkeypatch.setenv("SGSEARCH_CACHE", str(tmp_path / "stored"))
    first = recur(store), index_tokens(store, concepts)
    assert len(read) == len(store.records("item")) - used and used > len(read)  # most items not tokenised
    assert recur(store) == first[0]  # warm
    fresh = _fresh(store, monkeypatch, tmp_path / "fresh")
    assert first[0] == fresh[0]
    assert first[1][1].strings == fresh[1][1].strings and first[1][2] == fresh[1][2]  # tokens, readable words
    store.close()


def _write(store: Store, tax, publisher: str, doc_id: str, year: int, texts: list[str], fresh: bool) -> None:
    tokens = ItemTokens(tax, stored(store.current_dir()))
    extra: dict = {}
    with store.locked(), store.writer(fresh=fresh, taxonomy=tax, extra=extra) as (w, manifest):
        doc = {"doc_id": doc_id, "path": f"{doc_id}.txt", "sha256": doc_id, "title": f"Annual report {year}",
               "publisher": publisher, "doc_type": "annual-report", "year": fy_label(year), "year_start": year}
        w.add(doc_to_fields(doc))
        for n, text in enumerate(texts):
            item = {"item_id": f"{doc_id}:1.{n}", "section_id": f"{doc_id}:1", "doc_id": doc_id, "ordinal": n + 1,
                    "kind": "recommendation", "text": text, "status": None, "themes": [],
                    "year": fy_label(year), "year_start": year}
            fields = item_to_fields(item, doc)
            tokens.add(fields)
            w.add(fields)
        extra.update(tokens.files(None if fresh else store.current_dir()))
        manifest[doc["path"]] = {"sha256": doc_id, "doc_id": doc_id}


def test_a_publishers_area_added_later_retokenises_only_the_items_naming_it(tmp_path, monkeypatch):
    tax = load_taxonomy()
    store = Store(tmp_path / "ix")
    naming = ["Brindlecombe schools should refresh the neglect toolkit with the graded care profile",
              "Practitioners in Brindlecombe should see fathers and male carers in pre-birth assessments"]
    others = ["Refresh the neglect toolkit and train practitioners in using the graded care profile",
              "Audit the timeliness of initial health assessments for looked after children"]
    _write(store, tax, "NSPCC", "first", 2019, naming + others, fresh=True)
    later = ["Fathers and male carers should be seen in every pre-birth assessment"]
    _write(store, tax, "Brindlecombe Safeguarding Children Partnership", "second", 2022, later, fresh=False)
    concepts = store_concepts(store)
    assert "brindlecombe" in concepts.places  # read as an organisation since the second document
    made = written_concepts(store.taxonomy(), stored(store.current_dir()))
    changes = Changes(made, concepts)
    assert [t for t in naming + others + later if changes.touches({"text": t})] == naming
    assert [item_tokens({"text": t}, made) for t in naming] != [item_tokens({"text": t}, concepts) for t in naming]
    read = _counting(monkeypatch)
    monkeypatch.setenv("SGSEARCH_CACHE", str(tmp_path / "stored"))
    first = recur(store), index_tokens(store, concepts)
    assert sorted(read) == sorted(naming)
    read.clear()
    fresh = _fresh(store, monkeypatch, tmp_path / "fresh")
    assert len(read) == 5
    assert first[0] == fresh[0] and first[1][1].strings == fresh[1][1].strings and first[1][2] == fresh[1][2]
    store.close()


def test_concepts_that_differ_beyond_phrases_retokenise_everything():
    a = load_concepts()
    b = load_concepts(places=["Brindlecombe"])
    assert not Changes(a, a).touches({"text": "Brindlecombe schools"})
    assert Changes(a, b).touches({"text": "Brindlecombe schools"}) and not Changes(a, b).touches({"text": "Schools"})
    c = load_concepts()
    c.stock = c.stock | {"schools"}
    assert Changes(a, c).touches({"text": "Anything at all"})


def test_a_token_file_written_with_windows_line_ends_reads_the_same(tmp_path, monkeypatch):
    tax = load_taxonomy()
    store = Store(tmp_path / "ix")
    texts = ["Refresh the neglect toolkit and train practitioners in using the graded care profile",
             "Fathers and male carers should be seen in every pre-birth assessment"]
    _write(store, tax, "NSPCC", "first", 2019, texts, fresh=True)
    (path,) = store.current_dir().glob("item-tokens-*.tsv")
    plain = _Written.of(store, store_concepts(store))
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    crlf = _Written.of(store, store_concepts(store))
    for t in texts:
        key = _text_key({"text": t})
        assert crlf.reused.get(key) == plain.reused.get(key) and plain.reused.get(key)[1]
    store.close()


def _report(path, year: int, recommendations: list[str]) -> None:
    lines = "".join(f"{n}. {r}\n" for n, r in enumerate(recommendations, start=1))
    path.write_text(f"Brindlecombe Safeguarding Children Partnership Annual Report {year}-{(year + 1) % 100:02d}\n\n"
                    f"1 Recommendations\n\n{lines}", encoding="utf-8")


def _token_files(store: Store) -> list[str]:
    return sorted(p.name for p in store.current_dir().glob("item-tokens-*.tsv"))


def test_three_ingests_leave_only_the_token_files_in_use(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    _report(folder / "a.txt", 2019, ["The partnership should refresh the neglect toolkit for practitioners.",
                                     "Practitioners should see fathers and male carers in every pre-birth assessment."])
    _report(folder / "b.txt", 2021, ["Audit the timeliness of initial health assessments for looked after children.",
                                     "Schools should record every safeguarding concern on one shared system."])
    ix = tmp_path / "ix"
    ingest([folder], ix)
    store = Store(ix)
    (first,) = _token_files(store)
    other = store.current_dir() / "item-tokens-000000000000000000000000-1.tsv"  # made with other concepts
    other.write_text("", encoding="utf-8")
    _report(folder / "a.txt", 2019, ["The partnership should refresh the neglect toolkit and train practitioners."])
    ingest([folder], ix)  # a again: the first file still holds b's items
    files = _token_files(store)
    assert first in files and len(files) == 2 and other.name not in files
    second = next(f for f in files if f != first)
    # the first file, now of no use, is held open elsewhere (Windows) when b is written again: left, and removed next time
    real = type(other).unlink
    monkeypatch.setattr(type(other), "unlink", lambda p, *a, **k: (_ for _ in ()).throw(PermissionError(p))
                        if p.name == first else real(p, *a, **k))
    _report(folder / "b.txt", 2021, ["Schools should record each safeguarding concern on one shared system."])
    ingest([folder], ix)
    monkeypatch.setattr(type(other), "unlink", real)
    assert len(_token_files(store)) == 3 and first in _token_files(store)
    (folder / "b.txt").unlink()  # b removed: the third file is of no use either
    ingest([folder], ix)
    assert _token_files(store) == [second]
    covers = json.loads((store.current_dir() / COVERS).read_text(encoding="utf-8"))
    assert covers.pop(second) == ["a"] and not any(covers.values())  # the others named to go, and gone
    read = _counting(monkeypatch)
    monkeypatch.setenv("SGSEARCH_CACHE", str(tmp_path / "cache"))
    _, rows, surface = index_tokens(store, store_concepts(store))
    assert len(rows.strings) == 1 and read == []  # a's item, its tokens read from the file kept
    fresh = _fresh(store, monkeypatch, tmp_path / "fresh")[1]
    assert rows.strings == fresh[1].strings and surface == fresh[2]
    store.close()
