"""Incidents in the store: building (ingest, rebuild, ranges), the 0003 migration, the API and the CLI.

The fixture (rasd.store.samples.incident_documents): two outlets report one suicide bombing in Tikrit
(same day, ~3 km apart, tolls 7 and 9), a third article an unrelated protest in Basra.
On SQLite, and on PostgreSQL too when RASD_TEST_PG_URL is set (same pattern as tests/test_api_events.py).
"""
import datetime as dt
import os
import sys
import types
import uuid

import pytest
from sqlalchemy import Table, create_engine, func, inspect, select, text

from rasd.doc import Document
from rasd.extract import extract
from rasd.store import IncidentFilter, Store
from rasd.store.db import alembic_config, make_engine, normalise_url
from rasd.store.incidents import last_parameters
from rasd.store.models import events, incident_builds, incident_events, incidents, metadata
from rasd.store.samples import incident_documents, sample_documents

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("RASD_TEST_PG_URL") else [])
NEW_TABLES = {"incidents", "incident_events", "incident_builds"}


def _pg_engine():
    """An engine on a private, empty schema (not migrated) and a function that drops it."""
    url = normalise_url(os.environ["RASD_TEST_PG_URL"])
    schema = "t_" + uuid.uuid4().hex[:10]
    admin = create_engine(url)
    with admin.begin() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))

    def drop() -> None:
        with admin.begin() as c:
            c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return create_engine(url, connect_args={"options": f"-csearch_path={schema}"}), drop


@pytest.fixture(params=BACKENDS)
def bare_engine(request, tmp_path):
    """A database with no schema yet: SQLite file or a private PostgreSQL schema."""
    if request.param == "sqlite":
        engine = make_engine(tmp_path / "inc.db")
        yield engine
        engine.dispose()
    else:
        engine, drop = _pg_engine()
        yield engine
        engine.dispose()
        drop()


@pytest.fixture
def store(bare_engine):
    from rasd.store.db import migrate

    migrate(bare_engine)
    s = Store(engine=bare_engine)
    yield s


def rows(store, table=incidents):
    with store.engine.connect() as c:
        return [dict(r._mapping) for r in c.execute(select(table).order_by(*table.primary_key.columns))]


def count(store, table):
    with store.engine.connect() as c:
        return c.execute(select(func.count()).select_from(table)).scalar_one()


def event_ids(store):
    with store.engine.connect() as c:
        return dict(c.execute(select(events.c.event_id_cnty, events.c.id)).all())


# ---------------------------------------------------------------- building


def test_two_reports_of_one_bombing_are_one_incident(store):
    report = store.ingest(incident_documents())
    assert report.incidents.scope == "ingest" and (report.incidents.events, report.incidents.incidents) == (3, 2)
    total, page = store.incidents()
    assert total == 2
    bombing = next(i for i in page if i["event_type"] == "Explosions/Remote violence")
    protest = next(i for i in page if i["event_type"] == "Protests")
    ids = event_ids(store)
    assert bombing["id"] == ids["tikrit-alpha-1-1"]  # the lead report's event id
    assert (bombing["n_reports"], bombing["n_sources"], bombing["fatalities"]) == (2, 2, 7)  # lowest stated toll
    assert bombing["actor1"] == "Islamic State (Iraq)"  # a known actor wins over the unnamed one
    assert bombing["location"] == "Tikrit" and bombing["country"] == "Iraq" and bombing["event_date"] == "2021-03-14"
    assert bombing["first_seen"] == bombing["last_seen"] == "2021-03-14"
    assert "3.0 km apart" in bombing["reason"] and "lowest" in bombing["fatalities_reason"]
    assert protest["n_reports"] == 1 and protest["id"] == ids["basra-gamma-1-1"]
    # every stored event is in exactly one incident
    links = {r["event_id"]: (r["incident_id"], r["rank"]) for r in rows(store, incident_events)}
    assert links == {ids["tikrit-alpha-1-1"]: (bombing["id"], 0), ids["tikrit-beta-1-1"]: (bombing["id"], 1),
                     ids["basra-gamma-1-1"]: (protest["id"], 0)}
    detail = store.incident(bombing["id"])
    assert [m["article_id"] for m in detail["events"]] == ["tikrit-alpha-1", "tikrit-beta-1"]
    assert detail["events"][1]["merge_reason"].startswith("tikrit-beta-1-1 joined tikrit-alpha-1-1")


