"""One claim: read, change the caller's assessment or the proposition, delete."""

from __future__ import annotations

from flask_login import current_user

from app.api.base import Blueprint
from app.api.schemas.claims import (
    AdjudicationIn,
    AnchorIn,
    AssessmentIn,
    AssessmentSchema,
    ClaimPatch,
    ClaimSchema,
    HistorySchema,
    presenter,
)
from app.capabilities import requires
from app.errors import Forbidden
from app.services.claims import history, restore, revisions
from app.services.claims import tagging as claim_service

bp = Blueprint(
    "api_claims", __name__, url_prefix="/api/v1/claims", description="Claims and assessments."
)
blueprints = [bp]


@bp.get("/<int:claim_id>")
@requires("read")
@bp.response(200, ClaimSchema)
def get_claim(claim_id: int):
    return claim_service.get_claim(claim_id)


@bp.patch("/<int:claim_id>")
@requires("assess")
@bp.arguments(ClaimPatch)
@bp.response(200, ClaimSchema)
def update_claim(data, claim_id: int):
    """Change your assessment (send `version` to refuse stale edits: 409) or the proposition."""
    claim = claim_service.get_claim(claim_id)
    return claim_service.update_claim(claim, current_user, **data)


@bp.delete("/<int:claim_id>")
@requires("annotate")
@bp.response(204)
def delete_claim(claim_id: int):
    """Delete a claim: its author or an admin."""
    claim_service.delete_claim(claim_service.get_claim(claim_id), current_user)


@bp.put("/<int:claim_id>/assessment")
@requires("assess")
@bp.arguments(AssessmentIn)
@bp.response(200, AssessmentSchema)
@bp.alt_response(201, schema=AssessmentSchema, description="Created")
def put_assessment(data, claim_id: int):
    """Add (201) or replace (200) your own assessment of a claim."""
    claim = claim_service.get_claim(claim_id)
    result = claim_service.put_assessment(claim, current_user, **data)
    return result.assessment, 201 if result.created else 200


@bp.get("/<int:claim_id>/history")
@requires("read")
@bp.response(200, HistorySchema(many=True))
def get_history(claim_id: int):
    """Every change to the claim, its assessments, adjudication and proposition link, oldest
    first: who, when, before and after. A deleted claim keeps its history. In a blind
    event a reviewer reads it once they have assessed the claim (or marked its article
    done)."""
    rows = history.claim_history(claim_id)
    if rows and not presenter().may_read_history(claim_id, rows[0].article_id):
        raise Forbidden("This event is blind: assess the claim first to see its history.")
    return rows


@bp.post("/<int:claim_id>/restore")
@requires("restore_claims")
@bp.response(201, ClaimSchema)
def restore_claim(claim_id: int):
    """Put a deleted claim back with its id and assessments (admins only)."""
    return restore.restore_claim(claim_id, current_user)


@bp.post("/<int:claim_id>/anchor")
@requires("annotate")
@bp.arguments(AnchorIn)
@bp.response(200, ClaimSchema)
def reattach_claim(data, claim_id: int):
    """Place the claim on a passage of the article's current text: re-attach an orphan, or
    confirm (or correct) a claim a revision moved. Its assessments stay."""
    claim = claim_service.get_claim(claim_id)
    return revisions.reattach(claim, current_user, **data)


@bp.put("/<int:claim_id>/adjudication")
@requires("adjudicate")
@bp.arguments(AdjudicationIn)
@bp.response(200, ClaimSchema)
def set_adjudication(data, claim_id: int):
    """Decide the claim's final label, with the reason (admins and curators). It overrides
    the reviewers' labels and is recorded in the claim's history."""
    claim = claim_service.get_claim(claim_id)
    return claim_service.adjudicate(claim, current_user, data["label"], data.get("note"))


@bp.delete("/<int:claim_id>/adjudication")
@requires("adjudicate")
@bp.response(200, ClaimSchema)
def clear_adjudication(claim_id: int):
    """Clear the adjudication: the final label is the reviewers' again (when they agree)."""
    claim = claim_service.get_claim(claim_id)
    return claim_service.adjudicate(claim, current_user, None)
