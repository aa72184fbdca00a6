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

__all__ = ["metadata", "articles", "events", "evidence_spans", "mentions", "ingest_runs", "ingest_failures"]
