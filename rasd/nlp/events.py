"""Event detection, typing and argument assignment: the ``events`` component.

Works clause by clause. A clause with an event trigger (``resources/triggers.tsv``)
becomes an event candidate; cue words (``resources/event_cues.tsv``) veto it
(threats, denials, history, totals, accidents) or refine it (aircraft make a
bombardment an air strike, police dispersal makes a protest one with
intervention). Arguments come from the mentions earlier components left on the
document: actors (roles from cue words and order), places (nearest in the
clause, then the sentence, then the article), dates (nearest cue, else the day
before publication), and fatalities (the count attached to a death word).
Candidates of the same type, place and day merge into one event, as ACLED codes
them. Every field records the component and reason behind it.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from rasd.doc import Decision, Document, Event, Mention, Sentence, Span
from rasd.nlp.genre import cue_counts
from rasd.nlp.triggers import Cue, Trigger, cue_matcher, sentence_triggers, speech_verbs, trigger_matcher
from rasd.pipeline import component
from rasd.text.normalize import Normalized, normalize, normalize_plain, normalized_sentence
from rasd.text.numbers import count_in_phrase, count_listed_after, person_noun_in_phrase

COMPONENT = "nlp.events"

VIOLENT_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians")
CROWD_TYPES = ("Protests", "Riots")

# Within one event type, the more specific sub-type wins when clauses merge.
SUB_TYPE_PRIORITY: dict[str, tuple[str, ...]] = {
    "Explosions/Remote violence": (
        "Suicide bomb",
        "Chemical weapon",
        "Grenade",
        "Air/drone strike",
        "Remote explosive/landmine/IED",
        "Shelling/artillery/missile attack",
    ),
    "Battles": ("Non-state actor overtakes territory", "Government regains territory", "Armed clash"),
    "Violence against civilians": ("Sexual violence", "Abduction/forced disappearance", "Attack"),
    "Protests": ("Excessive force against protesters", "Protest with intervention", "Peaceful protest"),
    "Riots": ("Mob violence", "Violent demonstration"),
}

# Clause boundaries: conjunctions that start a new report inside one sentence.
# "... في مدينة مروة التي شهدت الأربعاء تفجيرين": a relative clause recalling what a place witnessed
# is another report.
_CLAUSE_RE = re.compile(
    r"\s+(?:فيما|بينما|في حين|وفي حين|في وقت)\s+|؛|;|\s+كما\s+(?=\S)|\s+(?=(?:التي|الذي)\s+(?:شهدت|شهد)\s)"
)

# Cues that veto a clause / a whole sentence.
_CLAUSE_VETO = {"irrealis", "denial", "accident", "sport", "legal"}
_SENTENCE_VETO = {"history", "aggregate"}
_GOVERNS_WHAT_FOLLOWS = {"since_then", "pledge"}  # cue kinds that cancel only the triggers after them

MIN_CONFIDENCE = 0.5
# Outside the lede, a report must be tied to a day or a toll: background mentions rarely are.
LEDE_SENTENCES = 2
# A lede with no date or toll still needs two of place, actor, date, toll to count as a report.
LEDE_MIN_ANCHORS = 2
# Event types whose sub-types stay separate events at one place and day (distinct weapons; a capture
# apart from the fighting); the others get one event per type, place and day, most specific sub-type.
MERGE_BY_SUB_TYPE = ("Explosions/Remote violence", "Battles")
HISTORY_DAYS = 30
# A single event's toll above this is a running total over a war or a year ("34 ألفا قتلوا").
AGGREGATE_TOLL = 1000
# How far after a death word its object may be named: a count and a qualifier ("عشرات الاشخاص").
_KILLED_WINDOW = 14


@dataclass
class _Hit:
    start: int  # offsets in the normalised sentence
    end: int
    payload: Any


@dataclass
class _Clause:
    start: int  # offsets in the normalised sentence
    end: int
    triggers: list[_Hit] = field(default_factory=list)
    cues: list[_Hit] = field(default_factory=list)

    def cue_kinds(self) -> set[str]:
        return {h.payload.cue for h in self.cues}


@dataclass
class _Candidate:
    event_type: str
    sub_event_type: str
    sentence: Sentence
    trigger_spans: list[Span]
    weight: float
    reason: str
    clause: _Clause
    norm: Normalized
    actor1: tuple[Any, str, list[Span]] | None = None  # (Actor or name, reason, spans)
    actor2: tuple[Any, str, list[Span]] | None = None
    place: tuple[Any, int, str, list[Span]] | None = None  # (Place, geo_precision, reason, spans)
    date: tuple[str | None, int, str, list[Span]] | None = None
    fatalities: tuple[int | None, str, list[Span]] = (0, "no death reported in the evidence", [])
    civilians_hit: bool = False
    # What ties the candidate to a concrete incident: a date cue, a place named in the
    # sentence, a casualty count, a named actor. Abstract uses of trigger words have none.
    anchors: set[str] = field(default_factory=set)
    lede: bool = False  # among the article's first body sentences, where news states its main event
    # Typed only from "attack"/"killing" words: usually a follow-up mention of an event the article
    # names more precisely elsewhere.
    generic: bool = False
    background: bool = False  # mentioned in a pluperfect background sentence
    recalled: bool = False  # ... that recalls an older event, not an earlier report of this one
    assoc1: Any = None  # (actor, reason, spans) of an ally of actor1: ACLED's assoc_actor_1
    toll_update: bool = False  # a revised death toll of an event reported elsewhere in the article
    actor2_suffered: bool = False  # actor2 was read as the target or loser from the words before it
    storming: bool = False  # typed only from a storming word ("اقتحم المستوطنون المسجد"), nobody killed


def _doc_span(sent: Sentence, norm: Normalized, start: int, end: int, doc: Document) -> Span:
    s, e = norm.to_original(start, end)
    s += sent.start
    e += sent.start
    return Span(s, e, doc.text[s:e])


class EventExtractor:
    name = "events"

    def __init__(self) -> None:
        self.triggers = trigger_matcher()
        self.cues = cue_matcher()
        from rasd.nlp.sentence_model import default_model

        self.sentence_model = default_model()
        from rasd.geo import resolve as georesolve  # geo resolution helpers
        from rasd.nlp import actors as actor_mod

        self.geo = georesolve
        self.actors = actor_mod

    # ---------------------------------------------------------------- analysis
    def _clauses(self, text: str) -> list[_Clause]:
        bounds = [0]
        for m in _CLAUSE_RE.finditer(text):
            bounds.append(m.start())
        bounds.append(len(text))
        return [_Clause(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]

    def __call__(self, doc: Document) -> Document:
        ignored = doc.meta.get("ignored_spans") or []
        context = self.geo.country_context(doc)
        # The names through which the article names each country (one name twice is still one name).
        self._names_by_country: dict[str, set[str]] = {}
        for m in doc.mentions:
            if m.label == "PLACE" and m.value and len({p.country_iso2 for p in m.value}) == 1:
                self._names_by_country.setdefault(m.value[0].country_iso2, set()).add(normalize_plain(m.text))
        by_sentence: dict[int, list[Mention]] = {}
        actor_spans = [(m.start, m.end) for m in doc.mentions if m.label == "ACTOR"]
        for m in doc.mentions:
            if m.label == "PLACE" and any(a <= m.start and m.end <= b for a, b in actor_spans):
                continue  # "سوريا" in "قوات سوريا الديمقراطية" names a group, not a place
            by_sentence.setdefault(m.sentence, []).append(m)
        self._main_actors = _main_armed_actors(doc)
        self._place_cache: dict[bool, Any] = {}  # the article's most mentioned place, once per document
        title_span = doc.meta.get("title_span")
        focus = set(doc.meta["focus"]) if doc.meta.get("focus") is not None else None
        candidates: list[_Candidate] = []
        body_seen = 0
        for sent in doc.sentences:
            if focus is not None and sent.index not in focus:
                body_seen += not (title_span and title_span[0] <= sent.start and sent.end <= title_span[1])
                continue
            if any(s <= sent.start and sent.end <= e for s, e, *_ in ignored):
                continue
            if title_span and title_span[0] <= sent.start and sent.end <= title_span[1]:
                continue  # a headline summarises the body's events; coding it too would double them
            body_seen += 1
            lede = body_seen <= LEDE_SENTENCES
            norm = normalized_sentence(doc, sent)
            trig = [_Hit(s, e, t) for s, e, t in sentence_triggers(doc, sent)]
            if not trig:
                continue
            mentions = by_sentence.get(sent.index, [])
            # A trigger word inside an actor or place name ("جبهة تحرير...") is part of a name; inside a
            # date ("فجر الاثنين", at dawn on Monday) it is part of the date.
            name_spans = [
                (m.start - sent.start, m.end - sent.start)
                for m in mentions
                if m.label in ("PLACE", "ORG", "DATE")
                or (m.label == "ACTOR" and getattr(m.value, "kind", "") == "named" and not m.attrs.get("head"))
            ]  # "قصف الحوثيون", "غارات التحالف": the head word is the attack, only the group is a name
            trig = [h for h in trig if not _inside_name(h, norm, name_spans)]
            if not trig:
                continue
            cues = [_Hit(s, e, c) for s, e, c in self.cues.find(norm.text)]
            sentence_cues = {h.payload.cue for h in cues}
            if sentence_cues & _SENTENCE_VETO or _vocalized(sent.text):
                continue
            # "وكانت ... قد": the pluperfect of background; with no date of its own it recalls an
            # event (the article's own, or an older one), it does not report a new one.
            background = bool(_BACKGROUND_RE.match(norm.text)) and not any(
                m.label == "DATE" for m in mentions)
            # "وكانت مصادر أمنية ذكرت أن 14 قتلوا": an earlier figure for today's event, not an older event.
            recalled = background and not _REPORTED_RE.match(norm.text)
            for clause in self._clauses(norm.text):
                clause.triggers = [h for h in trig if clause.start <= h.start < clause.end]
                clause.cues = [h for h in cues if clause.start <= h.start < clause.end]
                grievance = [h.start for h in clause.cues if h.payload.cue == "grievance"]
                if grievance:
                    # "مظاهرة تندد باعتقال الضباط": the arrest is what the crowd denounces, reported elsewhere.
                    clause.triggers = [h for h in clause.triggers
                                       if h.start < min(grievance) or h.payload.event_type in CROWD_TYPES]
                    # "مطالبين بوقف الهجمات", "احتجاجا على خطة الحكومة": what is demanded or denounced is
                    # no threat, plan or denial of the protest itself (a crowd's; a critic's denouncing
                    # leaves the clause's vetoes alone).
                    if any(h.payload.event_type in CROWD_TYPES for h in clause.triggers):
                        clause.cues = [h for h in clause.cues
                                       if h.start < min(grievance) or h.payload.cue not in _CLAUSE_VETO]
                cut = [h.start for h in clause.cues if h.payload.cue in _GOVERNS_WHAT_FOLLOWS]
                if cut:
                    # "ومنذ ذلك الحين قتل المئات" (a running total), "وتعهد العبادي بمعاقبة ..." (a pledge),
                    # "سمحت للولايات المتحدة بشن غارات" (a permission): what follows is not a reported event;
                    # what the clause reported before it ("قتل 10 ...", "أصيب 130 في الهجوم") still happened.
                    clause.triggers = [h for h in clause.triggers if h.start < min(cut)]
                if "scripture" in clause.cue_kinds():
                    # "معركة أحد ... النبي صلى الله عليه وسلم": the battles of early Islam, told in a sermon or a
                    # column; "احتجاجا على الإساءة للنبي صلى الله عليه وسلم" is a protest of today.
                    clause.triggers = [h for h in clause.triggers if h.payload.event_type not in VIOLENT_TYPES]
                vetoes = clause.cue_kinds() & _CLAUSE_VETO
                legal_at = min((h.start for h in clause.cues if h.payload.cue == "legal"), default=None)
                if legal_at is not None and all(h.start < legal_at for h in clause.triggers
                                                if h.payload.sub_event_type != "Arrests"):
                    # "قتل ستة في انفجار ...، وأوضح مسؤول أن الأمن بدأ التحقيق في الحادث": an investigation
                    # after the report looks into it; a trial or a charge before it ("محاكمة المتهمين
                    # بقتل ...") looks back at an older event.
                    vetoes.discard("legal")
                if vetoes == {"irrealis"} and _arrest_of_plotters(clause):
                    # "اعتقال داعشي حرض على اغتيال السبسي", "القبض على خلية كانت تعد لمخطط": the plot is
                    # what the arrested were up to; the arrest happened. The plotted attacks are dropped.
                    first_plan = min(h.start for h in clause.cues if h.payload.cue == "irrealis")
                    clause.triggers = [h for h in clause.triggers if h.payload.sub_event_type == "Arrests"
                                       or (h.start < first_plan and not h.payload.reports_deaths)]
                    vetoes = set()
                if not clause.triggers or vetoes - {"legal"}:
                    continue
                if not lede and "reaction" in clause.cue_kinds():
                    continue  # condemnations and visits after the lede point back at the event itself
                # What a crowd denounces may be old ("حكم عليهما في يناير الماضي"); the protest is not.
                told_end = min(grievance) if grievance and any(
                    h.payload.event_type in CROWD_TYPES for h in clause.triggers) else clause.end
                if _is_history(norm.text[clause.start:told_end], doc.published):
                    continue
                for cand in self._type_clause(doc, sent, norm, clause):
                    if "legal" in vetoes and cand.sub_event_type != "Arrests":
                        continue  # trials and charges look back at events; an arrest is news itself
                    cand.lede = lede
                    if background:
                        cand.generic = cand.background = True
                        cand.recalled = recalled
                        cand.reason += "; background sentence (وكان ... قد) with no date of its own"
                    candidates.append(cand)
        events: list[Event] = []
        last_place: tuple[Any, int, str, list[Span]] | None = None
        self._event_sentences = {cand.sentence.index for cand in candidates}
        for cand in candidates:
            self._assign_arguments(doc, cand, by_sentence.get(cand.sentence.index, []), context, last_place)
            named_here = cand.place and any(cand.sentence.start <= sp.start < cand.sentence.end for sp in cand.place[3])
            if named_here and cand.place[0] is not None and cand.place[1] in (1, 2):
                last_place = cand.place  # only places named in their own sentence are passed on
        generic: list[tuple[_Candidate, Event]] = []
        # Every candidate the rules typed, kept or not: what a reader (or the stacked sentence
        # detector, rasd.nlp.sentence_stack) needs to see what the rules made of each sentence.
        trace: list[dict[str, Any]] = []
        doc.meta["event_candidates"] = trace
        for cand in candidates:
            dropped = self._drop_reason(doc, cand)
            trace.append({"sentence": cand.sentence.index, "start": cand.sentence.start, "end": cand.sentence.end,
                          "event_type": cand.event_type, "sub_event_type": cand.sub_event_type,
                          "kept": dropped is None, "generic": cand.generic, "anchors": sorted(cand.anchors),
                          "reason": cand.reason, "dropped": dropped})
            if dropped is not None:
                continue
            if cand.generic and _TOPIC_SHIFT_RE.match(cand.norm.text) and "place" not in cand.anchors:
                # "إلى ذلك، أعلنت القيادة الإماراتية استشهاد أحد أبنائها": a new topic with no place of its
                # own is neither the previous event nor one that can be placed.
                trace[-1].update(kept=False, dropped="a follow-up mention after a change of topic, with no place of its own")
                continue
            (generic if cand.generic else events).append((cand, self._to_event(doc, cand)))
        merged = _merge([ev for _, ev in events])
        for cand, ev in generic:
            crowd = cand.event_type in CROWD_TYPES
            target = _coreferent(merged, ev, dated=bool(cand.date and cand.date[3]) and not cand.toll_update,
                                 same_type=cand.event_type == "Explosions/Remote violence",
                                 types=CROWD_TYPES if crowd else VIOLENT_TYPES, toll_update=cand.toll_update, recalled=cand.recalled,
                                 own_place="place" in cand.anchors)
            if target is not None:
                _absorb(target, ev, keep_type=True, follow_up=True)
            elif not crowd and not cand.background:
                # protesters with no protest reported anywhere are no report of one; nor is a recollection
                merged = _merge(merged + [ev])
        _settle_tolls(merged, doc.text)
        doc.events = merged
        return doc

    # ---------------------------------------------------------------- typing
    def _type_clause(self, doc: Document, sent: Sentence, norm: Normalized, clause: _Clause) -> list[_Candidate]:
        kinds = clause.cue_kinds()
        roles: dict[str, list[_Hit]] = {}
        for h in clause.triggers:
            roles.setdefault(h.payload.role, []).append(h)
        typed: dict[str, list[_Hit]] = {}
        for h in clause.triggers:
            t: Trigger = h.payload
            if t.role in ("death", "died", "attack", "foiled", "agreement", "riot", "territory", "crowd", "gathering"):
                continue
            typed.setdefault(t.event_type, []).append(h)
        crowd_words = roles.get("crowd", []) + roles.get("gathering", [])
        follow_up_crowd = False
        if crowd_words and "Protests" not in typed:
            if _crowd_occurrence(roles, kinds, _gathering_of_crowd(roles, clause, norm.text)):
                typed["Protests"] = crowd_words
            elif roles.get("crowd"):
                # "وهتف المتظاهرون", "طالب المحتجون": the protesters of a protest reported elsewhere.
                typed["Protests"] = crowd_words
                follow_up_crowd = True

        def cand(etype: str, sub: str, hits: list[_Hit], reason: str, weight: float | None = None) -> _Candidate:
            spans = [_doc_span(sent, norm, h.start, h.end, doc) for h in hits]
            w = weight if weight is not None else max(h.payload.weight for h in hits)
            return _Candidate(etype, sub, sent, spans, w, reason, clause, norm)

        out: list[_Candidate] = []
        deaths = roles.get("death", []) + roles.get("died", [])
        if "foiled" in roles and (typed.get("Explosions/Remote violence") or roles.get("attack")):
            hits = roles["foiled"] + typed.get("Explosions/Remote violence", [])
            return [cand("Strategic developments", "Disrupted weapons use", hits, "an attack is reported foiled (احباط)")]
        if "agreement" in roles and "agreement" in kinds:
            out.append(cand("Strategic developments", "Agreement", roles["agreement"], "ceasefire/truce with an agreement cue"))
        if roles.get("territory") and "attempt" not in kinds:
            hits = roles["territory"]
            regained = [h for h in hits if h.payload.sub_event_type == "Government regains territory"
                        and h.payload.weight >= MIN_CONFIDENCE]
            # "سيطرت على الحي واستعادت السيطرة عليه": retaking a place its side held before is a regain,
            # whatever verb comes first.
            sub = "Government regains territory" if regained else hits[0].payload.sub_event_type
            out.append(cand("Battles", sub, hits, f"territory trigger '{_words(hits)}'"
                            + ("; a regain word among them: the place is taken back" if regained and len(hits) > 1 else "")))
        for etype, hits in typed.items():
            if etype == "Battles" and out and out[-1].event_type == "Battles":
                continue
            if etype == "Explosions/Remote violence":
                if all(h.payload.role == "worn" for h in hits) and (deaths or "attempt" in kinds):
                    # "مقتل 4 من عناصر داعش حاولوا الهجوم مرتدين أحزمة ناسفة": no belt went off; they were fought.
                    out.append(cand("Battles", "Armed clash", hits + deaths,
                                    f"explosive belts '{_words(hits)}' worn by attackers who were killed or stopped "
                                    "before any blast: fighting, not a bombing", 0.6))
                    continue
                for sub, sub_hits, reason in _explosion_types(hits, kinds):
                    out.append(cand(etype, sub, sub_hits, reason))
                    # "the explosion" with no weapon named is most often a follow-up mention
                    out[-1].generic = all(h.payload.role == "generic" for h in sub_hits)
                continue
            sub = _best_sub(etype, hits)
            reason = f"trigger '{_words(hits)}' → {etype}/{sub}"
            if etype == "Protests":
                if roles.get("riot"):
                    etype, sub = "Riots", "Violent demonstration"
                    hits = hits + roles["riot"]
                    reason = f"protest trigger '{_words(hits)}' with violence by the crowd → Riots"
                elif "intervention" in kinds and deaths:
                    sub = "Excessive force against protesters"
                    reason += "; dispersal and deaths → excessive force"
                elif "intervention" in kinds:
                    sub = "Protest with intervention"
                    reason += "; dispersal cue → intervention"
            out.append(cand(etype, sub, hits, reason))
            if etype == "Protests" and follow_up_crowd:
                out[-1].generic = True
                out[-1].reason += "; protesters named without a gathering, size or police action: a follow-up mention"
        crowd = any(c.event_type in CROWD_TYPES for c in out)
        # "الشهداء", "جثث" alone (weak death words) mourn or count the dead; they do not report a killing.
        killings = [h for h in deaths if h.payload.weight >= MIN_CONFIDENCE]
        if not crowd and not any(c.event_type in VIOLENT_TYPES for c in out) and (roles.get("attack") or killings):
            # An attack or a killing with no more specific weapon: who was hit decides the type.
            hits = roles.get("attack", []) + deaths
            agentless = not roles.get("attack") and "perpetrator" not in kinds and all(
                h.payload.role == "died" for h in killings)
            attacked = bool(roles.get("attack"))
            if _civilian_victims(kinds, clause, norm.text, attacked) and agentless:
                # "لقي شخصان مصرعهما داخل بئر": people died; no attack, weapon or killer is named, and
                # such deaths are as often drownings, fires and crashes as killings.
                pass
            elif _civilian_victims(kinds, clause, norm.text, attacked):
                out.append(cand("Violence against civilians", "Attack", hits,
                                f"attack/killing '{_words(hits)}' with unarmed victims", 0.6))
                out[-1].generic = True
            elif "armed" in kinds or roles.get("attack"):
                out.append(cand("Battles", "Armed clash", hits,
                                f"attack/killing '{_words(hits)}' between armed parties", 0.6))
                out[-1].generic = True
                out[-1].storming = not deaths and all(
                    _STORMING_RE.match(h.payload.pattern) and not _MILITARY_OBJECT_RE.search(norm.text[h.end:h.end + 100])
                    for h in hits)
        if "festivity" in kinds:
            # "احتشد آلاف المواطنين لمشاهدة الألعاب النارية": a crowd, and no protest.
            out = [c for c in out if c.event_type not in CROWD_TYPES]
        if any(c.event_type == "Explosions/Remote violence" for c in out):
            # "مجزرة ... بقذائف الهاون": shelling that kills civilians is still shelling (GUIDELINES.md).
            out = [c for c in out if not (c.event_type == "Violence against civilians" and c.sub_event_type == "Attack")]
        def c_hits(c: _Candidate) -> list[_Hit]:
            own = [h for h in clause.triggers if h.payload.event_type == c.event_type
                   or (h.payload.role in ("attack", "territory") and c.event_type == "Battles")]
            return own or clause.triggers

        for c in out:
            if c.event_type in VIOLENT_TYPES and _civilian_victims(kinds, clause, norm.text, bool(roles.get("attack"))):
                c.civilians_hit = True
            if "toll_update" in kinds and deaths and c.event_type in VIOLENT_TYPES:
                # "ارتفع عدد قتلى الهجوم إلى 20": a new figure for an event already reported.
                c.generic = True
                c.toll_update = True
                c.reason += "; toll update (ارتفع ... إلى): joins the event it counts"
            refs = [_TIME_REFERENCE_RE.search(norm.text[max(clause.start, h.start - 12):h.start]) for h in c_hits(c)]
            if all(refs) and (c.sub_event_type in _TERRITORY_SUBS or all("منذ" in r.group() for r in refs)):
                # "بعد تحرير عدن", "منذ سيطرة الحوثيين على صنعاء": a capture, or anything after "منذ", used
                # to date something else ("بعد قصف الحوثيين لوحدة الاتصالات" is often the news itself).
                c.generic = c.background = True
                c.reason += "; named after بعد/منذ/عقب as a point in time, not reported"
            if c.event_type in VIOLENT_TYPES and not deaths and all(
                    _HABITUAL_RE.match(norm.text[h.end:h.end + 40]) for h in clause.triggers
                    if h.payload.event_type == c.event_type or h.payload.role == "attack"):
                # "تدعمهم الضربات الجوية التي ينفذها التحالف", "بلد يشهد هجمات تشنها حركة الشباب": strikes
                # and attacks described as an ongoing practice.
                c.generic = c.background = True
                c.reason += "; described by a present-tense relative clause (التي ينفذها): a practice, not a report"
        return out

    # ---------------------------------------------------------------- arguments
    def _assign_arguments(
        self,
        doc: Document,
        cand: _Candidate,
        mentions: list[Mention],
        context: Counter,
        last_place: tuple[Any, int, str, list[Span]] | None,
    ) -> None:
        sent, clause, norm = cand.sentence, cand.clause, cand.norm
        c_start, c_end = _clause_doc_bounds(sent, norm, clause)
        in_clause = [m for m in mentions if c_start <= m.start < c_end]
        trig_pos = cand.trigger_spans[0].start
        cand.place = self._choose_place(doc, cand, in_clause, mentions, trig_pos, context, last_place)
        cand.date = self._choose_date(doc, in_clause, mentions, trig_pos)
        self._choose_actors(doc, cand, in_clause, mentions, trig_pos)
        _territory_by_taker(cand)
        _arrests_by_armed_groups(cand)
        cand.fatalities = self._choose_fatalities(doc, cand, in_clause)
        if cand.date and cand.date[3]:
            cand.anchors.add("date")
        if cand.place and cand.place[3] and any(sent.start <= s.start < sent.end for s in cand.place[3]):
            cand.anchors.add("place")
            head = norm.text[:_norm_index(norm, cand.place[3][0].start - sent.start)]
            if _DATELINE_RE.match(head):
                # "وفي مأرب، ..." opens a new local report: as concrete as a date.
                cand.anchors.add("dateline")
        if cand.fatalities[0] != 0:
            cand.anchors.add("casualties")
        sequel = _SHORTLY_AFTER_RE.search(norm.text)
        trig_at = _norm_index(norm, trig_pos - sent.start)
        if sequel and "place" in cand.anchors and not sequel.start() <= trig_at < sequel.end():
            # "وبعيد هذا التفجير ... استهدف هجوم آخر ... في كوباني": timed by the event just reported.
            cand.anchors.add("sequel")
        if _FRESH_REPORT_RE.match(norm.text[:clause.start + 40]) and "place" in cand.anchors:
            # "وأفادت مصادر بأن ...": a sentence opening on sources that report, with a place of its own,
            # brings news; background is told without them ("وكان ...", "سبق أن ...").
            cand.anchors.add("sourced")
        if self._party_reports_its_own(norm, sent, mentions, trig_pos):
            # "أعلنت قوات سوريا الديمقراطية أن قواتها واجهت ...": a party to the fighting reporting what
            # its forces met or did is a report of the article's battle, as a source's report is.
            cand.anchors.add("sourced")
        if any(a and a[2] and _inter(a[0]) not in (5, 6, 7) for a in (cand.actor1, cand.actor2)):
            # Protesters, rioters and civilians are named by the trigger words themselves.
            cand.anchors.add("actor")
        if cand.event_type in CROWD_TYPES and self._counted_crowd(cand, in_clause):
            cand.anchors.add("size")  # "مئات المتظاهرين", "نحو 200 شخص": a crowd that was counted

    def _counted_crowd(self, cand: _Candidate, in_clause: list[Mention]) -> bool:
        """A size next to the crowd's words ("مئات المتظاهرين", "تظاهر نحو 200"), not anywhere in the
        clause ("عن أعمال شغب ... في عدد من الولايات": a number of states)."""
        norm, sent, clause = cand.norm, cand.sentence, cand.clause
        words = [(h.start, h.end) for h in clause.triggers if h.payload.event_type in CROWD_TYPES
                 or h.payload.role in ("crowd", "gathering", "riot")]
        sizes = [(h.start, h.end) for h in clause.cues if h.payload.cue == "crowd_size"]
        sizes += [(_norm_index(norm, m.start - sent.start), _norm_index(norm, m.end - sent.start))
                  for m in in_clause if m.label == "NUMBER"]
        return any(-_CROWD_WINDOW <= w0 - s1 <= _CROWD_WINDOW or -_CROWD_WINDOW <= s0 - w1 <= _CROWD_WINDOW
                   for w0, w1 in words for s0, s1 in sizes)

    def _party_reports_its_own(self, norm: Normalized, sent: Sentence, mentions: list[Mention], trig_pos: int) -> bool:
        """The sentence opens on a speech verb whose subject is an armed party, and the event comes
        after "أن قواتها/عناصرها" (its forces): the party's own account of its operations."""
        head = _PARTY_REPORT_RE.match(norm.text)
        if head is None:
            return False
        actor = next((m for m in mentions if m.label == "ACTOR"
                      and _norm_index(norm, m.start - sent.start) >= head.end()), None)
        if actor is None or _inter(actor.value) not in (1, 2, 3, 4):
            return False
        after = norm.text[_norm_index(norm, actor.end - sent.start):]
        own = _OWN_FORCES_RE.match(after)
        return own is not None and _norm_index(norm, trig_pos - sent.start) >= \
            _norm_index(norm, actor.end - sent.start) + own.end()

    def _choose_place(self, doc, cand, in_clause, mentions, trig_pos, context, last_place):
        for scope, pool in (("clause", in_clause), ("sentence", mentions)):
            places = [m for m in pool if m.label == "PLACE" and m.value and not self._passed_through(m, cand)
                      and not _stray_namesake(m, context, self._names_by_country)]
            places = self._before_grievance(cand, places)
            if not places:
                continue
            # Prefer a place in a country the article names (a surname like "الشدادي" is also a Syrian
            # town); then the most specific place; then the one closest after the trigger.
            def rank(m: Mention) -> tuple:
                best = _most_specific_kind(m.value)
                after = m.start >= trig_pos
                countries = {p.country_iso2 for p in m.value}
                own_vote = 1 if len(countries) == 1 else 0  # country_context counted this mention too
                known = not context or any(context.get(c, 0) > own_vote for c in countries)
                return (0 if known else 1, best, 0 if after else 1, abs(m.start - trig_pos))

            chosen = min(places, key=rank)
            place, precision, reason = self.geo.resolve_place(chosen, context)
            if place is None:
                continue
            if precision == 3:
                # Only a country or province here: a town named earlier in the article is more precise.
                better = last_place or self._article_place(doc, context, specific=True)
                if better is not None and _lies_in(better[0], place):
                    b_place, b_prec, b_reason, b_spans = better
                    return b_place, b_prec, f"{reason}; the article's town in that area: {b_reason}", b_spans
            return place, precision, f"{reason} (place named in the same {scope})", [chosen.span]
        if last_place is not None:
            place, precision, reason, spans = last_place
            return place, precision, f"no place in the sentence; the article's previous event place: {reason}", spans
        fallback = self._article_place(doc, context, specific=True) or self._article_place(doc, context)
        if fallback is not None:
            return fallback
        return None, 0, "no place found in the sentence or the article", []

    def _before_grievance(self, cand: _Candidate, places: list[Mention]) -> list[Mention]:
        """"فرقت الشرطة في إسطنبول متظاهرين يدينون الهجوم الذي وقع في سروج": a crowd's place named
        before what it denounces is where it gathered; the places of what it denounces are not."""
        if cand.event_type not in CROWD_TYPES:
            return places
        cut = min((h.start for h in cand.clause.cues if h.payload.cue == "grievance"), default=None)
        if cut is None:
            return places
        at = {id(m): _norm_index(cand.norm, m.start - cand.sentence.start) for m in places
              if cand.sentence.start <= m.start < cand.sentence.end}
        before = [m for m in places if id(m) in at and at[id(m)] < cut
                  and any(p.kind != "country" for p in m.value)]
        return before or places

    def _passed_through(self, m: Mention, cand: _Candidate) -> bool:
        """A place someone moves to or from ("تعزيزات متجهة إلى تعز", "فر إلى مايدوغوري", "أقلعت من قاعدة
        في ديار بكر"), a speaker visits, or a country that speaks: not where the event happened."""
        i = _norm_index(cand.norm, m.start - cand.sentence.start)
        before = cand.norm.text[max(0, i - 16):i]
        after = cand.norm.text[_norm_index(cand.norm, m.end - cand.sentence.start):][:16]
        if all(p.kind == "country" for p in m.value) and (_SPEECH_BEFORE_RE.search(before) or _REACTION_BEFORE_RE.search(before)
                                                          or _REACTION_AFTER_RE.match(after)):
            # "أدانت الولايات المتحدة الهجوم ... في الكاميرون": a country that speaks or condemns is a
            # government, not where the event happened.
            return True
        return bool(_MOVEMENT_RE.search(cand.norm.text[max(0, i - 45):i])
                    or _SPEAKER_VISIT_RE.search(cand.norm.text[max(0, i - 100):i]))

    def _article_place(self, doc: Document, context: Counter, specific: bool = False):
        # Asked for every candidate: computed once per document, or long texts go quadratic.
        if specific not in self._place_cache:
            self._place_cache[specific] = self._article_place_uncached(doc, context, specific)
        return self._place_cache[specific]

    def _article_place_uncached(self, doc: Document, context: Counter, specific: bool = False):
        places = [m for m in doc.mentions if m.label == "PLACE" and m.value]
        if specific:
            places = [m for m in places if _most_specific_kind(m.value) == 0]
        if not places:
            return None
        # Places named where the violence is reported beat places of the background (a capital
        # mentioned for its government): "the article's place" is where its events are.
        in_events = [m for m in places if m.sentence in self._event_sentences]
        places = in_events or places
        counts = Counter(m.text for m in places)
        text, _ = counts.most_common(1)[0]
        chosen = next(m for m in places if m.text == text)
        place, precision, reason = self.geo.resolve_place(chosen, context)
        if place is None:
            return None
        return place, max(precision, 2), f"no place in the sentence; the article's most mentioned place: {reason}", [chosen.span]

    def _choose_date(self, doc: Document, in_clause, mentions, trig_pos):
        for scope, pool in (("clause", in_clause), ("sentence", mentions)):
            dates = [m for m in pool if m.label == "DATE" and not m.attrs.get("future")]
            if not dates:
                continue
            chosen = min(dates, key=lambda m: abs(m.start - trig_pos))
            precision = int(chosen.attrs.get("precision", 1))
            return chosen.value, precision, f"date cue '{chosen.text}' in the same {scope}: {chosen.reason}", [chosen.span]
        day = _shift(doc.published, -1)
        if day is not None:
            return day.isoformat(), 2, "no date cue; news reports mostly cover the day before publication", []
        return None, 2, "no date cue and no publication date: unresolved", []

    def _choose_actors(self, doc: Document, cand: _Candidate, in_clause, mentions, trig_pos) -> None:
        pool = [m for m in in_clause if m.label == "ACTOR"] or [m for m in mentions if m.label == "ACTOR"]
        norm, sent = cand.norm, cand.sentence
        perps: list[tuple[Mention, str]] = []
        victims: list[tuple[Mention, str]] = []
        allies: list[tuple[Mention, str]] = []
        others: list[Mention] = []
        pool = [m for m in pool if not self._is_source(m, sent, norm) and not self._speaker_of_report(m, cand)]
        followers = self._coordinated_followers(pool, norm, sent)
        for m in sorted(pool, key=lambda m: m.start):
            if id(m) in followers:
                continue  # "الحوثيين وقوات صالح": the second of a pair joined by و is on the first one's side
            role, why = self._role_of(m, cand, sent, norm)
            if role == "perp":
                perps.append((m, why))
            elif role == "victim":
                victims.append((m, why))
            elif role == "ally":
                allies.append((m, why))
            elif role != "source":  # sources report the event, they take no part in it
                others.append(m)
        a1: tuple[Any, str, list[Span]] | None = None
        a2: tuple[Any, str, list[Span]] | None = None
        if perps:
            m, why = perps[0]
            a1 = (m.value, why, [m.span])
        if victims:
            m, why = next(((v, w) for v, w in victims if not a1 or _name(v.value) != _name(a1[0])), (None, ""))
            if m is not None:
                a2 = (m.value, why, [m.span])
        victim_a2 = a2
        rest = [m for m in others if not any(_name(m.value) == _name(x[0]) for x in (a1, a2) if x)]
        if a1 is None and rest:
            m = rest.pop(0)
            a1 = (m.value, f"first actor named in the {'clause' if m in in_clause else 'sentence'} ('{m.text}')", [m.span])
        if a2 is None:
            rest = [m for m in rest if not a1 or _name(m.value) != _name(a1[0])]
            if rest:
                m = rest[0]
                a2 = (m.value, f"second actor named ('{m.text}')", [m.span])
        between = self._between_pair(pool, norm, sent)
        if between and cand.event_type in ("Battles",):
            (m1, m2) = between
            a1 = (m1.value, f"'بين {m1.text} و{m2.text}': first party of the clash", [m1.span])
            a2 = (m2.value, "second party of the clash", [m2.span])
        if a1 is not None and _inter(a1[0]) == 7:
            # Civilians are the ones attacked, never the attacker (ACLED codes them as actor2).
            a1, a2 = (a2 if a2 is not None and _inter(a2[0]) != 7 else None), a1
        etype = cand.event_type
        if (etype == "Violence against civilians" and cand.sub_event_type == "Attack" and victim_a2 is not None
                and a2 is victim_a2 and _inter(a2[0]) in (1, 2, 3, 4) and a2[2] and self._counted_dead(a2[2][0], cand)
                and not any(_EXECUTION_RE.match(h.payload.pattern) for h in cand.clause.triggers)):
            # "اغتالت مجموعة إرهابية ثلاثة من أفراد الدرك": ACLED's attacks are on civilians; killing
            # members of a force is fighting it.
            cand.event_type, cand.sub_event_type = "Battles", "Armed clash"
            etype = cand.event_type
            cand.reason += "; those killed are members of an armed force: an armed clash, not an attack on civilians"
        if a1 is None and a2 is not None and etype == "Battles" and _inter(a2[0]) != 7:
            other = next((x for x in self._main_actors if _name(x) != _name(a2[0])), None)
            if other is not None:
                a1 = (other, f"no attacker named; the article's other main armed party ({_name(other)})", [])
        if etype in CROWD_TYPES:
            crowd = "Protesters" if etype == "Protests" else "Rioters"
            if a1 is None or _inter(a1[0]) not in (5, 6):
                state = a1 if a1 and _inter(a1[0]) == 1 else None
                a1 = (crowd, f"{etype.lower()} are coded with {crowd} as actor1", [])
                a2 = (state[0], "state forces acting on the crowd", state[2]) if state and cand.sub_event_type != "Peaceful protest" else None
        elif etype == "Violence against civilians" or (cand.civilians_hit and a2 is None and etype in VIOLENT_TYPES):
            if a2 is None or _inter(a2[0]) not in (7,):
                if a2 is not None and a1 is None:
                    a1 = a2
                a2 = ("Civilians", "unarmed victims (civilian cue in the clause)", [])
        elif etype == "Strategic developments" and cand.sub_event_type == "Arrests":
            police = [m for m in pool if _name(m.value).startswith("Police Forces") and m.start < trig_pos]
            if police and not (a1 and a1[2] and _name(a1[0]).startswith("Police Forces")):
                # "مقاتلات تركية قصفت ... وذكرت وسائل إعلام أن 5000 من أفراد الشرطة التركية ... اعتقلوا": the
                # police named nearest before the arrest made it, not the first force of the sentence.
                m = max(police, key=lambda m: m.start)
                if a2 and a2[2] and a2[2][0] == m.span:
                    a2 = None
                a1 = (m.value, f"the police named before the arrest ('{m.text}') make arrests", [m.span])
            if a1 is not None and _inter(a1[0]) in (5, 6, 7):
                # "طالب محتجون بنشر صور اعتقال ...": protesters and civilians do not arrest; named with an
                # arrest they are the ones arrested.
                a1, a2 = None, (a2 or a1)
            if a1 is None:
                a1 = ("Police Forces of {country}", "arrests are made by the authorities", [])
            if a2 is None:
                a2 = ("Civilians", "the arrested are not named as an armed group", [])
        if a2 is not None and _is_unnamed_armed(a2[0]) and etype in VIOLENT_TYPES:
            # "انتحاريتان", "مسلحون": unnamed attackers carry out the attack, they are not its target.
            a1, a2 = (a2 if a1 is None or _is_unnamed_armed(a1[0]) else a1), None
        if (a1 is None or _is_unnamed_armed(a1[0])) and etype in VIOLENT_TYPES:
            victim = _name(a2[0]) if a2 else None
            # Aircraft belong to states and coalitions; everything else is most often the rebels'.
            airborne = cand.sub_event_type == "Air/drone strike" or "air" in cand.clause.cue_kinds()
            inters, kind = ((1, 8), "state or coalition force") if airborne else ((2, 3, 4), "non-state armed group")
            if etype == "Explosions/Remote violence" and not airborne:
                # Rockets, shells and bombs come from rebels and militias; settlers and tribes
                # (identity militias) the article talks about are seldom who fired them.
                inters = (2, 3)
            group = next((x for x in self._main_actors if getattr(x, "inter", None) in inters and _name(x) != victim), None)
            if group is not None:
                # News names the group once ("bearing Boko Haram's hallmarks") and then just "the attack"
                # or "the gunmen".
                a1 = (group, f"no named perpetrator in the sentence; the {kind} the article names most ({_name(group)})", [])
            elif a1 is None:
                a1 = ("Unidentified Armed Group", "no perpetrator named", [])
        if (a2 is None and etype == "Explosions/Remote violence" and a1 is not None and _inter(a1[0]) in (2, 3, 4)
                and not self._armed_victims(doc, cand, a1[2])):
            # Bombs of rebels and militias with no armed target named hit whoever is there.
            a2 = ("Civilians", "a non-state group's bombing with no armed target named: civilians", [])
        if a1 and a2 and _name(a1[0]) == _name(a2[0]):
            a2 = None
        cand.actor1, cand.actor2 = a1, a2
        cand.actor2_suffered = a2 is not None and a2 is victim_a2
        taken = {_name(x[0]) for x in (a1, a2) if x}
        if a1 is not None:
            allies += [(f, f"'{f.text}' joined with و to '{lead.text}'") for f, lead in
                       ((m, followers[id(m)]) for m in pool if id(m) in followers) if a1[2] and lead.span == a1[2][0]]
        ally = next(((m, why) for m, why in allies if _name(m.value) not in taken), None)
        if ally is not None and a1 is not None:
            cand.assoc1 = (ally[0].value, f"{ally[1]} (ACLED's associated actor of actor1)", [ally[0].span])

    def _counted_dead(self, span: Span, cand: _Candidate) -> bool:
        """The actor at ``span`` is counted among the dead ("ثلاثة من أفراد الدرك", "جنديين قتلا"), not the
        subject a verb-first sentence puts after its verb ("قتلت قوات الاحتلال الأسير")."""
        norm, sent = cand.norm, cand.sentence
        start, end = _norm_index(norm, span.start - sent.start), _norm_index(norm, span.end - sent.start)
        return bool(_COUNT_OF_RE.search(norm.text[max(0, start - 25):start])
                    or _PASSIVE_DEATH_RE.match(norm.text[end:end + 30].lstrip()))

    def _armed_victims(self, doc: Document, cand: _Candidate, perpetrator_spans: list[Span]) -> bool:
        """An "armed" cue in the clause that is not the perpetrator's own epithet ("داعش الإرهابي")."""
        for h in cand.clause.cues:
            if h.payload.cue != "armed":
                continue
            if _ACT_NOUN_RE.search(cand.norm.text[max(0, h.start - 12):h.start]):
                continue  # "عمل إرهابي", "الهجوم الإرهابي": an epithet of the act, not armed people
            at = _doc_span(cand.sentence, cand.norm, h.start, h.end, doc).start
            if not any(sp.start <= at <= sp.end + 12 for sp in perpetrator_spans):
                return True
        return False

    def _is_source(self, m: Mention, sent: Sentence, norm: Normalized) -> bool:
        """"مصدر في الشرطة", "بيان الجيش": the actor reports the event rather than takes part."""
        i = _norm_index(norm, m.start - sent.start)
        before = norm.text[max(0, i - 14):i]
        if _COMPLEMENTIZER_END_RE.search(before) and _inter(m.value) != 7:
            # "قالت مصادر إن القوات العراقية سيطرت": a force right after إن is the subject of what the
            # source reports. (Civilians there, "إن شخصين قتلا", are the toll, which is counted apart.)
            return False
        if _inter(m.value) == 7 and _SPEECH_BEFORE_RE.search(before):
            return True  # "وأوضح سكان إن ...", "قال شهود": residents and witnesses tell, they are not hit
        return any(c.cue == "source" for _, _, c in self.cues.find(before))

    def _speaker_of_report(self, m: Mention, cand: _Candidate) -> bool:
        """"وأعلنت وزارة الداخلية أن 30 شخصا قتلوا في هجوم انتحاري", "قالت الشرطة إن مسلحا فتح النار":
        a state body that tells of a bombing or an attack on people through أن is its reporter, not its
        author, unless what it tells is its own forces' doing ("أن طائراته قصفت", "إنها اعتقلت")."""
        if (_inter(m.value) != 1 or cand.sub_event_type == "Air/drone strike"
                or cand.event_type not in ("Explosions/Remote violence", "Violence against civilians")):
            return False
        norm, sent = cand.norm, cand.sentence
        start, end = _norm_index(norm, m.start - sent.start), _norm_index(norm, m.end - sent.start)
        if not _SPEECH_BEFORE_RE.search(norm.text[max(0, start - 16):start]):
            return False
        report = _REPORTED_CLAUSE_RE.match(norm.text[end:])
        if report is None or _OWN_DOING_RE.match(norm.text[end + report.end():]):
            return False
        return _norm_index(norm, cand.trigger_spans[0].start - sent.start) >= end + report.end()

    def _coordinated_followers(self, pool: list[Mention], norm: Normalized, sent: Sentence) -> dict[int, Mention]:
        """Mentions joined by "و" to the mention before them ("الحوثيين وقوات صالح"), except after "بين"."""
        ordered = sorted(pool, key=lambda m: m.start)
        out: dict[int, Mention] = {}
        for a, b in zip(ordered, ordered[1:]):
            ia = _norm_index(norm, a.start - sent.start)
            middle = norm.text[_norm_index(norm, a.end - sent.start):_norm_index(norm, b.start - sent.start)]
            before = norm.text[max(0, ia - 12):ia].split()[-1:]
            # "قبيلتي التبو والطوارق": a dual noun in construct names two parties, not one side
            dual = bool(before) and before[0].endswith(("تي", "تا"))
            if (middle.strip() == "و" and "بين" not in norm.text[max(0, ia - 6):ia] and not dual
                    and _name(a.value) != _name(b.value)):
                out[id(b)] = out.get(id(a), a)  # a chain "X وY وZ" all follow X
        return out

    def _between_pair(self, pool: list[Mention], norm: Normalized, sent: Sentence) -> tuple[Mention, Mention] | None:
        """Two actors joined as "بين X و Y" (between X and Y)."""
        ordered = sorted(pool, key=lambda m: m.start)
        for a, b in zip(ordered, ordered[1:]):
            ia = _norm_index(norm, a.start - sent.start)
            ib = _norm_index(norm, b.start - sent.start)
            before = norm.text[max(0, ia - 6):ia]
            middle = norm.text[_norm_index(norm, a.end - sent.start):ib]
            if "بين" in before and middle.strip() in ("و", "") and _name(a.value) != _name(b.value):
                return a, b
        return None

    def _role_of(self, m: Mention, cand: _Candidate, sent: Sentence, norm: Normalized) -> tuple[str, str]:
        """Perpetrator or victim, from the words just before the actor's name."""
        if not _is_unnamed_armed(m.value) and any(t.start <= m.start < t.end for t in cand.trigger_spans):
            # "قتل خمسة مدنيين في غارة جوية أمريكية": a force named by its own strike carried it out,
            # whatever death word stands before it.
            return "perp", f"'{m.text}' names the attack itself with its force"
        rel = m.start - sent.start
        # Look back up to ~25 normalised characters for a role cue with no other actor in between.
        window_start = max(0, _norm_index(norm, rel) - 25)
        before = norm.text[window_start:_norm_index(norm, rel)]
        cues = cue_matcher().find(before)
        death_before = any(t.reports_deaths for _, _, t in trigger_matcher().find(before))
        trigger_at = _norm_index(norm, cand.trigger_spans[0].start - sent.start)
        actor_end = _norm_index(norm, m.end - sent.start)
        if actor_end <= trigger_at:
            between = norm.text[actor_end:trigger_at]
            passive = next((c for _, _, c in cue_matcher().find(between) if c.cue == "passive"), None)
            if passive is not None:
                return "victim", f"'{m.text}' {passive.pattern.rstrip('*')} (was subjected to) the attack"
        if cand.sub_event_type in _TERRITORY_SUBS and _TAKEN_FROM_RE.search(before):
            # "تحرير عدن من الميليشيات الحوثية", "من قبضة الحوثيين": the side the place was taken from.
            return "victim", f"'{m.text}' after من: the side the place was taken from"
        if cand.sub_event_type in _TERRITORY_SUBS and _CAPTURE_VERB_RE.search(before):
            # "الذي سيطرت عليه المقاومة": the subject right after a capture verb took the place.
            return "perp", f"'{m.text}' is the subject of the capture verb before it"
        met_death = re.search(r"(?:^|\s)(?:لقي|لقوا|يلقي)\s", before)  # "لقي ... مصرعه" spans the dead's names
        after = norm.text[actor_end:actor_end + (80 if met_death else 30)]
        death_after = [(a, t) for a, _, t in trigger_matcher().find(after) if t.reports_deaths]
        if death_after and (met_death or _COUNT_OF_RE.search(before)):
            # "لقي 13 عنصرا من الحوثيين مصرعهم", "16 من ميليشيات الحوثي قتلوا": those who died.
            return "victim", f"'{m.text}' is counted among the dead ('{after[death_after[0][0]:].split()[0]}')"
        if death_after and death_after[0][0] <= 2 and _PASSIVE_DEATH_RE.match(after[death_after[0][0]:]):
            # "إن جنديين قتلا وأصيب أربعة", "شرطيان قتلا في هجوم": the death verb right after them with no
            # object of its own reads as a passive (they were killed); "مسلحون قتلوا خمسة" has an object.
            return "victim", f"'{m.text}' right before '{after[death_after[0][0]:].split()[0]}' with no object: those killed"
        for _, _, cue in reversed(cues):
            if cue.cue == "ally":
                return "ally", f"'{cue.pattern.rstrip('*')}' before '{m.text}': on the attacker's side"
            if cue.cue == "perpetrator":
                return "perp", f"'{cue.pattern.rstrip('*')}' before '{m.text}' marks the perpetrator"
            if cue.cue == "attribution":
                if re.search(r"(?:^|\s)(?:الي|ل)\s*$", before):
                    return "perp", f"'{m.text}' after '{cue.pattern.rstrip('*')} ... إلى': the attack is attributed to it"
                return "source", f"'{m.text}' right after '{cue.pattern.rstrip('*')}': who attributes the attack, not a side"
            if cue.cue == "target":
                return "victim", f"'{cue.pattern.rstrip('*')}' before '{m.text}' marks the target"
        if before.rstrip().endswith("ل") or re.search(r"\bل\s*$", before):
            # "هجوم لداعش" is the group's attack; "آخر جيب لتنظيم داعش" is the group's pocket;
            # "مصرعهم بقصف لميليشيا الحوثي": the attack word is nearer than the death word.
            head = " ".join(before.rstrip().rstrip("ل").split()[-2:])
            if any(not t.reports_deaths for _, _, t in trigger_matcher().find(head)):
                return "perp", f"'{m.text}' attached with لـ to the attack word (attack 'of' the group)"
            if _TARGETED_RE.search(norm.text[max(cand.clause.start, _norm_index(norm, rel) - 50):_norm_index(norm, rel)]):
                # "استهدف هجوم حاجزا أمنيا لمقاتلين أكراد": the target belongs to the group.
                return "victim", f"'{m.text}' owns what the attack targeted (لـ after the target)"
        if death_before:
            return "victim", f"'{m.text}' follows a death word: those killed"
        if _COUNT_OF_RE.search(before) and any(t.counts_deaths for _, _, t in trigger_matcher().find(before)):
            # "اغتالت ثلاثة من أفراد الدرك": counted after a killing verb, they are whom it killed.
            return "victim", f"'{m.text}' counted after a killing verb: those killed"
        return "", ""

    def _choose_fatalities(self, doc: Document, cand: _Candidate, in_clause) -> tuple[int | None, str, list[Span]]:
        sent, norm, clause = cand.sentence, cand.norm, cand.clause
        death_hits = [h for h in clause.triggers if h.payload.counts_deaths]
        if not death_hits:
            return 0, "no death reported in the clause", []
        numbers = [m for m in in_clause if m.label == "NUMBER" and isinstance(m.value, int)]
        wounded = [h for h in clause.cues if h.payload.cue == "wounded"]
        total = 0
        used: list[Span] = []
        reasons: list[str] = []
        taken: set[int] = set()
        for h in death_hits:
            best = None
            for num in numbers:
                if id(num) in taken:
                    continue
                n_start = _norm_index(norm, num.start - sent.start)
                n_end = _norm_index(norm, num.end - sent.start)
                wounded_next = any(n_end <= w.start <= n_end + 12 and not any(n_end <= d.start < w.start for d in death_hits)
                                   for w in wounded)
                lo = max(0, n_start - 40)
                subset = _SUBSET_RE.search(norm.text[lo:n_start])
                if subset and not any(lo + subset.start() <= d.start < n_start for d in death_hits):
                    continue  # "57 مدنيا بينهم 12 طفلا وست نساء": parts of a count already given
                if wounded_next or any(0 <= n_start - w.end <= 10 for w in wounded):
                    continue  # "10 جرحى", "وأصيب ثلاثة": the number counts the wounded (not "100 قتيل و150 جريحا")
                if n_start >= h.end:
                    dist = n_start - h.end
                    if dist > 30:
                        continue
                    if any(t.payload.sub_event_type in _CAPTURE_SUBS and h.end <= t.start < n_start
                           for t in clause.triggers):
                        continue  # "أن متطرفا قتل واعتقل 16 شخصا": the count is the arrest's object
                elif n_end <= h.start:
                    dist = h.start - n_end
                    if dist > 45:
                        continue
                    if any(not t.payload.reports_deaths and 0 <= n_start - t.end <= 3 for t in clause.triggers):
                        continue  # "اعتقل عشرات المسلحين وقتل آخرين": the count is the arrest's object
                else:
                    dist = 0
                if best is None or dist < best[0]:
                    best = (dist, num)
            if best is not None:
                n_start = _norm_index(norm, best[1].start - sent.start)
                if n_start >= h.end and person_noun_in_phrase(norm.original_text(h.start, n_start)) is not None:
                    best = None  # "قتل جندي تركي وأحد المسلحين": a person counted before the number
            if best is not None:
                num = best[1]
                taken.add(id(num))
                total += num.value
                used.append(num.span)
                reasons.append(f"{num.value} from '{num.text}' next to '{norm.original_text(h.start, h.end)}'")
                # "قتل 29 من الطوارق و8 من التبو": the dead of each side, listed after one death word.
                last_end = _norm_index(norm, num.end - sent.start)
                for other in sorted(numbers, key=lambda m: m.start):
                    o_start = _norm_index(norm, other.start - sent.start)
                    if id(other) in taken or o_start <= last_end:
                        continue
                    gap = norm.text[last_end:o_start]
                    joined = re.fullmatch(r"[^\d،,.؛]{0,30}\sو\s?", gap) is not None
                    if not joined or any(last_end <= w.start < o_start + 12 for w in wounded):
                        break
                    if any(last_end <= t.start < o_start for t in death_hits):
                        break
                    taken.add(id(other))
                    total += other.value
                    used.append(other.span)
                    reasons.append(f"+ {other.value} from '{other.text}' listed with it")
                    last_end = _norm_index(norm, other.end - sent.start)
                # "مقتل 10 مدنيين وجندي": one more person named without a number.
                more = count_listed_after(norm.original_text(last_end, min(len(norm.text), last_end + 60)))
                if more is not None:
                    total += more.value
                    reasons.append(more.reason)
            else:

                # The words after the death word, up to any "wounded" word ("قتلا وأصيب عشرة"),
                # else the noun right before it ("شخصين قتلا").
                stop = min([w.start for w in wounded if w.start >= h.end] + [len(norm.text), h.end + 25]
                           + [t.start for t in clause.triggers if t.payload.sub_event_type in _CAPTURE_SUBS
                              and t.start >= h.end])
                found = count_in_phrase(norm.original_text(h.start, stop))
                if found is None or not found.value:
                    # ... or an adjective later ("عسكريا تركيا قتل")
                    head = norm.text[max(0, h.start - 30):h.start].split()[-2:]
                    found = person_noun_in_phrase(" ".join(head)) if head else None
                    if found is None and head:
                        found = count_in_phrase(head[-1])
                if found is not None and found.value:
                    total += found.value
                    reasons.append(f"{found.value} from '{found.reason}'")
                    used.append(_doc_span(sent, norm, h.start, h.end, doc))
        if not reasons:
            if not any(h.payload.reports_deaths for h in death_hits):
                # a killing verb with no count ("ذبح الأضاحي", "أعدم الشيخ"): its object may be one person
                # or no person; only a death word implies an unknown toll
                return 0, "no count next to the killing verb and no death word in the clause", []
            return None, "a death word without a number: deaths implied, count unknown", [
                _doc_span(sent, norm, h.start, h.end, doc) for h in death_hits]
        return total, "; ".join(reasons), used

    # ---------------------------------------------------------------- output
    def _sentence_prob(self, cand: _Candidate) -> float | None:
        category = "ASSAULT" if cand.event_type in VIOLENT_TYPES else "PROTEST" if cand.event_type in CROWD_TYPES else None
        if category is None or self.sentence_model is None:
            return None
        return self.sentence_model.prob(cand.sentence.text, category)

    def _drop_reason(self, doc: Document, cand: _Candidate) -> str | None:
        """Why a typed candidate is not coded as an event (None: it is)."""
        if cand.weight < MIN_CONFIDENCE:
            return f"the trigger alone is too weak ({cand.weight:.2f} < {MIN_CONFIDENCE})"
        if not cand.anchors:
            return "nothing ties it to an incident: no date, place, toll, crowd size or actor in its sentence"
        # a named town alone let too many background mentions through
        strong = {"date", "casualties", "dateline", "sourced", "sequel"}
        lede_ok = cand.lede and len(cand.anchors) >= LEDE_MIN_ANCHORS
        if not (lede_ok or cand.anchors & strong):
            return (f"only {', '.join(sorted(cand.anchors))} tie it to an incident; outside the lede it needs a date, "
                    "a toll, a dateline, a source or a sequel")
        date = cand.date[0] if cand.date else None
        if date and doc.published:
            d = dt.date.fromisoformat(date)
            if (doc.published - d).days > HISTORY_DAYS:
                return f"dated {date}, more than {HISTORY_DAYS} days before publication: history"
            if (d - doc.published).days > 1:
                return f"dated {date}, after publication: a plan or an announcement"
        if isinstance(cand.fatalities[0], int) and cand.fatalities[0] >= AGGREGATE_TOLL:
            # "50 ألفا من جنود النظام قتلوا": a war's running total, not one event's toll
            return f"a toll of {cand.fatalities[0]} (>= {AGGREGATE_TOLL}): a running total, not one event"
        if cand.place is None or cand.place[0] is None:
            return "no place named in the sentence or the article: a statement about violence in general"
        if cand.storming and "casualties" not in cand.anchors and not any(
                a and a[2] and _inter(a[0]) in inters for a, inters in ((cand.actor2, (1, 2, 3)), (cand.actor1, (2, 3)))):
            # A raid or an incursion into a place nobody holds by arms ("اقتحم مستوطنون المسجد الأقصى",
            # "اقتحمت قوات الاحتلال المخيم", "اقتحمت الشرطة مركزا تجاريا") with nobody fighting back and nobody
            # killed is no battle (ACLED: fighting between armed groups). Rebels and militias storming, or
            # anyone storming a base or a position ("اقتحمت القوات قاعدة العند"), still fight.
            return "a raid that met no armed side and killed nobody is no battle"
        if cand.sub_event_type == "Arrests" and _criminal_arrest(cand):
            # ACLED codes arrests of armed-group members, protesters and political figures, not of a drug
            # smuggler or a harasser: a sentence that names a crime and nothing political is police work.
            return "an arrest for an ordinary crime, with nothing political named: police work"
        if (cand.sub_event_type in _TERRITORY_SUBS and not any(a and a[2] for a in (cand.actor1, cand.actor2))
                and cand.fatalities[0] == 0):
            # A capture is between a taker and a side that loses the place; with neither named in the
            # sentence and no one killed, the verb is a status regained, a market freed, control of a car
            # lost. ("أعلنت الحكومة تحرير عدن من الحوثيين" names the loser; "جثث الحوثيين" the dead.)
            return "a capture with neither side named and nobody killed"
        if doc.meta.get("subject") == "crime":
            # police news (rasd.nlp.genre): a theft, a quarrel, a qisas is no political violence
            return "the article is police news (nlp.genre): ordinary crime is no political violence"
        if doc.meta.get("genre") == "commentary":
            # A column names wars and massacres as history, rhetoric or example (rasd.nlp.genre);
            # what it reports as news comes with a day and a toll.
            if not {"date", "casualties"} <= cand.anchors:
                return f"a commentary text (nlp.genre: {doc.meta.get('genre_reason')}) codes only what comes with a day and a toll"
            cand.reason += f"; kept from a commentary text for its date and toll (nlp.genre: {doc.meta.get('genre_reason')})"
        return None

    def _to_event(self, doc: Document, cand: _Candidate) -> Event:
        ev = Event()
        ev.sentences = [cand.sentence.index]
        ev.evidence = [Span(cand.sentence.start, cand.sentence.end, cand.sentence.text)]
        ev.set("event_type", cand.event_type, COMPONENT, cand.reason, cand.trigger_spans)
        ev.set("sub_event_type", cand.sub_event_type, COMPONENT, cand.reason, cand.trigger_spans)
        place, precision, preason, pspans = cand.place or (None, 0, "", [])
        country_name = getattr(place, "country", None)
        if place is not None:
            ev.set("country", place.country, "geo.resolve", preason, pspans)
            ev.set("admin1", place.admin1 or "", "geo.resolve", preason, pspans)
            ev.set("location", place.name, "geo.resolve", preason, pspans)
            ev.set("latitude", round(place.lat, 4), "geo.resolve", preason, pspans)
            ev.set("longitude", round(place.lon, 4), "geo.resolve", preason, pspans)
            ev.set("geo_precision", precision, "geo.resolve", preason, pspans)
        else:
            for f in ("country", "admin1", "location", "latitude", "longitude", "geo_precision"):
                ev.set(f, None, "geo.resolve", preason)
        date, tprec, dreason, dspans = cand.date or (None, 2, "", [])
        ev.set("event_date", date, "text.dates", dreason, dspans)
        ev.set("time_precision", tprec, "text.dates", dreason, dspans)
        actor2 = cand.actor2
        if actor2 is not None and cand.actor1 is not None and (
                self._actor_name(actor2[0], country_name)[0] == self._actor_name(cand.actor1[0], country_name)[0]):
            actor2 = None  # "the army regained ... from the army's own": one party named twice is one party
        for slot, val in (("actor1", cand.actor1), ("actor2", actor2)):
            if val is None:
                ev.set(slot, "", "nlp.actors", "no second party named" if slot == "actor2" else "no actor")
                ev.set("inter" + slot[-1], None, "nlp.actors", "no actor")
                continue
            actor, why, spans = val
            name, inter = self._actor_name(actor, country_name)
            ev.set(slot, name, "nlp.actors", why, spans)
            ev.set("inter" + slot[-1], inter, "nlp.actors", f"ACLED interaction code of {name}", spans)
        if cand.assoc1 is not None:
            actor, why, spans = cand.assoc1
            ev.set("assoc_actor_1", self._actor_name(actor, country_name)[0], "nlp.actors", why, spans)
        else:
            ev.set("assoc_actor_1", "", "nlp.actors", "no ally of actor1 named")
        ev.set("assoc_actor_2", "", "nlp.actors", "allies of the target are not coded")
        fat, freason, fspans = cand.fatalities
        ev.set("fatalities", fat, COMPONENT, freason, fspans)
        # Rule strength and concrete anchors, blended with the learned sentence filter where it
        # applies (rasd.nlp.sentence_model: does this sentence report an assault/protest?). Used to
        # rank and filter events, never to drop them here: on articles it cost more recall than it saved.
        rule_conf = min(1.0, cand.weight * 0.7 + 0.1 * len(cand.anchors))
        prob = self._sentence_prob(cand)
        ev.confidence = rule_conf if prob is None else 0.5 * rule_conf + 0.5 * prob
        return ev

    def _actor_name(self, actor: Any, country_name: str | None) -> tuple[str, int | None]:
        if isinstance(actor, str):
            inter = {"Civilians": 7, "Protesters": 6, "Rioters": 5, "Unidentified Armed Group": 3}.get(actor)
            return _fill_country(actor, country_name), (1 if "{country}" in actor else inter)
        resolved = self.actors.resolve_generic(actor, country_name)
        return _fill_country(resolved.name, country_name), resolved.inter


