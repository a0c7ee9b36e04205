"""Agreement between reviewers, for an event, an outlet or the whole corpus."""

from __future__ import annotations

from flask_login import current_user
from marshmallow import Schema, fields

from app.api.base import Blueprint
from app.api.schemas import In
from app.models import Event, Outlet
from app.services import agreement
from app.services.catalogue import get_or_404

bp = Blueprint(
    "api_agreement",
    __name__,
    url_prefix="/api/v1",
    description="Agreement between reviewers on labels and spans (see the README for each "
    "figure's definition).",
)
blueprints = [bp]


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


def _scope(query: dict, **where) -> agreement.Scope:
    return agreement.Scope(
        **where, viewer=current_user._get_current_object(), informed=query["informed"]
    )


@bp.get("/agreement")
@bp.arguments(AgreementQuery, location="query")
@bp.response(200, AgreementSchema)
def corpus_agreement(query):
    """Agreement over every claim in the corpus."""
    return agreement.compute(_scope(query))


@bp.get("/events/<int:event_id>/agreement")
@bp.arguments(AgreementQuery, location="query")
@bp.response(200, AgreementSchema)
def event_agreement(query, event_id: int):
    """Agreement over the claims of one event."""
    get_or_404(Event, event_id)
    return agreement.compute(_scope(query, event_id=event_id))


@bp.get("/outlets/<int:outlet_id>/agreement")
@bp.arguments(AgreementQuery, location="query")
@bp.response(200, AgreementSchema)
def outlet_agreement(query, outlet_id: int):
    """Agreement over the claims in one outlet's articles."""
    get_or_404(Outlet, outlet_id)
    return agreement.compute(_scope(query, outlet_id=outlet_id))
