"""Incidents: several articles' reports of one incident stored as one row, linked to its events.

Tables ``incidents`` (one row per incident, its id the lead report's event id), ``incident_events``
(every stored event -> its incident, with the rank and the rules that merged it) and
``incident_builds`` (each build's km/days, which later ingests reuse). Built by
``rasd.store.incidents``; a store upgraded from 0002 has its existing events consolidated by
``rasd incidents rebuild`` or by the next ``rasd ingest`` (it takes every event not yet in an incident).

Revision ID: 0003
Revises: 0002
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("event_type", sa.String(64)),
        sa.Column("sub_event_type", sa.String(64)),
        sa.Column("event_date", sa.Date),
        sa.Column("date_first", sa.Date),
        sa.Column("date_last", sa.Date),
        sa.Column("actor1", sa.Text),
        sa.Column("actor2", sa.Text),
        sa.Column("country", sa.String(128)),
        sa.Column("admin1", sa.String(255)),
        sa.Column("location", sa.Text),
        sa.Column("latitude", sa.Float),
        sa.Column("longitude", sa.Float),
        sa.Column("geo_precision", sa.Integer),
        sa.Column("fatalities", sa.Integer),
        sa.Column("n_reports", sa.Integer, nullable=False),
        sa.Column("n_sources", sa.Integer, nullable=False),
        sa.Column("first_seen", sa.Date),
        sa.Column("last_seen", sa.Date),
        sa.Column("reason", sa.Text),
        sa.Column("fatalities_reason", sa.Text),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_incidents"),
    )
    # What /api/incidents filters and sorts on (newest first; country + dates; type; region; map box;
    # multi-report incidents).
    op.create_index("ix_incidents_event_date", "incidents", ["event_date"])
    op.create_index("ix_incidents_event_type", "incidents", ["event_type"])
    op.create_index("ix_incidents_country_date", "incidents", ["country", "event_date"])
    op.create_index("ix_incidents_admin1", "incidents", ["admin1"])
    op.create_index("ix_incidents_lat_lon", "incidents", ["latitude", "longitude"])
    op.create_index("ix_incidents_n_reports", "incidents", ["n_reports"])

    op.create_table(
        "incident_events",
        sa.Column("event_id", sa.Integer, nullable=False),
        sa.Column("incident_id", sa.Integer, nullable=False),
        sa.Column("rank", sa.Integer, nullable=False),
        sa.Column("reason", sa.Text),
        sa.PrimaryKeyConstraint("event_id", name="pk_incident_events"),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE",
                                name="fk_incident_events_event_id_events"),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"], ondelete="CASCADE",
                                name="fk_incident_events_incident_id_incidents"),
    )
    op.create_index("ix_incident_events_incident_id", "incident_events", ["incident_id"])

    op.create_table(
        "incident_builds",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("scope", sa.String(16), nullable=False),
        sa.Column("km", sa.Float, nullable=False),
        sa.Column("days", sa.Integer, nullable=False),
        sa.Column("date_from", sa.Date),
        sa.Column("date_to", sa.Date),
        sa.Column("events", sa.Integer),
        sa.Column("incidents", sa.Integer),
        sa.PrimaryKeyConstraint("id", name="pk_incident_builds"),
    )


def downgrade() -> None:
    op.drop_table("incident_builds")
    op.drop_index("ix_incident_events_incident_id", table_name="incident_events")
    op.drop_table("incident_events")
    for name in ("ix_incidents_n_reports", "ix_incidents_lat_lon", "ix_incidents_admin1", "ix_incidents_country_date",
                 "ix_incidents_event_type", "ix_incidents_event_date"):
        op.drop_index(name, table_name="incidents")
    op.drop_table("incidents")
