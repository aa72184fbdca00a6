"""Date cues resolved against the publication date, and the dates component."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.doc import Document
from rasd.text.dates import find_dates, make_date_tagger
from rasd.text.numbers import find_numbers, make_number_tagger
from rasd.text.segment import make_segmenter

SHARED = Path(__file__).parents[1] / ".." / "shared"
PUB = dt.date(2019, 3, 12)  # a Tuesday


def one(text: str, published: dt.date | None = PUB):
    found = find_dates(text, published)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    "text, cue, iso, precision",
    [
        ("قتل جندي أمس في الهجوم", "أمس", "2019-03-11", 1),
        ("وقع الانفجار فجر اليوم", "فجر اليوم", "2019-03-12", 1),
        ("وصل الوفد اليوم الثلاثاء", "اليوم الثلاثاء", "2019-03-12", 1),
        ("اندلعت اشتباكات أمس الأول", "أمس الأول", "2019-03-10", 1),
        ("اندلعت اشتباكات أول أمس", "أول أمس", "2019-03-10", 1),
        ("سقطت قذائف مساء أمس", "مساء أمس", "2019-03-11", 1),
        ("سقطت قذائف ليلة أمس", "ليلة أمس", "2019-03-11", 1),
        ("سمع دوي انفجار بالأمس", "الأمس", "2019-03-11", 1),  # the preposition stays outside
        ("هاجم مسلحون القرية الليلة الماضية", "الليلة الماضية", "2019-03-11", 1),
        ("تظاهر الطلاب يوم الاثنين", "يوم الاثنين", "2019-03-11", 1),
        ("تظاهر الطلاب الثلاثاء", "الثلاثاء", "2019-03-12", 1),
        ("تظاهر الطلاب الثلاثاء الماضي", "الثلاثاء الماضي", "2019-03-05", 1),
        ("اعتقل ناشط السبت الفائت", "السبت الفائت", "2019-03-09", 1),
        ("قصفت الطائرات البلدة الأسبوع الماضي", "الأسبوع الماضي", "2019-03-05", 2),
        ("قتل صحفي في الشهر الماضي", "في الشهر الماضي", "2019-02-15", 3),
        ("تعرضت البلدة خلال اليومين الماضيين للقصف", "خلال اليومين الماضيين", "2019-03-11", 2),
        ("اختطف منذ ثلاثة أيام", "منذ ثلاثة أيام", "2019-03-09", 1),
        ("اختطف منذ 5 أيام", "منذ 5 أيام", "2019-03-07", 1),
        ("اختطف قبل يومين", "قبل يومين", "2019-03-10", 1),
        ("اختطف قبل أسبوعين", "قبل أسبوعين", "2019-02-26", 2),
        ("قتل خلال الـ24 ساعة الماضية", "خلال الـ24 ساعة الماضية", "2019-03-12", 1),
    ],
)
def test_relative_cues(text: str, cue: str, iso: str, precision: int) -> None:
    m = one(text)
    assert (text[m.start : m.end], m.iso, m.precision, m.relative, m.future) == (cue, iso, precision, True, False)
    assert m.reason


@pytest.mark.parametrize(
    "text, cue, iso, precision",
    [
        ("وقع الهجوم في 10 مارس 2019", "10 مارس 2019", "2019-03-10", 1),
        ("الأحد 10 مارس/آذار 2019 شهد", "الأحد 10 مارس/آذار 2019", "2019-03-10", 1),
        ("في 2 تشرين الأول 2018", "2 تشرين الأول 2018", "2018-10-02", 1),
        ("في 3 جانفي 2019", "3 جانفي 2019", "2019-01-03", 1),
        ("في 7 أوت 2018", "7 أوت 2018", "2018-08-07", 1),
        ("في 20 أيار 2018", "20 أيار 2018", "2018-05-20", 1),
        ("في 12/1/2019", "12/1/2019", "2019-01-12", 1),
        ("في 2019-01-12", "2019-01-12", "2019-01-12", 1),
        ("يوم 5 رجب 1440 هـ", "يوم 5 رجب 1440 هـ", None, 1),
        ("في يناير 2019", "يناير 2019", "2019-01-15", 3),
        ("في شهر فبراير", "شهر فبراير", "2019-02-15", 3),
        ("في مارس الماضي", "مارس الماضي", "2018-03-15", 3),
        ("قتل 147 طالبا في أبريل", "أبريل", "2018-04-15", 3),
        ("وقعت الهجمات خلال يناير", "يناير", "2019-01-15", 3),
        ("في آذار (مارس) الماضي", "آذار (مارس) الماضي", None, 3),
    ],
)
def test_explicit_dates(text: str, cue: str, iso: str | None, precision: int) -> None:
    m = one(text)
    assert text[m.start : m.end] in (cue, cue.removeprefix("يوم "))
    assert m.precision == precision
    if iso is not None:
        assert m.iso == iso


def test_hijri_dates_convert() -> None:
    m = one("يوم 5 رجب 1440 هـ")
    assert m.date == dt.date(2019, 3, 12) and "Hijri" in m.reason
    # Without a year: the latest such Hijri date on or before publication.
    m = one("في 1 رجب")
    assert m.date == dt.date(2019, 3, 8)
    m = one("في 1 رمضان")
    assert m.date is not None and m.date < PUB and (PUB - m.date).days < 366


def test_day_month_without_year_takes_the_latest_before_publication() -> None:
    assert one("في 10 مارس").date == dt.date(2019, 3, 10)
    assert one("في 25 ديسمبر").date == dt.date(2018, 12, 25)
    assert one("في 20 مارس").date == dt.date(2018, 3, 20)


def test_future_cues_are_kept_but_marked() -> None:
    m = one("يصل الوفد غداً")
    assert m.iso == "2019-03-13" and m.future
    m = one("تبدأ المحادثات يوم الجمعة المقبل")
    assert m.iso == "2019-03-15" and m.future


def test_without_publication_date_relative_cues_are_unresolved() -> None:
    for text in ("قتل جندي أمس", "الاثنين الماضي", "الأسبوع الماضي", "منذ ثلاثة أيام", "في 10 مارس"):
        m = one(text, None)
        assert m.date is None and "unresolved" in m.reason
    assert one("في 10 مارس 2019", None).date == dt.date(2019, 3, 10)


def test_non_dates() -> None:
    for text in ("في اليوم التالي عاد", "قال الأب رمضان", "سجل صفر إصابات", "مارس الضغط", "احتفل باليوم العالمي",
                 "قصف معسكرا في إب وسط اليمن", "يسيطرون عليها منذ منتصف يونيو"):
        assert find_dates(text, PUB) == [], text
    m = one("31 فبراير 2019")
    assert m.date is None and "invalid" in m.reason


def test_offsets_survive_diacritics() -> None:
    text = "قُتِلَ جُنْدِيٌّ أَمْسِ فِي الهُجُومِ"
    m = one(text)
    assert text[m.start : m.end] == "أَمْسِ"


@settings(max_examples=300, deadline=None)
@given(
    st.text(max_size=60)
    | st.lists(st.sampled_from(["أمس", "12", "مارس", "2019", "/", "-", "الاثنين", "الماضي", "منذ", "أيام", "رجب",
                                 "1440", "هـ", "31", "99", "0", " ", "شهر", "يوم", "\n", "الأسبوع"]), max_size=12).map(" ".join),
    st.one_of(st.none(), st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))),
)
def test_find_dates_never_raises(text: str, published: dt.date | None) -> None:
    for m in find_dates(text, published):
        assert 0 <= m.start < m.end <= len(text)
        assert m.precision in (1, 2, 3)


def test_component_dates_per_sentence_and_numbers_inside_dates_dropped() -> None:
    doc = Document(
        id="d",
        text="قتل ثلاثة أشخاص أمس.\nوفي 10 مارس 2019 قتل 4 آخرون منذ 5 أيام.",
        published=PUB,
    )
    for make in (make_segmenter, make_number_tagger, make_date_tagger):
        doc = make()(doc)
    dates = doc.mentions_of("DATE")
    assert [(m.text, m.value, m.sentence, m.attrs["precision"], m.attrs["relative"]) for m in dates] == [
        ("أمس", "2019-03-11", 0, 1, True),
        ("10 مارس 2019", "2019-03-10", 1, 1, False),
        ("منذ 5 أيام", "2019-03-07", 1, 1, True),
    ]
    assert all(m.component == "text.dates" and m.reason for m in dates)
    assert [m.value for m in doc.mentions_of("NUMBER")] == [3, 4]


def test_gold_articles_tag_without_errors() -> None:
    path = SHARED / "gold" / "dev.jsonl"
    if not path.exists():
        pytest.skip("shared gold data not available")
    comps = [make() for make in (make_segmenter, make_number_tagger, make_date_tagger)]
    n_dates = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        published = dt.date.fromisoformat(rec["published"]) if rec.get("published") else None
        doc = Document(id=rec["id"], text=rec["text"], title=rec.get("title") or "", published=published)
        for c in comps:
            doc = c(doc)
        for m in doc.mentions:
            assert doc.text[m.start : m.end] == m.text and m.reason
            assert 0 <= m.sentence < len(doc.sentences)
        for m in doc.mentions_of("DATE"):
            n_dates += 1
            if m.value and published and not m.attrs["future"]:
                # Resolved past dates lie before publication (history included).
                assert dt.date.fromisoformat(m.value) <= published
    assert n_dates > 0


def test_named_weekday_beside_a_relative_cue_wins_over_the_metadata() -> None:
    # Articles often carry a crawl/print date: "اليوم (الجمعة)" in an article dated Tuesday 2019-03-12.
    m = one("قال مسؤولون اليوم (الجمعة) إن")
    assert m.iso == "2019-03-08" and "disagrees" in m.reason
    assert one("أمس (الاثنين)").iso == "2019-03-11"  # agrees: nothing to correct
    assert one("أمس الثلاثاء").iso == "2019-03-12"  # written the day after the metadata date


def test_month_in_two_naming_systems_and_past_or_next_marker() -> None:
    text = "يغلق الباب في 26 أكتوبر تشرين الأول القادم"
    m = one(text)
    assert text[m.start : m.end] == "26 أكتوبر تشرين الأول القادم"
    assert m.iso == "2019-10-26" and m.future
    assert one("في 18 مارس (آذار) الماضي").iso == "2018-03-18"
    m = one("تنطلق مساء غد الأربعاء")
    assert m.iso == "2019-03-13" and m.future


def test_the_friday_prayer_is_no_date() -> None:
    import datetime as _dt

    from rasd.text.dates import find_dates

    found = find_dates("تفجير خلال صلاة الجمعة في 26 يونيو الماضي", _dt.date(2015, 7, 31))
    assert [d.date for d in found] == [_dt.date(2015, 6, 26)]
    assert [d.date for d in find_dates("قتل خمسة يوم الجمعة", _dt.date(2015, 7, 31))] == [_dt.date(2015, 7, 31)]
