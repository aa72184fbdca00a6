#!/usr/bin/env python3
"""Train the stacked sentence detector shipped as rasd/models/event-sentence-stack-YYYYMMDD.json.

Data: the sentence gold file (openeventdata/arabic_event_gsr, MIT), one binary label per sentence
for its category (ASSAULT or PROTEST; ``yes`` positive, ``easy no`` / ``difficult no`` negative).
``ambiguous`` sentences (exactly one coder rejected) are never scored, but they are coded text: with
``--ambiguous majority`` they join every training part with the label most of their coders gave
(accepted by more than rejected: positive), and ``select`` (the default) lets cross-validation decide
per category whether they help. Features (rasd.nlp.sentence_stack): what the rule pipeline makes of the
sentence (``evidence``), the frozen e5 passage embedding (``e5``) and, optionally, the fine-tuned
detector's logit (``e5lora``). The shipped adapter was trained on every sentence of this file, so
its own scores here would be in-sample: ``e5lora`` is read from the out-of-fold scores that
``scripts/train_sentence_e5.py train --no-refit`` writes (``oof-<setting>.npy``, epochs x sentences,
each sentence scored by the fold model that did not see it), for the epoch the shipped card chose;
those cover the scored sentences only, so ``e5lora`` leaves the ambiguous ones out.

Selection: the L2 strength C, the threshold and the use of ambiguous sentences by 5-fold
cross-validation repeated over five shuffles (the best mean F1); the figure printed and written on
the card is that mean, with each shuffle's figure and the first shuffle's (seed 13, the other
detectors' protocol) beside it. The card also gives the chosen setting's figure with folds drawn by
article (every sentence of one article, ambiguous ones included, on the same side of the split), the
stricter estimate for sentences of articles the detector never saw.

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
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rasd.nlp.sentence_stack import (  # noqa: E402
    CATEGORIES, StackedDetector, feature_names, fit_logistic, input_features,
)

C_GRID = (0.001, 0.003, 0.01)
THRESHOLD_GRID = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9)
AMBIGUOUS_CHOICES = ("omit", "majority")
FOLDS = 5
SEEDS = (13, 1, 2, 3, 4)
MIN_COUNT = 3


@dataclass(frozen=True)
class Sentence:
    text: str
    category: str
    label: int | None  # the scored label; None for an ambiguous sentence
    majority: int  # what most of its coders said (the label, for a scored sentence)
    article: str


def article_of(sentence_id: str, position: int) -> str:
    """The article a sentence comes from: its id without the sentence number
    ("AAW_ARB_20071026.0026-2" -> "AAW_ARB_20071026.0026", "<hash>_6" -> "<hash>")."""
    for sep in ("-", "_"):
        head, _, tail = sentence_id.rpartition(sep)
        if head and tail.isdigit():
            return head
    return sentence_id or f"#{position}"


def load(path: Path) -> list[Sentence]:
    """Every ASSAULT and PROTEST sentence in file order, ambiguous ones included (label None)."""
    out: list[Sentence] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        if rec.get("category") not in CATEGORIES:
            continue
        if rec.get("label") == "ambiguous":
            label, majority = None, int(rec.get("accept", 0) > rec.get("reject", 0))
        else:
            label = majority = int(rec["label"] == "yes")
        out.append(Sentence(rec["text"], rec["category"], label, majority,
                            article_of(str(rec.get("id", "")), len(out))))
    return out


def prf(pred: np.ndarray, gold: np.ndarray) -> dict[str, float]:
    tp = int((pred & gold).sum())
    p = tp / pred.sum() if pred.sum() else 0.0
    r = tp / gold.sum() if gold.sum() else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


@dataclass
class Design:
    """One category's feature matrix: the scored sentences, then the ambiguous ones."""
    X: np.ndarray
    names: list[str]
    y: np.ndarray  # the scored sentences' labels
    extra_y: np.ndarray  # the ambiguous sentences' majority labels
    articles: list[str]  # per row of X

    @property
    def scored(self) -> int:
        return len(self.y)


