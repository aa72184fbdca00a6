"""The HTTP API and the dashboard it serves (FastAPI, fully offline).

Read-only: every endpoint is a GET over the store. Parameters are validated by a
Pydantic model (unknown parameters are rejected), every filter reaches SQL as a
bound parameter, request bodies are refused, and responses carry a strict CSP so
even a rendering bug in the dashboard cannot run injected script.
"""
from __future__ import annotations

import datetime as dt
import queue
import re
import tempfile
import threading
from pathlib import Path
from typing import Annotated, Any, Iterator

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from rasd import export
from rasd.store import EventFilter, IncidentFilter, Store
from rasd.store.query import MAX_LIMIT, Bucket

STATIC = Path(__file__).with_name("static")
MAX_URL_BYTES = 8192
MAX_BODY_BYTES = 0  # nothing here takes a body

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)

_BBOX_RE = re.compile(r"^\s*-?\d+(\.\d+)?\s*(,\s*-?\d+(\.\d+)?\s*){3}$")


class EventQuery(BaseModel):
    """Filters shared by the list, count and export endpoints."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    country: str | None = Field(None, max_length=200)
    admin1: str | None = Field(None, max_length=200)
    event_type: str | None = Field(None, max_length=100)
    sub_event_type: str | None = Field(None, max_length=100)
    actor: str | None = Field(None, max_length=300,
                              description="substring of actor1, actor2 or an associated actor (assoc_actor_1/2)")
    q: str | None = Field(None, max_length=500, description="full-text query over the article text")
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    bbox: str | None = Field(None, max_length=200, description="minlon,minlat,maxlon,maxlat (WGS84)")
    limit: int = Field(100, ge=0, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=10_000_000)

    @field_validator("country", "admin1", "event_type", "sub_event_type", "actor", "q", "bbox")
    @classmethod
    def _no_control_chars(cls, v: str | None) -> str | None:
        # SQLite's LIKE stops at a NUL, so "x\x00" would match every actor.
        if v is not None and any(ord(ch) < 32 for ch in v):
            raise ValueError("control characters are not allowed")
        return v

    @field_validator("bbox")
    @classmethod
    def _bbox(cls, v: str | None) -> str | None:
        if v in (None, ""):
            return None
        if not _BBOX_RE.match(v):
            raise ValueError("bbox must be four numbers: minlon,minlat,maxlon,maxlat")
        minlon, minlat, maxlon, maxlat = (float(p) for p in v.split(","))
        if not (-180 <= minlon <= 180 and -180 <= maxlon <= 180 and -90 <= minlat <= maxlat <= 90):
            raise ValueError("bbox out of range: lon in [-180,180], lat in [-90,90], minlat <= maxlat")
        return v

    @model_validator(mode="after")
    def _dates(self) -> "EventQuery":
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError("date_from is after date_to")
        return self

    def to_filter(self) -> EventFilter:
        bbox = tuple(float(p) for p in self.bbox.split(",")) if self.bbox else None
        return EventFilter(
            country=self.country or None,
            admin1=self.admin1 or None,
            event_type=self.event_type or None,
            sub_event_type=self.sub_event_type or None,
            actor=self.actor or None,
            q=self.q or None,
            date_from=self.date_from,
            date_to=self.date_to,
            bbox=bbox,  # type: ignore[arg-type]
            limit=self.limit,
            offset=self.offset,
        )


class CountsQuery(EventQuery):
    """The shared filters plus the width of the timeline's time buckets."""

    bucket: Bucket = Field(
        "day",
        description="time bucket: day (default), week (ISO, starting Monday) or month; "
                    "each row's date is the first day of its bucket (YYYY-MM-DD)",
    )


class IncidentQuery(EventQuery):
    """The shared filters, applied to the incidents' own (consolidated) fields, plus min_reports."""

    min_reports: int = Field(
        1, ge=1, le=100_000,
        description="only incidents reported by at least this many articles (2: the ones several outlets reported)",
    )

    def to_filter(self) -> IncidentFilter:  # type: ignore[override]
        f = super().to_filter()
        return IncidentFilter(**{k: getattr(f, k) for k in f.__dataclass_fields__}, min_reports=self.min_reports)


