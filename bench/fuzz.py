"""Fuzz the readers, parsers, analyzers, query and tagger with a large budget.

The same targets as ``tests/test_fuzz.py``, with ``--cases`` cases each (default 10,000)
and, on top, byte-level mutations of real files read through the whole per-file parse
(``ingest.document.parse_file``, which starts with ``ingest.readers.read_path``):

    text         ingest.readers.text.parse_text on generated and mutated report text
    decode       ingest.readers.text.decode on random and mutated bytes
    sections     ingest.sections.build_sections on random blocks and on parsed text
    metadata     detect_period, detect_title, detect_doc_type, detect_publisher, parse_year_label
    analyzer     search.index.analysis text/exact analyzers (index and query mode) and join_prefixes
    query        search.query.search over the bundled corpus: any query string, any filters
    themes       ingest.themes tagger
    items        ingest.items.extract_items on parsed text (skipped if the module is absent)
    file-txt     mutated corpus .txt files (also re-encoded as cp1252 / UTF-16 first)
    file-pdf     mutated generated PDFs (compressed and uncompressed, scanned, encrypted)
    file-docx    mutated generated DOCX: bytes of the zip, and bytes/XML of its members re-zipped

A case passes when the target answers normally or refuses with its own error
(IngestError, QueryError). Any other exception, a crash of the worker process (a
segfault in a native library), a case slower than ``--slow`` seconds (quadratic
behaviour: 2% of the text cases hold a run of 1,000-5,000 repeated characters), a hang
past ``--timeout`` seconds (killed), or memory past ``--memory-mb`` is a failure. Cases
run in worker processes (``--jobs``) so a crash or a hang costs one case, not the run. The first few failing inputs of each target, and
the first of each distinct failure, are saved under ``--out`` with their traceback.

    python bench/fuzz.py                          # 10,000 cases per target
    python bench/fuzz.py --cases 500 --targets text,query
    python bench/fuzz.py --seed 7 --jobs 2 --out /tmp/fuzz-failures

Deterministic for a given ``--seed`` and ``--cases`` (whatever ``--jobs``). Exits 1 if
any target had a failure.
"""
from __future__ import annotations

import argparse
import io
import multiprocessing as mp
import os
import random
import re
import shutil
import sys
import tempfile
import time
import traceback
import zipfile
from multiprocessing.connection import wait
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Pieces of real reports and of query syntax: the property tests' pieces, and a few more.
from tests.test_fuzz import QUERY_BITS as _TEST_QUERY_BITS  # noqa: E402
from tests.test_fuzz import REPORT_BITS as _TEST_REPORT_BITS  # noqa: E402

REPORT_BITS = _TEST_REPORT_BITS + [
    "Recommendations", "Next steps:", "Risk register", "R12", "16", "Priorities for 2022-2023", "Objective",
    "Learning from reviews", "we will", "fathers and male carers", "domestic abuse", "was not a feature",
]
QUERY_BITS = _TEST_QUERY_BITS + [
    "<", ">", "=", "a*", "*z", "~2", "^3", "''", '""', "((", "))", "domestic abuse", "fathers and male carers",
    "recommendation", "2016", "17",
]
FILE_TOKENS = [
    b"obj", b"endobj", b"stream\n", b"endstream", b"xref", b"trailer", b"startxref", b"%%EOF", b"/Length 99999999",
    b"/Count -1", b"/Count 4294967295", b"/Kids [", b"]", b"<<", b">>", b"/Type /Page", b"/Font", b"/Encrypt",
    b"R", b"0 0 R", b"9999999 0 R", b"BT", b"ET", b"Tj", b"TJ", b"Tf", b"Td", b"(", b")", b"\\", b"<w:p>", b"</w:p>",
    b"<w:t>", b"</w:t>", b"<w:tbl>", b"<w:tr>", b"<w:tc>", b"<w:sdt>", b"<w:br w:type=\"page\"/>", b"w:val=\"99\"",
    b"<w:numPr>", b"<w:outlineLvl w:val=\"-1\"/>", b"&#0;", b"&lt;", b"<![CDATA[", b"<!DOCTYPE x [<!ENTITY a \"aa\">]>",
    b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"PK\x03\x04", b"PK\x05\x06", b"%PDF-1.7\n", b"\r\n", b"\f",
]
INTERESTING = [0, 1, 0x7F, 0x80, 0xFF, 0x0A, 0x0D, 0x20, 0x25, 0x28, 0x29, 0x2F, 0x3C, 0x3E, ord("0"), ord("9")]


