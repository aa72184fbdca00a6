"""``rasd gazetteer build`` on a hand-written GeoNames fixture, and ``lookup``."""
from __future__ import annotations

import gzip
from pathlib import Path

import typer
from typer.testing import CliRunner

from rasd.geo.cli import register

FIXTURES = Path(__file__).parent / "fixtures" / "geo"


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:  # a group, so that "gazetteer" is a sub-command
        pass

    register(app)
    return app


def test_build_from_geonames_fixture(tmp_path):
    out = tmp_path / "g.tsv.gz"
    res = CliRunner().invoke(_app(), ["gazetteer", "build", str(FIXTURES / "geonames_sample.txt"),
                                      "--admin1", str(FIXTURES / "admin1CodesASCII.txt"), "-o", str(out)])
    assert res.exit_code == 0, res.output
    lines = gzip.open(out, "rt", encoding="utf-8").read().splitlines()
    rows = [dict(zip(lines[0].split("\t"), ln.split("\t"))) for ln in lines[1:]]
    by_id = {r["geonameid"]: r for r in rows}
    assert "9000007" not in by_id  # no Arabic name
    assert "9000008" not in by_id  # Persian-only letters
    assert "9000009" not in by_id  # a mountain, not a settlement
    assert by_id["9000005"]["kind"] == "admin1"
    assert by_id["9000010"]["kind"] == "site"
    assert by_id["9000004"]["admin1"] == "Deir-ez-Zor"  # ACLED spelling from gazetteer_admin1.tsv
    assert by_id["9000001"]["names_ar"] == "طرابلس"

    res = CliRunner().invoke(_app(), ["gazetteer", "lookup", "وطرابلس", "-g", str(out)])
    assert res.exit_code == 0
    assert "Tarabulus" in res.output and "Trablous" in res.output
    res = CliRunner().invoke(_app(), ["gazetteer", "lookup", "مكانلايوجد", "-g", str(out)])
    assert res.exit_code == 1
