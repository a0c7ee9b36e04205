"""Re-anchoring a claim on a new revision of its article's text, as the W3C selectors allow.

A claim holds a TextPositionSelector (start, end) and a TextQuoteSelector (quote, prefix,
suffix). When the text changes, each claim is placed on the new text by the first rule that
finds it. A claim is never silently on other words than its own: whatever lands anywhere
but where the diff carries it, or on changed words, is flagged "moved, please check", unless
nothing else could be meant (rule 3).

1. **kept** (or **anchored**, when the offsets shifted): its exact words where the diff of
   the two texts (diff-match-patch) carries its old position, with at least CONTEXT_MIN of
   its context around them;
2. **moved**: the passage the edit turned the old span into, when it is at least FUZZY_MIN
   similar to the old quote (its quote becomes the new passage);
3. **anchored** elsewhere: its words are at least UNAMBIGUOUS characters long and occur once
   in the old text and once in the new (a paragraph that moved, say), whatever their
   context;
4. **moved**: its exact words elsewhere (a pull quote, a recap, a shared wire passage), the
   copy whose context agrees most, then the nearest;
5. **orphan**: none of these. Nothing is deleted; an orphan keeps its old quote and context.

"Its context agrees": at least CONTEXT_MIN of the claim's prefix and suffix (32 characters
each side) is found next to the words, read outwards from them. So a claim whose paragraph
moved (one side of context intact) follows it, and "word5" does not land inside "word50"
once "word5" was deleted.
"""

from __future__ import annotations

import bisect
import time
from dataclasses import dataclass

from diff_match_patch import diff_match_patch
from rapidfuzz.distance import Indel

