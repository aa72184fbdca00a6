"""Arabic orthographic normalisation that remembers where every character came from.

Matching lexicons against raw Arabic fails on spelling variation (أ/إ/ا, ى/ي,
ة/ه, diacritics, tatweel, Arabic-Indic digits). We match on a normalised copy,
and ``Normalized.to_original`` maps any span of that copy back to the exact
original characters, so evidence offsets stay true.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Sequence

# Characters dropped entirely: harakat, Quranic marks, superscript alef, tatweel,
# and invisible formatting marks that scraped pages are full of.
_DROP = set(range(0x064B, 0x0660)) | {0x0670, 0x0640} | set(range(0x06D6, 0x06EE))
_DROP |= {0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x061C, 0xFEFF, 0x00AD}

_FOLD: dict[str, str] = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ٲ": "ا",
    "ٳ": "ا",
    "ى": "ي",
    "ی": "ي",  # Persian yeh
    "ک": "ك",  # Persian keheh
    "ة": "ه",
    "ؤ": "و",
    "ئ": "ي",
}
for _i in range(10):
    _FOLD[chr(0x0660 + _i)] = str(_i)  # Arabic-Indic digits
    _FOLD[chr(0x06F0 + _i)] = str(_i)  # Extended (Persian/Urdu) digits


def _presentation_forms() -> dict[int, str]:
    """Arabic presentation forms (contextual glyphs some old sites and PDF exports store instead of
    letters: "ﻭأفادت ﻣﺼﺎﺩﺭ") to the folded letters they show. Lam-alef ligatures become two letters;
    multi-letter honorific ligatures (ﷺ) are left alone."""
    table: dict[int, str] = {}
    for cp in [*range(0xFB50, 0xFE00), *range(0xFE70, 0xFEFD)]:
        letters = unicodedata.normalize("NFKC", chr(cp)).strip()
        if not letters or letters == chr(cp) or len(letters) > 2 or not all(0x0600 <= ord(c) <= 0x06FF for c in letters):
            continue
        table[cp] = "".join(_FOLD.get(c, c) for c in letters if ord(c) not in _DROP)
    return table


_PRESENTATION = _presentation_forms()
_PRESENTATION_RE = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(_PRESENTATION)) + "]")
# Per-character table, the definition normalize_plain implements fast: "" drops, otherwise the replacement.
_TABLE: dict[int, str] = {cp: "" for cp in _DROP}
_TABLE.update({ord(k): v for k, v in _FOLD.items()})
_TABLE.update(_PRESENTATION)
_EXPANDING_RE = re.compile("[" + "".join(re.escape(chr(cp)) for cp, v in sorted(_PRESENTATION.items())
                                        if len(v) > 1) + "]")


@dataclass(frozen=True, slots=True)
class Normalized:
    """A normalised string plus, for each of its characters, the index it came from."""

    text: str
    original: str
    offsets: Sequence[int]  # len(offsets) == len(text); a range when nothing was dropped

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map the half-open span [start, end) of ``text`` to the original string.

        The result covers every original character that produced the span,
        including dropped marks (diacritics, tatweel) lying inside it.
        """
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span {start}:{end} outside normalised text of length {len(self.text)}")
        if start == end:
            pos = self.offsets[start] if start < len(self.offsets) else len(self.original)
            return pos, pos
        return self.offsets[start], self.offsets[end - 1] + 1

    def original_text(self, start: int, end: int) -> str:
        s, e = self.to_original(start, end)
        return self.original[s:e]


_DROP_RE = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(_DROP)) + "]")
_DROP_RUN_RE = re.compile(_DROP_RE.pattern + "+")


def normalize(text: str) -> Normalized:
    """Normalise Arabic ``text``, keeping an offset map back to it."""
    if _EXPANDING_RE.search(text):
        return _normalize_by_character(text)
    folded = normalize_plain(text)
    if len(folded) == len(text):
        # Folding is one character for one, so offsets only move where characters are dropped.
        return Normalized(folded, text, range(len(text)))
    # Offsets are runs of consecutive indices between dropped characters: build them run by run.
    offsets: list[int] = []
    pos = 0
    for m in _DROP_RUN_RE.finditer(text):
        offsets.extend(range(pos, m.start()))
        pos = m.end()
    offsets.extend(range(pos, len(text)))
    return Normalized(folded, text, offsets)


def _normalize_by_character(text: str) -> Normalized:
    """The slow path for text where one character becomes two (a lam-alef ligature): both come
    from it."""
    chars: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        for out in normalize_plain(ch):
            chars.append(out)
            offsets.append(i)
    return Normalized("".join(chars), text, offsets)


def normalized_sentence(doc: Any, sent: Any) -> Normalized:
    """``normalize(sent.text)``, computed once per document run and shared by every component."""
    cache = doc.cache.setdefault("norm", {})
    norm = cache.get(sent.index)
    if norm is None or norm.original is not sent.text:
        norm = cache[sent.index] = normalize(sent.text)
    return norm


_FOLD_ITEMS = tuple(_FOLD.items())


def normalize_plain(text: str) -> str:
    """Normalised form only, for lexicon keys, search and matching.

    A chain of C-level ``str.replace`` calls, each skipped when its character is absent, is
    several times faster than ``str.translate`` on Arabic text (which looks every character up
    in a Python dict). Correct because no replacement produces a character another rule rewrites.
    """
    if _PRESENTATION_RE.search(text):
        text = text.translate(_PRESENTATION)
    for ch, rep in _FOLD_ITEMS:
        if ch in text:
            text = text.replace(ch, rep)
    if _DROP_RE.search(text):
        text = _DROP_RE.sub("", text)
    return text


__all__ = ["Normalized", "normalize", "normalize_plain", "normalized_sentence"]
