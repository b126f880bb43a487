"""Recur's files in the per-user cache folder (:func:`search.index.store.cache_dir`): what they
are keyed by, a value kept there, and the clean-up of those of older index generations."""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path

from search.index.store import Store, cache_dir, replace_file

DIGEST_CHARS = 24  # a cache key is made of such digests, read back by their length


def digest(value) -> str:
    """A part of a cache file's name: the first :data:`DIGEST_CHARS` hex digits of ``value``'s JSON SHA-256."""
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
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
        replace_file(tmp, path)  # retried while another program holds the file open (Windows)
    except OSError:  # a cache that cannot be written only costs time
        with contextlib.suppress(OSError):
            tmp.unlink()
        return value
    remove_files(old for old in path.parent.glob(f"{name}-{index}-*.json") if old != path)
    return value


def remove_files(paths) -> None:
    """Delete each of ``paths``, carrying on past one that cannot be deleted: a file another
    program holds open (an antivirus or an indexer, on Windows) or one already gone is left, and
    goes when a later write of the cache removes it."""
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink()
