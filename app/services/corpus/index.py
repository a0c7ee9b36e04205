"""The search index kept in step with the articles. Each database searches with its own
engine (app/models/search.py): PostgreSQL a `tsvector` with a GIN index, SQLite FTS5. This
module is the only one that writes either: every path that stores an article or changes its
title, text or stance calls `index_articles`."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy import text as sql_text

from app.extensions import db
from app.models import SEARCH_TABLE, Article
from app.models.search import FACETS_SQL
from app.text import search as search_text


def dialect() -> str:
    """The database's name as the session sees it ("sqlite", "postgresql")."""
    return db.session.get_bind().dialect.name


def index_articles(rows: Iterable[tuple[int, str, str]], *, new: bool = False) -> None:
    """Put each (article id, title, text) into the search index, replacing its old entry;
    `new`: the articles were just stored, so there is none to replace (an import's batch).
    On SQLite the entry holds the article's facets too, read from its stored row and events.
    Part of the caller's unit of work: it flushes nothing and commits nothing."""
    params = [
        {"id": ident, "title": search_text.document(title), "body": search_text.document(body)}
        for ident, title, body in rows
    ]
    if not params:
        return
    if dialect() == "postgresql":
        db.session.execute(
            sql_text(
                f"INSERT INTO {SEARCH_TABLE} (article_id, document) VALUES (:id, "
                "setweight(to_tsvector('simple', :title), 'A') || to_tsvector('simple', :body)) "
                "ON CONFLICT (article_id) DO UPDATE SET document = excluded.document"
            ),
            params,
        )
    else:
        if not new:
            db.session.execute(
                sql_text(f"DELETE FROM {SEARCH_TABLE} WHERE rowid = :id"),
                [{"id": p["id"]} for p in params],
            )
        # The facets are read from the article's row and links, so they must be stored first.
        db.session.execute(
            sql_text(
                f"INSERT INTO {SEARCH_TABLE} (rowid, title, body, facets) "
                f"VALUES (:id, :title, :body, ({FACETS_SQL}))"
            ),
            params,
        )


def index_article(article: Article, *, new: bool = False) -> None:
    """Index one article as it stands (flushed: it needs the id)."""
    index_articles([(article.id, article.title, article.text)], new=new)


def reindex_all(batch: int = 500) -> int:
    """Rebuild the whole index from the articles (after a restore, or a change of folding).
    Returns how many articles it indexed; the caller commits."""
    if dialect() == "postgresql":
        db.session.execute(sql_text(f"TRUNCATE {SEARCH_TABLE}"))
    else:
        db.session.execute(sql_text(f"DELETE FROM {SEARCH_TABLE}"))
    done, last = 0, 0
    while True:
        rows = db.session.execute(
            select(Article.id, Article.title, Article.text)
            .where(Article.id > last)
            .order_by(Article.id)
            .limit(batch)
        ).all()
        if not rows:
            return done
        index_articles(rows, new=True)
        done += len(rows)
        last = rows[-1][0]
