"""Creating articles: normalize, validate, dedupe per outlet."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import Article, Event, Outlet
from app.services.errors import DuplicateArticle, InvalidInput, UnknownStance
from app.text.html import html_to_text, sanitize_html
from app.text.normalize import content_hash, normalize_text


def allowed_stances() -> tuple[str, ...]:
    return tuple(current_app.config["PARALLAX_STANCES"])


def get_or_create_outlet(name: str, **fields: str | None) -> Outlet:
    """The outlet with this name; created with `fields` if new. Does not commit."""
    name = name.strip()
    if not name:
        raise InvalidInput("An outlet needs a name.")
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
    published: date | None = None,
    events: Iterable[Event] = (),
    source_html: str | None = None,
    commit: bool = True,
) -> Article:
    """Store one article from text or HTML. Raises DuplicateArticle if the outlet already
    holds this normalized text; HTML is kept only sanitized."""
    if not text and html:
        text = html_to_text(html)
        source_html = sanitize_html(html)
    normalized = normalize_text(text or "")
    if not normalized:
        raise InvalidInput("The article has no text.")
    title = (title or "").strip() if isinstance(title, str) else ""
    if not title:
        raise InvalidInput("The article needs a title.")
    if stance not in allowed_stances():
        raise UnknownStance(
            f"Unknown stance {stance!r}; expected one of {', '.join(allowed_stances())}."
        )
    text_hash = content_hash(normalized)
    if (existing := find_duplicate(outlet, text_hash)) is not None:
        raise DuplicateArticle(existing, outlet.name)
    article = Article(
        outlet=outlet,
        title=title[:500],
        text=normalized,
        content_hash=text_hash,
        stance=stance,
        author=author or None,
        url=url or None,
        published=published,
        source_html=source_html,
        events=list(events),
    )
    db.session.add(article)
    if commit:
        db.session.commit()
    else:
        db.session.flush()
    return article
