"""The side-by-side data for an event, and similar-passage suggestions for a claim."""

from __future__ import annotations

import orjson
from flask import Response, request
from flask_login import current_user

from app.api.base import Blueprint, get_or_404
from app.api.schemas.catalogue import OutletSchema
from app.api.schemas.claims import presenter
from app.api.schemas.comparison import ComparisonSchema, SuggestionSchema
from app.capabilities import requires
from app.errors import InvalidInput
from app.models import Event, limits
from app.models.limits import parse_id
from app.services.claims.tagging import get_claim
from app.services.compare import comparison, figures

bp = Blueprint(
    "api_comparison", __name__, url_prefix="/api/v1", description="Comparing outlets on one event."
)
blueprints = [bp]


def _article_ids() -> list[int] | None:
    raw = request.args.getlist("articles") or [
        part for value in request.args.getlist("article") for part in value.split(",")
    ]
    ids = [parse_id(v) for v in raw if v]
    if None in ids:
        raise InvalidInput(f"articles must be article ids (1 to {limits.MAX_ID}).")
    return ids or None


@bp.get("/events/<int:event_id>/comparison")
@requires("read")
@bp.response(200, ComparisonSchema)
def get_comparison(event_id: int):
    """Articles (optionally chosen and ordered with ?articles=3&articles=1), propositions
    with each article's claims, and per-outlet counts of final labels."""
    event = get_or_404(Event, event_id)
    chosen = _article_ids()

    def render() -> str:
        reader = presenter()
        snapshot = comparison.load_snapshot(event, reader)
        result = comparison.build_comparison(snapshot, chosen)
        outlet_of = {a.id: a.outlet.name for a in result.articles}
        payload = {
            "event": {
                "id": event.id,
                "title": event.title,
                "start_date": event.start_date.isoformat() if event.start_date else None,
            },
            "articles": [
                {
                    "id": a.id,
                    "title": a.title,
                    "outlet": OutletSchema().dump(a.outlet),
                    "stance": a.stance,
                    "published": a.published.isoformat() if a.published else None,
                    "url": a.url,
                    "claims": [reader.claim(c, False) for c in snapshot.claims(a)],
                }
                for a in result.articles
            ],
            "propositions": [
                {
                    "id": p.id,
                    "statement": p.statement,
                    "claims": {
                        str(aid): [c.id for c in claims]
                        for aid, claims in result.claims_by_proposition.get(p.id, {}).items()
                    },
                    "outlets": sorted(
                        {outlet_of[aid] for aid in result.claims_by_proposition.get(p.id, {})}
                    ),
                }
                for p in result.propositions
            ],
            "outlet_label_counts": result.outlet_labels,
        }
        # Built by hand (the schema above documents it): dumping 200 claims through marshmallow
        # was half of this endpoint's time.
        return orjson.dumps(payload).decode()

    body = figures.kept_text(figures.event_state(event), "comparison", current_user, render, chosen)
    return Response(body, mimetype="application/json")


@bp.get("/claims/<int:claim_id>/suggestions")
@requires("read")
@bp.response(200, SuggestionSchema(many=True))
def get_suggestions(claim_id: int):
    """Sentences in the event's other articles most similar to the claim (TF-IDF cosine)."""
    return comparison.suggestions(get_claim(claim_id))
