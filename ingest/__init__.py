"""Ingest: turn published safeguarding reports (txt, docx, pdf) into cited sections.

Pipeline: readers -> blocks -> sections -> metadata -> items -> themes -> search.store (written through its engine).
Only ingesting imports the heavy libraries (pdfplumber, python-docx, spaCy); the query
path in ``search`` never imports this package's readers or tagger.
"""
