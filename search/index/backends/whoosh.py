"""The Whoosh backend (the default engine): pure Python, fine up to some 20,000 sections.

Every record is one Whoosh document with the fields of :func:`make_schema`;
only sections have indexed text, so a query matches sections without a filter. Counts
come from the per-segment columns of ``year_start``, ``doc_id`` and ``doc_type`` and
from the postings of each theme, never from stored fields.
"""
from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from functools import lru_cache
from math import log
from pathlib import Path

import whoosh.index
from whoosh import collectors, scoring
from whoosh import query as wq
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.query import And, Term, spans

from search.index import qtree
from search.index.analysis import exact_analyzer, text_analyzer
from search.index.backends.base import Backend, Count, Found, Unsupported, Writer
from search.index.lock import IndexBusy
from search.index.schema import FIELDS

SECTIONS = Term("kind", "section")
# the many-valued fields counts group by, and the key of a record without a value
MANY = {"themes": (), "years": (None,)}


def make_schema() -> Schema:
    """The Whoosh schema of :data:`search.index.schema.FIELDS` (a fresh object each time:
    Whoosh fields are stateful)."""
    text, exact = text_analyzer(), exact_analyzer()
    made = {
        "id": lambda o: ID(**o),
        "keyword": lambda o: KEYWORD(commas=True, **o),
        "numeric": lambda o: NUMERIC(int, **o),
        "stored": lambda o: STORED(),
        "text": lambda o: TEXT(analyzer=text, multitoken_query="phrase", **o),
        "exact": lambda o: TEXT(analyzer=exact, multitoken_query="phrase", **o),
    }
    return Schema(**{name: made[kind](opts) for name, (kind, opts) in FIELDS.items()})


def _engine_lengths() -> list[int]:
    """The field lengths tantivy (and Lucene) keep, one byte each: exact up to 40, then eight
    steps per doubling (``SmallFloat``'s byte-to-int with 24 free values)."""
    out = list(range(24))
    for i in range(256 - 24):
        bits, shift = i & 7, (i >> 3) - 1
        out.append(24 + (bits if shift < 0 else (bits | 8) << shift))
    return out


_LENGTHS = _engine_lengths()


@lru_cache(maxsize=4096)
def _as_tantivy(length: float) -> float:
    """The length tantivy keeps for a length as Whoosh gives it back: Whoosh rounds a length
    above ten up to a bucket of its own, about 4.4% wide, so it is read at the bucket's
    middle; tantivy rounds down to its table (exact up to 40)."""
    n = int(length)
    return _LENGTHS[bisect_right(_LENGTHS, round(n / 1.022) if n > 10 else n) - 1]


class _Scorer(scoring.BM25FScorer):
    """Whoosh's BM25 over the field's length as tantivy keeps it (``_score`` is the hook
    Whoosh documents for a scorer of weight and length)."""

    def _score(self, weight, length):
        return scoring.bm25(self.idf, weight, _as_tantivy(length), self.avgfl, self.B, self.K1)


class _PhraseMatcher:
    """A phrase's matcher (every other call goes to Whoosh's own) scoring each section as
    BM25 of one term: how often the phrase stands there, with the sum of its words' rarity
    (as tantivy and Lucene score a phrase)."""

    def __init__(self, child, boost: float, searcher, field: str, idf: float, avgfl: float):
        self.child, self.boost = child, boost
        self._searcher, self._field, self._idf, self._avgfl = searcher, field, idf, avgfl

    def __getattr__(self, name):
        return getattr(self.child, name)

    def copy(self):
        return _PhraseMatcher(self.child.copy(), self.boost, self._searcher, self._field, self._idf, self._avgfl)

    def replace(self, minquality=0):
        return self  # never pruned: its words' weights do not bound a phrase's score

    def __lt__(self, other):
        # Whoosh sorts an alternative's parts as (guessed matches, matcher) pairs; on a tie
        # it compares the matchers: two phrases stay in their order, as its own matchers do
        return False if isinstance(other, _PhraseMatcher) else NotImplemented

    def supports_block_quality(self):
        return False

    def score(self):
        tf = len(self.child.spans())
        length = _as_tantivy(self._searcher.doc_field_length(self.child.id(), self._field, 1))
        return self.boost * scoring.bm25(self._idf, tf, length, self._avgfl, _BM25.B, _BM25.K1)


