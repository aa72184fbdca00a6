"""``rasd ingest`` and ``rasd export``: files -> events in the store -> ACLED-style files."""
from __future__ import annotations

import datetime as dt
import itertools
import sys
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional

import typer

from rasd.export import FORMATS


def _parse_date(value: Optional[str], name: str) -> Optional[dt.date]:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{name} must be YYYY-MM-DD, got {value!r}")


def _parse_bbox(value: Optional[str]) -> Optional[tuple[float, float, float, float]]:
    if not value:
        return None
    try:
        parts = tuple(float(p) for p in value.split(","))
    except ValueError:
        parts = ()
    if len(parts) != 4:
        raise typer.BadParameter("bbox must be minlon,minlat,maxlon,maxlat")
    return parts  # type: ignore[return-value]


def _unknown_extracted(store: Any, items: Iterable[Any], batch_size: int, workers: int,
                       skipped: list[int]) -> Iterator[Any]:
    """Drop articles already stored *before* extracting them, so a resumed run only pays for new ones."""
    from rasd.doc import Document
    from rasd.extract import extract_many
    from rasd.store.store import content_hash

    def fresh() -> Iterator[Any]:
        it = iter(items)
        while chunk := list(itertools.islice(it, batch_size)):
            known = store.known_hashes(content_hash(d.text) for d in chunk if isinstance(d, Document))
            for d in chunk:
                if isinstance(d, Document) and content_hash(d.text) in known:
                    skipped[0] += 1
                else:
                    yield d

    yield from extract_many(fresh(), workers=workers)


def _incidents_line(b: Any) -> str:
    if b.scope == "none":
        return "up to date (no new events)"
    span = f", {b.date_from} to {b.date_to}" if b.date_from or b.date_to else ""
    return (f"{b.incidents} built from {b.events} events ({b.merged} from several reports; "
            f"--km {b.km:g} --days {b.days}{span})")


incidents_app = typer.Typer(help="Incidents: the stored events of several articles that report one incident.",
                            no_args_is_help=True)


@incidents_app.command("rebuild")
def incidents_rebuild_cmd(
    db: str = typer.Option("rasd.db", "--db", help="SQLite file or SQLAlchemy URL (postgresql://...)."),
    km: float = typer.Option(10.0, "--km", min=0.001, help="Largest distance between two reports of one incident."),
    days: int = typer.Option(1, "--days", min=0, max=366, help="Largest gap in days between two reports' event dates."),
    date_from: Optional[str] = typer.Option(None, "--date-from", help="Only the incidents with a report from this date."),
    date_to: Optional[str] = typer.Option(None, "--date-to", help="Only the incidents with a report up to this date."),
) -> None:
    """Consolidate the stored events into incidents (rasd consolidate's rules), replacing the old ones.

    Later `rasd ingest` runs consolidate their new events with the same --km and --days.
    """
    from rasd.store import Store

    start, end = _parse_date(date_from, "--date-from"), _parse_date(date_to, "--date-to")
    if start and end and start > end:
        raise typer.BadParameter("--date-from is after --date-to")
    store = Store(db)
    try:
        b = store.rebuild_incidents(km=km, days=days, date_from=start, date_to=end)
    finally:
        store.close()
    typer.echo(f"incidents: {_incidents_line(b)}; {b.removed} replaced", err=True)


