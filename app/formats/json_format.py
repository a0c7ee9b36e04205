"""JSON: one array of claim records, streamed element by element."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import orjson


def write(records: Iterable[dict], **_options) -> Iterator[bytes]:
    yield b"["
    for i, record in enumerate(records):
        yield (b"\n" if i == 0 else b",\n") + orjson.dumps(record)
    yield b"\n]\n"
