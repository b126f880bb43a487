"""Recurrence a reviewer can trust: a shared theme alone never links two items, stock words
are never concepts, a checked document never matches itself; the tracker and the appendix."""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from ingest.metadata import fy_label
from ingest.pipeline import ingest
from search.index.records import item_to_fields
from search.index.store import Store
from search.recur import (
    DEFAULT_THRESHOLD,
    TRACKER_COLUMNS,
    VERDICTS,
    check,
    load_concepts,
    normalise,
    pair_scores,
    recur,
    store_concepts,
    tokens,
)
from search.recur.concepts import bundled_concepts_path

FATHERS = "Fathers and male carers should be included in assessments"
PROJECT = "To implement project to support new fathers across Somerset"


def run(index, *args):
    return CliRunner().invoke(main, [*args, "--index", str(index)])


def test_a_shared_theme_alone_never_reaches_the_threshold(store):
    theme = ["fathers-male-carers"]
    score = pair_scores([(FATHERS, PROJECT)], concepts=store_concepts(store), themes=[(theme, theme)])[0]
    assert score["score"] < DEFAULT_THRESHOLD, score
    assert "including" not in score["why"]
    for m in check(store, FATHERS, themes=theme):
        if "project to support new fathers" in m["text"]:
            assert m["score"] < DEFAULT_THRESHOLD  # listed at most as similar, never made before


def test_a_shared_theme_alone_never_groups_at_any_threshold(store, tmp_path):
    ix = Store(tmp_path / "ix")
    with ix.locked(), ix.writer(fresh=True, taxonomy=store.taxonomy()) as (w, _manifest):
        for n, (year, text) in enumerate([(2019, FATHERS), (2023, PROJECT),
                                          (2020, "Neglect toolkit refreshed and relaunched for health visitors"),
                                          (2022, "Health visitors trained to use the refreshed neglect toolkit")]):
            item = {"item_id": f"r{year}:1.{n}", "section_id": f"r{year}:1", "doc_id": f"r{year}", "ordinal": n,
                    "kind": "recommendation", "text": text, "status": None,
                    "themes": ["fathers-male-carers"] if n < 2 else ["neglect"],
                    "year": fy_label(year), "year_start": year}
            w.add(item_to_fields(item, {"title": f"Report {year}", "doc_type": "annual-report"}))
    groups = recur(ix, threshold=1)
    assert not any("new fathers" in i["text"] for c in groups for i in c["items"])
    # sharing more than the theme (the toolkit, health visitors) still groups
    assert any(len(c["items"]) == 2 and all("toolkit" in i["text"] for i in c["items"]) for c in recur(ix))
    ix.close()


def test_stock_words_are_never_concepts():
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib

    stock = tomllib.loads(bundled_concepts_path().read_text(encoding="utf-8"))["stock"]["words"]
    assert {"including", "ensure", "across"} <= set(stock)
    concepts = load_concepts()
    for word in stock:
        assert tokens(f"{word}", concepts) == [], word
    assert normalise("Ensure fathers are seen across services, including at home") == ["fathers", "seen", "home"]


def test_the_checked_document_is_left_out(tmp_path):
    from docx import Document

    review = tmp_path / "review.docx"
    d = Document()
    d.add_heading("Recommendations", level=1)
    for t in ("The partnership should refresh the neglect toolkit for health visitors.",
              "Health visitors should include fathers and male carers in pre-birth assessments."):
        d.add_paragraph(t, style="List Bullet")
    d.save(str(review))
    index = tmp_path / "ix"
    assert ingest([review], index).failed == []
    data = json.loads(run(index, "recur", "--check", str(review), "--json").stdout)
    assert data["summary"]["left_out"] and data["summary"]["left_out"][0]["doc_id"]
    own = data["summary"]["left_out"][0]["doc_id"]
    assert not any(m["doc_id"] == own for c in data["checks"] for m in c["matches"])
    assert data["summary"]["made_before"] == 0
    out = run(index, "recur", "--check", str(review)).output
    assert "Left out: the items of" in out and "--include-self" in out
    kept = json.loads(run(index, "recur", "--check", str(review), "--json", "--include-self").stdout)
    assert kept["summary"]["left_out"] == [] and kept["summary"]["made_before"] == 2
    assert all(c["matches"][0]["doc_id"] == own for c in kept["checks"])


def test_a_checked_indexed_report_is_never_said_before_by_reports_dated_after_it(tmp_path):
    from docx import Document

    def review(year: int) -> Path:
        path = tmp_path / "reports" / f"review-{year}.docx"
        path.parent.mkdir(exist_ok=True)
        d = Document()
        d.add_heading(f"Westshire Safeguarding Children Board Annual Report {year}/{year - 1999:02d}", level=0)
        d.add_heading("Recommendations", level=1)
        for t in ("The partnership should refresh the neglect toolkit for health visitors.",
                  "Health visitors should include fathers and male carers in pre-birth assessments."):
            d.add_paragraph(t, style="List Bullet")
        d.save(str(path))
        return path

    review(2016), review(2022)
    checked = review(2019)
    index = tmp_path / "ix"
    assert ingest([tmp_path / "reports"], index).failed == []
    data = json.loads(run(index, "recur", "--check", str(checked), "--json").stdout)
    later = data["summary"]["later_left_out"]
    assert [d["doc_id"] for d in later] == ["review-2022"]
    matched = {m["doc_id"] for c in data["checks"] for m in c["matches"]}
    assert "review-2016" in matched and not matched & {"review-2019", "review-2022"}
    assert data["summary"]["made_before"] == 2  # by the 2016 report, not the 2022 one
    out = run(index, "recur", "--check", str(checked)).output
    assert "of the 1 report dated after it" in " ".join(out.split())
    kept = json.loads(run(index, "recur", "--check", str(checked), "--json", "--include-self").stdout)
    assert kept["summary"]["later_left_out"] == [] and "review-2022" in {
        m["doc_id"] for c in kept["checks"] for m in c["matches"]}


