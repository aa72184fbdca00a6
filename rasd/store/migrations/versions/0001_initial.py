"""Initial schema: articles, events, evidence spans, mentions, ingest runs/failures, full-text index.

Revision ID: 0001
Revises:
"""
from __future__ import annotations

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# A frozen copy of the schema as of this revision would be the textbook choice; the tables are
# created from rasd.store.models because this is the first revision (later ones must use op.* steps).
from rasd.store import models  # noqa: E402

# Only the tables of this revision: later revisions add theirs with op.* steps (0003: incidents).
TABLES = ("articles", "events", "evidence_spans", "mentions", "ingest_runs", "ingest_failures")


def _tables():  # noqa: ANN202
    return [models.metadata.tables[name] for name in TABLES]


def upgrade() -> None:
    bind = op.get_bind()
    models.metadata.create_all(bind, tables=_tables())
    if bind.dialect.name == "sqlite":
        # Contentless FTS5 over normalised title+text; rowid = articles.pk. unicode61 splits Arabic words.
        op.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS article_search USING fts5("
            "body, content='', tokenize='unicode61 remove_diacritics 2')"
        )
    elif bind.dialect.name == "postgresql":
        op.execute(
            "CREATE TABLE IF NOT EXISTS article_search ("
            "article_pk INTEGER PRIMARY KEY REFERENCES articles(pk) ON DELETE CASCADE, tsv tsvector NOT NULL)"
        )
        op.execute("CREATE INDEX IF NOT EXISTS ix_article_search_tsv ON article_search USING GIN (tsv)")
    else:
        # Other databases: search falls back to LIKE over articles.text (slow, but correct).
        pass


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS article_search")
    models.metadata.drop_all(op.get_bind(), tables=_tables())
