"""Request and response shapes. They drive validation and the OpenAPI document."""

from __future__ import annotations

from flask_login import current_user
from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_dump, pre_load, validate

from app.models import limits
from app.services import blind
from app.text.storable import text_problem


class In(Schema):
    """Request bodies: unknown keys are ignored, known ones are type-checked strictly."""

    class Meta:
        unknown = EXCLUDE


class Text(fields.String):
    """A string that can be stored: no NUL, no lone surrogate (app.text.storable)."""

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if problem := text_problem(value):
            raise ValidationError(f"The value {problem}.")
        return value


def _text(limit: int, **kwargs) -> Text:
    """A string field with its column's limit, so the OpenAPI document gives maxLength."""
    return Text(validate=validate.Length(max=limit), **kwargs)


def Id(**kwargs) -> fields.Integer:  # noqa: N802 - reads as a field type
    """An id: a positive integer within the 32-bit columns (2147483647 at most)."""
    return fields.Integer(validate=validate.Range(1, limits.MAX_ID), **kwargs)


def Offset(**kwargs) -> fields.Integer:  # noqa: N802 - reads as a field type
    """A code-point offset or a version: at most 2147483647, what the column holds. Below
    zero is the service's to explain (an offset before the text is an invalid span)."""
    return fields.Integer(validate=validate.Range(max=limits.MAX_INT), **kwargs)


