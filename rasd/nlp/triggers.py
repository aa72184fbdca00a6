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
    role: str  # event | killing | worn | attack | territory | death | died | riot | agreement | foiled | crowd | gathering | not_trigger
    weight: float

    @property
    def reports_deaths(self) -> bool:
        """A death word: "قتل" (killed: someone killed them) or "لقي مصرعه" (died: nobody named or implied)."""
        return self.role in DEATH_ROLES

    @property
    def counts_deaths(self) -> bool:
        """A number next to it counts the dead: a death word, or a killing verb ("أعدم 12 شخصا"), whose
        subject, unlike a death word's, may follow it ("أعدم تنظيم داعش"): it counts, it names no victim."""
        return self.role in DEATH_ROLES or self.role == "killing"


# death: a killing ("قتل", "مقتل"); died: a death that implies no killer ("لقي مصرعه", "لقي حتفه"),
# as often in an accident as in an attack; killing: an act that names its type and kills its object
# ("أعدم 12 شخصا", "اغتال ضابطا": typed like an event, counted like a death word).
DEATH_ROLES = frozenset({"death", "died"})


@dataclass(frozen=True, slots=True)
class Cue:
    pattern: str
    cue: str


def resource_rows(name: str) -> list[dict[str, str]]:
    """Rows of a lexicon table in ``rasd/resources/`` (tab-separated, header line, # comments); [] if absent."""
    try:
        text = resources.files("rasd.resources").joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


class TriggerLexicon:
    """Trigger matches, without the rows of role ``not_trigger``.

    Those rows exist to win the longest-match contest against a trigger they contain and then
    vanish: "الفجر" (the dawn) is not "فجر" (he detonated).
    """

    def __init__(self, matcher: StemPatternMatcher[Trigger]) -> None:
        self._matcher = matcher

    def find(self, norm_text: str) -> list[tuple[int, int, Trigger]]:
        return [h for h in self._matcher.find(norm_text) if h[2].role != "not_trigger"]

    def search(self, norm_text: str) -> bool:
        return bool(self.find(norm_text))


@lru_cache(maxsize=1)
def trigger_matcher() -> TriggerLexicon:
    entries = []
    for r in resource_rows("triggers.tsv"):
        t = Trigger(r["pattern"], r["event_type"], r["sub_event_type"], r["role"], float(r["weight"]))
        entries.append((t.pattern, t))
    return TriggerLexicon(StemPatternMatcher(entries))


@lru_cache(maxsize=1)
def cue_matcher() -> StemPatternMatcher[Cue]:
    return StemPatternMatcher((r["pattern"], Cue(r["pattern"], r["cue"])) for r in resource_rows("event_cues.tsv"))


@lru_cache(maxsize=1)
def speech_verbs() -> tuple[str, ...]:
    """The reporting verbs of ``resources/speech_verbs.tsv``, normalised, longest first (for regex alternations)."""
    from rasd.text.normalize import normalize_plain

    forms = {normalize_plain(r["form"]) for r in resource_rows("speech_verbs.tsv") if r.get("form")}
    return tuple(sorted(forms, key=lambda f: (-len(f), f)))


def sentence_triggers(doc, sent) -> list[tuple[int, int, Trigger]]:
    """Trigger matches in one sentence's normalised text, computed once per pipeline run."""
    from rasd.text.normalize import normalized_sentence

    cache = doc.cache.setdefault("triggers", {})
    hits = cache.get(sent.index)
    if hits is None:
        hits = cache[sent.index] = trigger_matcher().find(normalized_sentence(doc, sent).text)
    return hits


__all__ = ["Trigger", "Cue", "DEATH_ROLES", "TriggerLexicon", "resource_rows", "speech_verbs", "trigger_matcher", "cue_matcher", "sentence_triggers"]
