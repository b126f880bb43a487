"""``bench/heldout.py`` measures theme recall on pages outside the repository, as ``bench/realdev.py``
does on its own: each page's core themes (the manifest's ``themes_core``) found among its tags."""
from __future__ import annotations

from tests.rankdocs import bench

heldout = bench("heldout")[0]

HEADER = ("file\tformat\turl\twhat\tyear\tdate_note\tpublisher\tpage_host\texpected_doc_type"
          "\tthemes_core\tthemes_also\n")


def _folder(tmp_path):
    folder = tmp_path / "set"
    folder.mkdir()
    (folder / "01-briefing.md").write_text(
        "<!-- https://example.org/westshire/briefing -->\n# Westshire learning briefing 2021-22\n\n"
        "The review found that the neglect of the younger child was not recognised by the school.\n",
        encoding="utf-8")
    (folder / "manifest.tsv").write_text(
        HEADER + "01-briefing.md\tmd\thttps://example.org/westshire/briefing\tlearning briefing\t2021-22\t"
        "title\t\texample.org\tbriefing\tneglect;domestic abuse\t\n", encoding="utf-8")
    return folder


def test_theme_recall_counts_core_themes_found_and_names_those_missed(tmp_path, capsys):
    folder = _folder(tmp_path)
    assert heldout.main(["--dir", str(folder), "--per-page"]) == 0
    out = capsys.readouterr().out
    assert "theme recall (themes_core)" in out and "1 of 2 0.50" in out
    assert "themes missing: domestic-abuse" in out


def test_the_pool_prints_theme_recall_per_set_and_pooled(tmp_path, capsys):
    folder = _folder(tmp_path)
    assert heldout.main(["--pool", str(folder), "--misses"]) == 0
    out = capsys.readouterr().out
    assert "theme recall" in out.splitlines()[1]
    assert sum("1 of 2 0.50" in line for line in out.splitlines()) == 2  # the set and the pool
    assert "themes missing domestic-abuse" in out
