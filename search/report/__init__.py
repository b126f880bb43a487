"""Writers: data in, a file out (Markdown, Word, Excel, CSV, charts)."""
from search.report.appendix import write_appendix
from search.report.briefing import csv_cell, export_briefing, md_escape, to_markdown
from search.report.chart import plot_trace
from search.report.themes import write_rows_xlsx
from search.report.tracker import write_tracker

__all__ = ["csv_cell", "export_briefing", "md_escape", "plot_trace", "to_markdown", "write_appendix", "write_rows_xlsx",
           "write_tracker"]
