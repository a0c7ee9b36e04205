"""One module per export format, each turning claim records into text chunks, streaming."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import quote

from app.formats import (
    brat_format,
    csv_format,
    doccano_format,
    json_format,
    jsonl_format,
    labelstudio_format,
    w3c_format,
    webanno_format,
)


def _parquet(records: Iterable[dict], **options) -> Iterator[bytes]:
    """pyarrow is imported when a Parquet file is written, not with the app: it added 90 MB
    and 0.5 s to every worker and command (bench-quick's idle RSS and start-up)."""
    from app.formats import parquet_format

    return parquet_format.write(records, **options)


@dataclass(frozen=True)
class Format:
    """One format Parallax reads or writes, describing itself (as INCEpTION's FormatSupport
    does): the export page, the CLI's choices, `flask import`'s accepted files and the upload
    form are all drawn from FORMATS, never listed by hand."""

    id: str
    label: str  # what people call it
    media_type: str
    extension: str  # of the files it writes, or the first of those it reads
    suffixes: tuple[str, ...] = ()  # file endings it is read from
    reads: str | None = None  # what a file of it holds when read: "articles" or "claims"
    write: Callable[..., Iterator] | None = None  # writes claim records
    # Written from documents (one article's records together, export.iter_documents) rather
    # than from one record at a time.
    by_document: bool = False
    # Writing it imports a library a server process would keep for good (pyarrow: 54 MB):
    # the process that served it retires once the file is sent (app.workers).
    heavy: bool = False

    @property
    def writes(self) -> bool:
        return self.write is not None


FORMATS = {
    f.id: f
    for f in (
        Format("txt", "Plain text", "text/plain", "txt", (".txt", ".text"), reads="articles"),
        Format("md", "Markdown", "text/markdown", "md", (".md", ".markdown"), reads="articles"),
        Format("html", "Web page (HTML)", "text/html", "html", (".html", ".htm"), reads="articles"),
        Format(
            "jsonl",
            "JSON Lines: one claim a line (pandas, jq)",
            "application/x-ndjson",
            "jsonl",
            (".jsonl", ".ndjson"),
            reads="articles",
            write=jsonl_format.write,
        ),
        Format(
            "csv",
            "CSV: one claim a row (spreadsheets, R)",
            "text/csv; charset=utf-8",
            "csv",
            write=csv_format.write,
        ),
        Format("json", "JSON: one array", "application/json", "json", write=json_format.write),
        Format(
            "w3c",
            "W3C Web Annotation (JSON-LD)",
            'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"',
            "jsonld",
            write=w3c_format.write,
        ),
        Format(
            "parquet",
            "Parquet: one typed row per assessment (pandas, R arrow, datasets)",
            "application/vnd.apache.parquet",
            "parquet",
            write=_parquet,
            heavy=True,
        ),
        Format(
            "labelstudio",
            "Label Studio JSON: a task per article (code points)",
            "application/json",
            "json",
            write=labelstudio_format.write,
            by_document=True,
        ),
        Format(
            "doccano",
            "doccano JSONL: a line per article and reviewer (UTF-16 offsets)",
            "application/x-ndjson",
            "jsonl",
            write=doccano_format.write,
            by_document=True,
        ),
        Format(
            "brat",
            "brat standoff, zipped: .txt and an .ann per reviewer (INCEpTION, WebAnno)",
            "application/zip",
            "zip",
            write=brat_format.write,
            by_document=True,
        ),
        Format(
            "webanno",
            "WebAnno TSV 3.3, zipped: a .tsv per article and reviewer (INCEpTION)",
            "application/zip",
            "zip",
            write=webanno_format.write,
            by_document=True,
        ),
    )
}


def writable() -> list[Format]:
    """The formats claim sets are exported in, in the registry's order."""
    return [f for f in FORMATS.values() if f.writes]


def readable(kind: str = "articles") -> list[Format]:
    """The formats files of `kind` are imported from."""
    return [f for f in FORMATS.values() if f.reads == kind]


def format_of(filename: str, kind: str = "articles") -> Format | None:
    """The readable format a file's ending names (any case), or None."""
    name = filename.lower()
    return next((f for f in readable(kind) for s in f.suffixes if name.endswith(s)), None)


def readable_names(kind: str = "articles") -> str:
    """The readable formats' file endings, for a message: ".txt, .md, .html or .jsonl"."""
    names = [f".{f.extension}" for f in readable(kind)]
    return ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else "".join(names)


def accepted_suffixes(kind: str = "articles") -> list[str]:
    """Every file ending `kind` is imported from: ".txt", ".md", ..."""
    return [s for f in readable(kind) for s in f.suffixes]


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
