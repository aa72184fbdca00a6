"""Any pile of news files in, Documents out, nothing silently lost.

``read_path`` accepts a ``.txt``/``.html``/``.json``/``.jsonl``/``.jsonl.gz`` file,
a directory of them (recursive, sorted, hidden entries skipped) or ``-`` for
stdin, and yields a ``Document`` per article. Whatever cannot be read (a
malformed JSONL line, a binary or empty file, a record without text) yields an
``IngestError`` naming the file and line, and reading goes on with the next one.
JSONL is streamed line by line, so a corpus of any size reads in constant memory.
"""
from __future__ import annotations

import codecs
import datetime as dt
import gzip
import hashlib
import io
import json
import os
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO, Iterable, Iterator

from rasd.doc import Document
from rasd.ingest.clean import find_ignored_spans, headline_span
from rasd.ingest.encoding import Decoded, UndecodableError, arabic_ratio, decode, repair_mojibake
from rasd.ingest.html import html_to_article, iso_date
from rasd.text.normalize import normalize_plain

DEFAULT_MAX_CHARS = 2_000_000
MIN_ARABIC_RATIO = 0.2
# Suffixes a directory walk picks up; anything else in a directory is not an article file.
SUFFIXES: tuple[str, ...] = (".jsonl.gz", ".ndjson.gz", ".jsonl", ".ndjson", ".json", ".html", ".htm", ".txt")
_UTF16_32_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")


@dataclass(frozen=True, slots=True)
class IngestError:
    """Something that could not become a Document; reading continues after it."""

    source: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {self.message}"


Item = Document | IngestError


@lru_cache(maxsize=1)
def _cp1256_fold() -> tuple[bytes, bytes]:
    """normalize_plain as a byte table over cp1256, built by asking normalize_plain itself;
    ASCII whitespace becomes a plain space."""
    table, delete = bytearray(range(256)), bytearray()
    for b in range(256):
        try:
            ch = bytes([b]).decode("cp1256")
        except UnicodeDecodeError:
            continue
        folded = normalize_plain(ch)
        if ch in "\t\n\r\x0b\x0c":
            table[b] = 0x20
        elif folded == ch:
            continue
        elif folded:
            table[b] = folded.encode("cp1256")[0]
        else:
            delete.append(b)
    return bytes(table), bytes(delete)


