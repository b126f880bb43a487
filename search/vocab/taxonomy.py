"""The theme taxonomy: data, not code.

Themes live in ``search/vocab/themes.toml`` (shipped with the package); a user may pass more
TOML files in the same format, each adding themes or replacing one by id. This module
only reads and checks the data. It must not import spaCy: the search side imports it to
expand a theme into query terms, and the query path stays light.
"""
from __future__ import annotations

import json
import re
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterator

from search.errors import SgsearchError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from search.vocab.userfiles import load_toml

BUNDLED_NAME = "themes.toml"

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_LIST_KEYS = ("phrases", "abbreviations", "exclude", "examples", "counter_examples")
_THEME_KEYS = {"id", "label", "description", "negatable", *_LIST_KEYS}
_NEGATION_LIST_KEYS = ("before", "after", "hypothetical", "fillers", "terminators")
_NEGATION_KEYS = {*_NEGATION_LIST_KEYS, "after_window"}
_LEMMA_KEY = "lemmas"
_TOP_KEYS = {"theme", "negation", _LEMMA_KEY}


class TaxonomyError(SgsearchError, ValueError):
    """A taxonomy file is unreadable or invalid; the message is one line naming the file."""

    def __init__(self, path: Path | str, problem: str):
        self.path = str(path)
        self.problem = " ".join(str(problem).split())
        super().__init__(f"{self.path}: {self.problem}")


@dataclass(frozen=True)
class Theme:
    """One theme: what it is called and the words that signal it.

    ``phrases`` match case-insensitively on lemmas (list singular forms; a hyphen also
    matches a space or no gap); ``abbreviations`` match only as written (``CSE``, not
    ``cse``). A match inside an ``exclude`` phrase does not count. ``negatable`` false
    means a negated or hypothetical mention still counts ("fathers were not included"
    is a finding about fathers).
    """

    id: str
    label: str
    description: str = ""
    phrases: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    counter_examples: tuple[str, ...] = ()
    negatable: bool = True

    def terms(self) -> list[str]:
        """Phrases and abbreviations, for expanding the theme into query terms."""
        return [*self.phrases, *self.abbreviations]


@dataclass(frozen=True)
class NegationRules:
    """When a mention is negated or hypothetical (the ``[negation]`` table).

    ``before`` and ``hypothetical`` triggers must come right before the mention, with
    only ``fillers`` (or other mentions joined by "or") between; ``after`` triggers may
    follow within ``after_window`` tokens. ``terminators`` end a clause: nothing
    reaches across them.
    """

    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    hypothetical: tuple[str, ...] = ()
    fillers: tuple[str, ...] = ()
    terminators: tuple[str, ...] = ()
    after_window: int = 4