def folds(design: Design, seed: int, by_article: bool) -> list[np.ndarray]:
    """Test indices (into the scored sentences) of each fold."""
    idx = np.random.RandomState(seed).permutation(design.scored)
    if not by_article:
        return [idx[k::FOLDS] for k in range(FOLDS)]
    articles = sorted(set(design.articles[:design.scored]))
    order = np.random.RandomState(seed).permutation(len(articles))
    fold_of = {a: int(order[k]) % FOLDS for k, a in enumerate(articles)}
    return [np.array([i for i in idx if fold_of[design.articles[i]] == k], dtype=int) for k in range(FOLDS)]


def out_of_fold(design: Design, C: float, seed: int, ambiguous: str, by_article: bool = False) -> np.ndarray:
    """Out-of-fold probabilities of the scored sentences; binary features are chosen on each training
    part alone. Ambiguous sentences train (never test), and by article only those whose article has
    no sentence in the test part."""
    X, names, n = design.X, design.names, design.scored
    probs = np.zeros(n)
    dense = np.array([f.startswith(("e5[", "e5lora:")) for f in names])
    for test in folds(design, seed, by_article):
        train = np.setdiff1d(np.arange(n), test)
        if ambiguous == "majority":
            held = {design.articles[i] for i in test} if by_article else set()
            extra = [n + j for j in range(len(design.extra_y)) if design.articles[n + j] not in held]
            rows = np.concatenate([train, np.array(extra, dtype=int)])
            y = np.concatenate([design.y[train], design.extra_y[np.array(extra, dtype=int) - n]])
        else:
            rows, y = train, design.y[train]
        cols = dense | ((X[rows] != 0).sum(0) >= MIN_COUNT)
        A, B = X[np.ix_(rows, cols)], X[np.ix_(test, cols)]
        mean, scale = A.mean(0), A.std(0)
        scale[scale == 0] = 1.0
        w, b = fit_logistic((A - mean) / scale, y, C)
        probs[test] = 1.0 / (1.0 + np.exp(-np.clip(((B - mean) / scale) @ w + b, -30, 30)))
    return probs


