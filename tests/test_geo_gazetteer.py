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


def test_the_capital_named_by_its_country_adjective(tmp_path):
    # a tiny gazetteer: the capital is found by its English name in countries.tsv, accents aside
    countries = tmp_path / "countries.tsv"
    countries.write_text("iso2\tname_en\tnames_ar\tadjectives_ar\tcapital\tlat\tlon\tsource\n"
                         "CM\tCameroon\tالكاميرون\tالكاميروني|الكاميرونية\tYaounde\t3.8\t11.5\ttest\n", encoding="utf-8")
    places = tmp_path / "gaz.tsv"
    places.write_text("geonameid\tnames_ar\tname_en\tlat\tlon\tcountry_iso2\tadmin1\tpopulation\tkind\tsource\n"
                      "1\tياوندي\tYaoundé\t3.87\t11.52\tCM\tCentre\t1299369\tpopulated\tt\n"
                      "2\tدوالا\tDouala\t4.05\t9.7\tCM\tLittoral\t1338082\tpopulated\tt\n", encoding="utf-8")
    g = Gazetteer.from_file(places, countries=countries, admin1=None, curated=None)
    assert [p.name for p in g.lookup("العاصمة الكاميرونية")] == ["Yaoundé"]
    assert g.lookup("العاصمة الكاميروني") == []  # only the feminine agrees with العاصمة
    assert Gazetteer.default().lookup("العاصمة الصومالية")[0].name == "Mogadishu"
