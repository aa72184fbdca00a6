"""Core commands: ``rasd extract``, ``rasd eval``, ``rasd demo``."""
from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Iterable, Iterator, Optional

import typer
from rich.console import Console
from rich.table import Table

err = Console(stderr=True, soft_wrap=True)  # one message per line, also when piped

FORMATS = ("jsonl", "csv", "geojson", "parquet", "table")


def _parse_date(value: Optional[str]) -> Optional[dt.date]:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not an ISO date (YYYY-MM-DD)")


def read_inputs(paths: Iterable[str], published: Optional[dt.date]) -> Iterator:
    """Documents and IngestErrors from every path, in order."""
    from rasd.ingest.readers import read_path

    for p in paths:
        yield from read_path(p, published=published)


class ExtractionRun:
    """Extracted Documents from the given paths, in input order; unreadable records are
    reported on stderr and counted in ``errors`` while the rest goes on."""

    def __init__(self, paths: list[str], published: Optional[dt.date], workers: int = 1, progress: bool = True):
        self.paths, self.published, self.workers, self.progress = paths, published, workers, progress
        self.errors = 0

    def __iter__(self) -> Iterator:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        from rasd.doc import Document
        from rasd.extract import extract_many

        with Progress(
            TextColumn("[bold]extracting"), BarColumn(), MofNCompleteColumn(), TextColumn("docs"),
            TimeElapsedColumn(), console=err, disable=not (self.progress and err.is_terminal), transient=True,
        ) as bar:
            task = bar.add_task("extract", total=None)
            for item in extract_many(read_inputs(self.paths, self.published), workers=self.workers):
                bar.advance(task)
                if isinstance(item, Document):
                    for w in item.warnings:
                        err.print(f"[yellow]warning[/] {item.id}: {w}", highlight=False)
                    yield item
                else:
                    self.errors += 1
                    err.print(f"[red]error[/] {item}", highlight=False)


def _console(file=None) -> Console:
    """A console as wide as the terminal, or wide enough for the table when writing to a file/pipe."""
    stream = file or sys.stdout
    return Console(file=stream, width=None if stream.isatty() else 180)


def _summary_table(docs: list) -> Table:
    table = Table(title="rasd: events found", show_lines=False)
    for col in ("article", "date", "type / sub-type", "actor1 → actor2", "location", "killed", "evidence"):
        table.add_column(col, overflow="fold")
    for d in docs:
        if not d.events:
            table.add_row(d.id, "", "[dim]no event[/]", "", "", "", "")
        for e in d.events:
            place = ", ".join(x for x in (e["location"], e["admin1"], e["country"]) if x) or "?"
            ev = e.evidence_text
            table.add_row(
                d.id,
                f"{e['event_date'] or '?'} (p{e['time_precision']})",
                f"{e['event_type']} / {e['sub_event_type']}",
                f"{e['actor1']} → {e['actor2'] or '-'}",
                f"{place} (p{e['geo_precision']})" if e["location"] else place,
                "?" if e["fatalities"] is None else str(e["fatalities"]),
                ev[:90] + ("…" if len(ev) > 90 else ""),
            )
    return table


