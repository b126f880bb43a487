"""Text for people at a terminal, made from the library's answers: what ``cli.py`` prints
when ``--json`` is not given. Text from documents goes through :func:`safe` (no control
characters or escape sequences reach the terminal) and is folded to the terminal's width.
"""
from __future__ import annotations

import os
import sys
import textwrap

import click

from search.cite import section_citation
from search.safe import strip_control
from search.snippets import HL_END, HL_START
from search.vocab.years import UNDATED

__all__ = ["format_checks", "format_clusters", "format_document", "format_documents", "format_matches",
           "format_results", "format_section", "format_tags", "format_terms", "format_trace", "item_line",
           "safe", "theme_names", "width", "wrap"]


def theme_names(ids, labels: dict[str, str] | None, sep: str = "; ") -> str:
    """Themes as people read them, by label (as the web page, the tracker and the briefing name
    them), joined by ``sep`` (a label may hold commas); an id the taxonomy lacks as it is."""
    return sep.join(safe((labels or {}).get(t, t)) for t in ids)


def format_results(res, colour: bool, width: int = 80, labels: dict[str, str] | None = None) -> str:
    """Human-readable results: a summary line, then one cited block per hit (``labels``: theme
    id -> label, to name the themes)."""
    if res.total == 0:
        msg = f'No sections match "{safe(res.query)}".' if res.query else "No sections match these filters."
        if res.why_empty:
            msg += f" {res.why_empty[0].upper()}{res.why_empty[1:]}"
        elif res.did_you_mean and len(res.query.split()) > 1:
            msg += f' Did you mean "{safe(res.did_you_mean)}"?'
        elif res.suggestions:
            msg += " Did you mean: " + ", ".join(res.suggestions) + "?"
        else:
            msg += " Try fewer words, another spelling, or a theme (sgsearch themes --list)."
        return wrap(msg, width)
    years = res.years
    span = f"{years[0]} to {years[-1]}" if len(years) > 1 else (years[0] if years else "no year")
    summary = (f"{res.total:,} section{'s' if res.total != 1 else ''} in {res.documents:,} "
               f"document{'s' if res.documents != 1 else ''}, {span}")
    if res.mode == "any":
        summary += " (no section has every word: showing sections with any of them)"
    elif res.query and res.every_word < res.total:
        summary += f" ({res.every_word:,} with every word)"
    if not res.query:
        summary = ("Every section " + (f"tagged {theme_names(res.themes, labels, ', ')}" if res.themes else "these filters allow")
                   + ": " + summary)
    if res.themes and res.query:
        summary += f"; also sections tagged {theme_names(res.themes, labels, ', ')}"
    if res.expanded:
        summary += f"; also {', '.join(res.expanded)}"
    if len(res.hits) < res.total:
        summary += f". Top {len(res.hits)}:"
    lines = [wrap(summary, width), ""]
    if res.searched:
        lines[1:1] = [f'Did you mean "{safe(res.searched)}"? Showing results for it (a word of '
                      f'"{safe(res.query)}" is in no section).']
    elif res.did_you_mean:
        lines[1:1] = [f'Did you mean "{safe(res.did_you_mean)}"? (sgsearch {safe(res.did_you_mean)})']
    for h in res.hits:
        s = h.section
        head = wrap(f"{h.rank}. {safe(section_citation(s, h.title, h.page))}", width, "", "   ")
        snippet = wrap(safe(h.snippet), width, "   ")
        if colour:
            head = click.style(head, bold=True)
            snippet = snippet.replace(HL_START, "\x1b[1;33m").replace(HL_END, "\x1b[0m")
        else:
            snippet = snippet.replace(HL_START, "").replace(HL_END, "")
        lines.append(head)
        lines.append(snippet)
        tail = f"[{s['section_id']}]"
        if s.get("themes"):
            tail += "  themes: " + theme_names(s["themes"][:6], labels)
        lines.append(wrap(tail, width, "   ", "      "))
        lines.append("")
    return "\n".join(lines).rstrip()


