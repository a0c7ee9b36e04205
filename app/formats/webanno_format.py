"""WebAnno TSV 3.3 (INCEpTION), zipped as INCEpTION lays out a project's annotations:
`annotation/parallax-<id>/<reviewer>.tsv`, one span layer `webanno.custom.Claim` whose
`value` is the label, whitespace tokens, offsets in UTF-16 code units. See
`app.interop.webanno`, which reads it back."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from app.formats import zipstream
from app.interop import webanno


def write(documents: Iterable[list[dict]], **_options) -> Iterator[bytes]:
    return zipstream.stream(list(webanno.write_documents([records])) for records in documents)
