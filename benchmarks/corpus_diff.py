"""What a rule change does to unseen articles: dump events before and after, list what changed.

Dev gold is small; a rule that helps dev can still hurt the corpus. Run the same articles through two
checkouts (the previous commit in a ``git worktree`` and the working tree) and read every changed value:

    git worktree add /tmp/rasd-before HEAD
    .venv/bin/python benchmarks/corpus_diff.py dump /tmp/rasd-before before.json --stop 8000
    .venv/bin/python benchmarks/corpus_diff.py dump . after.json --stop 8000
    .venv/bin/python benchmarks/corpus_diff.py compare before.json after.json --field fatalities

``dump`` imports rasd from the given checkout, so one virtual environment serves both.
"""
from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import sys
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "saudinewsnet" / "articles.jsonl.gz"
FIELDS = ("actor1", "actor2", "fatalities", "location", "event_date")


def dump(checkout: Path, out: Path, corpus: Path, start: int, stop: int) -> None:
    sys.path.insert(0, str(checkout.resolve()))
    from rasd.doc import Document
    from rasd.extract import extract

    rows: dict[str, list[dict]] = {}
    with gzip.open(corpus, "rt", encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if n < start:
                continue
            if n >= stop:
                break
            record = json.loads(line)
            if not record.get("text"):
                continue
            published = dt.date.fromisoformat(record["published"][:10]) if record.get("published") else None
            doc = extract(Document(id=str(n), text=record["text"], published=published))
            rows[str(n)] = [
                {**{f: ev[f] for f in ("event_type", "sub_event_type") + FIELDS},
                 "reasons": {f: ev.decisions[f].reason for f in FIELDS if f in ev.decisions},
                 "evidence": ev.evidence[0].text[:300] if ev.evidence else ""}
                for ev in doc.events
            ]
    out.write_text(json.dumps(rows, ensure_ascii=False))
    print(f"{len(rows)} articles, {sum(len(v) for v in rows.values())} events -> {out}")


def _key(ev: dict) -> tuple:
    return ev["event_type"], ev["sub_event_type"], ev["event_date"], ev["location"]


def compare(before_path: Path, after_path: Path, fields: list[str]) -> int:
    before = json.loads(before_path.read_text())
    after = json.loads(after_path.read_text())
    changes = 0
    for art in sorted(set(before) | set(after), key=int):
        old = {_key(e): e for e in before.get(art, [])}
        new = {_key(e): e for e in after.get(art, [])}
        for key in sorted(old.keys() - new.keys()):
            changes += 1
            print(f"-- {art} lost {key}\n   {old[key]['evidence'][:200]}")
        for key in sorted(new.keys() - old.keys()):
            changes += 1
            print(f"++ {art} new  {key}\n   {new[key]['evidence'][:200]}")
        for key in sorted(old.keys() & new.keys()):
            for f in fields:
                if old[key][f] != new[key][f]:
                    changes += 1
                    why = new[key]["reasons"].get(f, "")[:200]
                    print(f"## {art} {key} {f}: {old[key][f]} -> {new[key][f]} | {why}\n   {new[key]['evidence'][:200]}")
    print(f"{changes} changes")
    return changes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump", help="extract events from corpus articles with the rasd of CHECKOUT")
    d.add_argument("checkout", type=Path)
    d.add_argument("out", type=Path)
    d.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    d.add_argument("--start", type=int, default=0)
    d.add_argument("--stop", type=int, default=8000)
    c = sub.add_parser("compare", help="list events lost, gained, and fields changed")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    c.add_argument("--field", action="append", choices=FIELDS, help="fields to compare (default: all)")
    args = parser.parse_args()
    if args.command == "dump":
        dump(args.checkout, args.out, args.corpus, args.start, args.stop)
    else:
        compare(args.before, args.after, args.field or list(FIELDS))


if __name__ == "__main__":
    main()
