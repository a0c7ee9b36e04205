"""The error answer's shape (documentation: app.api.base writes it)."""

from __future__ import annotations

from marshmallow import INCLUDE, Schema, fields


class ErrorSchema(Schema):
    """Every error answer's body (documentation only: error_response writes it). Some errors
    add details: `field` for a refused query or form value, say."""

    class Meta:
        unknown = INCLUDE

    error = fields.String(
        required=True, metadata={"description": "Stable code: not_found, invalid_input, ..."}
    )
    message = fields.String(required=True, metadata={"description": "What went wrong, for people."})
    errors = fields.Dict(metadata={"description": "invalid_input: the message per field."})
    current = fields.Dict(metadata={"description": "stale_version: the assessment as stored."})
