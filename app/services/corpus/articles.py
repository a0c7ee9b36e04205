"""Creating articles: check, normalize, dedupe per outlet."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import select

from app.errors import DuplicateArticle
from app.extensions import db
from app.models import Article, Event, Outlet, limits
from app.services.corpus import index
from app.services.corpus.fields import (
    ArticleFields,
    check_article,
    check_date,
    check_string,
    check_url,
)
from app.vocabulary import check_stance


def find_duplicate(outlet: Outlet, text_hash: str) -> int | None:
    return db.session.scalar(
        select(Article.id).where(Article.outlet_id == outlet.id, Article.content_hash == text_hash)
    )


def create_article(outlet: Outlet, fields: Mapping, events: Iterable[Event] = ()) -> Article:
    """Store one article from its record (`fields`: title, text or html, stance, author, url,
    published, source_html, claims), checked by `check_article`. Raises DuplicateArticle if
    the outlet already holds this normalized text. The record's claims are checked here and
    stored by exchange.preannotated. Flushes, does not commit."""
    return add_checked_article(check_article(fields, require_outlet=False), outlet, events)


def add_checked_article(checked: ArticleFields, outlet: Outlet, events: Iterable[Event]) -> Article:
    """Store an article that `check_article` has passed; DuplicateArticle if the outlet
    already holds its text. Flushes, does not commit."""
    if (existing := find_duplicate(outlet, checked.content_hash)) is not None:
        raise DuplicateArticle(existing, outlet.name)
    article = Article(outlet=outlet, events=list(events), **checked.row())
    db.session.add(article)
    db.session.flush()
    index.index_article(article, new=True)
    return article


def update_fields(article: Article, fields: dict) -> None:
    """Change the article's title, URL, author, date or stance: those present in `fields`.
    Flushes, does not commit."""
    if "title" in fields:
        article.title = check_string("title", fields["title"], limits.ARTICLE_TITLE, required=True)  # type: ignore[assignment]
    if "url" in fields:
        article.url = check_url("url", fields["url"])
    if "author" in fields:
        article.author = check_string("author", fields["author"], limits.AUTHOR)
    if "published" in fields:
        article.published = check_date("published", fields["published"])
    if "stance" in fields:
        article.stance = check_stance(fields["stance"])
    db.session.flush()
    if "title" in fields or "stance" in fields:  # the stance is one of its facets
        index.index_article(article)
