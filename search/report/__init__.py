"""Writers: data in, a file out (Markdown, Word, Excel, CSV)."""
from search.report.appendix import write_appendix
from search.report.tracker import write_tracker

__all__ = ["write_appendix", "write_tracker"]
