"""Full-text search over normalised article text: SQLite FTS5 or PostgreSQL tsvector, one interface.

Both sides index ``normalize_plain(title + text)`` and the query goes through the same
normaliser, so أ/إ/ا, ة/ه, diacritics and digit variants match each other. User input
never reaches the query language raw: it is cut into word tokens, each quoted (FTS5)
or passed as a bound parameter of alphanumeric tokens (tsquery), all ANDed, prefix-matched.
"""
from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Connection, Integer, and_, bindparam, column, select, text
from sqlalchemy.sql.elements import ColumnElement

from rasd.store.models import articles
from rasd.text.normalize import normalize_plain

_TOKEN_RE = re.compile(r"\w+", re.UNICODE)
MAX_TOKENS = 16


def tokens(q: str) -> list[str]:
    return _TOKEN_RE.findall(normalize_plain(q or "").lower())[:MAX_TOKENS]


# The definite article and the conjunctions/prepositions glued to it. Stripped forms are indexed
# *in addition* to the words as written, so "كهرباء" finds "الكهرباء" and "بالكهرباء".
_ARTICLE_RE = re.compile(r"^(?:وبال|وال|بال|فال|كال|لل|ال)(?=\w{2,})")


def index_body(title: str | None, body: str) -> str:
    norm = normalize_plain(f"{title or ''}\n{body}")
    extra = {m for w in _TOKEN_RE.findall(norm) if (m := _ARTICLE_RE.sub("", w)) != w}
    return norm + ("\n" + " ".join(sorted(extra)) if extra else "")


def _fts5_query(toks: list[str]) -> str:
    # Each token as a quoted string (FTS5 operators inside lose meaning), with prefix match.
    return " ".join('"' + t.replace('"', '""') + '"*' for t in toks)


def _tsquery(toks: list[str]) -> str:
    return " & ".join(f"{t}:*" for t in toks)  # tokens are \w+ only, so no tsquery syntax gets through


def index_article(conn: Connection, pk: int, title: str | None, body: str) -> None:
    add_to_index(conn, [{"pk": pk, "body": index_body(title, body)}])


def add_to_index(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Index ``[{"pk", "body"}]`` (body already normalised with ``index_body``)."""
    if not rows:
        return
    dialect = conn.dialect.name
    if dialect == "sqlite":
        conn.execute(text("INSERT INTO article_search(rowid, body) VALUES (:pk, :body)"), rows)
    elif dialect == "postgresql":
        conn.execute(
            text("INSERT INTO article_search(article_pk, tsv) VALUES (:pk, to_tsvector('simple', :body))"),
            rows,
        )


def matching_articles_clause(dialect: str, q: str) -> ColumnElement[bool] | None:
    """A WHERE clause on ``articles.pk`` selecting articles matching ``q``; None when q has no words."""
    toks = tokens(q)
    if not toks:
        return None
    if dialect == "sqlite":
        sub = text("SELECT rowid AS pk FROM article_search WHERE article_search MATCH :fts_q").bindparams(
            bindparam("fts_q", _fts5_query(toks))
        )
        return articles.c.pk.in_(sub.columns(column("pk", Integer)))
    if dialect == "postgresql":
        sub = text(
            "SELECT article_pk FROM article_search WHERE tsv @@ to_tsquery('simple', :ts_q)"
        ).bindparams(bindparam("ts_q", _tsquery(toks)))
        return articles.c.pk.in_(sub.columns(column("article_pk", Integer)))
    return and_(*[articles.c.text.contains(t, autoescape=True) for t in toks])


def search(conn: Connection, q: str, limit: int = 50) -> list[dict[str, Any]]:
    """Articles matching ``q`` (all words, prefix match), newest first: ``[{pk, id, title, published}]``."""
    clause = matching_articles_clause(conn.dialect.name, q)
    if clause is None:
        return []
    stmt = (
        select(articles.c.pk, articles.c.id, articles.c.title, articles.c.published)
        .where(clause)
        .order_by(articles.c.published.desc(), articles.c.pk.desc())
        .limit(limit)
    )
    return [dict(r._mapping) for r in conn.execute(stmt)]


__all__ = ["add_to_index", "index_article", "index_body", "matching_articles_clause", "search", "tokens"]
