"""Detect a document's title, publisher, type and reporting period from its text.

Titles, publishers and types are scored candidates: the cue lists and weights are data
(``ingest/metadata.toml``, fitted by ``bench/fit_metadata.py``), areas come from the
gazetteer (:mod:`ingest.places`), and a page's address counts where the text is silent.
Years are UK financial years (April to March), labelled ``2021-22`` with the integer
start year 2021, read from a stated period ("1st April 2021 to 30th June 2022", "Annual
Report 2016/17"), else a meeting, publication or event date. A catalog entry (see
:mod:`ingest.catalog`) wins over all of it.

One module per reader, each depending only on those listed before it: ``ruledata`` (the
rules files), ``furniture`` (page furniture), ``years`` (dates and periods), ``bodies``
(the publisher data and bodies' names), ``publisher``, ``doctypes``, ``titles``, and
``weights`` (the live weight tables for fitting). Import from here: this is the public face.
"""
from __future__ import annotations

from ingest.metadata.bodies import Publishers, council_name, councils_found, nhs_named, publishers
from ingest.metadata.doctypes import DOC_TYPES, detect_doc_type, doc_type_scores
from ingest.metadata.furniture import MAX_FURNITURE, is_furniture, own_blocks
from ingest.metadata.publisher import detect_publisher, publisher_candidates
from ingest.metadata.ruledata import Rules, rules
from ingest.metadata.titles import detect_title, title_candidates
from ingest.metadata.weights import weight_tables
from ingest.metadata.years import (
    MEETING_KINDS,
    date_candidates,
    detect_period,
    embedded_reports,
    meeting_date,
    names_yearly_report,
    year_of_address,
)
from search.vocab.bodies import spelled_out
from search.vocab.years import FY_PATTERN, fy_label, fy_start_of, parse_year_label

__all__ = [
    "DOC_TYPES", "FY_PATTERN", "MAX_FURNITURE", "MEETING_KINDS", "Publishers", "Rules", "council_name",
    "councils_found", "date_candidates", "detect_doc_type", "detect_period", "detect_publisher", "detect_title",
    "doc_type_scores", "embedded_reports", "fy_label", "fy_start_of", "is_furniture", "meeting_date",
    "names_yearly_report", "nhs_named", "own_blocks", "parse_year_label", "publisher_candidates", "publishers",
    "rules", "spelled_out", "title_candidates", "weight_tables", "year_of_address",
]
