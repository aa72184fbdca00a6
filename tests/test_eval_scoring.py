"""The scorer follows GUIDELINES.md: type + date within a day + 50 km, one-to-one."""
from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.eval import events_match, haversine_km, match_events, prf, score_articles


def ev(t="Battles", sub="Armed clash", date="2019-03-12", lat=34.45, lon=40.93, **kw):
    base = {"event_type": t, "sub_event_type": sub, "event_date": date, "latitude": lat, "longitude": lon,
            "country": "Syria", "admin1": "Deir ez-Zor", "actor1": "A", "actor2": "B", "fatalities": 0}
    base.update(kw)
    return base


def test_haversine_known_distance():
    # One degree of latitude is about 111 km everywhere.
    assert 110 < haversine_km(10, 40, 11, 40) < 112


def test_match_needs_type_date_and_place():
    g = ev()
    assert events_match(ev(date="2019-03-13"), g)
    assert not events_match(ev(date="2019-03-14"), g)
    assert not events_match(ev(t="Protests"), g)
    assert not events_match(ev(lat=35.5), g)  # ~117 km away
    assert events_match(ev(lat=34.7), g)  # ~28 km away


def test_match_without_coordinates_uses_admin1_and_country():
    g = ev()
    p = ev(lat=None, lon=None)
    assert events_match(p, g)
    assert not events_match(ev(lat=None, lon=None, admin1="Aleppo"), g)


def test_sub_type_level_is_stricter():
    g = ev()
    p = ev(sub="Government regains territory")
    assert events_match(p, g) and not events_match(p, g, with_sub_type=True)


def test_each_gold_event_matches_at_most_one_prediction():
    gold = [ev()]
    pred = [ev(), ev(date="2019-03-11")]
    assert len(match_events(pred, gold)) == 1


def test_matching_is_optimal_not_greedy():
    # Prediction 0 fits both gold events, prediction 1 only the first: a greedy
    # matcher that gives prediction 0 to gold 0 would lose a match.
    gold = [ev(date="2019-03-12"), ev(date="2019-03-14")]
    pred = [ev(date="2019-03-13"), ev(date="2019-03-11")]
    assert len(match_events(pred, gold)) == 2


def test_prf_arithmetic():
    r = prf(3, 4, 6)
    assert r["precision"] == 0.75 and r["recall"] == 0.5 and abs(r["f1"] - 0.6) < 1e-9
    assert prf(0, 0, 0)["f1"] == 0.0


def test_score_articles_counts_fields_and_detection():
    gold = [ev(fatalities=4, actor1="X")]
    pred = [ev(fatalities=4, actor1="Y"), ev(t="Protests")]
    res = score_articles([(pred, gold), ([], []), ([ev()], [])])
    assert res["event"]["tp"] == 1 and res["event"]["predicted"] == 3 and res["event"]["gold"] == 1
    assert res["fatalities_accuracy"] == 1.0 and res["actor1_accuracy"] == 0.0
    det = res["article_detection"]
    assert det["tp"] == 1 and det["predicted"] == 2 and det["gold"] == 1
    assert det["accuracy"] == round(2 / 3, 4)


def test_nearby_events_are_paired_with_their_own_place_not_crosswise():
    # Two gold events 10 km apart, both within 50 km of both predictions: the matching
    # must pair each prediction with the nearer gold event.
    gold = [ev(lat=36.85, lon=38.01), ev(lat=36.89, lon=38.35)]
    pred = [ev(lat=36.89, lon=38.35), ev(lat=36.85, lon=38.01)]
    assert match_events(pred, gold) == [(0, 1), (1, 0)]


def test_same_sub_type_is_preferred_among_equal_matchings():
    gold = [ev(sub="Armed clash"), ev(sub="Shelling/artillery/missile attack", t="Battles")]
    pred = [ev(sub="Shelling/artillery/missile attack", t="Battles"), ev(sub="Armed clash")]
    assert match_events(pred, gold) == [(0, 1), (1, 0)]


def _max_matching_size(pred, gold):
    adj = [[j for j, p in enumerate(pred) if events_match(p, g)] for g in gold]
    owner = {}

    def augment(gi, seen):
        for pj in adj[gi]:
            if pj not in seen:
                seen.add(pj)
                if pj not in owner or augment(owner[pj], seen):
                    owner[pj] = gi
                    return True
        return False

    return sum(augment(gi, set()) for gi in range(len(gold)))


@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 4)), max_size=7),
       st.lists(st.tuples(st.integers(0, 3), st.integers(0, 4)), max_size=7))
@settings(max_examples=200, deadline=None)
def test_closest_matching_never_loses_a_pair(pred_spec, gold_spec):
    def build(spec):
        return [ev(date=f"2019-03-1{day}", lat=34.0 + 0.3 * step) for day, step in spec]

    pred, gold = build(pred_spec), build(gold_spec)
    pairs = match_events(pred, gold)
    assert len(pairs) == _max_matching_size(pred, gold)
    assert len({g for g, _ in pairs}) == len(pairs) == len({p for _, p in pairs})
    assert all(events_match(pred[p], gold[g]) for g, p in pairs)
