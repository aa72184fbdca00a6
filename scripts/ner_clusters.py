"""Distributional word clusters for the NER CRF, computed from a raw news corpus.

Unseen names share contexts with seen ones ("قال X", "مدينة X"); a cluster id
lets the CRF generalise from one to the other. Method: left/right neighbour
counts over the most frequent context words, PPMI, truncated SVD, spherical
k-means at several granularities (coarse to fine ids, like Brown-cluster
prefixes). Deterministic (fixed seed). Used by ``scripts/train_ner.py``.
"""
from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from pathlib import Path

import numpy as np

from rasd.text.normalize import normalize_plain

_WORD = re.compile(r"\w+")


def _iter_tokens(corpus: Path):
    with gzip.open(corpus, "rt", encoding="utf-8") as fh:
        for line in fh:
            art = json.loads(line)
            for para in (art.get("title") or "", art.get("text") or ""):
                yield _WORD.findall(normalize_plain(para))


def lloyd(x: np.ndarray, centres: np.ndarray, rng: np.random.Generator, iters: int,
          min_changes: int = 0) -> np.ndarray:
    """Spherical k-means iterations from ``centres`` (rows of ``x`` are unit vectors; ``centres`` is
    updated in place). Stops early once fewer than ``min_changes`` rows change cluster."""
    n, k = len(x), len(centres)
    assign = np.full(n, -1, dtype=np.int64)
    for _ in range(iters):
        new = np.empty(n, dtype=np.int64)
        for s in range(0, n, 8192):  # chunks keep the similarity matrix small
            new[s : s + 8192] = np.argmax(x[s : s + 8192] @ centres.T, axis=1)
        changed = int((new != assign).sum())
        assign = new
        for c in range(k):
            members = x[assign == c]
            if len(members):
                v = members.sum(axis=0)
                centres[c] = v / (np.linalg.norm(v) + 1e-9)
            else:  # re-seed an empty cluster
                centres[c] = x[rng.integers(n)]
        if changed < min_changes:
            break
    return assign


def _kmeans(x: np.ndarray, k: int, rng: np.random.Generator, iters: int = 25) -> np.ndarray:
    """Spherical k-means seeded with ``k`` random rows."""
    centres = x[rng.choice(len(x), size=k, replace=False)].copy()
    return lloyd(x, centres, rng, iters)


def build_clusters(
    corpus: Path,
    out: Path,
    vocab_size: int = 40000,
    n_context: int = 1500,
    dims: int = 100,
    ks: tuple[int, ...] = (64, 512),
    min_count: int = 5,
    seed: int = 13,
) -> dict:
    counts: Counter[str] = Counter()
    sents = []
    for toks in _iter_tokens(corpus):
        counts.update(toks)
        sents.append(toks)
    vocab = [w for w, c in counts.most_common(vocab_size) if c >= min_count]
    wid = {w: i for i, w in enumerate(vocab)}
    ctx = {w: i for i, w in enumerate(vocab[:n_context])}
    V, C = len(vocab), n_context
    rows: list[np.ndarray] = []
    for toks in sents:
        ids = np.array([wid.get(t, -1) for t in toks], dtype=np.int64)
        cids = np.array([ctx.get(t, -1) for t in toks], dtype=np.int64)
        if len(ids) < 2:
            continue
        # left neighbour block [0, C), right neighbour block [C, 2C), 2 tokens away in [2C, 4C)
        for shift, block in ((1, 0), (-1, 1), (2, 2), (-2, 3)):
            if shift > 0:
                w, c = ids[shift:], cids[:-shift]
            else:
                w, c = ids[:shift], cids[-shift:]
            ok = (w >= 0) & (c >= 0)
            rows.append(w[ok] * (4 * C) + block * C + c[ok])
    flat = np.concatenate(rows)
    m = np.bincount(flat, minlength=V * 4 * C).astype(np.float32).reshape(V, 4 * C)
    del flat, rows, sents
    total = m.sum()
    row = m.sum(axis=1, keepdims=True) + 1e-9
    col = m.sum(axis=0, keepdims=True) ** 0.75  # context smoothing as in word2vec
    col = col / col.sum() * total
    with np.errstate(divide="ignore"):
        pmi = np.log(m * total / (row * col) + 1e-12)
    ppmi = np.maximum(pmi, 0).astype(np.float32)
    del m, pmi
    # truncated SVD through the small Gram matrix (4C x 4C)
    gram = ppmi.T @ ppmi
    vals, vecs = np.linalg.eigh(gram.astype(np.float64))
    top = vecs[:, np.argsort(vals)[::-1][:dims]].astype(np.float32)
    emb = ppmi @ top
    emb /= np.linalg.norm(emb, axis=1, keepdims=True) + 1e-9
    rng = np.random.default_rng(seed)
    levels = [_kmeans(emb, k, rng) for k in ks]
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        fh.write(f"# word clusters computed by scripts/ner_clusters.py from {corpus.name} "
                 f"(vocab {V}, PPMI-SVD {dims}d, k-means {'/'.join(map(str, ks))}, seed {seed})\n")
        fh.write("word\t" + "\t".join(f"k{k}" for k in ks) + "\n")
        for i, w in enumerate(vocab):
            fh.write(w + "\t" + "\t".join(str(lv[i]) for lv in levels) + "\n")
    return {"vocab": V, "dims": dims, "ks": list(ks), "seed": seed, "corpus": corpus.name}


if __name__ == "__main__":
    import argparse
    import time

    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--out", type=Path, default=Path("rasd/models/ner-clusters.tsv"))
    a = ap.parse_args()
    t = time.time()
    print(build_clusters(a.corpus, a.out), f"{time.time() - t:.0f}s")
