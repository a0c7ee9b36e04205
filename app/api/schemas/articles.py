"""Articles, their revisions, and the claims that may come with a new one."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.api.schemas.catalogue import OutletRef
from app.api.schemas.claims import ClaimSchema
from app.api.schemas.fields import (
    MAX_OFFSET,
    MAX_PAGE,
    Id,
    IdOrName,
    In,
    Offset,
    Query,
    Text,
    Url,
    Vocabulary,
    limited,
    named,
)
from app.models import limits


class ArticleClaimIn(In):
    start = Offset(required=True, strict=True, metadata={"description": "Into `text` as sent."})
    end = Offset(required=True, strict=True)
    quote = Text(metadata={"description": "When given, must equal text[start:end]."})
    label = Vocabulary("labels", required=True)
    note = Text(allow_none=True)
    evidence_url = Url(allow_none=True)
    reviewer = named(
        limits.USERNAME, metadata={"description": "Admins: label in this reviewer's name."}
    )


class RefusedClaimSchema(Schema):
    index = fields.Integer(allow_none=True)
    start = fields.Integer(allow_none=True)
    end = fields.Integer(allow_none=True)
    reason = fields.String()


class ArticleIn(In):
    outlet = IdOrName(required=True, metadata={"description": "Outlet id or name."})
    title = named(limits.ARTICLE_TITLE, required=True)
    text = Text(
        metadata={
            "description": "Plain text, stored exactly as sent except: NFC, \\r\\n and \\r "
            "become \\n, a leading byte order mark is dropped. Claim offsets point into it. "
            "Or send html."
        }
    )
    html = Text(
        metadata={
            "description": "Or a web page: its main text is extracted and stored as the "
            "text; the page itself is not kept."
        }
    )
    url = Url(allow_none=True, metadata={"description": "http(s) only."})
    author = limited(limits.AUTHOR, allow_none=True)
    published = fields.Date(allow_none=True)
    stance = Vocabulary("stances")
    events = fields.List(Id(strict=True))
    claims = fields.List(
        fields.Nested(ArticleClaimIn),
        metadata={
            "description": "Span annotations with offsets into `text` as sent; each is "
            "stored or listed in refused_claims with its reason."
        },
    )


class ArticleSummarySchema(Schema):
    id = fields.Integer()
    outlet = fields.Nested(OutletRef)
    title = fields.String()
    author = fields.String(allow_none=True)
    url = fields.String(allow_none=True)
    published = fields.Date(allow_none=True)
    stance = fields.String()
    events = fields.Function(lambda a: [e.id for e in a.events])
    content_hash = fields.String(metadata={"description": "Of the current revision's text."})
    created_at = fields.DateTime()
    revision = fields.Integer(metadata={"description": "The current revision's number."})


class ArticleSchema(ArticleSummarySchema):
    text = fields.String(
        metadata={"description": "The stored text (see ArticleIn.text); offsets point into it."}
    )
    claims = fields.List(fields.Nested(ClaimSchema))


class ArticleUpdate(In):
    text = Text(
        metadata={
            "description": "A new text (as ArticleIn.text): a new revision, onto which every "
            "claim is re-anchored. The same text changes nothing."
        }
    )
    html = Text(metadata={"description": "Or a new page: its main text is the new revision."})
    revision = Offset(
        strict=True,
        metadata={"description": "The revision you read; 409 if the article moved past it."},
    )
    note = limited(limits.REVISION_NOTE, allow_none=True, metadata={"description": "Why."})
    title = limited(limits.ARTICLE_TITLE)
    url = Url(allow_none=True)
    author = limited(limits.AUTHOR, allow_none=True)
    published = fields.Date(allow_none=True)
    stance = Vocabulary("stances")


class ReanchoredSchema(Schema):
    revision = fields.Integer(
        allow_none=True, metadata={"description": "The new revision; null: text unchanged."}
    )
    kept = fields.Integer(metadata={"description": "Claims whose offsets still hold."})
    anchored = fields.Integer(
        metadata={
            "description": "Claims on their own words at a new position: where the edit "
            "carried them, or the one place a long quote can be (a paragraph moved)."
        }
    )
    moved = fields.List(
        fields.Integer(),
        metadata={
            "description": "Claims that followed edited words, or found their words "
            "elsewhere (a copy): flagged, please check."
        },
    )
    orphaned = fields.List(
        fields.Integer(), metadata={"description": "Claims whose passage is gone."}
    )
    still_orphaned = fields.Integer(
        metadata={"description": "Orphans before this revision whose words did not return."}
    )


class RevisedArticleSchema(ArticleSchema):
    reanchored = fields.Nested(ReanchoredSchema)


class RevisionSchema(Schema):
    number = fields.Integer()
    content_hash = fields.String()
    length = fields.Integer()
    created_at = fields.DateTime()
    created_by = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    current = fields.Boolean()


class CreatedArticleSchema(ArticleSchema):
    refused_claims = fields.List(
        fields.Nested(RefusedClaimSchema),
        metadata={"description": "Claims sent with the article and not stored, with why."},
    )


class ArticleFilter(Query):
    event = Id(metadata={"description": "Articles of this event."})
    outlet = Id(metadata={"description": "Articles of this outlet."})
    limit = fields.Integer(load_default=100, validate=validate.Range(1, MAX_PAGE))
    offset = fields.Integer(load_default=0, validate=validate.Range(0, MAX_OFFSET))