def test_ingesting_the_same_files_again_keeps_the_incidents(store):
    store.ingest(incident_documents())
    before = rows(store), rows(store, incident_events)
    again = store.ingest(incident_documents())
    assert again.stored == 0 and again.incidents.scope == "none"
    assert (rows(store), rows(store, incident_events)) == before
    # a full rebuild over the same events gives the same incidents, ids included
    b = store.rebuild_incidents()
    assert (b.scope, b.events, b.incidents, b.merged, b.removed) == ("full", 3, 2, 1, 2)
    strip = lambda rs: [{k: v for k, v in r.items() if k != "built_at"} for r in rs]  # noqa: E731
    assert strip(rows(store)) == strip(before[0]) and rows(store, incident_events) == before[1]


def test_a_later_report_joins_the_stored_incident(store):
    a, b, c = incident_documents()
    store.ingest([b, c])
    assert count(store, incidents) == 2
    protest_before = [r for r in rows(store) if r["event_type"] == "Protests"]
    r = store.ingest([a])  # the earlier-sorting report arrives later: it becomes the lead
    assert r.incidents.incidents == 2  # the window around 2021-03-14 takes both incidents again
    ids = event_ids(store)
    bombing = store.incident(ids["tikrit-alpha-1-1"])
    assert bombing["n_reports"] == 2 and [m["rank"] for m in bombing["events"]] == [0, 1]
    assert store.incident(ids["tikrit-beta-1-1"]) is None  # no longer an incident of its own
    assert count(store, incidents) == 2 and count(store, incident_events) == 3
    assert [r for r in rows(store) if r["event_type"] == "Protests"][0]["id"] == protest_before[0]["id"]


def test_incidents_far_from_new_events_are_left_alone(store):
    store.ingest(sample_documents())  # 2019 events
    old = rows(store)
    store.ingest(incident_documents())  # 2021: its window does not reach 2019
    assert [r for r in rows(store) if r["id"] in {o["id"] for o in old}] == old
    assert count(store, incidents) == 6


def test_rebuild_parameters_are_kept_for_later_ingests(store):
    a, b, c = incident_documents()
    store.ingest([a, c])
    built = store.rebuild_incidents(km=1, days=0)  # the reports are ~3 km apart: no merge at 1 km
    assert built.incidents == 2
    store.ingest([b])
    with store.engine.connect() as conn:
        assert last_parameters(conn) == (1.0, 0)
    assert count(store, incidents) == 3 and store.incidents(IncidentFilter(min_reports=2))[0] == 0
    scopes = [r["scope"] for r in rows(store, incident_builds)]
    assert scopes == ["ingest", "full", "ingest"]
    store.rebuild_incidents(km=10, days=1)
    assert count(store, incidents) == 2


def test_date_range_rebuild(store):
    store.ingest(sample_documents() + incident_documents())
    before = rows(store)
    b = store.rebuild_incidents(km=1, date_from=dt.date(2021, 3, 1), date_to=dt.date(2021, 3, 31))
    assert (b.scope, b.events, b.removed, b.incidents) == ("range", 3, 2, 3)
    after = {r["id"]: r for r in rows(store)}
    assert all(after[r["id"]] == r for r in before if r["event_date"].year == 2019)  # 2019 untouched
    assert count(store, incidents) == 7
    assert store.rebuild_incidents(date_from=dt.date(2030, 1, 1)).events == 0
    with pytest.raises(ValueError):
        store.rebuild_incidents(date_from=dt.date(2021, 3, 2), date_to=dt.date(2021, 3, 1))
    with pytest.raises(ValueError):
        store.rebuild_incidents(km=0)


def test_events_left_without_incident_are_picked_up(store):
    store.ingest(incident_documents(), incidents=False)  # as if the run died before its incident step
    assert count(store, incidents) == 0
    r = store.ingest([])  # the next run (nothing new) consolidates them
    assert r.incidents.incidents == 2 and count(store, incident_events) == 3


def test_undated_and_unplaced_events_are_incidents_of_their_own(store):
    docs = sample_documents()  # one event has no coordinates
    docs[2].events[0].fields["event_date"] = None
    store.ingest(docs)
    assert count(store, incidents) == count(store, events) == 4


def test_deleting_an_article_cascades_to_its_links(store):
    store.ingest(incident_documents())
    with store.engine.begin() as c:
        c.execute(text("DELETE FROM articles WHERE id = 'tikrit-beta-1'"))
    assert count(store, incident_events) == 2
    assert store.ingest([]).incidents.scope == "none"
    assert store.rebuild_incidents().incidents == 2


