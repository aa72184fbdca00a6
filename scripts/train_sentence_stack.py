#!/usr/bin/env python3
"""Train the stacked sentence detector shipped as rasd/models/event-sentence-stack-YYYYMMDD.json.

Data: the sentence gold file (openeventdata/arabic_event_gsr, MIT), one binary label per sentence
for its category (ASSAULT or PROTEST; ``yes`` positive, ``easy no`` / ``difficult no`` negative,
``ambiguous`` left out). Features (rasd.nlp.sentence_stack): what the rule pipeline makes of the
sentence (``evidence``), the frozen e5 passage embedding (``e5``) and, optionally, the fine-tuned
detector's logit (``e5lora``). The shipped adapter was trained on every sentence of this file, so
its own scores here would be in-sample: ``e5lora`` is read from the out-of-fold scores that
``scripts/train_sentence_e5.py train --no-refit`` writes (``oof-<setting>.npy``, epochs x sentences,
each sentence scored by the fold model that did not see it), for the epoch the shipped card chose.

Selection: the L2 strength C and the threshold by 5-fold cross-validation repeated over five
shuffles (the best mean F1); the figure printed and written on the card is that mean, with each
shuffle's figure and the first shuffle's (seed 13, the other detectors' protocol) beside it.

    .venv/bin/python scripts/train_sentence_stack.py ../shared/gold/sentences_dev.jsonl
    .venv/bin/python scripts/train_sentence_stack.py ../shared/gold/sentences_dev.jsonl \\
        --inputs evidence,e5,e5lora --e5lora-oof OUT/oof-lora16-lr1e-3.npy
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rasd.nlp.sentence_stack import (  # noqa: E402
    CATEGORIES, StackedDetector, feature_names, fit_logistic, input_features,
)

C_GRID = (0.001, 0.003, 0.01)
THRESHOLD_GRID = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
FOLDS = 5
SEEDS = (13, 1, 2, 3, 4)
MIN_COUNT = 3


def load(path: Path) -> tuple[list[str], list[str], list[int]]:
    """Texts, categories and labels in file order (the order train_sentence_e5.py prepares)."""
    texts, cats, labels = [], [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        if rec.get("category") not in CATEGORIES or rec.get("label") == "ambiguous":
            continue
        texts.append(rec["text"])
        cats.append(rec["category"])
        labels.append(int(rec["label"] == "yes"))
    return texts, cats, labels


def prf(pred: np.ndarray, gold: np.ndarray) -> dict[str, float]:
    tp = int((pred & gold).sum())
    p = tp / pred.sum() if pred.sum() else 0.0
    r = tp / gold.sum() if gold.sum() else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def out_of_fold(X: np.ndarray, names: list[str], y: np.ndarray, C: float, seed: int) -> np.ndarray:
    """Out-of-fold probabilities; binary features are chosen on each training part alone."""
    idx = np.random.RandomState(seed).permutation(len(y))
    probs = np.zeros(len(y))
    dense = np.array([n.startswith(("e5[", "e5lora:")) for n in names])
    for k in range(FOLDS):
        test = idx[k::FOLDS]
        train = np.setdiff1d(idx, test)
        cols = dense | ((X[train] != 0).sum(0) >= MIN_COUNT)
        A, B = X[np.ix_(train, cols)], X[np.ix_(test, cols)]
        mean, scale = A.mean(0), A.std(0)
        scale[scale == 0] = 1.0
        w, b = fit_logistic((A - mean) / scale, y[train], C)
        probs[test] = 1.0 / (1.0 + np.exp(-np.clip(((B - mean) / scale) @ w + b, -30, 30)))
    return probs


def select(X: np.ndarray, names: list[str], y: np.ndarray) -> dict:
    gold = y.astype(bool)
    table = {}  # (C, threshold) -> one score per shuffle
    for C in C_GRID:
        for seed in SEEDS:
            p = out_of_fold(X, names, y, C, seed)
            for t in THRESHOLD_GRID:
                table.setdefault((C, t), []).append(prf(p >= t, gold))
    (C, t), scores = max(table.items(), key=lambda kv: np.mean([s["f1"] for s in kv[1]]))
    mean = {k: round(float(np.mean([s[k] for s in scores])), 4) for k in ("precision", "recall", "f1")}
    return {"C": C, "threshold": t, **mean, "per_shuffle_f1": [s["f1"] for s in scores],
            "seed_13": scores[0]}


def _commit() -> str | None:
    import subprocess

    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=Path(__file__).resolve().parents[1],
                              capture_output=True, text=True, timeout=10).stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sentences", type=Path, help="sentence gold JSONL (category, label, text)")
    ap.add_argument("--inputs", default="evidence,e5", help="comma-separated: evidence, e5, e5lora")
    ap.add_argument("--e5lora-oof", type=Path, default=None,
                    help="out-of-fold scores of the shipped adapter's setting (train_sentence_e5.py --no-refit)")
    ap.add_argument("--e5lora-epoch", type=int, default=0,
                    help="epoch row of the OOF file (default: the shipped adapter card's epochs)")
    ap.add_argument("--out", type=Path, default=None,
                    help="output path (default: rasd/models/event-sentence-stack-<today>.json)")
    args = ap.parse_args()
    inputs = [s for s in args.inputs.split(",") if s]
    texts, cats, labels = load(args.sentences)
    lora = None
    if "e5lora" in inputs:
        if args.e5lora_oof is None:
            ap.error("the e5lora input needs --e5lora-oof (the shipped adapter's own scores would be in-sample)")
        from rasd.nlp.sentence_encoder import adapter_card

        card = adapter_card()
        epoch = args.e5lora_epoch or int(card["epochs"])
        oof = np.load(args.e5lora_oof)
        if oof.shape[1] != len(texts):
            sys.exit(f"{args.e5lora_oof} scores {oof.shape[1]} sentences, the gold file has {len(texts)}")
        lora = [{cat: float(p)} for cat, p in zip(cats, oof[epoch - 1])]
    t0 = time.time()
    rows = input_features(texts, inputs, e5lora_probs=lora)
    print(json.dumps({"features_s": round(time.time() - t0, 1)}), file=sys.stderr)
    cv: dict[str, dict] = {}
    for cat in CATEGORIES:
        keep = [i for i, c in enumerate(cats) if c == cat]
        names = feature_names([rows[i] for i in keep], min_count=1)
        X = np.array([[rows[i].get(f, 0.0) for f in names] for i in keep], dtype=np.float64)
        y = np.array([labels[i] for i in keep], dtype=np.int64)
        cv[cat] = select(X, names, y)
        print(json.dumps({cat: cv[cat]}), file=sys.stderr)
    per_cat = {c: [labels[i] if cats[i] == c else None for i in range(len(texts))] for c in CATEGORIES}
    stack = StackedDetector.train(rows, per_cat, inputs, C={c: cv[c]["C"] for c in CATEGORIES},
                                  thresholds={c: cv[c]["threshold"] for c in CATEGORIES}, min_count=MIN_COUNT)
    today = dt.date.today().strftime("%Y%m%d")
    out = args.out or Path(__file__).resolve().parents[1] / "rasd" / "models" / f"event-sentence-stack-{today}.json"
    stack.card = {
        "name": out.stem,
        "kind": "logistic regression per category over the rules' evidence and the e5 detectors",
        "inputs": inputs,
        "e5lora_training_scores": (f"out-of-fold, {args.e5lora_oof.name}, epoch {epoch}" if lora else None),
        "trained_on": args.sentences.name,
        "examples": {c: cats.count(c) for c in CATEGORIES},
        "positives": {c: sum(1 for k, y in zip(cats, labels) if k == c and y) for c in CATEGORIES},
        "selection": (f"C in {list(C_GRID)} and threshold in {list(THRESHOLD_GRID)} by the mean F1 of "
                      f"{FOLDS}-fold CV over shuffles {list(SEEDS)}; binary features seen in >= {MIN_COUNT} "
                      "training sentences"),
        "cross_validated_5fold": cv,
        "script": "scripts/train_sentence_stack.py",
        # The evidence features are what the rules make of a sentence: after a change to the rules
        # or lexicons, retrain (the figure on this card is for the rules of this commit).
        "rules_commit": _commit(),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    stack.save(out)
    print(json.dumps({"cross_validated_5fold": {c: {k: cv[c][k] for k in ("precision", "recall", "f1", "C", "threshold")}
                                                for c in CATEGORIES}}, indent=1))
    print(f"wrote {out} ({out.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
