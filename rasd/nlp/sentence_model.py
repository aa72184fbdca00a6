"""A small learned filter: does this sentence report an assault / a protest that happened?

Trigger words find candidate sentences with high recall, but news is full of
sentences that use the same words for history, analysis, threats and trials.
A logistic regression over the sentence's words, trigger types and cue kinds
(features computed from the same lexicons the rules use) scores each candidate
sentence; the event extractor keeps a candidate only when the model agrees.

Pure Python (no numpy needed); the artefact is a JSON file of weights with a
card saying what it was trained on (``scripts/train_event_classifier.py``).
"""
from __future__ import annotations

import json
import math
import random
import re
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

from rasd.artefacts import newest_shipped
from rasd.nlp.triggers import cue_matcher, trigger_matcher
from rasd.text.lexicon import WORD_RE
from rasd.text.normalize import normalize_plain

CATEGORIES = ("ASSAULT", "PROTEST")
_STRIP = re.compile(r"^(?:وال|فال|بال|كال|لل|ال|و|ف|ب|ل)(?=\w{3,})")
_DIGIT = re.compile(r"\d")
_DATE_WORDS = {"امس", "اليوم", "الاحد", "الاثنين", "الثلاثاء", "الاربعاء", "الخميس", "الجمعه", "السبت", "فجر", "مساء", "صباح", "ليله"}


def sentence_features(text: str) -> list[str]:
    """Sparse binary features of a sentence (normalised words, lexicon hits, shape cues)."""
    norm = normalize_plain(text)
    feats: set[str] = set()
    for tok in WORD_RE.findall(norm):
        if _DIGIT.search(tok):
            feats.add("HAS_NUMBER")
            continue
        stem = _STRIP.sub("", tok)
        feats.add("w=" + stem)
        if tok in _DATE_WORDS or stem in _DATE_WORDS:
            feats.add("DATE_WORD")
    for _, _, trig in trigger_matcher().find(norm):
        feats.add("trig=" + (trig.sub_event_type if not trig.reports_deaths else "death"))
        feats.add("trigtype=" + trig.event_type)
        feats.add("trigrole=" + trig.role)
    for _, _, cue in cue_matcher().find(norm):
        feats.add("cue=" + cue.cue)
    feats.add("BIAS")
    return sorted(feats)


class SentenceModel:
    """Binary logistic regression per category over ``sentence_features``."""

    def __init__(self, weights: dict[str, dict[str, float]], card: dict | None = None) -> None:
        self.weights = weights
        self.card = card or {}

    def prob(self, text: str, category: str) -> float:
        return self.prob_features(sentence_features(text), category)

    def prob_features(self, feats: Sequence[str], category: str) -> float:
        w = self.weights.get(category, {})
        z = sum(w.get(f, 0.0) for f in feats)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    @classmethod
    def train(
        cls,
        examples: dict[str, list[tuple[list[str], int]]],
        epochs: int = 30,
        lr: float = 0.2,
        l2: float = 1e-4,
        seed: int = 13,
        min_count: int = 2,
    ) -> "SentenceModel":
        """SGD logistic regression; features seen fewer than ``min_count`` times are ignored."""
        rng = random.Random(seed)
        weights: dict[str, dict[str, float]] = {}
        for cat, data in examples.items():
            counts: dict[str, int] = {}
            for feats, _ in data:
                for f in feats:
                    counts[f] = counts.get(f, 0) + 1
            keep = {f for f, c in counts.items() if c >= min_count or not f.startswith("w=")}
            pos = sum(y for _, y in data)
            # Balance classes: positives are rare, and a missed event costs more than a spurious one.
            pos_weight = (len(data) - pos) / max(1, pos)
            w: dict[str, float] = {}
            order = list(range(len(data)))
            for epoch in range(epochs):
                rng.shuffle(order)
                step = lr / (1 + epoch * 0.1)
                for i in order:
                    feats, y = data[i]
                    feats = [f for f in feats if f in keep]
                    z = sum(w.get(f, 0.0) for f in feats)
                    p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
                    g = (p - y) * (pos_weight if y else 1.0)
                    for f in feats:
                        w[f] = w.get(f, 0.0) * (1 - step * l2) - step * g
            weights[cat] = {f: round(v, 5) for f, v in w.items() if abs(v) > 1e-4}
        return cls(weights)

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps({"card": self.card, "weights": self.weights}, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> "SentenceModel":
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls(data["weights"], data.get("card"))


def shipped_model_path() -> Path | None:
    """The newest shipped artefact (names are dated: event-sentence-lr-YYYYMMDD.json)."""
    return newest_shipped("event-sentence-lr-", ".json")


@lru_cache(maxsize=1)
def default_model() -> SentenceModel | None:
    path = shipped_model_path()
    return SentenceModel.load(path) if path else None


def load_sentence_examples(path: str | Path) -> dict[str, list[tuple[list[str], int]]]:
    """Training pairs from a sentence gold file (``ambiguous`` left out)."""
    out: dict[str, list[tuple[list[str], int]]] = {c: [] for c in CATEGORIES}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            rec = json.loads(line)
            if rec.get("category") in out and rec.get("label") != "ambiguous":
                out[rec["category"]].append((sentence_features(rec["text"]), int(rec["label"] == "yes")))
    return out


def cross_validate(examples: dict[str, list[tuple[list[str], int]]], folds: int = 5, threshold: float = 0.5,
                   seed: int = 13, **train_kw) -> dict[str, dict[str, float]]:
    """k-fold P/R/F1 per category for a candidate threshold (honest figure for a held-out set)."""
    out: dict[str, dict[str, float]] = {}
    for cat, data in examples.items():
        idx = list(range(len(data)))
        random.Random(seed).shuffle(idx)
        tp = fp = fn = 0
        for k in range(folds):
            test = set(idx[k::folds])
            train = [data[i] for i in idx if i not in test]
            model = SentenceModel.train({cat: train}, **train_kw)
            for i in test:
                feats, y = data[i]
                pred = model.prob_features(feats, cat) >= threshold
                tp += pred and y
                fp += pred and not y
                fn += (not pred) and y
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        out[cat] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}
    return out



__all__ = ["SentenceModel", "sentence_features", "default_model", "load_sentence_examples", "cross_validate", "CATEGORIES"]