Params = Annotated[EventQuery, Query()]
CountParams = Annotated[CountsQuery, Query()]
IncidentParams = Annotated[IncidentQuery, Query()]


class EventsPage(BaseModel):
    total: int
    events: list[dict[str, Any]]


class IncidentsPage(BaseModel):
    total: int
    incidents: list[dict[str, Any]]


def create_app(db_url: str | None = None, store: Store | None = None) -> FastAPI:
    """The API + dashboard over the store at ``db_url`` (SQLite path or SQLAlchemy URL)."""
    store = store or Store(db_url)
    app = FastAPI(
        title="rasd API",
        description="ACLED-style events extracted from Arabic news, with evidence and provenance.",
        version="0.1.0",
        docs_url=None,  # FastAPI's /docs loads Swagger UI from a CDN; ours below is offline
        redoc_url=None,
    )
    app.state.store = store

    @app.middleware("http")
    async def limits_and_headers(request: Request, call_next):  # noqa: ANN001, ANN202
        if len(str(request.url).encode()) > MAX_URL_BYTES:
            return JSONResponse({"error": "request URL too long"}, status_code=414)
        length = request.headers.get("content-length")
        if request.headers.get("transfer-encoding") or (length and length.strip() not in ("", "0")):
            return JSONResponse({"error": "request bodies are not accepted"}, status_code=413)
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        details = [
            {"param": ".".join(str(p) for p in e.get("loc", ()) if p != "query"), "message": e.get("msg", "")}
            for e in exc.errors()
        ]
        return JSONResponse({"error": "invalid parameters", "details": details}, status_code=422)

    @app.exception_handler(HTTPException)
    async def http_error(_request: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse({"error": exc.detail}, status_code=exc.status_code)

    from starlette.exceptions import HTTPException as StarletteHTTPException

    @app.exception_handler(StarletteHTTPException)
    async def starlette_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"error": exc.detail}, status_code=exc.status_code)

    @app.get("/api/events", response_model=EventsPage, summary="Events matching the filters, newest first")
    def list_events(params: Params) -> dict[str, Any]:
        total, rows = store.events(params.to_filter())
        return {"total": total, "events": rows}

    @app.get("/api/events/{event_id}", summary="One event with its article text, evidence and provenance")
    def get_event(event_id: Annotated[int, Field(ge=1, le=2**62)]) -> dict[str, Any]:
        ev = store.event(event_id)
        if ev is None:
            raise HTTPException(404, f"no event {event_id}")
        return ev

    @app.get(
        "/api/incidents",
        response_model=IncidentsPage,
        summary="Incidents matching the filters, newest first",
        description="An incident is the events of several articles that report the same incident (same "
                    "event_type, within the build's km and days, compatible actors; see `rasd consolidate`), "
                    "stored as one row with `n_reports` (articles) and `n_sources` (outlets). Its fields are "
                    "the consolidated ones: the most precise place, the date most reports give, the lowest "
                    "stated death toll (`fatalities_reason` says why), and `reason` names the rules that merged "
                    "each report. The filters apply to those fields; `q` matches an incident when any of its "
                    "reports' articles matches; `date_from`/`date_to` apply to `event_date` "
                    "(`date_first`/`date_last` give the range the reports span). An incident's `id` is the event "
                    "id of its lead (earliest) report. Incidents are built by `rasd ingest` and "
                    "`rasd incidents rebuild`.",
    )
    def list_incidents(params: IncidentParams) -> dict[str, Any]:
        total, rows = store.incidents(params.to_filter())
        return {"total": total, "incidents": rows}

    @app.get(
        "/api/incidents/{incident_id}",
        summary="One incident with its member events and their articles",
        description="The incident's fields plus `events`: each report as in /api/events (with `article_id`, "
                    "`title`, `url`, `source`, `published` of its article), lead first, with `rank` (0 = lead) and "
                    "`merge_reason` (the rules that merged it). /api/events/{id} has a report's full text and "
                    "evidence.",
    )
    def get_incident(incident_id: Annotated[int, Field(ge=1, le=2**62)]) -> dict[str, Any]:
        inc = store.incident(incident_id)
        if inc is None:
            raise HTTPException(404, f"no incident {incident_id}")
        return inc

    @app.get(
        "/api/counts/day",
        summary="Events per day (or week, or month) and type",
        description="Rows of {date, event_type, count}, oldest first, for the events matching the filters. "
                    "bucket=week or bucket=month groups them by ISO week (Monday) or calendar month for long "
                    "ranges; date is then the first day of the bucket.",
    )
    def counts_day(params: CountParams) -> list[dict[str, Any]]:
        return store.counts_by_day(params.to_filter(), params.bucket)

    @app.get("/api/counts/type", summary="Events and fatalities per type and sub-type")
    def counts_type(params: Params) -> list[dict[str, Any]]:
        return store.counts_by_type(params.to_filter())

    @app.get("/api/facets", summary="Distinct countries, regions, types and actors for the filter UI")
    def facets() -> dict[str, Any]:
        return store.facets()

    @app.get("/api/search", summary="Articles whose text contains every word of q")
    def search(q: Annotated[str, Query(min_length=1, max_length=500)],
               limit: Annotated[int, Query(ge=1, le=200)] = 50) -> list[dict[str, Any]]:
        return store.search(q, limit)

    def _attachment(name: str) -> dict[str, str]:
        return {"Content-Disposition": f'attachment; filename="{name}"'}

    @app.get("/api/export.csv", summary="Matching events as ACLED-style CSV (no page limit)")
    def export_csv(params: Params) -> StreamingResponse:
        return StreamingResponse(_iter_writer(export.write_csv, store.export_rows(params.to_filter())),
                                 media_type="text/csv; charset=utf-8", headers=_attachment("rasd_events.csv"))

    @app.get("/api/export.geojson", summary="Matching events with coordinates as a GeoJSON FeatureCollection")
    def export_geojson(params: Params) -> StreamingResponse:
        return StreamingResponse(_iter_writer(export.write_geojson, store.export_rows(params.to_filter())),
                                 media_type="application/geo+json", headers=_attachment("rasd_events.geojson"))

    @app.get("/api/export.parquet", summary="Matching events as typed Parquet")
    def export_parquet(params: Params) -> Response:
        with tempfile.NamedTemporaryFile(suffix=".parquet") as tmp:
            export.write_parquet(store.export_rows(params.to_filter()), tmp.name)
            data = Path(tmp.name).read_bytes()
        return Response(data, media_type="application/vnd.apache.parquet", headers=_attachment("rasd_events.parquet"))

    @app.get("/docs", include_in_schema=False)
    def docs() -> FileResponse:
        return FileResponse(STATIC / "docs.html", media_type="text/html; charset=utf-8")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


