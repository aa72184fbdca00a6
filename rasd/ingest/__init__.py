"""Ingest: messy files (any encoding, HTML, JSON Lines, directories, stdin) in, clean Documents out.

``read_path(path, published=None)`` yields ``Document`` or ``IngestError`` items. Each
Document's ``text`` is the article text exactly as ingested (file text, or the text
trafilatura extracted from a page), and ``meta`` carries:

- ``path``: the file it came from (``-`` for stdin); ``line``: its JSONL line, if any
- ``format``: txt, html, json, jsonl or jsonl+html; ``encoding``: the encoding used
- ``content_hash``: sha256 of the normalised text (idempotent ingest)
- ``ignored_spans``: ``[(start, end, reason), ...]`` of scraping debris to skip
- ``title_span``: ``(start, end)`` of the title line when the title is part of the text
- ``published_from``: record, html, filename or user (where ``published`` came from)
"""
from rasd.ingest.clean import find_ignored_spans, headline_span, is_ignored
from rasd.ingest.encoding import UndecodableError, decode, decode_bytes, repair_mojibake
from rasd.ingest.html import html_to_article
from rasd.ingest.readers import (
    DEFAULT_MAX_CHARS,
    IngestError,
    content_hash,
    make_document,
    read_path,
    read_paths,
    read_stream,
)

__all__ = [
    "DEFAULT_MAX_CHARS",
    "IngestError",
    "UndecodableError",
    "content_hash",
    "decode",
    "decode_bytes",
    "find_ignored_spans",
    "headline_span",
    "html_to_article",
    "is_ignored",
    "make_document",
    "read_path",
    "read_paths",
    "read_stream",
    "repair_mojibake",
]
