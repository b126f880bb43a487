"""The weights every metadata reader scores with, as live tables a fitting script
(``bench/fit_metadata.py``) may change and write back."""
from __future__ import annotations

from ingest.metadata.bodies import publishers
from ingest.metadata.doctypes import doc_type_weights
from ingest.metadata.titles import title_rules
from ingest.metadata.years import year_rules


def weight_tables() -> dict[str, dict[str, float]]:
    """The weights in force, by table (``title``, ``publisher``, ``doc_type`` cue by cue,
    ``year``: date cue by cue and ``[year.weights]``): the live tables, which a fitting
    script may change and write back."""
    return {"title": title_rules().weights, "publisher": publishers().weights, "doc_type": doc_type_weights(),
            "year": year_rules()[1]}
