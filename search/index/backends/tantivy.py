"""The tantivy backend: a compiled engine for large corpora (beyond some 20,000 sections).

:func:`search.index.analysis.engine_text` gives each field's words (compounds and prefixes
joined, year spans in one form, case and accents folded) one space apart, stemmed with the
stemmer the query parser uses (tantivy's, each distinct word once), and the field's analyser
only splits them, so terms are those of the Whoosh backend. The parts of a
joined word (``agency`` of ``multi-agency``) are added after the text, so they are found
as words; for phrases through them each field has a twin (``text_split``) holding the text
with the joined words split, which a phrase query also tries. The query trees :mod:`search.query` parses are
translated node by node (:func:`translate`). Every record's stored fields are kept as one
JSON value (``data``); the fields queries, filters and counts use are indexed (and fast
columns where counted or sorted). Counting is tantivy's aggregations. Needs tantivy 0.27+,
which has wheels for Python 3.11 and later.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import tantivy

from search.index import qtree
from search.index.analysis import COMPOUNDS, PREFIXES, STEMS, engine_fields, engine_text
from search.index.backends.base import ANY, Backend, Count, Found, Unsupported, Writer
from search.index.lock import IndexBusy
from search.index.schema import UNSTORED

TEXT_FIELDS = ("heading", "text", "title", "exact", "publisher")
KEYWORDS = ("id", "kind", "doc_id", "section_id", "doc_type", "themes", "item_kind", "status", "path", "years")
_FAST = ("doc_id", "doc_type", "themes", "years")
_MANY = ("themes", "years")  # the many-valued fields (comma-separated in a record)
_YEARS = ("year_start", "years")
_HEAP = 64_000_000
_MISSING_YEAR = -1
_FIRSTS = "firsts"
_DOCS_AT_ONCE = 500  # documents grouped in one aggregation (each with its years and themes)
_UNSTORED = UNSTORED  # kept as terms only


_STEMMED = ("heading", "text", "title")  # the others are words as written
_ANALYSERS = {True: "sg_stem", False: "whitespace"}
_TWIN = "_split"  # a field's twin: its text with joined words split, for phrases


def make_schema():
    """The tantivy schema: positional term fields, keyword fields, fast columns, stored JSON."""
    b = tantivy.SchemaBuilder()
    for name in KEYWORDS:
        b.add_text_field(name, stored=name in ("id", "doc_id"), fast=name in _FAST, tokenizer_name="raw",
                         index_option="freq" if name == "themes" else "basic")
    for name in TEXT_FIELDS:
        b.add_text_field(name, tokenizer_name=_ANALYSERS[name in _STEMMED], index_option="position")
        b.add_text_field(name + _TWIN, tokenizer_name=_ANALYSERS[name in _STEMMED], index_option="position")
    # "theme|year" marks on the first section of each document with that theme in a year it
    # covers (theme "" any section, year "-" undated, "*" any year): distinct documents by counting
    b.add_text_field(_FIRSTS, fast=True, tokenizer_name="raw", index_option="basic")
    b.add_integer_field("year_start", indexed=True, fast=True)
    b.add_bytes_field("data", stored=True)
    return b.build()


def _register(index) -> None:
    """The analyser of the stemmed fields (registered on every index opened: tantivy keeps its
    name only). Their words come stemmed (:func:`engine_fields`), so it only splits them: the terms
    are those tantivy's stemmer gives, and indexes written before, which tantivy stemmed, stay
    valid both ways."""
    index.register_tokenizer(_ANALYSERS[True], tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build())


_WAITS = PREFIXES | set(COMPOUNDS)


@lru_cache(maxsize=1024)
def _cached_fields(text: str) -> tuple[str, list[str], str, str, str]:
    return engine_fields(text)  # titles and publishers repeat for every section of a document, headings often


def _stemmed(f: tuple[str, list[str], str, str, str]) -> tuple[str, list[str], str]:
    return f[3], [STEMS[p] for p in f[1]], f[4]


def section_texts(heading: str, text: str, title: str = "", publisher: str = "") -> dict[str, tuple[str, list[str], str]]:
    """Each positional field's words, compound parts and split words (:func:`engine_text`),
    stemmed in the stemmed fields; ``exact`` is the heading and text as one (analysed once
    more only when the heading ends in a word that may join the text's first)."""
    h, b = _cached_fields(heading), engine_fields(text)
    if h[0] and h[0].rsplit(" ", 1)[-1] in _WAITS:
        exact = engine_text(f"{heading}\n{text}")
    else:
        exact = (_joined(h[0], b[0]), h[1] + b[1], _joined(h[2] or h[0], b[2] or b[0]) if h[2] or b[2] else "")
    return {"heading": _stemmed(h), "text": _stemmed(b), "title": _stemmed(_cached_fields(title)), "exact": exact,
            "publisher": _cached_fields(publisher)[:3]}


def _joined(a: str, b: str) -> str:
    return f"{a} {b}" if a and b else a or b


_Token = tantivy.Token
# what json.dumps(value, default=str, separators=(",", ":")) does, without a new encoder per record
_encode = json.JSONEncoder(default=str, separators=(",", ":")).encode


def _add_text(d, name: str, words: str, parts: list[str], split: str) -> None:
    if words:
        d.add_text(name, words)
    if split:
        d.add_text(name + _TWIN, split)
    if parts:  # after the text: tantivy gives every value of a field positions of its own
        d.add_pre_tokenized_text(name, tantivy.PreTokenizedString("", [_Token(p, 0, 0, 0) for p in parts]))


def document(fields: dict, firsts: list[str] | None = None):
    """The tantivy document of a record's fields (as :mod:`search.index.records` makes them),
    with the section's ``firsts`` marks (:class:`TantivyWriter`)."""
    d = tantivy.Document()
    for mark in firsts or ():
        d.add_text(_FIRSTS, mark)
    for name in KEYWORDS:
        value = fields.get(name)
        if name in _MANY:
            for t in (value or "").split(","):
                if t.strip():
                    d.add_text(name, t.strip().lower())
        elif value:
            d.add_text(name, str(value))
    if fields.get("year_start") is not None:
        d.add_integer("year_start", int(fields["year_start"]))
    if fields.get("kind") == "section":  # only sections have searchable text
        texts = section_texts(fields.get("heading") or "", fields.get("text") or "", fields.get("title") or "",
                              fields.get("publisher") or "")
        for name in TEXT_FIELDS:
            _add_text(d, name, *texts[name])
    stored = {k: v for k, v in fields.items() if v is not None and k not in _UNSTORED}
    d.add_bytes("data", _encode(stored).encode("utf-8"))
    return d


class TantivyWriter(Writer):
    """Writes records; marks the first section of each document with each theme and year it
    writes (a document's sections are written in one writer, as ingest and retag do)."""

    def __init__(self, index):
        self._seen: dict[str, set[str]] = {}  # document id -> the marks given its sections
        self._asked: dict[str, set[tuple]] = {}  # document id -> the (themes, years) its sections had
        try:
            self.w = index.writer(_HEAP, 1)
        except ValueError as e:  # tantivy's own lock: a writer outside our ingest lock
            raise IndexBusy(f"the index is being written by another process: try again when it has finished ({e})") from None
        # files a killed writer left behind (never committed) would collide with this one's
        self.w.garbage_collect_files()

    def add(self, fields: dict) -> None:
        self.w.add_document(document(fields, self._firsts(fields) if fields.get("kind") == "section" else None))

    def _firsts(self, fields: dict) -> list[str]:
        doc = str(fields.get("doc_id") or "")
        year = fields.get("year_start")
        asked = self._asked.setdefault(doc, set())
        key = (fields.get("themes"), fields.get("years"), year)
        if key in asked:  # a section like an earlier one of its document: its marks are all given
            return []
        asked.add(key)
        seen = self._seen.setdefault(doc, set())
        years = [*([y.strip() for y in str(fields.get("years") or "").split(",") if y.strip()]
                   or ["-" if year is None else str(int(year))]), ANY]
        out = []
        for theme in ("", *(t.strip().lower() for t in (fields.get("themes") or "").split(",") if t.strip())):
            for y in years:
                mark = f"{theme}|{y}"
                if mark not in seen:
                    seen.add(mark)
                    out.append(mark)
        return out

    def update(self, fields: dict) -> None:
        self.w.delete_documents_by_term("id", fields["id"])
        self.add(fields)

    def delete_doc(self, doc_id: str) -> None:
        self.w.delete_documents_by_term("doc_id", doc_id)
        self._seen.pop(doc_id, None)
        self._asked.pop(doc_id, None)

    def commit(self) -> None:
        self.w.commit()
        self._close()

    def cancel(self) -> None:
        try:
            self.w.rollback()
        finally:
            self._close()

    def _close(self) -> None:
        # the writer holds tantivy's directory lock until it is consumed
        self.w.wait_merging_threads()


class TantivyBackend(Backend):
    """One tantivy index; its searcher is reloaded when a commit changed ``meta.json``."""

    name = "tantivy"

    @classmethod
    def create(cls, path: Path) -> TantivyBackend:
        _register(tantivy.Index(make_schema(), path=str(path), reuse=False))
        return cls(path)

    def __init__(self, path: Path):
        self.path = Path(path)
        self._open()

    def _open(self) -> None:
        self.index = tantivy.Index.open(str(self.path))
        _register(self.index)
        self.schema = self.index.schema
        self._stamp = self._meta_stamp()
        self._searcher = self.index.searcher()
        self._everything: dict = {}  # counts of every section a filter allows (:meth:`_by_complement`)

    def _meta_stamp(self):
        try:
            st = (self.path / "meta.json").stat()
            return st.st_mtime_ns, st.st_size
        except OSError:
            return None

    def close(self) -> None:
        self._searcher = None
        self.index = None

    def refresh(self) -> None:
        stamp = self._meta_stamp()
        if stamp != self._stamp:
            self.index.reload()
            self._searcher = self.index.searcher()
            self._everything = {}
            self._stamp = stamp

    def writer(self) -> TantivyWriter:
        return TantivyWriter(self.index)

    # -- reading --------------------------------------------------------------------------
    @staticmethod
    def _data(doc) -> dict:
        return json.loads(doc.get_first("data"))

    def get(self, rid: str) -> dict | None:
        ts = self._searcher
        hits = ts.search(tantivy.Query.term_query(self.schema, "id", rid), 1, count=False).hits
        return self._data(ts.doc(hits[0][1])) if hits else None

    def records(self, kind: str, **terms: str) -> list[dict]:
        return list(self.iter_records(kind, **terms))

    def iter_records(self, kind: str, release_every: int = 0, **terms: str):
        parts = [(tantivy.Occur.Must, tantivy.Query.term_query(self.schema, "kind", kind))]
        for name, value in terms.items():
            parts.append((tantivy.Occur.Must, tantivy.Query.term_query(self.schema, _field(name), str(value))))
        ts = self._searcher
        n = ts.num_docs
        found = [addr for _score, addr in ts.search(tantivy.Query.boolean_query(parts), max(n, 1), count=False).hits] \
            if n else []
        for k, addr in enumerate(found, start=1):
            yield self._data(ts.doc(addr))
            if release_every and k % release_every == 0 and k < len(found):
                ts = self._reopened()

    def _reopened(self):
        """A searcher of the same index opened again: the pages of its files read so far (which
        stay mapped while it is open) let go. Raises :class:`IndexBusy` when a commit changed
        the index since it was opened (the records' addresses would not hold)."""
        stamp = self._stamp
        self.close()
        self._open()
        if self._stamp != stamp:
            raise IndexBusy("the index was written while it was read: run the command again")
        return self._searcher

    def _query(self, query, flt, scored: bool = True):
        q = translate(query, self.schema, scored) if query is not None else \
            tantivy.Query.term_query(self.schema, "kind", "section")
        if flt is None:
            return q
        return tantivy.Query.boolean_query([
            (tantivy.Occur.Must, q),
            (tantivy.Occur.Must, tantivy.Query.const_score_query(translate(flt, self.schema, False), 0.0)),
        ])

    def _matches(self, query, flt):
        """:meth:`_query` for counting: the tree without what only ranks (:func:`qtree.matching`)."""
        return self._query(qtree.matching(query) if query is not None else None, flt, False)

    def search(self, query, flt, sort: str, limit: int) -> list[Found]:
        return self._ranked(query, flt, sort, limit, False)[0]

    def search_counted(self, query, flt, sort: str, limit: int) -> tuple[list[Found], int]:
        return self._ranked(query, flt, sort, limit, True)

    def _ranked(self, query, flt, sort: str, limit: int, count: bool) -> tuple[list[Found], int]:
        ts = self._searcher
        if sort == "year":
            # the order is the years': what only ranks changes nothing (:func:`qtree.required`)
            res = ts.search(self._query(qtree.required(query), flt), limit, count=count, order_by_field="year_start")
        else:
            res = ts.search(self._query(query, flt), limit, count=count)
        top = []
        for key, addr in res.hits:
            d = ts.doc(addr)
            score = 0.0 if sort == "year" else float(key)
            # the stored JSON decoded only for the hits shown (ranking reads the ids)
            top.append(Found(d.get_first("id"), score, d.get_first("doc_id") or "", load=lambda _rid, d=d: self._data(d)))
        return top, (res.count if count else 0)

    def which_match(self, query, ids: list[str]) -> set[str]:
        if not ids:
            return set()
        ts = self._searcher
        only = tantivy.Query.term_set_query(self.schema, "id", list(ids))
        both = tantivy.Query.boolean_query([(tantivy.Occur.Must, translate(qtree.matching(query), self.schema, False)),
                                            (tantivy.Occur.Must, only)])
        return {ts.doc(addr).get_first("id") for _score, addr in ts.search(both, len(ids), count=False).hits}

    def count(self, query, flt) -> int:
        # unscored: a count needs no ranking
        return self._searcher.search(tantivy.Query.const_score_query(self._matches(query, flt), 0.0), 1, count=True).count

    def counts(self, query, flt, by: tuple[str, ...], documents: bool = True) -> dict[tuple, Count]:
        """Counted with aggregations whose buckets never multiply documents by themes:
        sections per group in one aggregation (no document ids in it); distinct documents
        with document ids nested under themes one year at a time (or one theme at a time
        when no year is grouped by), so a call makes at most a year's documents times the
        themes in buckets, far under tantivy's limit of 65,000 at a national collection's
        size (some 300 documents a year)."""
        q = self._matches(query, flt)
        if documents and (by == () or (len(by) == 1 and by[0] in _YEARS)):
            return self._per_document(q, by)[0]
        total = self._searcher.search(q, 1, count=True).count
        docs_total = len(self._grouped(q, ("doc_id",))) if total and documents else 0
        out: dict[tuple, Count] = {(): Count(total, docs_total)}
        if not total or not by:
            return out
        sections = self._grouped(q, by)
        if not documents:
            return {**out, **{k: Count(n, 0) for k, n in sections.items()}}
        if "doc_id" in by:
            return {**out, **{k: Count(n, 1) for k, n in sections.items()}}
        # only themes multiply a document into many buckets; a span's few years do not
        split = next((i for i, f in enumerate(by) if f in _YEARS), None) if "themes" in by else None
        if split is None and "themes" in by:
            split = by.index("themes")
        docs: dict[tuple, int] = {}
        if split is None:
            docs = self._grouped(q, by, distinct=True)
        else:
            rest = tuple(f for i, f in enumerate(by) if i != split)
            for value in sorted({k[split] for k in sections}, key=str):
                sub = tantivy.Query.boolean_query([(tantivy.Occur.Must, q), (tantivy.Occur.Must, self._equals(by[split], value))])
                for key, n in self._grouped(sub, rest, distinct=True).items():
                    docs[key[:split] + (value,) + key[split:]] = n
        out.update({k: Count(n, docs.get(k, 0)) for k, n in sections.items()})
        return out

    def counts_and_tallies(self, query, flt, by: tuple[str, ...], fields: tuple[str, ...],
                           total: int | None = None, per_group_documents: bool = True) -> tuple[dict, dict]:
        if not (by == () or (len(by) == 1 and by[0] in _YEARS)):
            return super().counts_and_tallies(query, flt, by, fields, total)
        if by and not per_group_documents and by[0] not in fields:  # the years tallied beside the documents
            counts, tallied = self.counts_and_tallies(query, flt, (), (*fields, by[0]), total)
            counts.update({(year,): Count(n, 0) for year, n in tallied.pop(by[0]).items()})
            return counts, tallied
        if query is not None and flt is None and total is not None and total * 2 > self._searcher.doc_freq("kind", "section"):
            return self._by_complement(query, by, fields)
        return self._per_document(self._matches(query, flt), by, fields)

    def _per_document(self, q, by: tuple[str, ...], tallies: tuple[str, ...] = ()):
        """A search's summary (sections and documents, in all and per year) from one
        aggregation of the matches by document (and, within each, by ``by``'s year field),
        which neither scores them nor makes more buckets than documents and their years;
        with ``tallies`` (fields), also the sections per value of each, counted in the same
        pass (``doc_id``'s from the documents' buckets): ``(counts, tallies)``."""
        return _summarised(*self._buckets(q, by, tallies), by, tallies)

    def _buckets(self, q, by: tuple[str, ...], tallies: tuple[str, ...]) -> tuple[dict, dict]:
        """What :meth:`_per_document` sums: ``{doc_id: (sections, {year: sections})}`` and
        ``{field: {value: sections}}`` for the ``tallies`` other than ``doc_id``."""
        missing = (_MISSING_YEAR if by[0] == "year_start" else str(_MISSING_YEAR)) if by else None
        inner = {"aggs": {"y": {"terms": {"field": by[0], "size": 100_000, "missing": missing}}}} if by else {}
        spec = {"d": {"terms": {"field": "doc_id", "size": 1_000_000}, **inner},
                **{f"t_{name}": {"terms": {"field": name, "size": 100_000,
                                           **({"missing": _MISSING_YEAR if name == "year_start" else str(_MISSING_YEAR)}
                                              if name in _YEARS else {})}}
                   for name in tallies if name != "doc_id"}}
        result = self._searcher.aggregate(q, spec)
        docs = {b["key"]: (b["doc_count"], {_year(y["key"]): y["doc_count"] for y in b["y"]["buckets"]} if by else {})
                for b in result["d"]["buckets"]}
        return docs, {name: {(_year(b["key"]) if name in _YEARS else b["key"]): b["doc_count"]
                             for b in result[f"t_{name}"]["buckets"]} for name in tallies if name != "doc_id"}

    def _by_complement(self, query, by: tuple[str, ...], fields: tuple[str, ...]) -> tuple[dict, dict]:
        """:meth:`_per_document` for a query (no filter) matching most sections: the sections
        it does not match are counted (fewer to read), and taken from the counts of every
        section (counted once for each state of the index)."""
        allowed = self._query(None, None)
        key = (by, fields)
        if key not in self._everything:
            if len(self._everything) >= 16:
                self._everything.clear()
            self._everything[key] = self._buckets(allowed, by, fields)
        all_docs, all_tallies = self._everything[key]
        rest = tantivy.Query.boolean_query([(tantivy.Occur.Must, allowed),
                                            (tantivy.Occur.MustNot, translate(qtree.matching(query), self.schema, False))])
        not_docs, not_tallies = self._buckets(rest, by, fields)
        docs = {}
        for doc, (n, years) in all_docs.items():
            less, less_years = not_docs.get(doc, (0, {}))
            if n > less:
                docs[doc] = (n - less, {y: k - less_years.get(y, 0) for y, k in years.items() if k > less_years.get(y, 0)})
        tallied = {name: {v: n - not_tallies[name].get(v, 0) for v, n in values.items() if n > not_tallies[name].get(v, 0)}
                   for name, values in all_tallies.items()}
        return _summarised(docs, tallied, by, fields)

    def theme_documents(self) -> dict[tuple, int]:
        result = self._searcher.aggregate(tantivy.Query.all_query(), {"f": {"terms": {"field": _FIRSTS, "size": 1_000_000}}})
        out: dict[tuple, int] = {}
        for b in result["f"]["buckets"]:
            theme, _, year = b["key"].rpartition("|")
            out[theme or None, None if year == "-" else year if year == ANY else int(year)] = b["doc_count"]
        return out

    def tallies(self, query, flt, fields: tuple[str, ...]) -> dict[str, dict]:
        spec = {name: {"terms": {"field": name, "size": 1_000_000 if name == "doc_id" else 100_000}} for name in fields}
        result = self._searcher.aggregate(self._matches(query, flt), spec)
        return {name: {(int(b["key"]) if name in _YEARS else b["key"]): b["doc_count"]
                       for b in result[name]["buckets"]} for name in fields}

    def _equals(self, name: str, value):
        """The query for a field's value as :meth:`_grouped` gives it (None: a record without a year)."""
        if name in _YEARS:
            if value is None:
                return tantivy.Query.boolean_query([
                    (tantivy.Occur.Must, tantivy.Query.all_query()),
                    (tantivy.Occur.MustNot, tantivy.Query.range_query(self.schema, "year_start", tantivy.FieldType.Integer,
                                                                      -(2**62), 2**62))])
            if name == "years":
                return tantivy.Query.term_query(self.schema, name, str(value))
            return tantivy.Query.range_query(self.schema, name, tantivy.FieldType.Integer, value, value)
        return tantivy.Query.term_query(self.schema, name, value)

    def _grouped(self, q, by: tuple[str, ...], distinct: bool = False) -> dict[tuple, int]:
        """Matches of ``q`` per value of the fields ``by`` (nested terms aggregations): sections,
        or with ``distinct`` the distinct documents (document ids nested innermost). Grouped
        first by document, the documents are counted :data:`_DOCS_AT_ONCE` at a time, so that
        the buckets under them (years, themes) stay far under tantivy's limit however many
        documents there are."""
        if len(by) > 1 and by[0] == "doc_id":
            ids = sorted(k[0] for k in self._grouped(q, ("doc_id",)))
            out: dict[tuple, int] = {}
            for i in range(0, len(ids), _DOCS_AT_ONCE):
                some = tantivy.Query.term_set_query(self.schema, "doc_id", ids[i:i + _DOCS_AT_ONCE])
                out.update(self._aggregate(tantivy.Query.boolean_query([(tantivy.Occur.Must, q), (tantivy.Occur.Must, some)]),
                                           by, distinct))
            return out
        return self._aggregate(q, by, distinct)

    def _aggregate(self, q, by: tuple[str, ...], distinct: bool) -> dict[tuple, int]:
        """:meth:`_grouped` in one aggregation."""
        levels = by + ("doc_id",) if distinct else by
        spec: dict = {}
        for i, name in reversed(list(enumerate(levels))):
            terms = {"field": name, "size": 1_000_000 if name == "doc_id" else 100_000}
            if name in _YEARS:
                terms["missing"] = _MISSING_YEAR if name == "year_start" else str(_MISSING_YEAR)
            spec = {f"g{i}": {"terms": terms, **({"aggs": spec} if spec else {})}}
        result = self._searcher.aggregate(q, spec)
        out: dict[tuple, int] = {}

        def walk(node: dict, key: tuple, depth: int) -> None:
            buckets = node[f"g{depth}"]["buckets"]
            if distinct and depth == len(by):
                out[key] = len(buckets)
                return
            for b in buckets:
                value = b["key"]
                if levels[depth] in _YEARS:
                    value = None if int(value) == _MISSING_YEAR else int(value)
                if depth + 1 == len(levels):
                    out[key + (value,)] = b["doc_count"]
                else:
                    walk(b, key + (value,), depth + 1)

        walk(result, (), 0)
        return out

    def doc_frequency(self, field: str, term: str) -> int:
        return self._searcher.doc_freq(_field(field), term)

    def records_total(self) -> int:
        return self._searcher.num_docs

    def words(self, prefix: str = "") -> list[tuple[str, int]]:
        return sorted(self._searcher.terms_with_prefix("exact", prefix))  # tantivy gives the most frequent first


def _year(key) -> int | None:
    """A year bucket's key (None: the sections without a year)."""
    return None if int(key) == _MISSING_YEAR else int(key)


def _summarised(docs: dict, tallied: dict, by: tuple[str, ...], tallies: tuple[str, ...]) -> tuple[dict, dict]:
    """:meth:`TantivyBackend._per_document`'s answer from the matches' buckets by document."""
    out: dict[tuple, Count] = {(): Count(sum(n for n, _years in docs.values()), len(docs))}
    sections: dict[tuple, int] = {}
    counted: dict[tuple, int] = {}
    for _n, years in docs.values() if by else ():
        for year, n in years.items():
            sections[year,] = sections.get((year,), 0) + n
            counted[year,] = counted.get((year,), 0) + 1
    out.update({k: Count(n, counted[k]) for k, n in sections.items()})
    return out, {name: {d: n for d, (n, _years) in docs.items()} if name == "doc_id" else tallied[name] for name in tallies}


def translate(node, schema, scored: bool = True):
    """The tantivy query for a neutral query tree (raises :class:`Unsupported`); with ``scored``
    False, a query that matches the same sections without scoring them alike (for counting
    and constants: a phrase is not read again to keep its twin's score apart)."""
    out = _node(node, schema, scored)
    return tantivy.Query.boost_query(out, node.boost) if node.boost != 1.0 and scored else out


def _node(q, schema, scored: bool):
    Q, Occur = tantivy.Query, tantivy.Occur
    if isinstance(q, qtree.Term):
        return Q.term_query(schema, _field(q.field), q.text)
    if isinstance(q, qtree.Prefix):
        return Q.regex_query(schema, _field(q.field), re.escape(q.text) + ".*")
    if isinstance(q, qtree.Phrase):
        if len(q.words) == 1:
            return Q.term_query(schema, _field(q.field), q.words[0])
        field = _field(q.field)
        if field not in TEXT_FIELDS:
            return _in_order(schema, field, q.words, q.slop, scored)
        phrase = _in_order(schema, field, q.words, q.slop, scored)
        twin = _in_order(schema, field + _TWIN, q.words, q.slop, False)
        if not scored:  # what the scored form matches: a twin's words are all in the field (engine_fields)
            return Q.boolean_query([(Occur.Should, phrase), (Occur.Should, twin)])
        words = [(Occur.Must, Q.term_query(schema, field, w)) for w in q.words]
        # scored as one term of BM25 (how often the phrase stands in the field, with the sum of its
        # words' rarity), as the Whoosh backend scores it; a phrase found only through a joined
        # word's parts (in the twin) is scored by its words in the field itself (the twin's
        # statistics are those of the sections with joined words, not of all)
        through = Q.boolean_query([(Occur.Must, Q.const_score_query(twin, 0.0)), (Occur.MustNot, phrase), *words])
        return Q.boolean_query([(Occur.Should, phrase), (Occur.Should, through)])
    if isinstance(q, qtree.Range):
        if q.field != "year_start":
            raise Unsupported(q.field)
        return Q.range_query(schema, "year_start", tantivy.FieldType.Integer, q.start, q.end,
                             include_lower=True, include_upper=True)
    if isinstance(q, qtree.AndMaybe):
        return Q.boolean_query([(Occur.Must, translate(q.must, schema, scored)),
                                (Occur.Should, translate(q.should, schema, scored))])
    if isinstance(q, qtree.And):
        parts = [(Occur.MustNot, translate(p.part, schema, False)) if isinstance(p, qtree.Not)
                 else (Occur.Must, translate(p, schema, scored)) for p in q.parts]
        if not any(o == Occur.Must for o, _ in parts):
            raise Unsupported("only negative clauses")
        return Q.boolean_query(parts)
    if isinstance(q, qtree.Or):
        if any(isinstance(p, qtree.Not) for p in q.parts):
            raise Unsupported("negation inside OR")
        return Q.boolean_query([(Occur.Should, translate(p, schema, scored)) for p in q.parts])
    if isinstance(q, qtree.DisMax):
        return Q.disjunction_max_query([translate(p, schema, scored) for p in q.parts], q.tiebreak)
    if isinstance(q, qtree.Const):  # only which sections match counts here, not how well
        return Q.const_score_query(translate(qtree.matching(q.part), schema, False), q.score)
    if isinstance(q, qtree.Plus):
        if not scored:
            return translate(q.part, schema, False)
        # the part's score, and the fixed amount from a clause every section matches (looked up
        # only where the part matches): the part's positions are read once
        return Q.boolean_query([(Occur.Must, translate(q.part, schema, True)),
                                (Occur.Must, Q.const_score_query(Q.all_query(), q.score))])
    if isinstance(q, qtree.Every):
        return Q.term_query(schema, "kind", "section")
    if isinstance(q, qtree.Nothing):
        return Q.empty_query()
    raise Unsupported(type(q).__name__)


_ORDERS_AT_MOST = 16  # beyond this many ways to place the gaps, the phrase is read as tantivy reads it


def _in_order(schema, field: str, words: tuple[str, ...], slop: int, scored: bool):
    """The phrase with at most ``slop`` other words in all between its first and last word, in
    order. tantivy reads a slop so only when it scores a phrase of three words or more: unscored
    (a count, a constant, a filter) it allows the slop between each two words, and from a slop
    of 2 it lets two words change places (``abuse domestic`` finding "domestic abuse"), and
    scored or not, one word may stand for two alike (``from the the`` in "from the"). Such a
    phrase is matched as the phrases with each way of placing the gaps, its words at fixed
    offsets (slop 0, read alike either way), or, of two different words, as one or two phrases
    whose offset and slop allow just the distances wanted (:func:`_spans`); scored, the phrase
    itself gives the score."""
    phrase = tantivy.Query.phrase_query(schema, field, list(words), slop=slop)
    alike = len(set(words)) < len(words)
    if slop == 0 or slop == 1 and not alike and (len(words) == 2 or scored):
        return phrase
    if len(words) == 2 and not alike:
        # the second word 1 to slop + 1 places after the first: tantivy's phrase of two words at
        # offsets 0 and c with slop t finds them c - t to c + t places apart (before, if negative),
        # so one or two such phrases hold every placing (read once each, not once a placing)
        ordered = tantivy.Query.boolean_query([
            (tantivy.Occur.Should, tantivy.Query.phrase_query(schema, field, [(0, words[0]), ((lo + hi) // 2, words[1])],
                                                              slop=(hi - lo) // 2))
            for lo, hi in _spans(slop)])
    else:
        placings = _placings(len(words) - 1, slop)
        if len(placings) > _ORDERS_AT_MOST:
            return phrase
        ordered = tantivy.Query.boolean_query([
            (tantivy.Occur.Should, tantivy.Query.phrase_query(schema, field, list(zip(offsets, words)), slop=0))
            for offsets in placings])
    if not scored:
        return ordered
    return tantivy.Query.boolean_query([(tantivy.Occur.Must, phrase),
                                        (tantivy.Occur.Must, tantivy.Query.const_score_query(ordered, 0.0))])


def _spans(slop: int) -> list[tuple[int, int]]:
    """The distances 1 to ``slop + 1`` as runs of an odd length (a phrase's offset and slop find
    a run centred on the offset): the whole when ``slop + 1`` is odd, else all but the last, and it."""
    n = slop + 1
    return [(1, n)] if n % 2 else [(1, n - 1), (n, n)]


@lru_cache(maxsize=256)
def _placings(gaps: int, slop: int) -> list[tuple[int, ...]]:
    """Each word's offset for every way of putting at most ``slop`` other words in ``gaps`` gaps."""
    out = [(0,)]
    for _ in range(gaps):
        out = [(*o, o[-1] + 1 + g) for o in out for g in range(slop + 1 - (o[-1] - len(o) + 1))]
    return out


def _field(name: str) -> str:
    if name not in TEXT_FIELDS and name not in KEYWORDS:
        raise Unsupported(name)
    return name
