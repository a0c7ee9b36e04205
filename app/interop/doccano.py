"""doccano's sequence-labeling JSONL, in its three shapes: `"label": [[start, end, label]]`
(the default, one file per member), `"entities": [{start_offset, end_offset, label}]`
(relation labeling on) and the collaborative file (everyone's spans, no names).

doccano 1.8's annotator counts offsets in UTF-16 code units (JavaScript string indices), not
code points: they are converted here; an offset inside a surrogate pair is refused. Its
`grapheme_mode` (grapheme clusters) is off by default and not read.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from app.interop import Document, Refusal, Span, UnreadableFile, check_bounds, utf16_to_code_points


def read(lines: Iterable[str], name: str, annotator: str | None) -> Iterator[Document]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{name} line {number}"
        try:
            record = json.loads(line)
        except ValueError as exc:
            raise UnreadableFile(f"{where} is not JSON: {exc}") from None
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise UnreadableFile(f"{where} is not a doccano record (an object with a text)")
        named = record.get("annotator") or record.get("user")  # Parallax's export names them
        yield _document(
            record, where, named if isinstance(named, str) and named.strip() else annotator
        )


def _pieces(record: dict) -> list:
    if isinstance(record.get("entities"), list):
        return [
            (e.get("start_offset"), e.get("end_offset"), e.get("label"))
            if isinstance(e, dict)
            else e
            for e in record["entities"]
        ]
    label = record.get("label", record.get("labels", []))
    return label if isinstance(label, list) else [label]


def _document(record: dict, where: str, annotator: str | None) -> Document:
    text = record["text"]
    key = record.get("doc_key") or record.get("title") or f"example {record.get('id', '?')}"
    doc = Document(
        key=str(key),
        text=text,
        title=record.get("title") if isinstance(record.get("title"), str) else None,
        url=record.get("url") if isinstance(record.get("url"), str) else None,
        outlet=record.get("outlet") if isinstance(record.get("outlet"), str) else None,
    )
    if doc.title is None and record.get("doc_key"):
        doc.title = str(record["doc_key"])
    table = utf16_to_code_points(text)
    for index, piece in enumerate(_pieces(record), start=1):
        here = f"{where}, span {index}"
        if not isinstance(piece, (list, tuple)) or len(piece) != 3:
            doc.refused.append(Refusal(here, "a span is [start, end, label]"))
            continue
        start16, end16, label = piece
        if not isinstance(label, str) or not label.strip():
            doc.refused.append(Refusal(here, "it has no label"))
            continue
        if problem := check_bounds("\0" * (len(table) - 1), start16, end16):
            doc.refused.append(Refusal(here, problem.replace("characters", "UTF-16 units")))
            continue
        start, end = table[start16], table[end16]
        if start is None or end is None:
            doc.refused.append(Refusal(here, f"{start16}-{end16} cuts a character in two"))
            continue
        doc.spans.append(Span(start, end, label, annotator, here))
    return doc
