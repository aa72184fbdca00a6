"""The ``places`` component: PLACE mentions with their candidate places.

Every gazetteer name found in a sentence becomes a candidate mention; what
survives is decided by rules kept in data files:

- ``gazetteer_stoplist.tsv``: names that are also common words, weekdays,
  months or first names ("الأمن", "الخميس", "محمد") count only after a cue word;
  rows with rule ``surface`` are written forms with their clitics that are idioms,
  never places ("بحجة" = "on the pretext"); rows with rule ``country`` are names as
  often a person's ("صلاح الدين"): a place wherever it stands in an article whose
  main country is the place's, else nothing;
- ``gazetteer_cues.tsv``: cue words before a name ("مدينة", "محافظة", "شرق",
  "ريف") make it certain, tell which kind of place is meant (a governorate
  after "محافظة"), and mark directional phrases as *near* the place; a cue with
  ``prefer`` = ``none`` says what follows is no place at all ("صلاة المغرب");
- GeoNames-only places need a population threshold when the name is a single
  word, higher for very short names, since GeoNames carries thousands of
  transliterated villages whose Arabic names are ordinary words.
"""
from __future__ import annotations

import re
from collections import Counter

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rasd.doc import Document, Mention
from rasd.geo.build import FOCUS_COUNTRIES
from rasd.geo.gazetteer import COUNTRIES_TSV, RESOURCES, Gazetteer, Place, _read_tsv, effective_population, load_countries
from rasd.pipeline import component
from rasd.text.lexicon import WORD_RE, stem_candidates
from rasd.text.normalize import Normalized, normalize, normalize_plain, normalized_sentence

STOPLIST_TSV = RESOURCES / "gazetteer_stoplist.tsv"
CUES_TSV = RESOURCES / "gazetteer_cues.tsv"

# A single-word GeoNames name needs this population to count without a cue...
MIN_POPULATION = 10_000
# ...and names of at most SHORT_NAME letters need a large town.
SHORT_NAME = 3
MIN_POPULATION_SHORT = 100_000
MIN_POPULATION_FOREIGN = 500_000


# "حي الجزيرة" and "منطقة الجزيرة" are local quarters and areas, rarely the far-away
# place a common word also names: these cues do not lift the stoplist.
WEAK_CUES = frozenset({"حي", "منطقة"})


@dataclass(frozen=True, slots=True)
class Cue:
    word: str
    prefer: str  # "admin1" | "populated" | "site" | "any"
    near: bool
    reason: str


@lru_cache(maxsize=4)
def load_country_stoplist(path: Path = STOPLIST_TSV) -> frozenset[str]:
    """Names that are places only in articles about their own country ("صلاح الدين" the province, or a man)."""
    return frozenset(normalize_plain(r["name"]) for r in _read_tsv(path) if r["rule"] == "country")


@lru_cache(maxsize=4)
def load_surface_stoplist(path: Path = STOPLIST_TSV) -> frozenset[str]:
    """Written forms, clitics included, that are idioms and never places ("بحجة" = "on the pretext")."""
    return frozenset(normalize_plain(r["name"]) for r in _read_tsv(path) if r["rule"] == "surface")


def load_stoplist(path: Path = STOPLIST_TSV, countries: Path = COUNTRIES_TSV) -> frozenset[str]:
    """Stoplisted names, plus every nationality adjective ("السوري", "سوري") of countries.tsv."""
    words = {normalize_plain(r["name"]) for r in _read_tsv(path) if r["rule"] != "surface"}
    rows = load_countries(countries).values()
    # "سورية" is both "Syria" and "Syrian (fem.)": a country name is never stoplisted.
    country_names = {normalize_plain(n.strip()) for row in rows for n in row["names_ar"].split("|")}
    for row in rows:
        for adj in row["adjectives_ar"].split("|"):
            adj = normalize_plain(adj.strip())
            if adj:
                words.add(adj)
                words.add(" ".join(w[2:] if w.startswith("ال") else w for w in adj.split()))
    return frozenset(words - country_names)


