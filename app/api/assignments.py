"""Assignments: which reviewer reviews which article, and their progress."""

from __future__ import annotations

from flask_login import current_user
from marshmallow import Schema, fields, validate

from app.api.base import Blueprint
from app.api.schemas import In, Text
from app.models import Article, Event
from app.services import assignments, blind
from app.services.catalogue import get_or_404

bp = Blueprint(
    "api_assignments",
    __name__,
    url_prefix="/api/v1",
    description="Assigning articles to reviewers with an overlap k, and their progress.",
)
blueprints = [bp]


class ReviewerProgressSchema(Schema):
    reviewer = fields.String()
    done = fields.Integer()
    assigned = fields.Integer()


class ArticleProgressSchema(Schema):
    article_id = fields.Integer()
    title = fields.String()
    outlet = fields.String()
    done = fields.List(fields.String())
    assigned = fields.List(fields.String())


class ProgressSchema(Schema):
    overlap = fields.Integer(allow_none=True, metadata={"description": "k"})
    reviewers = fields.List(fields.Nested(ReviewerProgressSchema))
    articles = fields.List(fields.Nested(ArticleProgressSchema))


class AssignIn(In):
    reviewers = fields.List(Text(), required=True)
    k = fields.Integer(
        required=True, strict=True, validate=validate.Range(1, assignments.MAX_OVERLAP)
    )


class ByHandIn(In):
    reviewers = fields.List(Text(), required=True)


class BlindIn(In):
    blind = fields.Boolean(required=True)


class BlindSchema(Schema):
    event_id = fields.Integer(attribute="id")
    blind = fields.Boolean()


class DoneIn(In):
    done = fields.Boolean(load_default=True)


class DoneSchema(Schema):
    article_id = fields.Integer()
    done = fields.Function(lambda a: a.done_at is not None)
    done_at = fields.DateTime(allow_none=True)
    next_article = fields.Integer(allow_none=True)


class QueueItemSchema(Schema):
    article_id = fields.Function(lambda q: q.article.id)
    title = fields.Function(lambda q: q.article.title)
    outlet = fields.Function(lambda q: q.article.outlet.name)
    done = fields.Boolean()


@bp.get("/events/<int:event_id>/assignments")
@bp.response(200, ProgressSchema)
def event_progress(event_id: int):
    """Who is assigned which article of the event, and who has finished."""
    return assignments.progress(get_or_404(Event, event_id))


@bp.post("/events/<int:event_id>/assignments")
@bp.arguments(AssignIn)
@bp.response(200, ProgressSchema)
def assign(data, event_id: int):
    """Give each of the event's articles to k of `reviewers`, spread evenly (admins).
    Articles keep the reviewers they already have."""
    event = get_or_404(Event, event_id)
    assignments.assign_evenly(event, data["reviewers"], data["k"], current_user)
    return assignments.progress(event)


@bp.put("/events/<int:event_id>/blind")
@bp.arguments(BlindIn)
@bp.response(200, BlindSchema)
def set_blind(data, event_id: int):
    """Make the event blind (admins): a reviewer sees other reviewers' claims as spans only
    until they have assessed each claim or marked the article done. Or lift it."""
    return blind.set_blind(get_or_404(Event, event_id), data["blind"], current_user)


@bp.put("/articles/<int:article_id>/assignment")
@bp.arguments(ByHandIn)
@bp.response(200, ByHandIn)
def assign_by_hand(data, article_id: int):
    """Set exactly who reviews this article (admins)."""
    article = get_or_404(Article, article_id)
    return {"reviewers": assignments.assign_by_hand(article, data["reviewers"], current_user)}


@bp.put("/articles/<int:article_id>/done")
@bp.arguments(DoneIn)
@bp.response(200, DoneSchema)
def mark_done(data, article_id: int):
    """Say you have finished this article ("Done for me"), or with done=false, not yet."""
    article = get_or_404(Article, article_id)
    row = assignments.mark_done(article, current_user, data["done"])
    row.next_article = assignments.next_article(current_user, after=article.id)
    return row


@bp.get("/me/queue")
@bp.response(200, QueueItemSchema(many=True))
def my_queue():
    """Your assigned articles, those not done first."""
    return assignments.my_queue(current_user)
