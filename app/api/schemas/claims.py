"""Claims and assessments, as the claim presenter gives them, and what changes them."""

from __future__ import annotations

from flask import has_request_context
from flask_login import current_user
from marshmallow import Schema, fields, pre_dump

from app.api.schemas.fields import Id, In, Offset, Text, Timestamp, Url, Vocabulary, named
from app.models import limits
from app.services.claims.visibility import ClaimPresenter, assessment_json, presenter_for


class AssessmentSchema(Schema):
    """An assessment as the claim presenter gives it (services/claims/visibility.py)."""

    id = fields.Integer()
    claim_id = fields.Integer()
    reviewer = fields.String()
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
    created_at = Timestamp()
    updated_at = Timestamp()

    @pre_dump
    def _present(self, assessment, **_kwargs):
        return assessment if isinstance(assessment, dict) else assessment_json(assessment)


class ClaimSchema(Schema):
    """A claim as its reader may see it: every claim is dumped through the claim presenter
    (services/claims/visibility.py), which leaves out what blind mode hides."""

    id = fields.Integer()
    article_id = fields.Integer()
    start = fields.Integer(metadata={"description": "Unicode code-point offset into text."})
    end = fields.Integer(metadata={"description": "Code-point offset, exclusive."})
    quote = fields.String(metadata={"description": "Equals text[start:end]."})
    prefix = fields.String()
    suffix = fields.String()
    author = fields.String(allow_none=True)
    proposition = fields.Integer(allow_none=True)
    final_label = fields.String(allow_none=True)
    final_label_source = fields.String(
        allow_none=True,
        metadata={
            "description": "adjudication, unanimity, single (k is 1), disagreement, or "
            "incomplete (fewer than k assessments: no final label yet)."
        },
    )
    adjudicated_label = fields.String(allow_none=True)
    adjudicated_by = fields.String(allow_none=True)
    adjudication_note = fields.String(allow_none=True)
    assessments = fields.List(fields.Nested(AssessmentSchema))
    created_at = Timestamp()
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
    hidden = fields.Boolean(
        metadata={
            "description": "true: the claim is in a blind event and you have not assessed "
            "it (nor marked the article done): its labels, notes, final label and author "
            "are left out until you do."
        },
    )

    @pre_dump
    def _present(self, claim, **_kwargs):
        return claim if isinstance(claim, dict) else presenter().claim(claim)


def presenter() -> ClaimPresenter:
    """The claim presenter for this request's reader (outside a request: no reader, from
    whom nothing is hidden)."""
    if not has_request_context():
        return ClaimPresenter(None)
    return presenter_for(current_user._get_current_object())


class AdjudicationIn(In):
    label = Vocabulary("labels", required=True)
    note = Text(allow_none=True, metadata={"description": "Why this label."})


class AnchorIn(In):
    start = Offset(required=True, strict=True)
    end = Offset(required=True, strict=True)
    quote = Text(required=True)


class ClaimIn(In):
    start = Offset(required=True, strict=True)
    end = Offset(required=True, strict=True)
    quote = Text(required=True)
    label = Vocabulary("labels", required=True)
    note = Text(allow_none=True)
    evidence_url = Url(allow_none=True)
    proposition = Id(allow_none=True, strict=True)


class ClaimPatch(In):
    label = Vocabulary("labels")
    note = Text(allow_none=True)
    evidence_url = Url(allow_none=True)
    version = Offset(strict=True, allow_none=True)
    proposition = Id(allow_none=True, strict=True)
    reviewer = named(limits.USERNAME, metadata={"description": "Admins only: whose assessment."})


class AssessmentIn(In):
    label = Vocabulary("labels", required=True)
    note = Text(allow_none=True)
    evidence_url = Url(allow_none=True)
    version = Offset(strict=True, allow_none=True)


class HistorySchema(Schema):
    id = fields.Integer()
    at = fields.DateTime()
    user = fields.String(attribute="username", allow_none=True)
    entity = fields.String(metadata={"description": "claim, assessment, adjudication, ..."})
    action = fields.String(metadata={"description": "create, change, delete, restore, ..."})
    claim_id = fields.Integer()
    before = fields.Dict(allow_none=True)
    after = fields.Dict(allow_none=True)
