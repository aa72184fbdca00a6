"""The gazetteer: Arabic place names -> places with coordinates, country and admin1.

Four tables make it, all shipped under ``rasd/resources``:

- ``countries.tsv``: countries (ACLED names, Arabic names, capital coordinates);
- ``gazetteer_admin1.tsv``: governorates/provinces with ACLED-style names and Arabic names;
- ``gazetteer.tsv.gz``: GeoNames populated places that carry Arabic names
  (built by ``scripts/build_gazetteer.py`` / ``rasd gazetteer build``);
- ``places_curated.tsv``: hand-curated names GeoNames lacks or spells otherwise.

Names are keyed by their normalised form, so lookups ignore hamza, ta marbuta,
alef maqsura and diacritic differences.
"""
from __future__ import annotations

import csv
import gzip
import io
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

from rasd.text.lexicon import PhraseMatcher, phrase_key, stem_candidates
from rasd.text.normalize import normalize_plain

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
COUNTRIES_TSV = RESOURCES / "countries.tsv"
ADMIN1_TSV = RESOURCES / "gazetteer_admin1.tsv"
GAZETTEER_GZ = RESOURCES / "gazetteer.tsv.gz"
CURATED_TSV = RESOURCES / "places_curated.tsv"

_GN_ID_RE = re.compile(r"GeoNames id (\d+)")
KINDS = ("country", "admin1", "populated", "site")
# Lower rank = more specific; the event extractor prefers specific places.
KIND_RANK = {"site": 0, "populated": 1, "admin1": 2, "country": 3}

GAZETTEER_COLUMNS = (
    "geonameid", "names_ar", "name_en", "lat", "lon", "country_iso2", "admin1", "population", "kind", "source",
)


@dataclass(frozen=True, slots=True)
class Place:
    name: str  # English (ACLED-style where curated)
    name_ar: str  # the Arabic name the place was found under (first listed)
    lat: float
    lon: float
    country_iso2: str
    country: str  # ACLED country name
    admin1: str  # English admin1 name, "" for a country
    population: int
    kind: str  # "country" | "admin1" | "populated" | "site"
    source: str
    id: str = ""  # "gn:<geonameid>", "cur:<row>", "adm1:<CC.code>", "cc:<iso2>"

    @property
    def rank(self) -> int:
        return KIND_RANK.get(self.kind, 1)


# Ranking weight of regions: a country name beats a town of the same name
# ("الكويت", "تونس"), a governorate beats a small GeoNames village that shares
# its name, but not the governorate's own big capital ("دير الزور", "حلب").
_KIND_POPULATION = {"country": 10_000_000, "admin1": 100_000}


def effective_population(place: Place) -> int:
    return max(place.population, _KIND_POPULATION.get(place.kind, 0))