@lru_cache(maxsize=4)
def load_cues(path: Path = CUES_TSV) -> dict[str, Cue]:
    return {
        normalize_plain(r["cue"]): Cue(r["cue"], r["prefer"], r["near"] == "1", r["reason"].strip('"'))
        for r in _read_tsv(path)
    }


def _is_curated(p: Place) -> bool:
    return p.id.startswith(("cur:", "cc:", "adm1:"))


def admissible(place: Place, key: tuple[str, ...], has_cue: bool) -> bool:
    """May ``place`` stand for a name spelled ``key`` without more evidence?"""
    if has_cue or _is_curated(place) or place.kind in ("country", "admin1"):
        return True
    if len(key) > 1:
        return True
    letters = len(key[0])
    if place.country_iso2 not in FOCUS_COUNTRIES:
        # Far-away towns are named in our news only when they are big ones; smaller
        # ones are mostly transliterations that collide with Arabic words.
        return place.population >= MIN_POPULATION_FOREIGN
    if letters <= SHORT_NAME:
        return place.population >= MIN_POPULATION_SHORT
    return place.population >= MIN_POPULATION


# Short aliases of regions ("الضفة" for the West Bank) that are common nouns when another adjective
# follows them: "الضفة الآسيوية", "الضفة الشرقية لنهر الفرات".
_BARE_REGION_NAMES = frozenset({"الضفه"})
_OTHER_SIDE_RE = re.compile(r"^\s+(?!الغربيه)ال\S+(?:يه|ي)(?!\S)")

# A name quoted right after لـ ("لـ«الرياض»", "ل\"الرياض\"") is the outlet a source spoke to.
_QUOTED_OUTLET_RE = re.compile(r"(?:^|[\s(])لـ?\s?[«\"“]$")

_LOCATIVES = ("في", "بمدينه", "الي", "من", "قرب")


# A distance and a direction right before a name: "على بعد 700 كيلومتر جنوب طرابلس".
_DISTANCE_RE = re.compile(r"(?:كم|كلم|كيلو|كيلومتر|كيلومترا|كيلومترات|ميل|ميلا|اميال)(?:\s+\S+){1,2}\s*$")


def _after_locative(norm_text: str, start: int) -> bool:
    """Whether the word before ``start`` is a locative preposition, or the name carries "ب" ("بمروة")."""
    before = norm_text[max(0, start - 6):start].split()
    if start > 0 and norm_text[start - 1] == "ب" and (start < 2 or not norm_text[start - 2].isalpha()):
        return True
    return bool(before) and before[-1] in _LOCATIVES


