"""When the search filters (year, document type, publisher, theme) rather than the words
leave a search empty, say which filter did it and what the index holds instead
(:func:`explain_empty`, what ``sgsearch QUERY`` adds to "No sections match"). The filters'
values are read and checked by :mod:`search.query`."""
from __future__ import annotations

from collections import Counter

from search.browse import documents
from search.query import search, year_arg
from search.trace import UNDATED, theme_table

MAX_DOCS_NAMED = 10  # a message, not a listing: beyond this many, 'sgsearch docs' lists them

# How a face names each filter and where it lists the rest: the command line (the default) ...
COMMAND_LINE = {"year": "--year", "from_year": "--from", "to_year": "--to", "theme": "--theme", "doc_type": "--type",
                "publisher": "--publisher", "docs": "'sgsearch docs' lists them",
                "themes": "'sgsearch themes' shows the themes found in each year"}
# ... and the web page
PAGE = {"year": "Year", "from_year": "From year", "to_year": "To year", "theme": "Theme", "doc_type": "Type of report",
        "publisher": "Publisher", "docs": "the Reports page lists them",
        "themes": "the Themes page shows the themes found in each year"}


def _span(years: list[str]) -> str:
    """The first and last dated year (the table lists "undated" last, which is no year)."""
    dated = [y for y in years if y != UNDATED]
    return f"{dated[0]} to {dated[-1]}" if len(dated) > 1 else (dated[0] if dated else "none dated")


def explain_empty(store, query: str | None, year=None, from_year=None, to_year=None, theme=(),
                  doc_type=None, publisher=None, exact: bool = False, names: dict[str, str] | None = None) -> str | None:
    """Why a filtered search found nothing when its words alone find sections: which filter
    (or which combination) empties it, with the values the index holds. None when the
    words themselves find nothing (or no filter was given). ``names``: how the face asking
    names the filters (:data:`COMMAND_LINE`, the default, or :data:`PAGE`)."""
    n = names or COMMAND_LINE
    given = {"year": year, "from_year": from_year, "to_year": to_year, "theme": tuple(theme or ()),
             "doc_type": doc_type, "publisher": publisher}
    if not any(given.values()):
        return None
    docs = documents(store)
    years = theme_table(store)["years"]  # the years of sections (a report inside a pack has its own)
    lo, hi = year_arg("from_year", from_year), year_arg("to_year", to_year)
    if lo is not None and hi is not None and lo > hi:
        return f"{n['from_year']} {from_year} is after {n['to_year']} {to_year}: no year is both (swap them?)"

    def total(**filters) -> int:
        if query:
            return search(store, query, limit=1, exact=exact, **filters).total
        if not any(filters.values()):  # every section indexed (a search needs words or a filter)
            return sum(d["sections"] for d in docs)
        return search(store, "", limit=1, **filters).total

    words = total()
    if words == 0:
        return None
    lead = f"{words:,} section{'s' if words != 1 else ''} " + ("match without the filters, but" if query else
                                                               "are indexed, but")
    culprits = []
    wanted = [("year", f"{n['year']} {year}"), ("from_year", f"{n['from_year']} {from_year}"),
              ("to_year", f"{n['to_year']} {to_year}"), ("theme", " ".join(f"{n['theme']} {t}" for t in given["theme"])),
              ("doc_type", f"{n['doc_type']} {doc_type}"), ("publisher", f"{n['publisher']} {publisher!r}")]
    for key, label in wanted:
        if given[key] and total(**{key: given[key]}) == 0:
            culprits.append((key, label))
    if not culprits:
        on = " and ".join(label for key, label in wanted if given[key])
        shown = "; ".join(f"{d['doc_id']} ({d['year'] or 'no year'}, {d['doc_type']}, "
                          f"{d['publisher'] or 'publisher unknown'})" for d in docs[:MAX_DOCS_NAMED])
        more = (f"; and {len(docs) - MAX_DOCS_NAMED:,} more ({n['docs']})"
                if len(docs) > MAX_DOCS_NAMED else "")
        return f"{lead} no section matches all of {on} together. Documents indexed: {shown}{more}"
    notes = []
    for key, label in culprits:
        if key in ("year", "from_year", "to_year"):
            notes.append(f"{label} leaves none (years indexed: {_span(years)}: {', '.join(years)})")
        elif key == "doc_type":
            types = Counter(d["doc_type"] for d in docs)
            notes.append(f"{label} leaves none (types indexed: "
                         + ", ".join(f"{t} ({n})" for t, n in types.most_common()) + ")")
        elif key == "publisher":
            notes.append(f"{label} leaves none (publishers indexed: {_publishers_named(docs, publisher, n['docs'])})")
        else:
            notes.append(f"{label} leaves none ({n['themes']})")
    return f"{lead} " + "; ".join(notes) + "."


def _publishers_named(docs: list[dict], typed: str, listed: str) -> str:
    """The indexed publishers, all of them when few; else the ones nearest to what was typed
    and how many more (a national collection has hundreds; ``listed`` says where they all are)."""
    pubs = sorted({d["publisher"] for d in docs if d.get("publisher")})
    if len(pubs) <= MAX_DOCS_NAMED:
        return "; ".join(pubs) or "none known"
    from rapidfuzz import fuzz, process  # lazy: only a filter that left nothing needs it

    near = [p for p, _score, _i in process.extract(typed, pubs, scorer=fuzz.WRatio, limit=MAX_DOCS_NAMED)]
    return "; ".join(near) + f"; and {len(pubs) - len(near):,} more ({listed})"
