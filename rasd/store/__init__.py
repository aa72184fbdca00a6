"""Event store: SQLite (default) or PostgreSQL behind SQLAlchemy 2, migrated with Alembic."""
from rasd.store.query import EventFilter
from rasd.store.store import IngestReport, Store, content_hash

__all__ = ["EventFilter", "IngestReport", "Store", "content_hash"]