class PlaceRecognizer:
    name = "places"

    def __init__(self, gazetteer: Gazetteer | None = None, stoplist: frozenset[str] | None = None,
                 cues: dict[str, Cue] | None = None) -> None:
        self.gazetteer = gazetteer or Gazetteer.default()
        self.stoplist = load_stoplist() if stoplist is None else stoplist
        self.cues = load_cues() if cues is None else cues
        self.idioms = load_surface_stoplist()
        self.country_names = load_country_stoplist()

    def _cue_before(self, norm_text: str, start: int) -> Cue | None:
        """The cue word right before ``start`` (clitics allowed: "وشمال", "بمحافظة"); a clitic on the name
        itself is skipped ("الموالية لإيران": the cue is the word before "لـ")."""
        start = norm_text.rfind(" ", 0, start) + 1
        words = WORD_RE.findall(norm_text[max(0, start - 40):start])
        if not words:
            return None
        for form, _ in stem_candidates(words[-1]):
            cue = self.cues.get(form)
            if cue:
                return cue
        # Two-word cues ending in a preposition: "بالقرب من X" (near X), "المتحالفة مع إيران" (an ally).
        if len(words) >= 2 and words[-1] in ("من", "مع"):
            for form, _ in stem_candidates(words[-2]):
                if form in ("قرب", "القرب") and words[-1] == "من":
                    return self.cues.get("قرب")
                cue = self.cues.get(f"{form} {words[-1]}")
                if cue:
                    return cue
        return None

    def find(self, text: str, offset: int = 0, sentence: int = -1, norm: Normalized | None = None,
             held: list[Mention] | None = None) -> list[Mention]:
        """PLACE mentions in ``text``. Stoplisted names right after a locative preposition ("في مروة")
        are not dropped but put in ``held``: the caller admits them if the article is about their country."""
        norm = norm if norm is not None else normalize(text)
        out: list[Mention] = []
        for m in self.gazetteer.matcher.iter_find(norm.text):
            cue = self._cue_before(norm.text, m.start)
            word_start = norm.text.rfind(" ", 0, m.start) + 1
            if norm.text[word_start:m.end] in self.idioms:
                continue  # "بحجة أن": on the pretext that, not "in Hajjah"
            clitic = "".join(ch for ch in norm.text[word_start:m.start] if ch.isalpha())  # not «, (
            if clitic.endswith("ك"):
                continue  # "كمينا" is an ambush, not "like Minna": "كـ" almost never precedes a place name
            if clitic and len(m.key) == 1 and len(m.key[0]) <= 2:
                continue  # "حي باب مشرف" is a gate, not "in Ibb": a two-letter name is only read bare
            if clitic in ("ب", "ف", "ل") and not m.key[0].startswith("ال") and \
                    text[norm.to_original(m.start, m.start + 1)[0]:][:1] == "\u0627":
                continue  # "باراك", "فارين", "باكرا": names after a clitic are written with hamza ("بأنقرة")
            if cue is not None and cue.prefer == "none":
                continue  # "صلاة المغرب" is the sunset prayer, not Morocco; "صحيفة الرياض" a newspaper
            at = norm.to_original(m.start, m.end)[0]
            if _QUOTED_OUTLET_RE.search(text[max(0, at - 7):at]):  # the match is 4 characters at most
                continue  # "قالت مصادر لـ«الرياض»": told the newspaper, not in the city
            if cue is not None and cue.near and _DISTANCE_RE.search(norm.text[max(0, m.start - 40):m.start]):
                continue  # "(370 كلم شمال بغداد)": a reference point for the reader, not where it happened
            key_text = " ".join(m.key)
            if key_text in _BARE_REGION_NAMES and _OTHER_SIDE_RE.match(norm.text[m.end:]):
                continue  # "الضفة الآسيوية" (of the Bosphorus) is a river bank, not the West Bank
            # Only a naming cue ("مدينة الخبر") lifts the stoplist; "شمال البلاد" stays a common word.
            bare = key_text[2:] if key_text.startswith("ال") else key_text
            stopped = (key_text in self.stoplist or bare in self.stoplist) and (cue is None or cue.near or cue.word in WEAK_CUES)
            country_name = key_text in self.country_names
            if stopped and (held is None or key_text in self.cues or bare in self.cues
                            or not (country_name or _after_locative(norm.text, m.start)
                                    or (cue is not None and cue.near and cue.prefer != "any"))):
                # Held: "في حماة", "ريف حماة" are Hama in an article about Syria. A compass word
                # ("جنوبي البلاد") is as often followed by a common noun, so it holds nothing.
                continue
            payloads = list(m.payloads)
            if len(m.key) > 1 and m.key[0] in self.cues:
                # GeoNames lists some towns with their cue ("مدينة زنجبار" for Zanzibar City): the
                # name without the cue may be a different, more likely place (Zinjibar, Yemen).
                payloads += self.gazetteer.lookup(" ".join(m.key[1:]))
                if cue is None:
                    cue = self.cues[m.key[0]]
            seen: set[str] = set()
            places: list[Place] = []
            for p in payloads:
                if p.id in seen or not admissible(p, m.key, cue is not None):
                    continue
                seen.add(p.id)
                places.append(p)
            if not places:
                continue
            prefer = cue.prefer if cue else "any"
            places.sort(key=lambda p: (0 if prefer in ("any", p.kind) else 1, -effective_population(p)))
            s, e = norm.to_original(m.start, m.end)
            near = bool(cue and cue.near)
            reason = f"gazetteer name '{key_text}' ({len(places)} candidate(s): " + ", ".join(
                f"{p.name}/{p.country_iso2}/{p.kind}" for p in places[:4]) + ")"
            if cue:
                reason += f"; cue word '{cue.word}': {cue.reason}"
            (held if stopped else out).append(Mention(
                start=offset + s, end=offset + e, text=text[s:e], label="PLACE", value=places,
                component="geo.places", reason=reason, sentence=sentence,
                attrs={"near": near, "cue": cue.word if cue else None, "prefer": prefer,
                       **({"main_country_only": True} if stopped and country_name else {})},
            ))
        return out

    def __call__(self, doc: Document) -> Document:
        held: list[Mention] = []
        found: list[Mention] = []
        if doc.sentences:
            for sent in doc.focus_sentences():
                found.extend(self.find(sent.text, sent.start, sent.index, normalized_sentence(doc, sent), held))
        else:
            found.extend(self.find(doc.text, 0, -1, held=held))
        if held:
            # "في مروة" in an article about Cameroon is the town, not the first name.
            named = Counter(next(iter(c)) for c in ({p.country_iso2 for p in m.value} for m in found) if len(c) == 1)
            main = {c for c, n in named.items() if n == max(named.values())}
            for m in held:
                countries = main if m.attrs.get("main_country_only") else set(named)
                local = [p for p in m.value if p.country_iso2 in countries and p.kind in ("populated", "site", "admin1")]
                if local:
                    m.value = local
                    m.reason += (f"; a common word or name too, taken as a place after a locative preposition"
                                 f" in an article about {', '.join(sorted({p.country for p in local}))}")
                    found.append(m)
            found.sort(key=lambda m: m.start)
        _narrow_by_enclosing_place(doc, found)
        doc.mentions.extend(found)
        return doc


