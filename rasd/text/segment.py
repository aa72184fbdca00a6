"""Sentence splitting, word tokenisation and proclitic splitting for Arabic news text.

All spans are character offsets into the ORIGINAL string. Sentences are the unit
the event extractor reasons over, so the splitter errs towards keeping numbers,
URLs, abbreviations and headline separators ("الباغوز.. داعش") inside one sentence.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from rasd.doc import Document, Sentence
from rasd.pipeline import component
from rasd.text.normalize import normalize_plain

# A run of terminal punctuation, plus closing quotes/brackets that belong to the sentence it ends.
_TERMINAL_RE = re.compile(r"(?:\.{2,}|[.!?؟؛…]+)[\"'”’»)\]}›]*")
_LINE_BREAK_RE = re.compile(r"[\n\r\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85]")
_ARABIC_LETTER_RE = re.compile(r"[\u0621-\u064A\u0671-\u06D3]")
# Arabic diacritics are combining marks, not \w: "شخصًا." must read as one word, not the letter "ا".
_PREV_WORD_RE = re.compile(r"([\w\u064B-\u065F\u0670]+)$")

# Latin abbreviations that end in a dot without ending the sentence.
_LATIN_ABBREV = frozenset(
    "mr mrs ms dr prof st jr sr vs etc no inc ltd co corp gen col lt sgt capt rev gov sen rep jan feb mar apr"
    " jun jul aug sep sept oct nov dec fig approx".split()
)
# Single-letter Arabic words before a dot are abbreviations (د. = doctor, م. = engineer, أ. = professor),
# except هـ (Hijri era), which usually ends a date at the end of a sentence.
_ARABIC_ABBREV_EXCEPTIONS = frozenset({"ه"})
# ص/م after a time ("الساعة 5 م.") are am/pm and may end the sentence.
_TIME_SUFFIXES = frozenset({"ص", "م"})


def _is_boundary(text: str, m: re.Match[str]) -> bool:
    """Whether the punctuation run ``m`` ends a sentence."""
    punct = m.group()
    end = m.end()
    nxt = text[end] if end < len(text) else ""
    # Only whitespace, end of text, or an Arabic letter (missing space: "انتهى.وقال") may follow:
    # anything else is a decimal point, a URL, an e-mail, a file name...
    if nxt and not nxt.isspace() and not _ARABIC_LETTER_RE.match(nxt):
        return False
    core = punct.rstrip("\"'”’»)]}›")
    if core == "..":
        return False  # headline separator in Arabic news: "الباغوز.. داعش يلجأ"
    if core != ".":
        return True
    start = m.start()
    prev = _PREV_WORD_RE.search(text, max(0, start - 30), start)
    if prev is None:
        return True
    word = re.sub(r"[\u064B-\u065F\u0670]", "", prev.group(1))
    if nxt and _ARABIC_LETTER_RE.match(nxt):
        # Glued "word.word": only a boundary between Arabic words, never after digits ("3.ألف" is odd but safe).
        return bool(word) and bool(_ARABIC_LETTER_RE.match(word[-1]))  # a "word" of marks only is no word
    if word.lower() in _LATIN_ABBREV:
        return False
    if len(word) == 1 and word.isalpha():
        norm = normalize_plain(word)
        if norm in _ARABIC_ABBREV_EXCEPTIONS:
            return True
        if norm in _TIME_SUFFIXES and re.search(r"\d\s*$", text[max(0, prev.start() - 4) : prev.start()]):
            return True
        return False  # initials, "د." ...
    if word.isupper() and len(word) <= 3 and word.isascii() and word.isalpha():
        return False  # "U.S." style initials
    return True


def _cut_points(text: str, extra: tuple[int, ...] = ()) -> list[int]:
    cuts = set(extra)
    for m in _TERMINAL_RE.finditer(text):
        if _is_boundary(text, m):
            cuts.add(m.end())
    for m in _LINE_BREAK_RE.finditer(text):
        cuts.add(m.start())
    cuts.discard(0)
    return sorted(c for c in cuts if c < len(text))


def _spans_between(text: str, cuts: list[int]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    prev = 0
    for cut in cuts + [len(text)]:
        s, e = prev, cut
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            spans.append((s, e))
        prev = cut
    return spans


def split_sentences(text: str, force: tuple[int, ...] = ()) -> list[tuple[int, int]]:
    """Sentence spans (start, end) over ``text``, trimmed of surrounding whitespace.

    Boundaries: terminal punctuation (. ! ? ؟ ؛ …) followed by whitespace, end of text or a
    glued Arabic word; every line break (headlines and captions have no final stop). Not
    boundaries: decimal points, dots in URLs/numbers, ".." headline separators, abbreviations.
    ``force`` adds extra cut offsets (e.g. around the title). The spans partition the
    non-whitespace characters of ``text``: each one lies in exactly one span.
    """
    if not text:
        return []
    return _spans_between(text, _cut_points(text, force))


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str


# Words keep their diacritics, tatweel and joiners (not \w in Python); numbers keep their
# decimal and thousands separators ("3.5", "1,200", "٣٫٥").
_WORD_CHARS = r"\w\u064B-\u065F\u0670\u0640\u06D6-\u06ED\u200C\u200D"
_TOKEN_RE = re.compile(rf"\d+(?:[.,٫٬]\d+)+|[{_WORD_CHARS}]+|[^\s{_WORD_CHARS}]")


def tokenize(text: str) -> list[Token]:
    """Word, number and single-character punctuation tokens with original offsets."""
    return [Token(m.start(), m.end(), m.group()) for m in _TOKEN_RE.finditer(text)]


# Words whose first letter looks like a proclitic (و ف ب ل ك) but is a root letter. Matched on the
# normalised remainder as a prefix, so inflections are covered ("وزير" covers "وزيرة", "وزيرا").
# Kept short on purpose: the stem-length rule below catches most short words.
_CLITIC_EXCEPTIONS: tuple[str, ...] = tuple(
    normalize_plain(w)
    for w in (
        "وزير وزار وزراء وفد وفود وكال وكيل ولاي ولد وحد وطن وقت وقف وقع وصل وصول ورد واشنطن وادي وسط وضع وجود"
        " واجه ولي ولاء وثيق واقع وراء"
        " فلسطين فرنس فريق فصائل فصيل فندق فجر فيلق فرقة فرع فوج فتح فشل فقد فيديو فيسبوك فنزويلا فلوج"
        " بغداد بيروت بريطاني بلد بيان بنغازي برلمان بلغ بحر بحث بعقوب بنك باكستان بنت بيت بدأ بدء برنامج بوكو"
        " لبنان ليبي لندن لجنة لجان لواء لقاء لقي لحظة لاجئ لغم لمدة ليلة ليل"
        " كابول كركوك كتيب كلية كمين كشف كبير كبار كندا كوريا كينيا كنيسة كتلة كثير"
    ).split()
)
_CONJ = ("و", "ف")
_PREP = ("ب", "ل", "ك")
_MIN_STEM = 3


def _letters(s: str) -> int:
    return sum(1 for ch in s if ch.isalpha())


def split_clitics(word: str) -> tuple[str, str]:
    """Split leading proclitics off ``word``: (proclitic, stem), with ``proclitic + stem == word``.

    Conservative: peels conjunction (و ف), then preposition (ب ل ك), then article (ال, or the
    fused لل), each only if at least three letters remain and what is left does not start a known
    word whose first letter merely looks like a clitic (وزير stays وزير; ووزير -> و + وزير).
    """
    norm = normalize_plain(word)
    if len(norm) != len(word):
        # Diacritics/tatweel present: work on positions of the original via a char map.
        keep = [i for i, ch in enumerate(word) if normalize_plain(ch)]
        norm_chars = "".join(normalize_plain(word[i]) for i in keep)
    else:
        keep = list(range(len(word)))
        norm_chars = norm
    pos = 0  # clitic length in normalised characters

    def can_strip(n: int) -> bool:
        if norm_chars.startswith(_CLITIC_EXCEPTIONS, pos):
            return False  # the letter is a root letter of a known word
        return _letters(norm_chars[pos + n :]) >= _MIN_STEM

    if norm_chars[pos : pos + 1] in _CONJ and can_strip(1):
        pos += 1
    if norm_chars[pos : pos + 2] == "لل" and can_strip(2):
        pos += 2  # ل + (ا)ل: the article's alef is elided after the preposition
    else:
        if norm_chars[pos : pos + 1] in _PREP and can_strip(1):
            pos += 1
        if norm_chars[pos : pos + 2] == "ال" and can_strip(2):
            pos += 2
    if pos == 0:
        return "", word
    cut = keep[pos] if pos < len(keep) else len(word)
    return word[:cut], word[cut:]


def sentence_index_of(starts: list[int], offset: int) -> int:
    """Index of the sentence (given their sorted start offsets) that contains ``offset``."""
    return max(0, bisect.bisect_right(starts, offset) - 1)


class Segmenter:
    name = "segment"

    def __call__(self, doc: Document) -> Document:
        text = doc.text or ""
        force: tuple[int, ...] = ()
        title = (doc.title or "").strip()
        if title:
            pos = text.find(title)
            if pos >= 0:
                # The title is part of the text: make it its own sentence(s).
                force = (pos, pos + len(title))
                doc.meta["title_span"] = [pos, pos + len(title)]
            # A title not in the text is ignored, so that every offset stays an offset into doc.text.
        doc.sentences = [
            Sentence(start=s, end=e, text=text[s:e], index=i)
            for i, (s, e) in enumerate(split_sentences(text, force))
        ]
        return doc


@component("segment")
def make_segmenter() -> Segmenter:
    return Segmenter()


__all__ = ["split_sentences", "Token", "tokenize", "split_clitics", "sentence_index_of", "Segmenter"]
