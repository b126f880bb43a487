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
