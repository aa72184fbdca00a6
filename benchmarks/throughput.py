#!/usr/bin/env python3
"""Throughput of the full pipeline on a JSONL(.gz) corpus: articles/s, words/s, peak RSS, time per stage.

    .venv/bin/python benchmarks/throughput.py ../shared/data/saudinewsnet/articles.jsonl.gz --workers 1 2
    .venv/bin/python benchmarks/throughput.py CORPUS --limit 2000 --workers 1 2   # a quick look

Prints a markdown table (paste it into benchmarks/README.md with the command). With several worker
counts it also checks that every run produced identical output (same events, same order).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import resource
import sys
import time
from itertools import islice


def _peak_rss_mb() -> float:
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(self_kb, child_kb) / 1024


def run(path: str, workers: int, limit: int | None) -> dict:
    from rasd.doc import Document
    from rasd.extract import extract_many
    from rasd.ingest.readers import read_path

    digest = hashlib.sha256()
    n_docs = n_words = n_events = n_errors = 0
    t0 = time.perf_counter()
    items = read_path(path)
    if limit:
        items = islice(items, limit)
    for item in extract_many(items, workers=workers):
        if not isinstance(item, Document):
            n_errors += 1
            continue
        n_docs += 1
        n_words += len(item.text.split())
        n_events += len(item.events)
        digest.update(json.dumps([e.to_dict() for e in item.events], ensure_ascii=False, sort_keys=True).encode())
    elapsed = time.perf_counter() - t0
    return {
        "workers": workers,
        "articles": n_docs,
        "words": n_words,
        "events": n_events,
        "errors": n_errors,
        "seconds": round(elapsed, 2),
        "articles_per_s": round(n_docs / elapsed, 1),
        "words_per_s": round(n_words / elapsed),
        "output_sha256": digest.hexdigest()[:16],
    }


def stage_times(path: str, limit: int) -> dict[str, float]:
    """Seconds per pipeline component over ``limit`` documents in this process."""
    from rasd.doc import Document
    from rasd.ingest.readers import read_path
    from rasd.pipeline import Pipeline

    pipe = Pipeline(profile=True)
    n = 0
    for item in islice(read_path(path), limit):
        if isinstance(item, Document):
            pipe(item)
            n += 1
    return {name: round(sec * 1000 / max(1, n), 3) for name, sec in pipe.timings.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles")
    ap.add_argument("--stage-sample", type=int, default=1000, help="articles profiled per stage")
    args = ap.parse_args()
    rows = []
    for w in args.workers:
        # Each run in a fresh process so that peak RSS and warm caches do not leak between runs.
        import subprocess

        code = (
            "import json,sys; sys.path.insert(0, %r); from benchmarks.throughput import run, _peak_rss_mb; "
            "r = run(%r, %d, %r); r['peak_rss_mb'] = round(_peak_rss_mb()); print(json.dumps(r))"
        ) % (str(__import__("pathlib").Path(__file__).resolve().parents[1]), args.corpus, w, args.limit)
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(json.dumps(rows[-1]), file=sys.stderr)
    stages = stage_times(args.corpus, args.stage_sample)
    print("| workers | articles | words | events | seconds | articles/s | words/s | peak RSS (MB) | output hash |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['workers']} | {r['articles']} | {r['words']} | {r['events']} | {r['seconds']} | "
              f"{r['articles_per_s']} | {r['words_per_s']} | {r['peak_rss_mb']} | `{r['output_sha256']}` |")
    same = len({r["output_sha256"] for r in rows}) == 1
    print(f"\nIdentical output across worker counts: {'yes' if same else 'NO'}")
    print(f"\nms per article by stage (first {args.stage_sample} articles, one process):\n")
    print("| " + " | ".join(stages) + " |")
    print("|" + "---|" * len(stages))
    print("| " + " | ".join(str(v) for v in stages.values()) + " |")


if __name__ == "__main__":
    main()
