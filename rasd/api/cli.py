"""``rasd serve``: the API and dashboard."""
from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve_cmd(
        db: str = typer.Option("rasd.db", "--db", help="SQLite file or SQLAlchemy URL."),
        host: str = typer.Option("127.0.0.1", help="Interface to bind; keep 127.0.0.1 unless behind a proxy."),
        port: int = typer.Option(8765, min=1, max=65535),
    ) -> None:
        """Serve the API (/api/..., /docs) and the dashboard (/) over a store."""
        from rasd.api.server import run_server

        typer.echo(f"rasd dashboard: http://{host}:{port}/   API docs: http://{host}:{port}/docs", err=True)
        run_server(db, host=host, port=port)
