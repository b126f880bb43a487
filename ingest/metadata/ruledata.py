"""The rules metadata reading loads: ``ingest/metadata.toml`` and a user's ``$SGSEARCH_METADATA`` file.

:func:`rules` compiles the furniture lines and the publisher name patterns every reader uses;
:func:`read_rules` reads one rules file (one clear line naming it when it cannot be read) and
:func:`merged_rules` lengthens each bundled list by a user's.
"""
from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

from search.vocab.userfiles import load_toml

RULES_FILE = Path(__file__).parent.parent / "metadata.toml"  # the bundled rules: ingest/metadata.toml


@dataclass(frozen=True)
class Rules:
    """The data metadata detection reads (``ingest/metadata.toml`` plus a user's file)."""

    furniture: re.Pattern
    publisher: re.Pattern
    adults: re.Pattern
    not_area: frozenset[str]
    bodies: re.Pattern
    body_at_end: re.Pattern
    body_word: re.Pattern
    abbreviations: tuple[str, ...] = ()
    joint_boards: re.Pattern | None = None
    joint_children: str = ""
    related: re.Pattern | None = None
    resume: re.Pattern | None = None
    name_link: re.Pattern | None = None


def read_rules(path: Path) -> dict:
    """One rules file's tables (ValueError, one line naming the file, when it cannot be read)."""
    try:
        return load_toml(path)
    except OSError as exc:
        raise ValueError(f"{path}: cannot read metadata rules: {exc.strerror or exc}") from exc
    except UnicodeDecodeError:
        raise ValueError(f"{path}: cannot read metadata rules: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: cannot read metadata rules: {' '.join(str(exc).split())}") from exc


def merged_rules(extra: str | None) -> dict:
    """The bundled rules, each list lengthened by the same list of a user's rules file (``extra``)."""
    data = read_rules(RULES_FILE)
    if extra:
        more = read_rules(Path(extra))
        for table, values in more.items():
            for key, items in (values or {}).items():
                data.setdefault(table, {}).setdefault(key, [])
                data[table][key] = list(data[table][key]) + list(items)
    return data


@functools.cache
def _rules_for(extra: str | None) -> Rules:
    data = merged_rules(extra)
    furniture = "|".join(f"(?:{p})" for p in data["furniture"]["lines"])
    pub = data["publisher"]
    bodies = "|".join(f"(?:{b})" for b in pub["bodies"])
    abbrevs = "|".join(re.escape(a) for a in pub["abbreviations"])
    # a name's words: capitalised ones ("Blackburn with Darwen"), a possessive written "St Thomas'",
    # and words joined past one of them ("Hospital for": ``name_links``)
    links = "".join(f"{x}[ \t]+[A-Z]\\w*|" for x in pub.get("name_links", ()))
    word = rf"(?:{links}[A-Z]\w*s['’](?=[ \t])|[A-Z]\w*(?:-\w+)*(?:['’]s)?|&|and|of|upon|on|the|with)"
    # a name starts at a word's start: no attempt inside a word (the search is the cost here)
    publisher = re.compile(
        rf"(?<![\w'’&-])((?:NHS[ \t]+)?(?:{word}[ \t]+){{0,6}}?(?:(?i:{bodies})|(?<=[ \t])(?:{abbrevs})s?\b))"
    )
    return Rules(
        furniture=re.compile(rf"^\s*(?:{furniture})\s*$", re.I),
        publisher=publisher,
        adults=re.compile("|".join(f"(?:{a})" for a in pub["adults"])),
        not_area=frozenset(pub["not_area"]),
        bodies=re.compile(rf"(?i:{bodies})|(?:{abbrevs})"),
        body_at_end=re.compile(rf"(?:(?i:{bodies})|(?:{abbrevs})s?)$"),
        body_word=re.compile(rf"(?i:board|partnership|group|committee|trust|council)|(?:{abbrevs})"),
        abbreviations=tuple(pub["abbreviations"]),
        joint_boards=re.compile(pub["joint_boards"], re.I) if pub.get("joint_boards") else None,
        joint_children=pub.get("joint_children", ""),
        related=re.compile(rf"^\W*(?:{'|'.join(data['furniture']['related'])})\W*$", re.I),
        resume=re.compile(rf"^\W*(?:{'|'.join(data['furniture']['resume'])})\b", re.I),
        name_link=re.compile(rf"\b(?:{'|'.join(pub['name_links'])})\b") if pub.get("name_links") else None,
    )


def rules() -> Rules:
    """The metadata rules in force: the bundled data plus ``$SGSEARCH_METADATA`` if set
    (ValueError, one line naming the file, when that file cannot be used)."""
    extra = os.environ.get("SGSEARCH_METADATA") or None
    if extra is None:
        return _rules_for(None)
    try:
        return _rules_for(extra)
    except ValueError as e:
        raise ValueError(f"SGSEARCH_METADATA: {e}") from None
    except re.error as e:
        raise ValueError(f"SGSEARCH_METADATA: {extra}: a pattern is not a valid regular expression ({e})") from None
    except (TypeError, AttributeError, KeyError):
        raise ValueError(f"SGSEARCH_METADATA: {extra}: not laid out as metadata rules (lists of patterns "
                         "under [furniture] and [publisher])") from None
