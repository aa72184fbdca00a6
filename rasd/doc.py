"""The one document object every pipeline component reads and writes.

Offsets are always character offsets into ``Document.text``, the original text
as ingested, never into a normalised copy. Components that work on normalised
text map their spans back before storing them (see ``rasd.text.normalize``).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

# ACLED columns in the order analysts know them from ACLED exports.
EVENT_FIELDS: tuple[str, ...] = (
    "event_type",
    "sub_event_type",
    "event_date",
    "time_precision",
    "actor1",
    "actor2",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
)

TAXONOMY: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}
# ACLED's interaction codes of actor1/actor2 (1 state forces ... 8 external/other) and the actors fighting
# alongside them ("بمساندة الحشد الشعبي"), beyond the gold fields.
EXTRA_FIELDS: tuple[str, ...] = ("inter1", "inter2", "assoc_actor_1", "assoc_actor_2")
OUTPUT_FIELDS: tuple[str, ...] = EVENT_FIELDS + EXTRA_FIELDS

SUB_EVENT_TO_TYPE: dict[str, str] = {sub: t for t, subs in TAXONOMY.items() for sub in subs}


@dataclass(slots=True)
class Span:
    """A stretch of the original text: ``text == document.text[start:end]``."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    text: str  # original characters, document.text[start:end]
    index: int = 0


@dataclass(slots=True)
class Mention:
    """Something a component recognised in the text: an actor, place, date, number, trigger...

    ``label`` is the kind (ACTOR, PLACE, PERSON, ORG, DATE, NUMBER, TRIGGER, ...),
    ``value`` the canonical thing it refers to (an actor record, a place record,
    an ISO date, an int...), ``component`` and ``reason`` say who decided and why.
    """

    start: int
    end: int
    text: str
    label: str
    value: Any = None
    component: str = ""
    reason: str = ""
    sentence: int = -1
    attrs: dict[str, Any] = field(default_factory=dict)

    @property
    def span(self) -> Span:
        return Span(self.start, self.end, self.text)


@dataclass(slots=True)
class Decision:
    """Why one field of an event has its value: who decided it, from which text, why."""

    value: Any
    component: str
    reason: str
    spans: list[Span] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "component": self.component,
            "reason": self.reason,
            "spans": [s.to_dict() for s in self.spans],
        }


@dataclass
class Event:
    """One ACLED-style event: one type of action, same actors, one place, one day."""

    fields: dict[str, Any] = field(default_factory=lambda: {k: None for k in OUTPUT_FIELDS})
    evidence: list[Span] = field(default_factory=list)
    decisions: dict[str, Decision] = field(default_factory=dict)
    sentences: list[int] = field(default_factory=list)
    confidence: float = 0.0

    def set(self, name: str, value: Any, component: str, reason: str, spans: list[Span] | None = None) -> None:
        """Set a field and record the decision behind it."""
        self.fields[name] = value
        self.decisions[name] = Decision(value, component, reason, list(spans or []))

    def __getitem__(self, name: str) -> Any:
        return self.fields.get(name)

    @property
    def evidence_text(self) -> str:
        return " … ".join(s.text for s in self.evidence)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {k: self.fields.get(k) for k in OUTPUT_FIELDS}
        out["evidence"] = self.evidence_text
        out["evidence_spans"] = [s.to_dict() for s in self.evidence]
        out["confidence"] = round(self.confidence, 3)
        out["provenance"] = {k: d.to_dict() for k, d in self.decisions.items()}
        return out


@dataclass
class Document:
    """An article moving through the pipeline."""

    id: str
    text: str
    title: str = ""
    published: dt.date | None = None
    source: str = ""
    url: str = ""
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    # Scratch space shared by components during one pipeline run (normalised sentences...);
    # emptied when the run ends so it never travels with the document.
    cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def focus_sentences(self) -> list[Sentence]:
        """The sentences the costly components should read (see ``rasd.nlp.relevance``).

        All sentences when no relevance pass ran.
        """
        focus = self.meta.get("focus")
        if focus is None:
            return self.sentences
        keep = set(focus)
        return [s for s in self.sentences if s.index in keep]

    def mentions_of(self, label: str, sentence: int | None = None) -> list[Mention]:
        return [
            m for m in self.mentions if m.label == label and (sentence is None or m.sentence == sentence)
        ]

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def to_dict(self, explain: bool = False) -> dict[str, Any]:
        """The JSONL record; ``explain`` adds every candidate the event rules typed, coded or not, with
        the sentence's offsets, the typing reason and, for the ones not coded, why (``dropped``)."""
        out = {
            "id": self.id,
            "title": self.title,
            "published": self.published.isoformat() if self.published else None,
            "source": self.source,
            "url": self.url,
            "events": [e.to_dict() for e in self.events],
            "warnings": list(self.warnings),
        }
        if explain:
            out["candidates"] = [dict(c) for c in self.meta.get("event_candidates", [])]
        return out


__all__ = [
    "EVENT_FIELDS",
    "EXTRA_FIELDS",
    "OUTPUT_FIELDS",
    "TAXONOMY",
    "SUB_EVENT_TO_TYPE",
    "Span",
    "Sentence",
    "Mention",
    "Decision",
    "Event",
    "Document",
    "asdict",
]
