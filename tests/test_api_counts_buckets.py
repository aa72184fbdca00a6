"""Day / ISO-week / month timeline counts (store and /api/counts/day?bucket=...), on SQLite and,
when RASD_TEST_PG_URL is set, on PostgreSQL too (the backend_store fixture of tests/conftest.py)."""
import collections
import datetime as dt

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from rasd.api.app import create_app  # noqa: E402
from rasd.doc import Document, Event  # noqa: E402
from rasd.store import EventFilter  # noqa: E402


# Syria: 2024-01-01 is a Monday, 2024-01-07 the Sunday of the same ISO week, 2024-01-08 the next
# Monday, 2024-02-29 a leap day (Thursday; its week starts on Monday 2024-02-26).
SYRIA_DATES = ["2024-01-01", "2024-01-07", "2024-01-08", "2024-02-29"]
# Iraq: a Sunday whose week starts in the previous year, a Wednesday in Syria's first week, and a
# Wednesday whose week starts in the previous year (2024-12-30).
IRAQ_DATES = ["2023-12-31", "2024-01-03", "2025-01-01"]
# Libya: one event every day for 16 months (every weekday, a leap day, two year ends).
LIBYA_FIRST, LIBYA_DAYS = dt.date(2023, 11, 27), 490
LIBYA_DATES = [(LIBYA_FIRST + dt.timedelta(days=i)).isoformat() for i in range(LIBYA_DAYS)]


def _event(date: str | None, event_type: str, country: str) -> Event:
    ev = Event()
    for name, value in (("event_type", event_type), ("event_date", date), ("country", country),
                        ("time_precision", 1), ("fatalities", 0)):
        ev.set(name, value, "test", "synthetic fixture")
    return ev


def _doc(doc_id: str, events: list[Event]) -> Document:
    return Document(id=doc_id, text=f"نص تجريبي {doc_id}", title=doc_id, published=dt.date(2024, 3, 1),
                    source="test", events=events)


def _documents() -> list[Document]:
    return [
        _doc("syria", [_event(d, "Protests", "Syria") for d in SYRIA_DATES]),
        _doc("iraq", [_event(d, "Battles", "Iraq") for d in IRAQ_DATES] + [_event(None, "Battles", "Iraq")]),
        _doc("libya", [_event(d, "Riots", "Libya") for d in LIBYA_DATES]),
    ]


@pytest.fixture(scope="module")
def store(backend_store):
    backend_store.ingest(_documents())
    return backend_store


@pytest.fixture
def client(store):
    with TestClient(create_app(store=store)) as c:
        yield c


def _rows(counts):
    return [(r["date"], r["event_type"], r["count"]) for r in counts]


SYRIA = EventFilter(country="Syria")


def test_week_and_month_boundaries(store):
    assert _rows(store.counts_by_day(SYRIA, "week")) == [
        ("2024-01-01", "Protests", 2), ("2024-01-08", "Protests", 1), ("2024-02-26", "Protests", 1)]
    assert _rows(store.counts_by_day(SYRIA, "month")) == [
        ("2024-01-01", "Protests", 3), ("2024-02-01", "Protests", 1)]
    assert _rows(store.counts_by_day(SYRIA, "day")) == [(d, "Protests", 1) for d in SYRIA_DATES]
    assert store.counts_by_day(SYRIA) == store.counts_by_day(SYRIA, "day")  # the default is unchanged


def test_buckets_split_by_type_across_year_ends(store):
    # Weeks and months that start in the previous year; the Iraqi event without a date is left
    # out, as in the day counts.
    f = EventFilter(country="Iraq")
    assert _rows(store.counts_by_day(f, "week")) == [
        ("2023-12-25", "Battles", 1), ("2024-01-01", "Battles", 1), ("2024-12-30", "Battles", 1)]
    assert _rows(store.counts_by_day(f, "month")) == [
        ("2023-12-01", "Battles", 1), ("2024-01-01", "Battles", 1), ("2025-01-01", "Battles", 1)]
    assert store.counts_by_day(EventFilter(event_type="Protests"), "week") == store.counts_by_day(SYRIA, "week")
    # Iraq and Syria together: two types share the week of 2024-01-01, one row each, ordered by type.
    both = [r for r in _rows(store.counts_by_day(EventFilter(), "week")) if r[1] != "Riots"]
    assert both == [("2023-12-25", "Battles", 1), ("2024-01-01", "Battles", 1), ("2024-01-01", "Protests", 2),
                    ("2024-01-08", "Protests", 1), ("2024-02-26", "Protests", 1), ("2024-12-30", "Battles", 1)]


