"""Run a parsed query: which sections match, their scores, the total and its spread.

Two matchers give the same answers: :class:`EngineMatcher` asks the tantivy index
(``search.engine``; milliseconds at 100,000 sections) and :class:`WhooshMatcher` walks
Whoosh's own posting lists (pure Python). :func:`matcher_for` picks tantivy whenever
it is in step with the Whoosh store and can express the query, Whoosh otherwise.
Either way the hits carry Whoosh document numbers and stored fields, so everything
after matching (snippets, citations, JSON) is shared.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from search import engine
from search.engine import tantivy
from search.index import Store

EXACT_LIMIT = 5000  # Whoosh only: beyond this many matches the total is an estimate (counting costs ~2 µs a match)


class Found:
    """One matching section: its id, score and document, and its stored fields
    (read from Whoosh on first use: ranking needs them only for the hits shown)."""

    __slots__ = ("id", "score", "doc_id", "_fields", "_load")

    def __init__(self, rid: str, score: float, doc_id: str, fields: dict | None = None, load=None):
        self.id, self.score, self.doc_id = rid, score, doc_id
        self._fields, self._load = fields, load

    @property
    def fields(self) -> dict:
        if self._fields is None:
            self._fields = self._load(self.id) or {}
        return self._fields

    def __getitem__(self, key):
        return self.doc_id if key == "doc_id" else self.fields[key]


@dataclass
class Matches:
    """The best hits of a query, with the total and the years and documents it spans."""

    top: list[Found]
    total: int
    exact_total: bool = True
    years: list[str] = field(default_factory=list)
    documents: int = 0


class WhooshMatcher:
    """Match with Whoosh (pure Python): the fallback, and the reference for the engine."""

    def __init__(self, store: Store, flt, sort: str, n: int):
        self.s = store.searcher()
        self.flt = store.filter_docs(flt)
        self.sort, self.n = sort, n
        self._docnums: dict[str, int] = {}  # of the last run's hits, by id

    def run(self, q) -> Matches:
        kw = {"limit": self.n, "filter": self.flt}
        if self.sort == "year":
            kw["sortedby"] = "year_start"
            kw["reverse"] = True
        results = self.s.search(q, **kw)
        # not list(results): list() asks len(), which counts every match in Python
        top = []
        self._docnums = {}
        for h in (results[i] for i in range(results.scored_length())):
            f = h.fields()
            self._docnums[f["id"]] = h.docnum
            top.append(Found(f["id"], float(h.score or 0.0), f.get("doc_id", ""), f))
        total, exact_total = _total(results)
        years, documents = _spread(self.s, results.docs() if exact_total else list(self._docnums.values()))
        return Matches(top, total, exact_total, years, documents)

    def which_match(self, q, top: list[Found]) -> set[str]:
        """The ids of those of ``top`` that match ``q``: walks a matcher to each hit (a few skips each)."""
        ids = {}
        for h in top:  # the engine's hits are looked up; this matcher's own are known
            d = self._docnums.get(h.id)
            if d is None:
                d = self.s.document_number(id=h.id)
            if d is not None:
                ids[d] = h.id
        m = q.matcher(self.s)
        found = set()
        for d in sorted(ids):
            if not m.is_active():
                break
            if m.id() < d:
                m.skip_to(d)
            if m.is_active() and m.id() == d:
                found.add(ids[d])
        return found


class EngineMatcher:
    """Match with the tantivy index: exact totals, years and documents at any size."""

    def __init__(self, store: Store, reader: engine.Reader, flt, sort: str, n: int):
        self.store, self.s = store, store.searcher()
        self.r = reader
        self.flt = None if flt is None else engine.translate(flt, reader.schema)
        self.whoosh_filter, self.sort, self.n = flt, sort, n
        self._fallback = None

    def _whoosh(self) -> WhooshMatcher:
        """For a query tantivy cannot express (odd syntax Whoosh's parser accepts)."""
        if self._fallback is None:
            self._fallback = WhooshMatcher(self.store, self.whoosh_filter, self.sort, self.n)
        return self._fallback

    def _query(self, q):
        tq = engine.translate(q, self.r.schema)
        if self.flt is None:
            return tq
        return tantivy.Query.boolean_query([
            (tantivy.Occur.Must, tq),
            (tantivy.Occur.Must, tantivy.Query.const_score_query(self.flt, 0.0)),
        ])

    def run(self, q) -> Matches:
        try:
            tq = self._query(q)
        except engine.Unsupported:
            return self._whoosh().run(q)
        ts = self.r.searcher()
        if self.sort == "year":
            res = ts.search(tq, self.n, count=True, order_by_field="year_start")
        else:
            res = ts.search(tq, self.n, count=True)
        top = []
        for key, addr in res.hits:
            d = ts.doc(addr)
            score = 0.0 if self.sort == "year" else float(key)
            top.append(Found(d.get_first("id"), score, d.get_first("doc_id") or "", load=self._load))
        years, documents = self._spread(ts, tq) if res.count else ([], 0)
        return Matches(top, res.count, True, years, documents)

    def _spread(self, ts, tq) -> tuple[list[str], int]:
        agg = ts.aggregate(tq, {
            "years": {"terms": {"field": "year_start", "size": 10000}},
            "docs": {"terms": {"field": "doc_id", "size": 1_000_000}},
        })
        years = [int(b["key"]) for b in agg["years"]["buckets"]]
        return _year_labels(years), len(agg["docs"]["buckets"])

    def _load(self, rid: str) -> dict | None:
        # None when an ingest committed to tantivy after our Whoosh reader was opened
        return self.s.document(id=rid)

    def which_match(self, q, top: list[Found]) -> set[str]:
        """The ids of those of ``top`` that match ``q``: the query run over just those sections."""
        if not top:
            return set()
        try:
            tq = engine.translate(q, self.r.schema)
        except engine.Unsupported:
            return self._whoosh().which_match(q, top)
        ts = self.r.searcher()
        only = tantivy.Query.term_set_query(self.r.schema, "id", [h.id for h in top])
        both = tantivy.Query.boolean_query([(tantivy.Occur.Must, tq),
                                            (tantivy.Occur.Must, only)])
        res = ts.search(both, len(top), count=False)
        return {ts.doc(addr).get_first("id") for _score, addr in res.hits}


def matcher_for(store: Store, flt, sort: str, n: int):
    """The engine's matcher when tantivy is in step with Whoosh and can express the filter,
    else Whoosh's. ``n`` is how many hits to rank."""
    reader = store.engine()
    if reader is not None:
        try:
            return EngineMatcher(store, reader, flt, sort, n)
        except engine.Unsupported:
            pass
    return WhooshMatcher(store, flt, sort, n)


def _total(results) -> tuple[int, bool]:
    if results.has_exact_length():
        return len(results), True
    est = results.estimated_length()
    if est <= EXACT_LIMIT:
        return len(results), True
    return est, False


def _spread(searcher, docnums) -> tuple[list[str], int]:
    """The years and the number of documents of the given matches, from per-segment columns."""
    docnums = sorted(docnums)
    years, docs = set(), set()
    i = 0
    for sub, offset in searcher.reader().leaf_readers():
        end = offset + sub.doc_count_all()
        ycol = sub.column_reader("year_start") if sub.has_column("year_start") else None
        dcol = sub.column_reader("doc_id") if sub.has_column("doc_id") else None
        while i < len(docnums) and docnums[i] < end:
            local = docnums[i] - offset
            if ycol is not None:
                years.add(ycol[local])
            if dcol is not None:
                docs.add(dcol[local])
            i += 1
    return _year_labels(years), len(docs)


def _year_labels(years) -> list[str]:
    from ingest.metadata import fy_label

    # a section without a year reads back from Whoosh's column as a sentinel (2**31 - 1)
    return [fy_label(y) for y in sorted(y for y in years if y and 1900 < y < 2200)]