@dataclass
class Taxonomy:
    """Themes in order (bundled first, then user files), the negation rules and lemma overrides."""

    themes: dict[str, Theme] = field(default_factory=dict)
    negation: NegationRules = field(default_factory=NegationRules)
    lemmas: dict[str, str] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)

    def get(self, theme_id: str) -> Theme | None:
        """The theme with this id, or None."""
        return self.themes.get(theme_id)

    def ids(self) -> list[str]:
        """Theme ids in taxonomy order."""
        return list(self.themes)

    def fingerprint(self) -> str:
        """Short sha256 of the merged content: changes whenever tagging could change."""
        import hashlib  # lazy: only ingest fingerprints a taxonomy (hashlib starts OpenSSL)

        payload = {
            "themes": [asdict(t) for t in self.themes.values()],
            "negation": asdict(self.negation),
            "lemmas": sorted(self.lemmas.items()),
        }
        blob = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8")
        return hashlib.sha256(blob).hexdigest()[:16]

    def to_json(self) -> str:
        """The whole taxonomy as JSON (kept in the index: the themes it was tagged with)."""
        return json.dumps({"themes": [asdict(t) for t in self.themes.values()], "negation": asdict(self.negation),
                           "lemmas": self.lemmas, "sources": self.sources}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Taxonomy:
        """A taxonomy saved by :meth:`to_json`."""
        data = json.loads(text)
        themes = {}
        for raw in data["themes"]:
            t = Theme(**{k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()})
            themes[t.id] = t
        neg = NegationRules(**{k: tuple(v) if isinstance(v, list) else v for k, v in data["negation"].items()})
        return cls(themes, neg, dict(data.get("lemmas") or {}), list(data.get("sources") or []))

    def updated_by(self, newer: Taxonomy) -> Taxonomy:
        """This taxonomy's themes with ``newer``'s added or replacing theirs by id (and its rules):
        what an index knows after an ingest with ``newer`` (earlier documents keep their tags)."""
        themes = dict(self.themes)
        themes.update(newer.themes)
        sources = [*self.sources, *(s for s in newer.sources if s not in self.sources)]
        return Taxonomy(themes, newer.negation, newer.lemmas, sources)

    def __getitem__(self, theme_id: str) -> Theme:
        return self.themes[theme_id]

    def __contains__(self, theme_id: object) -> bool:
        return theme_id in self.themes

    def __iter__(self) -> Iterator[Theme]:
        return iter(self.themes.values())

    def __len__(self) -> int:
        return len(self.themes)


def bundled_path() -> Path:
    """Path of the taxonomy shipped with the package."""
    return Path(__file__).with_name(BUNDLED_NAME)  # beside this module, as package data is installed


def load_taxonomy(extra_files: list[Path] | None = None) -> Taxonomy:
    """Load the bundled taxonomy, then each extra file in turn (adds themes or replaces by id)."""
    tax = Taxonomy()
    for path in [bundled_path(), *[Path(p) for p in (extra_files or [])]]:
        _merge(tax, path, _read_toml(path))
    return tax


def resolve_theme(taxonomy: Taxonomy, name: str) -> Theme | None:
    """Find a theme by id or label (any case, spaces or hyphens), abbreviation, or unique prefix."""
    if not name or not name.strip():
        return None
    themes = list(taxonomy.themes.values())
    if name.strip() in taxonomy.themes:
        return taxonomy.themes[name.strip()]
    key = _key(name)
    for pick in (
        [t for t in themes if _key(t.id) == key],
        [t for t in themes if _key(t.label) == key],
        [t for t in themes if name.strip() in t.abbreviations],
        [t for t in themes if _key(t.id).startswith(key) or _key(t.label).startswith(key)],
    ):
        if len(pick) == 1:
            return pick[0]
        if len(pick) > 1:
            return None
    return None


def _key(text: str) -> str:
    return " ".join(re.sub(r"[-_/]+", " ", text.lower()).split())


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return load_toml(path)
    except FileNotFoundError:
        raise TaxonomyError(path, "file not found") from None
    except OSError as exc:
        raise TaxonomyError(path, f"cannot read file ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise TaxonomyError(path, "not a UTF-8 text file") from None
    except tomllib.TOMLDecodeError as exc:
        raise TaxonomyError(path, f"not valid TOML: {exc}") from None


def _merge(tax: Taxonomy, path: Path, data: dict[str, Any]) -> None:
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise TaxonomyError(path, f"unknown top-level key(s) {_names(unknown)} (allowed: [[theme]], [negation], [lemmas])")
    themes = data.get("theme", [])
    if not isinstance(themes, list) or not all(isinstance(t, dict) for t in themes):
        raise TaxonomyError(path, "themes must be written as [[theme]] tables")
    seen: set[str] = set()
    parsed = []
    for n, raw in enumerate(themes, 1):
        theme = _parse_theme(path, n, raw)
        if theme.id in seen:
            raise TaxonomyError(path, f"theme '{theme.id}' is defined twice")
        seen.add(theme.id)
        parsed.append(theme)
    if "negation" in data:
        tax.negation = _parse_negation(path, data["negation"], tax.negation)
    if _LEMMA_KEY in data:
        tax.lemmas = {**tax.lemmas, **_parse_lemmas(path, data[_LEMMA_KEY])}
    for theme in parsed:
        tax.themes[theme.id] = theme  # replacing keeps the original position
    tax.sources.append(str(path))


def _parse_theme(path: Path, n: int, raw: dict[str, Any]) -> Theme:
    where = f"theme '{raw['id']}'" if isinstance(raw.get("id"), str) and raw.get("id") else f"theme #{n}"
    unknown = sorted(set(raw) - _THEME_KEYS)
    if unknown:
        raise TaxonomyError(path, f"{where} has unknown key(s) {_names(unknown)} (allowed: {', '.join(sorted(_THEME_KEYS))})")
    for key in ("id", "label"):
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            raise TaxonomyError(path, f"{where} has no '{key}'")
    theme_id = raw["id"].strip()
    if not _ID_RE.match(theme_id):
        raise TaxonomyError(path, f"{where}: id must be lower-case letters, digits and hyphens")
    description = raw.get("description", "")
    if not isinstance(description, str):
        raise TaxonomyError(path, f"{where}: 'description' must be a string")
    negatable = raw.get("negatable", True)
    if not isinstance(negatable, bool):
        raise TaxonomyError(path, f"{where}: 'negatable' must be true or false")
    lists = {key: _str_list(path, where, key, raw.get(key, [])) for key in _LIST_KEYS}
    if not lists["phrases"] and not lists["abbreviations"]:
        raise TaxonomyError(path, f"{where} has no phrases or abbreviations")
    for abbr in lists["abbreviations"]:
        if len(abbr.split()) != 1:
            raise TaxonomyError(path, f"{where}: abbreviation '{abbr}' must be one word")
    return Theme(
        id=theme_id,
        label=" ".join(raw["label"].split()),
        description=" ".join(description.split()),
        negatable=negatable,
        **lists,
    )


def _parse_negation(path: Path, raw: Any, base: NegationRules) -> NegationRules:
    if not isinstance(raw, dict):
        raise TaxonomyError(path, "[negation] must be a table")
    unknown = sorted(set(raw) - _NEGATION_KEYS)
    if unknown:
        raise TaxonomyError(path, f"[negation] has unknown key(s) {_names(unknown)} (allowed: {', '.join(sorted(_NEGATION_KEYS))})")
    values: dict[str, Any] = asdict(base)
    for key in _NEGATION_LIST_KEYS:
        if key in raw:
            values[key] = _str_list(path, "[negation]", key, raw[key])
    if "after_window" in raw:
        window = raw["after_window"]
        if not isinstance(window, int) or isinstance(window, bool) or not 0 <= window <= 20:
            raise TaxonomyError(path, "[negation]: 'after_window' must be a whole number from 0 to 20")
        values["after_window"] = window
    return NegationRules(**{k: tuple(v) if isinstance(v, list) else v for k, v in values.items()})


def _parse_lemmas(path: Path, raw: Any) -> dict[str, str]:
    if not isinstance(raw, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in raw.items()):
        raise TaxonomyError(path, "[lemmas] must map words to lemmas, e.g. housing = \"housing\"")
    return {k.lower(): v.lower() for k, v in raw.items()}


def _str_list(path: Path, where: str, key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TaxonomyError(path, f"{where}: '{key}' must be a list of strings")
    out = []
    for v in value:
        v = " ".join(v.split())
        if v and v not in out:
            out.append(v)
    return tuple(out)


def _names(keys: list[str]) -> str:
    return ", ".join(f"'{k}'" for k in keys)