def extract_command(
    paths: list[str] = typer.Argument(..., help="Files (.txt .html .htm .json .jsonl .ndjson, optionally .gz), folders, or - for stdin."),
    published: Optional[str] = typer.Option(None, help="Publication date (YYYY-MM-DD) for documents without one."),
    fmt: str = typer.Option("jsonl", "--format", "-f", help="jsonl | csv | geojson | parquet | table"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Output file (default: stdout)."),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Worker processes."),
    explain: bool = typer.Option(
        False, "--explain",
        help="JSONL only: add to each document every candidate the event rules typed, coded or not, and why not.",
    ),
) -> None:
    """Extract ACLED-style events, with evidence, from Arabic news."""
    if fmt not in FORMATS:
        raise typer.BadParameter(f"--format must be one of {', '.join(FORMATS)}")
    if explain and fmt != "jsonl":
        raise typer.BadParameter("--explain writes JSONL: use it with --format jsonl")
    if fmt == "parquet" and output is None:
        raise typer.BadParameter("--format parquet needs -o FILE")
    pub = _parse_date(published)
    docs = ExtractionRun(paths, pub, workers)
    from rasd import export

    out = open(output, "w", encoding="utf-8", newline="") if output and fmt != "parquet" else sys.stdout
    try:
        if fmt == "jsonl":
            for d in docs:
                out.write(json.dumps(d.to_dict(explain=explain), ensure_ascii=False) + "\n")
        elif fmt == "table":
            _console(out).print(_summary_table(list(docs)))
        elif fmt == "csv":
            export.write_csv(export.event_rows(d.to_dict() for d in docs), out)
        elif fmt == "geojson":
            export.write_geojson(export.event_rows(d.to_dict() for d in docs), out)
        elif fmt == "parquet":
            export.write_parquet(export.event_rows(d.to_dict() for d in docs), str(output))
    finally:
        if out is not sys.stdout:
            out.close()
    if docs.errors:
        err.print(f"[red]{docs.errors} record(s) could not be read; everything else was processed.[/]")
        raise typer.Exit(1)


def eval_command(
    gold: Path = typer.Argument(..., exists=True, dir_okay=False, help="Gold file (JSONL)."),
    sentences: bool = typer.Option(False, "--sentences", help="GOLD is a sentence file: score ASSAULT/PROTEST detection."),
    ner: bool = typer.Option(False, "--ner", help="GOLD is a CoNLL file: score the NER model."),
    model: Optional[str] = typer.Option(
        None, "--model",
        help="With --ner: crf (default), e5 (the neural tagger, needs rasd[neural]) or a model file (.crfsuite / .npz).",
    ),
    detector: str = typer.Option(
        "auto", "--detector",
        help="With --sentences: rules, e5 (frozen encoder + head), e5lora (fine-tuned encoder), stack (the rules' evidence + the encoders; all three need rasd[neural]) or auto (the shipped one with the better cross-validated F1, else rules).",
    ),
) -> None:
    """Score rasd against a gold file (GUIDELINES.md scoring) and print JSON."""
    from rasd import eval as scoring

    if ner:
        from rasd.nlp.ner_cli import evaluate_ner

        try:
            result = evaluate_ner(str(gold), model)
        except (ImportError, OSError, ValueError) as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2)
    elif sentences:
        try:
            result = scoring.evaluate_sentences(gold, detector=detector)
        except (ValueError, RuntimeError) as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2)
    else:
        result = scoring.evaluate_gold(gold)
    typer.echo(json.dumps(result, ensure_ascii=False, indent=2))


def demo_command(
    folder: Path = typer.Argument(Path("samples"), exists=True, help="Folder of sample articles."),
    db: str = typer.Option("sqlite:///rasd.db", help="Store URL."),
    serve: bool = typer.Option(True, help="Start the dashboard afterwards."),
    port: int = typer.Option(8765),
) -> None:
    """Extract the bundled samples, print a summary, store them and open the dashboard."""
    docs = list(ExtractionRun([str(folder)], None, progress=False))
    console = _console()
    console.print(_summary_table(docs))
    n = sum(len(d.events) for d in docs)
    console.print(f"[bold]{n} events[/] from {len(docs)} articles.")
    try:
        from rasd.store.db import Store
    except ImportError:
        return
    store = Store(db)
    report = store.ingest(docs)
    console.print(f"stored in {db}: {report.stored} new article(s), {report.skipped_duplicates} already stored, {report.failed} failed")
    if serve:
        from rasd.api.server import run_server

        console.print(f"[bold green]Dashboard: http://127.0.0.1:{port}/[/]  (Ctrl-C to stop)")
        run_server(db, host="127.0.0.1", port=port)


def register(app: typer.Typer) -> None:
    app.command("extract")(extract_command)
    app.command("eval")(eval_command)
    app.command("demo")(demo_command)
