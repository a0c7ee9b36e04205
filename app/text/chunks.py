"""Long texts in pieces for the browser: each piece is a block that the browser lays out
only when it is near the screen (CSS content-visibility), so an article of millions of
characters shows its start at once. Pieces end at a line break, after at least CHUNK
characters, so no character or paragraph is split; the text is unchanged when joined.
static/js/annotate.js cuts the same way when it draws the claims."""

from __future__ import annotations

CHUNK = 8000


def text_chunks(text: str, size: int = CHUNK) -> list[str]:
    pieces: list[str] = []
    start = 0
    while len(text) - start > size:
        cut = text.find("\n", start + size)
        if cut == -1:
            break
        while cut + 1 < len(text) and text[cut + 1] == "\n":
            cut += 1  # a paragraph's blank lines stay with it
        pieces.append(text[start : cut + 1])
        start = cut + 1
    pieces.append(text[start:])
    return pieces
