"""Tag text with themes from the taxonomy, using spaCy rules (no model, no network).

Pipeline: a blank English pipeline (as ``spacy.blank("en")``) + ``sentencizer``, whose
vocabulary sets each word's NORM to the lemma of its lower-case form, from
spacy-lookups-data's English ``lemma_lookup`` table (see :mod:`ingest.lemmas`). Phrases
are matched on NORM (so case, plural and tense do not matter), abbreviations on ORTH
(capitals only). Hyphenated phrases are expanded to their spaced and joined forms. A
mention in a negated or hypothetical clause does not count for themes that are
``negatable``; the trigger words live in the taxonomy's ``[negation]`` table.
"""
from __future__ import annotations

import bisect
import functools
import itertools
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from spacy.attrs import IS_ALPHA, IS_PUNCT, IS_SPACE, LOWER, NORM
from spacy.lang.en import English
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ingest import lemmas
from ingest.metadata import is_furniture
from search.vocab.taxonomy import Taxonomy, load_taxonomy

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

MAX_EVIDENCE = 5
# a longer text is tagged in pieces: spaCy's memory grows with a text's length, and it
# refuses one longer than nlp.max_length outright
PIECE_CHARS = 50_000
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_QUOTES = {"'", '"', "\u2018", "\u2019", "\u201c", "\u201d", "`"}
_AFTER_OK = {",", "(", "/", "&", *_QUOTES}  # where a mixed-case abbreviation may follow
_NEWLINES = re.compile(r"\s*\n\s*")
_HYPHENATED = re.compile(r"(?<=\w)-(?=\w)")

CUES_PATH = Path(__file__).with_name("cues.toml")

# Match-key kinds
_PHRASE, _ABBR, _MIXED, _EXCLUDE = "P", "A", "M", "X"
_NEG, _HYP, _AFTER = "neg", "hyp", "after"


@dataclass
class ThemeTag:
    """One theme found in a text: how often, and the words that matched (for reviewers)."""

    id: str
    label: str
    count: int
    evidence: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """The JSON shape of ``sgsearch tag``."""
        return {"id": self.id, "label": self.label, "count": self.count, "evidence": list(self.evidence)}


@dataclass(frozen=True)
class Cue:
    """A plain word that names a theme in the right company (see ``ingest/cues.toml``)."""

    theme: str
    words: tuple[str, ...]
    with_: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    reach: int = 0


def load_cues(path: Path = CUES_PATH) -> list[Cue]:
    """The sentence cues in ``path`` (a clear ValueError naming the file when it is wrong)."""
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
        return [Cue(c["theme"], tuple(c["words"]), tuple(c.get("with", ())), tuple(c.get("unless", ())),
                    int(c.get("reach", 0))) for c in data.get("cue", [])]
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{path}: cannot read theme cues: {exc}") from exc


def load_names(path: Path = CUES_PATH) -> re.Pattern | None:
    """The pattern of job titles and committee names in ``path``'s ``[names]`` table
    (``None`` when it has none): theme words inside one are not evidence."""
    try:
        with open(path, "rb") as fh:
            names = tomllib.load(fh).get("names") or {}
        qualifiers, roles = list(names.get("qualifiers", [])), list(names.get("roles", []))
        bodies, joins = list(names.get("bodies", [])), list(names.get("joins", []))
    except (OSError, tomllib.TOMLDecodeError, TypeError, AttributeError) as exc:
        raise ValueError(f"{path}: cannot read the [names] table: {exc}") from exc
    if not roles and not bodies:
        return None

    def alt(words):  # longest first, so "Sub-Committee" wins over "Committee"
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))

    word = r"[A-Z][\w'\u2019-]*"
    sp = r"[ \t]+"  # a name never runs over a line break
    # at most eight words, so that a long run of capitalised words costs little to scan
    run = rf"{word}(?:{sp}(?:(?:{alt(joins)}){sp}){{0,2}}{word}){{0,7}}" if joins else rf"{word}(?:{sp}{word}){{0,7}}"
    parts = []
    if roles:  # "Associate Director of Nursing and Mental Health", "Domestic Abuse Lead"
        quals = rf"(?:(?:{alt(qualifiers)}){sp})*" if qualifiers else ""
        parts.append(rf"\b(?:{run}{sp})?{quals}(?:{alt(roles)})(?:{sp}(?:of|for){sp}(?:the{sp})?{run})?\b")
    if bodies:  # "Quality Assurance Committee"
        parts.append(rf"\b{run}{sp}(?:{alt(bodies)})\b")
    return re.compile("|".join(parts))


