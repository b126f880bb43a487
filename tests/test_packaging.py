"""Every data file a package reads is declared as package data, so an installed copy has it.

Tests run against the source tree, where every file is present; an installed wheel holds
only what ``[tool.setuptools.package-data]`` names, so a data file left out there works
here and fails for a user.
"""
from __future__ import annotations

import fnmatch
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent


SETUPTOOLS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def _declared() -> dict[str, list[str]]:
    return SETUPTOOLS["package-data"]


def _packages() -> list[Path]:
    tops = [p.rstrip("*") for p in SETUPTOOLS["packages"]["find"]["include"]]
    return [init.parent for top in tops for init in (ROOT / top).glob("**/__init__.py")]


def _undeclared(declared: dict[str, list[str]]) -> list[str]:
    missing = []
    for package in _packages():
        name = ".".join(package.relative_to(ROOT).parts)
        patterns = declared.get(name, [])
        for path in package.rglob("*"):
            rel = path.relative_to(package)
            if (not path.is_file() or path.suffix in {".py", ".pyc"} or "__pycache__" in rel.parts
                    or any((p / "__init__.py").is_file() for p in path.parents if package in p.parents)):
                continue
            if not any(fnmatch.fnmatch(rel.as_posix(), pattern) for pattern in patterns):
                missing.append(f"{name}: {rel.as_posix()}")
    return missing


def test_every_data_file_in_a_package_is_package_data():
    assert _undeclared(_declared()) == []


def test_a_data_file_left_out_is_found():
    declared = {name: [p for p in patterns if p != "*.tsv"] for name, patterns in _declared().items()}
    assert "ingest: places.tsv" in _undeclared(declared)
