"""Code-point spans into article text, as in the W3C TextPositionSelector.

Python strings index by code point, so `text[start:end]` is already the selector's meaning;
these functions add the checks and the context (prefix, suffix) that re-anchors a span.
"""

from __future__ import annotations

CONTEXT = 32


class SpanError(ValueError):
    """The span does not fit the text, or its quote does not match."""


def check_span(text: str, start: object, end: object, quote: object) -> None:
    """Raise SpanError unless 0 <= start < end <= len(text) and text[start:end] == quote."""
    if (
        isinstance(start, bool)
        or isinstance(end, bool)
        or not isinstance(start, int)
        or not isinstance(end, int)
    ):
        raise SpanError("start and end must be integers (Unicode code-point offsets).")
    if not 0 <= start < end:
        raise SpanError(f"Empty or inverted span: start={start}, end={end}; need 0 <= start < end.")
    if end > len(text):
        raise SpanError(f"end={end} is past the end of the text ({len(text)} code points).")
    if not isinstance(quote, str) or text[start:end] != quote:
        raise SpanError(
            f"quote does not equal text[{start}:{end}], which is {text[start:end]!r}. "
            "Offsets are Unicode code points, not UTF-16 units or bytes."
        )


def context(text: str, start: int, end: int, size: int = CONTEXT) -> tuple[str, str]:
    """The prefix and suffix around a span: up to `size` code points each side."""
    return text[max(0, start - size) : start], text[end : end + size]
