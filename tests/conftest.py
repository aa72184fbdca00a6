"""Shared test fixtures."""
from __future__ import annotations

import os
import uuid

import pytest


@pytest.fixture(scope="session")
def pg_store_factory():
    """Migrated stores on private PostgreSQL schemas (``RASD_TEST_PG_URL``), dropped after the session.

    A private schema per store, so parallel runs and old data never interfere.
    """
    from sqlalchemy import create_engine, text

    from rasd.store import Store
    from rasd.store.db import migrate, normalise_url

    url = normalise_url(os.environ.get("RASD_TEST_PG_URL", ""))
    schemas: list[str] = []

    def make() -> Store:
        schema = "t_" + uuid.uuid4().hex[:10]
        admin = create_engine(url)
        with admin.begin() as c:
            c.execute(text(f'CREATE SCHEMA "{schema}"'))
        admin.dispose()
        schemas.append(schema)
        engine = create_engine(url, connect_args={"options": f"-csearch_path={schema}"})
        migrate(engine)
        return Store(engine=engine)

    yield make
    if schemas:
        admin = create_engine(url)
        with admin.begin() as c:
            for schema in schemas:
                c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
