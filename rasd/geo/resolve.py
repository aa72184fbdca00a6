"""Choosing one place for a mention, and the geo_precision ACLED would give it.

Disambiguation follows the article: candidates in the country the article
talks about most win (mordecai-style country context), then the more
populous, then the more specific kind. Precision: 1 the town/site itself,
2 near it or part of a region, 3 only the region or country is known (the
place then carries its capital's coordinates, as ACLED does).
"""
from __future__ import annotations

from collections import Counter
from typing import Iterable, Sequence

from rasd.doc import Document, Mention
from rasd.geo.gazetteer import Place, effective_population


SALIENT_POPULATION = 500_000
SALIENCE_RATIO = 50


# Towns outside the article's countries need a cue word unless they are this big (capitals, metropoles).
FOREIGN_TOWN_MIN_POPULATION = 1_000_000


def country_context(doc: Document) -> Counter[str]:
    """How often each country is named in ``doc``, through its PLACE mentions.

    A mention counts for a country when all its candidates lie in that
    country (a country name, "دير الزور", a curated town); ambiguous names
    ("طرابلس": Libya or Lebanon) do not vote.
    """
    ctx: Counter[str] = Counter()
    for m in doc.mentions:
        if m.label != "PLACE" or not m.value:
            continue
        countries = {p.country_iso2 for p in m.value}
        if len(countries) == 1:
            ctx[next(iter(countries))] += 1
    return ctx


def _precision(place: Place, near: bool) -> int:
    if place.kind == "country":
        return 3
    if place.kind == "admin1":
        return 2 if near else 3
    return 2 if near else 1


def resolve_place(
    mention: Mention | Sequence[Place] | Iterable[Place], context: Counter[str] | None = None
) -> tuple[Place | None, int, str]:
    """(place, geo_precision, reason) for a PLACE mention or a list of candidate places."""
    context = context or Counter()
    if isinstance(mention, Mention):
        candidates = list(mention.value or [])
        near = bool(mention.attrs.get("near"))
        prefer = mention.attrs.get("prefer") or "any"
        label = f"'{mention.text}'"
    else:
        candidates = list(mention)
        near, prefer, label = False, "any", "the name"
    if not candidates:
        return None, 0, f"{label}: no candidate place"

    def score(p: Place) -> tuple:
        return (
            -context.get(p.country_iso2, 0),
            0 if prefer in ("any", p.kind) else 1,
            -effective_population(p),
            p.rank,
        )

    # A world city does not lose to a village of the same name just because the
    # article names the village's country ("الرياض" in an Egyptian story).
    top = max(effective_population(p) for p in candidates)
    if top >= SALIENT_POPULATION:
        candidates = [p for p in candidates if effective_population(p) * SALIENCE_RATIO >= top]
    ranked = sorted(candidates, key=score)
    best = ranked[0]
    cue = isinstance(mention, Mention) and bool(mention.attrs.get("cue"))
    if (
        context
        and best.kind in ("populated", "site")
        and context.get(best.country_iso2, 0) == 0
        and not cue
        and best.population < FOREIGN_TOWN_MIN_POPULATION
    ):
        # A small town abroad, named without "مدينة/بلدة...", in an article about other countries
        # is far more often a word that happens to be a place name ("سلمية": peaceful).
        return None, 0, f"{label} → {best.name}/{best.country_iso2} rejected: outside the article's countries and no place cue"
    precision = _precision(best, near)
    why: list[str] = []
    if len(candidates) > 1:
        n_ctx = context.get(best.country_iso2, 0)
        runner = ranked[1]
        if n_ctx and n_ctx > context.get(runner.country_iso2, 0):
            why.append(f"the article names {best.country} {n_ctx} time(s)")
        elif prefer != "any" and best.kind == prefer and runner.kind != prefer:
            why.append(f"the cue word asks for a {prefer}")
        elif effective_population(best) > effective_population(runner):
            why.append(f"larger ({best.kind}, population {best.population:,}) than {runner.name}/{runner.country_iso2}/{runner.kind}")
        else:
            why.append("more specific kind")
        why[-1] = f"chosen among {len(candidates)} candidates: " + why[-1]
    where = ", ".join(x for x in (best.admin1 if best.kind != "admin1" else "", best.country) if x)
    kind_text = {1: "the place itself", 2: "near the place / part of the region", 3: "region or country only"}[precision]
    reason = f"{label} → {best.name} ({best.kind}, {where}); geo_precision {precision}: {kind_text}"
    if near:
        reason += f" (cue '{mention.attrs.get('cue')}')" if isinstance(mention, Mention) else ""
    if why:
        reason += "; " + why[0]
    return best, precision, reason


__all__ = ["country_context", "resolve_place"]
