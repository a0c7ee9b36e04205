"""JSON: one array of claim records, streamed element by element."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import orjson


def write(records: Iterable[dict], **_options) -> Iterator[str]:
    yield "["
    for i, record in enumerate(records):
        yield ("\n" if i == 0 else ",\n") + orjson.dumps(record).decode()
    yield "\n]\n"