def format_facets(facets: dict, width: int = 80, top: int = 8) -> str:
    """A search's facet counts (:func:`search.facets.result_facets`) as lines: every year,
    then the ``top`` themes, types and publishers."""
    lines = []
    for key, title in (("year", "By year"), ("theme", "By theme"), ("doc_type", "By type"),
                       ("publisher", "By publisher")):
        rows = facets.get(key) or []
        shown = rows if key == "year" else rows[:top]
        if shown:
            more = f" and {len(rows) - len(shown)} more" if len(rows) > len(shown) else ""
            lines.append(wrap(f"{title}: " + ", ".join(f"{safe(r['label'])} {r['count']:,}" for r in shown) + more,
                              width, "", "   "))
    return "\n".join(lines)


def wrap(text: str, width: int, indent: str = "", subsequent: str | None = None) -> str:
    """``text`` folded to ``width`` columns at spaces, never inside a word (a word longer
    than the line stays whole). Highlight markers count as a column each, so a line is
    at most ``width`` wide on screen."""
    return "\n".join(textwrap.wrap(text, width, initial_indent=indent,
                                   subsequent_indent=indent if subsequent is None else subsequent,
                                   break_long_words=False, break_on_hyphens=False))


def safe(text: str) -> str:
    """Text for a terminal: control characters and escape sequences removed (markers kept)."""
    return strip_control(text, keep="\t\n" + HL_START + HL_END)


def width() -> int:
    """The terminal's width, at least 40 (``COLUMNS`` when set, else the terminal's, else 80:
    what ``shutil.get_terminal_size`` says, without loading shutil on every query)."""
    try:
        cols = int(os.environ.get("COLUMNS", 0))
    except ValueError:
        cols = 0
    if cols <= 0:
        try:
            cols = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            cols = 0
    return max(40, cols or 80)


def format_trace(data: dict, width: int = 80, labels: dict[str, str] | None = None) -> str:
    """A year-by-year account with the first and last year and quoted examples."""
    what = f"theme {theme_names([data['theme']], labels)}" if data.get("theme") else f'"{safe(data["query"])}"'
    undated = data.get("undated") or 0
    n = f"{undated} section{'s' if undated != 1 else ''} of reports that state no year"
    listed = f"sgsearch {safe(data['query'])} --year undated lists {'them' if undated != 1 else 'it'}"
    if not data["years"]:
        return wrap(f"No dated sections mention {what}; {n} {'do' if undated != 1 else 'does'}: {listed}.",
                    width) if undated else f"No sections mention {what}."
    out = [f"{what}: first seen {data['first_seen']}, last seen {data['last_seen']}.", ""]
    for y in data["years"]:
        out.append(f"{y['year']}: {y['sections']} section{'s' if y['sections'] != 1 else ''} in "
                   f"{y['documents']} document{'s' if y['documents'] != 1 else ''}")
        for ex in y["examples"]:
            out.append(wrap(f"“{safe(ex['snippet'])}”", width, "   "))
            out.append(wrap(f"— {safe(ex['citation'])} [{ex['section_id']}]", width, "      ", "        "))
        out.append("")
    if undated:
        out.append(wrap(f"Also {n}, in no year above ({listed}).", width))
    return "\n".join(out).rstrip()


def item_line(it: dict, indent: str = "   ") -> str:
    """An item as the terminal shows it: year, kind, status and text, then its citation and id."""
    status = f" [{it['status']}]" if it.get("status") else ""
    cols = width()
    return (wrap(f"{it['year'] or UNDATED}  {it['kind']}{status}: {safe(it['text'])}", cols, indent, indent + "         ")
            + "\n" + wrap(f"— {safe(it.get('citation') or '')} [{it['item_id']}]", cols, indent + "         "))