# What stands between a town and the province or area that holds it: "صوران شمالي حلب",
# "X بريف إدلب", "X في محافظة لحج", "X، حمص".
_ENCLOSED_BY_RE = re.compile(
    r"^\W*(?:(?:في|و?ب)?\s*(?:ال)?(?:ريف|شمال|جنوب|شرق|غرب|محافظه|ولايه|اقليم|منطقه)\S*\s+|في\s+|ب)?$")


_PROVINCE_RE = re.compile(r"(?:محافظه|ولايه|اقليم)")


def _narrow_by_enclosing_place(doc: Document, mentions: list[Mention]) -> None:
    """A name with namesakes in several provinces, followed by the province that holds it, is the
    namesake in that province: "ناحية صوران شمالي حلب" is Suran of Aleppo, not the larger one of Hama.
    A name none of whose places lies in the country of the province named as holding it ("بمحافظة
    ديالى") is a place the gazetteer lacks, and is dropped: the province tells where it is."""
    dropped: list[Mention] = []
    for a, b in zip(mentions, mentions[1:]):
        if a.sentence != b.sentence or not 0 <= b.start - a.end <= 24:
            continue
        between = normalize_plain(doc.text[a.end:b.start])
        if not _ENCLOSED_BY_RE.match(between):
            continue
        if (_PROVINCE_RE.search(between) and all(p.kind == "admin1" for p in b.value)
                and not {p.country_iso2 for p in a.value} & {p.country_iso2 for p in b.value}):
            dropped.append(a)
            continue
        if len({p.admin1 for p in a.value}) < 2:
            continue
        areas = {(p.country_iso2, p.admin1) for p in b.value if p.admin1}
        inside = [p for p in a.value if (p.country_iso2, p.admin1) in areas]
        if inside and len(inside) < len(a.value):
            a.value = inside
            a.reason += f"; followed by '{b.text}', which holds it: the namesake in {inside[0].admin1}"
    for m in dropped:
        mentions.remove(m)


@component("places")
def make_places() -> PlaceRecognizer:
    return PlaceRecognizer()


__all__ = ["PlaceRecognizer", "Cue", "admissible", "load_stoplist", "load_cues", "make_places"]
