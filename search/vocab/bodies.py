"""Bodies' names written in full: the abbreviations a body's name may end in (``bodies.toml``),
read by ingest to write a publisher's name and by the ``--publisher`` filter to read one typed."""
from __future__ import annotations

import functools
import re
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

_LAST = re.compile(r"(?<=\S)\s+([A-Za-z]{2,6})$")


@functools.cache
def abbreviations() -> dict[str, str]:
    """Each abbreviation a body's name may end in, and its words in full."""
    return dict(tomllib.loads(Path(__file__).with_name("bodies.toml").read_text(encoding="utf-8"))["spelled_out"])


_DEFINED = re.compile(r"\s*\([A-Z][A-Za-z&]{1,9}\)$")  # "… Children Board (SSCB)": the abbreviation a report defines


def body_name(name: str | None) -> str | None:
    """A publisher's name as every output shows it: without the abbreviation its report defined
    after it ("Rutland Safeguarding Children Board (RSCB)" -> "Rutland Safeguarding Children
    Board"), so that one body has one name whether or not a report defines it. The index keeps
    the name as read, so ``--publisher RSCB`` still finds it."""
    return _DEFINED.sub("", name) if name else name


def spelled_out(name: str, typed: bool = False) -> str:
    """``name`` with the abbreviation it ends in written in full ("Aberdeenshire CPC" ->
    "Aberdeenshire Child Protection Committee"); any other name as it is. A name read from a
    page must end in capitals after words in lower case ("SBNI" stays); a name a user typed
    (``typed``) may be in any case ("devon scp")."""
    m = _LAST.search(name)
    if not m:
        return name
    abbr = m.group(1)
    if typed:
        abbr = abbr.upper()
    elif not abbr.isupper() or not re.search(r"[a-z]", name[:m.start()]):
        return name
    full = abbreviations().get(abbr)
    return f"{name[:m.start()]} {full}" if full else name
