"""The adjudication queue: claims whose reviewers disagree and no one has decided yet, and the
bulk acceptance of claims every reviewer agrees on."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import aliased, selectinload

from app.errors import InvalidInput
from app.extensions import db
from app.models import Article, Assessment, Claim, Event, User, article_events
from app.models.limits import parse_id
from app.services.claims.tagging import adjudicate
from app.services.claims.visibility import ClaimPresenter
from app.vocabulary import check_label, labels

PAGE = 50


@dataclass(frozen=True)
class QueueFilters:
    event: int | None = None
    outlet: int | None = None
    pair: tuple[str, str] | None = None  # both labels among the claim's assessments

    @classmethod
    def parse(cls, args) -> QueueFilters:
        pair = None
        if args.get("pair"):
            parts = tuple(p.strip() for p in args["pair"].split("/"))
            if len(parts) != 2:
                raise InvalidInput(
                    f"pair must be two labels joined by '/', e.g. {'/'.join(labels()[:2])}; got "
                    f"{args['pair']!r}."
                )
            pair = (check_label(parts[0]), check_label(parts[1]))
        return cls(parse_id(args.get("event")), parse_id(args.get("outlet")), pair)


def _scoped(stmt, filters: QueueFilters):
    if filters.event is not None:
        stmt = stmt.join(article_events, article_events.c.article_id == Claim.article_id).where(
            article_events.c.event_id == filters.event
        )
    if filters.outlet is not None:
        stmt = stmt.join(Article, Article.id == Claim.article_id).where(
            Article.outlet_id == filters.outlet
        )
    return stmt


def _overlap():
    """The claim's k: the largest overlap of its article's events (0 when none has one)."""
    links, events = article_events.alias(), aliased(Event)
    return func.coalesce(
        select(func.max(events.overlap))
        .join(links, links.c.event_id == events.id)
        .where(links.c.article_id == Claim.article_id)
        .correlate(Claim)
        .scalar_subquery(),
        0,
    )


def _claims_where(filters: QueueFilters, *, disagree: bool):
    """Ids of undecided claims that need a decision: assessments that disagree, or fewer
    assessments than the event's k (disagree=True); or whose two or more assessments, and at
    least k, all agree (disagree=False: what "Accept all" settles)."""
    distinct_labels = func.count(func.distinct(Assessment.label))
    assessed = func.count(func.distinct(Assessment.id))
    k = _overlap()
    stmt = (
        select(Claim.id)
        .outerjoin(Assessment, Assessment.claim_id == Claim.id)
        .where(Claim.adjudicated_label.is_(None))
        .group_by(Claim.id, Claim.article_id)
    )
    if disagree:
        stmt = stmt.having(or_(and_(assessed >= 2, distinct_labels > 1), assessed < k))
    else:
        stmt = stmt.having(assessed >= 2, distinct_labels == 1, assessed >= k)
    if filters.pair is not None:
        for label in filters.pair:
            stmt = stmt.having(func.sum(case((Assessment.label == label, 1), else_=0)) > 0)
    return _scoped(stmt, filters)


def overlaps(claims: list[Claim]) -> dict[int, int]:
    """Each claim's k (0: its events set none)."""
    if not claims:
        return {}
    return dict(
        db.session.execute(
            select(Claim.id, _overlap()).where(Claim.id.in_([c.id for c in claims]))
        ).all()
    )


@dataclass
class Queue:
    claims: list[Claim]
    total: int
    unanimous: int  # undecided claims whose two or more (and k) reviewers all agree
    k: dict[int, int]  # each listed claim's overlap (0: none set)


def queue(filters: QueueFilters, reader: ClaimPresenter | None = None, offset: int = 0) -> Queue:
    """A page of the claims that need a decision, as `reader` may see them."""
    ids = _claims_where(filters, disagree=True)
    ids = (reader.where(ids) if reader is not None else ids).subquery()
    total = db.session.scalar(select(func.count()).select_from(ids))
    claims = db.session.scalars(
        select(Claim)
        .where(Claim.id.in_(select(ids.c.id)))
        .options(
            selectinload(Claim.assessments).selectinload(Assessment.reviewer),
            selectinload(Claim.article).selectinload(Article.outlet),
        )
        .order_by(Claim.article_id, Claim.start, Claim.id)
        .offset(offset)
        .limit(PAGE)
    ).all()
    unanimous = db.session.scalar(
        select(func.count()).select_from(_claims_where(filters, disagree=False).subquery())
    )
    return Queue(list(claims), total or 0, unanimous or 0, overlaps(list(claims)))


@dataclass
class Unanimous:
    """What "Accept all" would do: how many claims, with which labels, and the first few."""

    total: int
    by_label: dict[str, int]
    first: list[tuple[Claim, str]]


def unanimous_preview(filters: QueueFilters, shown: int = 10) -> Unanimous:
    """The claims "Accept all" would decide, counted by label, the first `shown` of them."""
    ids = db.session.scalars(_claims_where(filters, disagree=False)).all()
    labels: dict[int, str] = {}
    for chunk in range(0, len(ids), 5000):
        labels.update(
            db.session.execute(
                select(Assessment.claim_id, func.min(Assessment.label))
                .where(Assessment.claim_id.in_(ids[chunk : chunk + 5000]))
                .group_by(Assessment.claim_id)
            ).all()
        )
    by_label: dict[str, int] = {}
    for label in labels.values():
        by_label[label] = by_label.get(label, 0) + 1
    first = db.session.scalars(
        select(Claim)
        .where(Claim.id.in_(sorted(ids)[:shown]))
        .options(selectinload(Claim.article).selectinload(Article.outlet))
        .order_by(Claim.id)
    ).all()
    return Unanimous(len(ids), by_label, [(c, labels[c.id]) for c in first])


def accept_unanimous(filters: QueueFilters, user: User, expected: int | None = None) -> int:
    """Adjudicate every undecided claim whose reviewers (two or more, and at least the
    event's k) all gave one label with that label. `expected`: how many the person confirmed
    (the preview's count); when the queue has changed since, nothing is decided. Flushes,
    does not commit; returns how many."""
    ids = db.session.scalars(_claims_where(filters, disagree=False)).all()
    if expected is not None and len(ids) != expected:
        raise InvalidInput(
            f"The queue changed since you looked: {len(ids)} claims now have one label from "
            f"every reviewer, not the {expected} you confirmed. Nothing was decided; "
            "look at the list again."
        )
    claims = db.session.scalars(
        select(Claim).where(Claim.id.in_(ids)).options(selectinload(Claim.assessments))
    ).all()
    for claim in claims:
        (label,) = {a.label for a in claim.assessments}
        adjudicate(
            claim,
            user,
            label,
            f"Accepted: all {len(claim.assessments)} reviewers gave this label.",
        )
    return len(claims)