def _read_tsv(path: Path) -> Iterator[dict[str, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as fh:
        lines = (ln for ln in fh if ln.strip() and not ln.startswith("#"))
        yield from csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)


def _split(names: str) -> list[str]:
    return [n.strip() for n in names.split("|") if n.strip()]


def load_countries(path: Path = COUNTRIES_TSV) -> dict[str, dict[str, str]]:
    """iso2 -> row of countries.tsv."""
    return {r["iso2"]: r for r in _read_tsv(path)}


class Gazetteer:
    """Normalised Arabic name -> candidate places, plus a phrase matcher over all names."""

    def __init__(self, places: Iterable[tuple[Iterable[str], Place]], countries: dict[str, dict[str, str]] | None = None) -> None:
        self.countries = countries if countries is not None else {}
        self._by_key: dict[tuple[str, ...], list[Place]] = {}
        self.matcher: PhraseMatcher[Place] = PhraseMatcher()
        self.size = 0
        for names, place in places:
            self.add(names, place)

    def add(self, names: Iterable[str], place: Place) -> None:
        seen: set[tuple[str, ...]] = set()
        for name in names:
            key = phrase_key(name)
            if not key or key in seen:
                continue
            seen.add(key)
            bucket = self._by_key.setdefault(key, [])
            if any(p.id == place.id for p in bucket if place.id):
                continue
            bucket.append(place)
            self.matcher.add(name, place)
        self.size += 1

    # -- queries ------------------------------------------------------------
    def lookup(self, norm_name: str) -> list[Place]:
        """Places called ``norm_name`` (any spelling; it is normalised here), most specific/populous first."""
        key = phrase_key(norm_name)
        places = self._by_key.get(key)
        if not places and key:
            # Clitics on the first word ("وطرابلس", "بالرقة"), as the matcher allows them.
            for form, _ in stem_candidates(key[0])[1:]:
                places = self._by_key.get((form,) + key[1:])
                if places:
                    break
        if not places:
            return []
        return sorted(places, key=lambda p: -effective_population(p))

    def __contains__(self, name: str) -> bool:
        return phrase_key(name) in self._by_key

    def __len__(self) -> int:
        return len(self._by_key)

    def country_name(self, iso2: str) -> str:
        row = self.countries.get(iso2)
        return row["name_en"] if row else iso2

    def country_place(self, iso2: str) -> Place | None:
        row = self.countries.get(iso2)
        if not row:
            return None
        return _country_place(row)

    # -- construction -------------------------------------------------------
    @classmethod
    def from_file(
        cls,
        path: str | Path | None = None,
        *,
        countries: str | Path | None = COUNTRIES_TSV,
        admin1: str | Path | None = ADMIN1_TSV,
        curated: str | Path | None = CURATED_TSV,
    ) -> "Gazetteer":
        """Load a gazetteer file (the built ``.tsv[.gz]``) plus the country/admin1/curated tables.

        Pass ``None`` for a table to leave it out (tests build tiny gazetteers this way).
        """
        ctry = load_countries(Path(countries)) if countries else {}
        gaz = cls((), ctry)
        for row in ctry.values():
            gaz.add(_split(row["names_ar"]), _country_place(row))
        if admin1:
            for names, place in _admin1_places(Path(admin1), ctry):
                gaz.add(names, place)
        cur = list(_curated_places(Path(curated), ctry)) if curated else []
        # A curated row that cites a GeoNames id replaces that GeoNames place.
        by_gn = {m.group(1): (names, p) for names, p in cur for m in [_GN_ID_RE.search(p.source)] if m}
        if path:
            for names, place in _gazetteer_places(Path(path), ctry):
                if place.id[3:] in by_gn:
                    # The curated place keeps GeoNames' Arabic spellings as well as its own.
                    by_gn[place.id[3:]][0].extend(names)
                else:
                    gaz.add(names, place)
        for names, place in cur:
            gaz.add(names, place)
        gaz._add_capital_phrases()
        return gaz

    def _add_capital_phrases(self) -> None:
        """"العاصمة الصومالية" (the Somali capital) names the capital of countries.tsv: news calls a
        capital so on second mention, or only so."""
        def latin_key(name: str) -> str:  # "Yaoundé" = "Yaounde", "Washington, D.C." = "Washington"
            return "".join(c for c in unicodedata.normalize("NFKD", name.split(",")[0]) if c.isalpha()).lower()

        wanted = {(iso, latin_key(row.get("capital", ""))) for iso, row in self.countries.items()}
        capitals: dict[str, Place] = {}
        for bucket in self._by_key.values():
            for p in bucket:
                if (p.country_iso2, latin_key(p.name)) in wanted and p.kind == "populated" and (
                        p.country_iso2 not in capitals or p.population > capitals[p.country_iso2].population):
                    capitals[p.country_iso2] = p
        for iso, place in capitals.items():
            adjectives = _split(self.countries[iso].get("adjectives_ar", ""))
            self.add([f"العاصمة {a}" for a in adjectives if normalize_plain(a).endswith("ه")], place)

    @classmethod
    def default(cls) -> "Gazetteer":
        """The shipped gazetteer, loaded once per process."""
        return _default_gazetteer()


@lru_cache(maxsize=1)
def _default_gazetteer() -> Gazetteer:
    return Gazetteer.from_file(GAZETTEER_GZ if GAZETTEER_GZ.exists() else None)


def _country_place(row: dict[str, str]) -> Place:
    names = _split(row["names_ar"])
    return Place(
        name=row["name_en"], name_ar=names[0] if names else "", lat=float(row["lat"]), lon=float(row["lon"]),
        country_iso2=row["iso2"], country=row["name_en"], admin1="", population=0, kind="country",
        source=f"countries.tsv ({row.get('source', '')}); coordinates of the capital {row.get('capital', '')}",
        id=f"cc:{row['iso2']}",
    )


def _admin1_places(path: Path, ctry: dict[str, dict[str, str]]) -> Iterator[tuple[list[str], Place]]:
    for r in _read_tsv(path):
        names = _split(r.get("names_ar", ""))
        if not names:
            continue
        iso = r["iso2"]
        yield names, Place(
            name=r["admin1"], name_ar=names[0], lat=float(r["lat"]), lon=float(r["lon"]), country_iso2=iso,
            country=ctry[iso]["name_en"] if iso in ctry else iso, admin1=r["admin1"], population=0, kind="admin1",
            source=f"gazetteer_admin1.tsv ({r.get('source', '')}); coordinates of the capital {r.get('capital', '')}",
            id=f"adm1:{iso}.{r['code']}",
        )


def _gazetteer_places(path: Path, ctry: dict[str, dict[str, str]]) -> Iterator[tuple[list[str], Place]]:
    for r in _read_tsv(path):
        names = _split(r["names_ar"])
        if not names:
            continue
        iso = r["country_iso2"]
        yield names, Place(
            name=r["name_en"], name_ar=names[0], lat=float(r["lat"]), lon=float(r["lon"]), country_iso2=iso,
            country=ctry[iso]["name_en"] if iso in ctry else iso, admin1=r.get("admin1", ""),
            population=int(r.get("population") or 0), kind=r.get("kind") or "populated",
            source=r.get("source") or f"GeoNames id {r['geonameid']}", id=f"gn:{r['geonameid']}",
        )


def _curated_places(path: Path, ctry: dict[str, dict[str, str]]) -> Iterator[tuple[list[str], Place]]:
    for i, r in enumerate(_read_tsv(path)):
        names = _split(r["names_ar"])
        iso = r["country_iso2"]
        yield names, Place(
            name=r["name_en"], name_ar=names[0], lat=float(r["lat"]), lon=float(r["lon"]), country_iso2=iso,
            country=ctry[iso]["name_en"] if iso in ctry else iso, admin1=r.get("admin1", ""),
            population=int(r.get("population") or 0), kind=r.get("kind") or "populated",
            source=f"places_curated.tsv: {r.get('source', '')}", id=f"cur:{iso}:{r['name_en']}",
        )


def write_gazetteer(rows: Iterable[dict[str, object]], out: str | Path) -> int:
    """Write gazetteer rows (dicts with ``GAZETTEER_COLUMNS``) as TSV, gzipped when ``out`` ends in .gz."""
    out = Path(out)
    buf = io.StringIO()
    buf.write("\t".join(GAZETTEER_COLUMNS) + "\n")
    n = 0
    for r in rows:
        buf.write("\t".join(str(r.get(c, "")).replace("\t", " ").replace("\n", " ") for c in GAZETTEER_COLUMNS) + "\n")
        n += 1
    data = buf.getvalue().encode("utf-8")
    if out.suffix == ".gz":
        # mtime=0 keeps rebuilds byte-identical.
        with open(out, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", compresslevel=9, mtime=0) as gz:
            gz.write(data)
    else:
        out.write_bytes(data)
    return n


__all__ = [
    "Place", "Gazetteer", "effective_population", "KINDS", "KIND_RANK", "GAZETTEER_COLUMNS", "load_countries", "write_gazetteer",
    "normalize_plain",
]