class _QueueFile:
    """A write-only file whose writes go to a bounded queue (the HTTP response drains it)."""

    def __init__(self, q: "queue.Queue[str | None]", flush_at: int = 64 * 1024) -> None:
        self.q, self.flush_at, self.parts, self.size = q, flush_at, [], 0

    def write(self, s: str) -> int:
        self.parts.append(s)
        self.size += len(s)
        if self.size >= self.flush_at:
            self.flush()
        return len(s)

    def flush(self) -> None:
        if self.parts:
            self.q.put("".join(self.parts))
            self.parts, self.size = [], 0


def _iter_writer(writer, rows: Iterator[dict[str, Any]]) -> Iterator[str]:  # noqa: ANN001
    """Stream ``writer(rows, fp)``: it runs in a thread, the response yields its output as it comes."""
    q: queue.Queue[str | None] = queue.Queue(maxsize=16)  # bounded: a slow client slows the writer down
    errors: list[BaseException] = []

    def run() -> None:
        fp = _QueueFile(q)
        try:
            writer(rows, fp)
            fp.flush()
        except BaseException as exc:  # surfaced to the response below
            errors.append(exc)
        finally:
            q.put(None)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    while (part := q.get()) is not None:
        yield part
    t.join()
    if errors:
        raise errors[0]


__all__ = ["create_app", "CountsQuery", "EventQuery", "IncidentQuery"]
