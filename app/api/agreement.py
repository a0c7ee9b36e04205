"""Agreement between reviewers, for an event, an outlet or the whole corpus."""

from __future__ import annotations

from flask_login import current_user

from app.api.base import Blueprint, get_or_404
from app.api.schemas.agreement import AgreementQuery, AgreementSchema
from app.capabilities import requires
from app.models import Event, Outlet
from app.services.review import agreement

bp = Blueprint(
    "api_agreement",
    __name__,
    url_prefix="/api/v1",
    description="Agreement between reviewers on labels and spans (see the README for each "
    "figure's definition).",
)
blueprints = [bp]


def _scope(query: dict, **where) -> agreement.Scope:
    return agreement.Scope(
        **where, viewer=current_user._get_current_object(), informed=query["informed"]
    )


@bp.get("/agreement")
@requires("read")
@bp.arguments(AgreementQuery, location="query")
@bp.response(200, AgreementSchema)
def corpus_agreement(query):
    """Agreement over every claim in the corpus."""
    return agreement.compute(_scope(query))


@bp.get("/events/<int:event_id>/agreement")
@requires("read")
@bp.arguments(AgreementQuery, location="query")
@bp.response(200, AgreementSchema)
def event_agreement(query, event_id: int):
    """Agreement over the claims of one event."""
    get_or_404(Event, event_id)
    return agreement.compute(_scope(query, event_id=event_id))


@bp.get("/outlets/<int:outlet_id>/agreement")
@requires("read")
@bp.arguments(AgreementQuery, location="query")
@bp.response(200, AgreementSchema)
def outlet_agreement(query, outlet_id: int):
    """Agreement over the claims in one outlet's articles."""
    get_or_404(Outlet, outlet_id)
    return agreement.compute(_scope(query, outlet_id=outlet_id))
