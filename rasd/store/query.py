"""Filtered reads of events: listing, one event with its article, counts, facets, export rows.

Every filter becomes a bound parameter of a SQLAlchemy expression; no user text is
ever formatted into SQL.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Iterator, Literal, get_args

from sqlalchemy import (Connection, DateTime, Integer, String, and_, cast, false, func, literal_column, or_, select,
                        union_all)
from sqlalchemy.sql.elements import ColumnElement

from rasd.export import ACLED_COLUMNS
from rasd.store.models import articles, events, evidence_spans
from rasd.store.search import matching_articles_clause

MAX_LIMIT = 1000


@dataclass(frozen=True, slots=True)
class EventFilter:
    country: str | None = None
    admin1: str | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    actor: str | None = None  # substring of actor1, actor2 or an associated actor, case-insensitive
    q: str | None = None  # full text over the article
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    bbox: tuple[float, float, float, float] | None = None  # minlon, minlat, maxlon, maxlat
    limit: int = 100
    offset: int = 0


def column_clauses(c: Any, f: EventFilter) -> list[ColumnElement[bool]]:
    """The filters on a row's own columns (everything but ``q``), for any table with the event
    columns: ``events`` here, ``incidents`` in ``rasd.store.incidents``."""
    out: list[ColumnElement[bool]] = []
    if f.country:
        out.append(c.country == f.country)
    if f.admin1:
        out.append(c.admin1 == f.admin1)
    if f.event_type:
        out.append(c.event_type == f.event_type)
    if f.sub_event_type:
        out.append(c.sub_event_type == f.sub_event_type)
    if f.actor:
        names = ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2")
        out.append(or_(*(c[k].icontains(f.actor, autoescape=True) for k in names if k in c)))
    if f.date_from:
        out.append(c.event_date >= f.date_from)
    if f.date_to:
        out.append(c.event_date <= f.date_to)
    if f.bbox:
        minlon, minlat, maxlon, maxlat = f.bbox
        out.append(c.latitude.between(minlat, maxlat))
        if minlon <= maxlon:
            out.append(c.longitude.between(minlon, maxlon))
        else:  # the box crosses the antimeridian
            out.append(or_(c.longitude >= minlon, c.longitude <= maxlon))
    return out


def text_clause(f: EventFilter, dialect: str) -> ColumnElement[bool] | None:
    """A condition on ``events``: its article matches the full-text query ``f.q`` (None without one)."""
    if not f.q:
        return None
    clause = matching_articles_clause(dialect, f.q)
    # A query with no searchable word matches nothing (as /api/search does), not everything.
    return events.c.article_pk.in_(select(articles.c.pk).where(clause)) if clause is not None else false()


def _clauses(f: EventFilter, dialect: str) -> list[ColumnElement[bool]]:
    out = column_clauses(events.c, f)
    if f.q:
        out.append(text_clause(f, dialect))  # type: ignore[arg-type]
    return out


def _where(f: EventFilter, dialect: str) -> ColumnElement[bool]:
    cl = _clauses(f, dialect)
    return and_(*cl) if cl else and_(True)


_LIST_COLUMNS = (
    events.c.id,
    events.c.event_id_cnty,
    events.c.event_date,
    events.c.year,
    events.c.time_precision,
    events.c.event_type,
    events.c.sub_event_type,
    events.c.actor1,
    events.c.inter1,
    events.c.actor2,
    events.c.inter2,
    events.c.interaction,
    events.c.assoc_actor_1,
    events.c.assoc_actor_2,
    events.c.country,
    events.c.admin1,
    events.c.location,
    events.c.latitude,
    events.c.longitude,
    events.c.geo_precision,
    events.c.fatalities,
    events.c.confidence,
    events.c.notes,
    articles.c.id.label("article_id"),
    articles.c.title,
    articles.c.url,
    articles.c.source,
    articles.c.published,
)


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v) for k, v in row.items()}


def list_events(conn: Connection, f: EventFilter) -> tuple[int, list[dict[str, Any]]]:
    """(total matching, one page of events newest first)."""
    where = _where(f, conn.dialect.name)
    joined = events.join(articles, events.c.article_pk == articles.c.pk)
    total = conn.execute(select(func.count()).select_from(events).where(where)).scalar_one()
    limit = max(0, min(f.limit, MAX_LIMIT))
    stmt = (
        select(*_LIST_COLUMNS)
        .select_from(joined)
        .where(where)
        .order_by(events.c.event_date.desc(), events.c.id.desc())
        .limit(limit)
        .offset(max(0, f.offset))
    )
    return total, [_jsonable(dict(r._mapping)) for r in conn.execute(stmt)]


def _loads(v: str | None) -> Any:
    if v is None:
        return None
    try:
        return json.loads(v)
    except ValueError:
        return v


def get_event(conn: Connection, event_id: int) -> dict[str, Any] | None:
    """One event with its article (full original text), evidence spans and per-field provenance."""
    row = conn.execute(
        select(*_LIST_COLUMNS, articles.c.text.label("article_text"))
        .select_from(events.join(articles, events.c.article_pk == articles.c.pk))
        .where(events.c.id == event_id)
    ).first()
    if row is None:
        return None
    d = _jsonable(dict(row._mapping))
    article = {
        "id": d.pop("article_id"),
        "title": d.pop("title"),
        "url": d.pop("url"),
        "source": d.pop("source"),
        "published": d.pop("published"),
        "text": d.pop("article_text"),
    }
    evidence: list[dict[str, Any]] = []
    provenance: dict[str, dict[str, Any]] = {}
    spans = conn.execute(
        select(evidence_spans).where(evidence_spans.c.event_id == event_id).order_by(evidence_spans.c.id)
    )
    for s in spans:
        if s.field == "_evidence":
            evidence.append({"start": s.start, "end": s.end, "text": s.text})
            continue
        p = provenance.setdefault(
            s.field, {"value": _loads(s.value), "component": s.component, "reason": s.reason, "spans": []}
        )
        if s.start is not None:
            p["spans"].append({"start": s.start, "end": s.end, "text": s.text})
    d["article"] = article
    d["evidence_spans"] = evidence
    d["provenance"] = provenance
    return d


Bucket = Literal["day", "week", "month"]
BUCKETS: tuple[str, ...] = get_args(Bucket)


def _bucket_start(day: ColumnElement[Any], bucket: str, dialect: str) -> ColumnElement[str]:
    """First day of the ISO week (Monday) or month holding ``day``, as 'YYYY-MM-DD' text.

    The SQL constants are fixed here per bucket (never user text) and written as literals rather
    than bound parameters, so the expression renders identically in SELECT and GROUP BY (PostgreSQL
    does not treat two parameters with equal values as the same grouping expression).
    """
    if dialect == "sqlite":  # dates are ISO text; SQLite's date() modifiers do the arithmetic
        modifiers = {"week": ("'weekday 0'", "'-6 days'"), "month": ("'start of month'",)}[bucket]
        return func.date(day, *(literal_column(m) for m in modifiers), type_=String)
    # PostgreSQL: date_trunc's 'week' is the ISO week. Cast to timestamp (not timestamptz) so the
    # session time zone plays no part, and format explicitly so DateStyle plays none either.
    unit = {"week": "'week'", "month": "'month'"}[bucket]
    return func.to_char(func.date_trunc(literal_column(unit), cast(day, DateTime)), literal_column("'YYYY-MM-DD'"),
                        type_=String)


def counts_by_day(conn: Connection, f: EventFilter, bucket: Bucket = "day") -> list[dict[str, Any]]:
    """Events per day, ISO week or month and type (for a stacked timeline), oldest first.

    ``date`` is the first day of the bucket as 'YYYY-MM-DD' (a Monday for weeks, the 1st for
    months). The filters apply to single events, as for the day counts.
    """
    if bucket not in BUCKETS:
        raise ValueError(f"bucket must be one of {', '.join(BUCKETS)}, not {bucket!r}")
    # The date comes back as ISO text from the database itself: converting tens of thousands of
    # rows to date objects and back cost more than the query.
    where = (_where(f, conn.dialect.name), events.c.event_date.is_not(None))
    if bucket == "day":
        day = cast(events.c.event_date, String).label("day")
        stmt = (
            select(day, events.c.event_type, func.count().label("count"))
            .where(*where)
            .group_by(events.c.event_date, events.c.event_type)
            .order_by(events.c.event_date, events.c.event_type)
        )
        return [{"date": d, "event_type": t, "count": n} for d, t, n in conn.execute(stmt)]
    # Count per day first, exactly as above (answered from the (event_date, event_type) covering
    # indexes), then fold the at most days x types rows into buckets: the date arithmetic runs
    # once per day and type, not once per event.
    per_day = (
        select(events.c.event_date.label("day"), events.c.event_type, func.count().label("n"))
        .where(*where)
        .group_by(events.c.event_date, events.c.event_type)
        .subquery("per_day")
    )
    start = _bucket_start(per_day.c.day, bucket, conn.dialect.name)
    stmt = (
        select(start.label("bucket"), per_day.c.event_type, cast(func.sum(per_day.c.n), Integer))
        .group_by(start, per_day.c.event_type)
        .order_by(start, per_day.c.event_type)
    )
    return [{"date": d, "event_type": t, "count": n} for d, t, n in conn.execute(stmt)]


def counts_by_type(conn: Connection, f: EventFilter) -> list[dict[str, Any]]:
    stmt = (
        select(events.c.event_type, events.c.sub_event_type, func.count().label("count"),
               func.coalesce(func.sum(events.c.fatalities), 0).label("fatalities"))
        .where(_where(f, conn.dialect.name))
        .group_by(events.c.event_type, events.c.sub_event_type)
        .order_by(func.count().desc())
    )
    return [dict(r._mapping) for r in conn.execute(stmt)]


def facets(conn: Connection, max_actors: int = 300) -> dict[str, list[Any]]:
    """Distinct values for the filter UI, most frequent first."""

    def distinct(col) -> list[dict[str, Any]]:  # noqa: ANN001
        stmt = (
            select(col.label("value"), func.count().label("count"))
            .where(col.is_not(None))
            .group_by(col)
            .order_by(func.count().desc(), col)
        )
        return [dict(r._mapping) for r in conn.execute(stmt)]

    a = union_all(*(
        select(col.label("actor")).where(col.is_not(None), col != "")
        for col in (events.c.actor1, events.c.actor2, events.c.assoc_actor_1, events.c.assoc_actor_2)
    )).subquery()
    actors = conn.execute(
        select(a.c.actor.label("value"), func.count().label("count"))
        .group_by(a.c.actor)
        .order_by(func.count().desc(), a.c.actor)
        .limit(max_actors)
    )
    span = conn.execute(select(func.min(events.c.event_date), func.max(events.c.event_date))).first()
    return {
        "countries": distinct(events.c.country),
        "admin1": distinct(events.c.admin1),
        "event_types": distinct(events.c.event_type),
        "sub_event_types": distinct(events.c.sub_event_type),
        "actors": [dict(r._mapping) for r in actors],
        "date_min": span[0].isoformat() if span and span[0] else None,
        "date_max": span[1].isoformat() if span and span[1] else None,
    }


def iter_export_rows(conn: Connection, f: EventFilter, chunk: int = 5000) -> Iterator[dict[str, Any]]:
    """ACLED-style rows (``rasd.export.ACLED_COLUMNS``) of every matching event, streamed, no page limit."""
    spans = (
        select(
            evidence_spans.c.event_id,
            func.min(evidence_spans.c.start).label("evidence_start"),
            func.max(evidence_spans.c.end).label("evidence_end"),
        )
        .where(evidence_spans.c.field == "_evidence")
        .group_by(evidence_spans.c.event_id)
        .subquery()
    )
    joined = events.join(articles, events.c.article_pk == articles.c.pk).outerjoin(
        spans, spans.c.event_id == events.c.id
    )
    stmt = (
        select(*_LIST_COLUMNS, spans.c.evidence_start, spans.c.evidence_end)
        .select_from(joined)
        .where(_where(f, conn.dialect.name))
        .order_by(events.c.event_date, events.c.id)
        .execution_options(yield_per=chunk)
    )
    for r in conn.execute(stmt):
        m = r._mapping
        row = {k: m.get(k) for k in ACLED_COLUMNS if k in m}
        row["event_date"] = m["event_date"].isoformat() if m["event_date"] else None
        row["notes"] = m["notes"]
        row["source"] = m["source"] or None
        for slot in ("assoc_actor_1", "assoc_actor_2"):
            row[slot] = m[slot] or None
        yield {k: row.get(k) for k in ACLED_COLUMNS}


__all__ = ["BUCKETS", "Bucket", "EventFilter", "MAX_LIMIT", "counts_by_day", "counts_by_type", "facets", "get_event",
           "iter_export_rows", "list_events"]