# ------------------------------------------------------------------ helpers
# Past-time expressions the date tagger leaves vague: "قبل ثلاثة أشهر", "قبل عامين", "منذ 1974",
# "عام 2002", "في مايو الماضي". They mark a clause as history rather than a new report.
_AGO_RE = re.compile(
    r"(?:قبل|منذ|بعد مرور)\s+(?:(?:حوالي|نحو|اكثر من|اقل من|قرابه)\s+)?(?:\S+\s+)?"
    r"(?:اشهر|شهور|شهرين|اعوام|سنوات|عامين|سنتين|عام|سنه|عقود|عقد|اسابيع)(?!\w)"
    # "شن النظام خلال تسعة أشهر 26350 غارة": a total over months, not one event
    r"|(?:^|\s)خلال\s+(?:(?:حوالي|نحو|اكثر من|اقل من|قرابه)\s+)?(?:\S+\s+)?(?:اشهر|شهور|اعوام|سنوات)(?!\w)"
)
_YEAR_RE = re.compile(
    r"(?<!\d)(19[0-9]{2}|20[0-9]{2})(?!\d)"
    # older years only as years ("عام 1948", "8 أغسطس (آب) 1516"), not counts ("1554 سيارة")
    r"|(?:عام|سنه|يناير|فبراير|مارس|ابريل|مايو|يونيو|يوليو|اغسطس|سبتمبر|اكتوبر|نوفمبر|ديسمبر)"
    r"(?:\s*\([^)]{0,12}\))?\s+(1[0-8][0-9]{2})(?!\d)"
)
_MONTH = r"(?:يناير|فبراير|مارس|ابريل|مايو|يونيو|يوليو|اغسطس|سبتمبر|اكتوبر|نوفمبر|ديسمبر)(?:\s*\(\S+(?:\s\S+)?\))?"
_MONTHS_PAST_RE = re.compile(
    rf"(?:في|مطلع|اوايل|اواسط|اواخر|منتصف)\s+(?:شهر\s+)?{_MONTH}\s+(?:الماضي|المنصرم)"
    # "بين سبتمبر (ايلول) ويناير (كانون الثاني) الماضيين": a span of past months
    rf"|بين\s+(?:شهري\s+)?{_MONTH}\s+و\s?{_MONTH}\s+(?:الماضيين|الماضي|المنصرمين)"
)


