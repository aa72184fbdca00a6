"""Mutation fuzzing of the readers and ``extract``.

    python benchmarks/fuzz_extract.py --seconds 60 [--limit 5] [--out fuzz_out] [--seed 0]

Seeds are the bundled samples (and /work/shared/seed_article.txt when present).
Each round mutates one seed's bytes (bit/byte flips, truncation, splices of two
seeds, repeated chunks, inserted marks/NULs/control characters, swapped
encodings), then (1) feeds the bytes to ``read_stream`` and (2) runs ``extract``
on every Document under a per-document time limit (``rasd.guard``).

Reported: crashes (an exception out of the reader, or ``extract`` recording an
error), hangs (time limit hit), and broken spans (``text[start:end] != span``).
Each distinct finding's input is written to ``--out`` for a minimal repro.
Exit code 1 when anything was found.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import json
import random
import sys
import time
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from rasd.doc import Document  # noqa: E402
from rasd.extract import extract  # noqa: E402
from rasd.guard import run_with_limit  # noqa: E402
from rasd.ingest.readers import read_stream  # noqa: E402
from rasd.pipeline import default_pipeline  # noqa: E402

MARKS = ["\u064e", "\u0651", "\u0640", "\u200f", "\u200d", "\u00a0", "\ufeff", "\x00", "\r", "\u2028", "؟", "،", ".",
         "\n\n", "«", "»", "٣", "ـ", "<p>", "</div>", "&amp;", "\\u0000", '"', "{", "}"]


def load_seeds() -> list[bytes]:
    seeds = [p.read_bytes() for p in sorted((REPO / "samples").iterdir()) if p.is_file() and p.suffix != ".md"]
    shared = REPO.parent / "shared" / "seed_article.txt"
    if shared.exists():
        seeds.append(shared.read_bytes())
    return seeds


def mutate(rng: random.Random, seeds: list[bytes]) -> bytes:
    data = bytearray(rng.choice(seeds))
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(9)
        n = len(data)
        if op == 0 and n:  # bit flips
            for _ in range(rng.randint(1, 8)):
                i = rng.randrange(n)
                data[i] ^= 1 << rng.randrange(8)
        elif op == 1 and n:  # random bytes
            for _ in range(rng.randint(1, 8)):
                data[rng.randrange(n)] = rng.randrange(256)
        elif op == 2 and n:  # truncate (often mid-character)
            data = data[: rng.randrange(n)]
        elif op == 3:  # splice with another seed
            other = rng.choice(seeds)
            a, b = rng.randrange(len(data) + 1), rng.randrange(len(other) + 1)
            data = data[:a] + other[b:]
        elif op == 4 and n:  # repeat a chunk many times
            a = rng.randrange(n)
            chunk = data[a: a + rng.randint(1, 200)]
            data[a:a] = chunk * rng.randint(2, 300)
        elif op == 5:  # insert marks
            for _ in range(rng.randint(1, 20)):
                i = rng.randrange(len(data) + 1)
                data[i:i] = rng.choice(MARKS).encode()
        elif op == 6 and n:  # delete a range
            a = rng.randrange(n)
            del data[a: a + rng.randint(1, 500)]
        elif op == 7:  # re-encode
            text = bytes(data).decode("utf-8", "replace")
            enc = rng.choice(["utf-16", "utf-16-le", "cp1256", "utf-8-sig"])
            data = bytearray(text.encode(enc, "replace"))
        elif op == 8 and n:  # shuffle lines
            lines = bytes(data).split(b"\n")
            rng.shuffle(lines)
            data = bytearray(b"\n".join(lines))
    return bytes(data)


def check_spans(doc: Document) -> str | None:
    t = doc.text
    for s in doc.sentences:
        if t[s.start:s.end] != s.text:
            return f"sentence span {s.start}:{s.end}"
    for m in doc.mentions:
        if t[m.start:m.end] != m.text:
            return f"mention {m.label} {m.start}:{m.end}"
    for ev in doc.events:
        for s in ev.evidence:
            if t[s.start:s.end] != s.text:
                return f"evidence {s.start}:{s.end}"
        for name, d in ev.decisions.items():
            for s in d.spans:
                if t[s.start:s.end] != s.text:
                    return f"provenance {name} {s.start}:{s.end}"
    return None


def run(seconds: float, limit: float, out: Path, seed: int) -> dict:
    rng = random.Random(seed)
    seeds = load_seeds()
    default_pipeline()
    findings: dict[str, dict] = {}
    stats = {"inputs": 0, "documents": 0, "slowest_s": 0.0}
    deadline = time.monotonic() + seconds

    def found(kind: str, key: str, data: bytes, detail: str) -> None:
        sig = f"{kind}:{key}"
        if sig not in findings:
            name = f"{kind}-{hashlib.sha1(data).hexdigest()[:10]}.bin"
            out.mkdir(parents=True, exist_ok=True)
            (out / name).write_bytes(data)
            findings[sig] = {"kind": kind, "where": key, "detail": detail[-1500:], "repro": str(out / name), "count": 0}
        findings[sig]["count"] += 1

    while time.monotonic() < deadline:
        data = mutate(rng, seeds)
        stats["inputs"] += 1
        name = rng.choice(["-", "x.txt", "x.html", "x.jsonl", "x.json"])
        try:
            items = list(read_stream(io.BufferedReader(io.BytesIO(data)), name))  # type: ignore[arg-type]
        except Exception as exc:  # the reader must turn every problem into an IngestError
            tb = traceback.extract_tb(exc.__traceback__)[-1]
            found("reader-crash", f"{type(exc).__name__}@{Path(tb.filename).name}:{tb.lineno}", data,
                  traceback.format_exc(limit=6))
            continue
        for doc in items:
            if not isinstance(doc, Document):
                continue
            if rng.random() < 0.3:
                doc.published = rng.choice([None, dt.date(2019, 3, 1), dt.date(1900, 1, 1), dt.date(2100, 12, 31)])
            stats["documents"] += 1
            g = run_with_limit(extract, doc, seconds=limit)
            stats["slowest_s"] = max(stats["slowest_s"], g.seconds)
            if not g.ok:
                found("hang", f"{len(doc.text)} chars", doc.text.encode("utf-8", "surrogatepass"), g.skipped or "")
                continue
            if g.value.meta.get("error"):
                tb = g.value.meta["error"].strip().splitlines()
                where = next((ln.strip() for ln in reversed(tb) if ln.strip().startswith("File")), "?")
                found("extract-crash", f"{tb[-1][:80]} @ {where[-80:]}", doc.text.encode("utf-8", "surrogatepass"),
                      g.value.meta["error"])
                continue
            bad = check_spans(g.value)
            if bad:
                found("span", bad.split(" ")[0], doc.text.encode("utf-8", "surrogatepass"), bad)
    return {**stats, "seconds": seconds, "limit_s": limit, "findings": list(findings.values())}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--limit", type=float, default=5.0, help="per-document wall-clock limit (s)")
    ap.add_argument("--out", type=Path, default=Path("fuzz_out"))
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    report = run(args.seconds, args.limit, args.out, args.seed)
    print(json.dumps(report, ensure_ascii=False, indent=1))
    sys.exit(1 if report["findings"] else 0)


if __name__ == "__main__":
    main()
