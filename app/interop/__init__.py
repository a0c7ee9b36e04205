"""Annotations made in other tools, read into one shape: documents with their spans.

Each module reads one tool's files (`labelstudio`, `doccano`, `brat`) and yields `Document`s
whose spans are in Unicode code points of the document's text exactly as the file gives it
(Python `str` indices). Each tool's own unit is converted where it is read, and nowhere else:
Label Studio stores code points, doccano UTF-16 code units (JavaScript string indices), brat
code points (see ../shared/interop/README.md for the evidence behind the first two).

What becomes of the documents (label map, the stored text's normalization, claims and
assessments) is `app.services.exchange.foreign`'s business; these modules touch no database.
A span that cannot be read is kept as a `Refusal` with where it was and why, never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.text.offsets import code_points_to_utf16, utf16_to_code_points

__all__ = ["code_points_to_utf16", "utf16_to_code_points"]  # the readers' units, re-exported


class UnreadableFile(Exception):
    """A file that is not what its format says at all; the message is the reason."""


@dataclass(frozen=True)
class Span:
    start: int  # code points into Document.text
    end: int
    label: str
    annotator: str | None  # who made it; None when the file does not say
    where: str  # "ann1.jsonl line 3, span 2": for a message
    note: str | None = None
    fragments: tuple[tuple[int, int], ...] = ()  # a discontinuous span's pieces (brat)


@dataclass(frozen=True)
class Refusal:
    where: str
    reason: str


@dataclass
class Document:
    key: str  # the source's name for it (doc_key, task id, file name)
    text: str
    spans: list[Span] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    skipped: dict[str, int] = field(default_factory=dict)  # what was left out on purpose


def decode(data: bytes, name: str) -> str:
    """A file's text: UTF-8, a byte order mark dropped; UnreadableFile saying where not."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            f"{name} is not UTF-8 text: {exc.reason} at byte {exc.start}"
        ) from None


def is_offset(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def check_bounds(text: str, start: object, end: object) -> str | None:
    """Why (start, end) is not a span of `text` in code points, or None."""
    if not is_offset(start) or not is_offset(end):
        return f"offsets {start!r}-{end!r} are not whole numbers ≥ 0"
    if start >= end:  # type: ignore[operator]
        return f"the span {start}-{end} is empty or reversed"
    if end > len(text):  # type: ignore[operator]
        return f"the span {start}-{end} ends after the text ({len(text)} characters)"
    return None