def _quote_forms(word: str) -> list[str]:
    """A word as typed and with curly apostrophes and quotes, so either spelling matches."""
    curly = word.replace("'", "\u2019")
    return [word] if curly == word else [word, curly]


class _LemmaNorm:
    """The NORM of a word: the lemma of its lower-case form (with overrides and dash/quote folding).

    Installed as the vocabulary's NORM getter (:func:`build_nlp`), so a word's norm is set once,
    when spaCy first meets the word, and every token of it shares that norm: nothing is done
    per token.
    """

    def __init__(self, table=None, overrides: dict[str, str] | None = None):
        self.table = table
        self.overrides = dict(overrides or {})
        self.seen: set[str] | None = None  # when a set: every word looked up, and its norm

    def norm_text(self, lower: str) -> str:
        low = lower.replace("\u2019", "'").replace("\u2018", "'")
        if low and all(ch in _DASHES for ch in low):
            norm = "-"
        elif low in self.overrides:
            norm = self.overrides[low]
        elif self.table is not None:
            norm = self.table.get(low, low)
        else:
            norm = low
        if self.seen is not None:
            self.seen.update((lower, low, norm))
        return norm

    def __call__(self, orth: str) -> str:
        """The norm of a word as written (the vocabulary's NORM getter)."""
        return self.norm_text(orth.lower())

    def renorm(self, vocab) -> None:
        """Set the norm of every word the vocabulary already holds."""
        for lex in vocab:
            lex.norm_ = self(lex.orth_)


# The lexical attributes the tagger reads (NORM is its own). spaCy computes every getter of
# its vocabulary for each new word, and new words are most of what tagging a corpus costs.
_LEXICAL = (LOWER, IS_ALPHA, IS_SPACE, IS_PUNCT)


@functools.cache
def _english() -> type[Language]:
    """English as ``spacy.blank("en")`` makes it, except that no tokenizer special case sets a
    norm ("n't" -> "not"): a token's norm must be its word's."""

    class TaggerDefaults(English.Defaults):
        tokenizer_exceptions = {
            text: [{attr: v for attr, v in tok.items() if attr != NORM} for tok in toks]
            for text, toks in English.Defaults.tokenizer_exceptions.items()
        }

    class TaggerEnglish(English):
        Defaults = TaggerDefaults

    return TaggerEnglish


def build_nlp(lemma_overrides: dict[str, str] | None = None, table: dict[str, str] | None = None,
              seen: set[str] | None = None) -> Language:
    """The blank English pipeline the tagger uses: a sentencizer, and lemmas as norms.

    ``table`` maps lower-case words to lemmas; by default the whole ``lemma_lookup`` table
    that spaCy's lookup lemmatizer would load (see :mod:`ingest.lemmas` for a smaller one).
    A token's NORM is the lemma of its lower-case form, set on the vocabulary (the
    ``lemma_norm`` attribute of the pipeline is the getter). ``seen``: a set that gathers
    every word looked up, and its norm, from the vocabulary's first words on.
    """
    nlp = _english()()
    nlp.add_pipe("sentencizer")
    norms = _LemmaNorm(lemmas.full_table() if table is None else table, lemma_overrides)
    norms.seen = seen
    getters = {attr: get for attr, get in nlp.vocab.lex_attr_getters.items() if attr in _LEXICAL}
    getters[NORM] = norms
    nlp.vocab.lex_attr_getters = getters
    norms.renorm(nlp.vocab)  # the words spaCy made before the getter was in place
    nlp.max_length = 20_000_000
    nlp.lemma_norm = norms
    return nlp


_PUNCT_RUN = re.compile(r"(?:[^\w\s]|_){32,}")


def _break_run(m: re.Match) -> str:
    run = m.group()
    return " ".join(run[i:i + 32] for i in range(0, len(run), 32))


