"""Properties of the offset-keeping normaliser and of the text layer's fast mapping onto it."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.text.normalize import normalize, normalize_plain
from rasd.text.numbers import fast_normalize_plain, norm_mapper

# Arabic letters, every folded/dropped character, digits of three scripts, Latin, spaces, punctuation.
ALPHABET = (
    "ابتثجحخدذرسشصضطظعغفقكلمنهويءأإآٱؤئىةی"
    "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670\u0640\u200b\u200c\u200f\ufeff"
    "0123456789٠١٢٣٤٥٦٧٨٩۰۱۲ abcXYZ.,،؛؟!\n\t-/"
)
arabicish = st.text(alphabet=ALPHABET, max_size=40)


@settings(max_examples=300, deadline=None)
@given(arabicish)
def test_every_span_maps_back_to_characters_that_normalise_to_it(text: str) -> None:
    norm = normalize(text)
    assert norm.text == normalize_plain(text)
    n = len(norm.text)
    for start in range(n + 1):
        for end in range(start, min(n, start + 6) + 1):
            s, e = norm.to_original(start, end)
            assert 0 <= s <= e <= len(text)
            assert normalize_plain(text[s:e]) == norm.text[start:end]


@settings(max_examples=300, deadline=None)
@given(arabicish)
def test_fast_normalisation_and_mapping_agree_with_normalize(text: str) -> None:
    full = normalize(text)
    assert fast_normalize_plain(text) == full.text
    norm, to_orig = norm_mapper(text)
    assert norm == full.text
    n = len(norm)
    for start in range(n + 1):
        for end in range(start, n + 1):
            assert to_orig(start, end) == full.to_original(start, end)


def test_folding_examples() -> None:
    assert normalize_plain("أحمد إلى آذار مستشفى مدينة مؤتمر رئيس") == "احمد الي اذار مستشفي مدينه موتمر رييس"
    assert normalize_plain("مُحَمَّـــد ١٢٣") == "محمد 123"
