"""Assignments: which reviewer reviews which article, and their progress."""

from __future__ import annotations

from flask_login import current_user

from app.api.base import Blueprint, get_or_404
from app.api.schemas.assignments import (
    AssignIn,
    BlindIn,
    BlindSchema,
    ByHandIn,
    DoneIn,
    DoneSchema,
    ProgressSchema,
    QueueItemSchema,
)
from app.capabilities import requires
from app.models import Article, Event
from app.services.claims import visibility as blind
from app.services.review import assignments

bp = Blueprint(
    "api_assignments",
    __name__,
    url_prefix="/api/v1",
    description="Assigning articles to reviewers with an overlap k, and their progress.",
)
blueprints = [bp]


@bp.get("/events/<int:event_id>/assignments")
@requires("read")
@bp.response(200, ProgressSchema)
def event_progress(event_id: int):
    """Who is assigned which article of the event, and who has finished."""
    return assignments.progress(get_or_404(Event, event_id))


@bp.post("/events/<int:event_id>/assignments")
@requires("manage_assignments")
@bp.arguments(AssignIn)
@bp.response(200, ProgressSchema)
def assign(data, event_id: int):
    """Give each of the event's articles to k of `reviewers`, spread evenly (admins).
    Articles keep the reviewers they already have."""
    event = get_or_404(Event, event_id)
    assignments.assign_evenly(event, data["reviewers"], data["k"], current_user)
    return assignments.progress(event)


@bp.put("/events/<int:event_id>/blind")
@requires("manage_assignments")
@bp.arguments(BlindIn)
@bp.response(200, BlindSchema)
def set_blind(data, event_id: int):
    """Make the event blind (admins): a reviewer sees other reviewers' claims as passages only
    until they have assessed each claim or marked the article done. Or lift it."""
    return blind.set_blind(get_or_404(Event, event_id), data["blind"], current_user)


@bp.put("/articles/<int:article_id>/assignment")
@requires("manage_assignments")
@bp.arguments(ByHandIn)
@bp.response(200, ByHandIn)
def assign_by_hand(data, article_id: int):
    """Set exactly who reviews this article (admins)."""
    article = get_or_404(Article, article_id)
    return {"reviewers": assignments.assign_by_hand(article, data["reviewers"], current_user)}


@bp.put("/articles/<int:article_id>/done")
@requires("assess")
@bp.arguments(DoneIn, required=False)  # no body: done
@bp.response(200, DoneSchema)
def mark_done(data, article_id: int):
    """Say you have finished this article ("Done for me"), or with done=false, not yet."""
    article = get_or_404(Article, article_id)
    row = assignments.mark_done(article, current_user, data["done"])
    row.next_article = assignments.next_article(current_user, after=article.id)
    return row


@bp.get("/me/queue")
@requires("read")
@bp.response(200, QueueItemSchema(many=True))
def my_queue():
    """Your assigned articles, those not done first."""
    return assignments.my_queue(current_user)
