"""Streaming the claim set: filters, one record per claim, batches of claims at a time.

Claims are read in keyset batches (id > last, LIMIT n) with their assessments, so memory
stays flat whatever the size of the export.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask import current_app
from sqlalchemy import and_, distinct, exists, func, or_, select

from app.extensions import db
from app.models import Article, Assessment, Claim, Event, Outlet, Proposition, User, article_events
from app.services.errors import InvalidInput

BATCH = 1000
FORMATS = ("jsonl", "csv", "json", "w3c")
NO_FINAL_LABEL = "disputed"


@dataclass(frozen=True)
class ClaimFilters:
    event: int | None = None
    outlet: int | None = None
    article: int | None = None
    label: str | None = None  # final label, or "disputed" for claims without one
    reviewer: str | None = None
    published_from: date | None = None
    published_to: date | None = None
    include_text: bool = False

    def describe(self) -> str:
        """Filters as a file-name fragment: event-2_label-supporting."""
        parts = []
        for name in ("event", "outlet", "article", "label", "reviewer"):
            value = getattr(self, name)
            if value is not None:
                parts.append(f"{name}-{value}")
        if self.published_from or self.published_to:
            parts.append(f"{self.published_from or ''}..{self.published_to or ''}")
        safe = "_".join(parts)
        return "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in safe)


def _int(name: str, value: object) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InvalidInput(f"{name} must be an id, got {value!r}.") from None


def _date(name: str, value: object) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput(f"{name} must be a date as YYYY-MM-DD, got {value!r}.") from None


def parse_filters(args: dict) -> ClaimFilters:
    """Filters from query parameters or CLI options; a bad one is InvalidInput."""
    label = args.get("label") or None
    labels = (*current_app.config["PARALLAX_LABELS"], NO_FINAL_LABEL)
    if label is not None and label not in labels:
        raise InvalidInput(f"Unknown label {label!r}; expected one of {', '.join(labels)}.")
    filters = ClaimFilters(
        event=_int("event", args.get("event")),
        outlet=_int("outlet", args.get("outlet")),
        article=_int("article", args.get("article")),
        label=label,
        reviewer=args.get("reviewer") or None,
        published_from=_date("from", args.get("from")),
        published_to=_date("to", args.get("to")),
        include_text=str(args.get("include_text", "")).lower() in ("1", "true", "yes", "on"),
    )
    if (
        filters.published_from
        and filters.published_to
        and filters.published_to < filters.published_from
    ):
        raise InvalidInput("to is before from.")
    return filters


def _where(filters: ClaimFilters) -> list:
    clauses = []
    if filters.event is not None:
        clauses.append(
            exists().where(
                article_events.c.article_id == Claim.article_id,
                article_events.c.event_id == filters.event,
            )
        )
    if filters.outlet is not None:
        clauses.append(Article.outlet_id == filters.outlet)
    if filters.article is not None:
        clauses.append(Claim.article_id == filters.article)
    if filters.published_from is not None:
        clauses.append(Article.published >= filters.published_from)
    if filters.published_to is not None:
        clauses.append(Article.published <= filters.published_to)
    if filters.reviewer is not None:
        clauses.append(
            exists().where(
                Assessment.claim_id == Claim.id,
                Assessment.reviewer_id == User.id,
                User.username == filters.reviewer,
            )
        )
    if filters.label is not None:
        distinct_labels = (
            select(func.count(distinct(Assessment.label)))
            .where(Assessment.claim_id == Claim.id)
            .correlate(Claim)
            .scalar_subquery()
        )
        if filters.label == NO_FINAL_LABEL:
            clauses.append(and_(Claim.adjudicated_label.is_(None), distinct_labels != 1))
        else:
            agreed = and_(
                Claim.adjudicated_label.is_(None),
                distinct_labels == 1,
                exists().where(Assessment.claim_id == Claim.id, Assessment.label == filters.label),
            )
            clauses.append(or_(Claim.adjudicated_label == filters.label, agreed))
    return clauses


def count_claims(filters: ClaimFilters) -> int:
    stmt = select(func.count(Claim.id)).join(Article, Article.id == Claim.article_id)
    return db.session.scalar(stmt.where(*_where(filters))) or 0


def _iso(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:  # SQLite hands back naive datetimes; they are UTC
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return value.isoformat()


def _final_label(adjudicated: str | None, labels: list[str]) -> str | None:
    if adjudicated:
        return adjudicated
    distinct = set(labels)
    return distinct.pop() if len(distinct) == 1 else None


def iter_claim_records(filters: ClaimFilters, batch: int = BATCH) -> Iterator[dict]:
    """One export record per claim (SPEC §6), in claim-id order, streamed in batches."""
    events_of: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for article_id, event_id, title in db.session.execute(
        select(article_events.c.article_id, Event.id, Event.title)
        .join(Event, Event.id == article_events.c.event_id)
        .order_by(Event.id)
    ):
        events_of[article_id].append((event_id, title))
    author = User.__table__.alias("author")
    columns = [
        Claim.id,
        Claim.article_id,
        Claim.start,
        Claim.end,
        Claim.quote,
        Claim.prefix,
        Claim.suffix,
        Claim.adjudicated_label,
        Claim.created_at,
        Claim.proposition_id,
        Proposition.statement,
        author.c.username,
        Article.title,
        Article.url,
        Article.stance,
        Article.published,
        Article.content_hash,
        Outlet.name,
        Outlet.lean,
    ]
    if filters.include_text:
        columns.append(Article.text)
    base = (
        select(*columns)
        .join(Article, Article.id == Claim.article_id)
        .join(Outlet, Outlet.id == Article.outlet_id)
        .outerjoin(Proposition, Proposition.id == Claim.proposition_id)
        .outerjoin(author, author.c.id == Claim.author_id)
        .where(*_where(filters))
        .order_by(Claim.id)
        .limit(batch)
    )
    last_id = 0
    while True:
        rows = db.session.execute(base.where(Claim.id > last_id)).all()
        if not rows:
            return
        ids = [row[0] for row in rows]
        assessments: dict[int, list[dict]] = defaultdict(list)
        for (
            claim_id,
            reviewer,
            label,
            note,
            evidence_url,
            version,
            created,
            updated,
        ) in db.session.execute(
            select(
                Assessment.claim_id,
                User.username,
                Assessment.label,
                Assessment.note,
                Assessment.evidence_url,
                Assessment.version,
                Assessment.created_at,
                Assessment.updated_at,
            )
            .join(User, User.id == Assessment.reviewer_id)
            .where(Assessment.claim_id.in_(ids))
            .order_by(Assessment.claim_id, User.username)
        ):
            assessments[claim_id].append(
                {
                    "reviewer": reviewer,
                    "label": label,
                    "note": note,
                    "evidence_url": evidence_url,
                    "version": version,
                    "created_at": _iso(created),
                    "updated_at": _iso(updated),
                }
            )
        for row in rows:
            (
                claim_id,
                article_id,
                start,
                end,
                quote,
                prefix,
                suffix,
                adjudicated,
                created,
                proposition_id,
                statement,
                author_name,
                title,
                url,
                stance,
                published,
                text_hash,
                outlet,
                lean,
            ) = row[:19]
            claim_assessments = assessments.get(claim_id, [])
            events = events_of.get(article_id, [])
            record = {
                "claim_id": claim_id,
                "event_ids": [e[0] for e in events],
                "event_titles": [e[1] for e in events],
                "article_id": article_id,
                "article_title": title,
                "article_url": url,
                "article_content_hash": text_hash,
                "outlet": outlet,
                "outlet_lean": lean,
                "stance": stance,
                "published": _iso(published),
                "start": start,
                "end": end,
                "quote": quote,
                "prefix": prefix,
                "suffix": suffix,
                "final_label": _final_label(adjudicated, [a["label"] for a in claim_assessments]),
                "adjudicated_label": adjudicated,
                "assessments": claim_assessments,
                "proposition_id": proposition_id,
                "proposition": statement,
                "author": author_name,
                "created_at": _iso(created),
            }
            if filters.include_text:
                record["article_text"] = row[19]
            yield record
        last_id = ids[-1]
