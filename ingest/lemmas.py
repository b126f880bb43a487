"""The lemma table the tagger looks words up in, and a copy of it trimmed to the taxonomy.

The tagger sets each token's NORM to the lemma of its lower-case form, from
spacy-lookups-data's English ``lemma_lookup`` table (41,582 words, about 0.07 s to load;
the same table spaCy's lookup lemmatizer loads). A token's norm is only ever compared with
the words the tagger was built from (the norms of its phrases, triggers, fillers and
terminators, and the words themselves): call that set W. A table kept to the entries whose
word or lemma is in W gives the same matches: an entry left out maps a word outside W to
a lemma outside W, and without it the word stays itself, still outside W.

The trimmed table is cached in the user cache folder (``$SGSEARCH_CACHE``, else for example
``~/.cache/sgsearch`` on Linux) under a key made of the taxonomy's fingerprint, the spaCy and
spacy-lookups-data versions and the tagger's source, so any change there builds it afresh.
The cache is only an accelerator: when it cannot be read or written, the full table is used.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from search.index.store import cache_dir, replace_file

_PREFIX = "lemmas-"
_KEEP = 8  # trimmed tables kept (one per taxonomy in use)


def full_table() -> dict[str, str]:
    """spacy-lookups-data's English ``lemma_lookup`` table, word to lemma (as spaCy loads it)."""
    # lazy: spaCy loads only where tagging runs (the worker)
    from spacy.util import load_language_data, registry

    if "en" not in registry.lookups:
        raise ValueError("spacy-lookups-data is not installed: theme tagging needs its English lemma table")
    return dict(load_language_data(registry.lookups.get("en")["lemma_lookup"]))


def trim(table: dict[str, str], words: set[str] | frozenset[str]) -> dict[str, str]:
    """The entries of ``table`` whose word or lemma is in ``words``."""
    return {k: v for k, v in table.items() if k in words or v in words}


def cache_key(fingerprint: str) -> str | None:
    """What the trimmed table depends on; None when the tagger's source cannot be read."""
    # lazy: spaCy loads only where tagging runs (the worker)
    import spacy

    try:
        lookups_version = version("spacy-lookups-data")
    except PackageNotFoundError:  # not installed as a distribution: full_table() will say so
        lookups_version = "?"
    here = Path(__file__).resolve().parent
    try:
        source = [(here / name).read_bytes() for name in ("themes.py", "lemmas.py")]
    except OSError:
        return None
    h = hashlib.sha256(json.dumps([fingerprint, spacy.__version__, lookups_version]).encode())
    for blob in source:
        h.update(hashlib.sha256(blob).digest())
    return h.hexdigest()


def _path(key: str) -> Path:
    return cache_dir() / f"{_PREFIX}{key[:24]}.json"


def load_trimmed(fingerprint: str) -> dict[str, str] | None:
    """The cached trimmed table for this taxonomy, or None (not cached yet, stale or unreadable)."""
    key = cache_key(fingerprint)
    if key is None:
        return None
    try:
        data = json.loads(_path(key).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    table = data.get("table") if isinstance(data, dict) and data.get("key") == key else None
    if not isinstance(table, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in table.items()):
        return None
    return table


def save_trimmed(fingerprint: str, table: dict[str, str]) -> None:
    """Cache a trimmed table (atomically; silently not, if the cache folder is not writable)."""
    key = cache_key(fingerprint)
    if key is None:
        return
    path = _path(key)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps({"key": key, "table": table}, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        replace_file(tmp, path)  # retried while another program holds the file open (Windows)
        old = sorted(path.parent.glob(f"{_PREFIX}*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        return
    for stale in old[_KEEP:]:
        # one held open by another program (Windows) is left: a later write removes it
        with contextlib.suppress(OSError):
            stale.unlink()
