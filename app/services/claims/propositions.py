"""Propositions: statements within an event that claims from several articles express."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.capabilities import may_change, refusal
from app.errors import Forbidden, InvalidInput
from app.extensions import db
from app.models import Claim, Event, Proposition, User, article_events
from app.services.claims import history

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
    for claim in linked:
        _may_link(user, claim)
    proposition = Proposition(event=event, statement=statement.strip(), created_by_id=user.id)
    db.session.add(proposition)
    db.session.flush()
    for claim in linked:
        link(claim, user, proposition)
    db.session.flush()
    return proposition


def _may_link(user: User, claim: Claim) -> None:
    """One's own claims, or anyone's with link_any_claim (the capability table)."""
    if not may_change(user, claim.author_id, "link_any_claim"):
        raise Forbidden(
            f"Claim {claim.id} is another reviewer's: {refusal(user, 'link_any_claim')}"
        )


def link(claim: Claim, user: User, proposition: Proposition | None) -> None:
    """Link the claim to a proposition (or unlink it, with None), on record: one's own claim,
    or anyone's for whoever may link any claim."""
    _may_link(user, claim)
    old = claim.proposition_id
    new = proposition.id if proposition is not None else None
    claim.proposition = proposition
    if old != new:
        history.record(
            user,
            "proposition_link",
            "unlink" if new is None else "link",
            claim,
            before={"proposition_id": old},
            after={"proposition_id": new},
        )
