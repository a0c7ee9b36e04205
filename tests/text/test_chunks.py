"""Long texts are cut into blocks at line breaks, and nothing is lost or split."""

import pytest

from app.text.chunks import text_chunks


@pytest.mark.parametrize(
    "text",
    [
        "",
        "short",
        "\n\n".join(f"Paragraph {n} with 👨‍👩‍👧 and cafe\u0301." * 20 for n in range(500)),
        "x" * 50_000,  # no line break: one block
        "line\n" * 10_000,
    ],
)
def test_blocks_join_to_the_text_and_end_at_line_breaks(text):
    blocks = text_chunks(text, size=1000)
    assert "".join(blocks) == text
    assert all(block.endswith("\n") for block in blocks[:-1])
    assert all(not block.startswith("\n") for block in blocks[1:])
    assert all(len(block) >= 1000 for block in blocks[:-1])
