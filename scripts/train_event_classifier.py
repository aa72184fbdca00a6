#!/usr/bin/env python3
"""Train the sentence-level event filter shipped as rasd/models/event-sentence-lr-YYYYMMDD.json.

Data: the sentence gold file (openeventdata/arabic_event_gsr, MIT), `ambiguous` labels left out.
Prints a 5-fold cross-validated P/R/F1 (the honest figure for unseen sentences) before training
on everything. Deterministic (fixed seed).

    .venv/bin/python scripts/train_event_classifier.py ../shared/gold/sentences_dev.jsonl
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

from rasd.nlp.sentence_model import SentenceModel, cross_validate, load_sentence_examples

PARAMS = {"epochs": 10, "min_count": 8, "l2": 1e-3, "lr": 0.2, "seed": 13}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sentences", help="sentence gold JSONL (category, label, text)")
    ap.add_argument("--out", default=None, help="output path (default: rasd/models/event-sentence-lr-<today>.json)")
    ap.add_argument("--threshold", type=float, default=0.5)
    args = ap.parse_args()
    examples = load_sentence_examples(args.sentences)
    cv = cross_validate(examples, threshold=args.threshold, **PARAMS)
    print(json.dumps({"cross_validated_5fold": cv}, indent=2))
    model = SentenceModel.train(examples, **PARAMS)
    today = dt.date.today().strftime("%Y%m%d")
    out = Path(args.out or Path(__file__).resolve().parents[1] / "rasd" / "models" / f"event-sentence-lr-{today}.json")
    model.card = {
        "name": out.stem,
        "trained_on": Path(args.sentences).name,
        "examples": {k: len(v) for k, v in examples.items()},
        "positives": {k: sum(y for _, y in v) for k, v in examples.items()},
        "params": PARAMS,
        "threshold": args.threshold,
        "cross_validated_5fold": cv,
        "script": "scripts/train_event_classifier.py",
    }
    model.save(out)
    print(f"wrote {out} ({out.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
