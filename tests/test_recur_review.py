"""A case-review subgroup checking an old recommendation: ``recur --check`` of a long file read
on a terminal, the appendix in each format, and the web page's "Said before?" against the
command line. Each test is a defect that use showed; the documents are written here."""
from __future__ import annotations

TOOLKIT = "The partnership should seek assurance that every agency audits its use of the neglect toolkit"


def test_a_checked_files_tenth_recommendation_lines_up_as_its_first(monkeypatch):
    from cliformat import format_checks

    monkeypatch.setenv("COLUMNS", "60")
    checks = [{"text": f"{TOOLKIT} in year {n}", "verdict": "new", "matches": []} for n in range(1, 13)]
    out = format_checks(checks, {"items": 12, "made_before": 0, "similar": 0, "new": 12})
    blocks = out.split("\n\n")[:12]
    assert [b.split()[0] for b in blocks] == [f"{n}." for n in range(1, 13)]
    for block in blocks:  # "1.  The…" and "10. The…": the text, its verdict and its folds in one column
        first, *rest = block.splitlines()
        assert first[4:].startswith("The partnership"), block
        assert rest and all(line[:4] == "    " and line[4] != " " for line in rest), block
