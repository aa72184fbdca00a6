"""The CLI as a user runs it: extract in every format, stdin, bad records, eval."""
import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from rasd.cli import app
from rasd.doc import EVENT_FIELDS
from rasd.export import ACLED_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SEED = next(SAMPLES.glob("*seed*baghouz*.txt"))

runner = CliRunner()


def extract(*args: str, input: str | None = None):
    result = runner.invoke(app, ["extract", *args], input=input)
    return result


def test_seed_article_end_to_end_events_with_evidence_and_provenance():
    result = extract(str(SEED))
    assert result.exit_code == 0, result.output
    docs = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert len(docs) == 1
    doc = docs[0]
    assert doc["published"] == "2019-03-12"  # from the file name
    text = SEED.read_text(encoding="utf-8")
    events = doc["events"]
    assert len(events) >= 4
    for ev in events:
        assert set(EVENT_FIELDS) <= set(ev)
        assert ev["country"] == "Syria"
        assert "2019-03-10" <= ev["event_date"] <= "2019-03-12"
        assert ev["evidence_spans"]
        for span in ev["evidence_spans"]:
            assert text[span["start"]:span["end"]] == span["text"]
        for field in ("event_type", "event_date", "location", "actor1", "fatalities"):
            assert ev["provenance"][field]["component"]
            assert ev["provenance"][field]["reason"]


def test_samples_folder_every_document_is_output():
    result = extract(str(SAMPLES))
    assert result.exit_code == 0, result.output
    docs = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    ids = [d["id"] for d in docs]
    assert len(ids) == len(set(ids)) >= 5
    assert sum(len(d["events"]) for d in docs) >= 5


def test_csv_uses_acled_columns(tmp_path):
    out = tmp_path / "events.csv"
    result = extract(str(SEED), "--format", "csv", "-o", str(out))
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows and list(rows[0].keys()) == list(ACLED_COLUMNS)
    assert all(r["country"] == "Syria" for r in rows)


def test_geojson_is_a_feature_collection_of_points(tmp_path):
    out = tmp_path / "events.geojson"
    result = extract(str(SEED), "--format", "geojson", "-o", str(out))
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and data["features"]
    for f in data["features"]:
        lon, lat = f["geometry"]["coordinates"]
        assert f["geometry"]["type"] == "Point" and 35 < lon < 42 and 33 < lat < 37


def test_stdin_and_published_option():
    text = "اندلعت اشتباكات أمس بين الجيش السوري ومسلحي داعش في مدينة تدمر."
    result = extract("-", "--published", "2020-01-02", input=text)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout.splitlines()[0])
    assert doc["published"] == "2020-01-02"
    assert doc["events"] and doc["events"][0]["event_date"] == "2020-01-01"


def test_bad_jsonl_line_is_reported_and_the_rest_is_processed(tmp_path):
    good = {"id": "ok-1", "text": "اندلعت اشتباكات أمس في مدينة تدمر بين الجيش السوري ومسلحي داعش.", "published": "2020-01-02"}
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps(good, ensure_ascii=False) + "\n{broken json\n" + json.dumps({**good, "id": "ok-2"}, ensure_ascii=False) + "\n", encoding="utf-8")
    result = extract(str(path))
    assert result.exit_code == 1
    ids = [json.loads(line)["id"] for line in result.stdout.splitlines() if line.strip().startswith("{")]
    assert ids == ["ok-1", "ok-2"]
    assert "feed.jsonl" in result.stderr and "2" in result.stderr


def test_workers_give_the_same_output_in_the_same_order():
    one = extract(str(SAMPLES))
    two = extract(str(SAMPLES), "--workers", "2")
    assert one.exit_code == two.exit_code == 0
    assert one.stdout == two.stdout


def test_eval_scores_a_gold_file(tmp_path):
    gold = {
        "id": "g1", "source": "", "url": "", "published": "2020-01-02", "title": "",
        "text": "اندلعت اشتباكات أمس بين الجيش السوري ومسلحي داعش في مدينة تدمر.",
        "events": [{"event_type": "Battles", "sub_event_type": "Armed clash", "event_date": "2020-01-01",
                    "time_precision": 1, "actor1": "Military Forces of Syria", "actor2": "Islamic State",
                    "country": "Syria", "admin1": "Homs", "location": "Palmyra", "latitude": 34.56,
                    "longitude": 38.28, "geo_precision": 1, "fatalities": 0, "evidence": ""}],
    }
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(gold, ensure_ascii=False) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", str(path)])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["event"]["gold"] == 1 and scores["event"]["tp"] == 1
    assert scores["actor1_accuracy"] == 1.0


def test_explain_lists_every_typed_candidate_and_why_the_uncoded_ones_were_not_coded():
    text = ("وقالت مصادر محلية إن الهجمات على المدنيين جريمة. "
            "قتل خمسة أشخاص أمس في انفجار سيارة مفخخة في مدينة الموصل.")
    result = extract("-", "--published", "2015-07-25", "--explain", input=text)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout.splitlines()[0])
    coded = [c for c in doc["candidates"] if c["kept"]]
    dropped = [c for c in doc["candidates"] if not c["kept"]]
    assert len(coded) == len(doc["events"]) == 1 and coded[0]["dropped"] is None
    assert dropped and all(c["dropped"] for c in dropped)
    assert text[dropped[0]["start"]:dropped[0]["end"]].startswith("وقالت مصادر")
    plain = json.loads(extract("-", "--published", "2015-07-25", input=text).stdout.splitlines()[0])
    assert "candidates" not in plain
    assert extract("-", "--explain", "--format", "csv", input=text).exit_code != 0
