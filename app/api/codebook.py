"""The codebook: each label's definition and examples."""

from __future__ import annotations

from flask_login import current_user
from marshmallow import Schema, fields

from app.api.base import Blueprint
from app.api.schemas import In, Text
from app.services import codebook

bp = Blueprint(
    "api_codebook",
    __name__,
    url_prefix="/api/v1/codebook",
    description="What each label means: a claim set cannot be interpreted without it.",
)
blueprints = [bp]


class EntrySchema(Schema):
    label = fields.String()
    definition = fields.String(metadata={"description": "Markdown."})
    examples = fields.String(metadata={"description": "Markdown."})
    definition_html = fields.String(metadata={"description": "Rendered and sanitized."})
    examples_html = fields.String()


class EntryIn(In):
    definition = Text(required=True)
    examples = Text(load_default="")


@bp.get("")
@bp.response(200, EntrySchema(many=True))
def get_codebook():
    """Every label's entry, in the labels' order."""
    return codebook.entries()


@bp.put("/<label>")
@bp.arguments(EntryIn)
@bp.response(200, EntrySchema)
def put_entry(data, label: str):
    """Write one label's definition and examples (admins)."""
    return codebook.set_entry(label, data["definition"], data["examples"], current_user)