def prepare_text(text: str) -> str:
    """Join wrapped lines (a single newline becomes a space) so phrases can cross them.

    Long runs of punctuation without spaces ("((((…") are broken every 32 characters:
    spaCy's tokenizer takes quadratic time on them, and one such line would stall an ingest.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\n" in text:
        # navigation and menu lines ("Training and resources for professionals") are not evidence
        text = "\n".join("" if is_furniture(line) else line for line in text.split("\n"))
    text = _PUNCT_RUN.sub(_break_run, text)
    return _NEWLINES.sub(lambda m: m.group() if m.group().count("\n") > 1 else " ", text)


def split_text(text: str, size: int | None = None) -> list[str]:
    """``text`` in pieces of at most ``size`` characters (``PIECE_CHARS``), each cut at the
    last paragraph break, else line end, sentence end or space, in its second half."""
    size = size or PIECE_CHARS
    out, start = [], 0
    while len(text) - start > size:
        end = start + size
        for sep in ("\n\n", "\n", ". ", " "):
            cut = text.rfind(sep, start + size // 2, end)
            if cut >= 0:
                end = cut + len(sep)
                break
        out.append(text[start:end])
        start = end
    out.append(text[start:])
    return out


def phrase_variants(phrase: str) -> list[str]:
    """A phrase and, for each hyphenated compound, its spaced and joined forms."""
    parts = _HYPHENATED.split(phrase)
    if len(parts) == 1:
        return [phrase]
    out = []
    for seps in itertools.product(("-", " ", ""), repeat=min(len(parts) - 1, 3)):
        seps = list(seps) + ["-"] * (len(parts) - 1 - len(seps))
        text = parts[0] + "".join(s + p for s, p in zip(seps, parts[1:]))
        if text not in out:
            out.append(text)
    return out


class Tagger:
    """Tags text with the themes of a taxonomy. Build once, reuse (see :func:`get_tagger`)."""

    def __init__(self, taxonomy: Taxonomy | None = None):
        self.taxonomy = taxonomy if taxonomy is not None else load_taxonomy()
        self.fingerprint = self.taxonomy.fingerprint()
        trimmed = lemmas.load_trimmed(self.fingerprint)
        full = lemmas.full_table() if trimmed is None else None
        seen: set[str] = set()
        self.nlp = build_nlp(self.taxonomy.lemmas, trimmed if trimmed is not None else full, seen=seen)
        self._norm: _LemmaNorm = self.nlp.lemma_norm
        self._order = {tid: i for i, tid in enumerate(self.taxonomy.ids())}
        self._labels = {t.id: t.label for t in self.taxonomy}
        self._negatable = {t.id for t in self.taxonomy if t.negatable}
        self._keys: dict[int, tuple[str, str]] = {}
        self._themes = PhraseMatcher(self.nlp.vocab, attr="NORM")
        self._abbrevs = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self._triggers = PhraseMatcher(self.nlp.vocab, attr="NORM")
        self._build()
        self._build_cues()
        # the words looked up while building, and every norm a token's norm is compared with
        words = seen | self._fillers | self._terminators | self._neg_words | {"-"}
        self._norm.seen = None
        if full is not None:
            lemmas.save_trimmed(self.fingerprint, lemmas.trim(full, words))

    # -- construction -------------------------------------------------------------------

    def _key(self, kind: str, name: str) -> str:
        key = f"{kind}|{name}"
        self._keys[self.nlp.vocab.strings.add(key)] = (kind, name)
        return key

    def _build(self) -> None:
        norm_patterns: list[tuple[str, str]] = []  # (key, text)
        for theme in self.taxonomy:
            for kind, phrases in ((_PHRASE, theme.phrases), (_EXCLUDE, theme.exclude)):
                key = self._key(kind, theme.id)
                norm_patterns += [(key, v) for p in phrases for v in phrase_variants(p)]
            for abbr in theme.abbreviations:
                caps = abbr.isupper() or (abbr.endswith("s") and abbr[:-1].isupper())
                kind = _ABBR if caps else _MIXED
                forms = [abbr, abbr + "s"] if abbr.isupper() else [abbr]
                self._abbrevs.add(self._key(kind, theme.id), [self.nlp.make_doc(f) for f in forms])
        neg = self.taxonomy.negation
        for kind, triggers in ((_NEG, neg.before), (_HYP, neg.hypothetical), (_AFTER, neg.after)):
            key = self._key(kind, kind)
            norm_patterns += [(key, v) for t in triggers for v in phrase_variants(t)]

        grouped: dict[str, list[Doc]] = {}
        for key, text in norm_patterns:
            doc = self.nlp.make_doc(text)  # patterns need only tokens and their norms
            if len(doc):
                grouped.setdefault(key, []).append(doc)
        for key, docs in grouped.items():
            kind = self._keys[self.nlp.vocab.strings[key]][0]
            matcher = self._triggers if kind in (_NEG, _HYP, _AFTER) else self._themes
            matcher.add(key, docs)

        def words(items: Iterable[str]) -> set[str]:
            return {self._norm.norm_text(w) for item in items for w in item.lower().split()}

        self._fillers = words(neg.fillers)
        self._terminators = words(neg.terminators) | {"\n"}
        self._neg_words = {self._norm.norm_text(t) for t in neg.before if len(t.split()) == 1} | {"not"}
        self._after_window = neg.after_window

    def _build_cues(self) -> None:
        self.names = load_names()  # job titles and committee names: their words are not evidence (None: off)
        self._cues = [c for c in load_cues() if c.theme in self._labels]
        self._cue_words = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self._cue_with = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self._cue_index = {self.nlp.vocab.strings.add(f"cue|{i}"): i for i in range(len(self._cues))}
        for i, cue in enumerate(self._cues):
            for matcher, words in ((self._cue_words, cue.words), (self._cue_with, cue.with_)):
                docs = [self.nlp.make_doc(f) for w in words for f in _quote_forms(w.lower())]
                if docs:
                    matcher.add(f"cue|{i}", docs)

    def _add_cues(self, doc: Doc, found: dict[str, list[Span]]) -> None:
        """Spans where a cue word names its theme (in cue order: the general themes last)."""
        hits = self._cue_words(doc)
        if not hits:
            return
        index = self._cue_index
        by_cue: dict[int, list[tuple[int, int]]] = {}
        for match_id, start, end in hits:
            by_cue.setdefault(index[match_id], []).append((start, end))
        near: dict[int, list[int]] = {}
        if any(self._cues[i].with_ for i in by_cue):
            for match_id, start, _end in self._cue_with(doc):
                near.setdefault(index[match_id], []).append(start)
        for positions in near.values():
            positions.sort()

        def has(positions: list[int], lo: int, hi: int, skip: tuple[int, int]) -> bool:
            k = bisect.bisect_left(positions, lo)
            while k < len(positions) and positions[k] < hi:
                if not skip[0] <= positions[k] < skip[1]:
                    return True
                k += 1
            return False

        for i in sorted(by_cue):
            cue = self._cues[i]
            for start, end in by_cue[i]:
                if cue.with_ and i not in near:
                    continue
                span = Span(doc, start, end)
                sent = span.sent
                lo, hi = sent.start, sent.end
                if cue.reach and lo > 0:
                    lo = doc[lo - 1].sent.start
                if cue.with_ and not has(near[i], lo, hi, (start, end)):
                    continue
                if any(lo <= s.start < hi for t in cue.unless for s in found.get(t, ())):
                    continue
                found.setdefault(cue.theme, []).append(span)

    # -- public API -----------------------------------------------------------------------

    def tag(self, text: str) -> list[ThemeTag]:
        """Themes in ``text``, most frequent first (ties in taxonomy order)."""
        return self.tag_many([text])[0]

    def tag_many(self, texts: Iterable[str], batch_size: int = 64) -> list[list[ThemeTag]]:
        """Tag many texts at once (faster than calling :meth:`tag` in a loop). A text longer
        than ``PIECE_CHARS`` is tagged in pieces cut between paragraphs, and their tags added up."""
        texts = list(texts)
        pieces = ((prepare_text(piece), i) for i, t in enumerate(texts) for piece in split_text(t or ""))
        found: list[list[list[ThemeTag]]] = [[] for _ in texts]
        for doc, i in self.nlp.pipe(pieces, batch_size=batch_size, as_tuples=True):
            found[i].append(self._tag_doc(doc))
        return [tags[0] if len(tags) == 1 else self._merged(tags) for tags in found]

    def _merged(self, pieces: list[list[ThemeTag]]) -> list[ThemeTag]:
        """The tags of a text from those of its pieces: counts added, evidence as one list."""
        out: dict[str, ThemeTag] = {}
        for tags in pieces:
            for t in tags:
                have = out.setdefault(t.id, ThemeTag(t.id, t.label, 0, []))
                have.count += t.count
                seen = {e.lower() for e in have.evidence}
                have.evidence += [e for e in t.evidence if e.lower() not in seen][:MAX_EVIDENCE - len(have.evidence)]
        return sorted(out.values(), key=lambda t: (-t.count, self._order[t.id]))

    # -- matching -------------------------------------------------------------------------

    def _tag_doc(self, doc: Doc) -> list[ThemeTag]:
        found: dict[str, list[Span]] = {}
        excluded: dict[str, list[tuple[int, int]]] = {}
        for match_id, start, end in self._themes(doc):
            kind, tid = self._keys[match_id]
            if kind == _EXCLUDE:
                excluded.setdefault(tid, []).append((start, end))
            else:
                found.setdefault(tid, []).append(Span(doc, start, end))
        for match_id, start, end in self._abbrevs(doc):
            kind, tid = self._keys[match_id]
            if kind == _MIXED and not self._mixed_case_ok(doc, start):
                continue
            found.setdefault(tid, []).append(Span(doc, start, end))
        if self._cues:
            self._add_cues(doc, found)
        if not found:
            return []

        names = self._name_spans(doc)
        kept: dict[str, list[Span]] = {}
        for tid, spans in found.items():
            ex = [*excluded.get(tid, ()), *names]
            spans = [s for s in spans if not any(a < s.end and s.start < b for a, b in ex)]
            if spans:
                kept[tid] = sorted(filter_spans(spans), key=lambda s: s.start)

        if any(tid in self._negatable for tid in kept):
            kept = self._drop_negated(doc, kept)

        tags = []
        for tid, spans in kept.items():
            if not spans:
                continue
            evidence: list[str] = []
            seen: set[str] = set()
            for span in spans:
                text = " ".join(span.text.split())
                if text.lower() not in seen and len(evidence) < MAX_EVIDENCE:
                    seen.add(text.lower())
                    evidence.append(text)
            tags.append(ThemeTag(tid, self._labels[tid], len(spans), evidence))
        tags.sort(key=lambda t: (-t.count, self._order[t.id]))
        return tags

    def _name_spans(self, doc: Doc) -> list[tuple[int, int]]:
        """Token ranges of job titles and committee names (``[names]`` in ``ingest/cues.toml``)."""
        if self.names is None:
            return []
        out = []
        for m in self.names.finditer(doc.text):
            span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            if span is not None:
                out.append((span.start, span.end))
        return out

    @staticmethod
    def _mixed_case_ok(doc: Doc, start: int) -> bool:
        """A mixed-case abbreviation ("Prevent") counts only after a word, comma, bracket or quote."""
        i = start - 1
        while i >= 0 and doc[i].is_space:
            i -= 1
        if i < 0 or doc[start].is_sent_start:
            return False
        prev = doc[i]
        return prev.is_alpha or prev.text in _AFTER_OK

    def _drop_negated(self, doc: Doc, kept: dict[str, list[Span]]) -> dict[str, list[Span]]:
        before_end: dict[int, str] = {}
        after_start: set[int] = set()
        for match_id, start, end in self._triggers(doc):
            kind = self._keys[match_id][0]
            if kind == _AFTER:
                after_start.add(start)
            else:
                before_end.setdefault(end, kind)
        if not before_end and not after_start:
            return kept
        covered = {i for spans in kept.values() for s in spans for i in range(s.start, s.end)}
        out = {}
        for tid, spans in kept.items():
            if tid in self._negatable:
                spans = [s for s in spans if not self._is_negated(doc, s, before_end, after_start, covered)]
            out[tid] = spans
        return out

    def _is_negated(self, doc: Doc, span: Span, before_end: dict[int, str], after_start: set[int],
                    covered: set[int]) -> bool:
        # Before the mention: a trigger, then only fillers, other mentions or spaces.
        if before_end:
            p, steps = span.start, 0
            while p > 0 and steps <= 12:
                if doc[p].is_sent_start:
                    break
                if p in before_end:
                    return True
                prev = doc[p - 1]
                if not (prev.norm_ in self._fillers or (p - 1) in covered
                        or (prev.is_space and "\n" not in prev.text)):
                    break
                p -= 1
                steps += 1
        # After the mention: a trigger within the window, no terminator, no cancelling "not".
        if after_start:
            p, words, saw_not = span.end, 0, False
            while p < len(doc) and words <= self._after_window:
                tok = doc[p]
                if tok.is_sent_start:
                    break
                if p in after_start and not saw_not:
                    return True
                if self._ends_clause(doc, p):
                    break
                if tok.norm_ in self._neg_words:
                    saw_not = True
                if not tok.is_space:
                    words += 1
                p += 1
        return False

    def _ends_clause(self, doc: Doc, i: int) -> bool:
        tok = doc[i]
        if tok.is_space:
            return "\n" in tok.text
        if tok.norm_ in self._terminators:
            return True
        # A dash with a space beside it separates clauses ("Neglect - see 3.2"); "pre-birth" does not.
        if tok.norm_ == "-":
            return bool(tok.whitespace_) or (i > 0 and bool(doc[i - 1].whitespace_))
        return False


_CACHE: dict[str, Tagger] = {}
_LOCK = threading.Lock()


def get_tagger(taxonomy: Taxonomy | None = None) -> Tagger:
    """A shared Tagger for this taxonomy (one per taxonomy fingerprint)."""
    taxonomy = taxonomy if taxonomy is not None else load_taxonomy()
    key = taxonomy.fingerprint()
    with _LOCK:
        tagger = _CACHE.get(key)
        if tagger is None:
            tagger = _CACHE[key] = Tagger(taxonomy)
        return tagger
