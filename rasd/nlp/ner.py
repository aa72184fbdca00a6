"""Learned Arabic named-entity recognition: a feature CRF (python-crfsuite).

Why a CRF: it tags tens of thousands of tokens a second on one CPU core and
ships as a few MB, so it can run on every sentence of a corpus. Its weakness is
names never seen in training; the features below attack that with knowledge
from *outside* the training data: distributional word clusters computed on a
news corpus, gazetteers (GeoNames Arabic place names, person-name tokens from
actor dictionaries and other NER corpora), and cue-word classes (titles, speech
verbs, organisation and place head nouns).

Everything the features need lives in ``rasd/models/`` next to the model:
``ner-clusters.tsv``, ``ner-gazetteer.tsv``, ``ner-cues.tsv``. Optional and not
shipped: ``ner-e5classes-<date>.tsv.gz`` (word classes from multilingual-e5
embeddings, scripts/ner_e5_clusters.py); when present the newest one adds class
features, when absent they are simply missing. They did not help (benchmarks/NER.md),
so the shipped model was trained without them. The same
``sentence_features`` function is used for training and tagging, so they cannot
drift apart.
"""
from __future__ import annotations

import functools
import gzip
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import pycrfsuite

from rasd.doc import Document, Mention
from rasd.nlp.conll import Sentence_, bio_spans, read_conll, score_entities
from rasd.pipeline import component
from rasd.text.lexicon import PhraseMatcher, stem_candidates
from rasd.text.normalize import normalize, normalize_plain

MODELS_DIR = Path(__file__).resolve().parents[1] / "models"
MODEL_GLOB = "ner-crf-*.crfsuite"
E5CLASSES_GLOB = "ner-e5classes-*.tsv.gz"
LABELS = ("PERS", "ORG", "LOC", "MISC")

# Tokens as ANERcorp has them: words, numbers, single punctuation marks.
TOKEN_RE = re.compile(r"\w+|[^\w\s]")
_SENT_END = {".", "!", "?", "؟", "؛"}
_ARABIC = re.compile(r"[\u0621-\u064A]")
_LATIN = re.compile(r"[A-Za-z]")


def _read_tsv(path: Path) -> list[list[str]]:
    """Rows of a rasd TSV resource: '#' comment lines, then a header, then data."""
    rows: list[list[str]] = []
    header_seen = False
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            if not header_seen:
                header_seen = True
                continue
            rows.append(line.rstrip("\n").split("\t"))
    return rows


@dataclass
class NerResources:
    """Lookup tables behind the features; loaded once per process."""

    clusters: dict[str, tuple[str, ...]] = field(default_factory=dict)  # word -> ids, coarse to fine
    e5classes: dict[str, tuple[str, ...]] = field(default_factory=dict)  # word -> e5 k-means ids, coarse to fine
    e5classes_file: str = ""  # the table's file name, for model cards
    gaz_tokens: dict[str, frozenset[str]] = field(default_factory=dict)  # token -> {"LOC", "PFIRST", ...}
    gaz_phrases: PhraseMatcher[str] = field(default_factory=PhraseMatcher)  # multi-word names -> label
    cues: dict[str, frozenset[str]] = field(default_factory=dict)
    info_cache: dict[str, dict] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, directory: Path = MODELS_DIR) -> "NerResources":
        res = cls()
        p = directory / "ner-clusters.tsv"
        if p.exists():
            res.clusters = {r[0]: tuple(r[1:]) for r in _read_tsv(p) if len(r) >= 2}
        e5 = sorted(directory.glob(E5CLASSES_GLOB))
        if e5:  # the newest table (names carry the build date)
            res.e5classes = {r[0]: tuple(r[1:]) for r in _read_tsv(e5[-1]) if len(r) >= 2}
            res.e5classes_file = e5[-1].name
        p = directory / "ner-gazetteer.tsv"
        if p.exists():
            toks: dict[str, set[str]] = {}
            for r in _read_tsv(p):
                phrase, label = r[0], r[1]
                words = phrase.split()
                if len(words) == 1:
                    toks.setdefault(words[0], set()).add(label)
                elif label in ("LOC", "ORG", "PERS"):
                    res.gaz_phrases.add(phrase, label)
                if label == "PERS" and len(words) > 1:  # name parts generalise to new combinations
                    toks.setdefault(words[0], set()).add("PFIRST")
                    for w in words[1:]:
                        toks.setdefault(w, set()).add("PLAST")
            res.gaz_tokens = {k: frozenset(v) for k, v in toks.items()}
        p = directory / "ner-cues.tsv"
        if p.exists():
            cues: dict[str, set[str]] = {}
            for r in _read_tsv(p):
                cues.setdefault(normalize_plain(r[0]), set()).add(r[1])
            res.cues = {k: frozenset(v) for k, v in cues.items()}
        return res


