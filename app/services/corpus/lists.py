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
    User,
    article_events,
    limits,
)

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


def article_conditions(
    article_id,
    *,
    outlet: int | None = None,
    event: int | None = None,
    published_from: date | None = None,
    published_to: date | None = None,
) -> list:
    """The filters on an article that the export and search share. `article_id` is the
    column that names the article (Claim.article_id, Article.id); the outlet and date
    conditions need the articles table in the query."""
    clauses = []
    if event is not None:
        clauses.append(
            exists().where(
                article_events.c.article_id == article_id, article_events.c.event_id == event
            )
        )
    if outlet is not None:
        clauses.append(Article.outlet_id == outlet)
    if published_from is not None:
        clauses.append(Article.published >= published_from)
    if published_to is not None:
        clauses.append(Article.published <= published_to)
    return clauses
