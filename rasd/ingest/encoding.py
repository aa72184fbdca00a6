"""Bytes to text for Arabic news files of unknown provenance.

Arabic news files arrive as UTF-8 (with or without BOM), UTF-16 from Windows
tools (sometimes without BOM), windows-1256 or ISO-8859-6 from older sites, and
as UTF-8 that someone once read as cp1252 and saved again ("Ø§Ù„" mojibake).
Generic detectors tend to call short cp1256 Arabic "cp1252" or "latin-1", so
the Arabic legacy code pages are scored first and charset-normalizer is the
fallback for everything else.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

# Longest BOMs first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF"),
    (b"PK\x03\x04", "ZIP/Office"),
    (b"\x89PNG", "PNG"),
    (b"GIF8", "GIF"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x1f\x8b", "gzip"),
    (b"\x7fELF", "ELF"),
    (b"\xd0\xcf\x11\xe0", "OLE/Word"),
)

ARABIC_LETTER_RE = re.compile(r"[\u0621-\u064A\u0671-\u06D3\u06FA-\u06FC]")
LETTER_RE = re.compile(r"[^\W\d_]")

# UTF-8 lead/continuation bytes as they look after a cp1252 (or latin-1) decode.
_CP1252_CHARS = {b: bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(256)}
_REVERSE = {ch: b for b, ch in _CP1252_CHARS.items()}
_REVERSE.update({chr(b): b for b in range(256) if chr(b) not in _REVERSE})  # latin-1 / C1 controls
_CONT = "".join(re.escape(_CP1252_CHARS[b]) + re.escape(chr(b)) for b in range(0x80, 0xC0))
_LEAD2 = "".join(re.escape(_CP1252_CHARS[b]) for b in range(0xC2, 0xE0))
_LEAD3 = "".join(re.escape(_CP1252_CHARS[b]) for b in range(0xE0, 0xF0))
_SEQ = f"(?:[{_LEAD2}][{_CONT}]|[{_LEAD3}][{_CONT}]{{2}})"
# A run of mojibake sequences, possibly with ASCII (spaces, digits, punctuation) between them.
_MOJIBAKE_RUN_RE = re.compile(f"{_SEQ}(?:[\\x00-\\x7f]*?{_SEQ})*")
# Arabic UTF-8 is D8..DB + continuation: "Ø", "Ù", "Ú", "Û" followed by a cp1252 high char.
_ARABIC_MOJIBAKE_RE = re.compile(f"[\u00d8\u00d9\u00da\u00db][{_CONT}]")


class UndecodableError(ValueError):
    """The bytes are not text in any encoding we accept (binary data)."""


@dataclass(slots=True)
class Decoded:
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


_ASCII_LETTERS = bytes(range(65, 91)) + bytes(range(97, 123))
_NOT_LEAD = bytes(b for b in range(256) if not 0xC2 <= b <= 0xF4)  # all but UTF-8 lead bytes
_NOT_ARABIC_LEAD = bytes(b for b in range(256) if not 0xD8 <= b <= 0xDB)


def arabic_ratio(text: str, sample: int = 2000) -> float:
    """Share of Arabic characters among the letters of (the start of) ``text``.

    Counted on UTF-8 bytes with C-speed byte operations, as this runs for every
    ingested article: each character of the Arabic block starts with a lead byte
    D8-DB, every other non-ASCII character with another lead byte; ASCII letters
    count as letters, ASCII digits, spaces and punctuation do not. Non-ASCII
    punctuation counts as a letter of its script: close enough for a 20 % test.
    """
    data = text[:sample].encode("utf-8", errors="replace")
    arabic = len(data.translate(None, _NOT_ARABIC_LEAD))
    others = len(data.translate(None, _NOT_LEAD)) - arabic
    ascii_letters = len(data) - len(data.translate(None, _ASCII_LETTERS))
    total = arabic + others + ascii_letters
    return arabic / total if total else 0.0


def repair_mojibake(text: str) -> tuple[str, bool]:
    """Undo UTF-8 Arabic that was decoded as cp1252/latin-1 ("Ø§Ù„" -> "ال").

    Only runs that decode as strict UTF-8 are replaced, so genuine Latin
    accents elsewhere in the text survive. Returns (text, whether anything changed).
    """
    if "\u00d8" not in text and "\u00d9" not in text:  # cheap exit for the usual clean text
        return text, False
    if len(_ARABIC_MOJIBAKE_RE.findall(text[:20000])) < 3:
        return text, False
    changed = False

    def fix(m: re.Match[str]) -> str:
        nonlocal changed
        run = m.group(0)
        try:
            fixed = bytes(_REVERSE[c] for c in run).decode("utf-8")
        except (KeyError, UnicodeDecodeError):
            return run
        changed = True
        return fixed

    out = _MOJIBAKE_RUN_RE.sub(fix, text)
    return out, changed


def _looks_utf16(data: bytes) -> str | None:
    """UTF-16 without BOM: ASCII and Arabic put 0x00 or 0x06 in every other byte."""
    n = len(data) - len(data) % 2
    if n < 4:
        return None
    even, odd = data[0:n:2], data[1:n:2]
    half = n // 2

    def share(bs: bytes) -> float:
        return (bs.count(0) + bs.count(6)) / half

    if share(odd) > 0.7 and share(even) < 0.3:
        return "utf-16-le"
    if share(even) > 0.7 and share(odd) < 0.3:
        return "utf-16-be"
    return None


def _binary_kind(data: bytes) -> str | None:
    head = data[:8192]
    if b"\x00" in head:
        return "contains NUL bytes"
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    if head and controls / len(head) > 0.1:
        return "mostly control bytes"
    return None


_HARAKAT_RE = re.compile(r"[\u064B-\u0652]")


def _arabic_score(text: str) -> float:
    """Arabic-letter share, discounted when the text does not read like Arabic.

    Other Cyrillic/Greek code pages also decode to Arabic letters under cp1256
    or ISO-8859-6, but as a soup of letters and harakat without the article "ال".
    """
    letters = len(LETTER_RE.findall(text))
    if not letters:
        return 0.0
    arabic = len(ARABIC_LETTER_RE.findall(text))
    ratio = arabic / letters
    if arabic >= 40:
        if len(_HARAKAT_RE.findall(text)) > 0.15 * arabic:
            ratio *= 0.5
        if text.count("ال") * 60 < arabic:
            ratio *= 0.5
    return ratio


def _legacy_arabic(data: bytes) -> tuple[str, str, float] | None:
    """Best of the Arabic legacy code pages, with its Arabic-letter share."""
    best: tuple[str, str, float] | None = None
    for enc in ("cp1256", "iso-8859-6"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        ratio = _arabic_score(text[:20000])
        if best is None or ratio > best[2]:
            best = (text, enc, ratio)
    return best


def _latin_cp1252(data: bytes) -> str | None:
    """cp1252 when it yields Latin letters; charset-normalizer calls short Latin text big5."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    letters = LETTER_RE.findall(text[:20000])
    if not letters:
        return text
    latin = sum(1 for c in letters if c <= "\u024f")
    accented = sum(1 for c in letters if "\u00c0" <= c <= "\u024f")
    # Western European text is mostly ASCII letters; other code pages read as cp1252 are not.
    if latin / len(letters) > 0.95 and accented / len(letters) < 0.15:
        return text
    return None


