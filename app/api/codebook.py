"""The codebook: each label's definition and examples."""

from __future__ import annotations

from flask_login import current_user

from app.api.base import Blueprint
from app.api.schemas.codebook import EntryIn, EntrySchema
from app.capabilities import requires
from app.services.review import codebook

bp = Blueprint(
    "api_codebook",
    __name__,
    url_prefix="/api/v1/codebook",
    description="What each label means: a claim set cannot be interpreted without it.",
)
blueprints = [bp]


@bp.get("")
@requires("read")
@bp.response(200, EntrySchema(many=True))
def get_codebook():
    """Every label's entry, in the labels' order."""
    return codebook.entries()


@bp.put("/<label:label>")
@requires("manage_codebook")
@bp.arguments(EntryIn)
@bp.response(200, EntrySchema)
def put_entry(data, label: str):
    """Write one label's definition and examples (admins)."""
    return codebook.set_entry(label, data["definition"], data["examples"], current_user)
