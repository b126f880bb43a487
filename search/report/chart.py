"""A trace drawn as a bar chart (PNG, SVG or PDF) for a board paper: data in, a file out."""
from __future__ import annotations

NO_REPORT = "no report"  # a chart's mark for a year with no document indexed
NO_DOCUMENT = "\u2014"  # a table cell for a year with no indexed document


def chart_title(data: dict) -> str:
    """What a trace chart counts: sections mentioning the words, or tagged with the themes
    the search also counts (``data["tagged"]``, labels), or both."""
    tagged = ", ".join(data.get("tagged") or [])
    if data.get("theme") or not data.get("query"):
        return f"Sections tagged {tagged or data.get('theme') or 'the themes'}, by year"
    what = f"Sections mentioning \u201c{data['query']}\u201d"
    return what + (f" or tagged {tagged}" if tagged else "") + ", by year"


def plot_trace(data: dict, path, all_years: list[str] | None = None, indexed: list[str] | None = None) -> None:
    """Draw sections per year as a bar chart (PNG, SVG or PDF by extension) for a board paper.

    ``all_years`` are the years shown (default: those of ``data``); a year not in
    ``indexed`` (the years with a report) is marked "no report", apart from a 0.
    """
    # lazy: matplotlib loads only to draw a chart
    import matplotlib

    matplotlib.use("Agg")
    # lazy: matplotlib loads only to draw a chart
    import matplotlib.pyplot as plt

    years = all_years or [y["year"] for y in data["years"]]
    have = set(indexed) if indexed is not None else set(years)
    counts = {y["year"]: y["sections"] for y in data["years"]}
    docs = {y["year"]: y["documents"] for y in data["years"]}
    fig, ax = plt.subplots(figsize=(7, 3.4), dpi=150)
    bars = ax.bar(years, [counts.get(y, 0) for y in years], color="#3b6ea5")
    for bar, y in zip(bars, years):
        x = bar.get_x() + bar.get_width() / 2
        if counts.get(y):
            ax.annotate(f"{docs[y]} doc{'s' if docs[y] != 1 else ''}", (x, bar.get_height()),
                        ha="center", va="bottom", fontsize=7, color="#444")
        elif y in have or counts.get(y) is not None:
            ax.annotate("0", (x, 0), ha="center", va="bottom", fontsize=8, color="#444")
        else:
            ax.annotate(NO_REPORT.replace(" ", "\n"), (x, 0), ha="center", va="bottom", fontsize=7,
                        color="#888", style="italic")
    for tick, y in zip(ax.get_xticklabels(), years):
        if y not in have and not counts.get(y):
            tick.set_color("#888")
    ax.set_title(chart_title(data), fontsize=10)
    ax.set_ylabel("sections")
    if any(y not in have and not counts.get(y) for y in years):
        fig.text(0.01, 0.01, f"{NO_REPORT}: no document indexed for that year; 0: a report that year, no section counted",
                 fontsize=7, color="#666")
    ax.spines[["top", "right"]].set_visible(False)
    ax.yaxis.get_major_locator().set_params(integer=True)
    fig.tight_layout()
    with matplotlib.rc_context({"svg.fonttype": "none"}):  # SVG text stays text: readable, searchable
        fig.savefig(path)
    plt.close(fig)
