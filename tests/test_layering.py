"""The layering stays: no import circles, no upward imports, no module importing another's
private name, and the query path and the web process never import spaCy or pdfplumber.

Mostly read from the source with ``ast`` (nothing is imported), so those tests are fast and
see the imports inside functions too; the last two run every answering command and every
page in a fresh interpreter, which sees an import inside a function that a command reaches.
"""
from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("search", "ingest", "web", "corpus")
TOP_MODULES = ("cli", "cliformat", "usecases")

# each layer and the layers it may import (itself always allowed), lowest first
ALLOWED = {
    "base": set(),
    "vocab": {"base"},
    "index": {"base", "vocab"},
    "corpus": set(),
    "report": {"base", "vocab"},  # writers: data in, a file out
    "answers": {"base", "vocab", "index", "report"},
    "ingest": {"base", "vocab", "index", "corpus"},
    "usecases": {"base", "vocab", "index", "answers", "report", "ingest", "corpus"},
    "web": {"base", "vocab", "index", "answers", "report", "ingest", "usecases", "corpus"},
    "cliformat": {"base", "vocab", "index", "answers", "report"},
    "cli": {"base", "vocab", "index", "answers", "report", "ingest", "usecases", "corpus", "web", "cliformat"},
}
HEAVY = ("spacy", "pdfplumber")


def layer(module: str) -> str:
    """The layer a project module belongs to."""
    parts = module.split(".")
    if parts[0] == "search":
        if len(parts) > 1 and parts[1] in ("errors", "safe", "cite"):
            return "base"  # the library's errors, its one sanitiser and its one citation format
        if len(parts) > 1 and parts[1] in ("vocab", "index", "report"):
            return parts[1]
        return "answers"
    return parts[0]


def _name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@lru_cache(maxsize=1)
def modules() -> dict[str, Path]:
    found = {m: ROOT / f"{m}.py" for m in TOP_MODULES if (ROOT / f"{m}.py").exists()}
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            found[_name(path)] = path
    return found


def _imports(module: str, path: Path):
    """``(imported name, line, inside a function)`` for every import in the module."""
    is_pkg = path.name == "__init__.py"
    out = []

    def visit(node, inner: bool):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                out.extend((a.name, child.lineno, inner) for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    pkg = module.split(".") if is_pkg else module.split(".")[:-1]
                    pkg = pkg[:len(pkg) - child.level + 1]
                    base = ".".join(pkg + ([base] if base else []))
                out.extend((f"{base}.{a.name}", child.lineno, inner) if f"{base}.{a.name}" in modules()
                           else (base, child.lineno, inner) for a in child.names)
            visit(child, inner or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)))

    visit(ast.parse(path.read_text(encoding="utf-8")), False)
    return out


def _project(name: str) -> str | None:
    """The project module an imported name is (or is in), None for a library."""
    while name:
        if name in modules():
            return name
        name = name.rpartition(".")[0]
    return None


@lru_cache(maxsize=1)
def graph() -> dict[str, list[tuple[str, int, bool]]]:
    """Module -> the project modules it imports (line, inside a function)."""
    edges = {}
    for module, path in modules().items():
        edges[module] = []
        for name, line, inner in _imports(module, path):
            target = _project(name)
            if target and target != module:
                edges[module].append((target, line, inner))
    return edges


def test_every_module_has_a_layer():
    assert {layer(m) for m in modules()} <= set(ALLOWED), sorted({layer(m) for m in modules()} - set(ALLOWED))


def test_no_upward_import():
    bad = [f"{m} (line {line}) imports {t}: {layer(m)} may not import {layer(t)}"
           for m, edges in graph().items() for t, line, _ in edges
           if layer(t) != layer(m) and layer(t) not in ALLOWED[layer(m)]]
    assert not bad, "\n".join(bad)


def test_no_import_circle():
    """Counting imports inside functions too: a circle hidden in a function is still one.
    A package importing its own modules (its public face) is not a circle."""
    edges = {m: sorted({t for t, _, _ in es if not m.startswith(t + ".")}) for m, es in graph().items()}
    state: dict[str, int] = {}
    circles = []

    def walk(m, path):
        state[m] = 1
        for t in edges[m]:
            if state.get(t) == 1:
                circles.append(" -> ".join(path[path.index(t):] + [t]))
            elif t not in state:
                walk(t, path + [t])
        state[m] = 2

    for m in sorted(edges):
        if m not in state:
            walk(m, [m])
    assert not circles, "\n".join(circles)


def _loaded_with(start: str) -> set[str]:
    """The project modules loading ``start`` loads (imports at module level, and the
    package ``__init__`` of each)."""
    seen, todo = set(), [start]
    while todo:
        m = todo.pop()
        if m in seen:
            continue
        seen.add(m)
        parts = m.split(".")
        todo.extend(".".join(parts[:i]) for i in range(1, len(parts)) if ".".join(parts[:i]) in modules())
        todo.extend(t for t, _, inner in graph()[m] if not inner)
    return seen


