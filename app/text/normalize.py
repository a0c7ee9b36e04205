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


def exact_text(text: str) -> str:
    """Text as a person or a corpus submitted it, kept exactly: only NFC, `\r\n` and `\r`
    as `\n`, and a leading byte order mark dropped. Trailing spaces, blank lines and edge
    whitespace stay, so offsets computed on the submitted text stay right."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.removeprefix("\ufeff")


def content_hash(text: str) -> str:
    """The hash that makes an outlet's copy of a text unique: of its normalized form, so
    that a copy differing only in trailing spaces or blank lines is the same article."""
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()