# A sentence that opens on its place: "وفي مدينة تعز،", "في محافظة إب".
# One alternation of the reporting verbs (resources/speech_verbs.tsv) for the position rules below.
_SPEECH = "(?:" + "|".join(speech_verbs()) + ")"
_FRESH_REPORT_RE = re.compile(
    rf"^\W*(?:و|ف)?{_SPEECH}\s+(?:\S+\s+)?(?:مصادر|مصدر|شهود|سكان|ناشطون|مراسل)\s"
)
_MOVEMENT_RE = re.compile(
    r"(?:^|\s)(?:(?:و|ف)?(?:ال)?(?:متجه\S*|فر|فروا|فرار|هرب\S*|هروب\S*|نزح\S*|لجا|لجات|لجاوا|لجوء)\s+(?:\S+\s+){0,5}"
    r"(?:الي|نحو|باتجاه)"
    r"|(?:و|ف)?(?:ال)?(?:اقلع\S*|قادم\S*)\s+(?:\S+\s+)?من)\s+(?:\S+\s+){0,2}$"
)
# "وقال إردوغان خلال زيارة إلى الشطر الشمالي من قبرص": where the speaker is visiting, not where what he
# speaks of happened (an attempt on a minister "خلال زيارة إلى تونس" happened there).
_SPEAKER_VISIT_RE = re.compile(
    rf"(?:^|\s)(?:و|ف)?{_SPEECH}\s+(?:\S+\s+){{0,5}}(?:خلال|اثناء|في)\s+(?:زياره|زيارت)\S*\s+"
    r"(?:(?:الي|ل)\s*)?(?:\S+\s+){0,3}(?:ل)?$"
)
# Openers that turn to another story: what follows does not continue the event reported before.
_TOPIC_SHIFT_RE = re.compile(
    r"^\W*(?:و)?(?:الي ذلك|من جهه اخري|من جهه ثانيه|من ناحيه اخري|من ناحيه ثانيه|في سياق اخر|علي صعيد اخر|في شان اخر)"
)
# A storming word, and what a storming takes when it is an assault on the enemy: a base, a camp,
# barracks, positions.
_STORMING_RE = re.compile(r"^(?:اقتحم|اقتحام)")
_MILITARY_OBJECT_RE = re.compile(r"(?:^|\s)(?:ال)?(?:قاعده|معسكر|ثكن\S*|مواقع|موقع|مقر\s+(?:ال)?(?:لواء|فرقه|كتيبه|قياده))(?!\S)")
# The attack word followed right away by "التي/الذي" and a practice verb in the present tense
# ("الضربات الجوية التي يشنها التحالف"; not "طيران التحالف الذي تقوده السعودية", which names the coalition).
_HABITUAL_RE = re.compile(
    r"^\s+(?:(?:التي|الذي)\s+(?:ي|ت)(?:نفذ|شن|قود|ستهدف|واصل)\S*"
    # an indefinite noun's relative clause has no التي: "هجمات تشنها حركة الشباب" (attacks it launches)
    r"|(?:ي|ت)(?:نفذ|شن)(?:ها|ونها)(?!\S))"
)
# "من جهتها، أعلنت" / "وأعلن": a speech verb opening the sentence (after a discourse opener).
_PARTY_REPORT_RE = re.compile(rf"^\W*(?:(?:و|ف)?من\s+جهت\S*\W+|(?:و|ف)?بدور\S*\W+)?(?:و|ف)?{_SPEECH}\s")
# A party's own forces ("قواتها", "عناصره", "طائراته", "مدفعيته"): what they do, the party does.
_OWN_FORCES = r"(?:قوات|عناصر|مقاتلي|وحدات|جنود|طايرات|مقاتلات|طيران|مدفعيت|دوريات|رجال)(?:ها|ه|هم)"
# "... أن قواتها / عناصره / مقاتليها": what follows is the party's own forces' doing.
_OWN_FORCES_RE = re.compile(rf"^\W*(?:ب)?(?:ان|انه|انها)\s+(?:\S+\s+)?{_OWN_FORCES}\s")
# What a speaker's name is followed by before the report it gives: "في بيان", "اليوم", then أن/إن
# (not "أنه/إنها": a pronoun subject reports the speaker's own doing).
_REPORTED_CLAUSE_RE = re.compile(r"^(?:\s+\S+){0,4}?\s+(?:ب)?ان(?=\s)")
# "أن طائراته", "إن قواتها" right after the complementizer: the report is of the speaker's own forces.
_OWN_DOING_RE = re.compile(rf"^\s+(?:\S+\s+)?{_OWN_FORCES}(?!\S)")
# Verbs of a government's condemnation or welcome, before or after the country that speaks.
_CONDEMNS = r"(?:ادان|ادانت|دانت|ندد|نددت|تندد|استنكر|استنكرت|تستنكر|شجب|شجبت|رحب|رحبت|ترحب|تدين|يدين|دعت|طالبت)"
_REACTION_AFTER_RE = re.compile(rf"^\W*\s*{_CONDEMNS}\s")
_REACTION_BEFORE_RE = re.compile(rf"(?:^|\s)(?:و|ف)?{_CONDEMNS}\s+$")
_SPEECH_BEFORE_RE = re.compile(rf"(?:^|\s)(?:و|ف)?{_SPEECH}\s+$")
# "بعيد هذا التفجير", "بعد دقائق على التفجير", "بعد ساعات من الهجوم": shortly after an event just reported.
_SHORTLY_AFTER_RE = re.compile(
    r"(?:^|\s)(?:و|ف)?(?:بعيد\s+(?:هذا\s+|ذلك\s+)?|(?:بعد|عقب)\s+(?:هذا|ذلك)\s+"
    r"|(?:بعد|بعيد)\s+(?:دقايق|دقيقه|ساعات|ساعه|لحظات)\s+(?:من|علي)\s+(?:هذا\s+)?)"
    r"(?:ال)?(?:تفجير|انفجار|هجوم|اعتداء|قصف)"
)
_TIME_REFERENCE_RE = re.compile(r"(?:^|\s)(?:و|ف)?(?:بعد|منذ|عقب|قبيل|اثر)\s+$")
_DATELINE_RE = re.compile(r"^\W*(?:و|ف)?(?:في|الي)\s+(?:\S+\s+)?$")
_CAPTURE_SUBS = frozenset({"Arrests", "Abduction/forced disappearance"})
_TERRITORY_SUBS = frozenset({"Non-state actor overtakes territory", "Government regains territory"})
_CAPTURE_VERB_RE = re.compile(r"(?:^|\s)(?:و|ف)?(?:سيطر|سيطرت|سيطروا|استعاد|استعادت|استعادوا)\s+(?:عليه|عليها|عليهم)?\s*$")
# What follows lost the place: "من" after "قبضة/أيدي/سيطرة" or after a liberation verb and its place
# ("تحرير عدن من ..."; "قوات من الجيش" is not), or the object of an expulsion ("طرد الحوثيين").
_TAKEN_FROM_RE = re.compile(
    r"(?:(?:^|\s)(?:من|عن)\s+(?:قبضه|ايدي|يد|سيطره|براثن)\s+(?:\S+\s+)?"
    r"|(?:تحرير|تحرر|حرر|حررت|حرروا|استعاده|استعاد|استعادت|استعادوا|طرد|طردت|طردوا)\s+(?:\S+\s+){1,2}من\s+"
    r"|(?:^|\s)(?:و|ف|ب)?(?:ال)?(?:طرد|طردت|طردوا)\s+)$"
)
# "استهدف ... حاجزا لمقاتلين": the verb of targeting, then its object, with no clause break between.
_TARGETED_RE = re.compile(r"(?:^|\s)(?:و|ف)?(?:استهدف|استهدفت|استهدفوا|يستهدف|تستهدف)\s[^،,.؛:]*$")
_ACT_NOUN_RE = re.compile(r"(?:^|\W)(?:ال)?(?:عمل|هجوم|اعتداء|تفجير|عمليه|حادث|جريمه|هجمات|اعمال|تفجيرات)\s+$")
_SUBSET_RE = re.compile(r"(?:^|\s)(?:بينهم|بينهن|منهم|منهن)\s+[^،,.؛:]{0,30}$")
# "13 عنصرا من", "نحو 16 من": a count of members of the group that follows.
# Killing the captive: executions and slaughter stay attacks on the defenceless (ACLED), whoever is killed.
_EXECUTION_RE = re.compile(r"^(?:اعدم|اعدام|ذبح|نحر)")
# A death verb followed by no object: "قتلا وأصيب", "قتلوا في هجوم", "قتل،", "قتلوا جراء".
_PASSIVE_DEATH_RE = re.compile(
    r"^(?:قتل|قتلا|قتلوا|قتلت|قتلتا|استشهد|استشهدا|استشهدوا)(?:\s*[،,.]|\s*$|\s+(?:و\S*|في|ب\S*|جراء|اثر|خلال|عندما|حين|بعد)(?!\S))")
