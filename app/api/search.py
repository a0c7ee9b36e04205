"""Full-text search of articles, and where else a claim's wording appears."""

from __future__ import annotations

from flask_login import current_user

from app.api.base import Blueprint, get_or_404
from app.api.schemas.search import PassageSchema, SearchQuery, SearchResultSchema, WhereElseQuery
from app.capabilities import requires
from app.models import Claim
from app.services.compare import search

bp = Blueprint(
    "api_search",
    __name__,
    url_prefix="/api/v1",
    description="Full-text search of articles' titles and text.",
)
blueprints = [bp]


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


def _marks(marks) -> list[dict]:
    return [{"start": s, "end": e} for s, e in marks]


@bp.get("/search")
@requires("read")
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


@bp.get("/claims/<int:claim_id>/where-else")
@requires("read")
@bp.arguments(WhereElseQuery, location="query")
@bp.response(200, PassageSchema(many=True))
def where_else(query: dict, claim_id: int):
    """Where else the corpus has this claim's wording, or nearly, across outlets and
    events: a starting point for linking propositions."""
    claim = get_or_404(Claim, claim_id)
    return search.where_else(claim, current_user, limit=query["limit"])
