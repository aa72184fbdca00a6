"""Sentence splitting, tokenisation, clitic splitting and the segment component."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.doc import Document
from rasd.text.segment import make_segmenter, split_clitics, split_sentences, tokenize

SHARED = Path(__file__).parents[1] / ".." / "shared"

pieces = st.sampled_from(
    ["قال", "الجيش", "3.5", "12", "www.x.com", "د.", "U.S.", " ", "  ", "\n", "\n\n", ".", "..", "...", "؟", "!",
     "؛", "،", "\"", "»", ")", "…", "أ", "انتهى.وقال", "\t", "a", "1,200"]
)
texts = st.one_of(st.lists(pieces, max_size=30).map("".join), st.text(max_size=60))


@settings(max_examples=400, deadline=None)
@given(texts)
def test_sentences_cover_every_non_space_character_exactly_once(text: str) -> None:
    spans = split_sentences(text)
    covered = [0] * len(text)
    prev_end = 0
    for s, e in spans:
        assert prev_end <= s < e <= len(text)
        assert not text[s].isspace() and not text[e - 1].isspace()
        for i in range(s, e):
            covered[i] += 1
        prev_end = e
    for i, ch in enumerate(text):
        assert covered[i] == 1 if not ch.isspace() else covered[i] <= 1, (i, ch)


def _sents(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def test_terminal_punctuation_splits() -> None:
    assert _sents("قتل جندي. وأصيب آخر؟ نعم! ثم؛ انتهى") == ["قتل جندي.", "وأصيب آخر؟", "نعم!", "ثم؛", "انتهى"]


def test_no_split_on_decimals_urls_abbreviations_and_headline_dots() -> None:
    text = "بلغت النسبة 3.5 بالمئة حسب موقع www.example.com وقال د. سامي إن U.S. Army وصل. بعدها"
    assert _sents(text) == [text[: text.index("وصل.") + 4], "بعدها"]
    assert _sents("المدينة.. سقوط قذائف") == ["المدينة.. سقوط قذائف"]


def test_lines_are_sentences_and_closing_quotes_stay() -> None:
    text = 'عنوان بلا نقطة\nقال: "انتهى الأمر." ثم غادر\n\n   \nسطر أخير'
    assert _sents(text) == ["عنوان بلا نقطة", 'قال: "انتهى الأمر."', "ثم غادر", "سطر أخير"]


def test_glued_arabic_sentences_split() -> None:
    assert _sents("انتهى الاجتماع.وقال المتحدث") == ["انتهى الاجتماع.", "وقال المتحدث"]


def test_tokenize_keeps_diacritics_and_number_separators() -> None:
    toks = tokenize("قُتِلَ 1,200 (3.5%).")
    assert [t.text for t in toks] == ["قُتِلَ", "1,200", "(", "3.5", "%", ")", "."]
    for t in toks:
        assert "قُتِلَ 1,200 (3.5%)."[t.start : t.end] == t.text


@pytest.mark.parametrize(
    "word, expected",
    [
        ("وزير", ("", "وزير")),
        ("ووزير", ("و", "وزير")),
        ("والجيش", ("وال", "جيش")),
        ("بالجيش", ("بال", "جيش")),
        ("للجيش", ("لل", "جيش")),
        ("بهجوم", ("ب", "هجوم")),
        ("ولد", ("", "ولد")),
        ("فلسطين", ("", "فلسطين")),
        ("وفلسطين", ("و", "فلسطين")),
        ("وَالجَيْش", ("وَال", "جَيْش")),
    ],
)
def test_split_clitics(word: str, expected: tuple[str, str]) -> None:
    assert split_clitics(word) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=12))
def test_split_clitics_concatenates_back(word: str) -> None:
    pro, stem = split_clitics(word)
    assert pro + stem == word


def test_component_title_inside_text_is_its_own_sentence() -> None:
    title = "اشتباكات في المدينة"
    doc = Document(id="t", text=f"{title} قتل خمسة أشخاص. وأصيب آخرون.", title=title)
    make_segmenter()(doc)
    assert doc.sentences[0].text == title
    assert [s.index for s in doc.sentences] == list(range(len(doc.sentences)))
    assert all(doc.text[s.start : s.end] == s.text for s in doc.sentences)
    assert doc.meta["title_span"] == [0, len(title)]


def test_component_ignores_a_title_not_in_the_text() -> None:
    doc = Document(id="t", text="قتل خمسة أشخاص.", title="عنوان آخر")
    make_segmenter()(doc)
    assert [s.text for s in doc.sentences] == ["قتل خمسة أشخاص."]
    assert "title_span" not in doc.meta


def test_gold_articles_segment_consistently() -> None:
    path = SHARED / "gold" / "dev.jsonl"
    if not path.exists():
        pytest.skip("shared gold data not available")
    seg = make_segmenter()
    for line in path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        doc = seg(Document(id=rec["id"], text=rec["text"], title=rec.get("title") or ""))
        assert doc.sentences
        assert all(doc.text[s.start : s.end] == s.text and s.text.strip() == s.text for s in doc.sentences)
        # Sentences are not absurdly long: every boundary rule failing at once would show here.
        assert max(len(s.text) for s in doc.sentences) < 3000


def test_a_word_ending_in_tanween_before_the_dot_ends_the_sentence() -> None:
    # The diacritic is a combining mark: the word must not be read as the one-letter abbreviation "ا."
    text = "قتل عشرون شخصًا. وكانت مصادر أمنية ذكرت رقما أقل."
    assert [text[a:b] for a, b in split_sentences(text)] == ["قتل عشرون شخصًا.", "وكانت مصادر أمنية ذكرت رقما أقل."]


def test_marks_alone_before_a_glued_dot_do_not_crash() -> None:
    # A "word" of diacritics only (found by the offset property test): no letter, so no boundary.
    assert split_sentences("ً.ءَ ") == [(0, 4)]
