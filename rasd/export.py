"""Flat ACLED-style exports of extracted events: CSV, GeoJSON, Parquet, JSONL.

Input is what ``Document.to_dict()`` returns (one dict per article, events nested);
``event_rows`` flattens it to one row per event with ACLED's column names so an
analyst can put rasd output next to an ACLED download. Writers stream where the
format allows, so exporting a large store does not hold it in memory.
"""
from __future__ import annotations

import csv
import json
from typing import IO, Any, Iterable, Iterator, NamedTuple

# ACLED's public export columns (the subset rasd codes), then rasd's own extras.
ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
    "article_id",
    "url",
    "evidence_start",
    "evidence_end",
    "confidence",
)

_INT_COLUMNS = ("year", "time_precision", "inter1", "inter2", "interaction", "geo_precision", "fatalities",
                "evidence_start", "evidence_end")
_FLOAT_COLUMNS = ("latitude", "longitude", "confidence")
# Free-text columns a spreadsheet could read as a formula (CSV injection).
_TEXT_COLUMNS = tuple(c for c in ACLED_COLUMNS if c not in _INT_COLUMNS + _FLOAT_COLUMNS)


class WriteStats(NamedTuple):
    written: int
    skipped: int = 0


def _int_or_none(v: Any) -> int | None:
    if v is None or v == "":
        return None
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


def _float_or_none(v: Any) -> float | None:
    if v is None or v == "":
        return None
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def interaction_code(inter1: Any, inter2: Any) -> int | None:
    """ACLED's two-digit interaction: both inter codes, lower first; one actor alone gives ``X0``."""
    a, b = _int_or_none(inter1), _int_or_none(inter2)
    if a is None and b is None:
        return None
    if a is None or b is None or a == 0 or b == 0:
        return (a or b) * 10  # type: ignore[operator]
    lo, hi = sorted((a, b))
    return lo * 10 + hi


def event_row(doc: dict[str, Any], event: dict[str, Any], index: int) -> dict[str, Any]:
    """One flat ACLED-style row for the ``index``-th event of an article dict."""
    date = event.get("event_date") or None
    spans = event.get("evidence_spans") or []
    article_id = str(doc.get("id") or "")
    return {
        # ACLED ids are country-prefixed serials; ours must be stable across runs, so they come from the article.
        "event_id_cnty": f"{article_id}-{index + 1}",
        "event_date": date,
        "year": _int_or_none(str(date)[:4]) if date else None,
        "time_precision": _int_or_none(event.get("time_precision")),
        "event_type": event.get("event_type"),
        "sub_event_type": event.get("sub_event_type"),
        "actor1": event.get("actor1"),
        "assoc_actor_1": event.get("assoc_actor_1") or None,
        "inter1": _int_or_none(event.get("inter1")),
        "actor2": event.get("actor2"),
        "assoc_actor_2": event.get("assoc_actor_2") or None,
        "inter2": _int_or_none(event.get("inter2")),
        "interaction": interaction_code(event.get("inter1"), event.get("inter2")),
        "country": event.get("country"),
        "admin1": event.get("admin1"),
        "location": event.get("location"),
        "latitude": _float_or_none(event.get("latitude")),
        "longitude": _float_or_none(event.get("longitude")),
        "geo_precision": _int_or_none(event.get("geo_precision")),
        "source": doc.get("source") or None,
        "notes": event.get("evidence") or None,
        "fatalities": _int_or_none(event.get("fatalities")),
        "article_id": article_id,
        "url": doc.get("url") or None,
        "evidence_start": min((s["start"] for s in spans), default=None),
        "evidence_end": max((s["end"] for s in spans), default=None),
        "confidence": _float_or_none(event.get("confidence")),
    }


