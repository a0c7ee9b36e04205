"""Normalization of article text: the form that claim offsets point into."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_TRAILING_SPACE = " \t\u00a0"
_MANY_BLANK_LINES = re.compile(r"\n{3,}")


def normalize_text(text: str) -> str:
    """NFC, `\\n` line ends, no trailing spaces, at most one blank line in a row, trimmed.

    Zero-width joiners and non-joiners are kept: emoji sequences and Persian words need them.
    """
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = text.replace("\ufeff", "")
    # Line by line and guarded: a regex over the whole text costs ten times as much.
    text = "\n".join(line.rstrip(_TRAILING_SPACE) for line in text.split("\n"))
    if "\n\n\n" in text:
        text = _MANY_BLANK_LINES.sub("\n\n", text)
    return text.strip("\n").strip()


def content_hash(normalized_text: str) -> str:
    """The hash that makes an outlet's copy of a text unique."""
    return hashlib.sha256(normalized_text.encode("utf-8")).hexdigest()
