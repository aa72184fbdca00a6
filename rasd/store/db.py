"""Opening a store: engine set-up (SQLite pragmas, PostgreSQL URL) and automatic migrations."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url

DEFAULT_DB = "rasd.db"
_MIGRATIONS = Path(__file__).with_name("migrations")


def normalise_url(db: str | Path | None) -> str:
    """A bare path means a SQLite file; anything with ``://`` is a SQLAlchemy URL."""
    db = str(db or DEFAULT_DB)
    if "://" in db:
        url = make_url(db)
        # "postgresql://" would pick psycopg2, which we do not depend on; psycopg 3 is the driver.
        if url.drivername == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
        return url.render_as_string(hide_password=False)
    return f"sqlite:///{Path(db).expanduser()}"


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001 - DBAPI connection
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")  # readers (the API) never block the ingest writer
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")  # safe with WAL; a crash loses at most the last batch
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()
    # pysqlite only opens a transaction before writes, so two SELECTs of one API request (the
    # total and the page) could see different snapshots while an ingest commits. Let SQLAlchemy
    # emit BEGIN itself (see _sqlite_begin): every connection block reads one snapshot.
    dbapi_conn.isolation_level = None


def _sqlite_begin(conn) -> None:  # noqa: ANN001 - SQLAlchemy Connection
    # A connection with execution option rasd_write_lock=True (the incident builder) takes the write
    # lock at BEGIN, so what it reads cannot be changed by another writer before it writes.
    immediate = conn.get_execution_options().get("rasd_write_lock")
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(db: str | Path | None = None) -> Engine:
    url = normalise_url(db)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    return engine


def alembic_config(engine: Engine):  # -> alembic.config.Config
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


@lru_cache(maxsize=1)
def _head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(_MIGRATIONS)).get_current_head()


def migrate(engine: Engine) -> None:
    """Bring the schema to the latest revision (no-op when it is already there)."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    if current == _head_revision():
        return
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def open_engine(db: str | Path | None = None) -> Engine:
    """Engine for ``db`` with the schema migrated to head."""
    engine = make_engine(db)
    migrate(engine)
    return engine


def table_names(engine: Engine) -> list[str]:
    return inspect(engine).get_table_names()


__all__ = ["DEFAULT_DB", "make_engine", "migrate", "normalise_url", "open_engine", "table_names"]


def __getattr__(name: str):  # ``from rasd.store.db import Store`` also works (without an import cycle)
    if name == "Store":
        from rasd.store.store import Store

        return Store
    raise AttributeError(name)
