"""One module per export format, each turning claim records into text chunks, streaming."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from urllib.parse import quote

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


def render(name: str, records: Iterable[dict], **options) -> Iterator[bytes]:
    """The records in format `name`, as UTF-8, in chunks of about 64 kB: a write per record
    would cost a system call each, and dominate a large export. A format writes text, or
    (JSONL, JSON) the bytes orjson makes, which go out without a round trip through str."""
    pending: list = []
    size = 0
    for piece in FORMATS[name].write(records, **options):
        pending.append(piece)
        size += len(piece)
        if size >= CHUNK:
            yield _joined(pending)
            pending, size = [], 0
    if pending:
        yield _joined(pending)


def _joined(pieces: list) -> bytes:
    if isinstance(pieces[0], bytes):
        return b"".join(pieces)
    return "".join(pieces).encode("utf-8")


def attachment(filename: str) -> str:
    """A Content-Disposition header for a download (RFC 6266): an ASCII `filename` for old
    clients and, when the name is not plain ASCII, the exact name in `filename*` (RFC 5987),
    so a reviewer named in Persian, Arabic or CJK keeps their name in the file's."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "_", ascii_name).strip("_") or "download"
    header = f'attachment; filename="{ascii_name}"'
    if ascii_name != filename:
        header += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return header
