"""Agreement between reviewers: the figures and their query."""

from __future__ import annotations

from marshmallow import Schema, fields

from app.api.schemas.fields import In


class StatisticSchema(Schema):
    value = fields.Float(allow_none=True, metadata={"description": "null: see reason."})
    n = fields.Integer(metadata={"description": "What it was computed over."})
    low = fields.Float(allow_none=True, metadata={"description": "95% interval (alpha)."})
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
        metadata={"description": "labels x labels: ordered pairs of assessments of a claim."},
    )
    kappas = fields.List(fields.Nested(PairKappaSchema))
    spans = fields.List(fields.Nested(SpanPairSchema))
    reviewers = fields.List(fields.Nested(ReviewerRowSchema))


class AgreementQuery(In):
    informed = fields.Boolean(
        load_default=False,
        metadata={
            "description": "Count assessments given while other labels were visible too; "
            "by default only independent (uninformed) ones count."
        },
    )
