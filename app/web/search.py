"""The search page: words and phrases across every article, with filters and snippets."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user
from marshmallow import ValidationError
from sqlalchemy import func, select

from app.api.schemas.search import SearchQuery
from app.api.search import search_filters
from app.capabilities import requires
from app.errors import InvalidInput
from app.extensions import db
from app.models import Event
from app.services.compare import search
from app.services.corpus import lists
from app.vocabulary import labels, stances

bp = Blueprint("search", __name__)


@bp.route("/search")
@requires("read")
def index():
    # An empty filter (a form's "any" choice) is no filter: the API itself refuses empty
    # values, as its OpenAPI document says.
    args = {key: value for key, value in request.args.items() if value != ""}
    page, error, event = None, None, None
    try:
        query = SearchQuery().load(args) if args.get("q", "").strip() else None
        if query is not None:
            filters = search_filters(query)
            event = db.session.get(Event, filters.event) if filters.event else None
            page = search.search_articles(
                search.parse_query(query["q"]),
                filters,
                current_user,
                after=search.parse_cursor(query.get("after")),
                limit=query["limit"],
            )
    except ValidationError as exc:
        error = "; ".join(
            f"{'from' if name == 'from_' else name}: {' '.join(map(str, problems))}"
            for name, problems in exc.messages.items()
        )
    except InvalidInput as exc:
        error = exc.message
    kept = {k: v for k, v in args.items() if k != "after" and v != ""}
    first_url = url_for("search.index", **kept) if args.get("after") else None
    next_url = None
    if page is not None and page.next_cursor:
        next_url = url_for("search.index", **kept, after=page.next_cursor)
    return (
        render_template(
            "search.html",
            page=page,
            error=error,
            args=args,
            event=event,
            first_url=first_url,
            next_url=next_url,
            outlets=lists.all_outlets(),
            # A choice of events where they fit in one list; else the event's number.
            events=lists.all_events() if _event_count() <= EVENT_CHOICES else None,
            stances=stances(),
            labels=labels(),
        ),
        422 if error else 200,
    )


EVENT_CHOICES = 300


def _event_count() -> int:
    return db.session.scalar(select(func.count(Event.id))) or 0
