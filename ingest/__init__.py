"""Ingest: turn published safeguarding reports (PDF, Word, OpenDocument, RTF, web pages, Markdown
and plain text) into cited sections, their items and their themes.

Pipeline: readers -> blocks -> sections -> metadata -> items -> themes -> search.index.store (written through its engine).
Only ingesting imports the heavy libraries (pdfplumber, python-docx, spaCy); the query
path in ``search`` never imports this package's readers or tagger.
"""

# nothing is imported here: the tagging worker and the readers load only what they use
__all__ = ["acronyms", "blocks", "candidates", "catalog", "clean", "document", "fetch", "filenames", "items",
           "itemtokens", "lemmas", "metadata", "numbering", "passages", "pipeline", "places", "readers", "retag",
           "sections", "shape", "tagworker", "themes"]