_COUNT_OF_RE = re.compile(
    r"(?:\d+|عشرات|مئات|عدد|احد|اثنين|اثنان|ثلاثه|اربعه|خمسه|سته|سبعه|ثمانيه|تسعه|عشره)\s+(?:\S+\s+)?من\s+"
    r"(?:(?:افراد|عناصر|رجال|منتسبي)\s+)?$")
# "قالت مصادر إن ...": the words before an actor end on the complementizer of a reported clause.
_COMPLEMENTIZER_END_RE = re.compile(r"(?:^|\s)(?:ان|بان|لان|انه)\s+$")
# "وكانت ... قد" (the pluperfect) and "يذكر أن / تجدر الإشارة إلى أن" (it is worth recalling that): news
# opens background with these; without a date of its own such a sentence recalls, it does not report.
_BACKGROUND_RE = re.compile(
    r"^\W*(?:و|ف)?(?:(?:كان|كانت|كانوا)\s"
    r"|(?:يذكر|يشار\s+الي|(?:ال)?جدير\s+بالذكر|تجدر\s+الاشاره\s+الي|مما\s+يذكر)\s+(?:ان|انه)\b)"
)
_REPORTED_RE = re.compile(
    rf"^\W*(?:و|ف)?(?:كان|كانت|كانوا)\s+(?:\S+\s+){{0,3}}?{_SPEECH}\b"
)


