"""ACLED's associated actors as columns of ``events``, so the actor filter and the facets see them.

Until now the decided value lived only in the provenance rows (``evidence_spans.field`` =
``assoc_actor_N``, ``value`` = the name as JSON); the upgrade copies it from there.

Revision ID: 0004
Revises: 0003
"""
from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SLOTS = ("assoc_actor_1", "assoc_actor_2")


def upgrade() -> None:
    conn = op.get_bind()
    # 0001 creates its tables from the current models, so a fresh database has the columns already;
    # one made by an older rasd does not.
    have = {c["name"] for c in sa.inspect(conn).get_columns("events")}
    for slot in SLOTS:
        if slot not in have:
            op.add_column("events", sa.Column(slot, sa.Text))
    spans = sa.table("evidence_spans", sa.column("event_id"), sa.column("field"), sa.column("value"))
    events = sa.table("events", sa.column("id"), *(sa.column(slot) for slot in SLOTS))
    for slot in SLOTS:
        rows = conn.execute(
            sa.select(spans.c.event_id, spans.c.value).where(spans.c.field == slot, spans.c.value.is_not(None))
        ).all()
        updates = [{"eid": eid, "name": name} for eid, value in rows if (name := json.loads(value))]
        if updates:
            conn.execute(
                events.update().where(events.c.id == sa.bindparam("eid")).values({slot: sa.bindparam("name")}),
                updates,
            )


def downgrade() -> None:
    for slot in reversed(SLOTS):
        op.drop_column("events", slot)