class IdOrName(fields.Field):
    """An outlet given by id or by name."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, int) and not isinstance(value, bool):
            return Id(strict=True).deserialize(value, attr, data, **kwargs)
        if isinstance(value, str):
            return _text(limits.OUTLET_NAME).deserialize(value, attr, data, **kwargs)
        raise ValidationError("Give an outlet id or name.")


class OutletIn(In):
    name = _text(limits.OUTLET_NAME, required=True)
    homepage_url = _text(limits.URL, allow_none=True)
    country = _text(limits.OUTLET_COUNTRY, allow_none=True)
    lean = _text(limits.OUTLET_LEAN, allow_none=True)
    description = Text(allow_none=True)
    aliases = fields.List(
        _text(limits.OUTLET_NAME),
        metadata={"description": "Other names it goes by; imports and the API find it by them."},
    )


class AliasesIn(In):
    aliases = fields.List(_text(limits.OUTLET_NAME), required=True)


class OutletSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    homepage_url = fields.String(allow_none=True)
    country = fields.String(allow_none=True)
    lean = fields.String(allow_none=True)
    description = fields.String(allow_none=True)
    aliases = fields.Function(lambda o: [a.alias for a in o.aliases])


class EventIn(In):
    title = _text(limits.EVENT_TITLE, required=True)
    start_date = fields.Date(allow_none=True)
    end_date = fields.Date(allow_none=True)
    date = fields.Date(allow_none=True, metadata={"description": "Shorthand for start_date."})
    summary = Text(allow_none=True)


class EventSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    start_date = fields.Date(allow_none=True)
    end_date = fields.Date(allow_none=True)
    summary = fields.String(allow_none=True)


class EventCoverageSchema(EventSchema):
    articles = fields.Integer(metadata={"description": "Articles linked to the event."})
    outlets = fields.Integer(metadata={"description": "Distinct outlets among them."})


class OutletRef(Schema):
    id = fields.Integer()
    name = fields.String()
    lean = fields.String(allow_none=True)


class AssessmentSchema(Schema):
    id = fields.Integer()
    claim_id = fields.Integer()
    reviewer = fields.Function(lambda a: a.reviewer.username)
    label = fields.String()
    note = fields.String(allow_none=True)
    evidence_url = fields.String(allow_none=True)
    version = fields.Integer(metadata={"description": "Send it back on PATCH to detect edits."})
    informed = fields.Boolean(
        allow_none=True,
        metadata={
            "description": "Whether the reviewer could see another label of the claim when "
            "giving this one (agreement counts uninformed ones by default); null: unknown "
            "(imported)."
        },
    )
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class ClaimSchema(Schema):
    id = fields.Integer()
    article_id = fields.Integer()
    start = fields.Integer(metadata={"description": "Unicode code-point offset into text."})
    end = fields.Integer(metadata={"description": "Code-point offset, exclusive."})
    quote = fields.String(metadata={"description": "Equals text[start:end]."})
    prefix = fields.String()
    suffix = fields.String()
    author = fields.Function(lambda c: c.author.username if c.author else None)
    proposition = fields.Integer(attribute="proposition_id", allow_none=True)
    final_label = fields.String(allow_none=True)
    adjudicated_label = fields.String(allow_none=True)
    adjudicated_by = fields.Function(
        lambda c: c.adjudicated_by.username if c.adjudicated_by else None, allow_none=True
    )
    adjudication_note = fields.String(allow_none=True)
    assessments = fields.List(fields.Nested(AssessmentSchema))
    created_at = fields.DateTime()
    revision = fields.Integer(
        metadata={"description": "The article revision that start and end point into."}
    )
    anchor = fields.String(
        allow_none=True,
        metadata={
            "description": "null: where it was placed. moved: a revision changed its words "
            "and it followed them (please check). orphan: its passage is gone from the "
            "current text; start/end/quote point into `revision`."
        },
    )
    hidden = fields.Function(
        lambda c: False,
        metadata={
            "description": "true: the claim is in a blind event and you have not assessed "
            "it (nor marked the article done): its labels, notes, final label and author "
            "are left out until you do."
        },
    )

    @post_dump(pass_original=True)
    def _blind(self, data, claim, **_kwargs):
        if blind.is_hidden(current_user, claim):
            return blind.mask(data)
        return data


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def assessment_json(a) -> dict:
    """AssessmentSchema().dump(a), written out: marshmallow costs ~50 us an object, and a
    comparison of 10 articles dumps 400 of them. tests/api check the two stay equal."""
    return {
        "id": a.id,
        "claim_id": a.claim_id,
        "reviewer": a.reviewer.username,
        "label": a.label,
        "note": a.note,
        "evidence_url": a.evidence_url,
        "version": a.version,
        "informed": a.informed,
        "created_at": _iso(a.created_at),
        "updated_at": _iso(a.updated_at),
    }


def claim_json(c) -> dict:
    """ClaimSchema().dump(c), written out (see assessment_json)."""
    return {
        "id": c.id,
        "article_id": c.article_id,
        "start": c.start,
        "end": c.end,
        "quote": c.quote,
        "prefix": c.prefix,
        "suffix": c.suffix,
        "author": c.author.username if c.author else None,
        "proposition": c.proposition_id,
        "final_label": c.final_label,
        "adjudicated_label": c.adjudicated_label,
        "adjudicated_by": c.adjudicated_by.username if c.adjudicated_by else None,
        "adjudication_note": c.adjudication_note,
        "assessments": [assessment_json(a) for a in c.assessments],
        "created_at": _iso(c.created_at),
        "revision": c.revision,
        "anchor": c.anchor,
        "hidden": False,
    }


class ArticleClaimIn(In):
    start = Offset(required=True, strict=True, metadata={"description": "Into `text` as sent."})
    end = Offset(required=True, strict=True)
    quote = Text(metadata={"description": "When given, must equal text[start:end]."})
    label = Text(required=True)
    note = Text(allow_none=True)
    evidence_url = Text(allow_none=True)
    reviewer = Text(metadata={"description": "Admins: label in this reviewer's name."})


class RefusedClaimSchema(Schema):
    index = fields.Integer(allow_none=True)
    start = fields.Integer(allow_none=True)
    end = fields.Integer(allow_none=True)
    reason = fields.String()


class ArticleIn(In):
    outlet = IdOrName(required=True, metadata={"description": "Outlet id or name."})
    title = _text(limits.ARTICLE_TITLE, required=True)
    text = Text(
        metadata={
            "description": "Plain text, stored exactly as sent except: NFC, \\r\\n and \\r "
            "become \\n, a leading byte order mark is dropped. Claim offsets point into it. "
            "Or send html."
        }
    )
    html = Text(metadata={"description": "HTML: main text extracted, kept sanitized."})
    url = _text(limits.URL, allow_none=True, metadata={"description": "http(s) only."})
    author = _text(limits.AUTHOR, allow_none=True)
    published = fields.Date(allow_none=True)
    stance = Text()
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
    note = _text(limits.REVISION_NOTE, allow_none=True, metadata={"description": "Why."})
    title = _text(limits.ARTICLE_TITLE)
    url = _text(limits.URL, allow_none=True)
    author = _text(limits.AUTHOR, allow_none=True)
    published = fields.Date(allow_none=True)
    stance = Text()


class ReanchoredSchema(Schema):
    revision = fields.Integer(
        allow_none=True, metadata={"description": "The new revision; null: text unchanged."}
    )
    kept = fields.Integer(metadata={"description": "Claims whose offsets still hold."})
    anchored = fields.Integer(metadata={"description": "Claims found at a new position."})
    moved = fields.List(
        fields.Integer(), metadata={"description": "Claims that followed edited words."}
    )
    orphaned = fields.List(
        fields.Integer(), metadata={"description": "Claims whose passage is gone."}
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


class AdjudicationIn(In):
    label = Text(required=True)
    note = Text(allow_none=True, metadata={"description": "Why this label."})


class AnchorIn(In):
    start = Offset(required=True, strict=True)
    end = Offset(required=True, strict=True)
    quote = Text(required=True)


class CreatedArticleSchema(ArticleSchema):
    refused_claims = fields.List(
        fields.Nested(RefusedClaimSchema),
        metadata={"description": "Claims sent with the article and not stored, with why."},
    )


MAX_PAGE = 1000
MAX_OFFSET = 10_000_000


class ArticleFilterQuery(In):
    """The filters on articles that the export and search take alike."""

    event = Id()
    outlet = Id()
    label = Text(metadata={"description": "Final label, or 'disputed'."})
    from_ = fields.Date(data_key="from", metadata={"description": "Published on or after."})
    to = fields.Date(metadata={"description": "Published on or before."})

    @pre_load
    def drop_empty(self, data, **_kwargs):
        """An empty parameter (a form's "any" choice) means no filter."""
        return {key: value for key, value in data.items() if value != ""}


class ListQuery(In):
    limit = fields.Integer(load_default=100, validate=validate.Range(1, MAX_PAGE))
    offset = fields.Integer(load_default=0, validate=validate.Range(0, MAX_OFFSET))


class ArticleFilter(In):
    event = Id(metadata={"description": "Articles of this event."})
    outlet = Id(metadata={"description": "Articles of this outlet."})
    limit = fields.Integer(load_default=100, validate=validate.Range(1, MAX_PAGE))
    offset = fields.Integer(load_default=0, validate=validate.Range(0, MAX_OFFSET))


class ClaimIn(In):
    start = Offset(required=True, strict=True)
    end = Offset(required=True, strict=True)
    quote = Text(required=True)
    label = Text(required=True)
    note = Text(allow_none=True)
    evidence_url = Text(allow_none=True)
    proposition = Id(allow_none=True, strict=True)


class ClaimPatch(In):
    label = Text()
    note = Text(allow_none=True)
    evidence_url = Text(allow_none=True)
    version = Offset(strict=True, allow_none=True)
    proposition = Id(allow_none=True, strict=True)
    reviewer = Text(metadata={"description": "Admins only: whose assessment."})


class AssessmentIn(In):
    label = Text(required=True)
    note = Text(allow_none=True)
    evidence_url = Text(allow_none=True)
    version = Offset(strict=True, allow_none=True)


class PropositionIn(In):
    statement = Text(required=True)
    claims = fields.List(Id(strict=True), load_default=list)


class PropositionSchema(Schema):
    id = fields.Integer()
    event_id = fields.Integer()
    statement = fields.String()
    claims = fields.Function(lambda p: sorted(c.id for c in p.claims))
    created_at = fields.DateTime()


class ActorIn(In):
    name = Text(required=True, validate=validate.Length(max=limits.ACTOR_NAME))
    aliases = fields.List(
        Text(validate=validate.Length(max=limits.ACTOR_NAME)),
        load_default=list,
        metadata={"description": "Other names outlets give the actor."},
    )


class ActorSchema(Schema):
    id = fields.Integer()
    event_id = fields.Integer()
    name = fields.String()
    aliases = fields.Function(lambda a: [x.alias for x in a.aliases])


class ActorCandidateSchema(Schema):
    phrase = fields.String()
    outlets = fields.Integer(metadata={"description": "How many outlets use it."})
    count = fields.Integer(metadata={"description": "How often, in all."})


class HistorySchema(Schema):
    id = fields.Integer()
    at = fields.DateTime()
    user = fields.String(attribute="username", allow_none=True)
    entity = fields.String(metadata={"description": "claim, assessment, adjudication, ..."})
    action = fields.String(metadata={"description": "create, change, delete, restore, ..."})
    claim_id = fields.Integer()
    before = fields.Dict(allow_none=True)
    after = fields.Dict(allow_none=True)