def plural(n: int, noun: str) -> str:
    """``n`` and ``noun``, with an "s" unless ``n`` is 1 ("1 section", "3 sections")."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def format_clusters(clusters: list[dict], hint: float | None = None, show_all: bool = False,
                    labels: dict[str, str] | None = None) -> str:
    """Recurring groups as a tracker: per group where it was first and last seen, in how many
    documents and years, its themes (``labels``: id -> label), kinds and statuses, and its latest
    wording (``show_all``: every item)."""
    if not clusters:
        msg = "No item recurs across years with these options"
        return msg + (f" (--threshold {hint:g} finds some)." if hint is not None else ".")
    n_items = sum(len(c["items"]) for c in clusters)
    cols = width()
    out = [wrap(f"{plural(len(clusters), 'group')} of items said again in different years ({plural(n_items, 'item')})"
                + ("." if show_all else "; --all lists every item."), cols), ""]
    for c in clusters:
        themes = f" — {theme_names(c['themes'], labels)}" if c["themes"] else ""
        # a no-break space keeps "score" with its number when the line folds (made a space after)
        score = f"  score\u00a0{c['score']:.1f}" if c.get("score") is not None else ""
        first, last = c.get("first_seen") or {}, c.get("last_seen") or {}
        out.append(wrap(f"#{c['id']}  {first.get('year') or UNDATED} to {last.get('year') or UNDATED}: {plural(c['year_count'], 'year')}, "
                        f"{plural(c['documents'], 'document')}, {plural(len(c['items']), 'item')}{themes}{score}",
                        cols, "", "    ").replace("\u00a0", " "))
        status = ""
        if c.get("statuses"):
            status = "; status: " + ", ".join(f"{s['year'] or UNDATED} {s['status']}" for s in c["statuses"])
        out.append(wrap(f"kinds: {', '.join(c['kinds'])}{status}", cols, "    ", "    "))
        out.append(wrap(f"first seen: {first.get('year') or UNDATED} {safe(first.get('title') or '')}; last seen: "
                        f"{last.get('year') or UNDATED} {safe(last.get('title') or '')}", cols, "    ", "      "))
        if c.get("why"):
            out.append(wrap(f"shared: {', '.join(safe(w) for w in c['why'])}", cols, "    ", "            "))
        for it in (c["items"] if show_all else c["items"][-1:]):
            out.append(item_line(it))
        out.append("")
    out.append(f"{plural(len(clusters), 'group')}, {plural(n_items, 'item')}.")
    return "\n".join(out).rstrip()


def format_matches(matches: list[dict], margin: str = "") -> str:
    """Items most like the text given to --check, best first, with what they share; every
    line starts with ``margin`` and still fits the terminal."""
    if not matches:
        return "Nothing indexed says anything like that."
    out = []
    pad = margin + " " * 7
    for m in matches:
        # each item indented by 7 columns, its score written into the first line's indent
        out.append(f"{margin}{m['score']:5.1f}  " + item_line(m, pad)[len(pad):])
        if m.get("why"):
            out.append(wrap(f"shared: {', '.join(safe(w) for w in m['why'])}", width(), margin + " " * 16))
    return "\n".join(out)


def format_checks(checks: list[dict], total: dict | None = None) -> str:
    """Each recommendation of a file with its verdict and earlier matches, then how many were made before."""
    # lazy: a command loads only what it uses (start-up is part of the answer time)
    from search.recur import summary, verdict_line
    from search.report.appendix import left_out_line, total_line

    total = total or summary(checks)
    out = []
    cols = width()
    # every recommendation's text, verdict and matches start in one column, past the widest number
    margin = " " * len(f"{len(checks)}. ")
    for n, c in enumerate(checks, start=1):
        out.append(wrap(f"{n}.".ljust(len(margin)) + safe(c["text"]), cols, "", margin))
        if c.get("verdict"):
            out.append(wrap(verdict_line(c["verdict"], bool(c["matches"])), cols, margin))
        if c["matches"]:
            out += format_matches(c["matches"], margin).splitlines()
        out.append("")
    out.append(wrap(total_line(total), cols))
    if left_out_line(total):
        out.append(wrap(left_out_line(total, keep="--include-self"), cols))
    return "\n".join(out)


def format_documents(docs: list[dict]) -> str:
    """One line per indexed document: id, year, type, title, sections and pages."""
    if not docs:
        return "The index is empty: sgsearch ingest PATH adds reports."
    lines = []
    iw = max(len(d["doc_id"]) for d in docs)  # the columns line up however long the ids
    yw = max(len(d["year"] or UNDATED) for d in docs)
    for d in docs:
        pages = f", {plural(d['pages'], 'page')}" if d["pages"] else ""
        lines.append(f"{d['doc_id']:<{iw}}  {d['year'] or UNDATED:<{yw}}  {d['doc_type']:<13} {d['title']} "
                     f"({plural(d['sections'], 'section')}{pages})")
    return "\n".join(lines)


def format_document(doc: dict) -> str:
    """A document's outline: its sections indented by level, with pages, years and ids."""
    lines = [f"{doc['title']} ({doc['year'] or UNDATED}) — {doc['publisher'] or 'publisher unknown'}, "
             f"{doc['doc_type']}", f"{doc['path']}"]
    for s in doc["sections"]:
        indent = "  " * (max(s["level"], 1) - 1)
        num = f"{s['number']} " if s["number"] else ""
        page = f"  p. {s['page_start']}" if s["page_start"] else ""
        year = f"  [{s['year']}]" if s["year"] != doc["year"] else ""
        lines.append(f"{indent}{num}{s['heading']}{page}{year}   ({s['section_id']})")
    if doc.get("acronyms"):
        lines.append("Acronyms it defines: " + "; ".join(f"{a['abbreviation']} {a['expansion']}"
                                                          for a in doc["acronyms"]))
    return "\n".join(lines)