def _criminal_arrest(cand: _Candidate) -> bool:
    """The sentence names an ordinary crime (``genre_cues.tsv``, kind crime: drugs, theft, harassment...)
    and nothing political (kind political), and no armed, political or identity group is a party."""
    if any(a and a[2] and _inter(a[0]) in (2, 3, 4, 5, 6) for a in (cand.actor1, cand.actor2)):
        return False
    counts = cue_counts(cand.norm.text)
    return counts["crime"] > 0 and counts["political"] == 0


_HARAKAT_RE = re.compile("[\u064B-\u0652]")
_ARABIC_LETTER_RE = re.compile("[\u0621-\u064A]")


def _vocalized(text: str) -> bool:
    """Verse, scripture and sermons are written with their vowels ("شُدِّي رِكابَكِ يا أحْزانُ"); news
    prose is not (a shadda here and there). A sentence with a vowel mark on a third of its letters
    is no report."""
    letters = len(_ARABIC_LETTER_RE.findall(text))
    return letters >= 20 and len(_HARAKAT_RE.findall(text)) >= letters / 3


def _is_history(clause_norm: str, published: dt.date | None) -> bool:
    if _AGO_RE.search(clause_norm) or _MONTHS_PAST_RE.search(clause_norm):
        return True
    if published is not None:
        for m in _YEAR_RE.finditer(clause_norm):
            if int(m.group(1) or m.group(2)) < published.year:
                return True
    return False


