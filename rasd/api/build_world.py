"""Derive ``static/world.geojson`` (country borders for the dashboard map) from Natural Earth 110m.

Source: Natural Earth 1:110m Admin 0 countries (public domain, naturalearthdata.com), as shipped
in the geopandas 0.14.4 wheel (``geopandas/datasets/naturalearth_lowres``). Regenerate with::

    pip download --no-deps geopandas==0.14.4 && unzip -o geopandas-0.14.4-*.whl 'geopandas/datasets/*'
    pip install pyshp   # build-time only
    python -m rasd.api.build_world geopandas/datasets/naturalearth_lowres/naturalearth_lowres.shp

Coordinates are rounded to 0.01 degree (~1 km): plenty at dashboard zoom, and it keeps the file small.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).with_name("static") / "world.geojson"


def _ring(points: list[tuple[float, float]]) -> list[list[float]]:
    out: list[list[float]] = []
    for x, y in points:
        p = [round(x, 2), round(y, 2)]
        if not out or out[-1] != p:
            out.append(p)
    return out


def build(shp: str, out: Path = OUT) -> int:
    import shapefile  # pyshp, build-time only

    r = shapefile.Reader(shp)
    names = [f[0] for f in r.fields[1:]]
    features = []
    for sr in r.iterShapeRecords():
        rec = dict(zip(names, sr.record))
        shape = sr.shape
        parts = list(shape.parts) + [len(shape.points)]
        rings = [_ring(shape.points[a:b]) for a, b in zip(parts, parts[1:])]
        rings = [g for g in rings if len(g) >= 4]
        # Shapefile rings: outer rings clockwise, holes counter-clockwise; the 110m set has no
        # holes that matter at this scale, so each ring is drawn as its own polygon.
        features.append({
            "type": "Feature",
            "properties": {"name": rec.get("name"), "iso_a3": rec.get("iso_a3")},
            "geometry": {"type": "MultiPolygon", "coordinates": [[g] for g in rings]},
        })
    fc = {
        "type": "FeatureCollection",
        "source": "Natural Earth 1:110m Admin 0 countries (public domain), via geopandas 0.14.4 naturalearth_lowres",
        "features": features,
    }
    out.write_text(json.dumps(fc, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return len(features)


if __name__ == "__main__":
    print(build(sys.argv[1]), "countries written to", OUT)
