"""Re-anchoring a claim on a new revision of its article's text, as the W3C selectors allow.

A claim holds a TextPositionSelector (start, end) and a TextQuoteSelector (quote, prefix,
suffix). When the text changes, each claim is placed on the new text by the first rule that
finds it:

1. **kept**: the position, when the quote is still there and its context agrees;
2. **anchored**: the exact quote elsewhere; of several, the one whose prefix and suffix agree
   most with the claim's, then the one nearest where the edit moved the old position. It
   must be where the diff carried the old position, or its context must agree;
3. **moved**: the passage the edit turned the old span into (the old position carried
   through a diff of the two texts, diff-match-patch), when it is at least FUZZY_MIN
   similar to the old quote. The claim then needs a reviewer's look ("moved, please check")
   and its quote becomes the new passage;
4. **orphan**: none of these. Nothing is deleted; an orphan keeps its old quote and context.

"Its context agrees": at least CONTEXT_MIN of the claim's prefix and suffix (32 characters
each side) is found next to the words, read outwards from them. So a claim whose paragraph
moved (one side of context intact) follows it, and "word5" does not land inside "word50"
once "word5" was deleted.
"""

from __future__ import annotations

import bisect
import difflib
from dataclasses import dataclass

from diff_match_patch import diff_match_patch

# How similar (difflib ratio, 0-1) the passage an edit left must be to the old quote for the
# claim to follow it. Below it the claim becomes an orphan rather than point at other words.
FUZZY_MIN = 0.75
# The share of a claim's context (prefix + suffix) that must still surround an exact match
# found away from where the diff carried it. One intact side is enough.
CONTEXT_MIN = 0.5
# The diff of two revisions may take this long before it settles for a coarser diff.
DIFF_TIMEOUT_S = 2.0

KEPT, ANCHORED, MOVED, ORPHAN = "kept", "anchored", "moved", "orphan"


@dataclass(frozen=True)
class Anchor:
    status: str  # kept, anchored, moved or orphan
    start: int | None = None
    end: int | None = None
    quote: str | None = None
    similarity: float = 1.0


class Reanchorer:
    """Places claims of `old` on `new`. The diff is computed once, when a claim first needs
    it, and shared by every claim of the article."""

    def __init__(self, old: str, new: str) -> None:
        self.old, self.new = old, new
        self._old_starts: list[int] | None = None

    def anchor(
        self, start: int, end: int, quote: str, prefix: str = "", suffix: str = ""
    ) -> Anchor:
        new = self.new
        if new[start:end] == quote and self._context(start, quote, prefix, suffix) >= CONTEXT_MIN:
            return Anchor(KEPT, start, end, quote)
        found = self._exact(start, quote, prefix, suffix)
        if found is not None and (
            self._context(found, quote, prefix, suffix) >= CONTEXT_MIN or found == self.map(start)
        ):
            return Anchor(ANCHORED, found, found + len(quote), quote)
        mapped_start, mapped_end = self.map(start), self.map(end, end=True)
        # A span that began (ended) at a word's edge does so in the new text too.
        if _at_edge(self.old, start):
            while 0 < mapped_start < mapped_end and not _at_edge(new, mapped_start):
                mapped_start -= 1
        if _at_edge(self.old, end):
            while mapped_start < mapped_end < len(new) and not _at_edge(new, mapped_end):
                mapped_end += 1
        if mapped_end > mapped_start:
            candidate = new[mapped_start:mapped_end]
            similarity = difflib.SequenceMatcher(None, quote, candidate, autojunk=False).ratio()
            if similarity >= FUZZY_MIN:
                return Anchor(MOVED, mapped_start, mapped_end, candidate, similarity)
        return Anchor(ORPHAN, similarity=0.0)

    def _exact(self, start: int, quote: str, prefix: str, suffix: str) -> int | None:
        """Where the quote occurs exactly; the best of several by context, then distance."""
        new = self.new
        hits = []
        at = new.find(quote)
        while at != -1:
            hits.append(at)
            at = new.find(quote, at + 1)
        if not hits:
            return None
        if len(hits) == 1:
            return hits[0]
        expected = self.map(start)
        return min(
            hits, key=lambda at: (-self._context(at, quote, prefix, suffix), abs(at - expected))
        )

    def _context(self, at: int, quote: str, prefix: str, suffix: str) -> float:
        """How much of the claim's prefix and suffix surrounds `quote` at `at` in the new
        text (0-1), read outwards from the quote; 1 when the claim has no context."""
        if not prefix and not suffix:
            return 1.0
        new = self.new
        before = new[max(0, at - len(prefix)) : at]
        after = new[at + len(quote) : at + len(quote) + len(suffix)]
        agreed = _common_suffix(before, prefix) + _common_prefix(after, suffix)
        return agreed / (len(prefix) + len(suffix))

    def map(self, position: int, *, end: bool = False) -> int:
        """Where an offset into the old text lands in the new one, carried through the diff:
        within unchanged text it moves with its surroundings; inside deleted text it lands
        where the deletion was. Text inserted right at the offset falls after a start and
        before an end, so a span does not swallow what was added at its edges."""
        if self._old_starts is None:
            self._build()
        if end and position > 0:
            index = bisect.bisect_left(self._old_starts, position) - 1
        else:
            index = bisect.bisect_right(self._old_starts, position) - 1
        old_start, new_start, op, length = self._chunks[index]
        if op == 0:
            return new_start + min(position - old_start, length)
        return new_start  # a deletion: the place it was taken from

    def _build(self) -> None:
        engine = diff_match_patch()
        engine.Diff_Timeout = DIFF_TIMEOUT_S
        # Line mode first (paragraphs are lines), then characters within the changed ones.
        diffs = engine.diff_main(self.old, self.new, True)
        # An edit the character diff could place in several ways ("word5 " or "5 word"
        # deleted) is slid to word boundaries, so that positions map to whole words.
        engine.diff_cleanupSemanticLossless(diffs)
        chunks: list[tuple[int, int, int, int]] = []  # old start, new start, op, old length
        old_pos = new_pos = 0
        for op, text in diffs:
            if op == 1:  # an insertion: takes no old offsets
                new_pos += len(text)
                continue
            chunks.append((old_pos, new_pos, op, len(text)))
            old_pos += len(text)
            if op == 0:
                new_pos += len(text)
        chunks.append((old_pos, new_pos, 0, 0))  # the end of the text
        self._chunks = chunks
        self._old_starts = [c[0] for c in chunks]


def _at_edge(text: str, at: int) -> bool:
    """Whether `at` is not inside a word (between two letters or digits)."""
    return not (0 < at < len(text) and text[at - 1].isalnum() and text[at].isalnum())


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])
