"""Read models for the browsing pages: events with coverage, articles by outlet, outlet stats."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import (
    Article,
    Assessment,
    Claim,
    Event,
    Outlet,
    OutletAlias,
    User,
    article_events,
    limits,
)
from app.services.article_fields import check_date, check_string, check_text, check_url
from app.services.articles import outlet_named
from app.services.errors import Conflict, InvalidInput, NotFound, UserExists


@dataclass(frozen=True)
class EventCoverage:
    event: Event
    articles: int
    outlets: int


def events_with_coverage() -> list[EventCoverage]:
    """Every event, newest first, with how many articles and outlets cover it."""
    stmt = (
        select(
            Event,
            func.count(distinct(article_events.c.article_id)),
            func.count(distinct(Article.outlet_id)),
        )
        .outerjoin(article_events, article_events.c.event_id == Event.id)
        .outerjoin(Article, Article.id == article_events.c.article_id)
        .group_by(Event.id)
        .order_by(Event.start_date.desc().nulls_last(), Event.id.desc())
    )
    return [
        EventCoverage(ev, n_articles, n_outlets)
        for ev, n_articles, n_outlets in db.session.execute(stmt)
    ]


def claim_counts(article_ids: list[int]) -> dict[int, int]:
    """How many claims each article has."""
    if not article_ids:
        return {}
    rows = db.session.execute(
        select(Claim.article_id, func.count())
        .where(Claim.article_id.in_(article_ids))
        .group_by(Claim.article_id)
    )
    return {article_id: n for article_id, n in rows}


@dataclass(frozen=True)
class OutletSummary:
    outlet: Outlet
    articles: int
    claims: int


def outlets_with_counts() -> list[OutletSummary]:
    stmt = (
        select(Outlet, func.count(distinct(Article.id)), func.count(Claim.id))
        .outerjoin(Article, Article.outlet_id == Outlet.id)
        .outerjoin(Claim, Claim.article_id == Article.id)
        .group_by(Outlet.id)
        .order_by(func.lower(Outlet.name))
        .options(selectinload(Outlet.aliases))
    )
    return [OutletSummary(o, a, c) for o, a, c in db.session.execute(stmt)]


def outlet_articles(outlet: Outlet) -> list[Article]:
    return list(
        db.session.scalars(
            select(Article)
            .where(Article.outlet_id == outlet.id)
            .options(selectinload(Article.events))
            .order_by(Article.published.desc().nulls_last(), Article.id)
        )
    )


def create_outlet(
    *,
    name: object,
    homepage_url: object = None,
    country: object = None,
    lean: object = None,
    description: object = None,
    aliases: object = None,
) -> Outlet:
    """A new outlet; names are unique."""
    name = check_string("name", name, limits.OUTLET_NAME, required=True)
    if (same := outlet_named(name)) is not None:
        raise UserExists(f"An outlet named {same.name!r} already exists.")
    description = check_text("description", description)
    outlet = Outlet(
        name=name,
        homepage_url=check_url("homepage_url", homepage_url),
        country=check_string("country", country, limits.OUTLET_COUNTRY),
        lean=check_string("lean", lean, limits.OUTLET_LEAN),
        description=description or None,
    )
    db.session.add(outlet)
    db.session.flush()
    if aliases:
        set_aliases(outlet, aliases)
    return outlet


def set_aliases(outlet: Outlet, aliases: object) -> Outlet:
    """Replace the outlet's other names. An alias may not be another outlet's name or alias
    (in any case): it must name one outlet. Flushes, does not commit."""
    if not isinstance(aliases, list):
        raise InvalidInput("aliases must be a list of names.")
    wanted: dict[str, str] = {}
    for alias in aliases:
        alias = check_string("alias", alias, limits.OUTLET_NAME, required=True)
        if alias.lower() != outlet.name.lower():  # type: ignore[union-attr]
            wanted.setdefault(alias.lower(), alias)  # type: ignore[union-attr]
    for alias in wanted.values():
        other = outlet_named(alias)
        if other is not None and other.id != outlet.id:
            raise Conflict(f"{alias!r} already names the outlet {other.name!r}.")
    outlet.aliases = [
        next((a for a in outlet.aliases if a.alias == alias), None) or OutletAlias(alias=alias)
        for alias in wanted.values()
    ]
    db.session.flush()
    return outlet


def create_event(
    *, title: object, start_date=None, end_date=None, date=None, summary=None
) -> Event:
    """A new event on a date or over a date range."""
    title = check_string("title", title, limits.EVENT_TITLE, required=True)
    start_date = check_date("start_date", start_date or date)
    end_date = check_date("end_date", end_date)
    if start_date and end_date and end_date < start_date:
        raise InvalidInput(f"end_date {end_date} is before start_date {start_date}.")
    if end_date and not start_date:
        raise InvalidInput("end_date needs a start_date.")
    summary = check_text("summary", summary)
    event = Event(title=title, start_date=start_date, end_date=end_date, summary=summary)
    db.session.add(event)
    db.session.flush()
    return event


def get_or_404(model, ident: int):
    """The row, or the NotFound domain error (JSON 404 in the API)."""
    row = db.session.get(model, ident)
    if row is None:
        raise NotFound(f"No {model.__name__.lower()} {ident}.")
    return row


def reviewer_names() -> list[str]:
    """Everyone who has assessed at least one claim."""
    return list(
        db.session.scalars(
            select(User.username)
            .where(select(Assessment.id).where(Assessment.reviewer_id == User.id).exists())
            .order_by(User.username)
        )
    )


def all_events() -> list[Event]:
    return list(
        db.session.scalars(
            select(Event).order_by(Event.start_date.desc().nulls_last(), Event.title)
        )
    )


def all_outlets() -> list[Outlet]:
    return list(db.session.scalars(select(Outlet).order_by(func.lower(Outlet.name))))
