"""JSON Lines: one claim record per line (pandas.read_json(path, lines=True))."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

import orjson


def write(records: Iterable[dict], **_options) -> Iterator[bytes]:
    dumps, newline = orjson.dumps, orjson.OPT_APPEND_NEWLINE
    for record in records:
        yield dumps(record, option=newline)


def read(lines: Iterable[str]) -> Iterator[tuple[int, dict]]:
    """(line number, record) for each non-empty line; ValueError names the bad line."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"line {number}: not JSON ({exc.msg})") from None
        if not isinstance(record, dict):
            raise ValueError(f"line {number}: expected a JSON object")
        yield number, record
