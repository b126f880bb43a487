"""The per-user cache folder recur keeps its files in, and what they are keyed by."""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import platformdirs

from search.index.store import Store

DIGEST_CHARS = 24  # a cache key is made of such digests, read back by their length


def cache_dir() -> Path:
    """The per-user cache folder: ``$SGSEARCH_CACHE``, else the platform's."""
    env = os.environ.get("SGSEARCH_CACHE")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_cache_dir("sgsearch", appauthor=False))


def digest(value) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False).encode("utf-8")).hexdigest()[:DIGEST_CHARS]


def generation_key(store: Store) -> tuple[str, str] | None:
    """(the index folder's digest, its live generation's): the generation's folder and its
    modification time, which every commit changes. None when there is no index."""
    d = store.current_dir()
    if d is None:
        return None
    try:
        stamp = d.stat().st_mtime_ns
    except OSError:
        return None
    return digest(str(Path(store.root).resolve())), digest([str(d.resolve()), stamp])


def kept_value(store: Store, name: str, rules, make):
    """``make()`` (a JSON value), kept in the cache folder for the index's live generation and
    ``rules`` (what ``make`` reads besides the index): a second process reads it back instead of
    the index, whose records map the engine's pages as they are read. The files of the index's
    other generations go when one is written."""
    key = generation_key(store)
    if key is None:
        return make()
    index, generation = key
    path = cache_dir() / f"{name}-{index}-{generation}{digest(rules)}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass  # missing or damaged: made again
    value = make()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
        for old in path.parent.glob(f"{name}-{index}-*.json"):
            if old != path:
                old.unlink()
    except OSError:
        pass  # a cache that cannot be written only costs time; a file held open goes next time
    return value
