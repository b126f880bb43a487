"""Every command in README.md runs as written, against the bundled corpus, and succeeds.

How examples are found: every fenced block whose info string is ``sh`` is read line by line;
each non-empty line is one command (a trailing ``# comment`` is a comment, as in a shell).
A block whose info string is ``sh skip`` is shown to readers but not run here: the set-up
and development blocks (installing, running the tests themselves), nothing else.

Each block runs in its own temporary folder, holding the example files the README names
(``reports/``, ``report.pdf``, ``my-themes.toml`` …), with ``$SGSEARCH_INDEX`` pointing at
a fresh copy of an index this test seeds with the bundled corpus, so that a block that
rebuilds or re-tags the index does not change what the next block sees. Commands run
through ``cli.main`` with click's CliRunner (``echo TEXT | sgsearch …`` passes TEXT on
standard input), split exactly as a POSIX shell would split them (``shlex``).
"""
from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from cli import main
from tests.docgen import write_docx, write_pdf, write_txt

README = Path(__file__).resolve().parent.parent / "README.md"
FENCE = re.compile(r"^```([^\n`]*)\n(.*?)^```", re.S | re.M)


def readme_blocks(text: str | None = None) -> list[tuple[int, list[str]]]:
    """The runnable ``sh`` blocks of the README: (line number, commands)."""
    text = README.read_text(encoding="utf-8") if text is None else text
    blocks = []
    for m in FENCE.finditer(text):
        info = m.group(1).split()
        if not info or info[0] != "sh" or "skip" in info[1:]:
            continue
        line = text.count("\n", 0, m.start()) + 2
        cmds = [c for c in (shlex.split(raw, comments=True) for raw in m.group(2).splitlines()) if c]
        blocks.append((line, cmds))
    return blocks


def test_the_convention_skips_only_marked_blocks():
    sample = "```sh skip\npip install .\n```\n\n```sh\nsgsearch neglect   # a comment\n```\n```toml\nx = 1\n```\n"
    assert readme_blocks(sample) == [(6, [["sgsearch", "neglect"]])]


def _example_files(cwd: Path) -> None:
    """The files the README's examples name, written by our own generator."""
    (cwd / "reports").mkdir()
    write_txt(cwd / "reports" / "annual-report.txt")
    (cwd / "board-papers").mkdir()
    write_pdf(cwd / "board-papers" / "2019.pdf")
    write_pdf(cwd / "report.pdf")
    write_docx(cwd / "new-review.docx")
    (cwd / "recommendations.txt").write_text(
        "Fathers and male carers should be included in assessments of children's needs.\n"
        "All agencies should use the neglect toolkit when they are worried about neglect.\n", encoding="utf-8")
    (cwd / "my-themes.toml").write_text(
        '[[theme]]\nid = "widgets"\nlabel = "Widget protocol"\ndescription = "Our local protocol."\n'
        'phrases = ["widget protocol", "widget plan"]\n', encoding="utf-8")
    (cwd / "my-terms.toml").write_text(
        'synonyms = [["family group conference", "FGC meeting"]]\n[abbreviations]\nFGC = "family group conference"\n',
        encoding="utf-8")


def _invoke(cmd: list[str]):
    stdin = None
    if "|" in cmd:  # echo TEXT | sgsearch ...
        bar = cmd.index("|")
        assert cmd[0] == "echo", cmd
        stdin, cmd = " ".join(cmd[1:bar]) + "\n", cmd[bar + 1:]
    assert cmd[0] == "sgsearch", f"README examples are sgsearch commands: {cmd}"
    return CliRunner().invoke(main, cmd[1:], input=stdin)


BLOCKS = readme_blocks()


def test_user_docs_are_self_contained():
    docs = [README, *sorted((README.parent / "docs").glob("*.md"))]
    for path in docs:
        text = path.read_text(encoding="utf-8")
        assert "../shared" not in text and "GUIDE.md" not in text, path
    assert "(docs/json.md)" in README.read_text(encoding="utf-8")


def _doc_paragraphs() -> list[str]:
    """The README's and docs/*.md's paragraphs (text between blank lines; a code block's lines)."""
    paragraphs = []
    for path in [README, *sorted((README.parent / "docs").glob("*.md"))]:
        paragraphs += re.split(r"\n\s*\n", path.read_text(encoding="utf-8"))
    return paragraphs


def _long_options(command: click.Command) -> list[str]:
    return [o for p in command.params if isinstance(p, click.Option) for o in p.opts + p.secondary_opts
            if o.startswith("--")]


def test_every_option_of_every_command_is_documented():
    """Each command's long options are named in the README or docs/, beside the command's name
    (in one paragraph); options every command takes (--index, --json) anywhere."""
    ctx = click.Context(main)
    commands = {name: main.get_command(ctx, name) for name in main.list_commands(ctx)}
    assert {"search", "ingest", "recur", "serve"} <= set(commands)
    shared = set.intersection(*(set(_long_options(c)) for c in commands.values()))
    paragraphs = _doc_paragraphs()

    def named(option: str, command: str | None) -> bool:
        opt = re.compile(rf"(?<![\w-]){re.escape(option)}(?![\w-])")
        # the search command is also the bare `sgsearch QUERY`
        cmd = None if command is None else re.compile(r"\bsgsearch\b|\bsearch\b" if command == "search"
                                                      else rf"\b{re.escape(command)}\b")
        return any(opt.search(p) and (cmd is None or cmd.search(p)) for p in paragraphs)

    missing = [f"sgsearch {name} {o}" for name, c in commands.items() for o in _long_options(c)
               if not named(o, None if o in shared else name)]
    missing += [f"sgsearch {o}" for o in _long_options(main) if not named(o, None)]
    assert not missing, f"options documented nowhere in README.md or docs/: {missing}"


def test_the_readme_has_examples():
    assert len(BLOCKS) >= 6 and sum(len(c) for _, c in BLOCKS) >= 30


@pytest.mark.parametrize("line,commands", BLOCKS, ids=[f"README.md:{n}" for n, _ in BLOCKS])
def test_readme_example_block_runs(line, commands, corpus_index, tmp_path, monkeypatch):
    index = tmp_path / "index"
    shutil.copytree(corpus_index, index)
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    _example_files(cwd)
    monkeypatch.chdir(cwd)
    monkeypatch.setenv("SGSEARCH_INDEX", str(index))
    for cmd in commands:
        r = _invoke(cmd)
        assert r.exit_code == 0, f"README.md:{line}: {shlex.join(cmd)} exited {r.exit_code}\n{r.output}"
        assert "Traceback" not in r.output
        assert r.stdout.strip() or cmd[1] in ("ingest",), f"{shlex.join(cmd)} printed nothing"