def register(app: typer.Typer) -> None:
    app.add_typer(incidents_app, name="incidents")

    @app.command("ingest")
    def ingest_cmd(
        paths: list[Path] = typer.Argument(..., help="Files or folders of articles (any format the readers know)."),
        db: str = typer.Option("rasd.db", "--db", help="SQLite file or SQLAlchemy URL (postgresql://...)."),
        published: Optional[str] = typer.Option(None, help="Publication date (YYYY-MM-DD) for articles without one."),
        batch_size: int = typer.Option(200, min=1, max=100_000, help="Articles per committed batch."),
        workers: int = typer.Option(1, min=1, help="Extraction worker processes."),
    ) -> None:
        """Read articles, extract events and store them (idempotent and resumable)."""
        from rich.console import Console
        from rich.table import Table

        from rasd.ingest.readers import read_path  # lazily: the readers may be absent in a partial install
        from rasd.store import Store

        pub = _parse_date(published, "--published")
        console = Console(stderr=True)
        store = Store(db)
        skipped = [0]

        def items() -> Iterator[Any]:
            for p in paths:
                yield from read_path(p, pub)

        report = store.ingest(
            _unknown_extracted(store, items(), batch_size, workers, skipped),
            batch_size=batch_size,
            source=" ".join(str(p) for p in paths),
        )
        report.skipped_duplicates += skipped[0]
        table = Table(title="rasd ingest", show_header=False)
        table.add_row("database", store.engine.url.render_as_string(hide_password=True))
        table.add_row("articles stored", str(report.stored))
        table.add_row("events stored", str(report.events))
        table.add_row("duplicates skipped", str(report.skipped_duplicates))
        table.add_row("failed", str(report.failed), style="red" if report.failed else None)
        if report.incidents is not None:
            table.add_row("incidents", _incidents_line(report.incidents))
        console.print(table)
        for f in report.failures[:10]:
            where = f"{f['source'] or '?'}:{f['line']}" if f.get("line") is not None else (f["source"] or "?")
            console.print(f"[red]failed[/red] {where}: {f['message']}", markup=True, highlight=False)
        store.close()
        if report.failed:
            raise typer.Exit(1)

    @app.command("export")
    def export_cmd(
        out: Path = typer.Option(..., "-o", "--out", help="Output file ('-' for stdout, not for parquet)."),
        fmt: str = typer.Option("csv", "--format", "-f", help="csv | geojson | parquet | jsonl"),
        db: str = typer.Option("rasd.db", "--db", help="SQLite file or SQLAlchemy URL."),
        country: Optional[str] = typer.Option(None),
        admin1: Optional[str] = typer.Option(None),
        event_type: Optional[str] = typer.Option(None, "--event-type"),
        sub_event_type: Optional[str] = typer.Option(None, "--sub-event-type"),
        actor: Optional[str] = typer.Option(None, help="Substring of actor1, actor2 or an associated actor."),
        q: Optional[str] = typer.Option(None, "--q", help="Full-text query over the articles."),
        date_from: Optional[str] = typer.Option(None, "--date-from"),
        date_to: Optional[str] = typer.Option(None, "--date-to"),
        bbox: Optional[str] = typer.Option(None, help="minlon,minlat,maxlon,maxlat"),
    ) -> None:
        """Export stored events (filtered) as ACLED-style CSV/GeoJSON/Parquet or rasd JSONL."""
        from rasd import export
        from rasd.store import EventFilter, Store

        if fmt not in FORMATS:
            raise typer.BadParameter(f"--format must be one of {', '.join(FORMATS)}")
        f = EventFilter(country=country, admin1=admin1, event_type=event_type, sub_event_type=sub_event_type,
                        actor=actor, q=q, date_from=_parse_date(date_from, "--date-from"),
                        date_to=_parse_date(date_to, "--date-to"), bbox=_parse_bbox(bbox))
        store = Store(db)
        if fmt == "parquet":
            if str(out) == "-":
                raise typer.BadParameter("parquet needs a file path")
            stats = export.write_parquet(store.export_rows(f), out)
        else:
            fp = sys.stdout if str(out) == "-" else open(out, "w", encoding="utf-8", newline="")
            try:
                if fmt == "csv":
                    stats = export.write_csv(store.export_rows(f), fp)
                elif fmt == "geojson":
                    stats = export.write_geojson(store.export_rows(f), fp)
                else:
                    stats = export.write_jsonl(store.doc_dicts(f), fp)
            finally:
                if fp is not sys.stdout:
                    fp.close()
        store.close()
        extra = f", {stats.skipped} without coordinates skipped" if stats.skipped else ""
        typer.echo(f"wrote {stats.written} {'articles' if fmt == 'jsonl' else 'events'} to {out}{extra}", err=True)
