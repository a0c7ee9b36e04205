"""Read models for the browsing pages: events with coverage, articles by outlet, outlet stats."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import distinct, exists, func, select
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

PAGE_SIZE = 50


@dataclass(frozen=True)
class Page:
    """One page of a list: its rows, where it starts, its size, and how many rows there are
    in all. Pages are numbered from 1."""

    items: list
    offset: int
    size: int
    total: int

    @property
    def number(self) -> int:
        return self.offset // self.size + 1

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.pages else None


def page_offset(raw: str | None, size: int = PAGE_SIZE) -> int:
    """Where `?page=N` starts; a value that is not a page number is the first page."""
    number = (limits.parse_id(raw) if raw else None) or 1
    return min(number - 1, limits.MAX_ID // size) * size


def _page_of(stmt, total: int, offset: int, size: int, exact: bool) -> tuple[list, int]:
    """The rows from `offset`; past the end, from the last page's start (a page's link), or
    none at all when the offset is `exact` (an API call)."""
    if offset >= total and not exact:
        offset = max(0, (total - 1) // size * size)
    return [row[0] for row in db.session.execute(stmt.limit(size).offset(offset))], offset


@dataclass(frozen=True)
class EventCoverage:
    event: Event
    articles: int
    outlets: int


def events_page(offset: int = 0, size: int = PAGE_SIZE, exact_offset: bool = False) -> Page:
    """A page of events, newest first, each with how many articles and outlets cover it.
    The counts are read for that page's events only."""
    total = db.session.scalar(select(func.count()).select_from(Event)) or 0
    stmt = select(Event).order_by(Event.start_date.desc().nulls_last(), Event.id.desc())
    events, offset = _page_of(stmt, total, offset, size, exact_offset)
    # Counted event by event, through the event_id index: as one join and GROUP BY over
    # the page's events, PostgreSQL scanned the whole link table.
    of_event = article_events.c.event_id == Event.id
    counts = {
        event_id: (n_articles, n_outlets)
        for event_id, n_articles, n_outlets in db.session.execute(
            select(
                Event.id,
                select(func.count()).where(of_event).correlate(Event).scalar_subquery(),
                select(func.count(distinct(Article.outlet_id)))
                .join(article_events, article_events.c.article_id == Article.id)
                .where(of_event)
                .correlate(Event)
                .scalar_subquery(),
            ).where(Event.id.in_([e.id for e in events]))
        )
    }
    items = [EventCoverage(e, *counts.get(e.id, (0, 0))) for e in events]
    return Page(items, offset, size, total)


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


def outlets_page(
    offset: int = 0, size: int = PAGE_SIZE, exact_offset: bool = False, counts: bool = True
) -> Page:
    """A page of outlets by name, each with its articles counted (for that page's outlets
    only; `counts=False` for none). Claims are counted on each outlet's own page: for a page
    of 50 outlets they are some 200,000 at the large workload, too many to count per view."""
    total = db.session.scalar(select(func.count()).select_from(Outlet)) or 0
    stmt = (
        select(Outlet)
        .order_by(func.lower(Outlet.name), Outlet.id)
        .options(selectinload(Outlet.aliases))
    )
    outlets, offset = _page_of(stmt, total, offset, size, exact_offset)
    articles = {}
    if counts:
        articles = dict(
            db.session.execute(
                select(Article.outlet_id, func.count())
                .where(Article.outlet_id.in_([o.id for o in outlets]))
                .group_by(Article.outlet_id)
            ).all()
        )
    items = [OutletSummary(o, articles.get(o.id, 0)) for o in outlets]
    return Page(items, offset, size, total)


@dataclass(frozen=True)
class OutletRef:
    id: int
    name: str


@dataclass(frozen=True)
class EventRef:
    id: int
    title: str


@dataclass(frozen=True)
class ArticleLine:
    """One row of the article list: what it shows, not the article (no text, no ORM)."""

    id: int
    title: str
    published: date | None
    stance: str | None
    outlet: OutletRef
    events: list[EventRef]
    claims: int


def articles_page(
    offset: int = 0,
    size: int = PAGE_SIZE,
    *,
    outlet: int | None = None,
    event: int | None = None,
    exact_offset: bool = False,
) -> Page:
    """A page of articles, newest first, of one outlet or event or of all: ArticleLines,
    in two statements (the rows with their outlets and claim counts, then their events)."""
    where = []
    if outlet is not None:
        where.append(Article.outlet_id == outlet)
    if event is not None:
        where.append(
            exists().where(
                article_events.c.article_id == Article.id, article_events.c.event_id == event
            )
        )
    # count(*), not count(id): SQLite then counts the narrowest index, not the rows.
    total = db.session.scalar(select(func.count()).select_from(Article).where(*where)) or 0
    if offset >= total and not exact_offset:
        offset = max(0, (total - 1) // size * size)
    # The page's ids first, from the index alone; then those rows. OFFSET over whole rows
    # read and dropped 100,000 of them to reach the last page.
    ids = _ids_from_the_nearer_end(
        select(Article.id).where(*where), Article.id, offset, size, total
    )
    if not ids:
        return Page([], offset, size, total)
    claims = select(func.count()).where(Claim.article_id == Article.id).scalar_subquery()
    rows = db.session.execute(
        select(
            Article.id,
            Article.title,
            Article.published,
            Article.stance,
            Outlet.id,
            Outlet.name,
            claims,
        )
        .join(Outlet, Outlet.id == Article.outlet_id)
        .where(Article.id.in_(ids))
        .order_by(Article.id.desc())
    ).all()
    events: dict[int, list[EventRef]] = {i: [] for i in ids}
    for article_id, event_id, title in db.session.execute(
        select(article_events.c.article_id, Event.id, Event.title)
        .join(Event, Event.id == article_events.c.event_id)
        .where(article_events.c.article_id.in_(ids))
        .order_by(article_events.c.article_id, Event.id)
    ):
        events[article_id].append(EventRef(event_id, title))
    lines = [
        ArticleLine(a_id, title, published, stance, OutletRef(o_id, o_name), events[a_id], n)
        for a_id, title, published, stance, o_id, o_name, n in rows
    ]
    return Page(lines, offset, size, total)


def _ids_from_the_nearer_end(stmt, id_column, offset: int, size: int, total: int) -> list[int]:
    """The ids of `stmt` from `offset`, newest (highest) first, `size` of them. A page in the
    older half is read from the oldest end of the index: OFFSET walks the entries it skips,
    and the last page of 100,000 articles would walk them all."""
    remaining = total - offset
    if remaining <= 0:
        return []
    if offset <= remaining:
        return list(db.session.scalars(stmt.order_by(id_column.desc()).limit(size).offset(offset)))
    take = min(size, remaining)
    oldest = stmt.order_by(id_column.asc()).limit(take).offset(remaining - take)
    return list(db.session.scalars(oldest))[::-1]


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
