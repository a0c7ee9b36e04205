"""Articles, and tagging a claim in one."""

from __future__ import annotations

from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload, undefer

from app.api.base import PAGE_HEADERS, Blueprint, get_or_404, paged
from app.api.schemas.articles import (
    ArticleFilter,
    ArticleIn,
    ArticleSchema,
    ArticleSummarySchema,
    ArticleUpdate,
    CreatedArticleSchema,
    RevisedArticleSchema,
    RevisionSchema,
)
from app.api.schemas.claims import ClaimIn, ClaimSchema
from app.capabilities import requires
from app.errors import InvalidInput, NotFound
from app.extensions import db
from app.models import Article, Assessment, Claim, Event, article_events
from app.services.claims import revisions
from app.services.claims import tagging as claim_service
from app.services.corpus import articles as article_service
from app.services.corpus import outlets
from app.services.corpus.fields import check_body
from app.services.exchange.preannotated import attach_claims

bp = Blueprint(
    "api_articles",
    __name__,
    url_prefix="/api/v1/articles",
    description="Articles and their claims.",
)
blueprints = [bp]


def load_article(article_id: int) -> Article:
    article = db.session.scalar(
        select(Article)
        .where(Article.id == article_id)
        .options(
            undefer(Article.overlap),
            selectinload(Article.outlet),
            selectinload(Article.events),
            selectinload(Article.claims)
            .selectinload(Claim.assessments)
            .selectinload(Assessment.reviewer),
            selectinload(Article.claims).selectinload(Claim.author),
        )
    )
    if article is None:
        raise NotFound(f"No article {article_id}.")
    return article


@bp.get("")
@requires("read")
@bp.arguments(ArticleFilter, location="query")
@bp.response(200, ArticleSummarySchema(many=True), headers=PAGE_HEADERS)
def list_articles(filters):
    """Articles, the last stored first; filter by `event` and `outlet`; page with limit and
    offset (the id order is the primary key's: any page of 100,000 articles is one index
    walk, where a sort by date would sort them all)."""
    stmt = select(Article).options(selectinload(Article.outlet), selectinload(Article.events))
    counted = select(func.count(Article.id))
    if "event" in filters:
        on_event = article_events.c.event_id == filters["event"]
        stmt = stmt.join(article_events).where(on_event)
        counted = counted.join(article_events).where(on_event)
    if "outlet" in filters:
        stmt = stmt.where(Article.outlet_id == filters["outlet"])
        counted = counted.where(Article.outlet_id == filters["outlet"])
    stmt = stmt.order_by(Article.id.desc())
    rows = db.session.scalars(stmt.limit(filters["limit"]).offset(filters["offset"])).all()
    return paged(rows, db.session.scalar(counted) or 0, filters)


@bp.post("")
@requires("add_articles")
@bp.arguments(ArticleIn)
@bp.response(201, CreatedArticleSchema)
def create_article(data):
    """Store an article (text or html). 409 with existing_id if the outlet has this text."""
    if not data.get("text") and not data.get("html"):
        raise InvalidInput("Send the article as text or html.")
    event_ids = data.pop("events", [])
    events = [db.session.get(Event, i) for i in event_ids]
    if None in events:
        missing = [i for i, e in zip(event_ids, events, strict=True) if e is None]
        raise InvalidInput(f"No events {missing}.")
    outlet = outlets.outlet_for(data.pop("outlet"), current_user)
    claims = data.get("claims")
    # A refusal rolls the whole request back, an outlet created for this article included.
    article = article_service.create_article(outlet, data, events)
    refused = []
    if claims is not None:
        refused = attach_claims(
            article,
            data["text"],
            claims,
            default_reviewer=current_user,
            may_name_others=current_user.may("change_any_claim"),
        ).refused
    created = load_article(article.id)
    created.refused_claims = refused
    return created


@bp.get("/<int:article_id>")
@requires("read")
@bp.response(200, ArticleSchema)
def get_article(article_id: int):
    return load_article(article_id)


@bp.put("/<int:article_id>")
@requires("revise_articles")
@bp.arguments(ArticleUpdate, required=False)  # no body changes nothing
@bp.response(200, RevisedArticleSchema)
def update_article(data, article_id: int):
    """Change an article. A new `text` (or `html`) makes a new revision and keeps the old
    one; every claim is re-anchored onto it (kept, found again, moved with its words, or
    orphaned: never deleted). Send the `revision` you read to be told (409) if someone
    revised it meanwhile. Title, URL, author, date and stance change in place."""
    article = get_or_404(Article, article_id)
    revised = revisions.Revised(article)
    if "text" in data or "html" in data:
        _, text = check_body(data)
        revised = revisions.revise(
            article,
            text,
            user=current_user,
            note=data.get("note"),
            expected_revision=data.get("revision"),
        )
    else:
        revisions.lock(article, data.get("revision"))
    article_service.update_fields(article, data)
    updated = load_article(article.id)
    updated.reanchored = revised.summary()
    return updated


@bp.get("/<int:article_id>/revisions")
@requires("read")
@bp.response(200, RevisionSchema(many=True))
def list_revisions(article_id: int):
    """The article's revisions, oldest first."""
    return revisions.revisions(get_or_404(Article, article_id))


@bp.get("/<int:article_id>/claims")
@requires("read")
@bp.response(200, ClaimSchema(many=True))
def list_claims(article_id: int):
    """The article's claims, by position: what the annotation view needs besides the text
    it already holds (a long article's text is not sent twice)."""
    get_or_404(Article, article_id)
    return db.session.scalars(
        select(Claim)
        .where(Claim.article_id == article_id)
        .options(
            selectinload(Claim.assessments).selectinload(Assessment.reviewer),
            selectinload(Claim.author),
        )
        .order_by(Claim.start, Claim.end.desc(), Claim.id)
    ).all()


@bp.post("/<int:article_id>/claims")
@requires("annotate")
@bp.arguments(ClaimIn)
@bp.response(201, ClaimSchema)
def create_claim(data, article_id: int):
    """Tag a span as a claim with the caller's label. Offsets are code points."""
    # A share lock (PostgreSQL): a revision of the text waits until this claim is stored,
    # and then moves it with the others.
    article = db.session.get(Article, article_id, with_for_update={"read": True})
    if article is None:
        raise NotFound(f"No article {article_id}.")
    return claim_service.create_claim(article, current_user, **data)
