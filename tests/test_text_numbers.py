"""Numbers: digits, words, composites, duals, ACLED vague quantities, casualty counts, component."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.doc import Document
from rasd.text.numbers import count_in_phrase, count_listed_after, find_numbers, make_number_tagger, parse_number
from rasd.text.segment import make_segmenter


@pytest.mark.parametrize(
    "s, value",
    [
        ("12", 12), ("١٢٣", 123), ("٣٬٠٠٠", 3000), ("1,250", 1250), ("ثلاثة", 3), ("اثنين", 2),
        ("قتيلين", 2), ("جنديين", 2), ("عشرون", 20), ("خمسة وعشرون", 25), ("ثلاثة عشر", 13),
        ("إحدى عشرة", 11), ("مائة", 100), ("مئتين", 200), ("ثلاث مئة", 300), ("ثلاثمائة وخمسون", 350),
        ("ألف", 1000), ("ألفين", 2000), ("ثلاثة آلاف", 3000), ("65 ألف", 65000), ("عشرين ألف", 20000),
        ("مليون", 1000000), ("2.5 مليون", 2500000), ("ثمانية آلاف وسبعمائة وخمسون", 8750),
    ],
)
def test_parse_number(s: str, value: int) -> None:
    assert parse_number(s) == value


@pytest.mark.parametrize("s", ["", "   ", "كلام", "الحادي عشر", "قال ثلاثة", "3 و 4", "abc"])
def test_parse_number_rejects_non_numbers(s: str) -> None:
    assert parse_number(s) is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_parsers_never_raise(s: str) -> None:
    parse_number(s)
    for m in find_numbers(s):
        assert 0 <= m.start < m.end <= len(s)
    count_in_phrase(s)


def _found(text: str) -> list[tuple[str, int, bool, str]]:
    return [(text[m.start : m.end], m.value, m.approximate, m.kind) for m in find_numbers(text)]


def test_composites_keep_original_spans() -> None:
    text = "تظاهر نحو 65 ألف شخص، وشارك عشرين ألف طالب و ثلاثة آلاف عامل"
    assert _found(text) == [
        ("65 ألف", 65000, True, "count"),
        ("عشرين ألف", 20000, False, "count"),
        ("ثلاثة آلاف", 3000, False, "count"),
    ]


@pytest.mark.parametrize(
    "text, span, value",
    [
        ("قتل عشرات المدنيين", "عشرات", 12),
        ("أصيب المئات", "المئات", 100),
        ("تظاهر آلاف الطلاب", "آلاف", 1000),
        ("اعتقل عدد من الشبان", "عدد من", 3),
        ("قتل عدة أشخاص", "عدة", 3),
        ("جرح بعض الجنود", "بعض", 3),
        ("خرج عشرات الآلاف", "عشرات الآلاف", 10000),
    ],
)
def test_vague_quantities_follow_the_convention(text: str, span: str, value: int) -> None:
    (m,) = find_numbers(text)
    assert (text[m.start : m.end], m.value, m.approximate) == (span, value, True)
    assert "vague" in m.reason


def test_duals_weekdays_and_words_inside_words() -> None:
    assert _found("مقتل جنديين وشخصين") == [("جنديين", 2, False, "count"), ("شخصين", 2, False, "count")]
    # "الاثنين" is Monday, "اتسع" is not "تسع", "مدنيين" may be a plural: none is a number.
    assert _found("يوم الاثنين اتسع الحريق وقتل مدنيين") == []


def test_measures_years_and_clock_times_are_not_counts() -> None:
    kinds = {t: k for t, _, _, k in _found("خلال 24 ساعة قتل 7 في عام 2018 عند الساعة 10 بنسبة 20 بالمئة و3.5 كلم")}
    assert kinds == {"24": "measure", "7": "count", "2018": "year", "10": "clock", "20": "measure", "3.5": "measure"}


def test_digits_in_dates_urls_and_times_are_skipped() -> None:
    assert _found("في 12/3/2019 الساعة 10:30 عبر v2") == []


@pytest.mark.parametrize(
    "phrase, value, covered",
    [
        ("مقتل جنديين في هجوم", 2, "جنديين"),
        ("مقتل 5 أشخاص", 5, "5"),
        ("مقتل عشرات المدنيين", 12, "عشرات"),
        ("مقتل شخص وإصابة آخر", 1, "شخص"),
        ("مصرع الطفل. وقال", 1, "الطفل"),
        ("مقتل أحد الجنود", 1, "أحد الجنود"),
        ("قتل مسلحون جندياً", 1, "جندياً"),
        ("سقوط قتيلين", 2, "قتيلين"),
        ("استشهاد ثلاثة فلسطينيين", 3, "ثلاثة"),
    ],
)
def test_count_in_phrase(phrase: str, value: int, covered: str) -> None:
    m = count_in_phrase(phrase)
    assert m is not None and m.value == value
    assert phrase[m.start : m.end] == covered


@pytest.mark.parametrize(
    "phrase, value, covered",
    [
        ("مقتل ضابط وأربعة جنود في الكمين", 5, "ضابط وأربعة جنود"),
        ("مقتل 6 مدنيين وشرطي في الانفجار", 7, "6 مدنيين وشرطي"),
        ("قتل خلالها مزارع مسن وأحد أبنائه", 2, "مزارع مسن وأحد أبنائه"),
        ("مقتل طفلين وامرأة", 3, "طفلين وامرأة"),
        ("مقتل صحفي و2 مسعفين", 3, "صحفي و2 مسعفين"),
    ],
)
def test_count_in_phrase_adds_people_listed_with_and(phrase: str, value: int, covered: str) -> None:
    m = count_in_phrase(phrase)
    assert m is not None and m.value == value
    assert phrase[m.start : m.end] == covered


@pytest.mark.parametrize(
    "phrase, value",
    [
        ("مقتل شرطي واحد على الأقل", 1),  # "واحد": the number one, not "and one of"
        ("مقتل مسعف واحد وجرح آخرين", 1),
        ("سقوط قتيل و40 جريحا", 1),  # the wounded are not added
        ("مقتل طفل والعديد من الجرحى", 1),
        ("مقتل سائق وإصابة ثلاثة", 1),
        ("مقتل شاب وجريح", 1),
        ("مقتل عنصر و5 ساعات من الاشتباك", 1),  # a count of something else
    ],
)
def test_count_in_phrase_stops_at_what_is_not_more_dead(phrase: str, value: int) -> None:
    m = count_in_phrase(phrase)
    assert m is not None and m.value == value


def test_count_listed_after_reports_offsets_into_its_text() -> None:
    tail = " مدنيين ومسعف من الهلال الأحمر"
    m = count_listed_after(tail)
    assert m is not None and m.value == 1 and tail[: m.end].endswith("ومسعف")
    assert count_listed_after(" مدنيين من الهلال الأحمر") is None


@pytest.mark.parametrize("phrase", ["مقتل مدنيين في القصف", "مقتل. جندي", "", "مقتل قادة التنظيم"])
def test_count_in_phrase_without_count(phrase: str) -> None:
    assert count_in_phrase(phrase) is None


def test_component_adds_number_mentions_with_sentence_index() -> None:
    doc = Document(id="n", text="وقع انفجار.\nوقتل ثلاثة أشخاص وأصيب 12 آخرون خلال 24 ساعة.")
    doc = make_number_tagger()(make_segmenter()(doc))
    nums = doc.mentions_of("NUMBER")
    assert [(m.text, m.value, m.sentence, m.attrs["approximate"]) for m in nums] == [
        ("ثلاثة", 3, 1, False),
        ("12", 12, 1, False),
    ]
    assert all(m.component == "text.numbers" and m.reason for m in nums)
    assert all(doc.text[m.start : m.end] == m.text for m in nums)


@pytest.mark.parametrize("text", ["لست متأكدة", "ارتفعت كمية المياه", "البطولة الحادية عشرة", "وست هام"])
def test_number_lookalikes_are_not_numbers(text: str) -> None:
    assert find_numbers(text) == []
