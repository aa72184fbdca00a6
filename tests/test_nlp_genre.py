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


POLICE_NEWS = (
    "أعلنت شرطة المنطقة أمس القبض على ثلاثة أشخاص متورطين في قضايا سرقة واحتيال على العمالة الوافدة، "
    "وأحيلوا إلى جهة التحقيق بعد ضبط المسروقات في مدينة بريدة."
)


def test_police_news_is_crime_and_codes_no_arrest():
    from rasd.nlp.genre import subject

    assert subject(POLICE_NEWS)[0] == "crime"
    doc = extract(Document(id="p", text=POLICE_NEWS, published=dt.date(2015, 7, 20)))
    assert doc.meta["subject"] == "crime" and doc.events == []


def test_an_arrest_of_militants_stays_an_event_even_with_a_crime_word():
    text = ("أعلنت وزارة الداخلية أمس القبض على خلية إرهابية تابعة لتنظيم داعش في مدينة بريدة، "
            "وضبطت بحوزتها أسلحة وأموالا من عمليات سرقة.")
    doc = extract(Document(id="m", text=text, published=dt.date(2015, 7, 20)))
    assert doc.meta["subject"] == "general"
    assert [e["sub_event_type"] for e in doc.events] == ["Arrests"]


def test_the_title_counts_and_a_political_word_must_be_outnumbered():
    from rasd.nlp.genre import CRIME_TO_POLITICAL, subject

    body = "قتل مواطن شقيقه بإطلاق النار عليه في حي سكني أمس."
    assert subject(body)[0] == "general"  # nothing says crime
    assert subject(body, title="القصاص من قاتل إثر خلاف عائلي")[0] == "crime"
    crime_words = "سرقة " * CRIME_TO_POLITICAL
    assert subject(crime_words + "إرهاب")[0] == "general"
    assert subject(crime_words + "سرقة إرهاب")[0] == "crime"
