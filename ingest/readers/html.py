"""Read a saved web page (.html, .htm) with trafilatura: the main text as Markdown.

trafilatura keeps the article and drops navigation, "Skip to content" links, cookie
banners, menus and footers; ``h1``-``h6`` become Markdown headings and the page's
title, date and site name come back as front matter, which becomes the result's
``meta``. The Markdown is then read like any Markdown report.
"""
from __future__ import annotations

from pathlib import Path

from ingest.blocks import IngestError, ReadResult
from ingest.readers.markup import parse_markdown


def html_to_markdown(data: bytes) -> str | None:
    """The main text of an HTML page as Markdown with a front-matter header, or None."""
    # lazy: trafilatura is slow to import; only HTML files need it
    import trafilatura

    return trafilatura.extract(data, output_format="markdown", include_formatting=True,
                               with_metadata=True, include_tables=True, include_comments=False)


def read_html(path: Path) -> ReadResult:
    """Read a web page into blocks (``fmt="html"``); ``meta`` has its title, date and site name."""
    data = Path(path).read_bytes()
    markdown = html_to_markdown(data)
    if not markdown or not markdown.strip():
        raise IngestError("no text found in the web page: nothing but navigation, or a page built by scripts")
    try:
        result = parse_markdown(markdown)
    except IngestError:
        raise IngestError("no text found in the web page") from None
    result.fmt = "html"
    return result
