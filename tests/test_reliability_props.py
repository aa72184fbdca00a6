"""Whole-pipeline properties on arbitrary Arabic-ish text.

tests/test_text_*.py check the normaliser, matcher, segmenter, numbers and dates
one at a time; here the whole default pipeline runs, and whatever it finds must
point at the very characters it claims: every sentence, mention, evidence span
and provenance span satisfies ``doc.text[start:end] == span.text``, and
extraction never fails (``extract`` swallows exceptions into a warning, so a
failure is looked for there).
"""
from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rasd.doc import Document
from rasd.extract import extract

# Words that make the pipeline work: triggers, actors, places, numbers, dates, cues.
WORDS = (
    "قتل", "مقتل", "أصيب", "جرحى", "قصف", "غارة", "انفجار", "عبوة", "ناسفة", "سيارة", "مفخخة", "اشتباكات",
    "تظاهر", "متظاهرون", "احتجاج", "اعتقال", "اعتقلت", "خطف", "مسلحين", "الجيش", "الشرطة", "قوات", "الأمن",
    "داعش", "الحوثيين", "مدنيين", "مدنيون", "إدلب", "حلب", "بغداد", "الموصل", "صنعاء", "عدن", "سيناء",
    "القاهرة", "كركوك", "درعا", "ريف", "محافظة", "مدينة", "قرية", "في", "من", "على", "إلى", "بين", "و",
    "أمس", "اليوم", "الثلاثاء", "الجمعة", "يناير", "مارس", "2019", "٢٠١٨", "ثلاثة", "خمسة", "عشرات", "مئات",
    "15", "3", "قال", "مصدر", "بيان", "وزارة", "الداخلية", "مقتل", "شخصا", "عناصر", "تنظيم", "الدولة",
)
PUNCT = (" ", " ", " ", "، ", ". ", "\n", "\n\n", ": ", "؟ ", "! ", " - ", "«", "»", "(", ")", '"', "؛ ")
NOISE = st.text(
    alphabet=st.sampled_from(
        "ابتثجحخدذرسشصضطظعغفقكلمنهويءآأإؤئىة"  # letters incl. hamza forms
        "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0640"  # diacritics, tatweel
        "٠١٢٣٤٥٦٧٨٩0123456789"
        "\u200c\u200d\u200f\u202b\u00a0\ufeff\t\r"  # invisible marks, odd spaces
        "abcXYZ.,;:!?/%-_'\"()[]{}<>"
    ),
    max_size=8,
)
token = st.one_of(st.sampled_from(WORDS), st.sampled_from(WORDS), NOISE,
                  st.tuples(st.sampled_from(["و", "ف", "ب", "ل", "ال", "وال"]), st.sampled_from(WORDS)).map("".join))
texts = st.lists(st.tuples(token, st.sampled_from(PUNCT)).map("".join), max_size=120).map("".join)
dates = st.one_of(st.none(), st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))


def _check_spans(doc: Document) -> None:
    t = doc.text
    for s in doc.sentences:
        assert t[s.start:s.end] == s.text, ("sentence", s)
    for m in doc.mentions:
        assert 0 <= m.start <= m.end <= len(t) and t[m.start:m.end] == m.text, ("mention", m)
    for ev in doc.events:
        for s in ev.evidence:
            assert t[s.start:s.end] == s.text, ("evidence", s)
        for name, d in ev.decisions.items():
            assert d.component and d.reason, ("decision without component/reason", name)
            for s in d.spans:
                assert t[s.start:s.end] == s.text, ("provenance", name, s)


def _assert_ok(doc: Document) -> None:
    assert not doc.meta.get("error"), doc.meta.get("error")
    _check_spans(doc)
    doc.to_dict()  # serialisable shape


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, dates)
def test_pipeline_never_fails_and_spans_are_true(text: str, published: dt.date | None) -> None:
    _assert_ok(extract(Document(id="h", text=text, published=published)))


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300), dates)
def test_pipeline_on_any_unicode(text: str, published: dt.date | None) -> None:
    _assert_ok(extract(Document(id="u", text=text, published=published)))


@settings(max_examples=40, deadline=None)
@given(texts, st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
       st.sampled_from(["\u064e", "\u0640", "\u200f", "\r\n", "\u00a0"]))
def test_inserted_marks_keep_spans_true(text: str, published: dt.date, mark: str) -> None:
    # Characters the normaliser drops or folds, sprinkled between words: offsets must still map back.
    _assert_ok(extract(Document(id="m", text=text.replace(" ", mark + " "), published=published)))


def test_extreme_publication_dates() -> None:
    text = "قتل ثلاثة مدنيين وأصيب خمسة في قصف على بلدة في ريف إدلب أمس، بحسب مصدر محلي."
    for published in (dt.date.min, dt.date(1, 1, 2), dt.date.max, dt.date(9999, 12, 30)):
        _assert_ok(extract(Document(id="d", text=text, published=published)))