def test_query_path_and_web_never_load_spacy_or_pdfplumber():
    starts = [m for m in modules() if layer(m) in ("base", "vocab", "index", "report", "answers", "web", "cli", "cliformat")]
    bad = []
    for start in starts:
        for m in _loaded_with(start):
            for name, line, inner in _imports(m, modules()[m]):
                if not inner and name.split(".")[0] in HEAVY:
                    bad.append(f"{start} loads {m}, which imports {name} (line {line})")
    assert not bad, "\n".join(sorted(set(bad)))


def test_an_import_inside_a_function_says_why():
    """Imports sit at the top of a module, except to keep a heavy or optional library (or a
    module that loads one) off the query path; such an import says so in a comment on its
    line or just above its group."""
    bad = []
    for module, path in modules().items():
        lines = path.read_text(encoding="utf-8").splitlines()
        for _name, line, inner in _imports(module, path):
            if not inner or "#" in lines[line - 1]:
                continue
            above = line - 2
            while above >= 0 and lines[above].strip().startswith(("from ", "import ")):
                above -= 1
            if above < 0 or not lines[above].strip().startswith("#"):
                bad.append(f"{module} line {line}: {lines[line - 1].strip()}")
    assert not bad, "imports inside functions without a comment saying why:\n" + "\n".join(sorted(set(bad)))


def test_no_module_imports_another_modules_private_name():
    """A name starting with ``_`` is its module's own: another module that needs it gets a
    public name (tests may reach inside; the program may not)."""
    bad = []
    for module, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module != "__future__":
                bad += [f"{module} line {node.lineno}: from {'.' * node.level}{node.module or ''} import {a.name}"
                        for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]
    assert not bad, "\n".join(bad)


def _loaded_by(code: str, *args: str) -> list[str]:
    """The heavy libraries (and the tagger's modules) a fresh interpreter has loaded after ``code``."""
    code += ("\nimport json, sys\nprint(json.dumps(sorted({m.split('.')[0] if m.split('.')[0] in "
             f"{HEAVY!r} else m for m in sys.modules if m.split('.')[0] in {HEAVY!r} "
             "or m in ('ingest.themes', 'ingest.tagworker')})))\n")
    run = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True,
                         timeout=600)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_every_answering_command_runs_without_spacy_or_pdfplumber(corpus_index, tmp_path):
    """What the static check above cannot see: an import inside a function that a command
    reaches. Each answering command is run in one fresh interpreter; none loads them."""
    code = textwrap.dedent("""
        import sys
        from cli import main

        index, out = sys.argv[1], sys.argv[2]
        for args in (["neglect", "--facets"], ["search", "domestic", "--year", "1999"], ["docs"],
                     ["docs", "ccg-2021-22"], ["show", "ccg-2021-22:3"], ["terms", "CSE"], ["themes"],
                     ["themes", "--per", "100", "-o", out + "/t.csv"], ["trace", "neglect"],
                     ["recur", "--kind", "recommendation"],
                     ["recur", "--check", "Agencies should share information about neglect"],
                     ["export", "neglect", "-o", out + "/b.md"], ["export", "--theme", "neglect", "-o", out + "/b.csv"]):
            try:
                main([*args, "--index", index], standalone_mode=False)
            except SystemExit:
                pass
    """)
    assert _loaded_by(code, str(corpus_index), str(tmp_path)) == []
    assert (tmp_path / "b.md").exists() and (tmp_path / "t.csv").exists()


def test_every_page_is_served_without_spacy_or_pdfplumber(corpus_index):
    """Every page the web process answers itself (the upload and the file check read and tag
    in processes of their own: ``tests/test_web.py``) loads neither, nor the tagger."""
    code = textwrap.dedent("""
        import sys, warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from starlette.testclient import TestClient
        from web import create_app

        with TestClient(create_app(sys.argv[1]), base_url="http://127.0.0.1:8765") as c:
            for url in ("/", "/?q=neglect", "/?q=neglect&format=json", "/facets?q=neglect", "/docs",
                        "/doc/ccg-2021-22", "/section/ccg-2021-22:3", "/themes", "/themes?show=per100",
                        "/themes?theme=neglect", "/themes.xlsx", "/trace?q=neglect", "/trace.svg?q=neglect",
                        "/recur", "/recur?format=csv", "/recur?check=Agencies+should+share+information",
                        "/export?q=neglect&fmt=md", "/export?q=neglect&fmt=docx", "/ingest"):
                r = c.get(url)
                assert r.status_code == 200, (url, r.status_code)
    """)
    assert _loaded_by(code, str(corpus_index)) == []
