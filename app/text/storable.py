"""Whether a string can be stored at all: the one check every text input passes.

PostgreSQL refuses NUL characters in text, and neither database can encode a lone UTF-16
surrogate (JSON's "\\ud800") as UTF-8. Both are refused at the edge with the field's name.
"""

from __future__ import annotations

import re

_SURROGATE = re.compile("[\ud800-\udfff]")


def text_problem(value: str) -> str | None:
    """Why `value` cannot be stored, or None when it can."""
    if "\x00" in value:
        return "contains a NUL character (U+0000), which cannot be stored"
    if match := _SURROGATE.search(value):
        return (
            f"contains a lone surrogate (U+{ord(match.group()):04X}) at position "
            f"{match.start()}, which is not a Unicode character"
        )
    return None
