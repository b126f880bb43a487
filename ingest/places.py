"""The gazetteer: UK safeguarding areas and their short forms (``ingest/places.tsv``).

It says whether words name an area ("Bath and North East Somerset", "B&NES", "Bucks") and
which area a web address belongs to ("democracy.bathnes.gov.uk", "devonscp.org.uk").
Add areas of your own in a file of the same shape named by ``SGSEARCH_PLACES``.
"""
from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

_JOINERS = {"and", "of", "upon", "on", "the", "with"}


def squash(text: str) -> str:
    """Letters and digits only, lower case: "Brighton & Hove" and "brightonandhove" alike."""
    text = (text or "").replace("&", "and").replace("\u2019", "'").lower()
    return re.sub(r"[^a-z0-9]+", "", text)


def key(text: str) -> str:
    """Words compared as words: lower case, "&" read as "and", punctuation dropped."""
    text = (text or "").replace("&", " and ").replace("\u2019", "'").lower()
    return " ".join(re.sub(r"[^a-z0-9']+", " ", text).split())


def split_address(url: str | None):
    """``urlsplit`` of a web address, or None when it is not one (a malformed address is no signal)."""
    if not url:
        return None
    try:
        parts = urlsplit(url if "//" in url else f"//{url}")
        parts.hostname  # noqa: B018  (raises ValueError for a malformed host)
        return parts
    except ValueError:
        return None


def host_of(url: str | None) -> str:
    """The lower-case host of a web address, or ""."""
    parts = split_address(url)
    return (parts.hostname or "").lower() if parts else ""


def on_site(host: str, sites) -> bool:
    """Whether ``host`` is one of ``sites`` or a host under one ("assets.gov.uk" under "gov.uk")."""
    return any(host == s or host.endswith("." + s) for s in sites)


@dataclass(frozen=True)
class Area:
    """One area: its name, short forms, kind (county, london, welsh-region, ...), nation and its
    council's own name where its kind's usual form is not it ("Slough Borough Council")."""

    name: str
    short: tuple[str, ...]
    kind: str
    nation: str
    council: str = ""

    def initials(self) -> str:
        """"East Sussex" -> "es": how partnerships shorten a name of two words or more."""
        words = [w for w in key(self.name).split() if w not in _JOINERS]
        return "".join(w[0] for w in words) if len(words) >= 2 else ""


def _read(path: Path) -> list[Area]:
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()  # Notepad may start it with a BOM
    except OSError as exc:
        raise ValueError(f"{path}: cannot read the gazetteer: {exc}") from exc
    out = []
    for n, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#") or line.startswith("name\t"):
            continue
        cells = line.split("\t")
        if len(cells) < 2 or not cells[0].strip():
            raise ValueError(f"{path}: line {n}: expected name<TAB>short forms<TAB>kind<TAB>nation[<TAB>council]")
        cells += [""] * (5 - len(cells))
        short = tuple(s.strip() for s in cells[1].split(";") if s.strip())
        out.append(Area(cells[0].strip(), short, cells[2].strip(), cells[3].strip(), cells[4].strip()))
    return out


@functools.cache
def _areas_for(extra: str | None) -> tuple[Area, ...]:
    areas = _read(Path(__file__).with_name("places.tsv"))
    if extra:
        areas += _read(Path(extra))
    return tuple(areas)


def areas() -> tuple[Area, ...]:
    """Every area of the bundled gazetteer, and of ``$SGSEARCH_PLACES`` if set."""
    return _areas_for(os.environ.get("SGSEARCH_PLACES") or None)


def area_names() -> list[tuple[str, ...]]:
    """Each area's name and its short forms, for comparing names written either way."""
    return [(a.name, *a.short) for a in areas()]


_JOINING = re.compile(r"\s(?:and|&|upon|on|with)\s", re.I)


