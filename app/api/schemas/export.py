"""The export's query and the count it answers."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.api.schemas.fields import ArticleFilterQuery, Id, Text
from app.formats import writable


class ExportQuery(ArticleFilterQuery):
    format = Text(
        load_default="jsonl",
        validate=validate.OneOf([f.id for f in writable()]),
        metadata={"description": "; ".join(f"{f.id}: {f.label}" for f in writable())},
    )
    article = Id()
    reviewer = Text(metadata={"description": "Claims this reviewer assessed."})
    include_text = fields.Boolean(
        load_default=False, metadata={"description": "Add article_text (jsonl/json)."}
    )
    bom = fields.Boolean(
        load_default=True, metadata={"description": "CSV: UTF-8 byte order mark (default on)."}
    )
    neutralize_formulas = fields.Boolean(
        load_default=True,
        metadata={
            "description": "CSV: prefix cells starting with = + - @ tab or CR with ' so a "
            "spreadsheet does not run them (default on; off for pipelines)."
        },
    )


class CountSchema(Schema):
    count = fields.Integer(metadata={"description": "Claims the filters match."})