# How similar (0-1: twice the longest common subsequence over both lengths, rapidfuzz's Indel
# similarity) the passage an edit left must be to the old quote for the
# claim to follow it. Below it the claim becomes an orphan rather than point at other words.
FUZZY_MIN = 0.75
# The share of a claim's context (prefix + suffix) that must still surround an exact match
# found away from where the diff carried it. One intact side is enough.
CONTEXT_MIN = 0.5
# A quote at least this long (characters), found once in the old text and once in the new,
# is the same passage wherever it went (a paragraph moved, say), and anchors there without a
# flag. Measured on PolNeAR's attribution spans (6,000 sampled): strings of 40 characters or
# more never repeat within their own article (0.0-0.2%) and appear in another one 1-6% of
# the time (mostly wire copy shared by outlets); at 20-24 characters those rates are 5.6%
# and 14%, at 10-14 characters 21% and 75%.
UNAMBIGUOUS = 40
# Below FUZZY_MIN, but this like the quote, what is left where a claim was is a trace of it:
# its words found elsewhere may then be a copy, and the claim goes there only with a flag.
TRACE = 0.5
# Of several copies of a claim's words, the one where the diff carries it wins without a
# flag only if this much of its context agrees, and this much more than any other's.
CLEAR = 0.75
MARGIN = 0.25
# Shorter quotes are not looked for elsewhere: "word83" is 80% like "word84", and a trace
# of a few characters says nothing.
TRACED = 20
# How much of a paragraph around a claim's words tells where the paragraph went (rule 3).
PARAGRAPH = 200
# The diff of two revisions may take this long before it settles for a coarser one (paragraphs
# reordered wholesale take that long; the rules above do not need the finer diff to find
# where a paragraph went).
DIFF_TIMEOUT_S = 0.5
# Changed paragraphs up to this long (both sides, characters) are diffed by rapidfuzz's
# bit-parallel LCS, longer ones by diff-match-patch's Myers against the timeout.
REDIFF_MAX = 20_000

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
        self._found: dict[str, list[int]] = {}

    def anchor(
        self, start: int, end: int, quote: str, prefix: str = "", suffix: str = ""
    ) -> Anchor:
        """Where the claim at start:end of the old text (its quote, prefix and suffix) is on
        the new text, by the first rule that finds it (see the module's docstring)."""
        mapped = self.map(start)
        # Its words wherever they stand as they stood, at word edges if they were.
        edges = (_at_edge(self.old, start), _at_edge(self.old, end))
        hits = [at for at in self._hits(quote) if self._fits(at, len(quote), *edges)]
        # 1. Its words where the diff carries them: their only copy (unless the passage is
        #    also elsewhere, edited), or of several the one whose context clearly agrees,
        #    and clearly more than the others' (a diff may pair a passage's words with a
        #    copy of them, so where it carries a claim is no proof alone).
        if mapped in hits:
            status = KEPT if mapped == start else ANCHORED
            here = Anchor(status, mapped, mapped + len(quote), quote)
            agreement = {at: self._context(at, quote, prefix, suffix) for at in hits}
            best = agreement.pop(mapped)
            if not agreement:  # its only copy: unless its passage is elsewhere, edited
                if best == 1.0 or len(quote) < TRACED:
                    return here
                return self._trace_elsewhere(quote, mapped) or here
            second = max(agreement.values())
            if best >= CLEAR and (best - second >= MARGIN or best == 1.0):
                return here  # (two whole copies, context and all: no text tells them apart)
        # 2. The words the edit turned its passage into: moved, please check. (Before
        #    looking elsewhere: a copy of the old words, a pull quote made in the same
        #    revision, is not the claim's passage when its own was only edited.)
        moved, similarity = self._edited(start, end, quote, mapped)
        if moved is not None:
            return moved
        # 3. Elsewhere, only when nothing else could be meant: the quote's one occurrence in
        #    the new text and in the old, long enough not to be a coincidence, and no trace
        #    of it left where it was (else the occurrence may be a copy of words that were
        #    edited where they stood).
        if (
            len(hits) == 1
            and len(quote) >= UNAMBIGUOUS
            and similarity < TRACE
            and self._once_in_old(quote)
            and self._moved_whole(start, end, hits[0], len(quote))
        ):
            return Anchor(ANCHORED, hits[0], hits[0] + len(quote), quote)
        # 4. Its words elsewhere (the best by context, then nearest): moved, please check.
        if hits:
            at = min(
                hits,
                key=lambda at: (-self._context(at, quote, prefix, suffix), abs(at - mapped)),
            )
            return Anchor(MOVED, at, at + len(quote), quote)
        return Anchor(ORPHAN, similarity=0.0)

    def find_again(self, quote: str, prefix: str, suffix: str) -> Anchor:
        """An orphan's words come back (its offsets point into an older text, so the diff
        cannot carry them): anchored where they occur with at least half the context they
        had, when there is one such place; else still an orphan."""
        edges = (
            not prefix or not (prefix[-1].isalnum() and quote[:1].isalnum()),
            not suffix or not (suffix[:1].isalnum() and quote[-1:].isalnum()),
        )
        agreeing = [
            at
            for at in self._hits(quote)
            if self._fits(at, len(quote), *edges)
            and self._context(at, quote, prefix, suffix) >= CONTEXT_MIN
        ]
        if len(agreeing) != 1:
            return Anchor(ORPHAN, similarity=0.0)
        return Anchor(ANCHORED, agreeing[0], agreeing[0] + len(quote), quote)

    def _edited(
        self, start: int, end: int, quote: str, mapped_start: int
    ) -> tuple[Anchor | None, float]:
        """The passage the edit left where the claim was (MOVED), if it is like enough to the
        quote; and how like it is (0 when nothing is left)."""
        new = self.new
        mapped_end = self.map(end, end=True)
        # A span that began (ended) at a word's edge does so in the new text too.
        if _at_edge(self.old, start):
            while 0 < mapped_start < mapped_end and not _at_edge(new, mapped_start):
                mapped_start -= 1
        if _at_edge(self.old, end):
            while mapped_start < mapped_end < len(new) and not _at_edge(new, mapped_end):
                mapped_end += 1
        if mapped_end <= mapped_start:
            return None, 0.0
        candidate = new[mapped_start:mapped_end]
        if len(candidate) > 3 * len(quote):  # too long to be this like it: an upper bound
            return None, 2 * len(quote) / (len(quote) + len(candidate))
        similarity = Indel.normalized_similarity(quote, candidate)
        if similarity < FUZZY_MIN:
            return None, similarity
        return Anchor(MOVED, mapped_start, mapped_end, candidate, similarity), similarity

    def _hits(self, quote: str) -> list[int]:
        """Every place the quote occurs in the new text (overlapping ones included)."""
        if quote not in self._found:
            hits, at = [], self.new.find(quote)
            while at != -1:
                hits.append(at)
                at = self.new.find(quote, at + 1)
            self._found[quote] = hits
        return self._found[quote]

    def _fits(self, at: int, length: int, start_edge: bool, end_edge: bool) -> bool:
        """Whether words at `at` begin and end at word edges where the claim's did ("word5"
        is not found inside "word50")."""
        return (not start_edge or _at_edge(self.new, at)) and (
            not end_edge or _at_edge(self.new, at + length)
        )

    def _trace_elsewhere(self, quote: str, at: int) -> Anchor | None:
        """The passage, edited (at least FUZZY_MIN like the quote), somewhere in the new text
        but at `at` (MOVED there), or None. Asked only of a claim whose words are found once,
        with part of their context changed: a diff may then have paired them with a copy."""
        from rapidfuzz import fuzz  # when a claim's context changed, not at every start

        masked = self.new[:at] + "\0" * len(quote) + self.new[at + len(quote) :]
        found = fuzz.partial_ratio_alignment(quote, masked, score_cutoff=100 * FUZZY_MIN)
        if found is None:
            return None
        words = self.new[found.dest_start : found.dest_end]
        return Anchor(MOVED, found.dest_start, found.dest_end, words, found.score / 100)

    def _moved_whole(self, start: int, end: int, at: int, length: int) -> bool:
        """Whether the claim's words came with their paragraph: the text around them where
        they stand now (to the paragraph's ends, at most PARAGRAPH characters each side) is
        at least 0.9 like the text around them before. A paragraph that moved is; a copy of
        the words put in other surroundings, while the passage itself was cut, is not."""
        before = _around(self.old, start, end)
        after = _around(self.new, at, at + length)
        return Indel.normalized_similarity(before, after) >= 0.9

    def _once_in_old(self, quote: str) -> bool:
        first = self.old.find(quote)
        return first != -1 and self.old.find(quote, first + 1) == -1

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
        before an end, so a span does not swallow what was added at its edges; but an end
        right after replaced words ("a prison" edited to "a jail") ends after the words that
        replaced them."""
        if self._old_starts is None:
            self._build()
        if end and position > 0:
            index = bisect.bisect_left(self._old_starts, position) - 1
        else:
            index = bisect.bisect_right(self._old_starts, position) - 1
        old_start, new_start, op, length, put = self._chunks[index]
        if op == 0:
            return new_start + min(position - old_start, length)
        if end and position == old_start + length:
            return new_start + put  # a span ending on replaced words ends on their successor
        return new_start  # a deletion: the place it was taken from

    def _build(self) -> None:
        diffs = _paragraph_diff(self.old, self.new)
        engine = diff_match_patch()
        engine.diff_cleanupMerge(diffs)  # neighbours of one kind as one
        # An edit the character diff could place in several ways ("word5 " or "5 word"
        # deleted) is slid to word boundaries, so that positions map to whole words.
        engine.diff_cleanupSemanticLossless(diffs)
        # old start, new start, op, old length, and for a deletion the length of what was
        # put in its place (the insertion next to it: diff_cleanupMerge puts it right after)
        chunks: list[tuple[int, int, int, int, int]] = []
        old_pos = new_pos = 0
        for i, (op, text) in enumerate(diffs):
            if op == 1:  # an insertion: takes no old offsets
                new_pos += len(text)
                continue
            put = 0
            if op == -1 and i + 1 < len(diffs) and diffs[i + 1][0] == 1:
                put = len(diffs[i + 1][1])
            chunks.append((old_pos, new_pos, op, len(text), put))
            old_pos += len(text)
            if op == 0:
                new_pos += len(text)
        chunks.append((old_pos, new_pos, 0, 0, 0))  # the end of the text
        self._chunks = chunks
        self._old_starts = [c[0] for c in chunks]


def _paragraph_diff(old: str, new: str) -> list[tuple[int, str]]:
    """The diff of two texts: paragraph by paragraph (lines) first, then character by
    character within runs of changed paragraphs. Like diff-match-patch's line mode, runs
    separated only by a little unchanged text (blank lines, a dateline) are diffed as one, so
    that a paragraph that moved a few lines is found where it went; unlike it, a run never
    grows past REDIFF_MAX, so a word replaced in every paragraph does not make the whole text
    one block the character diff cannot finish in time. Short chance matches between
    unrelated passages are then dropped (diff-match-patch's semantic clean-up), so a claim
    is not carried into text that merely shares some letters with it."""
    engine = diff_match_patch()
    engine.Diff_Timeout = DIFF_TIMEOUT_S
    deadline = time.time() + DIFF_TIMEOUT_S
    chars_old, chars_new, lines = engine.diff_linesToChars(old, new)
    by_line = engine.diff_main(chars_old, chars_new, False, deadline)
    engine.diff_charsToLines(by_line, lines)
    diffs: list[tuple[int, str]] = []
    for item in _runs(by_line):
        if isinstance(item, str):
            diffs.append((0, item))
        else:
            diffs += _without_chance_matches(_char_diff(engine, *item, deadline))
    return diffs


def _runs(by_line: list[tuple[int, str]]) -> list[str | tuple[str, str]]:
    """A line diff as unchanged text (str) and runs of changed lines (taken, put), a run
    taking in the unchanged text after it and the next run when that text is no longer than
    the changes on either side and the whole stays within REDIFF_MAX."""
    items: list[str | tuple[str, str]] = []
    for op, text in by_line:
        if op == 0:
            items.append(text)
            continue
        if not items or isinstance(items[-1], str):
            items.append(("", ""))
        taken, put = items[-1]
        items[-1] = (taken + text, put) if op == -1 else (taken, put + text)
    merged: list[str | tuple[str, str]] = []
    for item in items:
        if (
            isinstance(item, tuple)
            and len(merged) >= 2
            and isinstance(merged[-2], tuple)
            and _absorbs(merged[-2], merged[-1], item)
        ):
            (taken, put), between = merged[-2], merged[-1]
            merged[-2:] = [(taken + between + item[0], put + between + item[1])]
        else:
            merged.append(item)
    return merged


def _absorbs(before: tuple[str, str], between: str, after: tuple[str, str]) -> bool:
    size = len(between)
    return (
        size <= max(map(len, before))
        and size <= max(map(len, after))
        and sum(map(len, before)) + sum(map(len, after)) + 2 * size <= REDIFF_MAX
    )


def _char_diff(engine, old: str, new: str, deadline: float) -> list[tuple[int, str]]:
    """A character diff of a run of changed paragraphs as diff-match-patch's (op, text)
    pairs. What differs between their common start and end is diffed by rapidfuzz's
    bit-parallel longest common subsequence (C++: milliseconds, where Myers' algorithm in
    Python takes a good part of a second) when it is at most REDIFF_MAX characters, else by
    diff-match-patch against the deadline."""
    if not old or not new:
        return [(-1, old)] if old else [(1, new)] if new else []
    head = engine.diff_commonPrefix(old, new)
    tail = engine.diff_commonSuffix(old[head:], new[head:])
    old_mid, new_mid = old[head : len(old) - tail], new[head : len(new) - tail]
    diffs: list[tuple[int, str]] = [(0, old[:head])] if head else []
    if len(old_mid) + len(new_mid) > REDIFF_MAX:
        diffs += engine.diff_main(old_mid, new_mid, False, deadline)
    else:
        for op in Indel.opcodes(old_mid, new_mid):
            if op.tag == "equal":
                diffs.append((0, old_mid[op.src_start : op.src_end]))
                continue
            if op.src_end > op.src_start:
                diffs.append((-1, old_mid[op.src_start : op.src_end]))
            if op.dest_end > op.dest_start:
                diffs.append((1, new_mid[op.dest_start : op.dest_end]))
    return diffs + ([(0, old[len(old) - tail :])] if tail else [])


def _without_chance_matches(diffs: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """A character diff with each unchanged stretch no longer than the changes on both sides
    of it made part of them (diff-match-patch's semantic rule in one pass: its own
    clean-up takes seconds on thousands of chance matches between unrelated paragraphs)."""
    after = [0] * (len(diffs) + 1)  # the size of the changes that follow each entry
    for i in range(len(diffs) - 1, -1, -1):
        op, text = diffs[i]
        after[i] = 0 if op == 0 else max(after[i + 1], len(text))
    out: list[tuple[int, str]] = []
    taken, put = "", ""
    for i, (op, text) in enumerate(diffs):
        if op == -1:
            taken += text
        elif op == 1:
            put += text
        elif (
            (taken or put)
            and len(text) <= max(len(taken), len(put))
            and (len(text) <= after[i + 1])
        ):
            taken, put = taken + text, put + text
        else:
            out += [(-1, taken)] if taken else []
            out += [(1, put)] if put else []
            out.append((0, text))
            taken, put = "", ""
    out += [(-1, taken)] if taken else []
    out += [(1, put)] if put else []
    return out


def _around(text: str, start: int, end: int) -> str:
    """text[start:end] with what surrounds it up to the paragraph's ends, at most PARAGRAPH
    characters each side."""
    left = text.rfind("\n", max(0, start - PARAGRAPH), start)
    left = max(0, start - PARAGRAPH) if left == -1 else left + 1
    right = text.find("\n", end, end + PARAGRAPH)
    right = min(len(text), end + PARAGRAPH) if right == -1 else right
    return text[left:right]


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