@functools.lru_cache(maxsize=4)
def load_resources(directory: str = str(MODELS_DIR)) -> NerResources:
    return NerResources.load(Path(directory))


def resources_for(model_path: Path | str) -> NerResources:
    """The feature tables a model was trained with: those beside it, else the shipped ones."""
    directory = Path(model_path).parent
    if not (directory / "ner-clusters.tsv").exists():
        directory = MODELS_DIR
    return load_resources(str(directory))


def _shape(tok: str) -> str:
    if tok.isdigit():
        return "D"
    if _ARABIC.search(tok):
        return "A"
    if _LATIN.search(tok):
        return "L" if not tok[:1].isupper() else "LU"
    if len(tok) == 1 and not tok.isalnum():
        return "P"
    return "X"


def _stem(norm: str) -> str:
    """The token without proclitics and article (the last, shortest candidate)."""
    cands = stem_candidates(norm)
    best = norm
    for form, _cut in cands[1:]:
        if not form.startswith("ال") and len(form) < len(best):
            best = form
    if best.startswith("ال") and len(best) > 3:
        best = best[2:]
    return best


_INFO_CACHE_MAX = 300_000


def _token_info(norm: str, res: NerResources) -> dict[str, object]:
    """Per-token lookups, shared by the window features and memoised per word type
    (news vocabulary is Zipfian, so the cache answers most tokens)."""
    cache = res.info_cache
    hit = cache.get(norm)
    if hit is not None:
        return hit
    info = _compute_token_info(norm, res)
    if len(cache) < _INFO_CACHE_MAX:
        cache[norm] = info
    return info


def _compute_token_info(norm: str, res: NerResources) -> dict[str, object]:
    cands = [f for f, _ in stem_candidates(norm)]
    gaz: set[str] = set()
    cluster = None
    e5 = None
    cues: set[str] = set()
    for f in cands:
        g = res.gaz_tokens.get(f)
        if g:
            gaz |= g
        if cluster is None:
            cluster = res.clusters.get(f)
        if e5 is None:
            e5 = res.e5classes.get(f)
        c = res.cues.get(f)
        if c:
            cues |= c
    if cluster is None and cands[-1].startswith("ال"):
        cluster = res.clusters.get(cands[-1][2:])
    return {
        "w": norm,
        "stem": _stem(norm),
        "cl": cluster,
        "e5": e5,
        "gaz": sorted(gaz),
        "cue": sorted(cues),
        "shape": _shape(norm),
    }


def _phrase_gaz(norms: Sequence[str], res: NerResources) -> list[str]:
    """B-/I- gazetteer tags from multi-word names, aligned to tokens."""
    out = [""] * len(norms)
    if not len(res.gaz_phrases):
        return out
    starts: list[int] = []
    pos = 0
    for t in norms:
        starts.append(pos)
        pos += len(t) + 1
    text = " ".join(norms)
    import bisect

    for m in res.gaz_phrases.iter_find(text):
        i = bisect.bisect_right(starts, m.start) - 1
        j = bisect.bisect_right(starts, m.end - 1) - 1
        label = sorted(m.payloads)[0]
        out[i] = "B-" + label
        for k in range(i + 1, j + 1):
            out[k] = "I-" + label
    return out


def sentence_features(tokens: Sequence[str], res: NerResources) -> list[list[str]]:
    """crfsuite feature strings for each token of one sentence."""
    norms = [normalize_plain(t) or t for t in tokens]
    info = [_token_info(n, res) for n in norms]
    pgaz = _phrase_gaz(norms, res)
    n = len(tokens)
    feats: list[list[str]] = []
    for i in range(n):
        d = info[i]
        w = d["w"]
        stem = d["stem"]
        f = [
            "b",
            "w=" + w,
            "s=" + stem,
            "sh=" + d["shape"],
            "p2=" + w[:2],
            "p3=" + w[:3],
            "x2=" + w[-2:],
            "x3=" + w[-3:],
            "sp2=" + stem[:2],
            "sx2=" + stem[-2:],
            "al=" + str(w.startswith(("ال", "وال", "بال", "لل", "فال", "كال"))),
            "len=" + str(min(len(stem), 8)),
        ]
        if d["cl"]:
            f += [f"c{k}=" + c for k, c in enumerate(d["cl"])]
        else:
            f.append("c=none")
        if d["e5"]:
            f += [f"e{k}=" + c for k, c in enumerate(d["e5"])]
        f += ["g=" + g for g in d["gaz"]]
        f += ["q=" + q for q in d["cue"]]
        if pgaz[i]:
            f.append("pg=" + pgaz[i])
        for off in (-2, -1, 1, 2):
            j = i + off
            if 0 <= j < n:
                e = info[j]
                f.append(f"{off}w=" + e["w"])
                f.append(f"{off}s=" + e["stem"])
                if e["cl"]:
                    if abs(off) == 1:
                        f += [f"{off}c{k}=" + c for k, c in enumerate(e["cl"])]
                    else:
                        f.append(f"{off}c=" + e["cl"][min(1, len(e["cl"]) - 1)])
                f += [f"{off}q=" + q for q in e["cue"]]
                if abs(off) == 1:
                    if e["e5"]:
                        f += [f"{off}e{k}=" + c for k, c in enumerate(e["e5"])]
                    f += [f"{off}g=" + g for g in e["gaz"]]
                    f.append(f"{off}sh=" + e["shape"])
                    if pgaz[j]:
                        f.append(f"{off}pg=" + pgaz[j])
            else:
                f.append(f"{off}w=<s>" if j < 0 else f"{off}w=</s>")
        if i > 0:
            f.append("-1w|w=" + info[i - 1]["w"] + "|" + w)
        if i + 1 < n:
            f.append("w|+1w=" + w + "|" + info[i + 1]["w"])
        feats.append(f)
    return feats


