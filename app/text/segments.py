"""Cutting a text into segments at claim boundaries, for rendering overlapping highlights."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Segment:
    text: str
    claims: tuple[int, ...]  # ids of every claim covering it, innermost first


def segments(text: str, spans: Iterable[tuple[int, int, int]]) -> list[Segment]:
    """Segments of `text` given (claim id, start, end) code-point spans; they may overlap."""
    spans = list(spans)
    cuts = sorted({0, len(text), *(s for _, s, _ in spans), *(e for _, _, e in spans)})
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        covering = sorted((e - s, cid) for cid, s, e in spans if s <= a and e >= b)
        out.append(Segment(text[a:b], tuple(cid for _, cid in covering)))
    return out
