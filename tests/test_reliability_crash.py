"""``rasd ingest`` killed with SIGKILL mid-run and re-run loses and duplicates nothing;
readers hammering the store during an ingest always see consistent answers.

A clean run into a second database is the reference (articles, events, and the
events of every article). On SQLite by default; on PostgreSQL as well when
RASD_TEST_PG_URL is set (each run in a private schema).
"""
from __future__ import annotations

import importlib.util
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
N_DOCS = 2000
BATCH = 100
PG = os.environ.get("RASD_TEST_PG_URL")


def _article():
    spec = importlib.util.spec_from_file_location("make_bad_inputs", REPO / "scripts" / "make_bad_inputs.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod.article


def _env() -> dict[str, str]:
    return {**os.environ, "COLUMNS": "100000", "PYTHONPATH": str(REPO)}


def _ingest(feed: Path, db: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "rasd.cli", "ingest", str(feed), "--db", db,
                             "--batch-size", str(BATCH)], env=_env(), cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


@pytest.fixture(scope="module")
def feed(tmp_path_factory) -> Path:
    article = _article()
    path = tmp_path_factory.mktemp("feed") / "feed.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for i in range(N_DOCS):
            f.write(json.dumps({"id": f"doc-{i}", "text": article(i, sentences=2), "published": "2021-03-01"},
                               ensure_ascii=False) + "\n")
    return path


class Backend:
    """Counting queries against one database, whatever the engine."""

    def __init__(self, url: str) -> None:
        from sqlalchemy import create_engine

        self.url = url
        self.engine = create_engine(url)

    def scalar(self, sql: str) -> int:
        from sqlalchemy import text
        from sqlalchemy.exc import OperationalError, ProgrammingError

        try:
            with self.engine.connect() as c:
                return int(c.execute(text(sql)).scalar() or 0)
        except (OperationalError, ProgrammingError):  # not created yet
            return 0

    def snapshot(self) -> dict[str, object]:
        from sqlalchemy import text

        with self.engine.connect() as c:
            per_article = sorted(c.execute(text(
                "SELECT a.id, a.content_hash, COUNT(e.id) FROM articles a LEFT JOIN events e ON e.article_pk = a.pk "
                "GROUP BY a.pk, a.id, a.content_hash")).all())
            return {
                "articles": c.execute(text("SELECT COUNT(*) FROM articles")).scalar(),
                "distinct_hashes": c.execute(text("SELECT COUNT(DISTINCT content_hash) FROM articles")).scalar(),
                "events": c.execute(text("SELECT COUNT(*) FROM events")).scalar(),
                "spans": c.execute(text("SELECT COUNT(*) FROM evidence_spans")).scalar(),
                "per_article": [tuple(r) for r in per_article],
            }


def _pg_url(tag: str) -> str:
    # A private schema per database, selected through the connection options.
    from sqlalchemy import create_engine, text

    from rasd.store.db import normalise_url

    schema = f"t_{tag}_{uuid.uuid4().hex[:8]}"
    base = normalise_url(PG)
    eng = create_engine(base)
    with eng.begin() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    eng.dispose()
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture(params=["sqlite"] + (["postgresql"] if PG else []))
def urls(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'killed.db'}", f"sqlite:///{tmp_path / 'clean.db'}"
    return _pg_url("killed"), _pg_url("clean")


def _wait_until(cond, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


READER = r"""
import json, sys, time
from fastapi.testclient import TestClient
from rasd.api.app import create_app
from rasd.store import Store
store = Store(sys.argv[1])
client = TestClient(create_app(store=store))
stop_after = float(sys.argv[2])
checks, errors, last_total, grew = 0, [], -1, 0
t0 = time.monotonic()
while time.monotonic() - t0 < stop_after:
    for path, params in (("/api/events", {"limit": 1000}), ("/api/counts/type", {}), ("/api/facets", {}),
                         ("/api/search", {"q": "تقرير"})):
        r = client.get(path, params=params)
        checks += 1
        if r.status_code != 200:
            errors.append(f"{path}: HTTP {r.status_code} {r.text[:200]}")
            continue
        body = r.json()
        if path == "/api/events":
            total, rows = body["total"], body["events"]
            if total < last_total:
                errors.append(f"total went down: {last_total} -> {total}")
            grew += total > last_total
            last_total = total
            if total <= 1000 and len(rows) != total:
                errors.append(f"total {total} but {len(rows)} rows returned (limit 1000)")
            if any(e.get("article_id") is None for e in rows):
                errors.append("an event without its article")
    total, _ = store.events()
    if total < last_total:
        errors.append(f"store total {total} below API total {last_total}")
print(json.dumps({"checks": checks, "errors": errors[:20], "n_errors": len(errors), "grew": grew}))
"""


def test_kill_9_mid_ingest_then_resume_loses_and_duplicates_nothing(feed, urls):
    killed_url, clean_url = urls
    killed, clean = Backend(killed_url), Backend(clean_url)

    # 1. Start, wait until a few batches are committed, then SIGKILL (no cleanup, no finally blocks).
    p = _ingest(feed, killed_url)
    _wait_until(lambda: killed.scalar("SELECT COUNT(*) FROM articles") >= 3 * BATCH or p.poll() is not None,
                timeout=120, what="three committed batches")
    assert p.poll() is None, "ingest finished before it could be killed: make the feed bigger"
    os.kill(p.pid, signal.SIGKILL)
    p.wait(timeout=30)
    stored_at_kill = killed.scalar("SELECT COUNT(*) FROM articles")
    assert 0 < stored_at_kill < N_DOCS
    assert stored_at_kill % BATCH == 0, "a batch was half-committed"

    # 2. Resume, and meanwhile build the reference with readers hammering it.
    resumed = _ingest(feed, killed_url)
    ref = _ingest(feed, clean_url)
    _wait_until(lambda: clean.scalar("SELECT COUNT(*) FROM articles") > 0, timeout=60, what="the first batch")
    reader = subprocess.run([sys.executable, "-c", READER, clean_url, "8"], env=_env(), cwd=REPO,
                            capture_output=True, text=True, timeout=120)
    out_resumed, _ = resumed.communicate(timeout=300)
    out_ref, _ = ref.communicate(timeout=300)
    assert resumed.returncode == 0, out_resumed.decode(errors="replace")[-2000:]
    assert ref.returncode == 0, out_ref.decode(errors="replace")[-2000:]

    # 3. Same content as the clean run: every article once, with the same events.
    a, b = killed.snapshot(), clean.snapshot()
    assert b["articles"] == N_DOCS == b["distinct_hashes"]
    assert a["articles"] == N_DOCS == a["distinct_hashes"], "lost or duplicated articles after resume"
    assert a["events"] == b["events"] and a["spans"] == b["spans"]
    assert a["per_article"] == b["per_article"]

    # 4. The readers saw a growing, always consistent store, and never an error.
    assert reader.returncode == 0, reader.stderr[-3000:]
    report = json.loads(reader.stdout.strip().splitlines()[-1])
    assert report["checks"] > 20
    assert report["n_errors"] == 0, report["errors"]
    killed.engine.dispose()
    clean.engine.dispose()


def test_sqlite_store_is_in_wal_mode(tmp_path):
    from rasd.store import Store

    s = Store(tmp_path / "w.db")
    s.close()
    assert sqlite3.connect(tmp_path / "w.db").execute("PRAGMA journal_mode").fetchone()[0] == "wal"
