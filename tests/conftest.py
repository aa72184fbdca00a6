"""Shared test fixtures."""
from __future__ import annotations

import os
import uuid

import pytest

STORE_BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("RASD_TEST_PG_URL") else [])


@pytest.fixture(scope="module")
def release_e5_model():
    """For modules that load the dequantised e5 model (~0.5 GB): drop every cached copy when the
    module is done and hand the memory back to the OS, because later tests fork subprocesses whose
    measured peak RSS includes the pages of this process at fork time."""
    yield
    import ctypes
    import gc
    import sys

    for name, attr in (("rasd.nlp.e5_weights", "load"), ("rasd.nlp.ner_e5", "_default_tagger"),
                       ("rasd.nlp.sentence_encoder", "default_adapter")):
        cached = getattr(sys.modules.get(name), attr, None)
        if cached is not None:
            cached.cache_clear()
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc: the allocator keeps what it keeps


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


@pytest.fixture(params=STORE_BACKENDS, scope="module")
def backend_store(request, tmp_path_factory, pg_store_factory):
    """An empty migrated store per backend (SQLite; PostgreSQL with ``RASD_TEST_PG_URL``), one per module."""
    from rasd.store import Store

    if request.param == "sqlite":
        s = Store(tmp_path_factory.mktemp("store") / "store.db")
    else:
        s = pg_store_factory()
    yield s
    s.close()
