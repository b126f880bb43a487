"""The compiled matcher: a tantivy index of the sections' terms, beside the Whoosh store.

Whoosh stays the store of record (every stored field, documents, items, the
vocabulary for did-you-mean). Matching and ranking sections, though, walks posting
lists in pure Python there, which at 100,000 sections costs hundreds of milliseconds
for a phrase or two common words. This module keeps the same terms in a tantivy index
(Rust) inside the generation folder and answers the matching part of a query from it:

- Terms come from our own analyzers (``search.analysis``) as pre-tokenised strings,
  so compounds, year spans and stems are exactly Whoosh's, and the parts of a
  hyphenated word sit at the same position as the whole.
- Queries are the Whoosh query trees that ``search.query`` parses, translated node by
  node (:func:`translate`); a node with no translation raises :class:`Unsupported`
  and the caller falls back to Whoosh's own matching.
- ``ENGINE_STAMP`` records the Whoosh generation the tantivy index was last committed
  with. A query uses tantivy only when the stamp matches the Whoosh reader's generation
  (a killed ingest between the two commits leaves them apart: queries then fall back to
  Whoosh, and the next ingest rebuilds this index from the stored fields).
"""
from __future__ import annotations

import contextlib
import os
import shutil
from functools import lru_cache
from pathlib import Path

from whoosh import query as wq
from whoosh.lang import stemmer_for_language

try:
    import tantivy
except ImportError:  # pragma: no cover - not installed (Python 3.10 has no tantivy wheel new enough)
    tantivy = None

from search.analysis import COMPOUNDS, PREFIXES, index_terms

# Pre-tokenised text came in tantivy 0.27 (Python 3.11+); without it Whoosh does all the matching.
AVAILABLE = tantivy is not None and hasattr(tantivy, "PreTokenizedString")
ENGINE_DIR = "engine"
ENGINE_STAMP = "ENGINE"
_TEXT_FIELDS = ("heading", "text", "title", "exact", "publisher")
_HEAP = 64_000_000


class Unsupported(Exception):
    """A query node tantivy cannot express (the caller falls back to Whoosh)."""


def make_schema():
    """The tantivy schema: positional term fields, keyword fields and fast columns."""
    b = tantivy.SchemaBuilder()
    b.add_text_field("id", stored=True, tokenizer_name="raw", index_option="basic")
    b.add_text_field("doc_id", stored=True, fast=True, tokenizer_name="raw", index_option="basic")
    for name in _TEXT_FIELDS:
        b.add_text_field(name, tokenizer_name="whitespace", index_option="position")
    b.add_text_field("themes", tokenizer_name="raw", index_option="freq")
    b.add_text_field("doc_type", tokenizer_name="raw", index_option="basic")
    b.add_integer_field("year_start", indexed=True, fast=True)
    return b.build()


_stem = lru_cache(maxsize=200_000)(stemmer_for_language("en"))  # the stemmer of text_analyzer()


_terms = index_terms  # (term, position) pairs, unstemmed; compound parts share a position


@lru_cache(maxsize=1024)
def _cached_terms(text: str) -> tuple[tuple[str, int], ...]:
    return tuple(_terms(text))  # titles and publishers repeat for every section of a document


def _stemmed(terms) -> list[tuple[str, int]]:
    return [(_stem(t), p) for t, p in terms]


def section_terms(heading: str, text: str, title: str = "", publisher: str = "") -> dict[str, list]:
    """The terms of each positional field, as Whoosh's analyzers index them.

    Heading and text are analysed once, unstemmed; the stemmed fields are those terms
    stemmed (text_analyzer is exact_analyzer plus a stemmer) and ``exact`` is the two
    joined, so each word goes through the analyzer chain once instead of twice.
    """
    h, b = _terms(heading), _terms(text)
    if h and (h[-1][0] in PREFIXES or h[-1][0] in COMPOUNDS):  # a heading ending in "pre" joins the text's first word
        exact = _terms(f"{heading}\n{text}")
    else:
        shift = max(p for _, p in h) + 1 if h else 0
        exact = h + [(t, p + shift) for t, p in b]
    return {"heading": _stemmed(h), "text": _stemmed(b), "title": _stemmed(_cached_terms(title)),
            "exact": exact, "publisher": list(_cached_terms(publisher))}


def fields_terms(fields: dict) -> dict[str, list]:
    """:func:`section_terms` of a section's Whoosh fields."""
    return section_terms(fields.get("heading") or "", fields.get("text") or "", fields.get("title") or "",
                         fields.get("publisher") or "")


def section_document(fields: dict, document=None):
    """The tantivy document for a section's Whoosh fields (as ``records.section_to_fields`` makes
    them); ``document`` is :func:`untagged_document` of them if already made (ingest makes it
    while the tagger loads), to which the themes are added."""
    d = document if document is not None else untagged_document(fields, fields_terms(fields))
    for t in (fields.get("themes") or "").split(","):
        if t.strip():
            d.add_text("themes", t.strip().lower())
    return d


def untagged_document(fields: dict, terms: dict[str, list]):
    """A section's tantivy document without its themes, from its terms."""
    d = tantivy.Document()
    d.add_text("id", fields["id"])
    d.add_text("doc_id", fields.get("doc_id") or "")
    for name in _TEXT_FIELDS:
        if terms[name]:
            toks = [tantivy.Token(t, p, 0, 0) for t, p in terms[name]]
            d.add_pre_tokenized_text(name, tantivy.PreTokenizedString("", toks))
    if fields.get("doc_type"):
        d.add_text("doc_type", fields["doc_type"])
    if fields.get("year_start") is not None:
        d.add_integer("year_start", int(fields["year_start"]))
    return d


