"""What a reader may see of a claim, decided here and nowhere else.

Blind mode: in a blind event, whoever lacks `see_blind_labels` (reviewers) sees other
reviewers' claims as spans only (no label, note, final label, adjudication or author) until
they have given their own assessment of the claim, or marked the article done.

The rule is one SQL condition (`hidden_condition`). Every reader of claims goes through one
presenter, `ClaimPresenter` (as Hypothesis's presenters do): the claim JSON of the API and the
article page, the event snapshot behind the compare, matrix and statistics pages, search
results and their label filter, where else, exports and their count, agreement, a claim's
history and the review queue. Hidden fields are hidden there, and nowhere else.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property

from flask import g, has_request_context
from sqlalchemy import and_, exists, select
from sqlalchemy.orm import aliased

from app.capabilities import may, require
from app.extensions import db
from app.models import Assessment, Assignment, Claim, Event, User, article_events


def applies_to(user: User | None) -> bool:
    """Whether blind mode can hide anything from this user: reviewers only, and only when
    some event is blind (read once per request)."""
    if user is None or may(user, "see_blind_labels") or not may(user, "read"):
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
    if user is None or may(user, "see_blind_labels") or not may(user, "read"):
        return False
    if any(a.reviewer_id == user.id for a in claim.assessments):
        return False
    return claim.id in hidden_claims(user, [claim.article_id])


def is_informed(user: User, claim: Claim) -> bool:
    """Whether the user, about to assess `claim`, can see (or has seen) another reviewer's
    label of it: a reviewer who marked the article done once saw them all, even if they
    marked it not done since."""
    others = any(a.reviewer_id != user.id for a in claim.assessments)
    if not others:
        return False
    if not applies_to(user):
        return True
    revealed = exists().where(
        Assignment.article_id == claim.article_id,
        Assignment.reviewer_id == user.id,
        Assignment.revealed_at.is_not(None),
    )
    hidden = exists().where(Claim.id == claim.id, hidden_condition(user))
    return bool(db.session.scalar(select(revealed | ~hidden)))


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
    require(user, "manage_assignments")
    event.blind = bool(on)
    db.session.flush()
    if has_request_context():
        g.pop("blind_events", None)
        g.pop("blind_hidden", None)
    return event


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def assessment_json(a: Assessment) -> dict:
    """One assessment as the API gives it (its claim's presenter decides whether it is shown)."""
    return {
        "id": a.id,
        "claim_id": a.claim_id,
        "reviewer": a.reviewer.username,
        "label": a.label,
        "note": a.note,
        "evidence_url": a.evidence_url,
        "version": a.version,
        "informed": a.informed,
        "created_at": _iso(a.created_at),
        "updated_at": _iso(a.updated_at),
    }


# What a hidden claim shows in place of its labels, notes and author.
HIDDEN_FIELDS = {
    "assessments": [],
    "final_label": None,
    "final_label_source": None,
    "adjudicated_label": None,
    "adjudicated_by": None,
    "adjudication_note": None,
    "author": None,
    "hidden": True,
}


class ClaimPresenter:
    """What one reader may see of claims. Built per reader (cheap: blind mode's own reads are
    kept for the request); every reader of claims asks it."""

    def __init__(self, viewer: User | None) -> None:
        self.viewer = viewer

    @cached_property
    def blind(self) -> bool:
        """Whether blind mode can hide anything from this reader at all (read when first
        needed: a claim the reader assessed is never hidden, and needs no query)."""
        return applies_to(self.viewer)

    def hidden(self, article_ids: Iterable[int]) -> frozenset[int]:
        """The ids of the articles' claims whose labels this reader may not see."""
        return frozenset(hidden_claims(self.viewer, article_ids)) if self.blind else frozenset()

    def is_hidden(self, claim: Claim) -> bool:
        return is_hidden(self.viewer, claim)

    def visible(self, claims: Iterable[Claim], hidden: frozenset[int]) -> list[Claim]:
        """The claims whose labels count for this reader (statistics, matrix, compare)."""
        return [c for c in claims if c.id not in hidden] if hidden else list(claims)

    def condition(self):
        """SQL: the claims (correlated on Claim) whose labels this reader may see; None when
        blind mode hides nothing from them. For counts, exports, filters and agreement."""
        return ~hidden_condition(self.viewer) if self.blind else None  # type: ignore[arg-type]

    def where(self, stmt):
        """`stmt` (selecting claims) narrowed to the claims this reader may see labelled."""
        condition = self.condition()
        return stmt if condition is None else stmt.where(condition)

    def claim(self, claim: Claim, hidden: bool | None = None) -> dict:
        """The claim's JSON for this reader: a hidden claim is its span alone. `hidden`: when
        the caller has worked it out already for many claims (`hidden()`)."""
        final, source = claim.final
        data = {
            "id": claim.id,
            "article_id": claim.article_id,
            "start": claim.start,
            "end": claim.end,
            "quote": claim.quote,
            "prefix": claim.prefix,
            "suffix": claim.suffix,
            "author": claim.author.username if claim.author else None,
            "proposition": claim.proposition_id,
            "final_label": final,
            "final_label_source": source,
            "adjudicated_label": claim.adjudicated_label,
            "adjudicated_by": claim.adjudicated_by.username if claim.adjudicated_by else None,
            "adjudication_note": claim.adjudication_note,
            "assessments": [assessment_json(a) for a in claim.assessments],
            "created_at": _iso(claim.created_at),
            "revision": claim.revision,
            "anchor": claim.anchor,
            "hidden": False,
        }
        if self.is_hidden(claim) if hidden is None else hidden:
            data.update(HIDDEN_FIELDS)
        return data

    def claims(self, claims: Iterable[Claim]) -> list[dict]:
        claims = list(claims)
        hidden = self.hidden({c.article_id for c in claims})
        return [self.claim(c, c.id in hidden) for c in claims]

    def may_read_history(self, claim_id: int, article_id: int) -> bool:
        """A claim's history holds every label it was given: readable when its labels are."""
        return not self.blind or may_read_history(self.viewer, claim_id, article_id)

    def keeps(self, article_ids: Iterable[int]) -> bool:
        """Whether a page over these articles, as this reader sees it, may be kept and served
        to others of their role: only when blind mode hides nothing of it from them, counting
        every blind event the articles are in. Such a page is the one every reader of the
        role sees who has nothing hidden; a reader who has something hidden is never served
        a kept page either (tests/web/test_blind_everywhere.py walks every route)."""
        return not self.hidden(article_ids)


def presenter_for(viewer: User | None) -> ClaimPresenter:
    """The presenter of `viewer`'s claims, made once per request (pages and the API)."""
    if not has_request_context():
        return ClaimPresenter(viewer)
    made: dict = g.setdefault("claim_presenters", {})
    key = getattr(viewer, "id", None)
    if key not in made:
        made[key] = ClaimPresenter(viewer)
    return made[key]
