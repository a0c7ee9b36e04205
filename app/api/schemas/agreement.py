"""Agreement between reviewers: the figures and their query."""

from __future__ import annotations

from marshmallow import Schema, fields

from app.api.schemas.fields import Query


class StatisticSchema(Schema):
    value = fields.Float(allow_none=True, metadata={"description": "null: see reason."})
    n = fields.Integer(
        metadata={
            "description": "The units it rests on: claims for label figures, articles for "
            "span figures."
        }
    )
    low = fields.Float(allow_none=True, metadata={"description": "95% bootstrap interval."})
    high = fields.Float(allow_none=True)
    reason = fields.String(allow_none=True, metadata={"description": "Why there is no value."})


class PairKappaSchema(Schema):
    first = fields.String()
    second = fields.String()
    kappa = fields.Nested(StatisticSchema)
    percent = fields.Nested(StatisticSchema)


class SpanPairSchema(Schema):
    first = fields.String()
    second = fields.String()
    articles = fields.Integer()
    first_spans = fields.Integer()
    second_spans = fields.Integer()
    exact = fields.Integer()
    overlap = fields.Integer()
    exact_f1 = fields.Float(allow_none=True)
    overlap_f1 = fields.Float(allow_none=True)
    only_first = fields.Integer()
    only_second = fields.Integer()
    reason = fields.String(allow_none=True, metadata={"description": "Why there is no F1."})
    article_ids = fields.List(
        fields.Integer(), metadata={"description": "The articles both took part in."}
    )


class LabelSpansSchema(Schema):
    label = fields.String()
    spans = fields.Integer(metadata={"description": "Spans with this label, all reviewers."})
    alpha = fields.Nested(
        StatisticSchema, metadata={"description": "Krippendorff's unitizing alpha (alpha_u)."}
    )


class SpanArticleSchema(Schema):
    article_id = fields.Integer()
    title = fields.String()
    reviewers = fields.List(fields.String(), metadata={"description": "Compared here."})
    spans = fields.Integer()
    left_out = fields.List(
        fields.String(), metadata={"description": "Took part, but saw others' spans."}
    )


class EventRowSchema(Schema):
    event_id = fields.Integer()
    title = fields.String()
    units = fields.Integer()
    alpha = fields.Nested(StatisticSchema)
    percent = fields.Nested(StatisticSchema)


class ReviewerRowSchema(Schema):
    reviewer = fields.String()
    assessed = fields.Integer()
    compared = fields.Integer()
    agreement = fields.Nested(StatisticSchema)


class AgreementSchema(Schema):
    labels = fields.List(fields.String())
    claims = fields.Integer(metadata={"description": "Claims with at least one assessment."})
    units = fields.Integer(metadata={"description": "Claims with two or more."})
    values = fields.Integer(metadata={"description": "Pairable values (their assessments)."})
    alpha = fields.Nested(StatisticSchema)
    percent = fields.Nested(StatisticSchema)
    confusion = fields.List(
        fields.List(fields.Integer()),
        metadata={
            "description": "labels x labels: ordered pairs of assessments of a claim; empty "
            "when there are too few units to say."
        },
    )
    kappas = fields.List(fields.Nested(PairKappaSchema))
    spans = fields.List(fields.Nested(SpanPairSchema))
    reviewers = fields.List(fields.Nested(ReviewerRowSchema))
    unitizing = fields.List(fields.Nested(LabelSpansSchema))
    span_articles = fields.List(fields.Nested(SpanArticleSchema))
    span_left_out = fields.Integer(
        metadata={"description": "(article, reviewer) markings left out as not independent."}
    )
    events = fields.List(
        fields.Nested(EventRowSchema),
        metadata={"description": "A pooled scope's figures event by event."},
    )
    pooled = fields.Boolean(metadata={"description": "The figures pool several events."})
    hidden_claims = fields.Integer(
        metadata={"description": "Claims blind mode hides from you, left out."}
    )
    hidden_articles = fields.Integer(
        metadata={"description": "Their articles, left out of the span figures."}
    )


class AgreementQuery(Query):
    informed = fields.Boolean(
        load_default=False,
        metadata={
            "description": "Count assessments given while other labels were visible too, "
            "and spans made while others' were drawn; by default only independent "
            "(uninformed) ones count."
        },
    )
