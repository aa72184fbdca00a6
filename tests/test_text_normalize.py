"""Properties of the offset-keeping normaliser."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.text.normalize import _EXPANDING_RE, _TABLE, normalize, normalize_plain

# Arabic letters, every folded/dropped character, digits of three scripts, Latin, spaces, punctuation.
ALPHABET = (
    "ابتثجحخدذرسشصضطظعغفقكلمنهويءأإآٱؤئىةی"
    "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670\u0640\u200b\u200c\u200f\ufeff"
    "0123456789٠١٢٣٤٥٦٧٨٩۰۱۲ abcXYZ.,،؛؟!\n\t-/"
    "ﻭﻣﺼﺎﺩﺭﺃﺓﻯﻻﻷﻹﻵﷺ"  # presentation forms, lam-alef ligatures, an honorific ligature left alone
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
            whole = normalize_plain(text[s:e])
            # a span may hold one letter of the two a lam-alef ligature became; it maps to the ligature
            assert norm.text[start:end] == whole or (_EXPANDING_RE.search(text[s:e]) and norm.text[start:end] in whole)


@settings(max_examples=300, deadline=None)
@given(arabicish)
def test_fast_folding_equals_the_per_character_table(text: str) -> None:
    # normalize_plain is a chain of str.replace calls for speed; the table is its definition.
    assert normalize_plain(text) == text.translate(_TABLE)


def test_folding_examples() -> None:
    assert normalize_plain("أحمد إلى آذار مستشفى مدينة مؤتمر رئيس") == "احمد الي اذار مستشفي مدينه موتمر رييس"
    assert normalize_plain("مُحَمَّـــد ١٢٣") == "محمد 123"


def test_presentation_forms_read_as_the_letters_they_show() -> None:
    # old sites and PDF exports store contextual glyphs: "ﻭأفادت ﻣﺼﺎﺩﺭ ... بمقتل ﺳﺒﻌﺔ"
    norm = normalize("ﻭأفادت ﻣﺼﺎﺩﺭ بمقتل ﺳﺒﻌﺔ ﻻ ﺇﻟﻰ")
    assert norm.text == "وافادت مصادر بمقتل سبعه لا الي"
    seven = norm.text.index("سبعه")
    assert norm.original_text(seven, seven + 4) == "ﺳﺒﻌﺔ"
    lam_alef = norm.text.index("لا")
    assert norm.original_text(lam_alef, lam_alef + 2) == "ﻻ" == norm.original_text(lam_alef + 1, lam_alef + 2)
    assert normalize_plain("ﷺ") == "ﷺ"
