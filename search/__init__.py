"""Search: the index core, the domain vocabulary and the answers over them.

Layers, lowest first (``tests/test_layering.py`` keeps them): :mod:`search.errors`,
:mod:`search.safe` (the one sanitiser) and :mod:`search.cite` (the one citation format);
:mod:`search.vocab` (document types, years, taxonomy, thesaurus), read by ingest and
search alike; :mod:`search.index` (store, records, analysis, schema, lock, backends),
which ingest writes through; :mod:`search.report`, the writers (data in, a file out); then
the answering modules (query, parse, snippets, facets, trace, browse, recur, export,
table, filters), which ingest never imports. Nothing is imported here, so reading the
vocabulary or the index core loads no answering module.
"""

__all__ = ["browse", "cite", "errors", "export", "facets", "filters", "index", "parse", "query", "recur", "report",
           "safe", "snippets", "table", "trace", "vocab"]