class _Within(spans.SpanWrappingMatcher):
    """A phrase's matcher keeping only where its words stand in order with at most ``slop``
    other words in all between the first and the last, as tantivy (and Lucene) read a slop:
    Whoosh's own phrase allows that many between each two (``child in care`` in "the child
    meetings in primary care")."""

    def __init__(self, child, width: int):
        self.width = width  # the span of the first word to the last, in positions
        super().__init__(child)

    def copy(self):
        return _Within(self.child.copy(), self.width)

    def _replacement(self, newchild):
        return _Within(newchild, self.width)

    def _get_spans(self):  # the hook Whoosh documents for a span-filtering matcher
        return [s for s in self.child.spans() if s.end - s.start <= self.width]


class _Phrase(wq.WrappingQuery):
    """A phrase scored as :class:`_PhraseMatcher` does (and, of more than two words with a
    slop, matched as :class:`_Within` says)."""

    def __init__(self, child: wq.Phrase, boost: float = 1.0):
        super().__init__(child)
        self.boost = boost

    def apply(self, fn):
        return _Phrase(fn(self.child), self.boost)

    def with_boost(self, boost):
        return _Phrase(self.child, boost)

    def matcher(self, searcher, context=None):
        m = self.child.matcher(searcher, context)
        words = self.child.words
        if m.is_active() and len(words) > 2 and self.child.slop > 1:
            m = _Within(m, len(words) + self.child.slop - 2)
        if not m.is_active():
            return m
        parent = searcher.get_parent()
        field = self.child.fieldname
        idf = sum(_BM25.idf(searcher, field, w) for w in self.child.words)
        return _PhraseMatcher(m, self.boost * self.child.boost, searcher, field, idf, parent.avg_field_length(field) or 1)


class BM25(scoring.BM25F):
    """BM25 with the probabilistic idf tantivy (and Lucene) use, so that a word in nearly
    every record weighs nearly nothing, and a field's length rounded as tantivy rounds it,
    so that both engines score a word alike."""

    def idf(self, searcher, fieldname, text):
        parent = searcher.get_parent()
        n = parent.doc_frequency(fieldname, text)
        total = parent.doc_count()
        return log(1 + (total - n + 0.5) / (n + 0.5))

    def scorer(self, searcher, fieldname, text, qf=1):
        if not searcher.schema[fieldname].scorable:
            return super().scorer(searcher, fieldname, text, qf)
        return _Scorer(searcher, fieldname, text, self.B, self.K1, qf=qf)


_BM25 = BM25()


def translate(node: qtree.Node):
    """The Whoosh query for a neutral query tree (raises :class:`Unsupported`)."""
    b = node.boost
    if isinstance(node, qtree.Term):
        return wq.Term(node.field, node.text, boost=b)
    if isinstance(node, qtree.Phrase):
        if len(node.words) == 1:
            return wq.Term(node.field, node.words[0], boost=b)
        return _Phrase(wq.Phrase(node.field, list(node.words), slop=node.slop + 1), b)
    if isinstance(node, qtree.Prefix):
        return wq.Prefix(node.field, node.text, boost=b)
    if isinstance(node, qtree.Range):
        return wq.NumericRange(node.field, node.start, node.end, boost=b)
    if isinstance(node, (qtree.And, qtree.Or, qtree.DisMax)) and len(node.parts) == 1:
        one = translate(node.parts[0])  # Whoosh runs a one-part group as its part, without the group's boost
        one.boost *= b
        return one
    if isinstance(node, qtree.And):
        if not any(not isinstance(p, qtree.Not) for p in node.parts):
            raise Unsupported("only negative clauses")
        nots = [translate(p.part) for p in node.parts if isinstance(p, qtree.Not)]
        if not nots:
            return wq.And([translate(p) for p in node.parts], boost=b)
        # what a section lacks scores nothing, as in the other engine (a wq.Not in an And adds 1).
        # Whoosh's AndNot checks its first match against the excluded clause only when both start
        # on the same section: the excluded clause is read among the kept one's sections, so it
        # never starts before them
        kept = translate(qtree.And(tuple(p for p in node.parts if not isinstance(p, qtree.Not)), node.boost))
        return wq.AndNot(kept, wq.And([nots[0] if len(nots) == 1 else wq.Or(nots), kept]))
    if isinstance(node, qtree.Or):
        if any(isinstance(p, qtree.Not) for p in node.parts):
            raise Unsupported("negation inside OR")
        return wq.Or([translate(p) for p in node.parts], boost=b)
    if isinstance(node, qtree.DisMax):
        return wq.DisjunctionMax([translate(p) for p in node.parts], boost=b, tiebreak=node.tiebreak)
    if isinstance(node, qtree.Not):
        return wq.Not(translate(node.part))
    if isinstance(node, qtree.AndMaybe):
        out = wq.AndMaybe(translate(node.must), translate(node.should))
        out.boost = b
        return out
    if isinstance(node, qtree.Const):
        return wq.ConstantScoreQuery(translate(node.part), node.score * b)
    if isinstance(node, qtree.Plus):  # the part and its constant (Whoosh's matchers are read apart anyway)
        return wq.Or([translate(node.part), wq.ConstantScoreQuery(translate(qtree.matching(node.part)), node.score)],
                     boost=b)
    if isinstance(node, qtree.Every):
        return SECTIONS
    if isinstance(node, qtree.Nothing):
        return wq.NullQuery
    raise Unsupported(type(node).__name__)


