"""Clitic-aware phrase lookup over normalised Arabic text.

Every lexicon in rasd (actors, places, triggers) is matched by this one
mechanism: the text is split into word tokens, and at each token we try the
token as written and with its proclitics removed (و، ف، ب، ل، ك، ال and their
combinations, e.g. "وللتحالف" -> "التحالف"), then look the following tokens up
in a hash table keyed by whole phrases. One pass, hash lookups only, so it
scales to gazetteers with hundreds of thousands of names.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Generic, Iterable, Iterator, TypeVar

from rasd.text.normalize import normalize_plain

T = TypeVar("T")

WORD_RE = re.compile(r"\w+")

# Longest first, so that "وبال" is tried before "و".
_PREFIXES: tuple[str, ...] = (
    "وبال", "وكال", "فبال", "وال", "فال", "بال", "كال", "ولل", "فلل", "لل",
    "وب", "ول", "وك", "فب", "فل", "فك", "و", "ف", "ب", "ل", "ك",
)
_MIN_STEM = 2


def stem_candidates(token: str) -> list[tuple[str, int]]:
    """The forms a (normalised) token may stand for once proclitics are removed.

    Returns (form, number of leading characters that are clitics), the token
    itself first. A form that dropped "ال" or "لل" is also offered with "ال"
    restored, since lexicon entries carry the article ("للتحالف" -> "التحالف").
    """
    out = [(token, 0)]
    seen = {token}
    for p in _PREFIXES:
        if not token.startswith(p) or len(token) - len(p) < _MIN_STEM:
            continue
        stem = token[len(p):]
        forms = [(stem, len(p))]
        if p.endswith("ال"):
            forms.insert(0, ("ال" + stem, len(p) - 2))
        elif p.endswith("لل"):
            # The article's lam is fused with the preposition: keep it in the span.
            forms.insert(0, ("ال" + stem, len(p) - 1))
        for form, cut in forms:
            if form not in seen:
                seen.add(form)
                out.append((form, cut))
    return out


def phrase_key(phrase: str) -> tuple[str, ...]:
    """The lookup key of a lexicon phrase: its normalised word tokens."""
    return tuple(WORD_RE.findall(normalize_plain(phrase)))


@dataclass(frozen=True, slots=True)
class PhraseMatch(Generic[T]):
    start: int  # offsets into the normalised text given to ``find``
    end: int
    key: tuple[str, ...]
    payloads: tuple[T, ...]


class PhraseMatcher(Generic[T]):
    """Longest-match, left-to-right, non-overlapping phrase lookup."""

    def __init__(self, entries: Iterable[tuple[str, T]] = ()) -> None:
        self._table: dict[tuple[str, ...], list[T]] = {}
        self._lengths: dict[str, set[int]] = {}
        # token -> [(form, clitic cut, phrase lengths longest first)] for the forms that start a phrase.
        self._starts: dict[str, list[tuple[str, int, list[int]]]] = {}
        for phrase, payload in entries:
            self.add(phrase, payload)

    def add(self, phrase: str, payload: T) -> None:
        key = phrase_key(phrase)
        if not key:
            return
        self._table.setdefault(key, []).append(payload)
        self._lengths.setdefault(key[0], set()).add(len(key))
        self._starts.clear()

    def _start_forms(self, token: str) -> list[tuple[str, int, list[int]]]:
        lengths = self._lengths
        return [(f, cut, sorted(lengths[f], reverse=True)) for f, cut in stem_candidates(token) if f in lengths]

    def __len__(self) -> int:
        return len(self._table)

    def __contains__(self, phrase: str) -> bool:
        return phrase_key(phrase) in self._table

    def lookup(self, phrase: str) -> list[T]:
        return list(self._table.get(phrase_key(phrase), ()))

    def find(self, norm_text: str) -> list[PhraseMatch[T]]:
        return list(self.iter_find(norm_text))

    def iter_find(self, norm_text: str) -> Iterator[PhraseMatch[T]]:
        tokens = [(m.group(), m.start(), m.end()) for m in WORD_RE.finditer(norm_text)]
        i = 0
        n = len(tokens)
        table = self._table
        starts = self._starts
        while i < n:
            best: tuple[int, int, tuple[str, ...]] | None = None  # (ntokens, clitic cut, key)
            tok = tokens[i][0]
            entry = starts.get(tok)
            if entry is None:
                entry = starts[tok] = self._start_forms(tok)
            for form, cut, sizes in entry:
                for size in sizes:
                    if i + size > n or (best and size <= best[0]):
                        continue
                    key = (form,) + tuple(t[0] for t in tokens[i + 1 : i + size])
                    if key in table:
                        best = (size, cut, key)
                        break
            if best is None:
                i += 1
                continue
            size, cut, key = best
            yield PhraseMatch(tokens[i][1] + cut, tokens[i + size - 1][2], key, tuple(table[key]))
            i += size


__all__ = ["PhraseMatcher", "PhraseMatch", "phrase_key", "stem_candidates", "WORD_RE"]


# Proclitics allowed before a stem pattern: conjunction, then preposition or article.
_PROCLITIC_RE = r"(?:[وف]?(?:بال|كال|لل|ال|[بلك])?)"


def _compile_stem_pattern(pattern: str) -> str:
    parts = []
    for tok in pattern.split():
        stem = tok.rstrip("*")
        piece = re.escape(normalize_plain(stem))
        parts.append(piece + (r"\w*" if tok.endswith("*") else ""))
    return r"\s+".join(parts)


class StemPatternMatcher(Generic[T]):
    """Matches stem patterns ("اشتباك*", "عبوه ناسفه") compiled into one regular expression.

    Used for trigger and cue words, whose inflections (plural, dual, verb
    conjugations) are too many to list. Longer patterns are tried first at
    each position, so "سياره مفخخه" wins over "مفخخ*".
    """

    def __init__(self, entries: Iterable[tuple[str, T]]) -> None:
        items = [(p, payload) for p, payload in entries if p.strip()]
        items.sort(key=lambda it: -len(it[0].replace("*", "")))
        self._payloads: list[T] = [payload for _, payload in items]
        alternatives = [f"({_compile_stem_pattern(p)})" for p, _ in items]
        body = "|".join(alternatives) if alternatives else r"(?!x)x"
        self._regex = re.compile(rf"(?<!\w){_PROCLITIC_RE}(?:{body})(?!\w)")

    def find(self, norm_text: str) -> list[tuple[int, int, T]]:
        """(start, end, payload) of every match; spans exclude the proclitics."""
        out = []
        for m in self._regex.finditer(norm_text):
            idx = m.lastindex
            if idx is None:
                continue
            out.append((m.start(idx), m.end(idx), self._payloads[idx - 1]))
        return out

    def search(self, norm_text: str) -> bool:
        return self._regex.search(norm_text) is not None


__all__ += ["StemPatternMatcher"]
