"""Covering indexes for the timeline counts (events per day and type, optionally per country).

Revision ID: 0002
Revises: 0001
"""
from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # With event_type in the index the day counts are answered from the index alone
    # (no table lookups): ~1 s -> tens of ms on a million events.
    op.create_index("ix_events_country_date_type", "events", ["country", "event_date", "event_type"], if_not_exists=True)
    op.create_index("ix_events_date_type", "events", ["event_date", "event_type"], if_not_exists=True)


def downgrade() -> None:
    op.drop_index("ix_events_date_type", table_name="events")
    op.drop_index("ix_events_country_date_type", table_name="events")
