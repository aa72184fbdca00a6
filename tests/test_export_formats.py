import csv
import io
import json

import pytest

from rasd.export import (
    ACLED_COLUMNS,
    event_rows,
    interaction_code,
    write_csv,
    write_geojson,
    write_jsonl,
    write_parquet,
)
from rasd.store.samples import HOSTILE_URL, sample_documents


@pytest.fixture()
def docs():
    return [d.to_dict() for d in sample_documents()]


def test_rows_flatten_every_event(docs):
    rows = list(event_rows(docs))
    assert len(rows) == sum(len(d["events"]) for d in docs) == 4
    assert all(list(r) == list(ACLED_COLUMNS) for r in rows)
    # ACLED's order: each actor, then its associated actor, then its interaction code
    assert ACLED_COLUMNS.index("assoc_actor_1") == ACLED_COLUMNS.index("actor1") + 1
    assert ACLED_COLUMNS.index("assoc_actor_2") == ACLED_COLUMNS.index("actor2") + 1
    first = rows[0]
    assert first["event_id_cnty"] == "sample-syria-1-1"
    assert first["year"] == 2019
    assert first["interaction"] == 17
    assert first["notes"] == docs[0]["events"][0]["evidence"]
    text = sample_documents()[0].text
    assert text[first["evidence_start"]:first["evidence_end"]] == docs[0]["events"][0]["evidence_spans"][0]["text"]


def test_interaction_code():
    assert interaction_code(3, 1) == 13
    assert interaction_code(6, None) == 60
    assert interaction_code(None, None) is None


def test_csv_roundtrip_and_formula_neutralised(docs):
    docs[0]["events"][0]["actor1"] = "=HYPERLINK(\"http://x\")"
    buf = io.StringIO()
    stats = write_csv(event_rows(docs), buf)
    assert stats.written == 4
    got = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert [c for c in got[0]] == list(ACLED_COLUMNS)
    assert got[0]["actor1"].startswith("'=")
    assert got[0]["longitude"] == "36.5611"  # numbers untouched
    assert any(r["url"] == HOSTILE_URL for r in got)  # hostile text survives as data


def test_geojson_skips_events_without_coordinates(docs):
    buf = io.StringIO()
    stats = write_geojson(event_rows(docs), buf)
    fc = json.loads(buf.getvalue())
    assert fc["type"] == "FeatureCollection"
    assert stats.written == len(fc["features"]) == 3
    assert stats.skipped == 1
    f = fc["features"][0]
    assert f["geometry"] == {"type": "Point", "coordinates": [36.5611, 35.6136]}
    assert set(f["properties"]) == set(ACLED_COLUMNS)


def test_geojson_empty_is_valid():
    buf = io.StringIO()
    assert write_geojson([], buf).written == 0
    assert json.loads(buf.getvalue())["features"] == []


def test_parquet_typed(docs, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "e.parquet"
    assert write_parquet(event_rows(docs), path, batch_size=2).written == 4
    table = pq.read_table(path)
    assert table.num_rows == 4
    assert table.column_names == list(ACLED_COLUMNS)
    assert str(table.schema.field("event_date").type) == "date32[day]"
    assert table.column("fatalities").to_pylist()[0] == 5
    empty = tmp_path / "empty.parquet"
    write_parquet([], empty)
    assert pq.read_table(empty).num_rows == 0


def test_jsonl(docs):
    buf = io.StringIO()
    assert write_jsonl(docs, buf).written == 3
    lines = buf.getvalue().splitlines()
    assert json.loads(lines[0])["events"][0]["provenance"]["location"]["component"] == "samples"
