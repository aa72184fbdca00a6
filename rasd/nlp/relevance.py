"""The cheap relevance pass: which sentences may report an event, so costly stages read only those.

Runs the trigger lexicon once over every sentence (hash lookups only) and
records ``doc.meta["focus"]``: sentences with a trigger, their neighbours (a
place or a date is often in the sentence before or after), and the article's
opening sentences (which set its country and main actors). An article with no
trigger at all has an empty focus, and the later stages skip it.
"""
from __future__ import annotations

from rasd.doc import Document
from rasd.nlp.triggers import sentence_triggers, trigger_matcher
from rasd.pipeline import component
from rasd.text.normalize import normalize_plain

# Opening sentences always read when the article has any trigger (title and lede).
OPENING_SENTENCES = 3
NEIGHBOURS = 1


class RelevancePass:
    name = "relevance"

    def __init__(self) -> None:
        self.triggers = trigger_matcher()

    def __call__(self, doc: Document) -> Document:
        # Most articles (sport, business, society) have no trigger at all: one pass over the
        # whole text settles them without normalising sentence by sentence.
        norm = doc.cache["normalized_text"] = normalize_plain(doc.text)  # the genre component reads it too
        if not self.triggers.find(norm):
            doc.meta["focus"] = []
            return doc
        hits = [sent.index for sent in doc.sentences if sentence_triggers(doc, sent)]
        if not hits:
            doc.meta["focus"] = []
            return doc
        focus = set(range(min(OPENING_SENTENCES, len(doc.sentences))))
        for i in hits:
            focus.update(range(max(0, i - NEIGHBOURS), i + NEIGHBOURS + 1))
        doc.meta["focus"] = sorted(i for i in focus if i < len(doc.sentences))
        return doc


@component("relevance")
def make_relevance() -> RelevancePass:
    return RelevancePass()


__all__ = ["RelevancePass", "OPENING_SENTENCES", "NEIGHBOURS"]