def event_rows(doc_dicts: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Flatten article dicts (``Document.to_dict()``) into one ACLED-style row per event."""
    for doc in doc_dicts:
        for i, ev in enumerate(doc.get("events") or []):
            yield event_row(doc, ev, i)


def _csv_safe(value: Any) -> Any:
    # A cell starting with = + - @ (or tab/CR) is run as a formula by spreadsheets; quote it as text.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def write_csv(rows: Iterable[dict[str, Any]], fp: IO[str], *, neutralise_formulas: bool = True) -> WriteStats:
    """Write rows as CSV with ``ACLED_COLUMNS`` as header; returns how many rows were written."""
    writer = csv.DictWriter(fp, fieldnames=list(ACLED_COLUMNS), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    n = 0
    for row in rows:
        if neutralise_formulas:
            row = {k: (_csv_safe(v) if k in _TEXT_COLUMNS else v) for k, v in row.items()}
        writer.writerow(row)
        n += 1
    return WriteStats(n)


def write_geojson(rows: Iterable[dict[str, Any]], fp: IO[str]) -> WriteStats:
    """Write a GeoJSON FeatureCollection of Points (lon, lat; WGS84) that QGIS opens directly.

    Events without coordinates cannot be placed and are skipped; the count comes back in ``skipped``.
    """
    fp.write('{"type": "FeatureCollection", "features": [\n')
    written = skipped = 0
    for row in rows:
        lat, lon = _float_or_none(row.get("latitude")), _float_or_none(row.get("longitude"))
        if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            skipped += 1
            continue
        feature = {
            "type": "Feature",
            "id": row.get("event_id_cnty"),
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {k: row.get(k) for k in ACLED_COLUMNS},
        }
        if written:
            fp.write(",\n")
        fp.write(json.dumps(feature, ensure_ascii=False))
        written += 1
    fp.write("\n]}\n")
    return WriteStats(written, skipped)


def parquet_schema():  # -> pyarrow.Schema, imported lazily: pyarrow is heavy to import
    import pyarrow as pa

    fields = []
    for c in ACLED_COLUMNS:
        if c in _INT_COLUMNS:
            fields.append(pa.field(c, pa.int64()))
        elif c in _FLOAT_COLUMNS:
            fields.append(pa.field(c, pa.float64()))
        elif c == "event_date":
            fields.append(pa.field(c, pa.date32()))
        else:
            fields.append(pa.field(c, pa.string()))
    return pa.schema(fields)


def _parquet_value(col: str, v: Any) -> Any:
    if col == "event_date" and isinstance(v, str):
        import datetime as dt

        try:
            return dt.date.fromisoformat(v[:10])
        except ValueError:
            return None
    return v


def write_parquet(rows: Iterable[dict[str, Any]], path: Any, *, batch_size: int = 10_000) -> WriteStats:
    """Write rows to a Parquet file with a typed schema, in row groups of ``batch_size``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema()
    n = 0
    with pq.ParquetWriter(path, schema) as writer:
        batch: list[dict[str, Any]] = []

        def flush() -> None:
            cols = {c: [_parquet_value(c, r.get(c)) for r in batch] for c in ACLED_COLUMNS}
            writer.write_table(pa.Table.from_pydict(cols, schema=schema))
            batch.clear()

        for row in rows:
            batch.append(row)
            n += 1
            if len(batch) >= batch_size:
                flush()
        if batch or n == 0:
            flush()  # an empty export still gets a valid file with the schema
    return WriteStats(n)


def write_jsonl(doc_dicts: Iterable[dict[str, Any]], fp: IO[str]) -> WriteStats:
    """One article dict (events nested, with evidence and provenance) per line."""
    n = 0
    for d in doc_dicts:
        fp.write(json.dumps(d, ensure_ascii=False))
        fp.write("\n")
        n += 1
    return WriteStats(n)


FORMATS: tuple[str, ...] = ("csv", "geojson", "parquet", "jsonl")

__all__ = [
    "ACLED_COLUMNS",
    "FORMATS",
    "WriteStats",
    "event_row",
    "event_rows",
    "interaction_code",
    "parquet_schema",
    "write_csv",
    "write_geojson",
    "write_jsonl",
    "write_parquet",
]
