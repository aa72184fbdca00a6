"""API suite on SQLite, and on PostgreSQL too when RASD_TEST_PG_URL is set."""
import csv
import io
import json

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from rasd.api.app import create_app  # noqa: E402
from rasd.store.samples import HOSTILE_TITLE, sample_documents  # noqa: E402


@pytest.fixture(scope="module")
def store(backend_store):
    # One store per backend for the module: no test here writes to it.
    backend_store.ingest(sample_documents())
    return backend_store


@pytest.fixture
def client(store):
    with TestClient(create_app(store=store)) as c:
        yield c


def test_list_and_pagination(client):
    page = client.get("/api/events", params={"limit": 2}).json()
    assert page["total"] == 4
    assert len(page["events"]) == 2
    rest = client.get("/api/events", params={"limit": 2, "offset": 2}).json()["events"]
    ids = [e["id"] for e in page["events"]] + [e["id"] for e in rest]
    assert len(set(ids)) == 4
    dates = [e["event_date"] for e in page["events"] + rest]
    assert dates == sorted(dates, reverse=True)


@pytest.mark.parametrize(
    "params,expected",
    [
        ({"country": "Syria"}, 3),
        ({"country": "Egypt"}, 1),
        ({"admin1": "Idleb"}, 2),
        ({"event_type": "Protests"}, 2),
        ({"sub_event_type": "Arrests"}, 1),
        ({"actor": "civilians"}, 1),  # actor2, case-insensitive
        ({"actor": "military forces of syria"}, 1),
        ({"date_from": "2019-05-22"}, 2),
        ({"date_to": "2019-05-21"}, 2),
        ({"date_from": "2019-05-21", "date_to": "2019-05-21", "event_type": "Protests"}, 1),
        ({"bbox": "36,35,37,36"}, 2),
        ({"bbox": "37,36,38,37"}, 1),
        ({"q": "إدلب"}, 2),  # full text; hamza folded by normalisation
        ({"q": "ادلب قصف"}, 2),
        ({"q": "كهرباء"}, 1),
        ({"q": "زلزال"}, 0),
    ],
)
def test_filters(client, params, expected):
    r = client.get("/api/events", params=params)
    assert r.status_code == 200, r.text
    assert r.json()["total"] == expected


@pytest.mark.parametrize(
    "params",
    [
        {"country": "' OR 1=1 --"},
        {"country": 'Syria" OR "1"="1'},
        {"actor": "%"},
        {"actor": "_"},
        {"q": "\" OR * NEAR("},
        {"q": "'; DROP TABLE events; --"},
        {"event_type": "Protests' --"},
    ],
)
def test_hostile_params_match_nothing(client, store, params):
    r = client.get("/api/events", params=params)
    assert r.status_code in (200, 422)
    if r.status_code == 200:
        assert r.json()["total"] == 0
    assert store.events()[0] == 4  # nothing was dropped


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 1001},
        {"limit": -1},
        {"offset": -5},
        {"date_from": "yesterday"},
        {"date_from": "2019-06-01", "date_to": "2019-05-01"},
        {"bbox": "1,2,3"},
        {"bbox": "0,0,1,1); DROP TABLE events"},
        {"bbox": "0,95,1,96"},
        {"country": "x" * 500},
        {"nonsense": "1"},
    ],
)
def test_bad_params_are_4xx_json(client, params):
    r = client.get("/api/events", params=params)
    assert r.status_code == 422
    body = r.json()
    assert body["error"] == "invalid parameters" and body["details"]


def test_event_detail(client):
    eid = client.get("/api/events", params={"sub_event_type": "Shelling/artillery/missile attack"}).json()["events"][0]["id"]
    ev = client.get(f"/api/events/{eid}").json()
    text_ = ev["article"]["text"]
    assert ev["evidence_spans"]
    for s in ev["evidence_spans"]:
        assert text_[s["start"]:s["end"]] == s["text"]
    loc = ev["provenance"]["location"]
    assert loc["value"] == ev["location"] and loc["component"] and loc["reason"]
    for s in loc["spans"]:
        assert text_[s["start"]:s["end"]] == s["text"]
    assert client.get("/api/events/999999").status_code == 404
    assert client.get("/api/events/abc").status_code == 422


def test_counts(client):
    days = client.get("/api/counts/day").json()
    assert sum(d["count"] for d in days) == 4
    assert {"date", "event_type", "count"} <= set(days[0])
    syria_days = client.get("/api/counts/day", params={"country": "Syria"}).json()
    assert sum(d["count"] for d in syria_days) == 3
    types = client.get("/api/counts/type", params={"country": "Syria"}).json()
    by = {(t["event_type"], t["sub_event_type"]): t for t in types}
    assert by[("Explosions/Remote violence", "Shelling/artillery/missile attack")]["fatalities"] == 5
    assert client.get("/api/counts/type", params={"limit": "x"}).status_code == 422


def test_facets(client):
    f = client.get("/api/facets").json()
    assert [c["value"] for c in f["countries"]] == ["Syria", "Egypt"]
    assert {"Protests", "Strategic developments"} <= {t["value"] for t in f["event_types"]}
    assert "Civilians (Syria)" in {a["value"] for a in f["actors"]}


def test_exports(client):
    r = client.get("/api/export.csv", params={"country": "Syria"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 3
    g = client.get("/api/export.geojson").json()
    assert len(g["features"]) == 3  # the event without coordinates is left out
    p = client.get("/api/export.parquet", params={"event_type": "Protests"})
    assert p.status_code == 200
    pq = pytest.importorskip("pyarrow.parquet")
    assert pq.read_table(io.BytesIO(p.content)).num_rows == 2
    assert client.get("/api/export.csv", params={"limit": 99999}).status_code == 422


def test_hostile_content_is_data_and_csp_set(client):
    r = client.get("/api/events", params={"country": "Syria", "event_type": "Protests"})
    assert r.headers["content-type"].startswith("application/json")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    titles = {e["title"] for e in r.json()["events"]}
    assert HOSTILE_TITLE in titles  # returned verbatim, as JSON data


def test_body_and_docs(client):
    assert client.post("/api/events", content=b"x" * 100).status_code in (405, 413)
    assert client.get("/openapi.json").json()["paths"]["/api/events"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "cdn" not in docs.text.lower()
    assert "rasd" in client.get("/").text


def test_search_function(store):
    hits = store.search("مدنيون")
    assert [h["id"] for h in hits] == ["sample-syria-1"]
    assert store.search("") == []
    assert store.search("\"*") == []
