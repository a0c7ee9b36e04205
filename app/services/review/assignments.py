"""Who reviews which article: an admin assigns an event's articles with an overlap k (each
article to k reviewers, spread evenly, or chosen by hand); a reviewer works through their
queue and marks each article done."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from app.capabilities import require
from app.errors import InvalidInput
from app.extensions import db
from app.models import Article, Assignment, Event, Outlet, User, article_events
from app.models._time import utcnow
from app.services.claims import visibility as blind

MAX_OVERLAP = 50


def _reviewers(names: object) -> list[User]:
    if not isinstance(names, list) or not names:
        raise InvalidInput("reviewers must be a list of one or more reviewer names.")
    found = {
        u.username: u
        for u in db.session.scalars(select(User).where(User.username.in_([str(n) for n in names])))
    }
    missing = [n for n in names if n not in found]
    if missing:
        raise InvalidInput(f"No such users: {', '.join(map(str, missing))}.")
    not_reviewers = [n for n, u in found.items() if not u.may("assess") or not u.active]
    if not_reviewers:
        raise InvalidInput(
            f"Only active users whose role may assess claims are assigned articles: "
            f"{', '.join(not_reviewers)}."
        )
    return [found[n] for n in dict.fromkeys(names)]  # type: ignore[index]


def _event_articles(event: Event) -> list[int]:
    return list(
        db.session.scalars(
            select(article_events.c.article_id)
            .where(article_events.c.event_id == event.id)
            .order_by(article_events.c.article_id)
        )
    )


def assign_evenly(event: Event, names: object, k: object, user: User) -> int:
    """Give each of the event's articles to `k` of the reviewers, spreading the load evenly
    (an article keeps the reviewers it already has; each new one goes to whoever has the
    fewest of the event's articles). Returns how many assignments were made."""
    require(user, "manage_assignments")
    reviewers = _reviewers(names)
    if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= MAX_OVERLAP:
        raise InvalidInput(f"k must be a whole number from 1 to {MAX_OVERLAP}.")
    if k > len(reviewers):
        raise InvalidInput(f"k is {k}, but only {len(reviewers)} reviewers were chosen.")
    articles = _event_articles(event)
    existing = db.session.execute(
        select(Assignment.article_id, Assignment.reviewer_id).where(
            Assignment.article_id.in_(articles), Assignment.assigned.is_(True)
        )
    ).all()
    has: dict[int, set[int]] = {a: set() for a in articles}
    load: Counter[int] = Counter({r.id: 0 for r in reviewers})
    for article_id, reviewer_id in existing:
        has[article_id].add(reviewer_id)
        if reviewer_id in load:
            load[reviewer_id] += 1
    order = {r.id: i for i, r in enumerate(reviewers)}
    made = 0
    for article_id in articles:
        while len(has[article_id] & set(load)) < k:
            candidate = min(
                (r for r in load if r not in has[article_id]), key=lambda r: (load[r], order[r])
            )
            _assign(article_id, candidate)
            has[article_id].add(candidate)
            load[candidate] += 1
            made += 1
    event.overlap = k
    db.session.flush()
    return made


def assign_by_hand(article: Article, names: object, user: User) -> list[str]:
    """Set exactly which reviewers the article is assigned to. Work done stays on record:
    an unassigned reviewer who had marked it done keeps that row, as not assigned."""
    require(user, "manage_assignments")
    reviewers = _reviewers(names) if names else []
    wanted = {r.id for r in reviewers}
    rows = db.session.scalars(select(Assignment).where(Assignment.article_id == article.id)).all()
    for row in rows:
        row.assigned = row.reviewer_id in wanted
    for reviewer_id in wanted - {r.reviewer_id for r in rows}:
        _assign(article.id, reviewer_id)
    db.session.flush()
    return [r.username for r in reviewers]


def _assign(article_id: int, reviewer_id: int) -> None:
    row = db.session.scalar(
        select(Assignment).where(
            Assignment.article_id == article_id, Assignment.reviewer_id == reviewer_id
        )
    )
    if row is None:
        db.session.add(Assignment(article_id=article_id, reviewer_id=reviewer_id))
    else:
        row.assigned = True


def mark_done(article: Article, user: User, done: bool = True) -> Assignment:
    """The reviewer says they have finished the article (or, done=False, not yet)."""
    require(user, "assess")
    row = db.session.scalar(
        select(Assignment).where(
            Assignment.article_id == article.id, Assignment.reviewer_id == user.id
        )
    )
    if row is None:
        row = Assignment(article_id=article.id, reviewer_id=user.id, assigned=False)
        db.session.add(row)
    row.done_at = utcnow() if done else None
    if done and row.revealed_at is None:
        row.revealed_at = row.done_at  # every label of the article is now in view
    db.session.flush()
    blind.forget()  # marking an article done reveals its claims in a blind event
    return row


def standing(user: User, article_id: int) -> tuple[bool, int | None]:
    """For the article page, in one query: whether the user has marked this article done,
    and the next assigned article they have not (another one)."""
    done, following = False, None
    for row_article, done_at in db.session.execute(
        select(Assignment.article_id, Assignment.done_at)
        .where(
            Assignment.reviewer_id == user.id,
            or_(
                Assignment.article_id == article_id,
                and_(Assignment.assigned.is_(True), Assignment.done_at.is_(None)),
            ),
        )
        .order_by(Assignment.id)
    ):
        if row_article == article_id:
            done = done_at is not None
        elif following is None:
            following = row_article
    return done, following


@dataclass(frozen=True)
class QueueItem:
    article: Article
    done: bool


def my_queue(user: User) -> list[QueueItem]:
    """The articles assigned to the user, not done first, in the order they were assigned."""
    rows = db.session.scalars(
        select(Assignment)
        .where(Assignment.reviewer_id == user.id, Assignment.assigned.is_(True))
        .options(selectinload(Assignment.article).selectinload(Article.outlet))
        .order_by(Assignment.done_at.is_not(None), Assignment.id)
    ).all()
    return [QueueItem(r.article, r.done_at is not None) for r in rows]


def next_article(user: User, after: int | None = None) -> int | None:
    """The next assigned article the user has not done (not `after`, the one they are on)."""
    stmt = (
        select(Assignment.article_id)
        .where(
            Assignment.reviewer_id == user.id,
            Assignment.assigned.is_(True),
            Assignment.done_at.is_(None),
        )
        .order_by(Assignment.id)
    )
    if after is not None:
        stmt = stmt.where(Assignment.article_id != after)
    return db.session.scalar(stmt.limit(1))


@dataclass(frozen=True)
class ReviewerProgress:
    reviewer: str
    done: int
    assigned: int


@dataclass(frozen=True)
class ArticleProgress:
    article_id: int
    title: str
    outlet: str
    done: list[str]
    assigned: list[str]


@dataclass
class Progress:
    overlap: int | None
    reviewers: list[ReviewerProgress]
    articles: list[ArticleProgress]


def progress(event: Event) -> Progress:
    """Per reviewer: articles done of assigned; per article: reviewers done of assigned."""
    rows = db.session.execute(
        select(Assignment.article_id, User.username, Assignment.done_at, Article.title, Outlet.name)
        .join(User, User.id == Assignment.reviewer_id)
        .join(Article, Article.id == Assignment.article_id)
        .join(Outlet, Outlet.id == Article.outlet_id)
        .join(article_events, article_events.c.article_id == Assignment.article_id)
        .where(article_events.c.event_id == event.id, Assignment.assigned.is_(True))
        .order_by(Assignment.article_id, User.username)
    ).all()
    per_reviewer: dict[str, list[int]] = {}
    per_article: dict[int, ArticleProgress] = {}
    for article_id, reviewer, done_at, title, outlet in rows:
        counts = per_reviewer.setdefault(reviewer, [0, 0])
        counts[1] += 1
        counts[0] += done_at is not None
        item = per_article.setdefault(
            article_id, ArticleProgress(article_id, title, outlet, [], [])
        )
        item.assigned.append(reviewer)
        if done_at is not None:
            item.done.append(reviewer)
    return Progress(
        event.overlap,
        [ReviewerProgress(name, d, a) for name, (d, a) in sorted(per_reviewer.items())],
        list(per_article.values()),
    )
