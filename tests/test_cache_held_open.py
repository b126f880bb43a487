"""The per-user cache on Windows, where an antivirus or an indexer holds a file open for a
moment: a cache file is put in place once it lets go, a file held open past the retries leaves
the cache unwritten without an error, and the clean-up of older files carries on past one it
cannot delete. Simulated by ``os.replace`` and ``Path.unlink`` refusing, as Windows does."""
from __future__ import annotations

import json
import os
from pathlib import Path

from ingest import lemmas
from search.index.store import Store
from search.recur.cache import _cache_write
from search.recur.cachefiles import kept_value

HELD = "The process cannot access the file because it is being used by another process"


def _held_replace(monkeypatch, fails: int | None, suffix: str = ".json") -> list:
    """``os.replace`` refusing the first ``fails`` times a file ending ``suffix`` is put in place
    (always when None); the attempts, in a list."""
    real, seen = os.replace, []

    def replace(src, dst, *a, **kw):
        if str(dst).endswith(suffix):
            seen.append(dst)
            if fails is None or len(seen) <= fails:
                raise PermissionError(13, HELD, str(dst))
        return real(src, dst, *a, **kw)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr("time.sleep", lambda s: None)
    return seen


def _held_first_unlink(monkeypatch, among: str) -> list:
    """``Path.unlink`` refusing the first file whose name starts ``among`` it is asked to delete;
    that file, in a list."""
    real, held = Path.unlink, []

    def unlink(self, *a, **kw):
        if self.name.startswith(among) and (not held or held[0] == self):
            held[:] = [self]
            raise PermissionError(13, HELD, str(self))
        return real(self, *a, **kw)

    monkeypatch.setattr(Path, "unlink", unlink)
    return held


def _index(root: Path) -> Store:
    """An index with a live generation (what the cache is keyed by) and no documents."""
    store = Store(root)
    with store.locked(), store.writer(fresh=True):
        pass
    return store


def _made(calls: list):
    def make():
        calls.append(1)
        return {"made": len(calls)}
    return make


def test_a_kept_value_is_put_in_place_once_the_file_is_let_go(tmp_path, monkeypatch):
    monkeypatch.setenv("SGSEARCH_CACHE", str(tmp_path / "cache"))
    store = _index(tmp_path / "ix")
    seen, calls = _held_replace(monkeypatch, 2), []
    assert kept_value(store, "places", ["rules"], _made(calls)) == {"made": 1}
    assert len(seen) == 3  # refused twice, then replaced
    assert kept_value(store, "places", ["rules"], _made(calls)) == {"made": 1} and len(calls) == 1  # read back
    assert [p.name for p in (tmp_path / "cache").iterdir() if p.name.endswith(".tmp")] == []
    store.close()


def test_a_kept_value_held_open_past_the_retries_is_made_again_without_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("SGSEARCH_CACHE", str(tmp_path / "cache"))
    store = _index(tmp_path / "ix")
    _held_replace(monkeypatch, None)
    calls = []
    assert kept_value(store, "places", ["rules"], _made(calls)) == {"made": 1}
    assert kept_value(store, "places", ["rules"], _made(calls)) == {"made": 2}  # nothing kept: made again
    assert list((tmp_path / "cache").iterdir()) == []  # and no temporary file left behind
    store.close()


def test_the_clean_up_of_a_kept_value_carries_on_past_a_file_held_open(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("SGSEARCH_CACHE", str(cache))
    store = _index(tmp_path / "ix")
    kept_value(store, "places", ["rules"], lambda: 1)
    (kept,) = cache.iterdir()
    index = kept.name.split("-")[1]
    older = [cache / f"places-{index}-{n:024d}.json" for n in range(3)]  # other generations'
    other = cache / f"places-{'a' * 24}-{0:024d}.json"  # another index's
    for p in [*older, other]:
        p.write_text("1", encoding="utf-8")
    kept.unlink()
    held = _held_first_unlink(monkeypatch, "places-")
    assert kept_value(store, "places", ["rules"], lambda: 2) == 2
    assert held and held[0] in older
    assert sorted(p.name for p in cache.iterdir()) == sorted([kept.name, held[0].name, other.name])
    assert json.loads(kept.read_text(encoding="utf-8")) == 2
    store.close()


def test_a_cache_file_is_put_in_place_once_the_file_is_let_go(tmp_path, monkeypatch):
    path = tmp_path / "cache" / f"recur-{'a' * 24}-{'b' * 48}-tokens.json"
    seen = _held_replace(monkeypatch, 1)
    assert _cache_write(path, ["one\n", "two\n"])
    assert len(seen) == 2 and path.read_text(encoding="utf-8") == "one\ntwo\n"
    _held_replace(monkeypatch, None)
    assert not _cache_write(path.with_name(path.name.replace("tokens", "items")), ["three\n"])
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # nothing half-written left


def test_the_clean_up_of_cache_files_carries_on_past_a_file_held_open(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    cache.mkdir()
    older = [cache / f"recur-{'a' * 24}-{n:048d}-{part}.json" for n in range(2) for part in ("tokens", "items")]
    for p in older:
        p.write_text("{}", encoding="utf-8")
    held = _held_first_unlink(monkeypatch, "recur-")
    path = cache / f"recur-{'a' * 24}-{'b' * 48}-tokens.json"
    assert _cache_write(path, ["{}\n"])
    assert held and held[0] in older
    assert sorted(p.name for p in cache.iterdir()) == sorted([path.name, held[0].name])


def test_a_trimmed_lemma_table_is_kept_once_the_file_is_let_go(tmp_path, monkeypatch):
    monkeypatch.setenv("SGSEARCH_CACHE", str(tmp_path / "cache"))
    seen = _held_replace(monkeypatch, 1)
    lemmas.save_trimmed("a taxonomy", {"mice": "mouse"})
    assert len(seen) == 2 and lemmas.load_trimmed("a taxonomy") == {"mice": "mouse"}
    _held_replace(monkeypatch, None)
    lemmas.save_trimmed("another taxonomy", {"geese": "goose"})  # no error: the cache only saves time
    assert lemmas.load_trimmed("another taxonomy") is None
    assert [p.name for p in (tmp_path / "cache").iterdir() if p.name.endswith(".tmp")] == []


def test_the_clean_up_of_trimmed_lemma_tables_carries_on_past_a_file_held_open(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("SGSEARCH_CACHE", str(cache))
    cache.mkdir()
    stale = [cache / f"lemmas-{n:024d}.json" for n in range(lemmas._KEEP + 3)]
    for n, p in enumerate(stale):
        p.write_text("{}", encoding="utf-8")
        os.utime(p, (1_000_000 + n, 1_000_000 + n))  # the first ones oldest
    held = _held_first_unlink(monkeypatch, "lemmas-")
    lemmas.save_trimmed("a taxonomy", {"mice": "mouse"})
    assert held and held[0] in stale[:4]
    left = {p.name for p in cache.iterdir()}
    # the newest tables kept (the one just written among them), the oldest deleted but the one held open
    assert left == {p.name for p in stale[4:]} | {held[0].name, f"lemmas-{lemmas.cache_key('a taxonomy')[:24]}.json"}