GAZ_FLAGS = ("LOC", "ORG", "PERS", "PFIRST", "PLAST")
CUE_FLAGS = ("LCUE", "OCUE", "PCUE", "PREP", "SAY")
PHRASE_FLAGS = ("B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-PERS", "I-PERS")
WORD_FLAGS = GAZ_FLAGS + CUE_FLAGS + PHRASE_FLAGS


def word_features(tokens: Sequence[str], res: NerResources) -> tuple[list[int], list[int], list[list[int]]]:
    """What a neural tagger gets from outside its training data, per word: the coarse and fine
    corpus-cluster ids (0 = no cluster, else id + 1) and 0/1 flags in ``WORD_FLAGS`` order
    (gazetteer token labels, cue classes, multi-word gazetteer B-/I- tags).

    The same lookups as the CRF's features (``_token_info``, ``_phrase_gaz``), as numbers.
    """
    norms = [normalize_plain(t) or t for t in tokens]
    pgaz = _phrase_gaz(norms, res)
    coarse: list[int] = []
    fine: list[int] = []
    flags: list[list[int]] = []
    for norm, pg in zip(norms, pgaz):
        info = _token_info(norm, res)
        cl = info["cl"] or ()
        coarse.append(int(cl[0]) + 1 if len(cl) > 0 else 0)
        fine.append(int(cl[1]) + 1 if len(cl) > 1 else 0)
        on = set(info["gaz"]) | set(info["cue"]) | ({pg} if pg else set())
        flags.append([int(f in on) for f in WORD_FLAGS])
    return coarse, fine, flags


def sentence_spans(norm_text: str) -> list[list[tuple[int, int]]]:
    """Token character spans of ``norm_text``, grouped into sentences."""
    sents: list[list[tuple[int, int]]] = [[]]
    for m in TOKEN_RE.finditer(norm_text):
        sents[-1].append((m.start(), m.end()))
        if m.group() in _SENT_END:
            sents.append([])
    return [s for s in sents if s]


class NerTagger:
    """A trained CRF plus its feature resources; build once, reuse for every document."""

    kind = "CRF"

    def __init__(self, model_path: Path | str, resources: NerResources | None = None) -> None:
        self.model_path = Path(model_path)
        self.name = self.model_path.stem
        self.resources = resources or resources_for(self.model_path)
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(self.model_path))
        card = self.model_path.with_suffix(".json")
        self.card: dict = json.loads(card.read_text(encoding="utf-8")) if card.exists() else {}

    @classmethod
    def default(cls) -> "NerTagger":
        """The newest shipped model (file names carry the training date), cached per process."""
        return _default_tagger()

    def tag(self, tokens: Sequence[str]) -> list[str]:
        if not tokens:
            return []
        return list(self._tagger.tag(sentence_features(tokens, self.resources)))

    def tag_with_marginals(self, tokens: Sequence[str]) -> list[tuple[str, float]]:
        if not tokens:
            return []
        tags = self._tagger.tag(sentence_features(tokens, self.resources))
        return [(t, self._tagger.marginal(t, i)) for i, t in enumerate(tags)]

    def spans(self, text: str) -> list[tuple[int, int, str, float]]:
        """(start, end, label, confidence) on ``text``'s own offsets.

        Confidence is the lowest per-token marginal probability inside the
        entity: one doubtful token makes the whole span doubtful.
        """
        nt = normalize(text)
        out: list[tuple[int, int, str, float]] = []
        for sent in sentence_spans(nt.text):
            toks = [nt.text[s:e] for s, e in sent]
            tags = self.tag(toks)
            # marginals only inside entities: most tokens are O and need none
            for a, b, label in bio_spans(tags):
                conf = min(self._tagger.marginal(tags[k], k) for k in range(a, b))
                s, e = nt.to_original(sent[a][0], sent[b - 1][1])
                out.append((s, e, label, conf))
        return out

    def entities(self, text: str) -> list[tuple[int, int, str]]:
        return [(s, e, label) for s, e, label, _ in self.spans(text)]


