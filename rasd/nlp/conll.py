"""CoNLL files and entity-level scoring, shared by every NER model (no model dependency).

The scoring is conlleval's: an entity counts when its exact token span and type match.
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence


def bio_spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """(start token, end token exclusive, type) of each entity, conlleval-style.

    An I- tag after O or after another type opens a new entity, as conlleval does.
    """
    spans: list[tuple[int, int, str]] = []
    start, cur = -1, None
    for i, t in enumerate(list(tags) + ["O"]):
        prefix, _, typ = t.partition("-")
        if cur is not None and (prefix != "I" or typ != cur):
            spans.append((start, i, cur))
            cur = None
        if prefix in ("B", "I") and cur is None:
            start, cur = i, typ
    return spans


Sentence_ = list[tuple[str, str]]


def read_conll(path: Path | str, tag_map: dict[str, str] | None = None) -> list[Sentence_]:
    """Sentences of (token, BIO tag) from 'token<TAB or space>tag' lines, blank line between sentences.

    ``tag_map`` renames entity types (e.g. PER -> PERS); types it lacks become O.
    """
    sents: list[Sentence_] = []
    cur: Sentence_ = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            parts = line.split("\t") if "\t" in line else line.rsplit(" ", 1)
            if not line.strip() or len(parts) < 2 or not parts[0].strip():
                if cur:
                    sents.append(cur)
                    cur = []
                continue
            tok, tag = parts[0].strip(), parts[-1].strip() or "O"
            if tag_map is not None and tag != "O":
                prefix, _, typ = tag.partition("-")
                typ = tag_map.get(typ, "")
                tag = f"{prefix}-{typ}" if typ and prefix in ("B", "I") else "O"
            cur.append((tok, tag))
    if cur:
        sents.append(cur)
    return sents


def score_entities(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> dict:
    """Entity-level exact span+type precision/recall/F1 (percent), overall and per type."""
    counts: dict[str, list[int]] = {}  # type -> [true positives, gold, predicted]
    for g, p in zip(gold, pred, strict=True):
        gs, ps = set(bio_spans(g)), set(bio_spans(p))
        for span in gs:
            counts.setdefault(span[2], [0, 0, 0])[1] += 1
        for span in ps:
            counts.setdefault(span[2], [0, 0, 0])[2] += 1
        for span in gs & ps:
            counts[span[2]][0] += 1

    def prf(tp: int, ng: int, np_: int) -> dict:
        p = 100.0 * tp / np_ if np_ else 0.0
        r = 100.0 * tp / ng if ng else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 2), "recall": round(r, 2), "f1": round(f, 2), "gold": ng, "predicted": np_, "correct": tp}

    tot = [sum(c[i] for c in counts.values()) for i in range(3)]
    return {**prf(*tot), "per_type": {t: prf(*c) for t, c in sorted(counts.items())}}


__all__ = ["Sentence_", "bio_spans", "read_conll", "score_entities"]
