"""``sgsearch serve``: a local web page over the same library calls as the command line.

A thin HTML/JSON layer like ``cli.py``: each page parses its query string, makes one
library call (search, browse, trace, recur, export, ingest) and renders the result as
HTML for people or, with ``?format=json`` or ``Accept: application/json``, as the
CLI's ``--json`` shapes. :func:`create_app` builds the application.
"""
from web.server import create_app

__all__ = ["create_app"]
