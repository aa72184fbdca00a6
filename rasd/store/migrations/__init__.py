"""Alembic migrations of the rasd store; applied automatically by ``rasd.store.Store``."""
