"""Cross-report consolidation on constructed reports: what merges, what stays apart, and why."""
from __future__ import annotations

import json
import random

from typer.testing import CliRunner

from rasd.cli import app
from rasd.consolidate import consolidate, consolidate_records, reports_from_articles

# Two points in Aleppo about 3 km apart, and Idlib about 55 km away.
ALEPPO = (36.2021, 37.1343)
ALEPPO_EAST = (36.2100, 37.1680)
IDLIB = (35.9306, 36.6339)


def ev(event_type="Explosions/Remote violence", date="2016-05-03", where=ALEPPO, actor1="Military Forces of Syria",
       actor2="", fatalities=None, stated=True, location="Aleppo", precision=1, sub="Air/drone strike"):
    spans = [{"start": 0, "end": 5, "text": "قتلى"}] if stated else []
    return {
        "event_type": event_type, "sub_event_type": sub, "event_date": date, "actor1": actor1, "actor2": actor2,
        "country": "Syria", "admin1": "Aleppo", "location": location, "latitude": where[0], "longitude": where[1],
        "geo_precision": precision, "fatalities": fatalities, "evidence": f"دليل {actor1} {date}",
        "evidence_spans": spans,
        "provenance": {"fatalities": {"value": fatalities, "component": "events", "reason": "test", "spans": spans}},
    }


def art(aid, *events, url=""):
    return {"id": aid, "url": url or f"https://example.org/{aid}", "source": "test", "published": None,
            "events": list(events)}


def incidents(*docs, **kw):
    return list(consolidate_records(docs, **kw))


def test_same_incident_from_two_articles_merges_and_keeps_sources():
    out = incidents(art("a", ev(fatalities=7)), art("b", ev(where=ALEPPO_EAST, date="2016-05-04", fatalities=9)))
    assert len(out) == 1
    inc = out[0]
    assert inc["n_reports"] == 2 and {s["article_id"] for s in inc["sources"]} == {"a", "b"}
    assert all(s["url"] and s["evidence"] for s in inc["sources"])
    assert "km apart" in inc["reason"] and "1 day apart" in inc["reason"] and inc["component"] == "consolidate"


def test_conservative_fatalities_take_the_lowest_stated_figure():
    out = incidents(art("a", ev(fatalities=12)), art("b", ev(fatalities=5)), art("c", ev(fatalities=8)))
    assert len(out) == 1 and out[0]["fatalities"] == 5
    assert "lowest" in out[0]["fatalities_reason"]


def test_unstated_zero_does_not_outvote_a_reported_toll():
    out = incidents(art("a", ev(fatalities=0, stated=False)), art("b", ev(fatalities=4)))
    assert out[0]["fatalities"] == 4
    out = incidents(art("a", ev(fatalities=0, stated=False)), art("b", ev(fatalities=None)))
    assert out[0]["fatalities"] is None
    out = incidents(art("a", ev(fatalities=0, stated=True)), art("b", ev(fatalities=4)))
    assert out[0]["fatalities"] == 0  # a report that says nobody died is a figure


def test_distance_date_type_and_actor_conflicts_keep_reports_apart():
    base = art("a", ev())
    assert len(incidents(base, art("b", ev(where=IDLIB)))) == 2
    assert len(incidents(base, art("b", ev(date="2016-05-05")))) == 2
    assert len(incidents(base, art("b", ev(event_type="Battles", sub="Armed clash")))) == 2
    assert len(incidents(base, art("b", ev(actor1="Military Forces of Russia")))) == 2
    # but limits are parameters
    assert len(incidents(base, art("b", ev(where=IDLIB)), km=80)) == 1
    assert len(incidents(base, art("b", ev(date="2016-05-05")), days=2)) == 1


def test_unknown_actor_is_compatible_and_battle_sides_may_swap():
    a = art("a", ev(actor1="Unidentified Armed Group", actor2="Civilians (Syria)"))
    b = art("b", ev(actor1="Islamic State", actor2="Civilians (Syria)"))
    out = incidents(a, b)
    assert len(out) == 1 and out[0]["actor1"] == "Islamic State"
    c = art("c", ev(event_type="Battles", actor1="Islamic State", actor2="Military Forces of Syria"))
    d = art("d", ev(event_type="Battles", actor1="Military Forces of Syria", actor2=""))
    out = incidents(c, d)
    assert len(out) == 1 and (out[0]["actor1"], out[0]["actor2"]) == ("Islamic State", "Military Forces of Syria")
    assert "other way round" in out[0]["reason"]
    # non-battles keep the roles: an air strike by X on Y is not one by Y on X
    e = art("e", ev(actor1="Islamic State", actor2="Military Forces of Syria"))
    f = art("f", ev(actor1="Military Forces of Syria", actor2="Islamic State"))
    assert len(incidents(e, f)) == 2


