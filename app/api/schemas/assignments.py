"""Assignments, blind mode and a reviewer's queue."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.api.schemas.fields import In, named
from app.models import limits
from app.services.review import assignments


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
    reviewers = fields.List(named(limits.USERNAME), required=True, validate=validate.Length(min=1))
    k = fields.Integer(
        required=True, strict=True, validate=validate.Range(1, assignments.MAX_OVERLAP)
    )


class ByHandIn(In):
    reviewers = fields.List(named(limits.USERNAME), required=True)


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
