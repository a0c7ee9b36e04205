"""The claim import's options (query), its file (multipart) and its report."""

from __future__ import annotations

from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate

from app.api.schemas.fields import Query, Text, limited
from app.models import limits
from app.services.exchange.foreign import SOURCES


class ImportQuery(Query):
    format = Text(
        load_default="auto",
        validate=validate.OneOf(list(SOURCES)),
        metadata={"description": "Which tool wrote the file; auto tells by its name and start."},
    )
    label_map = limited(
        2000,
        load_default="",
        metadata={"description": "Foreign labels to Parallax's: opinion=contested,Source=skip."},
    )
    outlet = limited(limits.OUTLET_NAME, metadata={"description": "For documents naming none."})
    reviewer = limited(limits.USERNAME, metadata={"description": "For spans naming no one."})
    dry_run = fields.Boolean(
        load_default=False,
        metadata={"description": "Report what would be imported; store nothing."},
    )


class ImportFile(Schema):
    file = Upload(required=True, metadata={"description": "The file (zip for many), ≤ 10 MB."})


class PlaceSchema(Schema):
    where = fields.String()
    reason = fields.String()


class NoteSchema(Schema):
    where = fields.String()
    note = fields.String()


class FileReportSchema(Schema):
    file = fields.String()
    documents = fields.Integer()
    articles_created = fields.Integer()
    articles_matched = fields.Integer()
    spans_read = fields.Integer()
    claims_created = fields.Integer()
    claims_matched = fields.Integer()
    claims_unchanged = fields.Integer()
    refused = fields.List(fields.Nested(PlaceSchema))
    notes = fields.List(fields.Nested(NoteSchema))
    labels_mapped = fields.Dict(keys=fields.String(), values=fields.Integer())
    labels_skipped = fields.Dict(keys=fields.String(), values=fields.Integer())
    skipped = fields.Dict(keys=fields.String(), values=fields.Integer())
    reviewers = fields.List(fields.String())


class ImportResultSchema(Schema):
    dry_run = fields.Boolean()
    files = fields.List(fields.Nested(FileReportSchema))