def test_events_of_one_article_are_never_merged():
    assert len(incidents(art("a", ev(), ev(where=ALEPPO_EAST)))) == 2


def test_complete_linkage_does_not_chain():
    # b matches a and c, but a and c disagree on actor1: c must not join a's incident.
    a = art("a", ev(actor1="Islamic State"))
    b = art("b", ev(actor1="Unidentified Armed Group"))
    c = art("c", ev(actor1="Military Forces of Syria"))
    out = incidents(a, b, c)
    assert sorted(i["n_reports"] for i in out) == [1, 2]


def test_country_level_places_need_same_place_and_known_actors():
    coarse = dict(where=(34.8, 39.0), location="", precision=3)
    assert len(incidents(art("a", ev(**coarse)), art("b", ev(**coarse)))) == 2
    strict = dict(coarse, actor2="Islamic State")
    assert len(incidents(art("a", ev(**strict)), art("b", ev(**strict)))) == 1


def test_missing_date_or_coordinates_stay_single():
    assert len(incidents(art("a", ev(date=None)), art("b", ev(date=None)))) == 2
    assert len(incidents(art("a", ev(where=(None, None))), art("b", ev(where=(None, None))))) == 2


def test_blocking_matches_brute_force_on_random_reports():
    """The grid index finds exactly the pairs an all-pairs search would (no missed neighbours)."""
    from rasd.consolidate import match

    rng = random.Random(7)
    docs = []
    for i in range(300):
        lat = 33 + rng.random() * 0.6 + (30 if i % 3 == 0 else 0)  # some at 63°N where longitude cells shrink
        lon = 40 + rng.random() * 0.6
        docs.append(art(f"x{i}", ev(where=(lat, lon), date=f"2016-05-{rng.randint(1, 6):02d}",
                                    actor1=rng.choice(["Islamic State", "Unidentified Armed Group"]))))
    reports = list(reports_from_articles(docs))
    incs = consolidate(reports, km=10, days=1)
    assert sum(len(i.reports) for i in incs) == len(reports)
    assert any(len(i.reports) > 1 for i in incs)
    # every incident is internally consistent, and no single report could have joined another incident
    for inc in incs:
        assert all(match(a, b, 10, 1)[0] for a in inc.reports for b in inc.reports if a is not b)
    singles = [i.reports[0] for i in incs if len(i.reports) == 1]
    for s in singles:
        for inc in incs:
            if inc.reports[0] is s:
                continue
            assert not all(match(s, o, 10, 1)[0] for o in inc.reports)


def test_flat_rows_are_accepted():
    rows = [dict(ev(), event_id_cnty="a-1", article_id="a"), dict(ev(), event_id_cnty="b-1", article_id="b")]
    assert len(list(consolidate_records(rows))) == 1


def test_cli_writes_incidents(tmp_path):
    src = tmp_path / "events.jsonl"
    docs = [art("a", ev(fatalities=3)), art("b", ev(fatalities=2)), art("c", ev(where=IDLIB))]
    src.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    out = tmp_path / "inc.jsonl"
    res = CliRunner().invoke(app, ["consolidate", str(src), "-o", str(out), "--km", "10", "--days", "1"])
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 2 and sorted(r["n_reports"] for r in rows) == [1, 2]
    assert "3 events -> 2 incidents" in res.output


def test_cli_reads_parquet_event_rows(tmp_path):
    from rasd.export import event_rows, write_parquet

    docs = [art("a", ev(fatalities=3)), art("b", ev(fatalities=2, date="2016-05-04")), art("c", ev(where=IDLIB))]
    write_parquet(event_rows(docs), str(tmp_path / "events.parquet"))
    out = tmp_path / "inc.jsonl"
    res = CliRunner().invoke(app, ["consolidate", str(tmp_path / "events.parquet"), "-o", str(out)])
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    merged = [r for r in rows if r["n_reports"] == 2]
    assert len(rows) == 2 and merged[0]["fatalities"] == 2
    assert {s["article_id"] for s in merged[0]["sources"]} == {"a", "b"}
