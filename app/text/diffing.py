"""Word-level differences between two revisions of a text, for reading (like NewsDiffs).

diff-match-patch diffs characters; a word diff comes from its line-mode trick applied to
words: each distinct token (a word, a run of spaces, a punctuation mark) becomes one
character, the token strings are diffed, and the result is turned back into text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from diff_match_patch import diff_match_patch

TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)
# Unchanged text longer than this is shown as its two ends and a count of what lies between.
KEEP_AROUND = 160
DIFF_TIMEOUT_S = 2.0

EQUAL, INSERT, DELETE = 0, 1, -1


@dataclass(frozen=True)
class Piece:
    op: int  # EQUAL, INSERT or DELETE
    text: str
    hidden: int = 0  # for an EQUAL piece cut short: how many characters are not shown


def _encode(tokens: list[str], index: dict[str, str]) -> str:
    out = []
    for token in tokens:
        code = index.get(token)
        if code is None:
            n = len(index)
            # Skip the surrogate range: those code points are not characters.
            code = chr(n + 0x800 if n + 0x800 < 0xD800 else n + 0x800 + 0x800)
            index[token] = code
        out.append(code)
    return "".join(out)


def word_diff(old: str, new: str) -> list[tuple[int, str]]:
    """(op, text) pieces that turn `old` into `new`, whole words at a time."""
    index: dict[str, str] = {}
    a = _encode(TOKEN.findall(old), index)
    b = _encode(TOKEN.findall(new), index)
    tokens = {code: token for token, code in index.items()}
    engine = diff_match_patch()
    engine.Diff_Timeout = DIFF_TIMEOUT_S
    diffs = engine.diff_main(a, b, False)
    engine.diff_cleanupSemantic(diffs)
    return [(op, "".join(tokens[c] for c in chars)) for op, chars in diffs]


def readable(diffs: list[tuple[int, str]], keep: int = KEEP_AROUND) -> list[Piece]:
    """The diff with long unchanged stretches shortened to their ends around each change."""
    pieces: list[Piece] = []
    last = len(diffs) - 1
    for i, (op, text) in enumerate(diffs):
        if op != EQUAL or len(text) <= 2 * keep:
            pieces.append(Piece(op, text))
            continue
        head = _cut_after_word(text[:keep]) if i > 0 else ""
        tail = _cut_before_word(text[-keep:]) if i < last else ""
        hidden = len(text) - len(head) - len(tail)
        if head:
            pieces.append(Piece(EQUAL, head))
        pieces.append(Piece(EQUAL, "", hidden))
        if tail:
            pieces.append(Piece(EQUAL, tail))
    return pieces


def _cut_after_word(text: str) -> str:
    """`text` up to its last whitespace, so a shortened stretch does not end mid-word."""
    cut = max(text.rfind(" "), text.rfind("\n"))
    return text[: cut + 1] if cut > 0 else text


def _cut_before_word(text: str) -> str:
    cut = min((i for i in (text.find(" "), text.find("\n")) if i >= 0), default=-1)
    return text[cut:] if cut >= 0 else text


def counts(diffs: list[tuple[int, str]]) -> tuple[int, int]:
    """Words added and words removed."""
    added = sum(len(re.findall(r"\w+", t)) for op, t in diffs if op == INSERT)
    removed = sum(len(re.findall(r"\w+", t)) for op, t in diffs if op == DELETE)
    return added, removed
