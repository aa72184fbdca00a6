"""News report or commentary (rasd.nlp.genre), on texts written for these tests."""
import datetime as dt

from rasd.doc import Document
from rasd.extract import extract
from rasd.nlp.genre import COMMENTARY_MIN_WORDS, classify

ESSAY = (
    "إن الحروب التي عرفتها منطقتنا علمتنا أن العنف لا يبني دولة ولا يحمي شعبا. "
    "وما نراه من خراب ودمار في المدن العربية ليس إلا ثمرة الكراهية التي زرعها المتطرفون في عقول الشباب. "
    "فعلينا أن نعيد النظر في مناهجنا وخطابنا الإعلامي حتى لا يتكرر القتل باسم الدين. "
)
NEWS = (
    "قال مصدر أمني إن مسلحين هاجموا أمس نقطة تفتيش في مدينة العريش. "
    "وأضاف المصدر أن قوات الأمن ردت على مصادر النيران، بحسب ما ذكرت وكالة الأنباء الرسمية يوم الأحد. "
)


def long_text(paragraph: str) -> str:
    reps = COMMENTARY_MIN_WORDS // len(paragraph.split()) + 2
    return paragraph * reps


def test_a_long_text_without_attributions_or_days_is_commentary():
    genre, reason = classify(long_text(ESSAY))
    assert genre == "commentary" and "per 100" in reason


def test_a_long_text_that_says_who_said_it_and_when_is_a_report():
    assert classify(long_text(NEWS))[0] == "report"


def test_a_short_text_is_a_report_whatever_it_lacks():
    assert classify(ESSAY)[0] == "report"


def test_commentary_codes_no_event_from_rhetoric_but_keeps_a_dated_toll():
    rhetoric = "فقد قتل الحوثيون عشرات المدنيين بقصف الأحياء السكنية في عدن. "
    doc = extract(Document(id="c", text=long_text(ESSAY) + rhetoric, published=dt.date(2015, 7, 20)))
    assert doc.meta["genre"] == "commentary" and doc.events == []
    # the same sentence in a report is an event (a toll anchors it)
    doc = extract(Document(id="r", text=long_text(NEWS) + rhetoric, published=dt.date(2015, 7, 20)))
    assert doc.meta["genre"] == "report" and any(e["location"] == "Aden" for e in doc.events)
    dated = "وقتل تنظيم داعش أمس 12 مدنيا في هجوم على قرية قرب مدينة الموصل. "
    doc = extract(Document(id="d", text=long_text(ESSAY) + dated, published=dt.date(2015, 7, 20)))
    assert [e["fatalities"] for e in doc.events] == [12]
    assert "commentary" in doc.events[0].to_dict()["provenance"]["event_type"]["reason"]
