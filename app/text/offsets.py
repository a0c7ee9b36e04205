"""Code-point spans into article text, as in the W3C TextPositionSelector.

Python strings index by code point, so `text[start:end]` is already the selector's meaning;
these functions add the checks and the re-anchoring context.
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


def reanchor(
    text: str, quote: str, prefix: str = "", suffix: str = "", hint: int | None = None
) -> tuple[int, int] | None:
    """Find `quote` in `text` again, preferring the match whose context fits best.

    Used when text changed or a selector came from elsewhere: the TextQuoteSelector way.
    """
    if not quote:
        return None
    best: tuple[int, int] | None = None
    best_score = -1.0
    pos = text.find(quote)
    while pos != -1:
        score = 0.0
        before = text[max(0, pos - len(prefix)) : pos]
        after = text[pos + len(quote) : pos + len(quote) + len(suffix)]
        score += _common_suffix(before, prefix) + _common_prefix(after, suffix)
        if hint is not None:
            score -= abs(pos - hint) / (len(text) + 1)
        if score > best_score:
            best, best_score = (pos, pos + len(quote)), score
        pos = text.find(quote, pos + 1)
    return best


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])
