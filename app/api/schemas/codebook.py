"""The codebook's entries."""

from __future__ import annotations

from marshmallow import Schema, fields

from app.api.schemas.fields import In, Text


class EntrySchema(Schema):
    label = fields.String()
    definition = fields.String(metadata={"description": "Markdown."})
    examples = fields.String(metadata={"description": "Markdown."})
    definition_html = fields.String(metadata={"description": "Rendered and sanitized."})
    examples_html = fields.String()


class EntryIn(In):
    definition = Text(required=True)
    examples = Text(load_default="")
