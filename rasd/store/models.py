"""Relational schema of the store (SQLAlchemy Core tables).

The tables are the single definition of the schema; the initial Alembic migration
creates them from here, later migrations change them step by step. The full-text
index is dialect-specific and lives only in the migrations and ``rasd.store.search``.
"""
from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

articles = Table(
    "articles",
    metadata,
    # Integer surrogate key: the FTS index (SQLite FTS5 rowid) needs one; ``id`` is the reader's id.
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("id", String(255), nullable=False, index=True),
    Column("source", String(255)),
    Column("url", Text),
    Column("title", Text),
    Column("text", Text, nullable=False),
    Column("published", Date),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("warnings", Text),  # JSON list
    Column("ingested_at", DateTime(timezone=True), nullable=False),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_pk", Integer, ForeignKey("articles.pk", ondelete="CASCADE"), nullable=False, index=True),
    Column("event_index", Integer, nullable=False),
    Column("event_id_cnty", String(300), nullable=False),
    Column("event_date", Date, index=True),
    Column("year", Integer),
    Column("time_precision", Integer),
    Column("event_type", String(64), index=True),
    Column("sub_event_type", String(64)),
    Column("actor1", Text, index=True),
    Column("inter1", Integer),
    Column("actor2", Text, index=True),
    Column("inter2", Integer),
    Column("interaction", Integer),
    # ACLED's associated actors (an ally fighting beside actor1 / actor2); searched with the actors.
    Column("assoc_actor_1", Text),
    Column("assoc_actor_2", Text),
    Column("country", String(128), index=True),
    Column("admin1", String(255), index=True),
    Column("location", Text),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("geo_precision", Integer),
    Column("fatalities", Integer),
    Column("confidence", Float),
    Column("notes", Text),
    Index("ix_events_lat_lon", "latitude", "longitude"),
    Index("ix_events_country_date", "country", "event_date"),
)

# Evidence of the event as a whole (field = '_evidence') and the spans/decision behind each coded field.
evidence_spans = Table(
    "evidence_spans",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("field", String(64), nullable=False),
    Column("start", Integer),
    Column("end", Integer),
    Column("text", Text),
    Column("value", Text),  # JSON of the decided value
    Column("component", String(64)),
    Column("reason", Text),
)

mentions = Table(
    "mentions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_pk", Integer, ForeignKey("articles.pk", ondelete="CASCADE"), nullable=False, index=True),
    Column("label", String(32), nullable=False, index=True),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text),
    Column("value", Text),  # JSON
    Column("component", String(64)),
    Column("reason", Text),
)

ingest_runs = Table(
    "ingest_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("source", Text),
    Column("stored", Integer, default=0),
    Column("skipped_duplicates", Integer, default=0),
    Column("failed", Integer, default=0),
)

ingest_failures = Table(
    "ingest_failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("ingest_runs.id", ondelete="CASCADE"), index=True),
    Column("source", Text),
    Column("line", Integer),
    Column("message", Text, nullable=False),
)

# Incidents: the events of several articles that report one incident (``rasd.consolidate``'s rules),
# built by ``rasd.store.incidents``. Every stored event belongs to exactly one incident (a report no
# other matched is an incident of one). An incident's id is its lead report's ``events.id`` (the
# earliest report, from which the incident grew), so a rebuild over the same events keeps the ids.
incidents = Table(
    "incidents",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("event_type", String(64)),
    Column("sub_event_type", String(64)),
    Column("event_date", Date),  # the date most reports give (ties: the lead's)
    Column("date_first", Date),  # earliest and latest event_date among the reports
    Column("date_last", Date),
    Column("actor1", Text),
    Column("actor2", Text),
    Column("country", String(128)),
    Column("admin1", String(255)),
    Column("location", Text),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("geo_precision", Integer),
    Column("fatalities", Integer),  # ACLED: the lowest figure a report states
    Column("n_reports", Integer, nullable=False),
    Column("n_sources", Integer, nullable=False),  # distinct outlets (articles.source)
    Column("first_seen", Date),  # earliest and latest publication date of the reporting articles
    Column("last_seen", Date),
    Column("reason", Text),
    Column("fatalities_reason", Text),
    Column("built_at", DateTime(timezone=True), nullable=False),
    Index("ix_incidents_event_date", "event_date"),
    Index("ix_incidents_event_type", "event_type"),
    Index("ix_incidents_country_date", "country", "event_date"),
    Index("ix_incidents_admin1", "admin1"),
    Index("ix_incidents_lat_lon", "latitude", "longitude"),
    Index("ix_incidents_n_reports", "n_reports"),
)

incident_events = Table(
    "incident_events",
    metadata,
    # One row per stored event: an event is in one incident only.
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("incident_id", Integer, ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False),
    Column("rank", Integer, nullable=False),  # 0 = the lead report, then in the order the reports joined
    Column("reason", Text),  # which rules merged this report into the incident
    Index("ix_incident_events_incident_id", "incident_id"),
)

# One row per build (full, date range, or after an ingest), with the parameters it used: an ingest
# consolidates its new events with the km/days of the latest build, so one store is never a mix.
incident_builds = Table(
    "incident_builds",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("built_at", DateTime(timezone=True), nullable=False),
    Column("scope", String(16), nullable=False),  # full | range | ingest
    Column("km", Float, nullable=False),
    Column("days", Integer, nullable=False),
    Column("date_from", Date),
    Column("date_to", Date),
    Column("events", Integer),  # events consolidated
    Column("incidents", Integer),  # incidents written
)

__all__ = ["metadata", "articles", "events", "evidence_spans", "mentions", "ingest_runs", "ingest_failures",
           "incidents", "incident_events", "incident_builds"]
