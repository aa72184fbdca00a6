"""Running the API + dashboard with uvicorn (bound to localhost unless asked otherwise)."""
from __future__ import annotations


def run_server(db: str | None = None, host: str = "127.0.0.1", port: int = 8765, log_level: str = "info") -> None:
    import uvicorn

    from rasd.api.app import create_app

    uvicorn.run(create_app(db), host=host, port=port, log_level=log_level)


__all__ = ["run_server"]
