"""Incidents in the store: stored events that report the same incident, merged by ``rasd.consolidate``.

``rasd consolidate`` does this on files; here the reports are the stored events and the result
is in the tables of ``rasd.store.models``: ``incidents`` (one row per incident), ``incident_events``
(every stored event -> its incident) and ``incident_builds`` (each build and its km/days). The matching rules, the fatality rule and the choice of
place and actors are ``rasd.consolidate``'s, unchanged: this module only reads events out of the
database as reports and writes the incidents back.

Three ways to build:

* ``rebuild_incidents(store)``: every event, from scratch (``rasd incidents rebuild``).
* ``rebuild_incidents(store, date_from=, date_to=)``: the incidents with a report dated in the range
  are dissolved and their reports, with the range's events in no incident yet, consolidated again.
* ``update_incidents(store)`` (the end of every ``Store.ingest``): the events in no incident yet,
  plus every incident with a report within ``days`` of them, consolidated again. Nothing new,
  nothing done: ingesting the same files twice leaves the incidents as they were. An ingest killed
  before this step leaves its events unassigned, and the next ingest (or rebuild) takes them.

An incident's id is the ``events.id`` of its lead report (the earliest; the incident grew from
it), so rebuilding over the same events gives the same ids. Incremental builds see only the
incidents around the new events; where a new report changes which incident an older report
would have joined outside that window, a full rebuild can group a few reports differently.
"""
from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass
from typing import Any, Iterable

from sqlalchemy import Connection, Engine, and_, delete, exists, false, func, insert, or_, select, text
from sqlalchemy.sql.elements import ColumnElement

from rasd.consolidate import Incident, Report, consolidate, incident_record, report_from_event
from rasd.store.models import articles, events, evidence_spans, incident_builds, incident_events, incidents
from rasd.store.query import MAX_LIMIT, EventFilter, _jsonable, _LIST_COLUMNS, column_clauses, text_clause

DEFAULT_KM = 10.0
DEFAULT_DAYS = 1
_CHUNK = 500  # ids per IN (...) list: well under every SQLite build's bound-parameter limit
_PG_LOCK_KEY = 0x7261_7364  # "rasd": one incident builder at a time per database


@dataclass(frozen=True, slots=True)
class IncidentFilter(EventFilter):
    """The event filters, applied to the incident's own (consolidated) fields, plus ``min_reports``.

    ``q`` matches an incident when any of its reports' articles matches.
    """

    min_reports: int = 1


@dataclass
class BuildReport:
    scope: str  # full | range | ingest | none (nothing to do)
    km: float
    days: int
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    events: int = 0  # events consolidated
    incidents: int = 0  # incidents written
    merged: int = 0  # of which from more than one report
    removed: int = 0  # incidents dissolved before (re)building


# ---------------------------------------------------------------- connections


def _engine_of(target: Any) -> Engine | Connection:
    if isinstance(target, (Engine, Connection)):
        return target
    engine = getattr(target, "engine", None)  # a rasd.store.Store
    if isinstance(engine, Engine):
        return engine
    raise TypeError(f"expected a Store, an Engine or a Connection, not {type(target).__name__}")


def _in_transaction(target: Any, work) -> Any:  # noqa: ANN001 - work(conn) -> result
    """Run ``work`` in one transaction holding the builder's lock: a new transaction on a
    Store/Engine, the caller's own on a Connection."""
    bind = _engine_of(target)
    if isinstance(bind, Connection):
        _lock(bind)
        return work(bind)
    with bind.connect() as conn:
        # SQLite: BEGIN IMMEDIATE (rasd.store.db) takes the write lock before the first read, so the
        # events read are still the latest when the incidents are written.
        conn = conn.execution_options(rasd_write_lock=True)
        with conn.begin():
            _lock(conn)
            return work(conn)


