"""Item candidates and their signals, and the fitted scorer that keeps the items among them.

Every bullet, numbered point, table row and sentence of a paragraph is a candidate. Its
signals are binary: the kind its heading, a heading above it or its lead-in names; its form
(list entry, row, sentence, and where in its paragraph); its length; and the cue lists of
``item_cues.toml`` (wording that marks a finding or a recommendation, imperative openings,
dates, roles, statistics, navigation, committee procedure, case narration…). A logistic
model says whether it is an item from those; a second weighs that score with the first
model's scores of its neighbours (the other entries of its list, its paragraph, section and
part of the document, the candidates beside it); a softmax model says which kind. All are
fitted by ``bench/fit_items.py`` on the tests' own documents and kept in ``item_weights.toml``.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

from ingest.shape import case_shape

HERE = Path(__file__).resolve().parent
CUES_FILE = HERE / "item_cues.toml"
WEIGHTS_FILE = HERE / "item_weights.toml"
SCORED_KINDS = ("recommendation", "learning", "finding", "priority", "action", "objective")

# A full stop ends a sentence unless it follows one of these (lower case, without the stop)
_ABBREVIATIONS = {"e.g", "i.e", "eg", "ie", "etc", "dr", "mr", "mrs", "ms", "st", "no", "vs", "cllr", "prof",
                  "approx", "incl", "fig", "para", "ref", "nos", "cf", "al", "inc", "ltd", "co", "rev", "gov"}
# a sentence ends at a stop, or where a colon opens a quotation ("…, said: “This report shows …")
_SENTENCE_END = re.compile(r"[.!?][\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])|:\s+(?=[\"“‘][A-Z])")
_NUMBER_OPEN = re.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,2})*[.)]?|[a-z][.)]|\(?[ivx]{1,4}[.)])\s+")
_WORD = re.compile(r"[A-Za-z][\w'’-]*")


def split_sentences(text: str) -> list[str]:
    """The sentences of a paragraph (a full stop after an abbreviation or an initial does not end one)."""
    out: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        before = text[start:m.start()].rsplit(None, 1)
        last = before[-1].lower().rstrip(".") if before else ""
        if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
            continue
        out.append(text[start:m.end()].strip())
        start = m.end()
    rest = text[start:].strip()
    if rest:
        out.append(rest)
    return out


class _Cue:
    """A cue pattern, with a quicker one that matches wherever it does (its word boundaries
    dropped: Python's re scans far faster for a pattern that does not start with one), tried first."""

    def __init__(self, pattern: str):
        self.full = re.compile(pattern)
        self.quick = re.compile(pattern.replace(r"\b", ""))

    def search(self, text: str) -> bool:
        return bool(self.quick.search(text)) and bool(self.full.search(text))


@dataclass
class Cues:
    """The cue lists, compiled: the kinds headings name, and the candidate's own wording."""

    kinds: list[tuple[str, _Cue]]
    cues: dict[str, _Cue]
    headings: dict[str, _Cue]


@lru_cache(maxsize=1)
def cues() -> Cues:
    with open(CUES_FILE, "rb") as fh:
        data = tomllib.load(fh)
    for table in data.values():
        for name, pattern in table.items():
            if re.search(r"\\[A-Z]", pattern):  # lower-casing would change what \S, \W, \D… mean
                raise ValueError(f"{CUES_FILE.name}: {name}: write \\S, \\W, \\D… as character classes")
    # matched against lower-cased text: case-insensitive patterns are several times slower
    return Cues([(k, _Cue(p.lower())) for k, p in data["kinds"].items()],
                {k: _Cue(p.lower()) for k, p in data["cues"].items()},
                {k: _Cue(p.lower()) for k, p in data["headings"].items()})


@lru_cache(maxsize=4096)
def cue_kind(text: str) -> str | None:
    """The item kind a heading or lead-in names, or None."""
    low = text.lower()
    for kind, rx in cues().kinds:
        if rx.search(low):
            return kind
    return None


@dataclass
class Candidate:
    """One candidate: its text, form (``list``, ``line`` — one of a run of points written a line
    each after a lead-in, without list markers —, ``row``, ``para`` or ``sentence``), page and context."""

    text: str
    form: str
    page: int | None = None
    block: int = 0            # which line of the section it came from
    sentence: int = 0         # its place in its paragraph
    sentences: int = 1        # how many sentences the paragraph has
    context: dict = field(default_factory=dict)  # heading, lead, above, title: the kinds they name
    features: dict = field(default_factory=dict)
    cells: list[str] = field(default_factory=list)
    section: int = 0          # which section of the document it is in
    part: int = 0             # which top-level part of the document (a long one is read part by part)
    score: float | None = None  # the probability that it is an item, once scored in its document
    own: float | None = None    # the same from its own signals alone, before its neighbours count


def _length(n: int) -> str:
    for top, name in ((3, "1-3"), (6, "4-6"), (12, "7-12"), (25, "13-25"), (45, "26-45"), (80, "46-80")):
        if n <= top:
            return name
    return "81+"


_NOT_SCORED = ("continuation",)
# wording whose weight depends on what the heading or lead-in names ("completed" is an
# action under "Highlights", narration elsewhere)
_BY_CONTEXT = ("done", "will", "we_will", "modal", "finding_verb", "shortfall", "priority_word")  # read when joining sentences, not when scoring them


def carries_on(text: str) -> bool:
    """Whether a sentence opens by pointing back at the one before ("This may…", "However, …")."""
    return cues().cues["continuation"].search(text.lower())


def signals(c: Candidate) -> dict[str, float]:
    """The binary signals of one candidate, by name (absent = 0)."""
    text = c.text.strip()
    bare = _NUMBER_OPEN.sub("", text.lstrip("•·▪-–* ")).strip()
    f: dict[str, float] = {"bias": 1.0, f"form_{c.form}": 1.0}
    n = len(_WORD.findall(bare))
    f[f"len_{_length(n)}"] = 1.0
    if _NUMBER_OPEN.match(text) or c.context.get("numbered"):
        f["numbered"] = 1.0
    if c.form == "sentence":
        f["sent_first" if c.sentence == 0 else "sent_later"] = 1.0
        if c.sentences == 1:
            f["sent_only"] = 1.0
        elif c.sentences >= 4:
            f["para_long"] = 1.0
    if c.context.get("runin"):
        f["runin"] = 1.0
    if n <= 6 and (not bare.endswith((".", "!", "?")) or case_shape(bare) in ("upper", "title")):
        f["short_phrase"] = 1.0  # a name or a topic ("Safeguarding Young Adults."), stop or none
    if 2 <= n <= 12 and case_shape(bare) in ("upper", "title"):
        f["title_case"] = 1.0
    if bare.endswith(".") and c.form != "sentence":
        f["full_stop"] = 1.0  # every sentence ends with one; a list entry or a line may not
    if bare[:1].islower():
        f["lower_open"] = 1.0
    low, bare_low = text.lower(), bare.lower()
    for name, rx in cues().cues.items():
        if name in _NOT_SCORED:
            continue
        target = bare_low if name.endswith("_open") or name in ("continuation", "subject_org", "subject_prof") else low
        if rx.search(target):
            f[name] = 1.0
    if "field_open" in f:
        f.pop("imperative_open", None)  # "Audit period: …", "Chair: …" label a field
    if "date" in f and n <= 8:
        f["date_line"] = 1.0  # a line that is a date, not an item that names one
    ctx = c.context
    near = ctx.get("lead") or ctx.get("heading")
    for where in ("heading", "lead", "above", "title"):
        k = ctx.get(where)
        if k:
            f[f"{where}_{k}"] = 1.0
    opening = next((o for o in ("imperative_open", "gerund_open", "to_open", "short_phrase") if o in f), "plain")
    near = near or "none"
    f[f"near_{near}"] = 1.0
    f[f"{c.form}&near_{near}"] = 1.0
    f[f"{opening}&near_{near}"] = 1.0
    if "stat" in f:
        f[f"stat&near_{near}"] = 1.0  # a count under "Key findings" is a finding, elsewhere it is data
    for flag in ("leads_list", "heading_nav", "labels_next"):
        if ctx.get(flag):
            f[flag] = 1.0
    if ctx.get("prose"):
        f[f"prose_{ctx['prose']}"] = 1.0
    if ctx.get("lead_plain"):
        f["lead_plain"] = 1.0
    if ctx.get("lead_modal"):
        f["lead_modal"] = 1.0
    if ctx.get("lead_label"):
        f["lead_label"] = 1.0
        f[f"lead_label&near_{near}"] = 1.0  # a group label under "Key learning" is a subheading of its points
    if ctx.get("after_lead"):
        f["after_lead"] = 1.0
    if ctx.get("has_list"):
        f["section_has_list"] = 1.0
    if ctx.get("furniture"):
        f["furniture"] = 1.0
    if ctx.get("header_row"):
        f["header_row"] = 1.0
    return f


# wording that marks a candidate as a finding, a recommendation, learning or a plan
ITEM_CUES = ("modal", "important", "ensure", "finding_verb", "reported", "there_was", "shortfall", "recommend_word",
             "we_will", "imperative_open", "sometimes", "judgement")
# wording of the pages that hold none: figures, dates, people, committee procedure, case history, links
DATA_CUES = ("stat", "date", "role", "procedural", "narration", "nav", "behalf", "legal", "date_open")
# what else a candidate's own wording is, beside its score: how far its neighbours may carry it
_SHAPE_CUES = ("short_phrase", "question", "quote_open", "self_ref", "intro", "furniture", "field_open")


def wording(f: dict[str, float]) -> str:
    """``item`` if a candidate's signals include wording of items, else ``data`` if wording of
    data, ``shape`` if it is a phrase, a question, a quote, furniture…, else ``plain``."""
    if any(n in f for n in ITEM_CUES):
        return "item"
    if any(n in f for n in DATA_CUES):
        return "data"
    return "shape" if any(n in f for n in _SHAPE_CUES) else "plain"


def reads_context(c: Candidate) -> bool:
    """Whether the second model scores a candidate: an entry of a list, a row or a line, which
    is as its siblings are, or prose worded as an item; a sentence of prose without such wording
    keeps its own score (a paragraph mixes points with what is said about them)."""
    if "header_row" in c.features:
        return False  # a table's header labels its columns, whatever the rows below are
    return c.form not in ("sentence", "para") or wording(c.features) == "item"


# the first model's scores of a candidate's neighbours, in three bands
_LOW, _HIGH = 0.2, 0.5
LOGIT_CAP = 8.0  # the first model's log-odds enter the second clipped to this
_LISTY = ("list", "line", "row")


def _band(p: float) -> str:
    return "low" if p < _LOW else "high" if p >= _HIGH else "mid"


def context_signals(cands: list[Candidate], p1: list[float]) -> list[dict[str, float]]:
    """What the first model thinks of each candidate's neighbours, as signals for the second: the
    other entries of its list (a run of points), the other sentences of its paragraph, the rest
    of its section and of its part of the document, and the candidates just before and after it.
    A point whose wording says little is an item when the points around it are; a sentence
    among findings is more likely one than a sentence among dates and procedure."""
    groups: dict[tuple, list[int]] = {}
    sections: dict[tuple, list[int]] = {}
    parts: dict[int, list[int]] = {}
    group_of: list[tuple] = []
    run = -1
    prev = None
    for i, c in enumerate(cands):
        listy = c.form in _LISTY
        if listy and not (prev is not None and prev.form in _LISTY and prev.section == c.section
                          and c.block - prev.block <= 2):
            run = i
        key = ("run", c.section, run) if listy else ("para", c.section, c.block)
        groups.setdefault(key, []).append(i)
        group_of.append(key)
        sections.setdefault((c.part, c.section), []).append(i)
        parts.setdefault(c.part, []).append(i)
        prev = c
    total = {id(m): sum(p1[j] for j in m) for m in (*groups.values(), *sections.values(), *parts.values())}
    out: list[dict[str, float]] = []
    for i, c in enumerate(cands):
        kind = "list" if c.form in _LISTY else "text"
        z = math.log(max(p1[i], 1e-6) / max(1 - p1[i], 1e-6))
        f = {"ctx_bias": 1.0, "ctx_logit": max(-LOGIT_CAP, min(LOGIT_CAP, z))}
        for name, members in (("group", groups[group_of[i]]), ("section", sections[(c.part, c.section)]), ("part", parts[c.part])):
            # the mean score of the others in the group
            band = "alone" if len(members) < 2 else _band((total[id(members)] - p1[i]) / (len(members) - 1))
            f[f"ctx_{name}_{band}"] = 1.0
            f[f"ctx_{name}_{band}&{kind}"] = 1.0
        near = [p1[j] for j in (i - 1, i + 1) if 0 <= j < len(cands) and cands[j].section == c.section]
        f[f"ctx_near_{_band(max(near)) if near else 'alone'}&{kind}"] = 1.0
        own = wording(c.features)
        f[f"ctx_own_{own}"] = 1.0
        for name in ("group", "section"):
            band = next(k for k in f if k.startswith(f"ctx_{name}_") and "&" not in k)
            f[f"{band}&{own}"] = 1.0
        out.append(f)
    return out


@dataclass
class Model:
    """The fitted weights: one logistic model (item or not) from the candidate's own signals, a
    second that weighs its first score with what the first says of its neighbours, and one
    softmax model (which kind)."""

    threshold: float
    item: dict[str, float]
    kinds: dict[str, dict[str, float]]
    context: dict[str, float] = field(default_factory=dict)

    def p_item(self, f: dict[str, float]) -> float:
        return _logistic(sum(self.item.get(k, 0.0) * v for k, v in f.items()))

    def score(self, cands: list[Candidate]) -> None:
        """Set every candidate's ``score`` (they are the candidates of one document, in order)."""
        p1 = [self.p_item(c.features) for c in cands]
        for c, p in zip(cands, p1):
            c.own = c.score = p
        if not self.context:
            return
        for c, f in zip(cands, context_signals(cands, p1)):
            if reads_context(c):
                c.score = _logistic(sum(self.context.get(k, 0.0) * v for k, v in f.items()))

    def kind(self, f: dict[str, float]) -> str:
        scores = {k: sum(w.get(name, 0.0) * v for name, v in f.items()) for k, w in self.kinds.items()}
        return max(scores, key=lambda k: scores[k])


def _logistic(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@lru_cache(maxsize=1)
def model() -> Model:
    """The fitted model in ``item_weights.toml`` (an empty one, that keeps nothing, if unfitted)."""
    if not WEIGHTS_FILE.exists():
        return Model(1.1, {}, {k: {} for k in SCORED_KINDS})
    with open(WEIGHTS_FILE, "rb") as fh:
        data = tomllib.load(fh)
    return Model(float(data["threshold"]), dict(data["item"]), {k: dict(v) for k, v in data["kind"].items()},
                 dict(data.get("context", {})))
