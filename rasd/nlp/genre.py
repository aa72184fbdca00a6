"""Is the article a news report or commentary? A long text that almost never says who said what argues.

Opinion columns, essays and readers' letters make up a good share of a newspaper's pages and name
wars, massacres and bombings as often as the news does, but in the past, in general or as
rhetoric ("ما نراه اليوم من خراب ودمار في سوريا"). News attributes and dates: "قال", "أفادت مصادر", "ذكرت
وكالة", "أمس", "الاثنين". The component counts those words (``resources/speech_verbs.tsv``,
``resources/genre_cues.tsv``) and records
``doc.meta["genre"]`` ("report" or "commentary") with its reason in ``doc.meta["genre_reason"]``;
the events component then codes from commentary only what it states concretely (a date and a toll).
Short texts stay reports: a two-line wire item may carry no attribution at all.
"""
from __future__ import annotations

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


@lru_cache(maxsize=1)
def genre_matcher() -> StemPatternMatcher[str]:
    rows = [(r["pattern"], r["cue"]) for r in resource_rows("genre_cues.tsv")]
    return StemPatternMatcher(rows + [(verb, "report") for verb in speech_verbs()])


def classify(text: str, norm: str | None = None) -> tuple[str, str]:
    """("report" | "commentary", reason) for an article body (``norm``: its normalised text, if at hand)."""
    norm = normalize_plain(text) if norm is None else norm
    words = len(norm.split())
    reports = len(genre_matcher().find(norm))
    rate = 100.0 * reports / words if words else 0.0
    if words >= COMMENTARY_MIN_WORDS and rate < REPORT_WORDS_PER_100:
        return "commentary", (f"{reports} news words (attributions, days) in {words} words ({rate:.2f} per 100, under "
                              f"{REPORT_WORDS_PER_100}): argues rather than reports")
    return "report", f"{reports} news words (attributions, days) in {words} words ({rate:.2f} per 100)"


class GenreClassifier:
    name = "genre"

    def __call__(self, doc: Document) -> Document:
        if doc.meta.get("focus") == []:
            return doc  # no trigger anywhere: nothing downstream will ask
        doc.meta["genre"], doc.meta["genre_reason"] = classify(doc.text, doc.cache.get("normalized_text"))
        return doc


@component("genre")
def make_genre() -> GenreClassifier:
    return GenreClassifier()


__all__ = ["GenreClassifier", "classify", "COMMENTARY_MIN_WORDS", "REPORT_WORDS_PER_100"]
