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
    text = run("male carers", "-n", "50", *ix).output
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
    assert "— " + pack_items[0]["citation"] in run("recur", *ix).output


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
    assert neglect.split()[1:5] == ["20", "1", "—", "1"]


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
    assert neglect[1] == "20" and neglect[3] == ""  # 2018-19: no document
    xlsx = tmp_path / "t.xlsx"
    r = run("themes", "--format", "xlsx", "-o", str(xlsx), "--per", "100", "--index", str(corpus_index))
    assert r.exit_code == 0, r.output
    ws = load_workbook(xlsx).active
    rows = {row[0]: row for row in ws.iter_rows(values_only=True)}
    assert rows["Theme"][1] == "2016-17" and isinstance(rows["Neglect"][1], float)
    assert run("themes", "--format", "xlsx", "--index", str(corpus_index)).exit_code == 2
    js = json.loads(run("themes", "--format", "json", "--index", str(corpus_index)).output)
    assert js["years"][2] == "2018-19" and js["sections"]["2018-19"] is None
