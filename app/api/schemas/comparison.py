"""The side-by-side data of an event, and similar-passage suggestions."""

from __future__ import annotations

from marshmallow import Schema, fields

from app.api.schemas.catalogue import OutletSchema
from app.api.schemas.claims import ClaimSchema


class ColumnSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    outlet = fields.Nested(OutletSchema)
    stance = fields.String()
    published = fields.Date(allow_none=True)
    url = fields.String(allow_none=True)
    claims = fields.List(fields.Nested(ClaimSchema))


class PropositionColumnsSchema(Schema):
    id = fields.Integer()
    statement = fields.String()
    claims = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.Integer()),
        metadata={"description": "article id -> claim ids"},
    )
    outlets = fields.List(fields.String(), metadata={"description": "Outlets that state it."})


class ComparisonSchema(Schema):
    event = fields.Dict()
    articles = fields.List(fields.Nested(ColumnSchema))
    propositions = fields.List(fields.Nested(PropositionColumnsSchema))
    outlet_label_counts = fields.Dict(
        keys=fields.String(), values=fields.Dict(keys=fields.String(), values=fields.Integer())
    )


class SuggestionSchema(Schema):
    article_id = fields.Function(lambda s: s.article.id)
    outlet = fields.Function(lambda s: s.article.outlet.name)
    start = fields.Integer()
    end = fields.Integer()
    quote = fields.String()
    score = fields.Float()
