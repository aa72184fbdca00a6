"""Articles out of WARC web archives (Common Crawl, Heritrix, wget --warc-file).

Every HTTP ``response`` record with an HTML body becomes a Document through the
same ``html_to_article`` + ``make_document`` path that ``.html`` files take, so
a page gives the same events whether it was saved as a file or crawled. Records
that are not HTML responses (requests, metadata, images, redirects) are skipped
silently: a WARC is mostly such records and none of them is an article.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from typing import BinaryIO, Iterator

from rasd.ingest.readers import DEFAULT_MAX_CHARS, IngestError, Item, make_document

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def warc_doc_id(url: str, record_id: str) -> str:
    """A stable id for a crawled page: from its URL (the same page crawled twice keeps its id)."""
    key = url or record_id
    return "warc-" + hashlib.sha1(key.encode("utf-8", "replace")).hexdigest()[:16]


def iter_warc(stream: BinaryIO, source: str, published: dt.date | None = None, *,
              max_chars: int = DEFAULT_MAX_CHARS) -> Iterator[Item]:
    """Documents (and IngestErrors) from one WARC stream (plain or gzipped per record)."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    from rasd.ingest.encoding import UndecodableError, decode
    from rasd.ingest.html import html_to_article

    n = 0
    try:
        for record in ArchiveIterator(stream):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            n += 1
            ctype = (record.http_headers.get_header("Content-Type") or "").lower()
            if not ctype.startswith(_HTML_TYPES):
                continue
            status = record.http_headers.get_statuscode() or ""
            if not status.startswith("2"):
                continue
            url = record.rec_headers.get_header("WARC-Target-URI") or ""
            rid = record.rec_headers.get_header("WARC-Record-ID") or f"{source}#{n}"
            where = f"{source}#{url or rid}"
            body = record.content_stream().read(max_chars * 10)
            try:
                dec = decode(body)
            except UndecodableError as exc:
                yield IngestError(where, None, f"undecodable page: {exc}")
                continue
            title, text, date = html_to_article(dec.text, url=url)
            if not text.strip():
                yield IngestError(where, None, "no article text found in the HTML page")
                continue
            yield make_document(
                warc_doc_id(url, rid), text, source_path=where, title=title, published=date,
                published_from="html" if date else None, user_published=published, url=url,
                encoding=dec.encoding, warnings=dec.warnings, fmt="warc", title_from_text=not title,
                max_chars=max_chars,
            )
    except (ArchiveLoadFailed, OSError, EOFError) as exc:
        yield IngestError(source, None, f"unreadable WARC: {exc}")


__all__ = ["iter_warc", "warc_doc_id"]
