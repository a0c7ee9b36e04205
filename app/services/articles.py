"""Creating articles: check, normalize, dedupe per outlet."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import func, select

from app.extensions import db
from app.models import Article, Event, Outlet, OutletAlias, limits
from app.services import search
from app.services.article_fields import (
    ArticleFields,
    check_article,
    check_date,
    check_stance,
    check_string,
    check_url,
)
from app.services.errors import DuplicateArticle


def outlet_named(name: str) -> Outlet | None:
    """The outlet of this name in any case (`nyt` is `NYT`), the exact spelling first, else
    the outlet with this alias. The database folds the case: SQLite folds ASCII letters
    only, PostgreSQL all."""
    outlet = db.session.scalar(
        select(Outlet)
        .where(func.lower(Outlet.name) == func.lower(name))
        .order_by((Outlet.name == name).desc(), Outlet.id)
        .limit(1)
    )
    if outlet is None:
        outlet = db.session.scalar(
            select(Outlet)
            .join(OutletAlias, OutletAlias.outlet_id == Outlet.id)
            .where(func.lower(OutletAlias.alias) == func.lower(name))
            .limit(1)
        )
    return outlet


def get_or_create_outlet(name: str, **fields: str | None) -> Outlet:
    """The outlet with this name (in any case); created with `fields` if new. Flushes, does
    not commit."""
    name = check_string("outlet", name, limits.OUTLET_NAME, required=True)  # type: ignore[assignment]
    outlet = outlet_named(name)
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
    claims: list | None = None,
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
            "claims": claims,  # checked with the rest; stored by preannotated.attach_claims
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
    search.index_article(article, new=True)
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
        search.index_article(article)
