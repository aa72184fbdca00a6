"""The shipped gazetteer loads, is compact, and finds curated names with clitics."""
from __future__ import annotations


from rasd.geo.gazetteer import GAZETTEER_GZ, Gazetteer, load_countries
from rasd.text.normalize import normalize


def test_shipped_gazetteer_loads_and_is_small():
    # Load time is a benchmark figure (benchmarks/README.md), not a test: timings flake.
    assert GAZETTEER_GZ.exists()
    assert GAZETTEER_GZ.stat().st_size < 5_000_000
    g = Gazetteer.from_file(GAZETTEER_GZ)
    assert len(g) > 5000
    assert Gazetteer.default() is Gazetteer.default()


def test_countries_table_shape():
    rows = load_countries()
    for iso in ("SY", "YE", "PS", "CD", "US", "NG"):
        assert iso in rows
    assert rows["CD"]["name_en"] == "Democratic Republic of Congo"
    for row in rows.values():
        assert row["names_ar"] and -90 <= float(row["lat"]) <= 90 and -180 <= float(row["lon"]) <= 180


def test_curated_name_found_with_clitics():
    g = Gazetteer.default()
    text = normalize("وفي الباغوز قتل مدنيون").text
    matches = g.matcher.find(text)
    assert matches and matches[0].payloads[0].name == "Al Baghuz Fawqani"
    assert text[matches[0].start:matches[0].end] == "الباغوز"
    assert g.lookup("وبالباغوز")[0].country == "Syria"


def test_curated_alias_replaces_geonames_spelling():
    g = Gazetteer.default()
    hol = g.lookup("الهول")[0]
    assert hol.kind == "site" and hol.admin1 == "Al-Hasakeh"
    assert g.lookup("البوكمال")[0].name == "Al Bukamal"


def test_admin1_and_country_present():
    g = Gazetteer.default()
    kinds = {p.kind for p in g.lookup("دير الزور")}
    assert {"admin1", "populated"} <= kinds
    assert g.lookup("بورنو")[0].kind == "admin1"
    assert g.lookup("سورية")[0].kind == "country"


def test_unknown_name():
    assert Gazetteer.default().lookup("كلمةلاتوجد") == []
