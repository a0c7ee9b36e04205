"""URL converters: an `<int:…>` in any route is an id the columns can hold."""

from __future__ import annotations

from werkzeug.routing import BaseConverter, IntegerConverter

from app.models import limits


class IdConverter(IntegerConverter):
    """`<int:…>` for every route: 0 to 2147483647. A longer number does not match the route,
    so it is a 404 like any missing row, never a database overflow."""

    # ASCII digits only: werkzeug's `\d+` also takes "١" (Arabic-Indic) or "１" (fullwidth),
    # which int() reads as 1, so /claims/%D9%A1 would answer as /claims/1.
    regex = r"[0-9]+"

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits, min, limits.MAX_ID if max is None else max, signed)


class LabelConverter(BaseConverter):
    """`<label:…>`: a label's name in a path (the codebook's). Any name matches; the
    service says whether it is a configured label, and the OpenAPI document lists them."""


def id_parameter_schema(converter: IdConverter) -> dict:
    """How the OpenAPI document describes such a path parameter."""
    return {"type": "integer", "minimum": 0, "maximum": converter.max}
