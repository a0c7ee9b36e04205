"""Code-point spans into article text, as in the W3C TextPositionSelector.

Python strings index by code point, so `text[start:end]` is already the selector's meaning;
these functions add the checks and the context (prefix, suffix) that re-anchors a span.
"""

from __future__ import annotations

import unicodedata

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


class OffsetMap:
    """Offsets into text as submitted -> offsets into the text as stored (`exact_text`:
    a leading BOM dropped, `\\r\\n` and `\\r` as `\\n`, NFC).

    The text is walked in chunks (the BOM, a line break, a character with the combining
    marks that follow it); a chunk that normalization changes can only be entered at its
    edges: an offset inside it (between a letter and the accent NFC composes it with, or
    between `\\r` and `\\n`) has no place in the stored text and maps to None.
    """

    def __init__(self, submitted: str) -> None:
        self._identity = (
            not submitted.startswith("\ufeff")
            and "\r" not in submitted
            and unicodedata.is_normalized("NFC", submitted)
        )
        self._length = len(submitted)
        if self._identity:
            self.stored = submitted
            return
        pieces: list[str] = []
        self._edges: dict[int, int] = {0: 0}  # submitted offset -> stored offset
        self._inner: dict[int, int] = {}  # offsets inside unchanged chunks
        out = 0
        for start, end in _chunks(submitted):
            raw = submitted[start:end]
            if start == 0 and raw == "\ufeff":
                new = ""
            elif raw in ("\r\n", "\r"):
                new = "\n"
            else:
                new = unicodedata.normalize("NFC", raw)
            if new == raw:
                for k in range(1, end - start):
                    self._inner[start + k] = out + k
            pieces.append(new)
            out += len(new)
            self._edges[end] = out
        self.stored = "".join(pieces)

    def __call__(self, offset: int) -> int | None:
        """The stored offset, or None when `offset` falls inside a changed chunk."""
        if self._identity or not 0 <= offset <= self._length:
            return offset if self._identity and 0 <= offset <= self._length else None
        if offset in self._edges:
            return self._edges[offset]
        return self._inner.get(offset)


def _chunks(text: str):
    """(start, end) of each chunk: a BOM at 0, `\\r\\n`, or a run of one starter and the
    characters that compose or combine with it (merged until NFC is chunk-local)."""
    i, n = 0, len(text)
    if text.startswith("\ufeff"):
        yield 0, 1
        i = 1
    pending: tuple[int, int] | None = None
    while i < n:
        if text[i] == "\r":
            j = i + 2 if text.startswith("\r\n", i) else i + 1
            if pending:
                yield pending
                pending = None
            yield i, j
            i = j
            continue
        j = i + 1
        while j < n and text[j] != "\r" and unicodedata.combining(text[j]):
            j += 1
        if pending is None:
            pending = (i, j)
        else:
            a, b = pending
            both = text[a:j]
            apart = unicodedata.normalize("NFC", text[a:b]) + unicodedata.normalize(
                "NFC", text[b:j]
            )
            if unicodedata.normalize("NFC", both) != apart:
                pending = (a, j)  # they compose across the edge (Hangul jamo, say)
            else:
                yield pending
                pending = (i, j)
        i = j
    if pending:
        yield pending


def utf16_to_code_points(text: str) -> list[int | None]:
    """For each UTF-16 offset into `text` (0 .. its UTF-16 length), the code-point offset;
    None for an offset between the two halves of a surrogate pair, which names no place."""
    table: list[int | None] = []
    for i, ch in enumerate(text):
        table.append(i)
        if ord(ch) > 0xFFFF:
            table.append(None)
    table.append(len(text))
    return table


def code_points_to_utf16(text: str) -> list[int]:
    """For each code-point offset into `text` (0 .. len(text)), the UTF-16 offset."""
    table = [0]
    for ch in text:
        table.append(table[-1] + (2 if ord(ch) > 0xFFFF else 1))
    return table
