"""The store: idempotent, batched, resumable ingestion of extracted documents, and reads.

Idempotence rests on ``content_hash`` (whitespace-collapsed article text): the same
article twice is stored once, whatever its id or source. Each batch commits on its
own, so a killed run keeps every finished batch and a re-run adds only what is missing.
A record that cannot be stored is written to ``ingest_failures`` and the run goes on.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from sqlalchemy import Connection, Engine, select, update
from sqlalchemy.exc import IntegrityError

from rasd.doc import Document
from rasd.export import event_row
from rasd.store import query
from rasd.store.db import open_engine
from rasd.store.incidents import (BuildReport, IncidentFilter, get_incident, list_incidents, rebuild_incidents,
                                  update_incidents)
from rasd.store.models import articles, events, evidence_spans, ingest_failures, ingest_runs, mentions
from rasd.store.search import add_to_index, index_body
from rasd.store.search import search as _search


def content_hash(text: str) -> str:
    """Identity of an article's content: re-scraped copies differing only in whitespace are the same."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


@dataclass
class IngestReport:
    stored: int = 0
    skipped_duplicates: int = 0
    failed: int = 0
    events: int = 0
    run_id: int | None = None
    incidents: BuildReport | None = None  # the incident update after the run (None: not run)
    failures: list[dict[str, Any]] = field(default_factory=list)  # the first few, for the CLI summary


def _json(v: Any) -> str | None:
    if v is None:
        return None
    return json.dumps(v, ensure_ascii=False, default=str)


def _date(v: Any) -> dt.date | None:
    if isinstance(v, dt.date):
        return v
    if isinstance(v, str) and v:
        try:
            return dt.date.fromisoformat(v[:10])
        except ValueError:
            return None
    return None


def _failure_of(item: Any) -> dict[str, Any]:
    """Ingest errors come from the readers; read them by duck typing so any error-like object fits."""
    source = getattr(item, "source", None) or getattr(item, "path", None)
    line = getattr(item, "line", None)
    message = getattr(item, "message", None) or str(item)
    return {"source": str(source) if source is not None else None,
            "line": line if isinstance(line, int) else None, "message": str(message)}


@dataclass
class _Prepared:
    doc: Document
    article: dict[str, Any]
    events: list[tuple[dict[str, Any], list[dict[str, Any]]]]  # (event row, its span rows)
    mentions: list[dict[str, Any]]
    index_body: str


def _prepare(doc: Document, chash: str, now: dt.datetime, with_mentions: bool) -> _Prepared:
    d = doc.to_dict()
    article = {
        "id": doc.id,
        "source": doc.source or None,
        "url": doc.url or None,
        "title": doc.title or None,
        "text": doc.text,
        "published": doc.published,
        "content_hash": chash,
        "warnings": _json(doc.warnings) if doc.warnings else None,
        "ingested_at": now,
    }
    evs = []
    for i, ev in enumerate(d["events"]):
        flat = event_row(d, ev, i)
        row = {k: flat[k] for k in (
            "event_id_cnty", "year", "time_precision", "event_type", "sub_event_type", "actor1", "inter1",
            "actor2", "inter2", "interaction", "assoc_actor_1", "assoc_actor_2", "country", "admin1", "location",
            "latitude", "longitude", "geo_precision", "fatalities", "confidence", "notes")}
        row["event_index"] = i
        row["event_date"] = _date(ev.get("event_date"))
        spans = [
            {"field": "_evidence", "start": s["start"], "end": s["end"], "text": s["text"],
             "value": None, "component": None, "reason": None}
            for s in ev.get("evidence_spans") or []
        ]
        for name, p in (ev.get("provenance") or {}).items():
            base = {"field": name, "value": _json(p.get("value")), "component": p.get("component"),
                    "reason": p.get("reason")}
            if p.get("spans"):
                spans.extend({**base, "start": s["start"], "end": s["end"], "text": s["text"]} for s in p["spans"])
            else:
                spans.append({**base, "start": None, "end": None, "text": None})
        evs.append((row, spans))
    ments = []
    if with_mentions:
        ments = [
            {"label": m.label, "start": m.start, "end": m.end, "text": m.text, "value": _json(m.value),
             "component": m.component or None, "reason": m.reason or None}
            for m in doc.mentions
        ]
    return _Prepared(doc, article, evs, ments, index_body(doc.title, doc.text))


