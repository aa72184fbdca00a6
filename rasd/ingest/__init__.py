"""Ingest: messy files (any encoding, HTML, JSON Lines, directories, stdin) in, clean Documents out."""
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