def test_groups_say_first_and_last_seen_kinds_and_statuses(store, corpus_index):
    groups = recur(store)
    for c in groups:
        years = [i["year_start"] for i in c["items"]]
        assert years == sorted(years)  # oldest first
        assert c["first_seen"]["year"] == c["items"][0]["year"] and c["last_seen"]["year"] == c["items"][-1]["year"]
        assert c["documents"] == len({i["doc_id"] for i in c["items"]}) and c["year_count"] == len(c["years"])
        assert c["kinds"] == sorted({i["kind"] for i in c["items"]})
        assert [s["status"] for s in c["statuses"]] == [i["status"] for i in c["items"] if i.get("status")]
    out = run(corpus_index, "recur").output
    flat = " ".join(out.split())  # lines are wrapped to the terminal
    assert f"{len(groups)} groups of items said again" in flat and "--all lists every item" in flat
    assert flat.endswith(f"{len(groups)} groups, {sum(len(c['items']) for c in groups)} items.")
    assert "first seen: " in out and "kinds: " in out
    every = run(corpus_index, "recur", "--all").output
    assert every.count("\u2014 ") > out.count("\u2014 ")  # every item, each with its citation


@pytest.mark.parametrize("ext", ["xlsx", "csv"])
def test_tracker_file_has_named_columns_and_a_row_per_group(store, corpus_index, tmp_path, ext):
    path = tmp_path / f"tracker.{ext}"
    r = run(corpus_index, "recur", "-o", str(path))
    assert r.exit_code == 0 and f"Tracker written to {path}" in r.output
    groups = recur(store)
    if ext == "xlsx":
        from openpyxl import load_workbook

        rows = list(load_workbook(str(path)).active.iter_rows(values_only=True))
        header, body = list(rows[0]), [dict(zip(rows[0], row)) for row in rows[1:]]
    else:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            body = list(csv.DictReader(fh))
        header = list(body[0])
    assert header == list(TRACKER_COLUMNS)
    assert len(body) == len(groups)
    for row in body:
        assert row["First raised"] <= row["Last raised"] and int(row["Times raised"]) >= 2
        assert row["Citations"] and row["Recommendation (latest wording)"]
    assert [int(r["Ref"]) for r in body] != [] and {int(r["Ref"]) for r in body} == {c["id"] for c in groups}


def test_appendix_is_an_a4_table_with_a_verdict_per_recommendation(corpus_index, tmp_path):
    from docx import Document

    recs = tmp_path / "new-review.txt"
    recs.write_text(f"{FATHERS}.\nRecord staff safeguarding training compliance on the Electronic Staff Record\n"
                    "Buy ergonomic office chairs for the meeting room\n", encoding="utf-8")
    path = tmp_path / "appendix.docx"
    assert run(corpus_index, "recur", "--check", str(recs), "-o", str(path)).exit_code == 0
    doc = Document(str(path))
    sec = doc.sections[0]
    assert sorted([round(sec.page_width.mm), round(sec.page_height.mm)]) == [210, 297]
    assert len(doc.tables) == 1
    rows = doc.tables[0].rows
    assert [c.text for c in rows[0].cells][:3] == ["No.", "Recommendation", "Verdict"]
    assert len(rows) == 1 + 3
    verdicts = [r.cells[2].text for r in rows[1:]]
    assert set(verdicts) <= set(VERDICTS) and verdicts[1] == "made before" and verdicts[2] == "new"
    assert "Electronic Staff Record" in rows[2].cells[3].text and "score" in rows[2].cells[3].text
    md = tmp_path / "appendix.md"
    assert run(corpus_index, "recur", "--check", str(recs), "-o", str(md)).exit_code == 0
    table = [ln for ln in md.read_text(encoding="utf-8").splitlines() if ln.startswith("| ")]
    assert len(table) == 1 + 3 and "| made before |" in table[2]
    out = tmp_path / "appendix.csv"
    assert run(corpus_index, "recur", "--check", str(recs), "-o", str(out)).exit_code == 0
    with out.open(encoding="utf-8-sig", newline="") as fh:
        assert {r["verdict"] for r in csv.DictReader(fh)} <= set(VERDICTS)


def test_a_span_report_is_in_every_year_it_covers_for_recur(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    rec = "Practitioners should use the neglect toolkit when chronic neglect is suspected."
    (src / "span.md").write_text(
        "# Lessons from reviews of neglect\n\nPublished: October 2011\n\nAn evaluation of reviews from 1 April "
        f"2007 to 31 March 2011.\n\n## Recommendations\n\n1. {rec}\n", encoding="utf-8")
    (src / "annual.md").write_text(
        f"# Ashby LSCB Annual Report 2008-09\n\n## Recommendations\n\n1. {rec}\n", encoding="utf-8")
    root = tmp_path / "ix"
    assert ingest([src], root).ok
    store = Store(root)
    try:
        [group] = recur(store)
        assert {it["doc_id"] for it in group["items"]} == {"annual", "span"}
        # the review covers 2007-08 to 2010-11: asked for 2008-09 to 2009-10, it is there
        [within] = recur(store, from_year=2008, to_year=2009)
        assert {it["doc_id"] for it in within["items"]} == {"annual", "span"}
        assert recur(store, from_year=2012) == []  # after the span: nothing to group
    finally:
        store.close()