def select(design: Design, ambiguous_choices: tuple[str, ...]) -> dict:
    gold = design.y.astype(bool)
    table = {}  # (ambiguous, C, threshold) -> one score per shuffle
    for ambiguous in ambiguous_choices:
        for C in C_GRID:
            for seed in SEEDS:
                p = out_of_fold(design, C, seed, ambiguous)
                for t in THRESHOLD_GRID:
                    table.setdefault((ambiguous, C, t), []).append(prf(p >= t, gold))
    mean_f1 = {key: float(np.mean([s["f1"] for s in scores])) for key, scores in table.items()}
    (ambiguous, C, t) = max(table, key=lambda key: mean_f1[key])
    scores = table[(ambiguous, C, t)]
    mean = {k: round(float(np.mean([s[k] for s in scores])), 4) for k in ("precision", "recall", "f1")}
    by_article = [prf(out_of_fold(design, C, seed, ambiguous, by_article=True) >= t, gold) for seed in SEEDS]
    return {"C": C, "threshold": t, "ambiguous": ambiguous, **mean, "per_shuffle_f1": [s["f1"] for s in scores],
            "seed_13": scores[0],
            "best_f1_per_ambiguous_choice": {a: round(max(v for k, v in mean_f1.items() if k[0] == a), 4)
                                             for a in ambiguous_choices},
            "by_article": {k: round(float(np.mean([s[k] for s in by_article])), 4)
                           for k in ("precision", "recall", "f1")}}


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
    ap.add_argument("--ambiguous", choices=("select",) + AMBIGUOUS_CHOICES, default="select",
                    help="train on ambiguous sentences with their majority label, leave them out, or let CV choose")
    ap.add_argument("--e5lora-oof", type=Path, default=None,
                    help="out-of-fold scores of the shipped adapter's setting (train_sentence_e5.py --no-refit)")
    ap.add_argument("--e5lora-epoch", type=int, default=0,
                    help="epoch row of the OOF file (default: the shipped adapter card's epochs)")
    ap.add_argument("--out", type=Path, default=None,
                    help="output path (default: rasd/models/event-sentence-stack-<today>.json)")
    args = ap.parse_args()
    inputs = [s for s in args.inputs.split(",") if s]
    sentences = load(args.sentences)
    choices = AMBIGUOUS_CHOICES if args.ambiguous == "select" else (args.ambiguous,)
    lora = None
    if "e5lora" in inputs:
        if args.e5lora_oof is None:
            ap.error("the e5lora input needs --e5lora-oof (the shipped adapter's own scores would be in-sample)")
        from rasd.nlp.sentence_encoder import adapter_card

        sentences = [s for s in sentences if s.label is not None]  # the OOF file scores these only
        choices = ("omit",)
        card = adapter_card()
        epoch = args.e5lora_epoch or int(card["epochs"])
        oof = np.load(args.e5lora_oof)
        if oof.shape[1] != len(sentences):
            sys.exit(f"{args.e5lora_oof} scores {oof.shape[1]} sentences, the gold file has {len(sentences)}")
        lora = [{s.category: float(p)} for s, p in zip(sentences, oof[epoch - 1])]
    t0 = time.time()
    rows = input_features([s.text for s in sentences], inputs, e5lora_probs=lora)
    print(json.dumps({"features_s": round(time.time() - t0, 1)}), file=sys.stderr)
    cv: dict[str, dict] = {}
    for cat in CATEGORIES:
        scored = [i for i, s in enumerate(sentences) if s.category == cat and s.label is not None]
        ambiguous = [i for i, s in enumerate(sentences) if s.category == cat and s.label is None]
        keep = scored + ambiguous
        names = feature_names([rows[i] for i in keep], min_count=1)
        design = Design(X=np.array([[rows[i].get(f, 0.0) for f in names] for i in keep], dtype=np.float64),
                        names=names, y=np.array([sentences[i].label for i in scored], dtype=np.int64),
                        extra_y=np.array([sentences[i].majority for i in ambiguous], dtype=np.int64),
                        articles=[sentences[i].article for i in keep])
        cv[cat] = select(design, choices)
        print(json.dumps({cat: cv[cat]}), file=sys.stderr)
    per_cat = {c: [None if s.category != c or (s.label is None and cv[c]["ambiguous"] == "omit") else s.majority
                   for s in sentences] for c in CATEGORIES}
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
        "examples": {c: sum(1 for s in sentences if s.category == c and s.label is not None) for c in CATEGORIES},
        "positives": {c: sum(1 for s in sentences if s.category == c and s.label) for c in CATEGORIES},
        "ambiguous_trained_on": {c: sum(1 for s in sentences if s.category == c and s.label is None)
                                 if cv[c]["ambiguous"] == "majority" else 0 for c in CATEGORIES},
        "selection": (f"C in {list(C_GRID)}, threshold in {list(THRESHOLD_GRID)} and ambiguous sentences in "
                      f"{list(choices)} by the mean F1 of {FOLDS}-fold CV over shuffles {list(SEEDS)} (ambiguous "
                      f"sentences train, never test); binary features seen in >= {MIN_COUNT} training sentences"),
        "cross_validated_5fold": cv,
        "script": "scripts/train_sentence_stack.py",
        # The evidence features are what the rules make of a sentence: after a change to the rules
        # or lexicons, retrain (the figure on this card is for the rules of this commit).
        "rules_commit": _commit(),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    stack.save(out)
    print(json.dumps({"cross_validated_5fold": {c: {k: cv[c][k] for k in ("precision", "recall", "f1", "C", "threshold",
                                                                          "ambiguous", "by_article")}
                                                for c in CATEGORIES}}, indent=1))
    print(f"wrote {out} ({out.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
