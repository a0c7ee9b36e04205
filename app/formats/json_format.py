"""JSON: one array of claim records, streamed element by element."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator


def write(records: Iterable[dict], **_options) -> Iterator[str]:
    yield "["
    for i, record in enumerate(records):
        yield ("\n" if i == 0 else ",\n") + json.dumps(record, ensure_ascii=False)
    yield "\n]\n"
