"""Cross-report consolidation: events from different articles that are the same incident.

Several outlets report the same bombing, clash or protest; ACLED codes it once.
Two events are the same incident when all of these hold (each is a rule named in
the incident's ``reason``):

  type     the same ``event_type`` (Battles and Explosions/Remote violence stay apart);
  place    both have coordinates, within ``km`` of each other (haversine). Events placed
           only at country/region level (geo_precision 3) are too vague for distance alone:
           they also need the same ``location`` and both actors known and equal;
  date     ``event_date`` within ``days`` of each other;
  actors   actor1 and actor2 each equal, or unknown on one side ("" / None /
           "Unidentified Armed Group"); for Battles the sides may be listed the other way round;
  sources  from different articles: one article's events were already kept apart by the extractor.

Linkage is complete: an event joins an incident only when it matches every event in it,
so A~B and B~C never chain A and C together when A and C disagree. Candidates come from
a blocking index (event_type x grid cell x day; cells are ``km`` wide, so every match lies in
the neighbouring cells), which keeps the run O(n) on a corpus instead of O(n^2).

Fatalities follow ACLED: when reports disagree, the lowest reported figure. Only figures the
text states count as reports; a report that mentions no death does not outvote one that
gives a number, and "deaths implied, count unknown" stays unknown unless some report has a figure.
"""
from __future__ import annotations

import datetime as dt
import json
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import IO, Any, Iterable, Iterator

from rasd.eval import haversine_km

COMPONENT = "consolidate"
UNKNOWN_ACTORS = frozenset({"", "Unidentified Armed Group"})
SYMMETRIC_TYPES = frozenset({"Battles"})
COARSE_PRECISION = 3
_KM_PER_DEG = 111.195  # mean great-circle km per degree of latitude


@dataclass
class Report:
    """One event as one article reported it."""

    event: dict[str, Any]
    article_id: str
    event_id: str
    url: str = ""
    source: str = ""
    published: str | None = None
    date: dt.date | None = None

    @property
    def lat(self) -> float | None:
        return _float(self.event.get("latitude"))

    @property
    def lon(self) -> float | None:
        return _float(self.event.get("longitude"))

    def get(self, key: str) -> Any:
        return self.event.get(key)


@dataclass
class Incident:
    reports: list[Report] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # one line per merge: which rules held and how closely
    swapped: set[str] = field(default_factory=set)  # reports whose actor1/actor2 are the lead's actor2/actor1

    def report_reasons(self) -> list[str]:
        """Why each report is in the incident, in ``reports`` order: the lead founded it, every
        later report joined it (its ``notes`` line, appended as it joined)."""
        return ["lead report: the earliest, the incident grew from it"] + list(self.notes)


def _float(v: Any) -> float | None:
    try:
        return None if v is None or v == "" else float(v)
    except (TypeError, ValueError):
        return None


def _date(v: Any) -> dt.date | None:
    if isinstance(v, dt.date):
        return v
    try:
        return dt.date.fromisoformat(str(v)[:10]) if v else None
    except ValueError:
        return None


def _actor(v: Any) -> str:
    return (v or "").strip() if isinstance(v, str) else ""


def _known(v: Any) -> bool:
    return _actor(v) not in UNKNOWN_ACTORS


# ---------------------------------------------------------------- reading


def report_from_event(event: dict[str, Any], article_id: str, event_id: str, url: str | None = "",
                      source: str | None = "", published: Any = None) -> Report:
    """One event dict (the keys of ``Document.to_dict()``'s events: event_type, event_date, actors,
    latitude/longitude, geo_precision, fatalities and its ``provenance``) as a report of ``article_id``.

    Any reader builds reports through here: the JSONL/Parquet readers below and the store
    (``rasd.store.incidents``), whose rows carry the same keys. ``article_id`` is the identity the
    "different articles" rule compares; ``event_id`` names the report in ``reason`` (keep it unique).
    """
    return Report(event, str(article_id), str(event_id), url or "", source or "", published,
                  _date(event.get("event_date")))


