"""Scraping debris is recorded as ignored spans; the text itself is never changed."""
from __future__ import annotations

from rasd.ingest.clean import find_ignored_spans, headline_span, is_ignored, load_debris

BODY = "قالت الشرطة إن المتظاهرين تجمعوا أمام مقر الولاية صباح الأحد."


def _texts(text: str) -> list[tuple[str, str]]:
    return [(text[s:e], reason) for s, e, reason in find_ignored_spans(text)]


def test_font_size_widget_lines_merge_into_one_span() -> None:
    text = "+A\nA-\n\nعنوان الخبر\n\n" + BODY
    assert _texts(text) == [("+A\nA-", "font-size widget")]


def test_share_bars_and_mixed_toolbars() -> None:
    text = "\n".join([BODY, "شارك | فيسبوك • تويتر", BODY, "A+ A- طباعة", "Share  Tweet  Email"])
    found = _texts(text)
    assert ("شارك | فيسبوك • تويتر", "share/print bar") in found
    assert ("A+ A- طباعة", "page toolbar") in found
    assert ("Share  Tweet  Email", "share/print bar") in found


def test_spelling_variants_and_diacritics_match() -> None:
    text = BODY + "\nإقرأ أيضاً\n" + BODY + "\nطِبَاعَة\n"
    found = dict(_texts(text))
    assert found.get("إقرأ أيضاً") == "read-also marker"
    assert found.get("طِبَاعَة") == "share/print bar"


def test_punctuation_only_lines_and_copyright() -> None:
    text = BODY + "\n* * *\n" + BODY + "\n-----\n© 2021 جميع الحقوق محفوظة"
    found = _texts(text)
    assert ("* * *", "punctuation-only line") in found
    assert ("-----", "punctuation-only line") in found
    assert found[-1][1] == "copyright line"


def test_words_inside_sentences_are_not_debris() -> None:
    # "شارك" and "طباعة" are ordinary words when they are part of a sentence.
    text = "شارك مئات في المظاهرة.\nتوقفت طباعة الصحف بسبب الإضراب.\nA- level exams"
    assert find_ignored_spans(text) == []


def test_offsets_point_at_the_original_text() -> None:
    text = "  +A  \r\nA-\n" + BODY
    (start, end, _), = find_ignored_spans(text)
    assert text[start:end].strip().startswith("+A") and text[start:end].endswith("A-")
    assert is_ignored(start, end, find_ignored_spans(text))
    assert not is_ignored(start, len(text), find_ignored_spans(text))


def test_headline_detection() -> None:
    text = "+A\nA-\n\nالباغوز.. داعش يلجأ لانتحارييه\n\n" + BODY
    span = headline_span(text, find_ignored_spans(text))
    assert span is not None and text[span[0]:span[1]] == "الباغوز.. داعش يلجأ لانتحارييه"
    # Running prose, or a single paragraph, is not a headline.
    assert headline_span(BODY + "\n" + BODY, []) is None
    assert headline_span("عنوان قصير", []) is None
    assert headline_span(" ".join([BODY] * 3) + "\nنص", []) is None


def test_debris_table_has_reasons_and_sources() -> None:
    rows = load_debris()
    assert len(rows) > 20
    assert all(kind in ("token", "line") and pattern and reason for kind, pattern, reason in rows)
