"""CSV: one row per claim, RFC 4180 quoting, UTF-8 with a BOM so spreadsheets read it right.

The header is stable and snake_case (see COLUMNS). Lists are joined with " | ".
Assessments become a count, an agreement flag and "reviewer:label" pairs.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

COLUMNS = [
    "claim_id",
    "article_id",
    "article_title",
    "article_url",
    "outlet",
    "outlet_lean",
    "stance",
    "published",
    "event_ids",
    "event_titles",
    "start",
    "end",
    "quote",
    "prefix",
    "suffix",
    "final_label",
    "assessment_count",
    "agreement",
    "reviewer_labels",
    "notes",
    "proposition_id",
    "proposition",
    "author",
    "created_at",
]
BOM = "\ufeff"


def row(record: dict) -> list:
    assessments = record["assessments"]
    labels = {a["label"] for a in assessments}
    return [
        record["claim_id"],
        record["article_id"],
        record["article_title"],
        record["article_url"] or "",
        record["outlet"],
        record["outlet_lean"] or "",
        record["stance"],
        record["published"] or "",
        " | ".join(str(i) for i in record["event_ids"]),
        " | ".join(record["event_titles"]),
        record["start"],
        record["end"],
        record["quote"],
        record["prefix"],
        record["suffix"],
        record["final_label"] or "",
        len(assessments),
        "true" if len(labels) == 1 else "false",
        " | ".join(f"{a['reviewer']}:{a['label']}" for a in assessments),
        " | ".join(f"{a['reviewer']}: {a['note']}" for a in assessments if a["note"]),
        record["proposition_id"] if record["proposition_id"] is not None else "",
        record["proposition"] or "",
        record["author"] or "",
        record["created_at"],
    ]


def write(records: Iterable[dict], bom: bool = True, **_options) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180: CRLF, quotes doubled

    def drain() -> str:
        chunk = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return chunk

    writer.writerow(COLUMNS)
    yield (BOM if bom else "") + drain()
    for i, record in enumerate(records, start=1):
        writer.writerow(row(record))
        if i % 200 == 0:
            yield drain()
    yield drain()
