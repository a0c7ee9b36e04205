"""A zip archive written as it goes: the archives of the document formats (brat, WebAnno
TSV) stream a document at a time instead of being built whole."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator


class Sink:
    """A write-only stream whose bytes are taken out as they come: what the streamed binary
    formats write into (zipfile, when it cannot seek, writes each member's sizes after it
    instead of going back; pyarrow writes a Parquet footer last)."""

    closed = False

    def __init__(self) -> None:
        self.pieces: list[bytes] = []

    def write(self, data) -> int:
        self.pieces.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data, self.pieces = b"".join(self.pieces), []
        return data


def stream(groups: Iterable[list[tuple[str, str]]]) -> Iterator[bytes]:
    """The archive of (name, text) members, handed out a group (a document's files) at a
    time."""
    sink = Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for members in groups:
            for name, content in members:
                archive.writestr(name, content)
            yield sink.take()
    yield sink.take()
