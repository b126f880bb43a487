"""A recommendation tracker: each recurring group as partnerships keep an action plan's row,
first and last seen, how often, its kinds and the latest status the reports gave."""
from __future__ import annotations

from search.vocab.years import UNDATED, parse_year_label


def _seen(it: dict) -> dict:
    return {"year": it.get("year"), "doc_id": it.get("doc_id"), "title": it.get("title") or it.get("doc_id")}


def _order(it: dict):
    return (it.get("year_start") or parse_year_label(it.get("year") or "") or 0, it.get("item_id") or "")


def describe(cluster: dict) -> dict:
    """The tracker's facts of one group, added to it in place and returned: ``first_seen`` and
    ``last_seen`` (``{"year", "doc_id", "title"}``), ``documents`` and ``year_count``
    (how many), ``kinds``, ``statuses`` (``[{"year", "status", "item_id"}]`` where a report
    gave one, oldest first) and ``latest_status``. Items are put oldest first, undated ones
    before them; first and last seen are dated items whenever the group has one (an undated
    report says nothing of when it was first said)."""
    items = sorted(cluster.get("items") or [], key=_order)
    cluster["items"] = items
    dated = [it for it in items if it.get("year")] or items
    cluster["first_seen"] = _seen(dated[0]) if dated else None
    cluster["last_seen"] = _seen(dated[-1]) if dated else None
    cluster["documents"] = len({it.get("doc_id") for it in items})
    cluster["year_count"] = len({it.get("year") for it in items if it.get("year")})
    cluster["kinds"] = sorted({it.get("kind") for it in items if it.get("kind")})
    cluster["statuses"] = [{"year": it.get("year"), "status": it["status"], "item_id": it.get("item_id")}
                           for it in items if it.get("status")]
    cluster["latest_status"] = cluster["statuses"][-1]["status"] if cluster["statuses"] else None
    return cluster


def tracker_rows(clusters: list[dict], labels: dict[str, str] | None = None) -> list[dict]:
    """One row per recurring group, keyed by :data:`search.report.tracker.TRACKER_COLUMNS`, oldest first raised first.
    ``labels``: theme id -> label (the theme column names the group's shared themes, else what
    its items share). Each item needs its ``citation`` (see :func:`search.cite.cite_items`)."""
    labels = labels or {}
    rows = []
    for c in clusters:
        c = describe(dict(c))
        items = c["items"]
        theme = ", ".join(labels.get(t, t) for t in c.get("themes") or []) or ", ".join((c.get("why") or [])[:3])
        first, last = c["first_seen"] or {}, c["last_seen"] or {}
        rows.append({
            "Ref": c.get("id"),
            "Theme": theme,
            "Recommendation (latest wording)": items[-1].get("text") if items else "",
            "First raised": first.get("year"),
            "First raised in": first.get("title"),
            "Last raised": last.get("year"),
            "Last raised in": last.get("title"),
            "Times raised": len(items),
            "Documents": c["documents"],
            "Years": c["year_count"],
            "Kinds": ", ".join(c["kinds"]),
            "Latest status": c["latest_status"] or "",
            "Status history": "; ".join(f"{s['year'] or UNDATED}: {s['status']}" for s in c["statuses"]),
            "Citations": "\n".join(f"{it.get('year') or UNDATED}: {it.get('citation') or it.get('title')}"
                                   for it in items),
            "Item ids": " ".join(it.get("item_id") or "" for it in items),
        })
    rows.sort(key=lambda r: (parse_year_label(r["First raised"] or "") or 0, r["Ref"] or 0))
    return rows
