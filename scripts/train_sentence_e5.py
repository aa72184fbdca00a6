"""Fine-tune multilingual-e5-small (LoRA) to tell whether a sentence reports an assault or a protest.

The shipped sentence detector (``event-sentence-e5head``) is a logistic regression over frozen e5
embeddings. This script fine-tunes the encoder itself, with low-rank updates of every linear layer,
a mean-pooled sentence vector and one logit per category, and measures it the same way: 5-fold
cross-validation on the sentence gold file, the decision threshold per category chosen on the
out-of-fold scores (as the head's script does), the figure printed and written on the card.

    # here: tokenise, cut the base to the pieces used (~25 MB)
    .venv/bin/python scripts/train_sentence_e5.py prepare ../shared/gold/sentences_dev.jsonl --out .gpu/sent
    # with torch (a GPU: ~2 min in all on an H100)
    PYTHONPATH=. python3 scripts/train_sentence_e5.py train --work .gpu/sent --out OUTDIR

Writes ``event-sentence-e5lora-<date>.npz`` (adapter + head) and its card ``.json``. Data: the
sentence gold file only (openeventdata/arabic_event_gsr, MIT): ``yes`` positive, ``easy no`` and
``difficult no`` negative, ``ambiguous`` left out.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from e5_torch import make_encoder, start_run, warmup_linear, write_base  # noqa: E402

CATEGORIES = ("ASSAULT", "PROTEST")
PREFIX = "passage: "  # e5's document prefix, as the frozen head uses
MAX_CHARS = 600  # as rasd.nlp.sentence_encoder
MAX_PIECES = 254
FOLDS = 5
SEED = 13
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)


def prepare(args: argparse.Namespace) -> None:
    from rasd.nlp import e5_weights

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    tok = e5_weights.read_raw()[1]
    pieces: list[int] = []
    offsets = [0]
    cats: list[int] = []
    labels: list[int] = []
    for line in Path(args.gold).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        if rec.get("category") not in CATEGORIES or rec.get("label") == "ambiguous":
            continue
        ids = tok.text_ids(PREFIX + rec["text"][:MAX_CHARS])[:MAX_PIECES]
        pieces.extend(ids)
        offsets.append(len(pieces))
        cats.append(CATEGORIES.index(rec["category"]))
        labels.append(int(rec["label"] == "yes"))
    remap, meta = write_base(out, pieces)
    np.savez(out / "data.npz", pieces=np.array([remap[i] for i in pieces], dtype=np.int32),
             offsets=np.array(offsets, dtype=np.int32), category=np.array(cats, dtype=np.int8),
             label=np.array(labels, dtype=np.int8))
    meta.update({"gold_file": str(args.gold), "sentences": len(cats), "categories": CATEGORIES,
                 "positives": {c: int(sum(1 for k, y in zip(cats, labels) if k == i and y))
                               for i, c in enumerate(CATEGORIES)},
                 "prefix": PREFIX, "max_chars": MAX_CHARS, "max_pieces": MAX_PIECES})
    (out / "meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    print(json.dumps({k: meta[k] for k in ("sentences", "positives", "vocabulary_kept")}), file=sys.stderr)


def prf(pred: np.ndarray, gold: np.ndarray) -> dict:
    tp = int((pred & gold).sum())
    p = tp / pred.sum() if pred.sum() else 0.0
    r = tp / gold.sum() if gold.sum() else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def train(args: argparse.Namespace) -> None:
    import torch
    import torch.nn as nn

    work, out, meta, d, dev, note = start_run(args.work, args.out, args.cpu)
    n = len(d["category"])
    seqs = [[meta["bos"]] + d["pieces"][d["offsets"][i]:d["offsets"][i + 1]].tolist() + [meta["eos"]] for i in range(n)]
    cat, lab = d["category"].astype(np.int64), d["label"].astype(np.int64)
    pos_weight = torch.tensor([((cat == c) & (lab == 0)).sum() / max(1, ((cat == c) & (lab == 1)).sum())
                               for c in range(len(CATEGORIES))], dtype=torch.float32, device=dev)

    class Detector(nn.Module):
        def __init__(self, rank: int) -> None:
            super().__init__()
            self.encoder = make_encoder(work, rank, False, 0.1)
            self.drop = nn.Dropout(0.1)
            self.head = nn.Linear(meta["hidden"], len(CATEGORIES))

        def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
            h = self.encoder(ids, mask)
            m = mask[..., None].float()
            return self.head(self.drop((h * m).sum(1) / m.sum(1)))

    def collate(idx: list[int]) -> tuple[torch.Tensor, torch.Tensor]:
        L = max(len(seqs[i]) for i in idx)
        ids = torch.zeros(len(idx), L, dtype=torch.long)
        mask = torch.zeros(len(idx), L, dtype=torch.bool)
        for r, i in enumerate(idx):
            ids[r, :len(seqs[i])] = torch.tensor(seqs[i])
            mask[r, :len(seqs[i])] = True
        return ids.to(dev), mask.to(dev)

    def probs(model: Detector, idx: list[int]) -> np.ndarray:
        model.eval()
        res = np.zeros(len(idx))
        with torch.no_grad(), torch.autocast(dev.type, dtype=torch.bfloat16, enabled=dev.type == "cuda"):
            for k in range(0, len(idx), 128):
                part = idx[k:k + 128]
                logits = model(*collate(part)).float()
                sel = logits.gather(1, torch.tensor(cat[part], device=dev)[:, None]).squeeze(1)
                res[k:k + len(part)] = torch.sigmoid(sel).cpu().numpy()
        return res

    def fit(s: dict, train_idx: list[int], epochs: int, held: list[int] | None) -> tuple[Detector, list[np.ndarray]]:
        torch.manual_seed(SEED)
        model = Detector(s["rank"]).to(dev)
        enc = [p for p in model.encoder.parameters() if p.requires_grad]
        opt = torch.optim.AdamW([{"params": enc, "lr": s["lr"]}, {"params": model.head.parameters(), "lr": 1e-3}],
                                weight_decay=0.01)
        steps = epochs * math.ceil(len(train_idx) / s["batch"])
        sched = torch.optim.lr_scheduler.LambdaLR(opt, warmup_linear(steps))
        rng = np.random.default_rng(SEED)
        curve: list[np.ndarray] = []
        for _ep in range(epochs):
            model.train()
            order = [int(i) for i in rng.permutation(train_idx)]
            # Batches of similar lengths (sorted within shuffled windows of 8 batches): padding to the
            # longest of a random batch costs two to three times the work on a CPU.
            window = 8 * s["batch"]
            order = [i for k in range(0, len(order), window)
                     for i in sorted(order[k:k + window], key=lambda i: len(seqs[i]))]
            batches = [order[k:k + s["batch"]] for k in range(0, len(order), s["batch"])]
            rng.shuffle(batches)
            for part in batches:
                with torch.autocast(dev.type, dtype=torch.bfloat16, enabled=dev.type == "cuda"):
                    logits = model(*collate(part))
                c = torch.tensor(cat[part], device=dev)
                y = torch.tensor(lab[part], device=dev, dtype=torch.float32)
                sel = logits.float().gather(1, c[:, None]).squeeze(1)
                loss = nn.functional.binary_cross_entropy_with_logits(sel, y, pos_weight=pos_weight[c])
                opt.zero_grad(set_to_none=True)
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                opt.step()
                sched.step()
            if held is not None:
                curve.append(probs(model, held))
        return model, curve

    def scores(oof: np.ndarray) -> dict:
        out_: dict = {}
        for c, name in enumerate(CATEGORIES):
            m = cat == c
            gold = lab[m].astype(bool)
            by_t = {t: prf(oof[m] >= t, gold) for t in THRESHOLDS}
            best_t = max(THRESHOLDS, key=lambda t: by_t[t]["f1"])
            out_[name] = {"threshold": best_t, **by_t[best_t], "at_0.5": by_t[0.5]}
        return out_

    rng = np.random.default_rng(SEED)
    folds = np.empty(n, dtype=np.int64)
    for c in range(len(CATEGORIES)):  # stratified: each fold gets its share of each category's positives
        for y in (0, 1):
            idx = np.flatnonzero((cat == c) & (lab == y))
            rng.shuffle(idx)
            folds[idx] = np.arange(len(idx)) % FOLDS
    results = []
    t_start = time.time()
    for s in json.loads(args.settings):
        s.setdefault("batch", 32)
        oof = np.zeros((args.epochs, n))
        for f in range(FOLDS):
            held = [int(i) for i in np.flatnonzero(folds == f)]
            tr = [int(i) for i in np.flatnonzero(folds != f)]
            _, curve = fit(s, tr, args.epochs, held)
            for e, p in enumerate(curve):
                oof[e, held] = p
            note(setting=s["name"], fold=f, s=round(time.time() - t_start, 1))
        # Out-of-fold probabilities (each sentence scored by the model that did not see it), kept so
        # that a model stacked on this one can be cross-validated without refitting the encoder.
        np.save(out / f"oof-{s['name']}.npy", oof)
        per_epoch = [scores(oof[e]) for e in range(args.epochs)]
        mean = [np.mean([r[c]["f1"] for c in CATEGORIES]) for r in per_epoch]
        best = int(np.argmax(mean))
        results.append({"setting": s, "epochs": best + 1, "cross_validated_5fold": per_epoch[best],
                        "curve": [{c: r[c]["f1"] for c in CATEGORIES} for r in per_epoch]})
        note(result=results[-1])
    chosen = max(results, key=lambda r: np.mean([r["cross_validated_5fold"][c]["f1"] for c in CATEGORIES]))
    if args.no_refit:
        note(chosen=chosen["setting"]["name"], total_s=round(time.time() - t_start, 1))
        return
    model, _ = fit(chosen["setting"], list(range(n)), chosen["epochs"], None)
    date = args.date or dt.date.today().strftime("%Y%m%d")
    name = f"event-sentence-e5lora-{date}"
    arrays = model.encoder.adapter_arrays()
    arrays["head.w"] = model.head.weight.detach().float().cpu().numpy()
    arrays["head.b"] = model.head.bias.detach().float().cpu().numpy()
    np.savez_compressed(out / f"{name}.npz", **arrays)
    cv = chosen["cross_validated_5fold"]
    card = {
        "name": name, "kind": "multilingual-e5-small + LoRA, mean-pooled, one sigmoid per category",
        "categories": list(CATEGORIES), "thresholds": {c: cv[c]["threshold"] for c in CATEGORIES},
        "prefix": PREFIX, "max_chars": MAX_CHARS, "max_pieces": MAX_PIECES, "base_model": meta["base_model"],
        "trained_on": meta["gold_file"], "sentences": meta["sentences"], "positives": meta["positives"],
        "setting": chosen["setting"], "epochs": chosen["epochs"], "cross_validated_5fold": cv,
        "selection": (f"epochs and threshold by {FOLDS}-fold out-of-fold F1 (seed {SEED}); "
                      "settings compared the same way"),
        "all_settings": results, "script": "scripts/train_sentence_e5.py",
    }
    (out / f"{name}.json").write_text(json.dumps(card, indent=1, ensure_ascii=False), encoding="utf-8")
    note(wrote=str(out / f"{name}.npz"), total_s=round(time.time() - t_start, 1))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="step", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("gold")
    p.add_argument("--out", required=True)
    t = sub.add_parser("train")
    t.add_argument("--work", required=True)
    t.add_argument("--out", required=True)
    t.add_argument("--epochs", type=int, default=8)
    t.add_argument("--date", default="")
    t.add_argument("--cpu", action="store_true")
    t.add_argument("--no-refit", action="store_true",
                   help="cross-validate only (out-of-fold probabilities and figures), no final model")
    t.add_argument("--settings", default=json.dumps([
        {"name": "lora16", "rank": 16, "lr": 5e-4},
        {"name": "lora16-lr2e-4", "rank": 16, "lr": 2e-4},
    ]))
    args = ap.parse_args(argv)
    (prepare if args.step == "prepare" else train)(args)


if __name__ == "__main__":
    main()
