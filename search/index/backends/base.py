"""The backend interface: what an engine must do to hold and answer one index.

An index folder's live generation is written and read by one engine (Whoosh or tantivy),
chosen when the index is created. A backend is a complete store and matcher for the
index's records (documents, sections, items, as :mod:`search.index.records` makes their fields):
stored fields, filters, BM25 ranking, exact totals, counts per year, theme, type and
document, the vocabulary for spelling suggestions, incremental add and delete, and an
atomic commit. Queries and filters arrive as engine-neutral query trees
(:mod:`search.index.qtree`) that each backend translates; a backend that cannot express a node
raises :class:`Unsupported`.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path
from typing import NamedTuple


class Unsupported(ValueError):
    """A query form this engine cannot express."""


class Found:
    """One matching section: its id, score and document, and its stored fields (read on
    first use: ranking needs them only for the hits shown)."""

    __slots__ = ("id", "score", "doc_id", "_fields", "_load")

    def __init__(self, rid: str, score: float, doc_id: str, fields: dict | None = None, load=None):
        self.id, self.score, self.doc_id = rid, score, doc_id
        self._fields, self._load = fields, load

    @property
    def fields(self) -> dict:
        if self._fields is None:
            self._fields = (self._load(self.id) if self._load else None) or {}
        return self._fields

    def __getitem__(self, key):
        return self.doc_id if key == "doc_id" else self.fields[key]


ANY = "*"  # any year, in :meth:`Backend.theme_documents`


class Count(NamedTuple):
    """Sections, and the distinct documents they belong to."""

    sections: int
    documents: int


# The fields :meth:`Backend.counts` can group by. ``themes`` and ``years`` are many-valued: a
# section counts once under each of its themes, and under each start year it covers (a
# review of 2007 to 2011 under 2007, 2008 … 2011, as ints like ``year_start``). A section
# without a year is grouped under None (by ``year_start`` or ``years``).
COUNT_FIELDS = ("year_start", "years", "themes", "doc_type", "doc_id")


class Writer(ABC):
    """Changes to one generation, applied all together by :meth:`commit` or not at all."""

    @abstractmethod
    def add(self, fields: dict) -> None:
        """Add a record (fields as :mod:`search.index.records` makes them)."""

    @abstractmethod
    def update(self, fields: dict) -> None:
        """Replace the record with the same ``id``."""

    @abstractmethod
    def delete_doc(self, doc_id: str) -> None:
        """Delete a document and all its sections and items."""

    @abstractmethod
    def commit(self) -> None:
        """Make every change visible at once (atomic: a kill before it ends changes nothing)."""

    @abstractmethod
    def cancel(self) -> None:
        """Drop every change."""


class Backend(ABC):
    """One engine's index in one generation folder, open for reading (and writing)."""

    name: str = ""

    @classmethod
    @abstractmethod
    def create(cls, path: Path) -> Backend:
        """Make an empty index in the (empty) folder ``path`` and open it."""

    @abstractmethod
    def __init__(self, path: Path):
        """Open the index in ``path``."""

    @abstractmethod
    def close(self) -> None:
        """Release files and readers."""

    @abstractmethod
    def refresh(self) -> None:
        """See the latest commit (cheap when nothing changed)."""

    @abstractmethod
    def writer(self) -> Writer:
        """A writer; raises :class:`search.index.lock.IndexBusy` if the engine's own write lock is held."""

    # -- reading --------------------------------------------------------------------------
    @abstractmethod
    def get(self, rid: str) -> dict | None:
        """The stored fields of the record with id ``rid``."""

    @abstractmethod
    def records(self, kind: str, **terms: str) -> list[dict]:
        """Stored fields of every record of ``kind`` whose fields equal ``terms`` (any order)."""

    def iter_records(self, kind: str, release_every: int = 0, **terms: str):
        """The records :meth:`records` gives, one at a time (an engine that can read them lazily
        keeps memory to one record); an engine that maps its files lets go of the pages read
        every ``release_every`` records (0: never)."""
        yield from self.records(kind, **terms)

    @abstractmethod
    def search(self, query, flt, sort: str, limit: int) -> list[Found]:
        """The best ``limit`` sections for ``query`` among those ``flt`` allows (None: all),
        by BM25 score, or newest year first when ``sort`` is ``"year"`` (totals: :meth:`counts`)."""

    def search_counted(self, query, flt, sort: str, limit: int) -> tuple[list[Found], int]:
        """:meth:`search`, and how many sections match in all (an engine may count them in
        the same pass)."""
        total = self.count(query, flt)
        return (self.search(query, flt, sort, limit) if total else []), total

    @abstractmethod
    def which_match(self, query, ids: list[str]) -> set[str]:
        """Those of the section ids ``ids`` that match ``query``."""

    @abstractmethod
    def counts(self, query, flt, by: tuple[str, ...], documents: bool = True) -> dict[tuple, Count]:
        """Sections (and their documents) that match ``query`` (None: every section) and
        ``flt``, grouped by the values of the fields ``by`` (see :data:`COUNT_FIELDS`); the
        key ``()`` holds the overall count. Counted by the engine, without stored fields, for
        any number of documents. ``documents=False``: sections only (documents 0), quicker."""

    def tallies(self, query, flt, fields: tuple[str, ...]) -> dict[str, dict]:
        """Sections that match ``query`` and ``flt`` per value of each of ``fields`` apart
        (``{field: {value: sections}}``, values without a section left out): a search's
        facet counts. An engine may count them all in one pass."""
        return {name: {k[0]: c.sections for k, c in self.counts(query, flt, (name,), documents=False).items()
                       if k and k[0] is not None} for name in fields}

    def counts_and_tallies(self, query, flt, by: tuple[str, ...], fields: tuple[str, ...],
                           total: int | None = None, per_group_documents: bool = True) -> tuple[dict, dict]:
        """:meth:`counts` (with documents) and :meth:`tallies` (``fields``, may be empty) of
        the same matches, ``total`` of them if known: an engine may count both in one pass.
        ``per_group_documents=False``: the documents in each group of ``by`` may be left
        uncounted (0), as when only the sections per year and all documents are wanted."""
        return self.counts(query, flt, by), self.tallies(query, flt, fields) if fields else {}

    def theme_documents(self) -> dict[tuple, int] | None:
        """Documents with a section tagged with each theme in each year, over the whole
        index, if the engine keeps them as it writes (else None): keys ``(theme, year)``,
        ``year`` a start year, None (undated) or :data:`ANY`, ``theme`` None for a section
        with or without themes (``(None, ANY)``: every document with a section)."""
        return None

    def count(self, query, flt) -> int:
        """How many sections match ``query`` and ``flt`` (engines may count quicker than :meth:`counts`)."""
        return self.counts(query, flt, ())[()].sections

    @abstractmethod
    def doc_frequency(self, field: str, term: str) -> int:
        """How many records hold ``term`` in ``field`` (deleted ones may still count): for
        weighting query words by rarity."""

    @abstractmethod
    def records_total(self) -> int:
        """How many records the index holds (what the engine's BM25 counts rarity against)."""

    @abstractmethod
    def words(self, prefix: str = "") -> list[tuple[str, int]]:
        """The unstemmed words of the sections that start with ``prefix`` (all: ``""``), each
        with the number of sections it is in, in the words' order (of equally close and equally
        common words, a spelling suggestion takes the first): for spelling suggestions and ``neg*``."""
