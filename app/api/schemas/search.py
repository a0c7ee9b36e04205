"""Full-text search and where else a claim's wording appears."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.api.schemas.articles import ArticleSummarySchema
from app.api.schemas.fields import ArticleFilterQuery, Query, Text, Vocabulary
from app.services.compare import search
from app.text.search import MAX_QUERY


class SearchQuery(ArticleFilterQuery):
    q = Text(
        required=True,
        validate=validate.Length(1, MAX_QUERY),
        metadata={"description": 'Words (all must appear) and "quoted phrases".'},
    )
    stance = Vocabulary("stances")
    label = Vocabulary(
        "final_labels", metadata={"description": "Articles with a claim of this final label."}
    )
    after = Text(metadata={"description": "next_cursor of the page before."})
    limit = fields.Integer(load_default=search.PAGE, validate=validate.Range(1, search.MAX_PAGE))


class MarkSchema(Schema):
    start = fields.Integer(metadata={"description": "Code-point offset into the text."})
    end = fields.Integer()


class HitSchema(Schema):
    article = fields.Nested(ArticleSummarySchema)
    score = fields.Float(metadata={"description": "Relevance; higher is better."})
    snippet = fields.String(metadata={"description": "The text around the matches."})
    snippet_start = fields.Integer(metadata={"description": "Where the snippet starts in text."})
    highlights = fields.List(
        fields.Nested(MarkSchema), metadata={"description": "Matches, as offsets into text."}
    )
    title_highlights = fields.List(fields.Nested(MarkSchema))


class SearchResultSchema(Schema):
    hits = fields.List(fields.Nested(HitSchema))
    matches = fields.Integer(metadata={"description": f"Matches ranked (at most {search.RANKED})."})
    more_than_ranked = fields.Boolean(
        metadata={
            "description": f"More than {search.RANKED} matched: narrow the query to rank all."
        }
    )
    next_cursor = fields.String(
        allow_none=True, metadata={"description": "Pass as `after` for the next page."}
    )


class PassageClaimSchema(Schema):
    id = fields.Integer()
    start = fields.Integer()
    end = fields.Integer()
    proposition = fields.Integer(allow_none=True, attribute="proposition_id")


class PassageSchema(Schema):
    article = fields.Nested(ArticleSummarySchema)
    start = fields.Integer(metadata={"description": "Code-point offset into the article text."})
    end = fields.Integer()
    quote = fields.String()
    similarity = fields.Float(metadata={"description": "100: the same words; at least 80."})
    claims = fields.List(
        fields.Nested(PassageClaimSchema),
        metadata={"description": "Claims already made on the passage, with their proposition."},
    )


class WhereElseQuery(Query):
    limit = fields.Integer(load_default=search.PAGE, validate=validate.Range(1, search.MAX_PAGE))
