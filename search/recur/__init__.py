"""Recurring items: recommendations, findings and priorities said again in later years.

``concepts`` reads what an item is about, ``scoring`` compares two items, ``cache`` keeps
the index's items tokenised, ``clustering`` groups them (``sgsearch recur``) and ``check``
finds earlier items like a new text (``recur --check``).
"""
from search.recur.cache import load_items
from search.recur.check import VERDICTS, check, check_many, made_before, summary, verdict, verdict_line
from search.recur.clustering import best_threshold, recur
from search.recur.concepts import (
    Concepts,
    ConceptsError,
    load_concepts,
    normalise,
    publisher_places,
    store_concepts,
    tokens,
)
from search.recur.scoring import (
    CHECK_MIN_SCORE,
    CHECK_NEAR_FLOOR,
    CHECK_NEAREST,
    DEFAULT_THRESHOLD,
    labelled_figures,
    load_pairs,
    pair_scores,
)
from search.recur.tracker import describe, tracker_rows

__all__ = [
    "CHECK_MIN_SCORE", "CHECK_NEAR_FLOOR", "CHECK_NEAREST", "DEFAULT_THRESHOLD", "Concepts", "ConceptsError", "best_threshold", "check", "check_many",
    "labelled_figures", "load_concepts", "load_items", "load_pairs", "made_before", "normalise", "pair_scores",
    "publisher_places", "recur", "store_concepts", "summary", "tokens", "VERDICTS", "verdict", "verdict_line",
    "TRACKER_COLUMNS", "describe", "tracker_rows",
]


def __getattr__(name: str):
    if name == "TRACKER_COLUMNS":
        # lazy: the tracker's columns live with its writer, whose package loads python-docx
        from search.report.tracker import TRACKER_COLUMNS

        return TRACKER_COLUMNS
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