# -- generators (main process; deterministic) ------------------------------------------------
class Seeds:
    """The material cases are made from: corpus text, generated files."""

    def __init__(self, workdir: Path):
        from corpus import corpus_dir
        from tests import docgen

        self.texts = [p.read_text(encoding="utf-8") for p in sorted(Path(corpus_dir()).glob("*.txt"))]
        self.words = sorted({w for t in self.texts for w in re.findall(r"[A-Za-z][\w'-]{2,}", t)})
        txt = []
        for t in self.texts:
            for start in range(0, len(t), 30_000):  # the 280 KB pack in slices, so a case stays quick
                txt.append(t[start:start + 30_000].encode("utf-8"))
        txt.append(self.texts[0][:8000].encode("cp1252", errors="replace"))
        txt.append(self.texts[1][:8000].encode("utf-16"))
        self.txt = txt
        workdir.mkdir(parents=True, exist_ok=True)
        pdfs = [docgen.write_pdf(workdir / "seed.pdf").read_bytes()]
        pdfs.append(_uncompressed_pdf(workdir / "seed-plain.pdf", docgen))
        pdfs.append(docgen.write_pdf(workdir / "seed-short.pdf", spec=docgen.SPEC[:6], header=None).read_bytes())
        pdfs.append(docgen.write_scanned_pdf(workdir / "seed-scanned.pdf").read_bytes())
        pdfs.append(docgen.write_encrypted_pdf(workdir / "seed-encrypted.pdf").read_bytes())
        self.pdf = pdfs
        self.docx = [docgen.write_docx(workdir / "seed.docx").read_bytes(),
                     docgen.write_docx(workdir / "seed-short.docx", spec=docgen.SPEC[:8], header=None).read_bytes()]


def _uncompressed_pdf(path: Path, docgen) -> bytes:
    """The generated report with uncompressed content streams, so mutations reach the text operators."""
    import fpdf

    real_init = fpdf.FPDF.__init__

    def init(self, *a, **k):
        real_init(self, *a, **k)
        self.compress = False

    fpdf.FPDF.__init__ = init
    try:
        return docgen.write_pdf(path).read_bytes()
    finally:
        fpdf.FPDF.__init__ = real_init


def random_unicode(rng: random.Random, n: int) -> str:
    out = []
    for _ in range(n):
        r = rng.random()
        if r < 0.45:
            out.append(chr(rng.randint(32, 126)))
        elif r < 0.6:
            out.append(rng.choice(" \t\n\n\r\f\v\x00\x1b\x7f\x85\xa0\u2028\u2029\u200b\ufeff"))
        elif r < 0.75:
            out.append(chr(rng.randint(0xA0, 0x24F)))
        elif r < 0.95:
            c = rng.randint(0x250, 0xFFFD)
            out.append(chr(c) if not 0xD800 <= c <= 0xDFFF else "\ufffd")
        else:
            out.append(chr(rng.randint(0x10000, 0x1FAFF)))
    return "".join(out)


def mutate_text(rng: random.Random, text: str, bits: list[str]) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 8)):
        op = rng.random()
        pos = rng.randint(0, len(chars))
        if op < 0.3:
            chars[pos:pos] = list(rng.choice(bits))
        elif op < 0.45 and chars:
            del chars[pos:pos + rng.randint(1, 200)]
        elif op < 0.6:
            chars[pos:pos] = list(random_unicode(rng, rng.randint(1, 10)))
        elif op < 0.75 and chars:
            a = rng.randint(0, len(chars) - 1)
            chars[pos:pos] = chars[a:a + rng.randint(1, 300)]
        elif op < 0.85 and chars:
            i = rng.randint(0, len(chars) - 1)
            chars[i] = rng.choice(["\n", "\t", " ", "\f", ".", ":", "1", "-", "*", "[", "]", "(", ")"])
        else:
            text = "".join(chars)
            lines = text.split("\n")
            rng.shuffle(lines) if rng.random() < 0.2 else lines.insert(rng.randint(0, len(lines)), rng.choice(lines))
            chars = list("\n".join(lines))
    return "".join(chars)