def reports_from_articles(docs: Iterable[dict[str, Any]]) -> Iterator[Report]:
    """Reports from ``Document.to_dict()`` records (``rasd extract`` JSONL) or flat ACLED rows."""
    for doc in docs:
        if "events" in doc:
            aid = str(doc.get("id") or "")
            for i, ev in enumerate(doc.get("events") or []):
                yield report_from_event(ev, aid, f"{aid}-{i + 1}", doc.get("url"), doc.get("source"),
                                        doc.get("published"))
        elif "event_type" in doc:  # a flat row (rasd.export.event_rows / ACLED-style CSV read as dicts)
            ev = dict(doc)
            ev.setdefault("evidence", doc.get("notes") or "")
            aid = str(doc.get("article_id") or doc.get("event_id_cnty") or "")
            yield report_from_event(ev, aid, str(doc.get("event_id_cnty") or aid), doc.get("url"),
                                    doc.get("source"))


def read_jsonl(fp: IO[str]) -> Iterator[dict[str, Any]]:
    for line in fp:
        if line.strip():
            yield json.loads(line)


def read_parquet_rows(path: str) -> Iterator[dict[str, Any]]:
    """Flat event rows from a Parquet file or folder: ``rasd extract --format parquet`` output, or the
    Spark job's ``events/`` (date/country folders become columns again)."""
    import pyarrow.dataset as ds

    dataset = ds.dataset(path, format="parquet", partitioning="hive")
    for batch in dataset.to_batches():
        for row in batch.to_pylist():
            if row.get("country") == "__HIVE_DEFAULT_PARTITION__":
                row["country"] = None
            yield row


# ---------------------------------------------------------------- matching rules


def actors_compatible(a: Report, b: Report) -> tuple[bool, str]:
    """(compatible, how): each side equal or unknown on one side; Battles may swap sides."""

    def side(x: Any, y: Any) -> str | None:
        x, y = _actor(x), _actor(y)
        if x == y:
            return "same"
        if x in UNKNOWN_ACTORS or y in UNKNOWN_ACTORS:
            return "one unknown"
        return None

    s1, s2 = side(a.get("actor1"), b.get("actor1")), side(a.get("actor2"), b.get("actor2"))
    if s1 and s2:
        return True, "actors same" if s1 == s2 == "same" else f"actor1 {s1}, actor2 {s2}"
    if a.get("event_type") in SYMMETRIC_TYPES:
        x1, x2 = side(a.get("actor1"), b.get("actor2")), side(a.get("actor2"), b.get("actor1"))
        if x1 and x2:
            return True, f"sides listed the other way round (actor1↔actor2: {x1}, {x2})"
    return False, "actors conflict"


def match(a: Report, b: Report, km: float, days: int) -> tuple[bool, str]:
    """Whether two reports are one incident, and a human-readable why / why not."""
    if a.article_id == b.article_id:
        return False, "same article"
    if a.get("event_type") != b.get("event_type"):
        return False, "different event_type"
    if a.date is None or b.date is None:
        return False, "no date"
    gap = abs((a.date - b.date).days)
    if gap > days:
        return False, f"dates {gap} days apart"
    if None in (a.lat, a.lon, b.lat, b.lon):
        return False, "no coordinates"
    dist = haversine_km(a.lat, a.lon, b.lat, b.lon)  # type: ignore[arg-type]
    if dist > km:
        return False, f"{dist:.1f} km apart"
    ok, how = actors_compatible(a, b)
    if not ok:
        return False, how
    coarse = max(_precision(a), _precision(b)) >= COARSE_PRECISION
    if coarse:
        same_place = (a.get("location") or "") == (b.get("location") or "")
        strict = all(_known(x.get(k)) for x in (a, b) for k in ("actor1", "actor2")) and how == "actors same"
        if not (same_place and strict):
            return False, "placed only at region/country level and actors not both known and equal"
    day = "same day" if gap == 0 else f"{gap} day{'s' if gap > 1 else ''} apart"
    return True, f"same event_type; {dist:.1f} km apart (≤ {km:g}); {day} (≤ {days}); {how}"


