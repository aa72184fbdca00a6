"""Actors: who did it and to whom.

Three tables feed one clitic-aware phrase matcher, compiled once per process:
``resources/actors.tsv`` (named groups, coalitions, named state forces),
``resources/agents.tsv`` (role nouns: army, police, gunmen, civilians, ...)
and the country names/adjectives of ``resources/countries.tsv``, which serve
both as adjectives after a state-force noun ("الجيش اليمني") and as the
document's country context for ambiguous aliases ("الشباب" is Al Shabaab only
in a Somali story).

After matching, a small left-to-right pass over the document combines
neighbouring matches (role noun + country adjective, member noun + group
name: "عناصر داعش") and resolves definite generic references ("التنظيم") to
the most recently named compatible group. Every mention records why.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Iterable

from rasd.doc import Document, Mention
from rasd.nlp.triggers import resource_rows
from rasd.pipeline import component
from rasd.text.lexicon import PhraseMatcher
from rasd.text.normalize import normalize, normalize_plain, normalized_sentence

COMPONENT = "nlp.actors"
STATE_ROLES = frozenset({"military", "police", "government", "air", "navy", "air_adj", "military_adj"})
# Roles that name nobody unless a country adjective follows.
ADJ_ONLY_ROLES = frozenset({"air_adj", "military_adj", "government"})
CROWD_ROLES = frozenset({"civilians", "protesters", "rioters"})
ROLE_LABELS = {"air": "air force", "air_adj": "air force", "navy": "navy", "police": "police",
               "military": "army", "military_adj": "army", "government": "government"}
# A definite "المسلحون" refers back to a named armed group only if it was named this recently.
ARMED_ANAPHORA_SENTENCES = 3
ARMED_ANAPHORA_INTER = frozenset({2, 3, 4})
_GROUP = "group:"  # prefix of group names inside the document context counter


@dataclass(frozen=True, slots=True)
class Actor:
    """An ACLED actor. ``name`` may hold "{country}" until ``resolve_generic`` fills it."""

    name: str
    inter: int | None
    country: str | None = None
    kind: str = "named"  # named | state | generic

    @property
    def needs_country(self) -> bool:
        return "{country}" in self.name

    def __str__(self) -> str:
        return self.name


def resolve_generic(actor: Actor, country_name: str | None) -> Actor:
    """Fill the "{country}" of a template actor ("Military Forces of {country}") with ``country_name``.

    Actors without a template, or calls without a country, come back unchanged.
    """
    if not actor.needs_country or not country_name:
        return actor
    kind = "state" if actor.inter == 1 else actor.kind
    return replace(actor, name=actor.name.replace("{country}", country_name), country=country_name, kind=kind)


# ---------------------------------------------------------------- lexicon payloads
@dataclass(frozen=True, slots=True)
class AliasEntry:
    actor: Actor
    countries: tuple[str, ...]
    context: bool  # counts only when the document names one of ``countries`` (or the group itself)
    alias: str
    source: str
    group_only: bool = False  # counts only when the document names the group by another alias


@dataclass(frozen=True, slots=True)
class AgentEntry:
    pattern: str
    role: str
    template: str
    inter: int | None
    compatible: frozenset[int]  # for anaphors: inter codes of the groups it may refer to
    source: str


@dataclass(frozen=True, slots=True)
class CountryEntry:
    name: str  # English name, as in countries.tsv name_en
    adjective: bool
    form: str




def _split(cell: str | None) -> list[str]:
    return [p.strip() for p in (cell or "").split("|") if p.strip()]


def adjective_forms(adjective: str) -> set[str]:
    """Gender/number/definiteness variants of a nisba adjective ("اليمني" -> يمنية، اليمنيين...).

    Broken plurals ("أتراك") cannot be derived and must be listed in countries.tsv.
    """
    base = normalize_plain(adjective.strip())
    stem = base[2:] if base.startswith("ال") and len(base) > 4 else base
    forms = {stem}
    if stem.endswith("ي"):
        forms |= {stem + "ه", stem + "ين", stem + "ون", stem + "ات", stem + "ا"}
    elif stem.endswith("يه"):
        forms.add(stem[:-1])
    return forms | {"ال" + f for f in forms}


@dataclass
class ActorLexicon:
    matcher: PhraseMatcher[Any]
    n_actors: int
    n_agents: int
    n_countries: int


@lru_cache(maxsize=1)
def actor_lexicon() -> ActorLexicon:
    """The compiled actor/agent/country matcher: built once per process."""
    entries: list[tuple[str, Any]] = []
    n_actors = 0
    for r in resource_rows("actors.tsv"):
        inter = int(r["inter"]) if (r.get("inter") or "").strip() else None
        countries = tuple(_split(r.get("country")))
        name = r["name"].strip()
        kind = "state" if name.startswith(("Military Forces of", "Police Forces of", "Government of")) else "named"
        single = countries[0] if len(countries) == 1 else None
        actor = Actor(name, inter, single if kind == "state" or "{country}" not in name else None, kind)
        if kind == "named" and "{country}" not in name:
            actor = replace(actor, country=single)
        n_actors += 1
        for alias in _split(r.get("aliases_ar")):
            group_only = alias.startswith("??")
            context = alias.startswith("?")
            alias = alias.lstrip("?").strip()
            entries.append((alias, AliasEntry(actor, countries, context, alias, r.get("source", ""), group_only)))
    n_agents = 0
    for r in resource_rows("agents.tsv"):
        role = r["role"].strip()
        inter_cell = (r.get("inter") or "").strip()
        codes = [int(c) for c in _split(inter_cell)]
        inter = codes[0] if role != "anaphor" and codes else None
        compatible = frozenset(codes) if role == "anaphor" else frozenset()
        entries.append((r["pattern"], AgentEntry(r["pattern"], role, (r.get("template") or "").strip(), inter,
                                                 compatible, r.get("source", ""))))
        n_agents += 1
    n_countries = 0
    for r in resource_rows("countries.tsv"):
        name = (r.get("name_en") or "").strip()
        if not name:
            continue
        n_countries += 1
        for form in _split(r.get("names_ar")):
            entries.append((form, CountryEntry(name, False, form)))
        for adj in _split(r.get("adjectives_ar")):
            for form in adjective_forms(adj):
                entries.append((form, CountryEntry(name, True, form)))
    return ActorLexicon(PhraseMatcher(entries), n_actors, n_agents, n_countries)


# ---------------------------------------------------------------- tagging
@dataclass
class _Hit:
    sentence: int
    nstart: int  # offsets in the sentence's normalised text
    nend: int
    start: int  # offsets in Document.text
    end: int
    payloads: tuple[Any, ...]
    gap_after: str = ""  # normalised text between this hit and the next one in the sentence

    def of(self, cls: type) -> list[Any]:
        return [p for p in self.payloads if isinstance(p, cls)]


@dataclass
class _History:
    """Named actors seen so far in the document, most recent last."""

    seen: list[tuple[Actor, int, str]] = field(default_factory=list)  # (actor, sentence, surface)

    def last(self, compatible: Iterable[int], since_sentence: int | None = None) -> tuple[Actor, int, str] | None:
        allowed = set(compatible)
        for actor, sent, text in reversed(self.seen):
            if since_sentence is not None and sent < since_sentence:
                return None
            if actor.inter in allowed and actor.kind == "named":
                return actor, sent, text
        return None


class ActorTagger:
    name = "actors"

    def __init__(self) -> None:
        self.lexicon = actor_lexicon()

    # -- matching
    def _hits(self, doc: Document) -> list[list[_Hit]]:
        out: list[list[_Hit]] = []
        if not doc.sentences:
            units = [(0, -1, normalize(doc.text))]
        else:
            units = [(sent.start, sent.index, normalized_sentence(doc, sent)) for sent in doc.focus_sentences()]
        for start, index, norm in units:
            hits: list[_Hit] = []
            for m in self.lexicon.matcher.iter_find(norm.text):
                s, e = norm.to_original(m.start, m.end)
                hits.append(_Hit(index, m.start, m.end, start + s, start + e, m.payloads))
            for a, b in zip(hits, hits[1:]):
                a.gap_after = norm.text[a.nend:b.nstart]
            out.append(hits)
        return out

    @staticmethod
    def _context(sentences: list[list[_Hit]]) -> Counter[str]:
        """How often each country is named in the document, directly or through a one-country group.

        Groups named by an unambiguous alias are counted too (under their ACLED name), so that a
        later short form of the same group ("الشباب" after "حركة الشباب") is accepted.
        """
        ctx: Counter[str] = Counter()
        for hits in sentences:
            for h in hits:
                names = {p.name for p in h.of(CountryEntry)}
                plain = [p for p in h.of(AliasEntry) if not p.context]
                names |= {p.countries[0] for p in plain if len(p.countries) == 1}
                ctx.update(names)
        # Second pass, now that countries are known: which groups the document names outright.
        groups: Counter[str] = Counter()
        for hits in sentences:
            for h in hits:
                chosen = ActorTagger._choose_alias(h, ctx)
                if chosen is not None and not chosen[0].group_only:
                    groups[_GROUP + chosen[0].actor.name] += 1
        ctx.update(groups)
        return ctx

    @staticmethod
    def _choose_alias(hit: _Hit, ctx: Counter[str]) -> tuple[AliasEntry, str] | None:
        """The actor an alias stands for here: a context alias whose country is named wins over a plain one."""
        best: tuple[int, int, AliasEntry] | None = None
        for p in hit.of(AliasEntry):
            score = max((ctx[c] for c in p.countries), default=0)
            named = ctx[_GROUP + p.actor.name]
            if (p.group_only and not named) or (p.context and score == 0 and not named):
                continue
            rank = (1 if p.context else 0, score)
            if best is None or rank > best[:2]:
                best = (rank[0], rank[1], p)
        if best is None:
            return None
        p = best[2]
        why = f"alias '{p.alias}' in actors.tsv"
        if p.context and ctx[_GROUP + p.actor.name]:
            why += f" (ambiguous alone; {p.actor.name} is named unambiguously in the document)"
        elif p.context:
            named = max(p.countries, key=lambda c: ctx[c])
            why += f" (ambiguous alone; the document is about {named})"
        return p, why

    @staticmethod
    def _fill_country(actor: Actor, countries: tuple[str, ...], ctx: Counter[str]) -> Actor:
        if not actor.needs_country:
            return actor
        present = [c for c in countries if ctx[c]] if countries else [c for c, _ in ctx.most_common(1)]
        if not present:
            return actor
        return resolve_generic(actor, max(present, key=lambda c: ctx[c]))

    def __call__(self, doc: Document) -> Document:
        sentences = self._hits(doc)
        ctx = self._context(sentences)
        history = _History()
        for hits in sentences:
            i = 0
            while i < len(hits):
                used, mention = self._resolve(doc, hits, i, ctx, history)
                if mention is not None:
                    doc.mentions.append(mention)
                    actor = mention.value
                    # Anaphors are not antecedents: reasons keep pointing at the name itself.
                    if actor.kind == "named" and "anaphor" not in mention.attrs:
                        history.seen.append((actor, mention.sentence, mention.text))
                i += max(used, 1)
        return doc

    def _mention(self, doc: Document, first: _Hit, last: _Hit, actor: Actor, reason: str, **attrs: Any) -> Mention:
        attrs.setdefault("kind", actor.kind)
        if actor.needs_country:
            attrs["needs_country"] = True
        return Mention(first.start, last.end, doc.text[first.start:last.end], "ACTOR", actor, COMPONENT, reason,
                       first.sentence, attrs)

    def _named_at(self, hits: list[_Hit], j: int, ctx: Counter[str],
                  history: _History) -> tuple[Actor, str, dict[str, str]] | None:
        """The group named by hit ``j`` (an alias, or an anaphor that resolves), for a head noun before it."""
        if j >= len(hits):
            return None
        h = hits[j]
        chosen = self._choose_alias(h, ctx)
        if chosen is not None:
            p, why = chosen
            return self._fill_country(p.actor, p.countries, ctx), why, {"alias": p.alias}
        for a in h.of(AgentEntry):
            if a.role == "anaphor":
                found = history.last(a.compatible)
                if found:
                    actor, sent, text = found
                    why = f"'{a.pattern}' refers back to {actor.name}, last named as '{text}' ({_where(sent)})"
                    return actor, why, {"anaphor": a.pattern}
        return None

    def _resolve(self, doc: Document, hits: list[_Hit], i: int, ctx: Counter[str],
                 history: _History) -> tuple[int, Mention | None]:
        """Mention starting at hit ``i`` and how many hits it consumed."""
        h = hits[i]
        nxt = hits[i + 1] if i + 1 < len(hits) and not h.gap_after.strip() else None
        agents = h.of(AgentEntry)
        chosen = self._choose_alias(h, ctx)
        if chosen is not None:
            p, why = chosen
            actor = self._fill_country(p.actor, p.countries, ctx)
            return 1, self._mention(doc, h, h, actor, why, alias=p.alias)
        # Member or role noun + group: "عناصر داعش", "مسلحي بوكو حرام", "القوات الحوثية", "مقاتلو التنظيم".
        combining = [a for a in agents if a.role not in CROWD_ROLES and a.role != "anaphor"]
        if combining and nxt is not None:
            named = self._named_at(hits, i + 1, ctx, history)
            if named is not None:
                actor, why, extra = named
                head = combining[0].pattern
                return 2, self._mention(doc, h, nxt, actor, f"'{head}' + group: {why}", head=head, **extra)
        # State-force noun + country adjective: "الجيش اليمني", "طائرات أمريكية".
        state = [a for a in agents if a.role in STATE_ROLES]
        if state:
            a = state[0]
            adjs = nxt.of(CountryEntry) if nxt is not None else []
            adj = next((c for c in adjs if c.adjective), None)
            role = ROLE_LABELS.get(a.role, a.role)
            if adj is not None:
                actor = Actor(a.template.replace("{country}", adj.name), a.inter, adj.name, "state")
                why = f"state-force noun '{a.pattern}' + adjective '{doc.text[nxt.start:nxt.end]}'"
                return 2, self._mention(doc, h, nxt, actor, why, role=role, country_from="adjective")
            usable = [s for s in state if s.role not in ADJ_ONLY_ROLES]
            if usable:
                a = usable[0]
                actor = Actor(a.template, a.inter, None, "generic")
                why = f"role noun '{a.pattern}' in agents.tsv; no country adjective, country comes from the event's place"
                return 1, self._mention(doc, h, h, actor, why, role=ROLE_LABELS.get(a.role, a.role))
        for a in agents:
            if a.role == "anaphor":
                found = history.last(a.compatible)
                if found:
                    actor, sent, text = found
                    why = f"'{a.pattern}' refers back to {actor.name}, last named as '{text}' ({_where(sent)})"
                    return 1, self._mention(doc, h, h, actor, why, anaphor=a.pattern)
            elif a.role in ("armed", "armed_ref"):
                since = (h.sentence - ARMED_ANAPHORA_SENTENCES) if h.sentence >= 0 else None
                found = history.last(ARMED_ANAPHORA_INTER, since) if a.role == "armed_ref" else None
                if found:
                    actor, sent, text = found
                    why = f"definite '{a.pattern}' refers back to {actor.name}, named as '{text}' ({_where(sent)})"
                    return 1, self._mention(doc, h, h, actor, why, anaphor=a.pattern)
                actor = Actor(a.template, a.inter, None, "generic")
                return 1, self._mention(doc, h, h, actor, f"unnamed armed men ('{a.pattern}' in agents.tsv)")
            elif a.role in CROWD_ROLES:
                actor = Actor(a.template, a.inter, None, "generic")
                return 1, self._mention(doc, h, h, actor, f"role noun '{a.pattern}' in agents.tsv ({a.role})")
        return 1, None


def _where(sentence: int) -> str:
    return f"sentence {sentence}" if sentence >= 0 else "earlier in the document"


@component("actors")
def _make_actor_tagger() -> ActorTagger:
    return ActorTagger()


def tag_actors(doc: Document) -> list[Mention]:
    """Convenience: run the tagger on ``doc`` and return its ACTOR mentions."""
    _tagger().__call__(doc)
    return doc.mentions_of("ACTOR")


@lru_cache(maxsize=1)
def _tagger() -> ActorTagger:
    return ActorTagger()


__all__ = ["Actor", "ActorTagger", "resolve_generic", "actor_lexicon", "adjective_forms", "tag_actors"]
