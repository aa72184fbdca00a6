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
from functools import lru_cache
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


_PREFIXES_BY_LETTER: dict[str, tuple[str, ...]] = {}
for _p in _PREFIXES:
    _PREFIXES_BY_LETTER[_p[0]] = _PREFIXES_BY_LETTER.get(_p[0], ()) + (_p,)


@lru_cache(maxsize=262_144)
def stem_candidates(token: str) -> list[tuple[str, int]]:
    """The forms a (normalised) token may stand for once proclitics are removed.

    Returns (form, number of leading characters that are clitics), the token
    itself first. A form that dropped "ال" or "لل" is also offered with "ال"
    restored, since lexicon entries carry the article ("للتحالف" -> "التحالف").
    Cached: every lexicon asks about the same words. Callers must not mutate the list.
    """
    out = [(token, 0)]
    prefixes = _PREFIXES_BY_LETTER.get(token[:1])
    if not prefixes:
        return out
    seen = {token}
    for p in prefixes:
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
        if len(starts) > _CACHE_LIMIT:
            starts.clear()
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


_CACHE_LIMIT = 200_000  # distinct tokens remembered per matcher before the cache is reset


class StemPatternMatcher(Generic[T]):
    """Matches stem patterns ("اشتباك*", "عبوه ناسفه"): tokens, and a trailing * for any suffix.

    Used for trigger and cue words, whose inflections (plural, dual, verb
    conjugations) are too many to list. Like ``PhraseMatcher`` it works on word
    tokens with proclitics removed, and looks stems up in a hash table (every
    prefix of a token is a possible stem), so its cost does not grow with the
    number of patterns. The longest pattern wins at each position, so
    "سياره مفخخه" beats "مفخخ*"; matches do not overlap.
    """

    def __init__(self, entries: Iterable[tuple[str, T]]) -> None:
        self._entries: list[tuple[tuple[tuple[str, bool], ...], int, T]] = []
        self._first: dict[str, list[int]] = {}
        for pattern, payload in entries:
            parts = tuple(
                (normalize_plain(tok.rstrip("*")), tok.endswith("*")) for tok in pattern.split() if tok.rstrip("*")
            )
            if not parts:
                continue
            size = sum(len(stem) for stem, _ in parts)
            self._first.setdefault(parts[0][0], []).append(len(self._entries))
            self._entries.append((parts, size, payload))
        # Every prefix of every first stem: lets a token's prefixes be tried only while they can
        # still lead somewhere (most tokens stop after two or three letters).
        self._prefixes = {stem[:k] for stem in self._first for k in range(1, len(stem) + 1)}
        self._starts: dict[str, list[tuple[int, int]]] = {}

    def _start_entries(self, token: str) -> list[tuple[int, int]]:
        """(clitic cut, entry index) of the patterns whose first token fits ``token``."""
        out = []
        first = self._first
        entries = self._entries
        forms = list(stem_candidates(token))
        # Stem patterns are written without the article ("هجوم" also finds "الهجوم", "والهجوم").
        forms += [(f[2:], cut + 2) for f, cut in forms if f.startswith("ال") and len(f) - 2 >= _MIN_STEM]
        prefixes = self._prefixes
        for form, cut in forms:
            for length in range(1, len(form) + 1):
                head = form[:length]
                if head not in prefixes:
                    break
                for idx in first.get(head, ()):
                    if entries[idx][0][0][1] or length == len(form):
                        out.append((cut, idx))
        return out

    def find(self, norm_text: str) -> list[tuple[int, int, T]]:
        """(start, end, payload) of every match; spans exclude the proclitics."""
        words = WORD_RE.findall(norm_text)
        starts = self._starts
        if len(starts) > _CACHE_LIMIT:
            starts.clear()
        for tok in words:  # the common case, no trigger at all, costs one lookup per word
            cands = starts.get(tok)
            if cands is None:
                cands = starts[tok] = self._start_entries(tok)
            if cands:
                break
        else:
            return []
        tokens = [(m.group(), m.start(), m.end()) for m in WORD_RE.finditer(norm_text)]
        out: list[tuple[int, int, T]] = []
        i, n = 0, len(tokens)
        while i < n:
            tok = tokens[i][0]
            cands = starts.get(tok)
            if cands is None:
                cands = starts[tok] = self._start_entries(tok)
            best: tuple[int, int, int, int] | None = None  # (size, cut, entry, ntokens)
            for cut, idx in cands:
                parts, size, _ = self._entries[idx]
                if best is not None and size <= best[0]:
                    continue
                if i + len(parts) > n:
                    continue
                if all(
                    tokens[i + k][0].startswith(stem) if open_end else tokens[i + k][0] == stem
                    for k, (stem, open_end) in enumerate(parts[1:], start=1)
                ):
                    best = (size, cut, idx, len(parts))
            if best is None:
                i += 1
                continue
            _, cut, idx, ntok = best
            out.append((tokens[i][1] + cut, tokens[i + ntok - 1][2], self._entries[idx][2]))
            i += ntok
        return out

    def search(self, norm_text: str) -> bool:
        return bool(self.find(norm_text))


__all__ += ["StemPatternMatcher"]
