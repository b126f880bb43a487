"""Item candidates and their signals, and the fitted scorer that keeps the items among them.

Every bullet, numbered point, table row and sentence of a paragraph is a candidate. Its
signals are binary: the kind its heading, a heading above it or its lead-in names; its form
(list entry, row, sentence, and where in its paragraph); its length; and the cue lists of
``item_cues.toml`` (wording that marks a finding or a recommendation, imperative openings,
dates, roles, statistics, navigation, committee procedure, case narration…). A logistic
model says whether it is an item and a softmax model which kind; both are fitted by
``bench/fit_items.py`` on the tests' own documents and kept in ``item_weights.toml``.

A third, smaller logistic model, the page gate, reads a whole page (or part of a long one)
from the scores of all its candidates and what its headings name: whether it holds items
at all. Where it doubts it (a news story about an event, a page saying what a review is,
a contact page), only candidates scored above the gate's bar are kept. Its cut and bar are
fitted with it.
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
# a sentence ends at a stop, or where a colon opens a quotation ("…, said: “This report shows …");
# after a word, a stop may carry a note's number ("… known to services.3 Several …", "… in foster
# care.[2] However …"), and text drawn from slides may lose the space after it ("… the year.Training …")
_SENTENCE_END = re.compile(r"[.!?][\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])|:\s+(?=[\"“‘][A-Z])"
                           r"|(?<=[a-z)])[.!?][\"”’)\]]*(?:\[\d{1,3}\]|\d{1,3}(?:[,–-]\d{1,3})*|[¹²³⁴-⁹⁰]+)\s+(?=[\"“‘(]?[A-Z])"
                           r"|(?<=[a-z]{2})[.!?](?=[A-Z][a-z])")
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
    list_leads: list[tuple[str, _Cue]] = field(default_factory=list)
    joins: dict[str, _Cue] = field(default_factory=dict)


@lru_cache(maxsize=1)
def cues() -> Cues:
    """The cues of ``item_cues.toml``, compiled once (a pattern that lower-casing would change is a ValueError)."""
    with open(CUES_FILE, "rb") as fh:
        data = tomllib.load(fh)
    for table in data.values():
        for name, pattern in table.items():
            if re.search(r"\\[A-Z]", pattern):  # lower-casing would change what \S, \W, \D… mean
                raise ValueError(f"{CUES_FILE.name}: {name}: write \\S, \\W, \\D… as character classes")
    # matched against lower-cased text: case-insensitive patterns are several times slower
    return Cues([(k, _Cue(p.lower())) for k, p in data["kinds"].items()],
                {k: _Cue(p.lower()) for k, p in data["cues"].items()},
                {k: _Cue(p.lower()) for k, p in data["headings"].items()},
                [(k, _Cue(p.lower())) for k, p in data.get("list_leads", {}).items()],
                {k: _Cue(p.lower()) for k, p in data.get("joins", {}).items()})


@lru_cache(maxsize=4096)
def cue_kind(text: str) -> str | None:
    """The item kind a heading or lead-in names, or None."""
    low = text.lower()
    for kind, rx in cues().kinds:
        if rx.search(low):
            return kind
    return None


@lru_cache(maxsize=4096)
def list_lead_kind(text: str) -> str | None:
    """The item kind the lead-in of a list written inside one sentence names ("Recommendations
    include:") or implies ("Practice issues:", "The review identified:"), or None."""
    named = cue_kind(text)
    if named:
        return named
    low = text.lower()
    if addressed(low):
        return None  # "If you have concerns about a child: call …; email …" introduces steps, not findings
    return next((kind for kind, rx in cues().list_leads if rx.search(low)), None)


# a lead-in addressed to the reader or laying down a condition
_ADDRESSED = re.compile(r"\b(?:you|your|if|when|whenever|unless)\b")


def addressed(text: str) -> bool:
    """Whether a lead-in speaks to the reader or lays down a condition ("If you have concerns: …")."""
    return bool(_ADDRESSED.search(text.lower()))


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
    p: float | None = None    # the item model's score, once the whole document's signals are in


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


def points_back(text: str) -> bool:
    """Whether a sentence says what the one before it means or leads to ("This meant that …"),
    so that, read as an item, it needs that sentence with it."""
    rx = cues().joins.get("antecedent")
    return bool(rx and rx.search(text.strip().lower()))


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
    if "self_ref" in f:
        # prose about the document itself introduces it; a list entry so worded may be an item
        f[f"self_ref&form_{c.form}"] = 1.0
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


def _logistic(weights: dict[str, float], f: dict[str, float]) -> float:
    z = sum(weights.get(k, 0.0) * v for k, v in f.items())
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


STRONG_P = 0.85  # a candidate scored at least this is strongly marked as an item


def _third(x: float, low: float, high: float) -> str:
    return "none" if x == 0 else "few" if x < low else "some" if x < high else "many"


def gate_signals(cands: list, p: list[float], threshold: float, fixed: bool) -> dict[str, float]:
    """The signals of a whole page (or part) for the gate: how many of its candidates the item
    model keeps and how many strongly, whether a heading or lead-in names a kind (read from the
    candidates' ``doc_*`` signals), how much of it is prose, lists or figures, and its size."""
    f: dict[str, float] = {"bias": 1.0}
    if not cands:
        return f
    n = len(cands)
    kept = sum(x >= threshold for x in p) / n
    strong = sum(x >= STRONG_P for x in p)
    first = cands[0].features
    named = "named" if "doc_named" in first else "unnamed"
    doc = [k for k in first if k.startswith(("doc_cues_", "doc_data_")) and "&" not in k]
    parts = [f"kept_{_third(kept, 0.15, 0.4)}", f"strong_{min(strong, 3)}", f"size_{_third(n, 12, 40)}",
             f"prose_{_third(sum(c.form == 'sentence' for c in cands) / n, 0.34, 0.67)}"]
    if any(c.form in ("list", "line", "row") for c in cands):
        parts.append("has_list")
    if fixed:
        parts.append("fixed")
    for name in parts + doc:
        f[name] = 1.0
        f[f"{named}&{name}"] = 1.0
    f[named] = 1.0
    return f


@dataclass
class Model:
    """The fitted weights: one logistic model (item or not), one softmax model (which kind), and
    the page gate (a page holding items or not) with the score a candidate needs on a doubted page."""

    threshold: float
    item: dict[str, float]
    kinds: dict[str, dict[str, float]]
    gate: dict[str, float] = field(default_factory=dict)
    gate_bar: float = 0.0
    gate_cut: float = 0.0  # a page the gate scores below this is doubted: it may hold no items

    def p_item(self, f: dict[str, float]) -> float:
        """How likely a candidate with these signals is an item."""
        return _logistic(self.item, f)

    def p_gate(self, f: dict[str, float]) -> float:
        """How likely a page with these gate signals holds items (1.0 when no gate is fitted)."""
        return _logistic(self.gate, f) if self.gate else 1.0

    def kind(self, f: dict[str, float]) -> str:
        """The kind of item a candidate with these signals most likely is."""
        scores = {k: sum(w.get(name, 0.0) * v for name, v in f.items()) for k, w in self.kinds.items()}
        return max(scores, key=lambda k: scores[k])


@lru_cache(maxsize=1)
def model() -> Model:
    """The fitted model in ``item_weights.toml`` (an empty one, that keeps nothing, if unfitted)."""
    if not WEIGHTS_FILE.exists():
        return Model(1.1, {}, {k: {} for k in SCORED_KINDS})
    with open(WEIGHTS_FILE, "rb") as fh:
        data = tomllib.load(fh)
    gate = data.get("gate", {})
    return Model(float(data["threshold"]), dict(data["item"]), {k: dict(v) for k, v in data["kind"].items()},
                 {k: float(v) for k, v in gate.items() if k not in ("bar", "cut")}, float(gate.get("bar", 0.0)),
                 float(gate.get("cut", 0.0)))
