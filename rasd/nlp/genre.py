"""Is the article a news report or commentary? A long text that almost never says who said what argues.

Opinion columns, essays and readers' letters make up a good share of a newspaper's pages and name
wars, massacres and bombings as often as the news does, but in the past, in general or as
rhetoric ("ما نراه اليوم من خراب ودمار في سوريا"). News attributes and dates: "قال", "أفادت مصادر", "ذكرت
وكالة", "أمس", "الاثنين". The component counts those words (``resources/speech_verbs.tsv``,
``resources/genre_cues.tsv``) and records
``doc.meta["genre"]`` ("report" or "commentary") with its reason in ``doc.meta["genre_reason"]``;
the events component then codes from commentary only what it states concretely (a date and a toll).
Short texts stay reports: a two-line wire item may carry no attribution at all.

The same pass tells police news from conflict news: an article whose title and body name ordinary
crime (theft, fraud, drugs, harassment, a quarrel, qisas) at least ``CRIME_MIN_WORDS`` times and
more than ``CRIME_TO_POLITICAL`` times as often as anything political (armed groups, war, terrorism,
protest) is ``doc.meta["subject"] == "crime"``, and
its arrests and killings are no political violence (ACLED codes none of them).
"""
from __future__ import annotations

from collections import Counter
from functools import lru_cache

from rasd.doc import Document
from rasd.nlp.triggers import resource_rows, speech_verbs
from rasd.pipeline import component
from rasd.text.lexicon import StemPatternMatcher
from rasd.text.normalize import normalize_plain

# Below this length a missing attribution says nothing (wire briefs, captions).
COMMENTARY_MIN_WORDS = 250
# Reports in the dev gold carry 1.4 or more such words per 100 words; the columns read for this, 0 to 0.45.
REPORT_WORDS_PER_100 = 0.5
# Crime words that make an article police news (one alone is an aside), and how many times the
# political words they must outnumber ("ارهاب" said once of a harassment case is a figure of speech).
CRIME_MIN_WORDS = 2
CRIME_TO_POLITICAL = 5
NEWS_CUES = ("report", "day")


@lru_cache(maxsize=1)
def genre_matcher() -> StemPatternMatcher[str]:
    rows = [(r["pattern"], r["cue"]) for r in resource_rows("genre_cues.tsv")]
    return StemPatternMatcher(rows + [(verb, "report") for verb in speech_verbs()])


def cue_counts(norm: str) -> Counter[str]:
    """How many words of each cue kind a normalised text holds (one pass of the matcher)."""
    return Counter(cue for *_, cue in genre_matcher().find(norm))


def classify(text: str, norm: str | None = None, counts: Counter[str] | None = None) -> tuple[str, str]:
    """("report" | "commentary", reason) for an article body (``norm``: its normalised text, ``counts``:
    its ``cue_counts``, if at hand)."""
    norm = normalize_plain(text) if norm is None else norm
    words = len(norm.split())
    counts = cue_counts(norm) if counts is None else counts
    reports = sum(counts[c] for c in NEWS_CUES)
    rate = 100.0 * reports / words if words else 0.0
    if words >= COMMENTARY_MIN_WORDS and rate < REPORT_WORDS_PER_100:
        return "commentary", (f"{reports} news words (attributions, days) in {words} words ({rate:.2f} per 100, under "
                              f"{REPORT_WORDS_PER_100}): argues rather than reports")
    return "report", f"{reports} news words (attributions, days) in {words} words ({rate:.2f} per 100)"


def subject(text: str, title: str = "", norm: str | None = None, counts: Counter[str] | None = None) -> tuple[str, str]:
    """("crime" | "general", reason): police news names crime, and little or nothing political, in its title
    or body."""
    body = cue_counts(normalize_plain(text) if norm is None else norm) if counts is None else counts
    counts = body + cue_counts(normalize_plain(title))
    reason = f"{counts['crime']} crime words, {counts['political']} political words"
    if counts["crime"] >= max(CRIME_MIN_WORDS, CRIME_TO_POLITICAL * counts["political"] + 1):
        return "crime", reason + ": ordinary crime, not political violence"
    return "general", reason


class GenreClassifier:
    name = "genre"

    def __call__(self, doc: Document) -> Document:
        if doc.meta.get("focus") == []:
            return doc  # no trigger anywhere: nothing downstream will ask
        norm = doc.cache.get("normalized_text")
        if norm is None:
            norm = normalize_plain(doc.text)
        counts = cue_counts(norm)
        doc.meta["genre"], doc.meta["genre_reason"] = classify(doc.text, norm, counts)
        doc.meta["subject"], doc.meta["subject_reason"] = subject(doc.text, doc.title, norm, counts)
        return doc


@component("genre")
def make_genre() -> GenreClassifier:
    return GenreClassifier()


__all__ = ["GenreClassifier", "classify", "subject", "cue_counts", "COMMENTARY_MIN_WORDS", "REPORT_WORDS_PER_100", "CRIME_MIN_WORDS"]