def newest_model(directory: Path = MODELS_DIR) -> Path:
    models = sorted(directory.glob(MODEL_GLOB))
    if not models:
        raise FileNotFoundError(f"no NER model ({MODEL_GLOB}) in {directory}; run `rasd train-ner`")
    return models[-1]


@functools.lru_cache(maxsize=1)
def _default_tagger() -> NerTagger:
    return NerTagger(newest_model())


class NerComponent:
    """Pipeline component: adds PERS/ORG/LOC/MISC mentions found by a tagger (the CRF by default;
    component ``ner_e5`` passes the neural one, :mod:`rasd.nlp.ner_e5`)."""

    name = "ner"

    def __init__(self, tagger=None) -> None:  # anything with .name and .spans(text)
        self.tagger = tagger or NerTagger.default()

    def __call__(self, doc: Document) -> Document:
        pieces: Iterable[tuple[int, str, int]]
        if doc.sentences:
            pieces = [(s.start, doc.text[s.start : s.end], s.index) for s in doc.sentences]
        else:
            pieces = [(0, doc.text, -1)]
        for base, text, idx in pieces:
            for s, e, label, conf in self.tagger.spans(text):
                doc.mentions.append(
                    Mention(
                        start=base + s,
                        end=base + e,
                        text=doc.text[base + s : base + e],
                        label=label,
                        component="nlp.ner",
                        reason=f"{self.tagger.kind} {self.tagger.name} p={conf:.2f}",
                        sentence=idx,
                        attrs={"confidence": round(conf, 4)},
                    )
                )
        return doc


@component("ner")
def make_ner() -> NerComponent:
    return NerComponent()


__all__ = [
    "NerTagger",
    "NerResources",
    "NerComponent",
    "load_resources",
    "resources_for",
    "sentence_features",
    "word_features",
    "WORD_FLAGS",
    "bio_spans",
    "newest_model",
    "LABELS",
]


# --- data, scoring, training -------------------------------------------------------------

def load_tagger(model: Path | str | None = None):
    """A tagger by name or file: "crf" (default: the newest shipped CRF), "e5" (the newest shipped
    neural adapter, ``rasd[neural]``), a ``.crfsuite`` model or a ``ner-e5lora-*.npz`` adapter."""
    name = str(model) if model is not None else "crf"
    if name == "crf":
        return NerTagger.default()
    if name == "e5" or name.endswith(".npz"):
        from rasd.nlp import ner_e5

        return ner_e5.E5Tagger.default() if name == "e5" else ner_e5.E5Tagger(name)
    return NerTagger(name)


def evaluate_ner(conll_path: Path | str, model: Path | str | None = None) -> dict:
    """Score a tagger (see :func:`load_tagger`) on a CoNLL file; also reports tokens/s."""
    import time

    tagger = load_tagger(model)
    sents = read_conll(conll_path)
    gold = [[t for _, t in s] for s in sents]
    words = [[w for w, _ in s] for s in sents]
    t0 = time.perf_counter()
    pred = tagger.tag_many(words) if hasattr(tagger, "tag_many") else [tagger.tag(w) for w in words]
    dt = time.perf_counter() - t0
    ntok = sum(len(s) for s in sents)
    out = score_entities(gold, pred)
    out.update({"model": tagger.name, "file": str(conll_path), "sentences": len(sents), "tokens": ntok,
                "tokens_per_s": round(ntok / dt) if dt else None})
    return out


def train_crf(
    sents: Sequence[Sentence_],
    out: Path | str,
    c1: float = 0.05,
    c2: float = 0.01,
    max_iterations: int = 200,
    resources: NerResources | None = None,
) -> Path:
    """Train a CRF (L-BFGS, elastic net) on tagged sentences and write it to ``out``.

    crfsuite's L-BFGS is deterministic for a given input order, so the same data and
    parameters give the same model.
    """
    res = resources or load_resources()
    trainer = pycrfsuite.Trainer(verbose=False)
    for s in sents:
        trainer.append(sentence_features([w for w, _ in s], res), [t for _, t in s])
    trainer.set_params({
        "c1": c1,
        "c2": c2,
        "max_iterations": max_iterations,
        "feature.possible_transitions": True,
        "feature.minfreq": 1,
    })
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))
    return out


__all__ += ["read_conll", "score_entities", "load_tagger", "evaluate_ner", "train_crf"]
