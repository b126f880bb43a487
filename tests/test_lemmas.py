"""The lemma table trimmed to the taxonomy's words (ingest.lemmas) tags exactly as the whole one."""
from __future__ import annotations

import re

from corpus import corpus_dir
from ingest import lemmas
from ingest.themes import Tagger
from search.vocab.taxonomy import load_taxonomy


def sample_texts() -> list[str]:
    """Corpus paragraphs and every example and counter-example of the taxonomy."""
    texts = []
    for f in sorted(corpus_dir().glob("*.txt")):
        texts += [p for p in re.split(r"\n\s*\n", f.read_text(encoding="utf-8")) if p.strip()]
    for theme in load_taxonomy():
        texts += [*theme.examples, *theme.counter_examples]
    return texts + ["", "We found no evidence of neglect.", "(" * 300 + " neglect " + "_" * 300]


def test_trimmed_lemma_table_gives_the_same_tags(tmp_path, monkeypatch):
    monkeypatch.setenv("SGSEARCH_CACHE", str(tmp_path / "cache"))
    texts = sample_texts()
    full = Tagger(load_taxonomy())  # no cache yet: the whole table, and the trimmed one saved
    assert len(full._norm.table) > 40_000
    assert len(list((tmp_path / "cache").glob("lemmas-*.json"))) == 1
    trimmed = Tagger(load_taxonomy())
    assert 0 < len(trimmed._norm.table) < 5_000
    assert trimmed.tag_many(texts) == full.tag_many(texts)


def test_trimmed_table_follows_a_user_taxonomy(tmp_path, monkeypatch):
    monkeypatch.setenv("SGSEARCH_CACHE", str(tmp_path / "cache"))
    extra = tmp_path / "extra.toml"
    extra.write_text('[[theme]]\nid = "widgets"\nlabel = "Widgets"\nphrases = ["widget plan"]\n'
                     '[lemmas]\nwidgetries = "widget"\n')
    tax = load_taxonomy([extra])
    texts = ["Widgetries plans were made.", "Widget plans.", *sample_texts()[:200]]
    Tagger(load_taxonomy())  # the bundled taxonomy's table is not this one's
    first = Tagger(tax)
    assert len(first._norm.table) > 40_000
    again = Tagger(tax)
    assert len(again._norm.table) < 5_000
    assert again.tag_many(texts) == first.tag_many(texts)
    assert [t.id for t in again.tag(texts[0])] == ["widgets"]


def test_a_damaged_cache_is_ignored_and_rewritten(tmp_path, monkeypatch):
    monkeypatch.setenv("SGSEARCH_CACHE", str(tmp_path / "cache"))
    tax = load_taxonomy()
    Tagger(tax)
    [cached] = (tmp_path / "cache").glob("lemmas-*.json")
    cached.write_text('{"key": "', encoding="utf-8")
    assert lemmas.load_trimmed(tax.fingerprint()) is None
    tagger = Tagger(tax)
    assert len(tagger._norm.table) > 40_000
    assert lemmas.load_trimmed(tax.fingerprint()) is not None


def test_an_unwritable_cache_is_no_error(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("SGSEARCH_CACHE", str(blocker / "cache"))
    tagger = Tagger(load_taxonomy())
    assert [t.id for t in tagger.tag("Neglect was found.")] == ["neglect"]
