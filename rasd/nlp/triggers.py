"""Event trigger and cue lexicons (``resources/triggers.tsv``, ``resources/event_cues.tsv``)."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from rasd.text.lexicon import StemPatternMatcher


@dataclass(frozen=True, slots=True)
class Trigger:
    pattern: str
    event_type: str
    sub_event_type: str
    role: str  # event | attack | territory | death | riot | agreement | foiled | crowd | gathering
    weight: float


@dataclass(frozen=True, slots=True)
class Cue:
    pattern: str
    cue: str


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("rasd.resources").joinpath(name).read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


@lru_cache(maxsize=1)
def trigger_matcher() -> StemPatternMatcher[Trigger]:
    entries = []
    for r in _rows("triggers.tsv"):
        t = Trigger(r["pattern"], r["event_type"], r["sub_event_type"], r["role"], float(r["weight"]))
        entries.append((t.pattern, t))
    return StemPatternMatcher(entries)


@lru_cache(maxsize=1)
def cue_matcher() -> StemPatternMatcher[Cue]:
    return StemPatternMatcher((r["pattern"], Cue(r["pattern"], r["cue"])) for r in _rows("event_cues.tsv"))


def sentence_triggers(doc, sent) -> list[tuple[int, int, Trigger]]:
    """Trigger matches in one sentence's normalised text, computed once per pipeline run."""
    from rasd.text.normalize import normalized_sentence

    cache = doc.cache.setdefault("triggers", {})
    hits = cache.get(sent.index)
    if hits is None:
        hits = cache[sent.index] = trigger_matcher().find(normalized_sentence(doc, sent).text)
    return hits


__all__ = ["Trigger", "Cue", "trigger_matcher", "cue_matcher", "sentence_triggers"]
