"""Scraping debris found, not removed.

``Document.text`` stays exactly as ingested so every offset downstream points
at the original characters. Lines that are page furniture (the "+A / A-"
font-size widget, share and print bars, punctuation-only lines...) are reported
as ignored spans ``(start, end, reason)``; later components skip them.
The patterns live in ``rasd/resources/debris.tsv``.
"""
from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

DEBRIS_PATH = Path(__file__).resolve().parents[1] / "resources" / "debris.tsv"

IgnoredSpan = tuple[int, int, str]

# Spelling variants the lexicon's normaliser folds; a literal token matches any of them.
_VARIANTS: dict[str, str] = {
    "ا": "اأإآٱ",
    "أ": "اأإآٱ",
    "إ": "اأإآٱ",
    "آ": "اأإآٱ",
    "ي": "يىی",
    "ى": "يىی",
    "ة": "ةه",
    "ه": "ةه",
    "و": "وؤ",
    "ؤ": "وؤ",
}
_MARKS = "[\u064b-\u065f\u0670\u0640]*"  # diacritics and tatweel may sit after any letter
_SEP = r"[ \t|•·/\-–—،,:]*"
_HEADLINE_MAX = 200
_DEBRIS_LINE_MAX = 300


def _token_regex(token: str) -> str:
    out: list[str] = []
    for ch in token.strip():
        if ch in _VARIANTS:
            out.append(f"[{_VARIANTS[ch]}]{_MARKS}")
        elif "\u0621" <= ch <= "\u06ff":
            out.append(re.escape(ch) + _MARKS)
        elif ch.isspace():
            out.append(r"[ \t]+")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def load_debris(path: Path = DEBRIS_PATH) -> list[tuple[str, str, str]]:
    """(kind, pattern, reason) rows of the debris table."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t")
        return [(r["kind"], r["pattern"], r["reason"]) for r in rows if r.get("pattern")]


@lru_cache(maxsize=4)
def _compiled(path: Path = DEBRIS_PATH) -> tuple[re.Pattern[str], list[str]]:
    """One multi-line regex, one named group per reason: a single scan per document."""
    by_reason: dict[str, tuple[list[str], list[str]]] = {}
    for kind, pattern, reason in load_debris(path):
        tokens, lines = by_reason.setdefault(reason, ([], []))
        if kind == "token":
            tokens.append(_token_regex(pattern))
        elif kind == "line":
            lines.append(pattern)
        else:
            raise ValueError(f"{path}: unknown debris kind {kind!r}")
    groups: list[str] = []
    reasons: list[str] = []
    for i, (reason, (tokens, lines)) in enumerate(by_reason.items()):
        alts = list(lines)
        if tokens:
            tok = "(?:" + "|".join(sorted(tokens, key=len, reverse=True)) + ")"
            alts.append(f"{tok}(?:{_SEP}{tok})*")
        groups.append(f"(?P<g{i}>{'|'.join(alts)})")
        reasons.append(reason)
    # A toolbar line mixing kinds ("A+ A- طباعة"): tried only after every single-kind group.
    all_tokens = [t for tokens, _ in by_reason.values() for t in tokens]
    if all_tokens:
        tok = "(?:" + "|".join(sorted(all_tokens, key=len, reverse=True)) + ")"
        groups.append(f"(?P<g{len(reasons)}>{tok}(?:{_SEP}{tok})*)")
        reasons.append("page toolbar")
    regex = re.compile(
        r"^[ \t\u00a0\u200f\u200e]*(?:" + "|".join(groups) + r")[ \t\r\u00a0\u200f\u200e]*$",
        re.MULTILINE | re.IGNORECASE,
    )
    return regex, reasons


def find_ignored_spans(text: str) -> list[IgnoredSpan]:
    """Debris lines of ``text`` as (start, end, reason); neighbouring lines of one kind are merged."""
    regex, reasons = _compiled()
    spans: list[IgnoredSpan] = []
    pos = 0
    # Line by line, trying the pattern on short lines only: debris is short, and anchoring
    # at known line starts is far cheaper than letting the regex engine hunt for them.
    for line in text.split("\n"):
        n = len(line)
        if n <= _DEBRIS_LINE_MAX and line.strip():
            m = regex.match(line)
            if m is not None and m.lastgroup is not None:
                start, end = m.span(m.lastgroup)
                start, end = start + pos, end + pos
                reason = reasons[int(m.lastgroup[1:])]
                if spans and spans[-1][2] == reason and not text[spans[-1][1]:start].strip():
                    spans[-1] = (spans[-1][0], end, reason)
                else:
                    spans.append((start, end, reason))
        pos += n + 1
    return spans


def is_ignored(start: int, end: int, spans: list[IgnoredSpan]) -> bool:
    """True when [start, end) lies entirely inside one ignored span."""
    return any(s <= start and end <= e for s, e, _ in spans)


def headline_span(text: str, ignored: list[IgnoredSpan]) -> tuple[int, int] | None:
    """The first non-empty, non-debris line if it reads like a headline, else None.

    A headline is short, is followed by more text, and does not end like a
    sentence of running prose (full stop, colon, comma).
    """
    pos = 0
    n = len(text)
    while pos < n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        line = text[pos:end]
        stripped = line.strip()
        if stripped and not is_ignored(pos + len(line) - len(line.lstrip()), pos + len(line.rstrip()), ignored):
            if nl < 0 or not text[nl:].strip():
                return None  # the only text there is: the body, not a title
            if len(stripped) > _HEADLINE_MAX or len(stripped.split()) > 25:
                return None
            if stripped[-1] in ".:،,؛;" and not stripped.endswith(".."):
                return None
            lead = len(line) - len(line.lstrip())
            return pos + lead, pos + lead + len(stripped)
        pos = end + 1
    return None


__all__ = ["DEBRIS_PATH", "IgnoredSpan", "find_ignored_spans", "headline_span", "is_ignored", "load_debris"]
