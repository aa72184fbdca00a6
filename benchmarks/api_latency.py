"""Latency of the store queries behind the API on a large synthetic store.

    python benchmarks/api_latency.py [--n 1000000] [--sqlite bench.db] [--pg postgresql://...]

Inserts N synthetic events (bulk, one article per 5 events), then times a filtered
events page (country + type + date range, limit 100, with total) and day counts
(one country), and prints p50/p95 in a markdown table.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import time
from pathlib import Path

from sqlalchemy import func, select

from rasd.store import EventFilter, Store
from rasd.store.models import articles, events
from rasd.store.search import add_to_index

COUNTRIES = ["Syria", "Iraq", "Yemen", "Libya", "Egypt", "Lebanon", "Sudan", "Palestine"]
TYPES = [("Battles", "Armed clash"), ("Explosions/Remote violence", "Air/drone strike"),
         ("Protests", "Peaceful protest"), ("Riots", "Mob violence"),
         ("Violence against civilians", "Attack"), ("Strategic developments", "Arrests")]


def fill(store: Store, n: int, chunk: int = 50_000) -> float:
    rnd = random.Random(7)
    t0 = time.perf_counter()
    with store.engine.connect() as c:
        if c.execute(select(func.count()).select_from(events)).scalar_one() >= n:
            return 0.0
    start = dt.date(2015, 1, 1)
    now = dt.datetime.now(dt.timezone.utc)
    for base in range(0, n, chunk):
        m = min(chunk, n - base)
        arts = [{"id": f"bench-{base + i}", "source": "bench", "url": None, "title": "t", "text": f"نص {base + i}",
                 "published": None, "content_hash": f"bench-{base + i}", "warnings": None, "ingested_at": now}
                for i in range(0, m, 5)]
        with store.engine.begin() as c:
            pks = c.execute(articles.insert().returning(articles.c.pk, sort_by_parameter_order=True), arts).scalars().all()
            add_to_index(c, [{"pk": pk, "body": a["text"]} for pk, a in zip(pks, arts)])
            rows = []
            for i in range(m):
                t, st = rnd.choice(TYPES)
                d = start + dt.timedelta(days=rnd.randrange(3650))
                rows.append({"article_pk": pks[i // 5], "event_index": i % 5, "event_id_cnty": f"b{base + i}",
                             "event_date": d, "year": d.year, "time_precision": 1, "event_type": t,
                             "sub_event_type": st, "actor1": f"Actor {rnd.randrange(500)}", "inter1": 1,
                             "actor2": None, "inter2": None, "interaction": 10, "country": rnd.choice(COUNTRIES),
                             "admin1": None, "location": None, "latitude": 30 + rnd.random() * 10,
                             "longitude": 35 + rnd.random() * 10, "geo_precision": 1,
                             "fatalities": rnd.randrange(5), "confidence": 0.5, "notes": None})
            c.execute(events.insert(), rows)
    return time.perf_counter() - t0


def timeit(fn, reps: int = 30) -> tuple[float, float]:
    fn()  # warm caches
    xs = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        xs.append((time.perf_counter() - t) * 1000)
    xs.sort()
    return statistics.median(xs), xs[int(0.95 * (len(xs) - 1))]


def bench(name: str, store: Store, n: int, reuse: bool = False) -> list[str]:
    if reuse and store.events(EventFilter(limit=1))[0] >= n:
        load = None  # the events from a previous run are still there: time the queries only
    else:
        load = fill(store, n)
    rnd = random.Random(1)

    def filtered():
        d = dt.date(2015, 1, 1) + dt.timedelta(days=rnd.randrange(3000))
        store.events(EventFilter(country=rnd.choice(COUNTRIES), event_type=rnd.choice(TYPES)[0],
                                 date_from=d, date_to=d + dt.timedelta(days=180), limit=100))

    def unfiltered_page():
        store.events(EventFilter(limit=100, offset=rnd.randrange(1000)))

    def day_counts():
        store.counts_by_day(EventFilter(country=rnd.choice(COUNTRIES)))

    out = [f"| {name} | bulk insert {n:,} events | {load:.1f} s | |"] if load is not None else []
    for label, fn in (("events: country+type+180 days, limit 100, with total", filtered),
                      ("events: no filter, limit 100, with total", unfiltered_page),
                      ("counts/day: one country", day_counts)):
        p50, p95 = timeit(fn)
        out.append(f"| {name} | {label} | {p50:.1f} ms | {p95:.1f} ms |")
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--sqlite", default="bench_api.db")
    ap.add_argument("--pg", default=None)
    ap.add_argument("--reuse", action="store_true", help="keep the events of a previous run (skip the bulk insert)")
    a = ap.parse_args()
    lines = ["| backend | query | p50 | p95 |", "|---|---|---|---|"]
    lines += bench("sqlite", Store(Path(a.sqlite)), a.n, a.reuse)
    if a.pg:
        lines += bench("postgresql", Store(a.pg), a.n, a.reuse)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
