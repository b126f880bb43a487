"""Board-ready outputs: one citation format, titles never missing, tables, charts and briefings."""
from __future__ import annotations

import json

from click.testing import CliRunner

from cli import main


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input)


def test_one_citation_format_everywhere(corpus_index, store, tmp_path):
    ix = ["--index", str(corpus_index)]
    found = json.loads(run("male carers", "--json", "-n", "50", *ix).output)["results"]
    by_id = {r["section_id"]: r["citation"] for r in found}
    traced = json.loads(run("trace", "male carers", "--examples", "5", "--json", *ix).output)
    examples = [ex for y in traced["years"] for ex in y["examples"]]
    assert examples and all(by_id[ex["section_id"]] == ex["citation"] for ex in examples if ex["section_id"] in by_id)
    embedded = [c for c in by_id.values() if ", in Health and Wellbeing Board agenda pack" in c]
    assert embedded and all(c.startswith("Somerset Safeguarding Children Board Annual Report 2016/17 (2016-17)")
                            for c in embedded)
    text = " ".join(run("male carers", "-n", "50", *ix).output.split())  # lines are wrapped to the terminal
    assert all(c in text for c in by_id.values())
    briefing = tmp_path / "b.json"
    run("export", "male carers", "-o", str(briefing), *ix)
    quoted = [p for g in json.loads(briefing.read_text())["passages"] for p in g["passages"]]
    assert quoted and all(by_id[p["section_id"]] == p["citation"] for p in quoted if p["section_id"] in by_id)
    clusters = json.loads(run("recur", "--json", *ix).output)["clusters"]
    items = [it for c in clusters for it in c["items"]]
    pack_items = [it for it in items if it["section_id"].startswith("hwbb-") and it["year"] == "2016-17"]
    assert pack_items and all(it["citation"].startswith("Somerset Safeguarding Children Board Annual Report 2016/17 "
                                                        "(2016-17), in Health and Wellbeing Board") for it in pack_items)
    assert "— " + pack_items[0]["citation"] in " ".join(run("recur", "--all", *ix).output.split())


def test_sources_name_every_document_by_its_title(store, tmp_path):
    from search.export import build_briefing, export

    b = build_briefing(store, "pre-birth")
    titles = {s["doc_id"]: s["title"] for s in b["sources"]}
    assert titles["ccg-2021-22"] == "Safeguarding Children Annual Report 2021-22 (the CCG's final report)"
    assert all(t and t != s for s, t in titles.items())
    md = tmp_path / "b.md"
    export(store, md, query="pre-birth")
    sources = md.read_text().split("## Sources", 1)[1]
    assert "None" not in sources and "- (" not in sources and "Health and Wellbeing Board agenda pack" in sources


def test_themes_fit_80_columns_and_show_every_year(corpus_index):
    r = run("themes", "--index", str(corpus_index))
    assert r.exit_code == 0
    lines = r.output.splitlines()
    assert max(len(line) for line in lines) <= 80
    header = next(line for line in lines if line.split()[:1] == ["16-17"])
    # every year from the first to the last, 2018-19 (no document) included
    assert header.split() == ["16-17", "17-18", "18-19", "19-20", "20-21", "21-22", "22-23", "23-24", "24-25", "all"]
    neglect = next(line for line in lines if line.startswith("Neglect "))
    # 2016-17, 2017-18, 2018-19 (no document), 2019-20 (none: blank), 2020-21
    assert neglect.split()[1:5] == ["19", "1", "—", "3"]


def test_themes_per_100_and_per_doc(store):
    from search.table import full_table

    raw, per100, perdoc = (full_table(store, per=p) for p in (None, "100", "doc"))
    y = "2020-21"
    n = next(t for t in raw["themes"] if t["id"] == "neglect")["counts"][y]
    assert raw["sections"][y] == 23
    assert next(t for t in per100["themes"] if t["id"] == "neglect")["counts"][y] == round(100 * n / 23, 1)
    assert next(t for t in perdoc["themes"] if t["id"] == "neglect")["counts"][y] == 1
    assert raw["documents_per_year"][y] == 1
    assert next(t for t in raw["themes"] if t["id"] == "neglect")["counts"]["2018-19"] is None


def test_themes_csv_xlsx_json(corpus_index, tmp_path):
    import csv
    import io

    from openpyxl import load_workbook

    out = run("themes", "--format", "csv", "--index", str(corpus_index)).output
    table = list(csv.reader(io.StringIO(out)))
    assert table[0][:3] == ["Theme", "2016-17", "2017-18"] and table[0][-1] == "Total"
    neglect = next(r for r in table if r[0] == "Neglect")
    assert neglect[1] == "19" and neglect[3] == ""  # 2018-19: no document
    xlsx = tmp_path / "t.xlsx"
    r = run("themes", "--format", "xlsx", "-o", str(xlsx), "--per", "100", "--index", str(corpus_index))
    assert r.exit_code == 0, r.output
    ws = load_workbook(xlsx).active
    rows = {row[0]: row for row in ws.iter_rows(values_only=True)}
    assert rows["Theme"][1] == "2016-17" and isinstance(rows["Neglect"][1], float)
    assert run("themes", "--format", "xlsx", "--index", str(corpus_index)).exit_code == 2
    js = json.loads(run("themes", "--format", "json", "--index", str(corpus_index)).output)
    assert js["years"][2] == "2018-19" and js["sections"]["2018-19"] is None


