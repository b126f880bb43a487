"""Ingest: turn published safeguarding reports (txt, docx, pdf) into cited sections.

Pipeline: readers -> blocks -> sections -> metadata -> items -> themes -> search.index.store (written through its engine).
Only ingesting imports the heavy libraries (pdfplumber, python-docx, spaCy); the query
path in ``search`` never imports this package's readers or tagger.
"""

# nothing is imported here: the tagging worker and the readers load only what they use
__all__ = ["acronyms", "blocks", "catalog", "clean", "document", "fetch", "items", "lemmas", "metadata",
           "numbering", "pipeline", "readers", "retag", "sections", "shape", "tagworker", "themes"]