@functools.cache
def _index(extra: str | None) -> tuple[dict[str, Area], dict[str, Area], dict[str, Area]]:
    """Lookups by words, by squashed letters, by initials (an initial two areas share is left out)."""
    by_words: dict[str, Area] = {}
    by_squash: dict[str, Area] = {}
    initials: dict[str, Area | None] = {}
    for a in _areas_for(extra):
        for name in (a.name, *a.short):
            by_words.setdefault(key(name), a)
            by_squash.setdefault(squash(name), a)
            # a host drops the joining words of a name: "brighton-hove", "stockton-tees"
            by_squash.setdefault(squash(_JOINING.sub(" ", name)), a)
        ini = a.initials()
        if ini:
            initials[ini] = None if ini in initials else a
    return by_words, by_squash, {k: v for k, v in initials.items() if v is not None}


def lookup(words: str) -> Area | None:
    """The area these words name exactly ("Bucks", "Brighton & Hove"), or None."""
    return _index(os.environ.get("SGSEARCH_PLACES") or None)[0].get(key(words))


def _named(text: str):
    """Each area named in ``text``, in order, with its words as written (the longest name at each place)."""
    tokens = list(re.finditer(r"[A-Za-z][\w'\u2019&.-]*", text))
    i = 0
    while i < len(tokens):
        step = 1
        if tokens[i].group(0)[0].isupper():
            for j in range(min(len(tokens), i + 7), i, -1):
                run = text[tokens[i].start():tokens[j - 1].end()]
                a = lookup(run)
                if a and tokens[j - 1].group(0)[0].isupper():
                    yield a, run
                    step = j - i
                    break
        i += step


def area_in(text: str) -> tuple[Area, str] | None:
    """The first area named in ``text`` (longest name at each place), with its words as written."""
    return next(_named(text), None)


def areas_named(text: str) -> list[Area]:
    """Every area named in ``text``, in order, once for each time it is named."""
    return [a for a, _ in _named(text)]


def area_of_address(url: str | None, body_words: tuple[str, ...]) -> Area | None:
    """The area a web address names in its host ("democracy.bathnes.gov.uk", "devonscp.org.uk").

    A host label names an area when, with the words of a body or a site (``body_words``:
    "safeguarding", "scp", "democracy", ...) taken off either end, what is left is an area's
    name, a short form, or the initials of a name of two words or more ("esscp").
    """
    if not url:
        return None
    host = host_of(url)
    _, by_squash, initials = _index(os.environ.get("SGSEARCH_PLACES") or None)
    affixes = sorted({squash(w) for w in body_words if w}, key=len, reverse=True)
    for label in host.split("."):
        for rest in _strip_affixes(squash(label), affixes):
            if rest in by_squash and len(rest) >= 3:
                return by_squash[rest]
            if rest in initials and rest != label:
                return initials[rest]
    return None


def area_by_initials(url: str | None, body_words: tuple[str, ...], named: list[Area]) -> Area | None:
    """The area a host names by its initials beside a body's word ("wscp.org.uk": W and SCP; a
    borough's body by its B too, "rbscp.org": R, B and SCP), when the page names an area of those
    initials (the one it names most)."""
    affixes = sorted({squash(w) for w in body_words if w}, key=len, reverse=True)
    for label in host_of(url).split("."):
        # a label that is only a body's letters is the area's initial and the body's ("lscp": L and SCP)
        rests = [label[:-len(a)] for a in affixes if label.endswith(a) and a != label] + \
                [label[len(a):] for a in affixes if label.startswith(a) and a != label]
        for rest in rests:
            hits = [a for a in named if 1 <= len(rest) <= 3 and rest in _initials_of(a)]
            if hits:
                return max(hits, key=hits.count)
    return None


def _initials_of(area: Area) -> tuple[str, str]:
    """How a host may write an area's initials: as they are, or with a borough's B after them
    ("Rochdale Borough Safeguarding Children Partnership": "rb")."""
    ini = area.initials() or squash(area.name)[:1]
    return ini, f"{ini}b"


def _strip_affixes(label: str, affixes: list[str]) -> list[str]:
    """``label`` with known site and body words taken off its ends, every way, shortest last."""
    seen = [label]
    i = 0
    while i < len(seen) and len(seen) < 64:
        cur = seen[i]
        for a in affixes:
            for nxt in ((cur[len(a):] if cur.startswith(a) else None), (cur[:-len(a)] if cur.endswith(a) else None)):
                if nxt and nxt not in seen:
                    seen.append(nxt)
        i += 1
    return seen
