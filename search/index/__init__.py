"""The index core ingest writes through and the answers read: one index per folder
(generations, lock, manifest) on one engine, its records, analysis and schema."""
from __future__ import annotations

from search.index.backends import ENGINES, EngineUnavailable
from search.index.lock import IndexBusy, ingest_lock
from search.index.store import IndexFolderError, IndexMissing, Store, default_index_dir, resolve_index_dir

__all__ = ["ENGINES", "EngineUnavailable", "IndexBusy", "IndexFolderError", "IndexMissing", "Store",
           "default_index_dir", "ingest_lock", "resolve_index_dir"]
