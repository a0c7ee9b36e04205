"""One module per export format, each turning claim records into text chunks, streaming."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from app.formats import csv_format, json_format, jsonl_format, w3c_format


class Format:
    def __init__(
        self, name: str, extension: str, mimetype: str, write: Callable[..., Iterator[str]]
    ) -> None:
        self.name, self.extension, self.mimetype, self.write = name, extension, mimetype, write


FORMATS = {
    "jsonl": Format("jsonl", "jsonl", "application/x-ndjson", jsonl_format.write),
    "json": Format("json", "json", "application/json", json_format.write),
    "csv": Format("csv", "csv", "text/csv; charset=utf-8", csv_format.write),
    "w3c": Format(
        "w3c",
        "jsonld",
        'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"',
        w3c_format.write,
    ),
}


CHUNK = 64 * 1024


def render(name: str, records: Iterable[dict], **options) -> Iterator[str]:
    """The records in format `name`, in chunks of about 64 kB: a write per record would
    cost a system call each, and dominate a large export."""
    pending: list[str] = []
    size = 0
    for piece in FORMATS[name].write(records, **options):
        pending.append(piece)
        size += len(piece)
        if size >= CHUNK:
            yield "".join(pending)
            pending, size = [], 0
    if pending:
        yield "".join(pending)
