"""Creating articles: check, normalize, dedupe per outlet."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.models import Article, Event, Outlet, limits
from app.services.article_fields import ArticleFields, check_article, check_string
from app.services.errors import DuplicateArticle


def get_or_create_outlet(name: str, **fields: str | None) -> Outlet:
    """The outlet with this name; created with `fields` if new. Flushes, does not commit."""
    name = check_string("outlet", name, limits.OUTLET_NAME, required=True)  # type: ignore[assignment]
    outlet = db.session.scalar(select(Outlet).where(Outlet.name == name))
    if outlet is None:
        outlet = Outlet(name=name, **fields)
        db.session.add(outlet)
        db.session.flush()
    return outlet


def find_duplicate(outlet: Outlet, text_hash: str) -> int | None:
    return db.session.scalar(
        select(Article.id).where(Article.outlet_id == outlet.id, Article.content_hash == text_hash)
    )


def create_article(
    *,
    outlet: Outlet,
    title: str,
    text: str | None = None,
    html: str | None = None,
    stance: str = "unknown",
    author: str | None = None,
    url: str | None = None,
    published: date | str | None = None,
    events: Iterable[Event] = (),
    source_html: str | None = None,
) -> Article:
    """Store one article from text or HTML, checked by `check_article`. Raises
    DuplicateArticle if the outlet already holds this normalized text; HTML is kept only
    sanitized. Flushes, does not commit."""
    checked = check_article(
        {
            "title": title,
            "text": text,
            "html": html,
            "source_html": source_html,
            "stance": stance,
            "author": author,
            "url": url,
            "published": published,
        },
        require_outlet=False,
    )
    return add_checked_article(checked, outlet, events)


def add_checked_article(checked: ArticleFields, outlet: Outlet, events: Iterable[Event]) -> Article:
    """Store an article that `check_article` has passed; DuplicateArticle if the outlet
    already holds its text. Flushes, does not commit."""
    if (existing := find_duplicate(outlet, checked.content_hash)) is not None:
        raise DuplicateArticle(existing, outlet.name)
    article = Article(outlet=outlet, events=list(events), **checked.row())
    db.session.add(article)
    db.session.flush()
    return article