# -- writing ----------------------------------------------------------------------


class Writer:
    """Mirror a Whoosh writer's section writes into the tantivy index of the same generation."""

    def __init__(self, gen_dir: Path, fresh: bool):
        path = gen_dir / ENGINE_DIR
        if fresh and path.exists():
            shutil.rmtree(path)
        path.mkdir(exist_ok=True)
        self.index = tantivy.Index(make_schema(), path=str(path), reuse=not fresh)
        self.w = self.index.writer(_HEAP, 1)

    def add(self, fields: dict, document=None) -> None:
        if fields.get("kind") == "section":
            self.w.add_document(section_document(fields, document))

    def delete(self, field: str, value: str) -> None:
        if field in ("id", "doc_id"):
            self.w.delete_documents_by_term(field, value)

    def commit(self, gen_dir: Path, stamp: int) -> None:
        self.w.commit()
        self._close()
        write_stamp(gen_dir, stamp)

    def cancel(self) -> None:
        with contextlib.suppress(Exception):
            self.w.rollback()
        self._close()

    def _close(self) -> None:
        # the writer holds tantivy's directory lock until it is consumed and dropped
        with contextlib.suppress(Exception):
            self.w.wait_merging_threads()
        self.w = self.index = None


def write_stamp(gen_dir: Path, stamp: int) -> None:
    tmp = gen_dir / f".{ENGINE_STAMP}.{os.getpid()}.tmp"
    tmp.write_text(str(stamp), encoding="utf-8")
    os.replace(tmp, gen_dir / ENGINE_STAMP)


def read_stamp(gen_dir: Path) -> int | None:
    try:
        return int((gen_dir / ENGINE_STAMP).read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return None


def in_step(gen_dir: Path, generation: int) -> bool:
    """True when the generation's tantivy index opens and was committed with ``generation``."""
    if read_stamp(gen_dir) != generation:
        return False
    try:
        tantivy.Index.open(str(gen_dir / ENGINE_DIR))
    except Exception:
        return False
    return True


# -- reading ----------------------------------------------------------------------


class Reader:
    """An open tantivy index of one generation, valid for one Whoosh generation."""

    def __init__(self, gen_dir: Path, stamp: int):
        self.index = tantivy.Index.open(str(gen_dir / ENGINE_DIR))
        self.schema = self.index.schema
        self.stamp = stamp
        self._searcher = self.index.searcher()

    def searcher(self):
        return self._searcher

    def reload(self, stamp: int) -> None:
        self.index.reload()
        self._searcher = self.index.searcher()
        self.stamp = stamp


def translate(q, schema):
    """The tantivy query for a Whoosh query tree (raises :class:`Unsupported`)."""
    boost = getattr(q, "boost", 1.0)
    out = _node(q, schema)
    return tantivy.Query.boost_query(out, boost) if boost != 1.0 else out


def _node(q, schema):
    # exact types: a subclass (Ordered, FuzzyTerm, …) means something these forms do not
    Q, Occur = tantivy.Query, tantivy.Occur
    kind = type(q)
    if kind is wq.Term:
        return Q.term_query(schema, _field(q.fieldname), _text(q.text))
    if kind is wq.Phrase:
        # Whoosh's slop is the most positions from one word to the next, in order; tantivy's the
        # gaps allowed in all (and beyond 1 it allows words swapped): the same only for two words, slop <= 2
        if q.slop != 1 and (len(q.words) > 2 or q.slop > 2):
            raise Unsupported("phrase with slop")
        words = [_text(w) for w in q.words]
        if len(words) == 1:
            return Q.term_query(schema, _field(q.fieldname), words[0])
        return Q.phrase_query(schema, _field(q.fieldname), words, slop=q.slop - 1)
    if kind is wq.AndMaybe:
        return Q.boolean_query([(Occur.Must, translate(q.a, schema)), (Occur.Should, translate(q.b, schema))])
    if kind is wq.NumericRange:
        if q.fieldname != "year_start":
            raise Unsupported(q.fieldname)
        return Q.range_query(schema, "year_start", tantivy.FieldType.Integer, q.start, q.end,
                             include_lower=not q.startexcl, include_upper=not q.endexcl)
    if kind is wq.AndNot:
        return Q.boolean_query([(Occur.Must, translate(q.a, schema)), (Occur.MustNot, translate(q.b, schema))])
    if kind is wq.And:
        parts = []
        for sub in q.subqueries:
            if isinstance(sub, wq.Not):
                parts.append((Occur.MustNot, translate(sub.query, schema)))
            else:
                parts.append((Occur.Must, translate(sub, schema)))
        if not any(o == Occur.Must for o, _ in parts):
            raise Unsupported("only negative clauses")
        return Q.boolean_query(parts)
    if kind in (wq.Or, wq.DisjunctionMax):
        if any(isinstance(sub, wq.Not) for sub in q.subqueries):
            raise Unsupported("negation inside OR")
        subs = [translate(sub, schema) for sub in q.subqueries]
        if kind is wq.DisjunctionMax:
            return Q.disjunction_max_query(subs, q.tiebreak)
        return Q.boolean_query([(Occur.Should, sub) for sub in subs])
    if kind is wq.Every and not q.fieldname:
        return Q.all_query()
    raise Unsupported(type(q).__name__)


def _field(name: str) -> str:
    if name not in _TEXT_FIELDS and name not in ("themes", "doc_type", "doc_id", "id"):
        raise Unsupported(name)
    return name


def _text(t) -> str:
    return t.decode("utf-8") if isinstance(t, bytes) else str(t)