def test_trace_filters_and_drilling_into_a_cell(corpus_index, store):
    from search.trace import trace

    every = trace(store, "neglect")
    later = trace(store, "neglect", from_year="2019")
    assert [y["year"] for y in later["years"]] == [y["year"] for y in every["years"] if y["year_start"] >= 2019]
    typed = trace(store, "neglect", doc_type="board-papers")
    assert typed["years"] and all(ex["section_id"].startswith("hwbb-") for y in typed["years"] for ex in y["examples"])
    cell = json.loads(run("trace", "neglect", "--year", "2016-17", "--json", "--index", str(corpus_index)).output)
    n = next(y for y in every["years"] if y["year"] == "2016-17")["sections"]
    assert [y["year"] for y in cell["years"]] == ["2016-17"] and len(cell["years"][0]["examples"]) == n > 2
    themed = trace(store, "neglect", theme="early-help")
    assert 0 < sum(y["sections"] for y in themed["years"]) < sum(y["sections"] for y in every["years"])


def test_trace_plot_spans_every_year_and_refuses_an_empty_chart(corpus_index, tmp_path, monkeypatch):
    import search.report.chart

    seen = {}
    real = search.report.chart.plot_trace
    monkeypatch.setattr(search.report.chart, "plot_trace", lambda data, path, all_years=None, indexed=None: (
        seen.update(years=all_years), real(data, path, all_years, indexed))[1])
    png = tmp_path / "c.png"
    r = run("trace", "fathers-male-carers", "--plot", str(png), "--index", str(corpus_index))
    assert r.exit_code == 0 and png.stat().st_size > 1000
    assert seen["years"] == ["2016-17", "2017-18", "2018-19", "2019-20", "2020-21", "2021-22", "2022-23",
                             "2023-24", "2024-25"]
    blank = tmp_path / "blank.png"
    r = run("trace", "zzzqqq", "--plot", str(blank), "--index", str(corpus_index))
    assert r.exit_code == 1 and not blank.exists() and "no chart was written" in r.output


def test_export_with_nothing_to_say_writes_nothing(corpus_index, tmp_path):
    out = tmp_path / "b.docx"
    r = run("export", "zzzqqq", "-o", str(out), "--index", str(corpus_index))
    assert r.exit_code == 1 and not out.exists() and "no sections match" in r.output


def test_terminal_output_wraps_at_the_width_without_breaking_words(corpus_index, monkeypatch):
    import re

    monkeypatch.setenv("COLUMNS", "80")  # the terminal's width, as shutil.get_terminal_size reads it
    for args in (["neglect", "-n", "5"], ["trace", "male carers"], ["recur", "--min-years", "3"],
                 ["show", "sscp-2020-21:18"]):
        out = run(*args, "--index", str(corpus_index)).output
        lines = out.splitlines()
        assert max(len(line) for line in lines) <= 80, args
        long_words = [w for w in re.findall(r"\S+", out) if len(w) > 70]
        assert not long_words
    # every word of a snippet survives whole: joined back, the lines give the snippet
    js = json.loads(run("neglect", "-n", "1", "--json", "--index", str(corpus_index)).output)["results"][0]
    text = run("neglect", "-n", "1", "--index", str(corpus_index)).output
    body = " ".join(line.strip() for line in text.splitlines()[3:-1])
    assert " ".join(js["snippet"].split()) in body


def test_word_briefing_is_board_ready(store, tmp_path):
    import shutil
    import subprocess

    from docx import Document
    from docx.shared import Mm

    from search.export import export

    path = export(store, tmp_path / "neglect.docx", query="neglect")
    doc = Document(str(path))
    sec = doc.sections[0]
    assert {round(sec.page_width.mm), round(sec.page_height.mm)} == {210, 297}  # A4 (landscape for 9 years)
    assert "Scope: \u201cneglect\u201d, 2016-17 to 2020-21" in doc.paragraphs[1].text  # the matches' years, as the search says them
    assert "25 sections in 3 documents of 5 indexed" in doc.paragraphs[1].text
    table = doc.tables[0]
    label, year, total = (table.columns[i].width for i in (0, 1, len(table.columns) - 1))
    assert label > 3 * year and year >= Mm(18) and total < label
    assert [c.text for c in table.rows[0].cells][3] == "2018-19"
    assert [c.text for c in table.rows[2].cells][3] == "\u2014"  # no document in 2018-19
    assert len(doc.inline_shapes) == 1  # the chart
    assert doc.styles["Heading 2"].font.color.rgb is not None
    if not shutil.which("soffice"):
        return  # .ci/run installs LibreOffice, so this part runs there
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=120,
                   env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(tmp_path / "neglect.pdf"))
    w, h = pdf[0].get_size()
    assert {round(w), round(h)} == {595, 842}  # A4 in points
    text = pdf[0].get_textpage().get_text_range()
    assert "\nNeglect 19 1 \u2014 0 3 0 \u2014 \u2014 0 23" in text.replace("\r", "")  # one row, "Neglect" whole
    assert "Theme 2016-17 2017-18 2018-19" in text  # years on one line each
    pdf.close()
