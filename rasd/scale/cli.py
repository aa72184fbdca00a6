"""``rasd spark`` (the pipeline as a Spark job) and ``rasd consolidate`` (cross-report incidents)."""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Optional

import typer


def spark_command(
    input_path: str = typer.Argument(..., metavar="IN", help="File, folder, glob or URI: JSONL[.gz], Parquet or WARC."),
    output: str = typer.Argument(..., metavar="OUT", help="Output folder or URI (events/ Parquet, failures/ JSONL)."),
    input_format: str = typer.Option("auto", "--format", help="auto | jsonl | parquet | warc"),
    published: Optional[str] = typer.Option(None, help="Publication date (YYYY-MM-DD) for records without one."),
    master: str = typer.Option("local[*]", help="Spark master, e.g. local[4], spark://host:7077, yarn."),
    partitions: Optional[int] = typer.Option(None, min=1, help="Partitions to spread the records over."),
) -> None:
    """Run the rasd pipeline over a corpus with PySpark (needs the spark extra: pyspark, warcio)."""
    try:
        from rasd.scale import spark as rspark
    except ImportError as exc:  # pragma: no cover - depends on the optional extra
        raise typer.BadParameter(f"PySpark is not installed ({exc}); pip install 'rasd[spark]'")
    try:
        pub = dt.date.fromisoformat(published) if published else None
    except ValueError:
        raise typer.BadParameter(f"{published!r} is not an ISO date (YYYY-MM-DD)")
    if input_format not in rspark.INPUT_FORMATS:
        raise typer.BadParameter(f"--format must be one of {', '.join(rspark.INPUT_FORMATS)}")
    session = rspark.build_session(master)
    try:
        summary = rspark.run_job(input_path, output, spark=session, input_format=input_format, published=pub,
                                 partitions=partitions)
    finally:
        session.stop()
    typer.echo(json.dumps(summary.to_dict(), ensure_ascii=False))


def consolidate_command(
    input_path: Path = typer.Argument(..., metavar="IN", exists=True,
                                      help="rasd extract JSONL output (or flat event rows as JSONL), or "
                                           "Parquet: a file from --format parquet or the Spark job's events/ folder."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Incidents JSONL (default: stdout)."),
    km: float = typer.Option(10.0, "--km", min=0.0, help="Largest distance between reports of one incident."),
    days: int = typer.Option(1, "--days", min=0, help="Largest date difference between reports of one incident."),
) -> None:
    """Merge events that different articles report about the same incident."""
    from rasd.consolidate import consolidate_records, read_jsonl, read_parquet_rows

    n_events = n_incidents = n_merged = 0
    out = open(output, "w", encoding="utf-8") if output else sys.stdout
    parquet = input_path.is_dir() or input_path.suffix.lower() == ".parquet"
    try:
        with contextlib.ExitStack() as stack:
            if parquet:
                records = read_parquet_rows(str(input_path))
            else:
                records = read_jsonl(stack.enter_context(open(input_path, encoding="utf-8")))
            for inc in consolidate_records(records, km=km, days=days):
                out.write(json.dumps(inc, ensure_ascii=False, default=str) + "\n")
                n_incidents += 1
                n_events += inc["n_reports"]
                n_merged += inc["n_reports"] > 1
    finally:
        if out is not sys.stdout:
            out.close()
    typer.echo(f"{n_events} events -> {n_incidents} incidents ({n_merged} from more than one report)", err=True)


def register(app: typer.Typer) -> None:
    app.command("spark")(spark_command)
    app.command("consolidate")(consolidate_command)
