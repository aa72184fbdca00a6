"""Nothing in the pipeline, the extract CLI, the store or the API tries the network.

Every way out (socket connect, create_connection, DNS) raises; the samples then go
through read -> extract -> store -> API in this very process.
"""
from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"


class NetworkUsed(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch):
    attempts: list[str] = []

    def refuse(name):
        def _raise(*args, **kwargs):
            attempts.append(f"{name}{args[1:2] if name.startswith('socket.') else args[:1]}")
            raise NetworkUsed(f"network access attempted: {name} {args!r:.200}")
        return _raise

    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("socket.connect_ex"))
    monkeypatch.setattr(socket.socket, "sendto", refuse("socket.sendto"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    monkeypatch.setattr(socket, "gethostbyname", refuse("gethostbyname"))
    return attempts


def test_guard_really_blocks(no_network):
    with pytest.raises(NetworkUsed):
        socket.create_connection(("example.org", 80), timeout=1)
    assert no_network


def test_pipeline_cli_store_and_api_stay_offline(no_network, tmp_path):
    from rasd.doc import Document
    from rasd.extract import extract
    from rasd.ingest.readers import read_path

    docs = [extract(d) for d in read_path(SAMPLES) if isinstance(d, Document)]
    assert len(docs) >= 5 and any(d.events for d in docs)

    from rasd.cli import app

    out = tmp_path / "out.jsonl"
    r = CliRunner().invoke(app, ["extract", str(SAMPLES), "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert len(out.read_text(encoding="utf-8").splitlines()) == len(docs)
    for fmt in ("csv", "geojson"):
        r = CliRunner().invoke(app, ["extract", str(SAMPLES), "--format", fmt, "-o", str(tmp_path / f"o.{fmt}")])
        assert r.exit_code == 0, r.output

    r = CliRunner().invoke(app, ["ingest", str(SAMPLES), "--db", str(tmp_path / "x.db")])
    assert r.exit_code == 0, r.output

    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from rasd.api.app import create_app

    with TestClient(create_app(str(tmp_path / "x.db"))) as c:  # in-process ASGI, no socket
        assert c.get("/api/events").json()["total"] > 0
        page = c.get("/").text
        assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page
        json.dumps(c.get("/api/facets").json())
    assert not no_network, no_network
