"""Full-text search of articles, and where else a claim's wording appears."""

from __future__ import annotations

from flask_login import current_user
from marshmallow import Schema, fields, validate

from app.api.base import Blueprint
from app.api.schemas import ArticleFilterQuery, ArticleSummarySchema, In, Text
from app.models import Claim
from app.services import search
from app.services.catalogue import get_or_404
from app.text.search import MAX_QUERY

bp = Blueprint(
    "api_search",
    __name__,
    url_prefix="/api/v1",
    description="Full-text search of articles' titles and text.",
)
blueprints = [bp]


class SearchQuery(ArticleFilterQuery):
    q = Text(
        required=True,
        validate=validate.Length(max=MAX_QUERY),
        metadata={"description": 'Words (all must appear) and "quoted phrases".'},
    )
    stance = Text()
    label = Text(metadata={"description": "Articles with a claim of this final label."})
    after = Text(metadata={"description": "next_cursor of the page before."})
    limit = fields.Integer(load_default=search.PAGE, validate=validate.Range(1, search.MAX_PAGE))


def search_filters(query: dict) -> search.SearchFilters:
    """The parsed query's filters, checked by the service."""
    return search.SearchFilters(
        outlet=query.get("outlet"),
        event=query.get("event"),
        stance=query.get("stance"),
        published_from=query.get("from_"),
        published_to=query.get("to"),
        label=query.get("label"),
    )


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


def _marks(marks) -> list[dict]:
    return [{"start": s, "end": e} for s, e in marks]


@bp.get("/search")
@bp.arguments(SearchQuery, location="query")
@bp.response(200, SearchResultSchema)
def search_articles(query: dict):
    """Articles whose title or text holds every word and phrase, best first, with
    highlighted snippets; filters narrow them, `after` pages on (keyset)."""
    page = search.search_articles(
        search.parse_query(query["q"]),
        search_filters(query),
        current_user,
        after=search.parse_cursor(query.get("after")),
        limit=query["limit"],
    )
    return {
        "hits": [
            {
                "article": hit.article,
                "score": hit.score,
                "snippet": hit.article.text[hit.snippet.start : hit.snippet.end],
                "snippet_start": hit.snippet.start,
                "highlights": _marks(hit.snippet.marks),
                "title_highlights": _marks(hit.title_marks),
            }
            for hit in page.hits
        ],
        "matches": page.matches,
        "more_than_ranked": page.more_than_ranked,
        "next_cursor": page.next_cursor,
    }


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


class WhereElseQuery(In):
    limit = fields.Integer(load_default=search.PAGE, validate=validate.Range(1, search.MAX_PAGE))


@bp.get("/claims/<int:claim_id>/where-else")
@bp.arguments(WhereElseQuery, location="query")
@bp.response(200, PassageSchema(many=True))
def where_else(query: dict, claim_id: int):
    """Where else the corpus has this claim's wording, or nearly, across outlets and
    events: a starting point for linking propositions."""
    claim = get_or_404(Claim, claim_id)
    return search.where_else(claim, current_user, limit=query["limit"])