class Store:
    """An event store on SQLite (default file ``rasd.db``) or PostgreSQL (``postgresql://...``)."""

    def __init__(self, db: str | Path | None = None, engine: Engine | None = None) -> None:
        self.engine = engine or open_engine(db)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- writing -------------------------------------------------------------------------------

    def _read(self) -> Connection:
        """A connection whose statements all read one snapshot (an API page and its total agree
        while an ingest commits): REPEATABLE READ on PostgreSQL; on SQLite every connection block
        is already one transaction (see ``rasd.store.db``)."""
        conn = self.engine.connect()
        if self.dialect == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        return conn

    def known_hashes(self, hashes: Iterable[str]) -> set[str]:
        hs = list(set(hashes))
        out: set[str] = set()
        with self.engine.connect() as conn:
            for i in range(0, len(hs), 500):
                chunk = hs[i : i + 500]
                out.update(conn.execute(select(articles.c.content_hash).where(articles.c.content_hash.in_(chunk)))
                           .scalars())
        return out

    def ingest(
        self,
        items: Iterable[Any],
        batch_size: int = 200,
        source: str | None = None,
        with_mentions: bool = True,
        incidents: bool = True,
    ) -> IngestReport:
        """Store Documents (already extracted); anything else in ``items`` is recorded as a failure.

        Then (``incidents``) the events in no incident yet are consolidated into incidents with
        their neighbours (``rasd.store.incidents.update_incidents``): nothing new stored, nothing
        rebuilt, so ingesting the same files again leaves the incidents as they were.
        """
        report = IngestReport()
        with self.engine.begin() as conn:
            report.run_id = conn.execute(
                ingest_runs.insert().values(started_at=dt.datetime.now(dt.timezone.utc), source=source)
            ).inserted_primary_key[0]
        batch: list[Any] = []
        try:
            for item in items:
                batch.append(item)
                if len(batch) >= batch_size:
                    self._flush(batch, report, with_mentions)
                    batch = []
            if batch:
                self._flush(batch, report, with_mentions)
        finally:
            with self.engine.begin() as conn:
                conn.execute(
                    update(ingest_runs)
                    .where(ingest_runs.c.id == report.run_id)
                    .values(finished_at=dt.datetime.now(dt.timezone.utc), stored=report.stored,
                            skipped_duplicates=report.skipped_duplicates, failed=report.failed)
                )
        if incidents:
            report.incidents = self.update_incidents()
        return report

    def _fail(self, report: IngestReport, failures: list[dict[str, Any]]) -> None:
        if not failures:
            return
        report.failed += len(failures)
        room = 20 - len(report.failures)
        report.failures.extend(failures[: max(0, room)])
        with self.engine.begin() as conn:
            conn.execute(ingest_failures.insert(), [{**f, "run_id": report.run_id} for f in failures])

    def _flush(self, batch: list[Any], report: IngestReport, with_mentions: bool) -> None:
        now = dt.datetime.now(dt.timezone.utc)
        failures: list[dict[str, Any]] = []
        docs: list[tuple[Document, str]] = []
        for item in batch:
            if not isinstance(item, Document):
                failures.append(_failure_of(item))
            elif item.meta.get("error"):
                # Extraction crashed on it: do not store, so a re-run retries it.
                failures.append({"source": item.source or item.id, "line": item.meta.get("line"),
                                 "message": f"{item.id}: " + (item.warnings[-1] if item.warnings else "extraction failed")})
            elif not (item.text or "").strip():
                failures.append({"source": item.source or item.id, "line": item.meta.get("line"),
                                 "message": f"{item.id}: empty article text"})
            else:
                docs.append((item, content_hash(item.text)))
        known = self.known_hashes(h for _, h in docs)
        seen: set[str] = set()
        prepared: list[_Prepared] = []
        for doc, h in docs:
            if h in known or h in seen:
                report.skipped_duplicates += 1
                continue
            seen.add(h)
            try:
                prepared.append(_prepare(doc, h, now, with_mentions))
            except Exception as exc:  # a malformed document must not sink its batch
                failures.append({"source": doc.source or doc.id, "line": doc.meta.get("line"),
                                 "message": f"{doc.id}: {type(exc).__name__}: {exc}"})
        try:
            with self.engine.begin() as conn:
                self._insert(conn, prepared)
            report.stored += len(prepared)
            report.events += sum(len(p.events) for p in prepared)
        except Exception:
            # Find the culprit(s): one document per transaction.
            for p in prepared:
                try:
                    with self.engine.begin() as conn:
                        self._insert(conn, [p])
                    report.stored += 1
                    report.events += len(p.events)
                except IntegrityError as exc:
                    if "content_hash" in str(exc.orig):  # stored meanwhile by a concurrent run
                        report.skipped_duplicates += 1
                    else:
                        failures.append({"source": p.doc.source or p.doc.id, "line": p.doc.meta.get("line"),
                                         "message": f"{p.doc.id}: {type(exc).__name__}: {exc.orig}"})
                except Exception as exc:
                    failures.append({"source": p.doc.source or p.doc.id, "line": p.doc.meta.get("line"),
                                     "message": f"{p.doc.id}: {type(exc).__name__}: {exc}"})
        self._fail(report, failures)

    def _insert(self, conn: Connection, prepared: list[_Prepared]) -> None:
        if not prepared:
            return
        pks = conn.execute(
            articles.insert().returning(articles.c.pk, sort_by_parameter_order=True),
            [p.article for p in prepared],
        ).scalars().all()
        add_to_index(conn, [{"pk": pk, "body": p.index_body} for pk, p in zip(pks, prepared)])
        ev_rows, ev_spans = [], []
        ment_rows = []
        for pk, p in zip(pks, prepared):
            for row, spans in p.events:
                ev_rows.append({**row, "article_pk": pk})
                ev_spans.append(spans)
            ment_rows.extend({**m, "article_pk": pk} for m in p.mentions)
        if ev_rows:
            ids = conn.execute(
                events.insert().returning(events.c.id, sort_by_parameter_order=True), ev_rows
            ).scalars().all()
            span_rows = [{**s, "event_id": eid} for eid, spans in zip(ids, ev_spans) for s in spans]
            if span_rows:
                conn.execute(evidence_spans.insert(), span_rows)
        if ment_rows:
            conn.execute(mentions.insert(), ment_rows)

    # ---- incidents -----------------------------------------------------------------------------

    def rebuild_incidents(self, km: float = 10.0, days: int = 1, date_from: dt.date | None = None,
                          date_to: dt.date | None = None) -> BuildReport:
        """Consolidate the stored events into incidents (all, or those around a date range)."""
        return rebuild_incidents(self, km=km, days=days, date_from=date_from, date_to=date_to)

    def update_incidents(self, km: float | None = None, days: int | None = None) -> BuildReport:
        """Consolidate the events not in any incident yet (with the latest build's km/days)."""
        return update_incidents(self, km=km, days=days)

    def incidents(self, f: IncidentFilter | None = None) -> tuple[int, list[dict[str, Any]]]:
        """(total, one page) of incidents matching the filters, newest first."""
        with self._read() as conn:
            return list_incidents(conn, f or IncidentFilter())

    def incident(self, incident_id: int) -> dict[str, Any] | None:
        """One incident with its member events and their articles."""
        with self._read() as conn:
            return get_incident(conn, incident_id)

    # ---- reading -------------------------------------------------------------------------------

    def events(self, f: query.EventFilter | None = None) -> tuple[int, list[dict[str, Any]]]:
        with self._read() as conn:
            return query.list_events(conn, f or query.EventFilter())

    def event(self, event_id: int) -> dict[str, Any] | None:
        with self._read() as conn:
            return query.get_event(conn, event_id)

    def counts_by_day(self, f: query.EventFilter | None = None, bucket: query.Bucket = "day") -> list[dict[str, Any]]:
        """Events per day, ISO week or month (``bucket``) and type; ``date`` is the bucket's first day."""
        with self._read() as conn:
            return query.counts_by_day(conn, f or query.EventFilter(), bucket)

    def counts_by_type(self, f: query.EventFilter | None = None) -> list[dict[str, Any]]:
        with self._read() as conn:
            return query.counts_by_type(conn, f or query.EventFilter())

    def facets(self) -> dict[str, list[Any]]:
        with self._read() as conn:
            return query.facets(conn)

    def search(self, q: str, limit: int = 50) -> list[dict[str, Any]]:
        """Articles whose normalised text contains every word of ``q`` (prefix match)."""
        with self._read() as conn:
            return [{**r, "published": r["published"].isoformat() if r["published"] else None}
                    for r in _search(conn, q, limit)]

    def export_rows(self, f: query.EventFilter | None = None) -> Iterator[dict[str, Any]]:
        """ACLED-style rows of all matching events (no page limit), streamed from the database."""
        with self._read() as conn:
            yield from query.iter_export_rows(conn, f or query.EventFilter())

    def doc_dicts(self, f: query.EventFilter | None = None) -> Iterator[dict[str, Any]]:
        """Articles with their matching events in ``Document.to_dict()`` shape (for JSONL export)."""
        f = f or query.EventFilter()
        with self._read() as conn:
            where = query._where(f, conn.dialect.name)
            stmt = (
                select(events.c.id, events.c.article_pk)
                .where(where)
                .order_by(events.c.article_pk, events.c.event_index)
                .execution_options(yield_per=2000)
            )
            current: dict[str, Any] | None = None
            current_pk = None
            for eid, apk in conn.execute(stmt).all():
                ev = query.get_event(conn, eid)
                if ev is None:
                    continue
                if apk != current_pk:
                    if current is not None:
                        yield current
                    art = ev["article"]
                    current_pk = apk
                    current = {"id": art["id"], "title": art["title"], "published": art["published"],
                               "source": art["source"], "url": art["url"], "events": [], "warnings": []}
                fields = ("event_type", "sub_event_type", "event_date", "time_precision", "actor1", "actor2",
                          "country", "admin1", "location", "latitude", "longitude", "geo_precision",
                          "fatalities", "inter1", "inter2")
                out = {k: ev.get(k) for k in fields}
                for slot in ("assoc_actor_1", "assoc_actor_2"):
                    out[slot] = ev.get(slot) or ""
                out["evidence"] = ev.get("notes") or ""
                out["evidence_spans"] = ev["evidence_spans"]
                out["confidence"] = ev.get("confidence")
                out["provenance"] = ev["provenance"]
                current["events"].append(out)  # type: ignore[union-attr]
            if current is not None:
                yield current


__all__ = ["IngestReport", "Store", "content_hash"]
