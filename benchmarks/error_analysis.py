#!/usr/bin/env python3
"""Error classes of the pipeline on a gold article file (GUIDELINES.md matching).

    .venv/bin/python benchmarks/error_analysis.py ../shared/gold/dev.jsonl [--examples]

Every gold event that no prediction matches is put in one class, checked in this order:
wrong type (a prediction has the right place and day but another event_type), wrong place (right
type and day, place over 50 km away), wrong date (right type and place, more than a day off),
missed (nothing comparable). Every unmatched prediction is spurious; predictions that match a gold
event already matched by another prediction of the same article count as split (one incident coded
as several events). Prints a markdown table.
"""
from __future__ import annotations

import argparse
from collections import Counter

from rasd.doc import Document
from rasd.eval import _date, haversine_km, match_events, read_jsonl
from rasd.extract import extract_many
from rasd.ingest.readers import read_path


def _near(p: dict, g: dict) -> bool:
    coords = [p.get("latitude"), p.get("longitude"), g.get("latitude"), g.get("longitude")]
    if all(isinstance(c, (int, float)) for c in coords):
        return haversine_km(*coords) <= 50
    return bool(g.get("admin1")) and p.get("admin1") == g.get("admin1")


def _day_ok(p: dict, g: dict) -> bool:
    a, b = _date(p.get("event_date")), _date(g.get("event_date"))
    return a is not None and b is not None and abs((a - b).days) <= 1


def classify(pred: list[dict], gold: list[dict]) -> tuple[Counter, list[tuple[str, dict]]]:
    counts: Counter = Counter()
    examples: list[tuple[str, dict]] = []
    pairs = match_events(pred, gold)
    matched_g = {g for g, _ in pairs}
    matched_p = {p for _, p in pairs}
    counts["matched"] += len(pairs)
    for gi, g in enumerate(gold):
        if gi in matched_g:
            continue
        if any(_near(p, g) and _day_ok(p, g) for p in pred):
            cls = "wrong type"
        elif any(p.get("event_type") == g.get("event_type") and _day_ok(p, g) for p in pred):
            cls = "wrong place"
        elif any(p.get("event_type") == g.get("event_type") and _near(p, g) for p in pred):
            cls = "wrong date"
        else:
            cls = "missed"
        counts[cls] += 1
        examples.append((cls, g))
    for pj, p in enumerate(pred):
        if pj in matched_p:
            continue
        twin = any(
            p.get("event_type") == gold[gi].get("event_type") and _near(p, gold[gi]) and _day_ok(p, gold[gi])
            for gi in matched_g
        )
        cls = "split (duplicate of a matched event)" if twin else "spurious"
        counts[cls] += 1
        examples.append((cls, p))
    return counts, examples


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold")
    ap.add_argument("--examples", action="store_true", help="print each error with its evidence")
    args = ap.parse_args()
    gold = {str(r["id"]): r.get("events", []) for r in read_jsonl(args.gold)}
    total: Counter = Counter()
    for doc in extract_many(read_path(args.gold)):
        if not isinstance(doc, Document):
            continue
        counts, examples = classify([e.to_dict() for e in doc.events], gold.get(doc.id, []))
        total.update(counts)
        if args.examples:
            for cls, ev in examples:
                print(f"{doc.id}\t{cls}\t{ev.get('event_type')}/{ev.get('sub_event_type')}\t{ev.get('event_date')}\t"
                      f"{ev.get('location')}\t{str(ev.get('evidence', ''))[:120]}")
    print("| class | count |\n|---|---|")
    for cls in ("matched", "missed", "wrong type", "wrong place", "wrong date", "spurious",
                "split (duplicate of a matched event)"):
        print(f"| {cls} | {total.get(cls, 0)} |")


if __name__ == "__main__":
    main()
