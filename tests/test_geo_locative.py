"""Names that are also common words or first names become places only with evidence."""
from rasd.doc import Document, Sentence
from rasd.geo.places import PlaceRecognizer

recognizer = PlaceRecognizer()


def places(text: str) -> list[tuple[str, list[str]]]:
    doc = Document("t", text, sentences=[Sentence(0, len(text), text, 0)])
    recognizer(doc)
    return [(m.text, sorted({p.country_iso2 for p in m.value})) for m in doc.mentions if m.label == "PLACE"]


def test_name_after_locative_in_an_article_about_its_country_is_the_town():
    found = places("قتل عشرة أشخاص في هجوم في مروة بشمال الكاميرون")
    assert ("مروة", ["CM"]) in found


def test_same_name_as_a_person_stays_a_name():
    found = places("قالت مروة إن الوضع هادئ في الكاميرون")
    assert all(text != "مروة" for text, _ in found)


def test_locative_alone_is_not_enough_without_the_country_in_the_article():
    found = places("وصلت الطائرة أمس في مروة")
    assert all(text != "مروة" for text, _ in found)


def test_cue_words_are_never_places_themselves():
    found = places("وصل وفد إلى مدينة الخبر السعودية")
    assert [text for text, _ in found if text == "مدينة"] == []