def _lock(conn: Connection) -> None:
    """Serialise builders: two ingests finishing together must not rebuild the same incidents
    (PostgreSQL: a transaction-scoped advisory lock; SQLite: see ``_in_transaction``)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})


def last_parameters(conn: Connection) -> tuple[float, int]:
    """km and days of the latest build (the defaults before the first one)."""
    row = conn.execute(
        select(incident_builds.c.km, incident_builds.c.days).order_by(incident_builds.c.id.desc()).limit(1)
    ).first()
    return (float(row.km), int(row.days)) if row else (DEFAULT_KM, DEFAULT_DAYS)


# ---------------------------------------------------------------- reading events as reports


def _unassigned() -> ColumnElement[bool]:
    return ~exists().where(incident_events.c.event_id == events.c.id)


def _loads(v: str | None) -> Any:
    try:
        return json.loads(v) if v is not None else None
    except ValueError:
        return v


def load_reports(conn: Connection, where: ColumnElement[bool]) -> list[Report]:
    """The events matching ``where`` as ``rasd.consolidate`` reports.

    Each report's event dict has the keys of ``Document.to_dict()``'s events that the rules read,
    its fatality provenance (whether the text stated the toll) and ``id``, the ``events.id``.
    The article identity is the stored article (two stored articles with the same reader id are
    still two articles); report names are ``event_id_cnty`` (made unique if two articles share one).
    """
    cols = (
        events.c.id, events.c.event_id_cnty, events.c.event_type, events.c.sub_event_type, events.c.event_date,
        events.c.actor1, events.c.actor2, events.c.country, events.c.admin1, events.c.location,
        events.c.latitude, events.c.longitude, events.c.geo_precision, events.c.fatalities,
        events.c.article_pk, articles.c.id.label("article_id"), articles.c.url, articles.c.source,
        articles.c.published,
    )
    stmt = (
        select(*cols)
        .select_from(events.join(articles, events.c.article_pk == articles.c.pk))
        .where(where)
        .order_by(events.c.id)
        .execution_options(yield_per=5000)
    )
    rows = [r._mapping for r in conn.execute(stmt)]
    # The fatality provenance decides whether a toll of 0 was stated or is a default (see
    # rasd.consolidate.conservative_fatalities): the same structure Document.to_dict() has.
    prov: dict[int, dict[str, Any]] = {}
    spans = (
        select(evidence_spans.c.event_id, evidence_spans.c.start, evidence_spans.c.end, evidence_spans.c.text,
               evidence_spans.c.value, evidence_spans.c.component, evidence_spans.c.reason)
        .where(evidence_spans.c.field == "fatalities",
               evidence_spans.c.event_id.in_(
                   select(events.c.id).select_from(events.join(articles, events.c.article_pk == articles.c.pk))
                   .where(where).correlate(None)))
        .order_by(evidence_spans.c.id)
        .execution_options(yield_per=5000)
    )
    for s in conn.execute(spans):
        p = prov.setdefault(s.event_id, {"value": _loads(s.value), "component": s.component, "reason": s.reason,
                                         "spans": []})
        if s.start is not None:
            p["spans"].append({"start": s.start, "end": s.end, "text": s.text})
    names = Counter(r["event_id_cnty"] for r in rows)
    out: list[Report] = []
    for r in rows:
        ev = {k: r[k] for k in ("id", "event_type", "sub_event_type", "event_date", "actor1", "actor2", "country",
                                "admin1", "location", "latitude", "longitude", "geo_precision", "fatalities")}
        if r["id"] in prov:
            ev["provenance"] = {"fatalities": prov[r["id"]]}
        name = r["event_id_cnty"] if names[r["event_id_cnty"]] == 1 else f"{r['event_id_cnty']}#{r['id']}"
        # The reader's id first (so the order, and the lead, do not depend on the order of ingestion),
        # the stored article's key after it (so it is unique).
        out.append(report_from_event(ev, f"{r['article_id']}#{r['article_pk']}", name, r["url"], r["source"],
                                     r["published"]))
    return out


# ---------------------------------------------------------------- writing incidents


def _incident_rows(inc: Incident, now: dt.datetime) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    rec = incident_record(inc)
    lead_id = inc.reports[0].event["id"]
    first, last = rec["date_range"] or (None, None)
    published = [r.published for r in inc.reports if isinstance(r.published, dt.date)]
    row = {
        "id": lead_id,
        **{k: rec[k] for k in ("event_type", "sub_event_type", "actor1", "actor2", "country", "admin1", "location",
                               "latitude", "longitude", "geo_precision", "fatalities", "n_reports", "reason",
                               "fatalities_reason")},
        "event_date": dt.date.fromisoformat(rec["event_date"]) if rec["event_date"] else None,
        "date_first": dt.date.fromisoformat(first) if first else None,
        "date_last": dt.date.fromisoformat(last) if last else None,
        "n_sources": len({r.source for r in inc.reports if r.source}),
        "first_seen": min(published, default=None),
        "last_seen": max(published, default=None),
        "built_at": now,
    }
    for k in ("actor1", "actor2"):
        row[k] = row[k] or None  # stored events keep an absent actor as NULL; so do incidents
    links = [
        {"event_id": r.event["id"], "incident_id": lead_id, "rank": i, "reason": why}
        for i, (r, why) in enumerate(zip(inc.reports, inc.report_reasons()))
    ]
    return row, links


def _write(conn: Connection, found: list[Incident], now: dt.datetime, batch: int = 1000) -> int:
    rows: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []

    def flush() -> None:
        if rows:
            conn.execute(insert(incidents), rows)
            conn.execute(insert(incident_events), links)
            rows.clear()
            links.clear()

    for inc in found:
        row, ls = _incident_rows(inc, now)
        rows.append(row)
        links.extend(ls)
        if len(rows) >= batch:
            flush()
    flush()
    return len(found)


def _dissolve(conn: Connection, ids: Iterable[int]) -> int:
    ids = list(ids)
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i : i + _CHUNK]
        conn.execute(delete(incident_events).where(incident_events.c.incident_id.in_(chunk)))
        conn.execute(delete(incidents).where(incidents.c.id.in_(chunk)))
    return len(ids)


def _build(conn: Connection, scope: str, km: float, days: int, date_from: dt.date | None, date_to: dt.date | None,
           affected: ColumnElement[bool] | None, take: ColumnElement[bool]) -> BuildReport:
    """Dissolve the incidents with a report matching ``affected`` (all of them when None), then
    consolidate their reports together with the events matching ``take``, and write the result."""
    now = dt.datetime.now(dt.timezone.utc)
    if affected is None:
        old: list[int] = []
        where = and_(True)
    else:
        touched = (
            select(incident_events.c.incident_id)
            .select_from(incident_events.join(events, incident_events.c.event_id == events.c.id))
            .where(affected)
            .correlate(None)
        )
        old = sorted(set(conn.execute(touched).scalars()))
        members = select(incident_events.c.event_id).where(incident_events.c.incident_id.in_(touched)).correlate(None)
        where = or_(events.c.id.in_(members), take)
    reports = load_reports(conn, where)
    report = BuildReport(scope, km, days, date_from, date_to, events=len(reports))
    if affected is None:
        report.removed = conn.execute(select(func.count()).select_from(incidents)).scalar_one()
        conn.execute(delete(incident_events))
        conn.execute(delete(incidents))
    else:
        report.removed = _dissolve(conn, old)
    found = consolidate(reports, km=km, days=days)
    report.incidents = _write(conn, found, now)
    report.merged = sum(1 for inc in found if len(inc.reports) > 1)
    conn.execute(insert(incident_builds).values(built_at=now, scope=scope, km=km, days=days, date_from=date_from,
                                                date_to=date_to, events=report.events, incidents=report.incidents))
    return report


def _check(km: float, days: int) -> tuple[float, int]:
    if not km > 0:
        raise ValueError(f"km must be > 0, not {km!r}")
    if int(days) != days or days < 0:
        raise ValueError(f"days must be a whole number >= 0, not {days!r}")
    return float(km), int(days)


def rebuild_incidents(target: Any, km: float = DEFAULT_KM, days: int = DEFAULT_DAYS,
                      date_from: dt.date | None = None, date_to: dt.date | None = None) -> BuildReport:
    """Consolidate the stored events into incidents with ``km`` and ``days`` (``rasd.consolidate``).

    Without dates, every event from scratch. With a date range, the incidents with a report
    dated in it are rebuilt (whole: their reports outside the range come along) together with
    the range's events that are in no incident yet. ``target`` is a ``Store``, an ``Engine``
    (one transaction) or a ``Connection`` (the caller's transaction). Later ingests reuse
    ``km`` and ``days``.
    """
    km, days = _check(km, days)
    if date_from and date_to and date_from > date_to:
        raise ValueError("date_from is after date_to")

    def work(conn: Connection) -> BuildReport:
        if date_from is None and date_to is None:
            return _build(conn, "full", km, days, None, None, None, and_(True))
        in_range = and_(*(c for c in (events.c.event_date >= date_from if date_from else None,
                                      events.c.event_date <= date_to if date_to else None) if c is not None))
        return _build(conn, "range", km, days, date_from, date_to, in_range, and_(in_range, _unassigned()))

    return _in_transaction(target, work)


def update_incidents(target: Any, km: float | None = None, days: int | None = None) -> BuildReport:
    """Bring the incidents up to date after an ingest: the events in no incident yet are
    consolidated together with every incident that has a report within ``days`` of them
    (km/days: the latest build's unless given). Does nothing when every event is assigned."""

    def work(conn: Connection) -> BuildReport:
        k, d = last_parameters(conn)
        k, d = _check(km if km is not None else k, days if days is not None else d)
        pending = conn.execute(select(events.c.id).where(_unassigned()).limit(1)).first()
        if pending is None:
            return BuildReport("none", k, d)
        lo, hi = conn.execute(select(func.min(events.c.event_date), func.max(events.c.event_date))
                              .where(_unassigned())).one()
        if lo is None:  # only undated events: each is an incident of its own
            affected: ColumnElement[bool] = false()
        else:
            lo, hi = lo - dt.timedelta(days=d), hi + dt.timedelta(days=d)
            affected = events.c.event_date.between(lo, hi)
        return _build(conn, "ingest", k, d, lo, hi, affected, _unassigned())

    return _in_transaction(target, work)


# ---------------------------------------------------------------- reads


def _where(f: IncidentFilter, dialect: str) -> ColumnElement[bool]:
    out = column_clauses(incidents.c, f)
    if f.min_reports and f.min_reports > 1:
        out.append(incidents.c.n_reports >= f.min_reports)
    matching = text_clause(f, dialect)
    if matching is not None:
        out.append(incidents.c.id.in_(
            select(incident_events.c.incident_id)
            .select_from(incident_events.join(events, incident_events.c.event_id == events.c.id))
            .where(matching)
        ))
    return and_(*out) if out else and_(True)


def list_incidents(conn: Connection, f: IncidentFilter) -> tuple[int, list[dict[str, Any]]]:
    """(total matching, one page of incidents, newest first)."""
    where = _where(f, conn.dialect.name)
    total = conn.execute(select(func.count()).select_from(incidents).where(where)).scalar_one()
    stmt = (
        select(incidents)
        .where(where)
        .order_by(incidents.c.event_date.desc().nulls_last(), incidents.c.id.desc())
        .limit(max(0, min(f.limit, MAX_LIMIT)))
        .offset(max(0, f.offset))
    )
    return total, [_jsonable(dict(r._mapping)) for r in conn.execute(stmt)]


def get_incident(conn: Connection, incident_id: int) -> dict[str, Any] | None:
    """One incident with its reports: each member event (the /api/events row: its article's id,
    title, url, source, date) with ``rank`` (0 = lead) and ``merge_reason``."""
    row = conn.execute(select(incidents).where(incidents.c.id == incident_id)).first()
    if row is None:
        return None
    inc = _jsonable(dict(row._mapping))
    members = conn.execute(
        select(*_LIST_COLUMNS, incident_events.c.rank, incident_events.c.reason.label("merge_reason"))
        .select_from(
            incident_events.join(events, incident_events.c.event_id == events.c.id)
            .join(articles, events.c.article_pk == articles.c.pk)
        )
        .where(incident_events.c.incident_id == incident_id)
        .order_by(incident_events.c.rank, events.c.id)
    )
    inc["events"] = [_jsonable(dict(m._mapping)) for m in members]
    return inc


__all__ = ["BuildReport", "DEFAULT_DAYS", "DEFAULT_KM", "IncidentFilter", "get_incident", "last_parameters",
           "list_incidents", "load_reports", "rebuild_incidents", "update_incidents"]
