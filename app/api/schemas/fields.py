"""Field types and base shapes every API schema builds on: strings that can be stored,
ids and offsets the columns hold, list paging and the filters on articles."""

from __future__ import annotations

from collections.abc import Mapping

from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load, validate

from app.models import limits
from app.text.storable import text_problem


class In(Schema):
    """Request bodies and queries: unknown keys are ignored, known ones are type-checked
    strictly, as the OpenAPI document types them: in JSON a boolean is true or false (not 0
    or "yes") and an integer is a number without a fraction (not "5" or true); in a query a
    boolean is "true" or "false"."""

    class Meta:
        unknown = EXCLUDE

    QUERY = False  # a query string's schema: every value arrives as a string

    @pre_load
    def strict_types(self, data, **_kwargs):
        if not isinstance(data, Mapping):
            return data
        in_json = not self.QUERY
        errors = {}
        for name, field in self.fields.items():
            key = field.data_key or name
            if key not in data or data[key] is None:
                continue
            value = data[key]
            if isinstance(field, fields.Boolean):
                ok = isinstance(value, bool) if in_json else value in ("true", "false")
                if not ok:
                    errors[key] = ["Not a boolean: true or false."]
            elif (
                isinstance(field, fields.Integer)
                and in_json
                and (isinstance(value, bool) or not isinstance(value, int))
            ):
                errors[key] = ["Not an integer."]
        if errors:
            raise ValidationError(errors)
        return data


# Python's whitespace, spelled out: schemathesis reads `\s` as ASCII, Python's strip() does not.
SPACES = (
    "\\t\\n\\u000b\\f\\r\\u001c-\\u0020\\u0085\\u00a0\\u1680"
    "\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"
)
# NUL, which no database column takes. (Lone surrogates are refused too, but a pattern cannot
# name them: validators built on Rust's regex engine reject surrogates in a class outright.)
UNSTORABLE = "\\u0000"

# What the OpenAPI document says of every string: no NUL.
STORABLE_PATTERN = f"^[^{UNSTORABLE}]*$"


class Text(fields.String):
    """A string that can be stored: no NUL, no lone surrogate (app.text.storable)."""

    def __init__(self, *args, **kwargs) -> None:
        metadata = {"pattern": STORABLE_PATTERN, **kwargs.pop("metadata", {})}
        super().__init__(*args, metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if problem := text_problem(value):
            raise ValidationError(f"The value {problem}.")
        return value


class Vocabulary(Text):
    """A label or a stance: configuration (app.vocabulary), so the OpenAPI document lists
    the configured ones as its enum (api.register_api); the service refuses others with
    unknown_label or unknown_stance. `kind`: "labels", "stances", or "final_labels" (a
    label, or "disputed")."""

    def __init__(self, kind: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.kind = kind


# A name: storable, and not only spaces (they are trimmed before it is stored).
NAME_PATTERN = f"^[^{UNSTORABLE}]*[^{SPACES}{UNSTORABLE}][^{UNSTORABLE}]*$"


def named(limit: int, **kwargs) -> Text:
    """A name, title or statement: something besides spaces, within its column's limit."""
    metadata = {"pattern": NAME_PATTERN, **kwargs.pop("metadata", {})}
    return Text(validate=validate.Length(1, limit), metadata=metadata, **kwargs)


# An http(s) URL with a host, or nothing: what services.corpus.fields.check_url keeps.
URL_PATTERN = f"^$|^[hH][tT][tT][pP][sS]?://[^{SPACES}/?#{UNSTORABLE}]+[^{SPACES}{UNSTORABLE}]*$"


def Url(**kwargs) -> Text:  # noqa: N802 - reads as a field type
    """A link the pages may show: http(s), a host, no spaces, within the column's limit (the
    OpenAPI document gives the same pattern)."""
    return Text(
        validate=[
            validate.Length(max=limits.URL),
            validate.Regexp(URL_PATTERN, error="must be an http(s) URL with a host"),
        ],
        metadata={"pattern": URL_PATTERN, **kwargs.pop("metadata", {})},
        **kwargs,
    )


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


class Query(In):
    """A query string's parameters."""

    QUERY = True


class ArticleFilterQuery(Query):
    """The filters on articles that the export and search take alike."""

    event = Id()
    outlet = Id()
    label = Vocabulary("final_labels", metadata={"description": "Final label, or 'disputed'."})
    from_ = fields.Date(data_key="from", metadata={"description": "Published on or after."})
    to = fields.Date(metadata={"description": "Published on or before."})


class ListQuery(Query):
    limit = fields.Integer(load_default=100, validate=validate.Range(1, MAX_PAGE))
    offset = fields.Integer(load_default=0, validate=validate.Range(0, MAX_OFFSET))