# An article is about a country once it names it (or its places) this often.
_ARTICLE_COUNTRY_MENTIONS = 2


def _stray_namesake(m: Mention, context: Counter, names_by_country: dict[str, set[str]]) -> bool:
    """A town of a country the article names through no other name, in an article about another
    country: "منطقة بوسان" in a story from Yemen is a Yemeni village GeoNames lacks, not Busan, Korea;
    "بركي براك" in Afghanistan is not Brak, Libya, however often it is repeated."""
    countries = {p.country_iso2 for p in m.value}
    if len(countries) != 1 or any(p.kind in ("country", "admin1") for p in m.value):
        return False
    (country,) = countries
    alone = names_by_country.get(country, set()) <= {normalize_plain(m.text)}
    return alone and any(n >= _ARTICLE_COUNTRY_MENTIONS for c, n in context.items() if c != country)


def _lies_in(town: Any, area: Any) -> bool:
    """Whether ``town`` is inside ``area`` (a country or a province)."""
    if getattr(town, "country", None) != getattr(area, "country", None):
        return False
    if getattr(area, "kind", "") == "admin1":
        return bool(town.admin1) and _same_name(town.admin1, area.admin1 or area.name)
    return getattr(area, "kind", "") == "country"


def _same_name(a: str, b: str) -> bool:
    key = lambda x: re.sub(r"[^a-z]", "", x.lower().replace("governorate", "").replace("state", ""))
    return key(a) == key(b) or key(a) in key(b) or key(b) in key(a)


