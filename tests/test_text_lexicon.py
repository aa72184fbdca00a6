"""Clitic handling of the shared PhraseMatcher, checked as properties over made-up words."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.text.lexicon import PhraseMatcher, phrase_key
from rasd.text.normalize import normalize

# First letters that are never proclitics, so that the expected split is unambiguous.
FIRST = "جحخدذرسشصضطظعغقمنهي"
REST = "ابتثجحخدذرسشصضطظعغفقكلمنهوي"
word = st.builds(lambda a, b: a + b, st.sampled_from(FIRST), st.text(alphabet=REST, min_size=2, max_size=6))
words = st.lists(word, min_size=1, max_size=3)


@settings(max_examples=200, deadline=None)
@given(words, st.sampled_from(["", "و", "ف", "ب", "ك", "وب", "فب", "وك"]))
def test_proclitics_before_a_phrase_are_skipped(ws: list[str], prefix: str) -> None:
    phrase = " ".join(ws)
    matcher = PhraseMatcher([(phrase, "P")])
    text = "قال " + prefix + phrase + " امس"
    norm = normalize(text)
    found = matcher.find(norm.text)
    assert len(found) == 1
    m = found[0]
    assert m.key == phrase_key(phrase) and m.payloads == ("P",)
    assert norm.original_text(m.start, m.end) == phrase


@settings(max_examples=200, deadline=None)
@given(words, st.sampled_from(["", "و", "ف", "ب", "ك", "وب", "فب"]))
def test_article_phrases_keep_the_article_in_the_span(ws: list[str], prefix: str) -> None:
    phrase = "ال" + " ".join(ws)
    matcher = PhraseMatcher([(phrase, "P")])
    text = prefix + phrase
    found = matcher.find(normalize(text).text)
    assert [(m.start, m.end) for m in found] == [(len(prefix), len(text))]


@settings(max_examples=200, deadline=None)
@given(words, st.sampled_from(["ل", "ول", "فل"]))
def test_fused_lam_of_the_article(ws: list[str], prefix: str) -> None:
    # ل + الجيش is written للجيش: the span starts at the article's (remaining) lam.
    phrase = "ال" + " ".join(ws)
    matcher = PhraseMatcher([(phrase, "P")])
    text = prefix + phrase[1:]
    found = matcher.find(normalize(text).text)
    assert [(m.start, m.end) for m in found] == [(len(prefix), len(text))]


def test_longest_match_wins_and_words_are_whole() -> None:
    matcher = PhraseMatcher([("الجيش", "army"), ("الجيش السوري", "saa")])
    found = matcher.find(normalize("هاجم الجيشُ السوريُّ والجيش").text)
    assert [m.payloads for m in found] == [("saa",), ("army",)]
    assert PhraseMatcher([("جيش", "x")]).find("جيشان") == []