RUN_PIECES = ["#", "(", ")", "*", "_", "=", "'", '"', "…", ".", "-", " ", "\t", "**a ", "__a ", "<p ", "[bookmark:",
              "[1:", "[a](", "·", "1.", "a", "ab ", "\u00a0", "/", "|", "~", "a(", "(a"]


def long_run(rng: random.Random, seeds: Seeds) -> str:
    """A long run of one piece (1,000-5,000 characters) inside some report text: the inputs
    that make a quadratic regular expression or tokenizer show."""
    piece = rng.choice(RUN_PIECES + REPORT_BITS[:20])
    run = piece * (rng.randint(1000, 5000) // max(1, len(piece)))
    src = rng.choice(seeds.texts)
    at = rng.randint(0, max(0, len(src) - 500))
    return src[at:at + 300] + rng.choice(["", " ", "\n"]) + run + rng.choice(["", "x", " end", "\n"]) + src[at + 300:at + 600]


def gen_text(rng: random.Random, seeds: Seeds, max_len: int = 6000) -> str:
    r = rng.random()
    if r < 0.02:
        return long_run(rng, seeds)
    if r < 0.25:
        return random_unicode(rng, rng.randint(0, 300))
    if r < 0.6:
        seps = [" ", " ", "\n", "\n\n", "\t", "", "\n\n"]
        parts = []
        for _ in range(rng.randint(0, 60)):
            p = rng.choice(REPORT_BITS) if rng.random() < 0.7 else rng.choice(seeds.words)
            parts += [p, rng.choice(seps)]
        return "".join(parts)
    src = rng.choice(seeds.texts)
    start = rng.randint(0, max(0, len(src) - 200))
    return mutate_text(rng, src[start:start + rng.randint(200, max_len)], REPORT_BITS)


def gen_query(rng: random.Random, seeds: Seeds) -> str:
    r = rng.random()
    if r < 0.2:
        return random_unicode(rng, rng.randint(0, 40))
    parts = []
    for _ in range(rng.randint(1, 8)):
        p = rng.choice(QUERY_BITS) if rng.random() < 0.6 else rng.choice(seeds.words)
        parts += [p, rng.choice([" ", " ", "", "-", '"'])]
    q = "".join(parts)
    return mutate_text(rng, q, QUERY_BITS) if r > 0.9 else q


def gen_year(rng: random.Random):
    return rng.choice([None, None, None, "2020-21", "2016/17", "2019", "20", "1900-01", "2100", "-1", "", " ",
                       "2020 to 2021", "99999999999999999999", "２０２０", random_unicode(rng, rng.randint(0, 8)),
                       rng.randint(-10**6, 10**6)])


def mutate_bytes(rng: random.Random, data: bytes, others: list[bytes]) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.random()
        n = len(b)
        pos = rng.randint(0, n)
        if op < 0.2 and n:  # bit flips
            for _ in range(rng.randint(1, 8)):
                i = rng.randint(0, n - 1)
                b[i] ^= 1 << rng.randint(0, 7)
        elif op < 0.3 and n:  # interesting bytes
            for _ in range(rng.randint(1, 4)):
                b[rng.randint(0, n - 1)] = rng.choice(INTERESTING)
        elif op < 0.42:  # truncation
            del b[pos:]
        elif op < 0.55:  # insertion: a token, random bytes, or a chunk of the file itself
            r = rng.random()
            if r < 0.05:  # a long run of one piece (see long_run)
                piece = rng.choice(RUN_PIECES).encode("utf-8")
                chunk = piece * (rng.randint(1000, 5000) // len(piece))
            elif r < 0.5:
                chunk = rng.choice(FILE_TOKENS)
            elif r < 0.75:
                chunk = rng.randbytes(rng.randint(1, 64))
            else:
                a = rng.randint(0, max(0, n - 1))
                chunk = bytes(b[a:a + rng.randint(1, 2000)])
            b[pos:pos] = chunk
        elif op < 0.65 and n:  # deletion
            del b[pos:pos + rng.randint(1, 512)]
        elif op < 0.78:  # splicing with another seed
            other = rng.choice(others)
            cut = rng.randint(0, len(other))
            b = b[:pos] + bytearray(other[cut:])
        elif op < 0.9:  # a number rewritten (lengths, offsets, counts)
            runs = [m.span() for m in re.finditer(rb"\d+", bytes(b[max(0, pos - 4000):pos + 4000]))]
            if runs:
                s, e = rng.choice(runs)
                base = max(0, pos - 4000)
                b[base + s:base + e] = rng.choice([b"0", b"-1", b"999999999", b"4294967296", b"1e308", b"00",
                                                    str(rng.randint(0, 10**6)).encode()])
        else:  # a zero-filled or repeated range
            b[pos:pos + rng.randint(1, 256)] = (b"\x00" if rng.random() < 0.5 else b"A") * rng.randint(1, 256)
    return bytes(b)


def mutate_docx(rng: random.Random, data: bytes, others: list[bytes]) -> bytes:
    """Half the time mutate the zip's bytes; otherwise mutate one member and zip it again."""
    if rng.random() < 0.4:
        return mutate_bytes(rng, data, others)
    zin = zipfile.ZipFile(io.BytesIO(data))
    infos = zin.infolist()
    names = [i.filename for i in infos]
    weights = [8 if n == "word/document.xml" else 2 if n.endswith(".xml") or n.endswith(".rels") else 1 for n in names]
    victim = rng.choices(names, weights)[0]
    out = io.BytesIO()
    drop = rng.random() < 0.1
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in infos:
            content = zin.read(info)
            if info.filename == victim:
                if drop:
                    continue
                content = _mutate_xml(rng, content) if rng.random() < 0.5 else mutate_bytes(rng, content, [content])
            z.writestr(info.filename, content)
    return out.getvalue()


def _mutate_xml(rng: random.Random, xml: bytes) -> bytes:
    """Structure-aware edits: drop, duplicate or move an element; change an attribute value."""
    tags = [m.span() for m in re.finditer(rb"<[^<>]{1,200}>", xml)]
    if not tags:
        return xml
    for _ in range(rng.randint(1, 5)):
        tags = [m.span() for m in re.finditer(rb"<[^<>]{1,200}>", xml)] or tags
        s, e = rng.choice(tags)
        op = rng.random()
        if op < 0.3:
            xml = xml[:s] + xml[e:]
        elif op < 0.5:
            s2, e2 = rng.choice(tags)
            lo, hi = min(s, s2), max(e, e2)
            xml = xml[:hi] + xml[lo:hi] + xml[hi:]
        elif op < 0.75:
            tag = xml[s:e]
            tag = re.sub(rb'"[^"]*"', lambda _m: b'"' + rng.choice([b"", b"-1", b"99999", b"x", b"page", b"0",
                                                                        b"Heading1", b"true"]) + b'"', tag, count=1)
            xml = xml[:s] + tag + xml[e:]
        else:
            xml = xml[:s] + rng.choice(FILE_TOKENS) + xml[s:]
    return xml


def random_blocks(rng: random.Random, seeds: Seeds):
    from ingest.blocks import KINDS, Block

    out = []
    for _ in range(rng.randint(0, 40)):
        number = rng.choice([None, None, "1", "2.1", "3.7.6", "1.1.1.1.1", "", "x", "1..2", ".", "99.99.99"])
        out.append(Block(rng.choice(KINDS), gen_text(rng, seeds, 200) if rng.random() < 0.9 else "",
                         page=rng.choice([None, 1, 2, 3, -1, 0, 10**9]), level=rng.choice([None, 1, 2, 9, 0, -3, 50]),
                         number=number, strong=rng.random() < 0.5,
                         cells=[random_unicode(rng, rng.randint(0, 8)) for _ in range(rng.randint(0, 4))]))
    return out


def gen_case(target: str, rng: random.Random, seeds: Seeds):
    if target in ("text", "themes", "items"):
        return gen_text(rng, seeds)
    if target == "decode":
        if rng.random() < 0.4:
            return rng.randbytes(rng.randint(0, 3000))
        return mutate_bytes(rng, rng.choice(seeds.txt)[:20_000], seeds.txt)
    if target == "sections":
        return ("blocks", random_blocks(rng, seeds)) if rng.random() < 0.5 else ("text", gen_text(rng, seeds))
    if target == "metadata":
        text = gen_text(rng, seeds, 3000)
        return text, random_blocks(rng, seeds)[:8], random_unicode(rng, rng.randint(0, 20)), rng.random() < 0.5
    if target == "analyzer":
        return gen_text(rng, seeds, 2000) if rng.random() < 0.6 else gen_query(rng, seeds)
    if target == "query":
        opts = {"limit": rng.choice([1, 5, 10, 50]), "exact": rng.random() < 0.3,
                "sort": rng.choice(["relevance", "year"])}
        if rng.random() < 0.25:  # mostly invalid: kept rare so that most cases reach the query parser
            opts.update(year=gen_year(rng), from_year=gen_year(rng), to_year=gen_year(rng))
        if rng.random() < 0.2:
            opts["theme"] = rng.choice(["neglect", "Neglect", "pre-birth", "domestic-abuse", "nope", "", "é",
                                        random_unicode(rng, 5)])
        if rng.random() < 0.2:
            opts["doc_type"] = rng.choice(["annual-report", "review", "", "x y", random_unicode(rng, 5)])
        if rng.random() < 0.2:
            opts["publisher"] = gen_query(rng, seeds)
        return gen_query(rng, seeds), opts
    if target == "file-txt":
        return _ext(rng, ".txt"), mutate_bytes(rng, rng.choice(seeds.txt), seeds.txt)
    if target == "file-pdf":
        return _ext(rng, ".pdf"), mutate_bytes(rng, rng.choice(seeds.pdf), seeds.pdf)
    if target == "file-docx":
        return _ext(rng, ".docx"), mutate_docx(rng, rng.choice(seeds.docx), seeds.docx)
    raise ValueError(target)


def _ext(rng: random.Random, usual: str) -> str:
    return usual if rng.random() < 0.9 else rng.choice([".txt", ".md", ".pdf", ".docx"])


# -- runners (worker processes) --------------------------------------------------------------
class Refused(Exception):
    """The target refused the input with its own error: a pass."""


def run_case(target: str, case, ctx: dict) -> str:
    from ingest.blocks import IngestError

    try:
        _run(target, case, ctx)
    except IngestError:
        return "refused"
    except Refused:
        return "refused"
    return "ok"


def _run(target: str, case, ctx: dict) -> None:
    if target == "text":
        from ingest.readers.text import parse_text

        result = parse_text(case)
        assert result.blocks, "no blocks and no IngestError"
    elif target == "decode":
        from ingest.readers.text import decode

        assert isinstance(decode(case), str)
    elif target == "sections":
        from ingest.readers.text import parse_text
        from ingest.sections import build_sections

        kind, value = case
        blocks = value if kind == "blocks" else parse_text(value).blocks
        for s in build_sections(blocks):
            s.text, s.page_start, s.page_end, s.page_offsets(), s.heading_path
    elif target == "metadata":
        from ingest.metadata import (
            DOC_TYPES,
            detect_doc_type,
            detect_period,
            detect_publisher,
            detect_title,
            parse_year_label,
        )

        text, blocks, fallback, prefer = case
        detect_period(text.splitlines(), prefer_date=prefer)
        title = detect_title(blocks, fallback)
        assert detect_doc_type(text, title) in DOC_TYPES
        detect_publisher(text)
        for line in text.splitlines()[:20]:
            parse_year_label(line)
    elif target == "analyzer":
        from search.index.analysis import exact_analyzer, join_prefixes, text_analyzer

        for analyzer in ctx.setdefault("analyzers", (text_analyzer(), exact_analyzer())):
            for mode in ("index", "query"):
                for t in analyzer(case, positions=True, chars=True, mode=mode):
                    assert t.text and 0 <= t.startchar <= t.endchar <= len(case), (t.text, t.startchar, t.endchar)
        join_prefixes(case)
    elif target == "query":
        from search.index.store import Store
        from search.query import QueryError, search

        store = ctx.get("store")
        if store is None:
            store = ctx["store"] = Store(ctx["index"])
        query, opts = case
        try:
            res = search(store, query, **opts)
        except QueryError:
            raise Refused() from None
        res.to_json()
    elif target == "themes":
        from ingest.themes import get_tagger

        for t in get_tagger().tag(case):
            assert t.id and t.count >= 1
    elif target == "items":
        from ingest.document import parse_file
        from ingest.items import extract_items

        path = Path(ctx["tmp"]) / "case.txt"
        path.write_text(case, encoding="utf-8", errors="surrogatepass")
        extract_items(parse_file(path))
    elif target.startswith("file-"):
        from ingest.document import parse_file

        ext, data = case
        path = Path(ctx["tmp"]) / f"case{ext}"
        path.write_bytes(data)
        parse_file(path)
    else:
        raise ValueError(target)


def _worker(conn, index_dir: str, tmp: str, memory_mb: int) -> None:
    try:
        import resource

        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):
        pass
    ctx = {"index": index_dir, "tmp": tmp}
    while True:
        try:
            msg = conn.recv()
        except EOFError:
            return
        if msg is None:
            return
        target, case = msg
        t0 = time.perf_counter()
        try:
            outcome = run_case(target, case, ctx)
            conn.send((outcome, None, None, time.perf_counter() - t0))
        except BaseException as e:  # noqa: B036 - every escape is a finding
            summary = f"{type(e).__name__}: {str(e).splitlines()[0][:200] if str(e) else ''}"
            conn.send(("fail", summary, traceback.format_exc(), time.perf_counter() - t0))


class Worker:
    def __init__(self, ctx_mp, index_dir: str, memory_mb: int):
        self.tmp = tempfile.mkdtemp(prefix="sgfuzz-")
        self.conn, child = ctx_mp.Pipe()
        self.proc = ctx_mp.Process(target=_worker, args=(child, index_dir, self.tmp, memory_mb), daemon=True)
        self.proc.start()
        child.close()
        self.job = None  # (case number, case, start time)

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.proc.kill()
        else:
            try:
                self.conn.send(None)
            except (BrokenPipeError, OSError):
                pass
        self.proc.join(5)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
        self.conn.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


def _signature(summary: str, tb: str | None) -> str:
    if tb is None:
        return summary.split(":")[0]
    frames = re.findall(r'File "([^"]+)", line (\d+), in (\S+)', tb or "")
    own = [f for f in frames if "/site-packages/" not in f[0] and "bench/fuzz.py" not in f[0]]
    where = own[-1] if own else (frames[-1] if frames else ("?", "?", "?"))
    return f"{summary.split(':')[0]} at {Path(where[0]).name}:{where[1]} {where[2]}"


def _save(out: Path, target: str, n: int, case, summary: str, tb: str | None) -> str:
    folder = out / target
    folder.mkdir(parents=True, exist_ok=True)
    stem = folder / f"case-{n:06d}"
    if target.startswith("file-"):
        ext, data = case
        path = stem.with_suffix(ext)
        path.write_bytes(data)
    else:
        path = stem.with_suffix(".repr.txt")
        path.write_text(repr(case), encoding="utf-8")
    stem.with_suffix(".error.txt").write_text(f"{summary}\n\n{tb or ''}", encoding="utf-8")
    return str(path)


def run_target(target: str, cases: int, seed: int, seeds: Seeds, index_dir: str, args) -> dict:
    rng = random.Random(f"{seed}:{target}")
    ctx_mp = mp.get_context("fork" if hasattr(os, "fork") else "spawn")
    workers = [Worker(ctx_mp, index_dir, args.memory_mb) for _ in range(args.jobs)]
    # warm up each worker (imports, spaCy, the index) outside the timed cases
    warm = {"themes": "neglect", "items": "Recommendations\n\n- The partnership should act.",
            "query": ("neglect", {})}.get(target)
    if warm is not None:
        for w in workers:
            w.conn.send((target, warm))
        for w in workers:
            w.conn.recv()
    counts = {"ok": 0, "refused": 0, "fail": 0}
    failures: list[dict] = []
    signatures: dict[str, int] = {}
    next_case = 0
    t0 = time.monotonic()
    done = 0

    def record_failure(n, case, summary, tb):
        counts["fail"] += 1
        sig = _signature(summary, tb)
        first_of_kind = sig not in signatures
        signatures[sig] = signatures.get(sig, 0) + 1
        saved = None
        if len(failures) < args.keep or first_of_kind:
            saved = _save(args.out, target, n, case, summary, tb)
        failures.append({"case": n, "error": summary, "signature": sig, "saved": saved})

    while done < cases:
        for w in workers:
            if w.job is None and next_case < cases:
                case = gen_case(target, rng, seeds)
                w.job = (next_case, case, time.monotonic())
                next_case += 1
                w.conn.send((target, case))
        busy = [w for w in workers if w.job is not None]
        soonest = min(w.job[2] for w in busy) + args.timeout
        ready = wait([w.conn for w in busy], timeout=max(0.0, soonest - time.monotonic()))
        for i, w in enumerate(workers):
            if w.job is None:
                continue
            n, case, started = w.job
            if w.conn in ready:
                try:
                    outcome, summary, tb, took = w.conn.recv()
                except (EOFError, OSError):
                    w.proc.join(1)
                    code = w.proc.exitcode
                    record_failure(n, case, f"WorkerCrash: exit code {code} (a signal if negative)", None)
                    w.stop(kill=True)
                    workers[i] = Worker(ctx_mp, index_dir, args.memory_mb)
                    done += 1
                    continue
                w.job = None
                done += 1
                if outcome == "fail":
                    record_failure(n, case, summary, tb)
                elif took > args.slow:
                    record_failure(n, case, f"Slow: {took:.1f}s for one case (limit {args.slow:g}s)", None)
                else:
                    counts[outcome] += 1
            elif time.monotonic() - started > args.timeout:
                record_failure(n, case, f"Timeout: still running after {args.timeout:.0f}s", None)
                w.stop(kill=True)
                workers[i] = Worker(ctx_mp, index_dir, args.memory_mb)
                done += 1
        if args.progress and done and done % 1000 == 0:
            print(f"  {target}: {done}/{cases}", file=sys.stderr, flush=True)
    elapsed = time.monotonic() - t0
    for w in workers:
        w.stop()
    return {"target": target, "cases": cases, **counts, "seconds": elapsed, "failures": failures,
            "signatures": signatures}


ALL_TARGETS = ["text", "decode", "sections", "metadata", "analyzer", "query", "themes", "items",
               "file-txt", "file-pdf", "file-docx"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cases", type=int, default=10_000, help="cases per target (default 10,000)")
    ap.add_argument("--targets", default=",".join(ALL_TARGETS), help="comma-separated subset of: " + ", ".join(ALL_TARGETS))
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--jobs", type=int, default=max(1, min(4, os.cpu_count() or 1)))
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds before a case is killed as a hang")
    ap.add_argument("--slow", type=float, default=2.0, help="a case slower than this is a failure too")
    ap.add_argument("--memory-mb", type=int, default=4096, help="address-space limit of a worker")
    ap.add_argument("--keep", type=int, default=5, help="failing inputs saved per target (plus one per kind)")
    ap.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "sgsearch-fuzz-failures")
    ap.add_argument("--progress", action="store_true", help="print progress on stderr")
    args = ap.parse_args(argv)
    targets = [t.strip() for t in args.targets.split(",") if t.strip()]
    unknown = set(targets) - set(ALL_TARGETS)
    if unknown:
        ap.error(f"unknown targets: {', '.join(sorted(unknown))}")
    import importlib.util

    if "items" in targets and importlib.util.find_spec("ingest.items") is None:
        print("items: skipped (ingest/items.py not present)")
        targets.remove("items")
    shutil.rmtree(args.out, ignore_errors=True)

    work = Path(tempfile.mkdtemp(prefix="sgfuzz-seeds-"))
    try:
        seeds = Seeds(work / "seeds")
        index_dir = str(work / "index")
        if "query" in targets:
            from corpus import corpus_dir
            from ingest.pipeline import ingest

            ingest([corpus_dir()], index_dir)  # themes tagged, so that theme expansion is exercised
        print(f"fuzz: {args.cases} cases per target, seed {args.seed}, {args.jobs} worker(s), "
              f"slow {args.slow:g}s, timeout {args.timeout:.0f}s, memory {args.memory_mb} MB; "
              f"failures saved to {args.out}")
        print(f"{'target':<11} {'cases':>7} {'ok':>7} {'refused':>8} {'failures':>8} {'seconds':>8} {'cases/s':>8}")
        results = []
        for target in targets:
            r = run_target(target, args.cases, args.seed, seeds, index_dir, args)
            results.append(r)
            print(f"{target:<11} {r['cases']:>7} {r['ok']:>7} {r['refused']:>8} {r['fail']:>8} "
                  f"{r['seconds']:>8.1f} {r['cases'] / r['seconds']:>8.0f}", flush=True)
        total_fail = sum(r["fail"] for r in results)
        for r in results:
            for sig, n in sorted(r["signatures"].items(), key=lambda kv: -kv[1]):
                first = next(f for f in r["failures"] if f["signature"] == sig)
                print(f"  {r['target']}: {n} x {sig}\n      {first['error']}\n      first input: {first['saved']}")
        print(f"total: {sum(r['cases'] for r in results)} cases, {total_fail} failures, "
              f"{sum(r['seconds'] for r in results):.0f} s")
        return 1 if total_fail else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