def _main_armed_actors(doc: Document) -> list[Any]:
    """Named armed actors of the article, most mentioned first (the parties to its conflict)."""
    counts: Counter = Counter()
    first: dict[str, Any] = {}
    for m in doc.mentions:
        if m.label != "ACTOR" or isinstance(m.value, str):
            continue
        inter = getattr(m.value, "inter", None)
        if inter in (1, 2, 3, 4, 8) and getattr(m.value, "kind", "named") == "named":
            counts[m.value.name] += 1
            first.setdefault(m.value.name, m.value)
    return [first[n] for n, _ in counts.most_common()]


def _shift(day: dt.date | None, days: int) -> dt.date | None:
    """``day`` moved by ``days``, or None at the ends of the calendar (absurd publication dates)."""
    if day is None:
        return None
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return None


def _fill_country(name: str, country: str | None) -> str:
    """"Police Forces of {country}" with the event's country, or without the slot when none is known."""
    if "{country}" not in name:
        return name
    if country:
        return name.replace("{country}", country)
    return re.sub(r"\s*(?:of\s*\{country\}|\(\{country\}\)|\{country\})", "", name).strip()


def _words(hits: list[_Hit]) -> str:
    return "، ".join(dict.fromkeys(h.payload.pattern.rstrip("*") for h in hits))


def _explosion_types(hits: list[_Hit], kinds: set[str]) -> list[tuple[str, list[_Hit], str]]:
    """Explosion sub-types named in one clause: one event per distinct weapon.

    Generic words (تفجير, قصف, عبوة) only decide the sub-type when nothing more
    specific is named; a suicide attack absorbs the bomb it used; a bombardment
    with an aircraft cue is an air strike.
    """
    specific: dict[str, list[_Hit]] = {}
    generic = [h for h in hits if h.payload.role == "generic"]
    for h in hits:
        if h.payload.role != "generic":
            specific.setdefault(h.payload.sub_event_type, []).append(h)
    if "Suicide bomb" in specific:
        # "فجر نفسه بقنبلة يدوية", "فجر نفسه بسيارة مفخخة": the bomb or grenade is what the suicide attack used
        for used in ("Remote explosive/landmine/IED", "Grenade"):
            specific["Suicide bomb"] += specific.pop(used, [])
    if not specific:
        sub = _best_sub("Explosions/Remote violence", generic)
        reason = f"trigger '{_words(generic)}' → {sub}"
        if sub == "Shelling/artillery/missile attack" and "air" in kinds:
            sub = "Air/drone strike"
            reason += "; aircraft cue in the clause makes the bombardment an air strike"
        return [(sub, generic, reason)]
    out = []
    for sub, sub_hits in specific.items():
        reason = f"trigger '{_words(sub_hits)}' → {sub}"
        if generic:
            reason += f" (generic '{_words(generic)}' gives way to it)"
        out.append((sub, sub_hits + generic, reason))
    return out


def _best_sub(etype: str, hits: list[_Hit]) -> str:
    subs = {h.payload.sub_event_type for h in hits}
    for sub in SUB_TYPE_PRIORITY.get(etype, ()):
        if sub in subs:
            return sub
    return max(hits, key=lambda h: h.payload.weight).payload.sub_event_type


# How far (normalised characters) a gathering verb and its crowd may be apart: "تجمع مئات
# المتظاهرين", "احتشد الآلاف", "المتظاهرون الذين تجمعوا".
_CROWD_WINDOW = 30
# A gathering noun this close after an attack word is its object ("قصف تجمعات الحوثيين").
_TARGET_GAP = 12


def _gathering_of_crowd(roles: dict[str, list[_Hit]], clause: _Clause, text: str) -> bool:
    """A gathering verb whose subject is a crowd: a size right after it, or protesters next to it.

    Keeps "نقطة تجمع لمتشددي داعش" (a gathering point) and "خرجت الطائرات" from naming a protest.
    """
    participants = roles.get("crowd", [])
    sizes = [h for h in clause.cues if h.payload.cue == "crowd_size"]
    violent = [h for h in clause.triggers if h.payload.event_type in VIOLENT_TYPES
               and h.payload.role in ("event", "killing", "generic", "attack")]
    for g in roles.get("gathering", []):
        if any(0 <= g.start - v.end <= _TARGET_GAP for v in violent):
            continue  # "قصفوا تجمعات لعدد من الأطفال", "استهدف تجمعا": the gathering is what was hit
        if any(re.search(r"\d", tok) for tok in text[g.end:g.end + _CROWD_WINDOW].split()[:2]):
            return True  # "تجمع 200 شخص", "تظاهر نحو 200" (not "خرج المصاب رقم 119 من المستشفى")
        if any(g.end <= m.start <= g.end + _CROWD_WINDOW for m in sizes + participants):
            return True
        if any(g.start - _CROWD_WINDOW <= m.end <= g.start for m in participants):
            return True
    return False


def _crowd_occurrence(roles: dict[str, list[_Hit]], kinds: set[str], crowd_gathered: bool) -> bool:
    """Whether weak crowd words report a protest taking place rather than describe one.

    A crowd that gathers ("تجمع مئات المتظاهرين"), or protesters dispersed by the authorities or
    turning violent, is the protest itself; protesters who chant or demand are the crowd of a
    protest the article reports elsewhere.
    """
    if crowd_gathered:
        return True
    return bool(roles.get("crowd")) and ("intervention" in kinds or bool(roles.get("riot")))


def _territory_by_taker(cand: _Candidate) -> None:
    """ACLED names a capture by who takes the place: state forces regain, rebels overtake.

    The verb decides only for militias and foreign forces, which fight on either side.
    """
    if cand.sub_event_type not in _TERRITORY_SUBS or cand.actor1 is None or not cand.actor1[2]:
        return
    inter = _inter(cand.actor1[0])
    sub = {1: "Government regains territory", 2: "Non-state actor overtakes territory"}.get(inter or 0)
    why = f"taken by {'state forces' if inter == 1 else 'a rebel group'} ({_name(cand.actor1[0])})"
    if sub is None and cand.actor2 is not None and cand.actor2_suffered:
        # A militia that drives rebels out fights for the government ("طرد المتمردين من التواهي").
        lost = _inter(cand.actor2[0])
        sub = {2: "Government regains territory", 1: "Non-state actor overtakes territory"}.get(lost or 0)
        why = f"taken from {'a rebel group' if lost == 2 else 'state forces'} ({_name(cand.actor2[0])})"
    if sub and sub != cand.sub_event_type:
        cand.sub_event_type = sub
        cand.reason += f"; {why} → {sub}"


def _arrests_by_armed_groups(cand: _Candidate) -> None:
    """Only authorities arrest: people seized by a rebel group or militia are abducted (ACLED)."""
    if (cand.event_type, cand.sub_event_type) != ("Strategic developments", "Arrests"):
        return
    if cand.actor1 is None or not cand.actor1[2] or _inter(cand.actor1[0]) not in (2, 3, 4):
        return
    if not _subject_of_trigger(cand, cand.actor1[2][0]):
        return  # "اعتقال خلية تابعة لحماس", "عناصر داعش الذين تم اعتقالهم": the group is the one arrested
    cand.event_type, cand.sub_event_type = "Violence against civilians", "Abduction/forced disappearance"
    cand.reason += f"; seized by a non-state armed group ({_name(cand.actor1[0])}): abduction, not arrest"
    if cand.actor2 is None or _inter(cand.actor2[0]) != 7:
        cand.actor2 = ("Civilians", "people seized by an armed group are civilians unless named", [])