def _precision(r: Report) -> int:
    try:
        return int(r.get("geo_precision") or COARSE_PRECISION)
    except (TypeError, ValueError):
        return COARSE_PRECISION


# ---------------------------------------------------------------- blocking index and clustering


class _Grid:
    """event_type x grid cell x day -> incidents with a report there."""

    def __init__(self, km: float, days: int) -> None:
        self.cell_deg = max(km, 0.001) / _KM_PER_DEG
        self.days = days
        self.km = km
        self.index: dict[tuple, list[int]] = defaultdict(list)

    def cell(self, lat: float, lon: float) -> tuple[int, int]:
        return math.floor(lat / self.cell_deg), math.floor(lon / self.cell_deg)

    def key(self, r: Report) -> tuple | None:
        if r.date is None or r.lat is None or r.lon is None:
            return None
        return (r.get("event_type"), *self.cell(r.lat, r.lon), r.date.toordinal())

    def add(self, r: Report, incident: int) -> None:
        k = self.key(r)
        if k is not None and incident not in self.index[k]:
            self.index[k].append(incident)

    def candidates(self, r: Report) -> list[int]:
        k = self.key(r)
        if k is None:
            return []
        etype, ci, cj, day = k
        # A degree of longitude shrinks with latitude: widen the search east-west to still cover km.
        lat = min(abs(r.lat) + self.cell_deg, 89.0)  # type: ignore[arg-type]
        dj = math.ceil(1 / math.cos(math.radians(lat)))
        found: list[int] = []
        for d in range(day - self.days, day + self.days + 1):
            for i in (ci - 1, ci, ci + 1):
                for j in range(cj - dj, cj + dj + 1):
                    found.extend(self.index.get((etype, i, j, d), ()))
        return sorted(set(found))


def consolidate(reports: Iterable[Report], km: float = 10.0, days: int = 1) -> list[Incident]:
    """Group reports into incidents (complete linkage, blocked by type x cell x day).

    Reports are taken in date order so an incident grows from its earliest report; among
    several incidents a report could join it takes the closest (distance, then date gap).
    """
    items = sorted(reports, key=lambda r: (r.date or dt.date.max, r.article_id, r.event_id))
    grid = _Grid(km, days)
    incidents: list[Incident] = []
    for r in items:
        best: tuple[float, int, int, str] | None = None
        for idx in grid.candidates(r):
            inc = incidents[idx]
            verdicts = [match(r, other, km, days) for other in inc.reports]
            if not all(ok for ok, _ in verdicts):
                continue
            lead = inc.reports[0]
            dist = haversine_km(r.lat, r.lon, lead.lat, lead.lon)  # type: ignore[arg-type]
            gap = abs((r.date - lead.date).days)  # type: ignore[operator]
            cand = (dist, gap, idx, verdicts[0][1])
            if best is None or cand[:3] < best[:3]:
                best = cand
        if best is None:
            incidents.append(Incident([r]))
            grid.add(r, len(incidents) - 1)
        else:
            inc = incidents[best[2]]
            inc.notes.append(f"{r.event_id} joined {inc.reports[0].event_id}: {best[3]}")
            if "other way round" in actors_compatible(inc.reports[0], r)[1]:
                inc.swapped.add(r.event_id)
            inc.reports.append(r)
            grid.add(r, best[2])
    return incidents


# ---------------------------------------------------------------- incident records


def _stated_fatalities(r: Report) -> int | None:
    """A death toll the text states (a number with evidence), else None."""
    v = r.get("fatalities")
    if v is None:
        return None
    prov = (r.get("provenance") or {}).get("fatalities") or {}
    if isinstance(prov, dict) and prov and not prov.get("spans") and int(v) == 0:
        return None  # 0 by default: the report mentions no death, it does not say nobody died
    return int(v)


