"""Article text, title and date out of a news web page.

trafilatura does the real work (main-content detection drops navigation,
share bars, related links and comments); when it finds nothing, e.g. on a
fragment or a page without an article body, plain lxml text extraction keeps
whatever text there is, so no input is lost. Broken HTML never raises.
"""
from __future__ import annotations

import datetime as dt
import logging
import re

_BLOCK_TAGS = {
    "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section",
    "article", "blockquote", "header", "footer", "ul", "ol", "table", "pre", "title",
}
_DROP_TAGS = ("script", "style", "noscript", "template", "svg", "nav", "footer", "form", "iframe", "head")
_DATE_RE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_BLANK_LINES_RE = re.compile(r"\n[ \t\u00a0]*(?:\n[ \t\u00a0]*)+")

# trafilatura and htmldate log a line per page they cannot parse; ingest reports those itself.
for _name in ("trafilatura", "htmldate", "courlan"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)


def iso_date(value: object) -> dt.date | None:
    """The first valid YYYY-MM-DD date in ``value`` (a date is returned as is), else None."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not value:
        return None
    m = _DATE_RE.search(value)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _lxml_text(html: str) -> tuple[str, str]:
    """(title, visible text) by plain tree walking; "" for anything unparsable."""
    try:
        import lxml.html

        root = lxml.html.fromstring(html)
    except Exception:  # lxml raises several types on empty or garbage input
        return "", ""
    title_el = root.find(".//title")
    title = (title_el.text_content() if title_el is not None else "").strip()
    for el in list(root.iter(*_DROP_TAGS)):  # list first: dropping while iterating skips nodes
        if el.getparent() is not None:
            el.drop_tree()
    parts: list[str] = []
    for el in root.iter():
        if not isinstance(el.tag, str):  # comments, processing instructions
            if el.tail:
                parts.append(el.tail)
            continue
        if el.tag in _BLOCK_TAGS:
            parts.append("\n")
        if el.text:
            parts.append(el.text)
        if el.tag in _BLOCK_TAGS:
            parts.append("\n")
        if el.tail and el is not root:
            parts.append(el.tail)
    text = "".join(parts)
    text = "\n".join(line.strip() for line in text.split("\n"))
    text = _BLANK_LINES_RE.sub("\n", text).strip()
    return title, text


def html_to_article(html: str, url: str = "") -> tuple[str, str, dt.date | None]:
    """(title, text, published) of a news page; text is "" when the page has none."""
    title, text, published = "", "", None
    if html and html.strip():
        try:
            import trafilatura

            doc = trafilatura.bare_extraction(
                html,
                url=url or None,
                include_comments=False,
                with_metadata=True,
                include_tables=True,
            )
        except Exception:  # trafilatura is robust, but a scraper must survive any page
            doc = None
        if doc is not None:
            get = doc.get if isinstance(doc, dict) else (lambda k: getattr(doc, k, None))
            title = (get("title") or "").strip()
            text = (get("text") or "").strip()
            published = iso_date(get("date"))
        if not text:
            fb_title, text = _lxml_text(html)
            title = title or fb_title
    return title, text, published


__all__ = ["html_to_article"]