def decode(data: bytes) -> Decoded:
    """Decode ``data``, saying which encoding was used and what had to be guessed."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(enc.replace("-sig", ""))
            except UnicodeDecodeError:
                text = data[len(bom):].decode(enc.replace("-sig", ""), errors="replace")
                return Decoded(text, enc, [f"invalid {enc} after BOM; bad bytes replaced"])
            return _finish(Decoded(text, enc))

    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise UndecodableError(f"binary file ({kind})")

    utf16 = _looks_utf16(data[:8192])
    if utf16:
        text = data.decode(utf16, errors="replace")
        return _finish(Decoded(text, utf16, [f"encoding guessed: {utf16} without BOM"]))

    kind = _binary_kind(data)
    if kind:
        raise UndecodableError(f"binary file ({kind})")

    try:
        return _finish(Decoded(data.decode("utf-8"), "utf-8"))
    except UnicodeDecodeError as exc:
        # A file cut short (size cap) may end inside a multi-byte character.
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            return _finish(Decoded(data[: exc.start].decode("utf-8"), "utf-8"))

    legacy = _legacy_arabic(data)
    if legacy and legacy[2] >= 0.5:
        text, enc, _ = legacy
        return _finish(Decoded(text, enc, [f"encoding guessed: {enc}"]))

    latin = _latin_cp1252(data)
    if latin is not None:
        return _finish(Decoded(latin, "cp1252", ["encoding guessed: cp1252"]))

    import charset_normalizer  # only non-UTF-8, non-Arabic, non-Latin files get here

    match = charset_normalizer.from_bytes(data).best()
    if match is not None:
        return _finish(Decoded(str(match), match.encoding, [f"encoding guessed: {match.encoding}"]))
    if legacy:  # cp1256 decodes every byte, so this is the last resort
        text, enc, _ = legacy
        return _finish(Decoded(text, enc, [f"encoding guessed: {enc} (low confidence)"]))
    raise UndecodableError("no text encoding fits these bytes")


def _finish(dec: Decoded) -> Decoded:
    fixed, changed = repair_mojibake(dec.text)
    if changed:
        dec.text = fixed
        dec.warnings.append("repaired mojibake (UTF-8 Arabic read as cp1252/latin-1)")
    return dec


def decode_bytes(data: bytes) -> tuple[str, str]:
    """(text, encoding name) of ``data``; raises ``UndecodableError`` for binary data."""
    dec = decode(data)
    return dec.text, dec.encoding


__all__ = ["Decoded", "UndecodableError", "arabic_ratio", "decode", "decode_bytes", "repair_mojibake"]