class WhooshWriter(Writer):
    """A Whoosh segment writer (separate files: a compound file is read whole on every open)."""

    def __init__(self, ix):
        try:
            self.w = ix.writer(timeout=5.0, compound=False, limitmb=32)
        except whoosh.index.LockError:  # a writer outside our ingest lock
            raise IndexBusy("the index is being written by another process: try again when it has finished") from None

    def add(self, fields: dict) -> None:
        self.w.add_document(**fields)

    def update(self, fields: dict) -> None:
        self.w.update_document(**fields)

    def delete_doc(self, doc_id: str) -> None:
        self.w.delete_by_term("doc_id", doc_id)

    def commit(self) -> None:
        self.w.commit()

    def cancel(self) -> None:
        self.w.cancel()


class WhooshBackend(Backend):
    """One Whoosh index, with a searcher kept open and refreshed when the index changes."""

    name = "whoosh"

    @classmethod
    def create(cls, path: Path) -> WhooshBackend:
        whoosh.index.create_in(str(path), make_schema())
        return cls(path)

    def __init__(self, path: Path):
        self.path = Path(path)
        self.ix = whoosh.index.open_dir(str(path))
        self._searcher = None
        self._filters: dict[str, set] = {}

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        self.ix.close()

    def searcher(self):
        if self._searcher is None:
            self._searcher = self.ix.searcher(weighting=BM25())
        return self._searcher

    def refresh(self) -> None:
        if self._searcher is not None and not self._searcher.up_to_date():
            # a new searcher, not Searcher.refresh(): that reuses segment readers, which keep
            # the deletions they were opened with when a commit only deleted
            self._searcher.close()
            self._searcher = self.ix.searcher(weighting=BM25())
            self._filters = {}

    def writer(self) -> WhooshWriter:
        return WhooshWriter(self.ix)

    # -- reading --------------------------------------------------------------------------
    def get(self, rid: str) -> dict | None:
        found = self.searcher().document(id=rid)
        return dict(found) if found else None

    def records(self, kind: str, **terms: str) -> list[dict]:
        return list(self.iter_records(kind, **terms))

    def iter_records(self, kind: str, release_every: int = 0, **terms: str):
        q = Term("kind", kind)
        for name, value in terms.items():
            q = q & Term(name, value)
        s = self.searcher()
        for d in sorted(s.docs_for_query(q)):
            yield dict(s.stored_fields(d))

    def _filter(self, flt) -> set | None:
        """The documents a filter allows, remembered while the index is unchanged (a filter
        over 100,000 sections costs as much as a search)."""
        if flt is None:
            return None
        key = repr(flt)
        found = self._filters.get(key)
        if found is None:
            found = set(self.searcher().docs_for_query(translate(flt)))  # Whoosh takes a set as a filter
            if len(self._filters) > 64:
                self._filters.clear()
            self._filters[key] = found
        return found

    def search(self, query, flt, sort: str, limit: int) -> list[Found]:
        return self._ranked(query, flt, sort, limit)[0]

    def search_counted(self, query, flt, sort: str, limit: int) -> tuple[list[Found], int]:
        return self._ranked(query, flt, sort, limit)

    def _ranked(self, query, flt, sort: str, limit: int) -> tuple[list[Found], int]:
        """:meth:`search_counted`: the collector sees every match, so the total is its count."""
        s = self.searcher()
        allow = self._filter(flt)
        if allow is not None and not allow:  # Whoosh takes an empty filter for no filter
            return [], 0
        if sort == "year":  # the order is the years': what only ranks changes nothing (:func:`qtree.required`)
            results = s.search(translate(qtree.required(query)), limit=limit, filter=allow, sortedby="year_start",
                               reverse=True)
        else:
            # no block skipping and no pruning of parts (replace=0): Whoosh judges a part's
            # best score from its words' weights alone, not the constants and boosts of a
            # ranked query, and dropped sections that scored above the last one kept
            c = collectors.TopCollector(limit, usequality=False, replace=0)
            if allow is not None:
                c = collectors.FilterCollector(c, allow)
            s.search_with_collector(translate(query), c)
            results = c.results()
        top = []
        # not list(results): that asks len(), which counts every match in Python
        for hit in (results[i] for i in range(results.scored_length())):
            f = hit.fields()
            score = 0.0 if sort == "year" else float(hit.score or 0.0)
            top.append(Found(f["id"], score, f.get("doc_id", ""), f))
        return top, len(results)

    def which_match(self, query, ids: list[str]) -> set[str]:
        s = self.searcher()
        wanted = {}
        for rid in ids:
            d = s.document_number(id=rid)
            if d is not None:
                wanted[d] = rid
        m = translate(query).matcher(s)
        found = set()
        for d in sorted(wanted):
            if not m.is_active():
                break
            if m.id() < d:
                m.skip_to(d)
            if m.is_active() and m.id() == d:
                found.add(wanted[d])
        return found

    def count(self, query, flt) -> int:
        parts = [translate(query)] + ([translate(flt)] if flt is not None else [])
        return sum(1 for _ in self.searcher().docs_for_query(And(parts) if len(parts) > 1 else parts[0]))

    def counts(self, query, flt, by: tuple[str, ...], documents: bool = True) -> dict[tuple, Count]:
        s = self.searcher()
        parts = [translate(query) if query is not None else SECTIONS]
        if flt is not None:
            parts.append(translate(flt))
        docnums = sorted(s.docs_for_query(And(parts) if len(parts) > 1 else parts[0]))
        columns = {name: self._column_values(docnums, name) for name in {*by, "doc_id"} - set(MANY)}
        many = {name: self._terms_of(docnums, name) for name in MANY if name in by}
        sections: dict[tuple, int] = defaultdict(int)
        docs: dict[tuple, set] = defaultdict(set)
        for i, d in enumerate(docnums):
            doc_id = columns["doc_id"][i]
            keys = [()]
            for name in by:
                values = (many[name].get(d) or MANY[name]) if name in many else (columns[name][i],)
                keys = [k + (v,) for k in keys for v in values]
            for key in {(), *keys}:
                sections[key] += 1
                if documents:
                    docs[key].add(doc_id)
        out = {key: Count(n, len(docs[key]) if documents else 0) for key, n in sections.items()}
        out.setdefault((), Count(0, 0))
        return out

    def _column_values(self, docnums: list[int], name: str) -> list:
        """The column value of each of the (sorted) document numbers; None where it has none."""
        out = []
        i = 0
        for sub, offset in self.searcher().reader().leaf_readers():
            end = offset + sub.doc_count_all()
            col = sub.column_reader(name) if sub.has_column(name) else None
            while i < len(docnums) and docnums[i] < end:
                value = col[docnums[i] - offset] if col is not None else None
                if isinstance(value, bytes):
                    value = value.decode("utf-8")
                if name == "year_start" and not (value and 1900 < value < 2200):
                    value = None  # a record without a year reads back as a sentinel
                out.append(value or None)
                i += 1
        return out

    def _terms_of(self, docnums: list[int], name: str) -> dict[int, list]:
        """The values of a many-valued field for each document number, from each value's
        postings (there are few themes and few years)."""
        wanted = set(docnums)
        reader = self.searcher().reader()
        out: dict[int, list] = defaultdict(list)
        for term in reader.lexicon(name):
            value = term.decode("utf-8") if isinstance(term, bytes) else term
            value = int(value) if name == "years" else value
            for d in reader.postings(name, term).all_ids():
                if d in wanted:
                    out[d].append(value)
        return out

    def doc_frequency(self, field: str, term: str) -> int:
        return self.searcher().doc_frequency(field, term)

    def records_total(self) -> int:
        return self.searcher().doc_count()

    def words(self, prefix: str = "") -> list[tuple[str, int]]:
        found = self.searcher().reader().iter_prefix("exact", prefix)
        return [(t.decode("utf-8") if isinstance(t, bytes) else t, info.doc_frequency()) for t, info in found]
