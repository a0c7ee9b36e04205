"""Blind mode: in a blind event, a reviewer sees other reviewers' claims as spans only (no
label, note, final label, adjudication or author) until they have given their own assessment
of the claim, or marked the article done. Admins, curators and researchers see everything.

The rule is one SQL condition (`hidden_claims`), used by every read that shows labels: the
claim JSON (`mask`), the event snapshot behind the compare, matrix and statistics pages, the
export and its count, agreement, and a claim's history.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import g, has_request_context
from sqlalchemy import and_, exists, select
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import Assessment, Assignment, Claim, Event, User, article_events
from app.services.errors import Forbidden


def applies_to(user: User | None) -> bool:
    """Whether blind mode can hide anything from this user: reviewers only, and only when
    some event is blind (read once per request)."""
    if user is None or not getattr(user, "is_authenticated", False) or user.role != "reviewer":
        return False
    if has_request_context() and "blind_events" in g:
        return g.blind_events
    any_blind = db.session.scalar(select(exists().where(Event.blind.is_(True))))
    if has_request_context():
        g.blind_events = bool(any_blind)
    return bool(any_blind)


def hidden_condition(user: User):
    """True for a claim this reviewer may not see the labels of: in a blind event, not
    assessed by them, and its article not marked done by them. Correlated on Claim only
    (the subqueries use their own aliases), so it fits any query that selects claims."""
    events, links = aliased(Event), article_events.alias()
    mine, done = aliased(Assessment), aliased(Assignment)
    return and_(
        exists()
        .where(
            links.c.article_id == Claim.article_id,
            links.c.event_id == events.id,
            events.blind.is_(True),
        )
        .correlate(Claim),
        ~exists().where(mine.claim_id == Claim.id, mine.reviewer_id == user.id).correlate(Claim),
        ~exists()
        .where(
            done.article_id == Claim.article_id,
            done.reviewer_id == user.id,
            done.done_at.is_not(None),
        )
        .correlate(Claim),
    )


def hidden_claims(user: User | None, article_ids: Iterable[int]) -> set[int]:
    """The ids of the articles' claims whose labels `user` may not see."""
    ids = list(article_ids)
    if not ids or not applies_to(user):
        return set()
    cache: dict[int, set[int]] = g.setdefault("blind_hidden", {}) if has_request_context() else {}
    missing = [a for a in ids if a not in cache]
    if missing:
        found: dict[int, set[int]] = {a: set() for a in missing}
        for claim_id, article_id in db.session.execute(
            select(Claim.id, Claim.article_id).where(
                Claim.article_id.in_(missing), hidden_condition(user)
            )
        ):
            found[article_id].add(claim_id)
        cache.update(found)
    return set().union(*(cache[a] for a in ids))


def forget() -> None:
    """Drop what this request worked out: an assessment just given reveals its claim."""
    if has_request_context():
        g.pop("blind_hidden", None)


def is_hidden(user: User | None, claim: Claim) -> bool:
    """Whether blind mode hides this claim's labels from `user`. A claim the user has
    assessed is never hidden: that is read from the claim in hand, without a query."""
    if user is None or not getattr(user, "is_authenticated", False) or user.role != "reviewer":
        return False
    if any(a.reviewer_id == user.id for a in claim.assessments):
        return False
    return claim.id in hidden_claims(user, [claim.article_id])


def is_informed(user: User, claim: Claim) -> bool:
    """Whether the user, about to assess `claim`, can see another reviewer's label of it."""
    others = any(a.reviewer_id != user.id for a in claim.assessments)
    if not others:
        return False
    if not applies_to(user):
        return True
    return not db.session.scalar(
        select(exists().where(Claim.id == claim.id, hidden_condition(user)))
    )


HIDDEN_FIELDS = {
    "assessments": [],
    "final_label": None,
    "adjudicated_label": None,
    "adjudicated_by": None,
    "adjudication_note": None,
    "author": None,
}


def mask(data: dict) -> dict:
    """A claim's JSON as a reviewer sees it while it is hidden: its span only."""
    return {**data, **HIDDEN_FIELDS, "hidden": True}


def may_read_history(user: User | None, claim_id: int, article_id: int) -> bool:
    """A claim's history holds every label it was given: a reviewer reads it only when
    they may see the claim's labels (a deleted claim of a blind event: not at all)."""
    if not applies_to(user):
        return True
    if (claim := db.session.get(Claim, claim_id)) is not None:
        return not is_hidden(user, claim)
    in_blind_event = db.session.scalar(
        select(
            exists().where(
                article_events.c.article_id == article_id,
                article_events.c.event_id == Event.id,
                Event.blind.is_(True),
            )
        )
    )
    return not in_blind_event


def set_blind(event: Event, on: bool, user: User) -> Event:
    """Make the event blind, or lift blind mode (admins). Flushes, does not commit."""
    if not user.is_admin:
        raise Forbidden("Only an admin sets blind mode.")
    event.blind = bool(on)
    db.session.flush()
    if has_request_context():
        g.pop("blind_events", None)
        g.pop("blind_hidden", None)
    return event