def format_section(s: dict, width: int = 80, labels: dict[str, str] | None = None) -> str:
    """One whole section: where it is, its themes (``labels``: id -> label), its text folded,
    then its items."""
    pages = s["page_start"]
    if pages and s["page_end"] and s["page_end"] != pages:
        pages = f"{pages}–{s['page_end']}"
    # cited as everywhere: a report inside a board pack by its own title, then the pack
    head = section_citation({**s, "year": s["year"] or UNDATED}, s["title"], pages or "")
    lines = [wrap(safe(head), width), " › ".join(s["heading_path"])]
    if s["themes"]:
        lines.append(wrap("Themes: " + theme_names(s["themes"], labels), width, "", "  "))
    lines.append("")
    paras = (s["text"] or "(no text under this heading)").split("\n")
    lines.append("\n".join(wrap(safe(p), width) if p.strip() else "" for p in paras))
    if s.get("items"):
        lines.append("")
        for it in s["items"]:
            status = f" [{it['status']}]" if it.get("status") else ""
            mark = "▶" if it.get("marked") else "-"
            lines.append(wrap(f"{mark} {it['kind']}{status}: {safe(it['text'])}", width, "", "  "))
    if s.get("passage"):
        lines += ["", wrap(f"▶ said in passing: {safe(s['passage']['text'])}", width, "", "  ")]
    return "\n".join(lines)


def format_terms(data: dict, word: str | None = None, width: int = 80) -> str:
    """The abbreviations (with the documents that define them) and synonym groups, each folded
    to ``width`` under its first line."""
    if not data["abbreviations"] and not data["synonyms"]:
        return f"No abbreviation or synonym contains {word!r}." if word else "The thesaurus is empty."
    lines = []
    for a in data["abbreviations"]:
        docs = f"  (defined in {', '.join(a['documents'])})" if a["documents"] else ""
        lines.append(wrap(safe(f"{a['abbreviation']:<8} {'; '.join(a['expansions'])}{docs}"), width, "", " " * 9))
    if data["synonyms"]:
        lines += ["", "Synonyms:"] + [wrap(safe(" = ".join(group)), width, "  ", "    ") for group in data["synonyms"]]
    return "\n".join(lines)


def format_tags(themes: list[dict]) -> str:
    """The themes found in a text: id, how often, and the first words that matched."""
    if not themes:
        return "No themes found."
    return "\n".join(f"{t['id']:<28} {t['count']:>4}  {'; '.join(t['evidence'][:3])}" for t in themes)