def test_every_day_lands_in_its_iso_week_and_month(store):
    f = EventFilter(country="Libya")
    weeks = collections.Counter((d - dt.timedelta(days=d.weekday())).isoformat()
                                for d in map(dt.date.fromisoformat, LIBYA_DATES))
    months = collections.Counter(d[:8] + "01" for d in LIBYA_DATES)
    got_weeks = store.counts_by_day(f, "week")
    got_months = store.counts_by_day(f, "month")
    assert _rows(got_weeks) == [(d, "Riots", n) for d, n in sorted(weeks.items())]
    assert _rows(got_months) == [(d, "Riots", n) for d, n in sorted(months.items())]
    assert all(type(r["count"]) is int and type(r["date"]) is str for r in got_weeks + got_months)
    assert all(dt.date.fromisoformat(r["date"]).weekday() == 0 for r in got_weeks)
    assert sum(r["count"] for r in got_weeks) == sum(r["count"] for r in got_months) == LIBYA_DAYS


def test_filters_apply_to_events_not_buckets(store):
    # date_from falls mid-week: the week still starts on its Monday but counts only the events in range.
    f = EventFilter(country="Syria", date_from=dt.date(2024, 1, 7), date_to=dt.date(2024, 2, 29))
    assert _rows(store.counts_by_day(f, "week")) == [
        ("2024-01-01", "Protests", 1), ("2024-01-08", "Protests", 1), ("2024-02-26", "Protests", 1)]
    assert _rows(store.counts_by_day(EventFilter(country="Nowhere"), "month")) == []


def test_store_rejects_unknown_bucket(store):
    with pytest.raises(ValueError):
        store.counts_by_day(SYRIA, "year")  # type: ignore[arg-type]


def test_api_bucket_param(client):
    r = client.get("/api/counts/day", params={"country": "Syria", "bucket": "week"})
    assert r.status_code == 200, r.text
    assert r.json() == [{"date": "2024-01-01", "event_type": "Protests", "count": 2},
                        {"date": "2024-01-08", "event_type": "Protests", "count": 1},
                        {"date": "2024-02-26", "event_type": "Protests", "count": 1}]
    r = client.get("/api/counts/day", params={"country": "Syria", "bucket": "month"})
    assert _rows(r.json()) == [("2024-01-01", "Protests", 3), ("2024-02-01", "Protests", 1)]
    default = client.get("/api/counts/day", params={"country": "Syria"}).json()
    assert default == client.get("/api/counts/day", params={"country": "Syria", "bucket": "day"}).json()
    assert _rows(default) == [(d, "Protests", 1) for d in SYRIA_DATES]


@pytest.mark.parametrize("value", ["year", "WEEK", "", "week' OR 1=1 --", "day,week"])
def test_api_bad_bucket_is_422_json(client, value):
    r = client.get("/api/counts/day", params={"bucket": value})
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert body["error"] == "invalid parameters"
    assert [d["param"] for d in body["details"]] == ["bucket"]


def test_bucket_only_on_the_time_counts(client):
    # The other endpoints keep rejecting parameters they do not know.
    for path in ("/api/events", "/api/counts/type", "/api/export.csv"):
        assert client.get(path, params={"bucket": "week"}).status_code == 422, path


def test_bucket_documented_in_openapi(client):
    op = client.get("/openapi.json").json()["paths"]["/api/counts/day"]["get"]
    (param,) = [p for p in op["parameters"] if p["name"] == "bucket"]
    assert param["schema"]["enum"] == ["day", "week", "month"] and param["schema"]["default"] == "day"
    assert "Monday" in param["description"] and "week" in op["description"]
