"""Field types and base shapes every API schema builds on: strings that can be stored,
ids and offsets the columns hold, list paging and the filters on articles."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load, validate

from app.models import limits
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


def limited(limit: int, **kwargs) -> Text:
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
            return limited(limits.OUTLET_NAME).deserialize(value, attr, data, **kwargs)
        raise ValidationError("Give an outlet id or name.")


def Timestamp(**kwargs) -> fields.String:  # noqa: N802 - reads as a field type
    """A time as the presenter writes it: ISO 8601 with its UTC offset."""
    return fields.String(metadata={"format": "date-time", **kwargs.pop("metadata", {})}, **kwargs)


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