# ---------------------------------------------------------------- migration


def _upgrade(engine, revision):
    from alembic import command

    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def _downgrade(engine, revision):
    from alembic import command

    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def test_upgrade_from_0002_adds_the_incident_tables(bare_engine):
    _upgrade(bare_engine, "head")
    old = Store(engine=bare_engine)
    assert old.ingest(incident_documents(), incidents=False).stored == 3
    _downgrade(bare_engine, "0002")  # a store at 0002 with its data, as an older rasd left it
    assert not NEW_TABLES & set(inspect(bare_engine).get_table_names())
    from rasd.store.db import _head_revision, migrate

    migrate(bare_engine)  # what opening the store does
    insp = inspect(bare_engine)
    assert NEW_TABLES <= set(insp.get_table_names())
    with bare_engine.connect() as c:
        assert c.execute(text("SELECT version_num FROM alembic_version")).scalar() == _head_revision()
    assert {"ix_incidents_event_date", "ix_incidents_country_date"} <= {i["name"] for i in insp.get_indexes("incidents")}
    s = Store(engine=bare_engine)
    assert s.incidents()[0] == 0  # nothing built by the migration itself
    assert s.ingest([]).incidents.incidents == 2  # the next ingest consolidates the old events
    # and back down
    _downgrade(bare_engine, "0002")
    assert not NEW_TABLES & set(inspect(bare_engine).get_table_names())


def test_upgrade_to_0004_copies_associated_actors_from_the_provenance(bare_engine):
    _upgrade(bare_engine, "head")
    doc = extract(Document(id="ramadi-1", published=dt.date(2020, 5, 10),
                           text="سيطرت القوات العراقية بمساندة الحشد الشعبي أمس على حي في مدينة الرمادي."))
    assert Store(engine=bare_engine).ingest([doc], incidents=False).stored == 1
    _downgrade(bare_engine, "0003")  # the columns go; the provenance rows stay
    assert "assoc_actor_1" not in {c["name"] for c in inspect(bare_engine).get_columns("events")}
    from rasd.store.db import migrate

    migrate(bare_engine)
    with bare_engine.connect() as c:
        got = c.execute(text("SELECT actor1, assoc_actor_1, assoc_actor_2 FROM events")).all()
    assert got == [("Military Forces of Iraq", "Popular Mobilization Forces", None)]


def test_fresh_database_and_models_agree_with_the_migrations(bare_engine):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from rasd.store.db import migrate

    migrate(bare_engine)
    with bare_engine.connect() as c:
        diffs = compare_metadata(MigrationContext.configure(c), metadata)

    def table_of(d):
        if isinstance(d, list):  # column modifications: (op, schema, table, column, ...)
            return d[0][2]
        if d[0] in ("add_column", "remove_column"):
            return d[2]
        return d[1].name if isinstance(d[1], Table) else d[1].table.name  # tables; indexes, constraints

    assert [d for d in diffs if table_of(d) in NEW_TABLES] == []


# ---------------------------------------------------------------- API


@pytest.fixture
def client(store):
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from rasd.api.app import create_app

    store.ingest(incident_documents() + sample_documents())
    with TestClient(create_app(store=store)) as c:
        yield c


@pytest.mark.parametrize(
    "params, expected",
    [
        ({}, 6),
        ({"country": "Iraq"}, 2),
        ({"event_type": "Explosions/Remote violence"}, 2),
        ({"event_type": "Explosions/Remote violence", "country": "Iraq"}, 1),
        ({"min_reports": 2}, 1),
        ({"actor": "islamic state"}, 1),
        ({"admin1": "Salah al-Din"}, 1),
        ({"sub_event_type": "Suicide bomb"}, 1),
        ({"date_from": "2021-03-14", "date_to": "2021-03-14"}, 2),
        ({"date_from": "2021-03-15"}, 0),
        ({"bbox": "43,34,44,35"}, 1),
        ({"q": "تكريت"}, 1),  # both bombing articles match: one incident
        ({"q": "الكهرباء"}, 2),  # the Basra protest and the (2019) Aleppo protest
        ({"limit": 1}, 6),
    ],
)
def test_api_incident_filters(client, params, expected):
    r = client.get("/api/incidents", params=params)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] == expected
    assert len(body["incidents"]) == min(expected, params.get("limit", 100))


