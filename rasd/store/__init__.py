"""Event store: SQLite (default) or PostgreSQL behind SQLAlchemy 2, migrated with Alembic."""
from rasd.store.incidents import IncidentFilter, rebuild_incidents, update_incidents
from rasd.store.query import EventFilter
from rasd.store.store import IngestReport, Store, content_hash

__all__ = ["EventFilter", "IncidentFilter", "IngestReport", "Store", "content_hash", "rebuild_incidents",
           "update_incidents"]
