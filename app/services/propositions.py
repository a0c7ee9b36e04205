"""Propositions: statements within an event that claims from several articles express."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Claim, Event, Proposition, User, article_events
from app.services import history
from app.services.errors import InvalidInput

MAX_STATEMENT = 2_000


def list_propositions(event: Event) -> list[Proposition]:
    return list(
        db.session.scalars(
            select(Proposition)
            .where(Proposition.event_id == event.id)
            .options(selectinload(Proposition.claims))
            .order_by(Proposition.id)
        )
    )


def proposition_stated(
    event_ids: list[int], statement: str, created_by: User | None = None
) -> Proposition:
    """The proposition with this statement in one of the events, or a new one in the first.

    For claim sets loaded from files, which name propositions by their statement. Flushes,
    does not commit.
    """
    found = db.session.scalar(
        select(Proposition)
        .where(Proposition.event_id.in_(event_ids), Proposition.statement == statement)
        .order_by(Proposition.id)
        .limit(1)
    )
    if found is None:
        found = Proposition(event_id=event_ids[0], statement=statement, created_by=created_by)
        db.session.add(found)
        db.session.flush()
    return found


def create_proposition(
    event: Event, user: User, *, statement: object, claims: object = ()
) -> Proposition:
    """A new proposition in the event, optionally linking claims of the event's articles."""
    if not isinstance(statement, str) or not statement.strip():
        raise InvalidInput("statement is required.")
    if len(statement) > MAX_STATEMENT:
        raise InvalidInput(f"statement is longer than {MAX_STATEMENT} characters.")
    if not isinstance(claims, list | tuple) or not all(
        isinstance(c, int) and not isinstance(c, bool) for c in claims
    ):
        raise InvalidInput("claims must be a list of claim ids.")
    linked = (
        list(
            db.session.scalars(
                select(Claim)
                .join(article_events, article_events.c.article_id == Claim.article_id)
                .where(Claim.id.in_(claims), article_events.c.event_id == event.id)
            )
        )
        if claims
        else []
    )
    missing = sorted(set(claims) - {c.id for c in linked})
    if missing:
        raise InvalidInput(
            f"Claims {missing} do not exist or are not in articles of event {event.id}."
        )
    proposition = Proposition(event=event, statement=statement.strip(), created_by_id=user.id)
    db.session.add(proposition)
    db.session.flush()
    for claim in linked:
        before = claim.proposition_id
        claim.proposition = proposition
        history.record(
            user,
            "proposition_link",
            "link",
            claim,
            before={"proposition_id": before},
            after={"proposition_id": proposition.id},
        )
    db.session.flush()
    return proposition