def _fold_unencodable(exc: UnicodeError) -> tuple[str, int]:
    """Encode-error handler: characters cp1256 lacks are normalised (Arabic-Indic digits,
    invisible marks), and what still does not fit is written as an escape."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    chunk = normalize_plain(exc.object[exc.start: exc.end])
    try:
        chunk.encode("cp1256")
    except UnicodeEncodeError:
        chunk = "".join(c if c.encode("cp1256", "ignore") else f"\\u{{{ord(c):x}}}" for c in chunk)
    return chunk, exc.end


codecs.register_error("rasd-fold", _fold_unencodable)


def hash_bytes(text: str) -> bytes:
    """What content_hash digests: normalize_plain(text) as cp1256 bytes (characters
    cp1256 lacks escaped), runs of whitespace as one space.

    One encode, one bytes.translate and a few bytes.replace: several times faster
    than str.translate over every character, which matters at corpus scale. The
    byte table is derived from normalize_plain, so both agree.
    """
    table, delete = _cp1256_fold()
    raw = text.encode("cp1256", errors="rasd-fold").translate(table, delete)
    while b"  " in raw:
        raw = raw.replace(b"    ", b" ").replace(b"  ", b" ")
    return raw.strip(b" ")


def content_hash(text: str) -> str:
    """sha256 of the normalised text: the same article ingested twice gets the same hash,
    also when only diacritics, hamza spelling, digits or line breaks differ."""
    return hashlib.sha256(hash_bytes(text)).hexdigest()


def date_from_name(path: str | Path) -> dt.date | None:
    """An ISO date written in a file name, e.g. ``2019-03-12_baghouz.txt``."""
    return iso_date(Path(path).name)


def _stem(path: str | Path) -> str:
    name = Path(path).name
    for suffix in SUFFIXES:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return Path(name).stem


def _outside(text: str, spans: list[tuple[int, int, str]]) -> str:
    """The characters of ``text`` not covered by ``spans`` (sorted, non-overlapping)."""
    parts, pos = [], 0
    for start, end, _ in spans:
        parts.append(text[pos:start])
        pos = max(pos, end)
    parts.append(text[pos:])
    return "".join(parts)


def make_document(
    doc_id: str,
    text: str,
    *,
    source_path: str,
    title: str = "",
    published: dt.date | None = None,
    published_from: str | None = None,
    user_published: dt.date | None = None,
    source: str = "",
    url: str = "",
    encoding: str = "utf-8",
    warnings: Iterable[str] = (),
    line: int | None = None,
    fmt: str = "txt",
    title_from_text: bool = False,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> Item:
    """Finish one article: size cap, debris spans, title, dates, hash and warnings."""
    if not text or not text.strip():
        return IngestError(source_path, line, "empty text" if fmt in ("jsonl", "json") else "empty file")
    warns = list(warnings)
    if len(text) > max_chars:
        warns.append(f"text truncated to {max_chars} characters (was {len(text)})")
        text = text[:max_chars]
    ignored = find_ignored_spans(text)
    if ignored and not _outside(text, ignored).strip():
        return IngestError(source_path, line, "only page debris (share bars, widgets), no article text")
    if published is None and user_published is not None:
        published, published_from = user_published, "user"
    doc = Document(
        id=doc_id,
        text=text,
        title=title.strip(),
        published=published,
        source=source,
        url=url,
    )
    doc.warnings.extend(warns)
    span = headline_span(text, ignored)
    if span is not None:
        line_text = text[span[0]: span[1]]
        if title_from_text and not doc.title:
            doc.title = line_text
        if doc.title and normalize_plain(line_text) == normalize_plain(doc.title):
            doc.meta["title_span"] = span
    if arabic_ratio(text) < MIN_ARABIC_RATIO:
        doc.warn(f"no Arabic text (under {MIN_ARABIC_RATIO:.0%} of letters are Arabic)")
    doc.meta.update(
        path=source_path,
        format=fmt,
        encoding=encoding,
        content_hash=content_hash(text),
        ignored_spans=ignored,
        published_from=published_from if published else None,
    )
    if line is not None:
        doc.meta["line"] = line
    return doc


# ---------------------------------------------------------------- records (JSON, JSONL)


def _record_to_item(rec: Any, source_path: str, line: int | None, fallback_id: str, encoding: str,
                    warnings: list[str], user_published: dt.date | None, max_chars: int, fmt: str) -> Item:
    if not isinstance(rec, dict):
        return IngestError(source_path, line, f"record is a JSON {type(rec).__name__}, not an object")
    text = rec.get("text")
    title = rec.get("title") or ""
    url = rec.get("url") or ""
    warns = list(warnings)
    published = iso_date(rec.get("published"))
    published_from = "record" if published else None
    if rec.get("published") and published is None:
        warns.append(f"unreadable published date {str(rec.get('published'))[:40]!r} ignored")
    if not (isinstance(text, str) and text.strip()) and isinstance(rec.get("html"), str):
        h_title, text, h_date = html_to_article(rec["html"], url=url if isinstance(url, str) else "")
        title = title or h_title
        if published is None and h_date is not None:
            published, published_from = h_date, "html"
        fmt = fmt + "+html"
    if not isinstance(text, str) or not text.strip():
        rid = rec.get("id")
        return IngestError(source_path, line, f"record {rid!r} has no text" if rid else "record has no text")
    text, fixed = repair_mojibake(text)  # JSON strings can carry mojibake too
    if fixed:
        warns.append("repaired mojibake (UTF-8 Arabic read as cp1252/latin-1)")
    rid = rec.get("id")
    return make_document(
        str(rid) if rid not in (None, "") else fallback_id,
        text,
        source_path=source_path,
        title=title if isinstance(title, str) else str(title),
        published=published,
        published_from=published_from,
        user_published=user_published,
        source=str(rec.get("source") or ""),
        url=url if isinstance(url, str) else "",
        encoding=encoding,
        warnings=warns,
        line=line,
        fmt=fmt,
        max_chars=max_chars,
    )


def iter_jsonl(stream: BinaryIO, source_path: str, user_published: dt.date | None, max_chars: int,
               first_line: int = 1) -> Iterator[Item]:
    """Documents and errors from a JSON Lines byte stream, one per line (also used by the Spark job)."""
    stem = _stem(source_path) if source_path != "-" else "stdin"
    head = stream.peek(4)[:4] if hasattr(stream, "peek") else b""
    lines: Iterable[bytes | str]
    if head.startswith(_UTF16_32_BOMS):
        enc = "utf-32" if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")) else "utf-16"
        lines = io.TextIOWrapper(stream, encoding=enc, errors="replace")
    else:
        lines = stream
    for lineno, raw in enumerate(lines, start=first_line):
        warnings: list[str] = []
        encoding = "utf-8"
        if isinstance(raw, bytes):
            if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip():
                continue
            try:
                line_text = raw.decode("utf-8")
            except UnicodeDecodeError:
                try:
                    dec = decode(raw)
                except UndecodableError as exc:
                    yield IngestError(source_path, lineno, f"undecodable line: {exc}")
                    continue
                line_text, encoding, warnings = dec.text, dec.encoding, dec.warnings
        else:
            line_text, encoding = raw.lstrip("\ufeff"), "utf-16/32"
            if not line_text.strip():
                continue
        try:
            rec = json.loads(line_text)
        except json.JSONDecodeError as exc:
            yield IngestError(source_path, lineno, f"malformed JSON line: {exc.msg} (column {exc.colno})")
            continue
        except RecursionError:  # hostile nesting ([[[[...]]]]) must cost one record, not the run
            yield IngestError(source_path, lineno, "JSON nested too deeply")
            continue
        yield _record_to_item(rec, source_path, lineno, f"{stem}-{lineno}", encoding, warnings,
                              user_published, max_chars, "jsonl")


def _iter_json(data: bytes, source_path: str, user_published: dt.date | None, max_chars: int) -> Iterator[Item]:
    stem = _stem(source_path) if source_path != "-" else "stdin"
    try:
        dec = decode(data)
    except UndecodableError as exc:
        yield IngestError(source_path, None, str(exc))
        return
    if not dec.text.strip():
        yield IngestError(source_path, None, "empty file")
        return
    try:
        obj = json.loads(dec.text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":  # JSON Lines saved as .json
            yield from iter_jsonl(io.BufferedReader(io.BytesIO(dec.text.encode("utf-8"))), source_path,
                                   user_published, max_chars)
            return
        yield IngestError(source_path, exc.lineno, f"malformed JSON: {exc.msg} (column {exc.colno})")
        return
    except RecursionError:
        yield IngestError(source_path, None, "JSON nested too deeply")
        return
    records = obj if isinstance(obj, list) else [obj]
    many = isinstance(obj, list)
    for i, rec in enumerate(records, start=1):
        yield _record_to_item(rec, source_path, None, f"{stem}-{i}" if many else stem, dec.encoding,
                              list(dec.warnings), user_published, max_chars, "json")


# ---------------------------------------------------------------- single-article files (txt, html)


def _read_capped(path: Path, limit: int) -> tuple[bytes, bool]:
    with path.open("rb") as f:
        data = f.read(limit + 1)
    return data[:limit], len(data) > limit


def _decode_file(data: bytes, source_path: str, truncated: bool) -> tuple[Decoded, list[str]] | IngestError:
    """The decoded file and its warnings, or the error that makes it unreadable."""
    if not data.strip():
        return IngestError(source_path, None, "empty file")
    try:
        dec = decode(data)
    except UndecodableError as exc:
        return IngestError(source_path, None, str(exc))
    warns = list(dec.warnings)
    if truncated:
        warns.append(f"file truncated to its first {len(data)} bytes")
    return dec, warns


def _text_item(data: bytes, source_path: str, doc_id: str, name_date: dt.date | None,
               user_published: dt.date | None, max_chars: int, truncated: bool) -> Item:
    decoded = _decode_file(data, source_path, truncated)
    if isinstance(decoded, IngestError):
        return decoded
    dec, warns = decoded
    return make_document(doc_id, dec.text, source_path=source_path, published=name_date,
                         published_from="filename" if name_date else None, user_published=user_published,
                         encoding=dec.encoding, warnings=warns, fmt="txt", title_from_text=True,
                         max_chars=max_chars)


def _html_item(data: bytes, source_path: str, doc_id: str, name_date: dt.date | None,
               user_published: dt.date | None, max_chars: int, truncated: bool) -> Item:
    decoded = _decode_file(data, source_path, truncated)
    if isinstance(decoded, IngestError):
        return decoded
    dec, warns = decoded
    title, text, date = html_to_article(dec.text)
    if not text.strip():
        return IngestError(source_path, None, "no article text found in the HTML page")
    published, published_from = (date, "html") if date else (name_date, "filename" if name_date else None)
    return make_document(doc_id, text, source_path=source_path, title=title, published=published,
                         published_from=published_from, user_published=user_published, encoding=dec.encoding,
                         warnings=warns, fmt="html", title_from_text=not title, max_chars=max_chars)


# ---------------------------------------------------------------- dispatch


def _sniff(head: bytes) -> str:
    """Format of a stream from its first bytes: gzip, json, jsonl, html or txt."""
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    for bom in (b"\xef\xbb\xbf",):
        if head.startswith(bom):
            head = head[len(bom):]
    stripped = head.lstrip()
    if stripped.startswith(b"["):
        return "json"
    if stripped.startswith(b"{"):
        return "jsonl"
    if stripped[:1] == b"<" and re.search(rb"<(?:!doctype|html|head|body|div|p|article|meta)\b", stripped[:2048], re.I):
        return "html"
    return "txt"


def _kind_of(path: Path) -> str | None:
    name = path.name.lower()
    if name.endswith((".jsonl.gz", ".ndjson.gz")):
        return "jsonl.gz"
    if name.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    if name.endswith(".json"):
        return "json"
    if name.endswith((".html", ".htm")):
        return "html"
    if name.endswith(".txt"):
        return "txt"
    return None


def read_stream(stream: BinaryIO, name: str = "-", published: dt.date | None = None, *,
                max_chars: int = DEFAULT_MAX_CHARS) -> Iterator[Item]:
    """Read articles from a binary stream whose format is sniffed (stdin, pipes)."""
    buf = stream if hasattr(stream, "peek") else io.BufferedReader(stream)  # type: ignore[arg-type]
    head = buf.peek(4096)[:4096]
    kind = _sniff(head)
    if kind == "gzip":
        yield from read_stream(gzip.GzipFile(fileobj=buf), name, published, max_chars=max_chars)
        return
    doc_id = "stdin" if name == "-" else _stem(name)
    if kind == "jsonl":
        first = buf.readline()
        try:
            json.loads(first)
        except (json.JSONDecodeError, UnicodeDecodeError):
            # Not JSON Lines but one pretty-printed object: it has to be read whole.
            yield from _iter_json(first + buf.read(), name, published, max_chars)
            return
        yield from iter_jsonl(io.BufferedReader(_Prepend(first, buf)), name, published, max_chars)
        return
    limit = max_chars * 4 + 4 if kind == "txt" else max_chars * 10
    data = buf.read(limit + 1) if kind != "json" else buf.read()
    truncated = kind != "json" and len(data) > limit
    data = data[:limit] if truncated else data
    if kind == "json":
        yield from _iter_json(data, name, published, max_chars)
    elif kind == "html":
        yield _html_item(data, name, doc_id, date_from_name(name) if name != "-" else None, published,
                         max_chars, truncated)
    else:
        yield _text_item(data, name, doc_id, date_from_name(name) if name != "-" else None, published,
                         max_chars, truncated)


class _Prepend(io.RawIOBase):
    """A stream that yields ``head`` and then the rest of ``tail`` (un-reading a sniffed line)."""

    def __init__(self, head: bytes, tail: BinaryIO) -> None:
        self._head = head
        self._tail = tail

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        if self._head:
            n = min(len(b), len(self._head))
            b[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._tail.read(len(b))
        b[: len(data)] = data
        return len(data)


def _read_file(path: Path, published: dt.date | None, max_chars: int, kind: str | None) -> Iterator[Item]:
    source = str(path)
    if kind is None:  # a file named explicitly, whatever its suffix: sniff it
        with path.open("rb") as f:
            yield from read_stream(io.BufferedReader(f), source, published, max_chars=max_chars)  # type: ignore[arg-type]
        return
    if kind in ("jsonl", "jsonl.gz"):
        opener = gzip.open if kind == "jsonl.gz" else open
        with opener(path, "rb") as f:  # type: ignore[operator]
            try:
                yield from iter_jsonl(f if hasattr(f, "peek") else io.BufferedReader(f), source, published,
                                       max_chars)
            except (OSError, EOFError, gzip.BadGzipFile) as exc:
                yield IngestError(source, None, f"unreadable compressed file: {exc}")
        return
    if kind == "json":
        with path.open("rb") as f:
            yield from _iter_json(f.read(), source, published, max_chars)
        return
    name_date = date_from_name(path)
    if kind == "html":
        data, truncated = _read_capped(path, max_chars * 10)
        yield _html_item(data, source, _stem(path), name_date, published, max_chars, truncated)
    else:
        data, truncated = _read_capped(path, max_chars * 4 + 4)
        yield _text_item(data, source, _stem(path), name_date, published, max_chars, truncated)


def _walk(root: Path) -> tuple[list[Path], list[IngestError]]:
    """Article files under ``root`` in path order (as ``find | sort`` would list them),
    and the folders that could not be listed."""
    found: list[Path] = []
    failed: list[IngestError] = []

    def unreadable(exc: OSError) -> None:
        failed.append(IngestError(str(exc.filename or root), None, f"cannot list folder: {exc.strerror or exc}"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        found.extend(Path(dirpath) / n for n in filenames if not n.startswith(".") and _kind_of(Path(n)))
    return sorted(found, key=lambda p: p.relative_to(root).parts), failed


def read_path(path: str | Path, published: dt.date | None = None, *, max_chars: int = DEFAULT_MAX_CHARS,
              stdin: BinaryIO | None = None) -> Iterator[Item]:
    """Documents (and IngestErrors) from a file, a directory, or ``-`` for stdin.

    ``published`` is the user's default publication date, used for articles
    whose record, page or file name gives none. ``max_chars`` caps one article's
    text (truncation is a warning on the Document, not an error).
    """
    if str(path) == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        yield from read_stream(stream, "-", published, max_chars=max_chars)
        return
    p = Path(path)
    try:
        if p.is_dir():
            files, failed = _walk(p)
            yield from failed
            for f in files:
                yield from _guarded(f, published, max_chars, _kind_of(f))
            return
        if not p.exists():
            yield IngestError(str(p), None, "no such file or directory")
            return
    except OSError as exc:
        yield IngestError(str(p), None, f"cannot read: {exc.strerror or exc}")
        return
    yield from _guarded(p, published, max_chars, _kind_of(p))


def _guarded(path: Path, published: dt.date | None, max_chars: int, kind: str | None) -> Iterator[Item]:
    """One file's items; an OS error (permissions, vanished file) becomes an IngestError."""
    try:
        yield from _read_file(path, published, max_chars, kind)
    except OSError as exc:
        yield IngestError(str(path), None, f"cannot read: {exc.strerror or exc}")


def read_paths(paths: Iterable[str | Path], published: dt.date | None = None, *,
               max_chars: int = DEFAULT_MAX_CHARS) -> Iterator[Item]:
    """``read_path`` over several paths in turn."""
    for p in paths:
        yield from read_path(p, published, max_chars=max_chars)


__all__ = [
    "DEFAULT_MAX_CHARS",
    "IngestError",
    "Item",
    "SUFFIXES",
    "content_hash",
    "iter_jsonl",
    "date_from_name",
    "make_document",
    "read_path",
    "read_paths",
    "read_stream",
]
