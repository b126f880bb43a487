"""The domain vocabulary ingest and search both read: document types, financial years,
the theme taxonomy and the thesaurus (their data in ``themes.toml`` and ``thesaurus.toml``)."""
from __future__ import annotations

from search.vocab.doctypes import DOC_TYPES, check_doc_type
from search.vocab.kinds import ITEM_KINDS
from search.vocab.taxonomy import Taxonomy, TaxonomyError, Theme, load_taxonomy, resolve_theme
from search.vocab.thesaurus import Thesaurus, ThesaurusError, load_thesaurus
from search.vocab.years import fy_label, parse_year_label, year_labels

__all__ = ["DOC_TYPES", "ITEM_KINDS", "Taxonomy", "TaxonomyError", "Theme", "Thesaurus", "ThesaurusError", "check_doc_type",
           "fy_label", "load_taxonomy", "load_thesaurus", "parse_year_label", "resolve_theme", "year_labels"]