def test_api_incidents_newest_first_and_paged(client):
    first = client.get("/api/incidents", params={"limit": 2}).json()["incidents"]
    rest = client.get("/api/incidents", params={"limit": 10, "offset": 2}).json()["incidents"]
    dates = [i["event_date"] for i in first + rest if i["event_date"]]
    assert dates == sorted(dates, reverse=True) and len(first + rest) == 6
    assert {i["id"] for i in first}.isdisjoint({i["id"] for i in rest})


def test_api_incident_detail(client):
    bombing = client.get("/api/incidents", params={"min_reports": 2}).json()["incidents"][0]
    r = client.get(f"/api/incidents/{bombing['id']}")
    assert r.status_code == 200
    body = r.json()
    assert body["n_reports"] == 2 and body["fatalities"] == 7
    members = body["events"]
    assert [(m["article_id"], m["title"], m["source"], m["rank"]) for m in members] == [
        ("tikrit-alpha-1", "سبعة قتلى في تفجير انتحاري بتكريت", "alpha", 0),
        ("tikrit-beta-1", "تسعة قتلى بتفجير قرب سوق في تكريت", "beta", 1),
    ]
    assert members[0]["id"] == bombing["id"] and "joined" in members[1]["merge_reason"]
    assert client.get(f"/api/events/{members[1]['id']}").status_code == 200  # members link to their events
    r = client.get("/api/incidents/999999")
    assert r.status_code == 404 and r.json() == {"error": "no incident 999999"}


@pytest.mark.parametrize(
    "url",
    [
        "/api/incidents?min_reports=0",
        "/api/incidents?min_reports=x",
        "/api/incidents?limit=100000",
        "/api/incidents?offset=-1",
        "/api/incidents?date_from=2021-03-15&date_to=2021-03-01",
        "/api/incidents?date_from=yesterday",
        "/api/incidents?bbox=1,2,3",
        "/api/incidents?country=x%00",
        "/api/incidents?unknown=1",
        "/api/incidents/0",
        "/api/incidents/abc",
    ],
)
def test_api_incidents_bad_params_are_422_json(client, url):
    r = client.get(url)
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/json")
    assert r.json()["error"] == "invalid parameters"


def test_api_incidents_documented(client):
    paths = client.get("/openapi.json").json()["paths"]
    listing, detail = paths["/api/incidents"]["get"], paths["/api/incidents/{incident_id}"]["get"]
    assert listing["summary"] and "n_reports" in listing["description"] and detail["description"]
    params = {p["name"]: p for p in listing["parameters"]}
    assert {"country", "event_type", "actor", "q", "date_from", "date_to", "bbox", "limit", "offset",
            "min_reports"} <= set(params)
    assert "at least" in params["min_reports"]["description"]


# ---------------------------------------------------------------- CLI


def test_cli_ingest_twice_and_rebuild(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from rasd.cli import app

    # Stand-in readers and extraction (other areas'): the fixture's coded events, as in test_store_ingest.
    fake = types.ModuleType("rasd.ingest.readers")
    fake.read_path = lambda path, published=None: iter(incident_documents())
    monkeypatch.setitem(sys.modules, "rasd.ingest.readers", fake)
    import rasd.extract

    monkeypatch.setattr(rasd.extract, "extract_many", lambda items, workers=1: iter(items))
    db = tmp_path / "cli.db"
    runner = CliRunner()
    for _ in range(2):
        r = runner.invoke(app, ["ingest", str(tmp_path), "--db", str(db)])
        assert r.exit_code == 0, r.output
        s = Store(db)
        assert s.incidents()[0] == 2 and s.incidents(IncidentFilter(min_reports=2))[0] == 1
        s.close()
    assert "up to date" in r.output
    r = runner.invoke(app, ["incidents", "rebuild", "--db", str(db), "--km", "1"])
    assert r.exit_code == 0, r.output
    assert "3 built from 3 events" in r.output
    r = runner.invoke(app, ["incidents", "rebuild", "--db", str(db), "--date-from", "2021-03-14",
                            "--date-to", "2021-03-14"])
    assert r.exit_code == 0 and "2 built from 3 events" in r.output  # --km back to 10
    for bad in (["--km", "0"], ["--days", "-1"], ["--date-from", "2021-03-15", "--date-to", "2021-03-01"],
                ["--date-from", "March"]):
        r = runner.invoke(app, ["incidents", "rebuild", "--db", str(db), *bad])
        assert r.exit_code != 0, bad