def conservative_fatalities(reports: list[Report]) -> tuple[int | None, str]:
    """ACLED: the lowest figure among the reports that state one."""
    stated = [(f, r.event_id) for r in reports if (f := _stated_fatalities(r)) is not None]
    if stated:
        low = min(f for f, _ in stated)
        if len({f for f, _ in stated}) > 1:
            figures = ", ".join(f"{f} ({eid})" for f, eid in stated)
            return low, f"reports disagree ({figures}): lowest reported figure, as ACLED codes it"
        return low, f"{low} as reported" + (" by every report stating a figure" if len(stated) > 1 else "")
    if any(r.get("fatalities") is None for r in reports):
        return None, "deaths implied, no report gives a number"
    return 0, "no report mentions a death"


def _most_common(values: list[Any]) -> Any:
    """The most frequent non-empty value, ties to the earliest report."""
    vals = [v for v in values if v not in (None, "")]
    if not vals:
        return None
    counts = Counter(vals)
    top = max(counts.values())
    return next(v for v in vals if counts[v] == top)


def incident_record(inc: Incident) -> dict[str, Any]:
    reps = inc.reports
    lead = reps[0]
    # The most precise location among the reports (lowest geo_precision), ties to the earliest report.
    where = min(reps, key=_precision)
    fat, fat_reason = conservative_fatalities(reps)

    def actor(key: str) -> str:
        # Read every report in the lead report's orientation (Battles may list the sides either way).
        other = "actor2" if key == "actor1" else "actor1"
        vals = [_actor(r.get(other if r.event_id in inc.swapped else key)) for r in reps]
        return _most_common([v for v in vals if _known(v)]) or _most_common(vals) or ""

    dates = [r.date for r in reps if r.date]
    if len(reps) == 1:
        reason = "single report: no other article's event matched (type, place, date, actors)"
    else:
        reason = f"{len(reps)} reports from {len({r.article_id for r in reps})} articles merged: " + "; ".join(inc.notes)
    return {
        "incident_id": f"inc-{lead.event_id}",
        "event_type": lead.get("event_type"),
        "sub_event_type": _most_common([r.get("sub_event_type") for r in reps]),
        "event_date": (_most_common(dates) or lead.date).isoformat() if dates else None,
        "date_range": [min(dates).isoformat(), max(dates).isoformat()] if dates else None,
        "actor1": actor("actor1"),
        "actor2": actor("actor2"),
        "country": where.get("country"),
        "admin1": where.get("admin1"),
        "location": where.get("location"),
        "latitude": where.lat,
        "longitude": where.lon,
        "geo_precision": where.get("geo_precision"),
        "fatalities": fat,
        "n_reports": len(reps),
        "component": COMPONENT,
        "reason": reason,
        "fatalities_reason": fat_reason,
        "sources": [
            {
                "event_id": r.event_id,
                "article_id": r.article_id,
                "url": r.url,
                "source": r.source,
                "published": r.published,
                "event_date": r.date.isoformat() if r.date else None,
                "sub_event_type": r.get("sub_event_type"),
                "actor1": r.get("actor1"),
                "actor2": r.get("actor2"),
                "location": r.get("location"),
                "fatalities": r.get("fatalities"),
                "evidence": r.get("evidence") or "",
                "evidence_spans": r.get("evidence_spans") or [],
            }
            for r in reps
        ],
    }


def consolidate_records(docs: Iterable[dict[str, Any]], km: float = 10.0, days: int = 1) -> Iterator[dict[str, Any]]:
    """Article dicts (or flat event rows) in, incident dicts out, in date order."""
    for inc in consolidate(reports_from_articles(docs), km=km, days=days):
        yield incident_record(inc)


__all__ = [
    "Incident",
    "Report",
    "actors_compatible",
    "conservative_fatalities",
    "consolidate",
    "consolidate_records",
    "incident_record",
    "match",
    "read_jsonl",
    "read_parquet_rows",
    "report_from_event",
    "reports_from_articles",
]
