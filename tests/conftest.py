"""Shared fixtures: one index of the bundled corpus per test session."""
from __future__ import annotations

import pytest

from corpus import corpus_dir
from ingest.pipeline import ingest
from search.index.store import Store


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory):
    """An index folder holding the bundled corpus (themes tagged)."""
    root = tmp_path_factory.mktemp("corpus-index")
    report = ingest([corpus_dir()], root)
    assert report.failed == []
    assert len(report.added) == 5
    return root


@pytest.fixture(scope="session")
def store(corpus_index):
    s = Store(corpus_index)
    yield s
    s.close()


@pytest.fixture(scope="session", autouse=True)
def _no_user_cache(tmp_path_factory):
    """Never touch the real per-user cache (the tagger's trimmed lemma tables) from a test."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SGSEARCH_CACHE", str(tmp_path_factory.mktemp("cache")))
    yield
    mp.undo()


@pytest.fixture(autouse=True)
def _no_user_index(monkeypatch, tmp_path):
    """Never touch the real per-user index from a test."""
    monkeypatch.setenv("SGSEARCH_INDEX", str(tmp_path / "default-index"))
    monkeypatch.delenv("NO_COLOR", raising=False)