def _subject_of_trigger(cand: _Candidate, actor: Span) -> bool:
    """The actor does what the trigger verb says: before it with no relative or passive in between
    ("الحوثيون اعتقلوا"), or right after a verb ("اعتقل تنظيم داعش"), never after a verbal noun."""
    trig = cand.trigger_spans[0]
    sent = cand.sentence
    text = sent.text
    a_start, a_end = actor.start - sent.start, actor.end - sent.start
    t_start, t_end = trig.start - sent.start, trig.end - sent.start
    if a_end <= t_start:
        between = normalize_plain(text[a_end:t_start])
        return len(between) <= 40 and not re.search(r"(?:^|\s)(?:تم|الذين|الذي|التي|اللذين)(?:\s|$)", between)
    word = normalize_plain(text[t_start:t_end])
    is_verb = not re.match(r"(?:و|ف|ب|ل)?(?:ال)?(?:اعتقال|مداهم|احتجاز|توقيف|قبض|اختطاف|حمله)", word)
    return is_verb and 0 <= a_start - t_end <= 3


def _arrest_of_plotters(clause: _Clause) -> bool:
    """An arrest told before the plot the arrested were up to ("يعتزم اعتقال", "هدد باعتقال" are plans)."""
    plans = [h for h in clause.cues if h.payload.cue == "irrealis"]
    arrests = [h for h in clause.triggers if h.payload.sub_event_type == "Arrests" and h.payload.weight >= 0.8]
    # the arrest is told first, the plot after it ("اعتقال 8 أشخاص كانوا يخططون لاعتداءات")
    return bool(arrests) and bool(plans) and min(a.start for a in arrests) < min(p.start for p in plans)


def _civilian_victims(kinds: set[str], clause: _Clause, text: str, attacked: bool = False) -> bool:
    if "civilians" in kinds and "armed" not in kinds:
        return True
    if "person" in kinds and ("perpetrator" in kinds or attacked) and "armed" not in kinds:
        # "قتل شاب برصاص الجيش", "هجوم ... أدى إلى مقتل طفل": a young man or a child killed by someone
        # named or in an attack; "طفل قتل عندما انهار منزله" is no attack
        return True
    # "مسلحو بوكو حرام ... قتلوا 43 شخصا": the armed ones are the killers; who follows the death word
    # is who died.
    return _killed_kinds(clause, text) == {"civilians"}


# "لقي ثلاثة مدنيين مصرعهم": the verb opens a span that names the dead before the death word.
_MET_DEATH_RE = re.compile(r"(?:^|\s)(?:و|ف)?(?:لقي|لقيت|لقوا|يلقي)\s[^،,.؛:]{0,40}$")


def _killed_kinds(clause: _Clause, text: str) -> set[str]:
    """The civilians/armed cues that name who died: after a death word (with at most a count between
    them), or between "لقي" and "مصرعه"."""
    out: set[str] = set()
    deaths = [h for h in clause.triggers if h.payload.reports_deaths]
    people = [h for h in clause.cues if h.payload.cue in ("civilians", "armed")]
    for d in deaths:
        lo = max(clause.start, d.start - 50)
        met = _MET_DEATH_RE.search(text[lo:d.start]) if d.payload.role == "died" else None
        for h in people:
            if met is not None:  # what follows "لقي ... مصرعه" is how they died ("برصاص مسلحين")
                if lo + met.start() <= h.start < d.start:
                    out.add(h.payload.cue)
            elif d.end <= h.start <= d.end + _KILLED_WINDOW:
                out.add(h.payload.cue)
    return out


def _inside_name(h: _Hit, norm: Normalized, name_spans: list[tuple[int, int]]) -> bool:
    s, e = norm.to_original(h.start, h.end)
    return any(a <= s and e <= b for a, b in name_spans)


def _norm_index(norm: Normalized, original_index: int) -> int:
    """The position in the normalised text of an original character index (first at or after it)."""
    import bisect

    return bisect.bisect_left(norm.offsets, original_index)


def _clause_doc_bounds(sent: Sentence, norm: Normalized, clause: _Clause) -> tuple[int, int]:
    s, e = norm.to_original(clause.start, clause.end) if clause.end > clause.start else (0, 0)
    return sent.start + s, sent.start + e


def _most_specific_kind(places: Any) -> int:
    order = {"site": 0, "populated": 0, "admin1": 1, "country": 2}
    kinds = [order.get(getattr(p, "kind", "populated"), 0) for p in (places if isinstance(places, list) else [places])]
    return min(kinds) if kinds else 3


def _is_unnamed_armed(actor: Any) -> bool:
    """"Gunmen", "suicide bombers": an armed actor the text does not name."""
    return _name(actor) == "Unidentified Armed Group"


def _name(actor: Any) -> str:
    return actor if isinstance(actor, str) else getattr(actor, "name", str(actor))


def _inter(actor: Any) -> int | None:
    if isinstance(actor, str):
        return {"Civilians": 7, "Protesters": 6, "Rioters": 5}.get(actor)
    return getattr(actor, "inter", None)


def _merge(events: list[Event]) -> list[Event]:
    """One event per (type, place, day), ACLED's unit (per weapon for explosions). Keeps all evidence."""
    merged: list[Event] = []
    index: dict[tuple, Event] = {}
    for ev in events:
        by_sub = ev["event_type"] in MERGE_BY_SUB_TYPE
        key = (ev["event_type"], ev["sub_event_type"] if by_sub else "", ev["location"], ev["event_date"])
        prev = index.get(key)
        if prev is None:
            index[key] = ev
            merged.append(ev)
            continue
        _absorb(prev, ev)
    return merged


def _coreferent(events: list[Event], ev: Event, dated: bool, same_type: bool = False,
                types: tuple[str, ...] = VIOLENT_TYPES, toll_update: bool = False,
                recalled: bool = False, own_place: bool = True) -> Event | None:
    """A precisely typed violent event that a generic attack/killing mention ``ev`` refers back to.

    Same place (or ``ev`` only knows the country) and, when ``ev`` carries its own date cue,
    the same day within one.
    """
    matches: list[Event] = []
    for target in events:
        if target["event_type"] not in types:
            continue
        if same_type and target["event_type"] != ev["event_type"]:
            continue
        # A mention with no place and no toll of its own ("الأرض التي اسودت بفعل الانفجار") only
        # inherited a place from the article: it has nothing to disagree with.
        same_place = (not own_place and not ev["fatalities"]) or target["location"] == ev["location"] or (
            not same_type and ev["geo_precision"] == 3 and target["country"] == ev["country"]
        )
        if not same_place:
            continue
        if dated:
            # A mention with its own date cue only joins an event whose date also comes from the text.
            if not (target.decisions.get("event_date") and target.decisions["event_date"].spans):
                continue
            if target["event_date"] and ev["event_date"]:
                if target["event_date"] != ev["event_date"]:
                    continue
        matches.append(target)
    if not matches:
        return None
    if recalled:
        # "وكانت انتحاريتان نفذتا تفجيرين ...": a pluperfect recollection is about an older event
        # than the article's news, when the article dates one.
        newest = max((t["event_date"] for t in matches if t["event_date"]), default=None)
        older = [t for t in matches if t["event_date"] and t["event_date"] < newest]
        matches = older or matches
    # "the attack" points back at the last event reported before it, else the first one after it.
    here = ev.evidence[0].start if ev.evidence else 0
    before = [t for t in matches if t.evidence and t.evidence[0].start <= here]
    if toll_update:
        # "ارتفع عدد القتلى إلى 20" revises a toll already given: an earlier event with no toll
        # (an older attack recalled in passing) is not the one being counted.
        counted = [t for t in before if t["fatalities"]]
        before = counted or before
    if before:
        # The latest sentence wins; inside one sentence the main clause comes first and a
        # recalled attack ("التي شهدت الأربعاء تفجيرين") trails it.
        here_sent = min(ev.sentences) if ev.sentences else 0
        return max(before, key=lambda t: (max((i for i in t.sentences if i <= here_sent), default=-1),
                                          -t.evidence[0].start))
    return matches[0]


def _settle_tolls(events: list[Event], text: str) -> None:
    """Who owns a toll, by ACLED's rules, once the events are final.

    Strategic developments carry none: "اعتقل 20 وقتل 5" gives the dead to the clash, not to the
    arrests. Deaths reported together for coordinated actions ("16 قتلوا في اشتباكات وقصف
    لطائرات التحالف") are divided evenly among their events, the first taking the remainder,
    so the dataset's total stays the reported toll.
    """
    groups: dict[tuple[int, ...], list[Event]] = {}
    for ev in events:
        decision = ev.decisions.get("fatalities")
        if decision is None or ev["fatalities"] == 0:
            continue
        if ev["event_type"] not in VIOLENT_TYPES:
            if ev["event_type"] == "Strategic developments":
                ev.fields["fatalities"] = 0
                ev.decisions["fatalities"] = Decision(
                    0, COMPONENT, f"strategic developments carry no fatalities (ACLED); the text's "
                    f"toll belongs to the violence beside it: {decision.reason}", decision.spans)
            continue
        if decision.spans and ev["fatalities"]:
            groups.setdefault(tuple(sorted(sp.start for sp in decision.spans)), []).append(ev)
    for group in groups.values():
        group = _coordinated(group, text)
        if len(group) < 2:
            continue
        toll = group[0]["fatalities"]
        share, rest = divmod(toll, len(group))
        for i, ev in enumerate(group):
            value = share + (1 if i < rest else 0)
            old = ev.decisions["fatalities"]
            ev.fields["fatalities"] = value
            ev.decisions["fatalities"] = Decision(
                value, COMPONENT, f"{old.reason}; one toll for {len(group)} coordinated actions, divided evenly (ACLED)",
                old.spans)


def _coordinated(group: list[Event], text: str) -> list[Event]:
    """The events of one toll whose trigger words are joined by "و" ("اشتباكات وقصف"), else none.

    Two types read off one clause without such a link are more often one event typed twice
    than two actions sharing their dead; splitting would halve the real event's toll.
    """
    def trigger(ev: Event) -> Span | None:
        decision = ev.decisions.get("event_type")
        return decision.spans[0] if decision is not None and decision.spans else None

    spans = [(trigger(ev), ev) for ev in group]
    if len(spans) < 2 or any(sp is None for sp, _ in spans):
        return []
    spans.sort(key=lambda pair: pair[0].start)
    for (a, _), (b, _) in zip(spans, spans[1:]):
        gap = text[a.end:b.start]
        if b.start < a.end or len(gap) > 25 or not re.search(r"(?:^|\s)و", gap + text[b.start:b.start + 1]):
            return []
    return [ev for _, ev in spans]


def _absorb(into: Event, other: Event, keep_type: bool = False, follow_up: bool = False) -> None:
    for span in other.evidence:
        if all(span.start != s.start for s in into.evidence):
            into.evidence.append(span)
    into.evidence.sort(key=lambda s: s.start)
    into.sentences = sorted(set(into.sentences) | set(other.sentences))
    prio = SUB_TYPE_PRIORITY.get(into["event_type"], ())
    a, b = into["sub_event_type"], other["sub_event_type"]
    if not keep_type and b in prio and (a not in prio or prio.index(b) < prio.index(a)):
        into.fields["sub_event_type"] = b
        into.decisions["sub_event_type"] = other.decisions["sub_event_type"]
    if not into["assoc_actor_1"] and other["assoc_actor_1"] and other["actor1"] == into["actor1"]:
        into.fields["assoc_actor_1"] = other["assoc_actor_1"]
        into.decisions["assoc_actor_1"] = other.decisions["assoc_actor_1"]
    for slot in ("actor1", "actor2"):
        twin = "actor2" if slot == "actor1" else "actor1"
        if not into[slot] and other[slot] and other[slot] != into[twin]:
            into.fields[slot] = other[slot]
            into.decisions[slot] = other.decisions[slot]
            inter = "inter" + slot[-1]
            into.fields[inter] = other[inter]
            into.decisions[inter] = other.decisions[inter]
    fa, fb = into["fatalities"], other["fatalities"]
    if follow_up and fb is None and fa == 0 and into["event_type"] in VIOLENT_TYPES:
        # "استهدفوا دورية ... أسفر عن سقوط قتلى": the follow-up says the event killed, without a number.
        into.fields["fatalities"] = None
        into.decisions["fatalities"] = Decision(
            None, COMPONENT, f"deaths implied by a follow-up report: {other.decisions['fatalities'].reason}",
            other.decisions["fatalities"].spans)
    if fb is not None and (fa is None or fb > fa):
        # Separate sentences about one event usually repeat or update the toll: keep the largest
        # single-sentence figure rather than adding them up.
        into.fields["fatalities"] = fb
        into.decisions["fatalities"] = Decision(
            fb, COMPONENT, f"largest toll among the merged reports: {other.decisions['fatalities'].reason}",
            other.decisions["fatalities"].spans,
        )
    into.confidence = max(into.confidence, other.confidence)


@component("events")
def _make_event_extractor() -> EventExtractor:
    return EventExtractor()


__all__ = ["EventExtractor", "SUB_TYPE_PRIORITY", "VIOLENT_TYPES"]
