"""Parquet (pyarrow) for pandas, R's arrow and Hugging Face `datasets`: one row per
assessment, typed: integers, dates, UTC timestamps, lists, and labels, outlets, stances and
reviewers as categories (dictionary-encoded, so `pandas.read_parquet` gives `category`).

The claim's columns are the CSV's (its claim_id, article, outlet, events, span, final label,
adjudication, proposition, revision and anchor), followed by the assessment's. A claim no
reviewer has assessed yet (possible only for records a filter thinned) is one row with empty
assessment columns. Written a row group at a time (ROW_GROUP rows) and handed out as it goes,
so a 2M-claim export streams in flat memory like the JSONL one.

`article_table` is the articles of the same export, one row each (with their text), for a
join on article_id.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime

import pyarrow as pa
import pyarrow.parquet as pq

from app.formats.zipstream import Sink

ROW_GROUP = 20_000
_CATEGORY = pa.dictionary(pa.int32(), pa.string())
_STAMP = pa.timestamp("us", tz="UTC")

# An article's columns, in the claims' table and the articles' alike.
_ARTICLE = [
    ("article_title", pa.string()),
    ("article_url", pa.string()),
    ("outlet", _CATEGORY),
    ("outlet_lean", _CATEGORY),
    ("stance", _CATEGORY),
    ("published", pa.date32()),
    ("event_ids", pa.list_(pa.int64())),
    ("event_titles", pa.list_(pa.string())),
]

SCHEMA = pa.schema(
    [
        ("claim_id", pa.int64()),
        ("article_id", pa.int64()),
        *_ARTICLE,
        ("start", pa.int64()),
        ("end", pa.int64()),
        ("quote", pa.string()),
        ("prefix", pa.string()),
        ("suffix", pa.string()),
        ("final_label", _CATEGORY),
        ("final_label_source", _CATEGORY),
        ("assessment_count", pa.int32()),
        ("k", pa.int32()),
        ("adjudicated_label", _CATEGORY),
        ("adjudicated_by", pa.string()),
        ("adjudication_note", pa.string()),
        ("proposition_id", pa.int64()),
        ("proposition", pa.string()),
        ("author", pa.string()),
        ("created_at", _STAMP),
        ("revision", pa.int32()),
        ("revision_hash", pa.string()),
        ("anchor", _CATEGORY),
        ("claim_informed", pa.bool_()),
        ("reviewer", _CATEGORY),
        ("label", _CATEGORY),
        ("note", pa.string()),
        ("evidence_url", pa.string()),
        ("assessment_version", pa.int32()),
        ("assessment_informed", pa.bool_()),
        ("assessment_created_at", _STAMP),
        ("assessment_updated_at", _STAMP),
    ]
)
CLAIM_COLUMNS = [f.name for f in SCHEMA][: SCHEMA.get_field_index("reviewer")]
_RENAMED = {"claim_informed": "informed"}
_ASSESSMENT = {
    "reviewer": "reviewer",
    "label": "label",
    "note": "note",
    "evidence_url": "evidence_url",
    "assessment_version": "version",
    "assessment_informed": "informed",
    "assessment_created_at": "created_at",
    "assessment_updated_at": "updated_at",
}
_STAMPS = {"created_at", "assessment_created_at", "assessment_updated_at"}


def _stamp(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _rows(records: Iterable[dict]) -> Iterator[dict]:
    for record in records:
        claim = {name: record.get(_RENAMED.get(name, name)) for name in CLAIM_COLUMNS}
        claim["published"] = (
            date.fromisoformat(record["published"]) if record["published"] else None
        )
        claim["created_at"] = _stamp(record["created_at"])
        for a in record["assessments"] or [{}]:
            row = dict(claim)
            for column, key in _ASSESSMENT.items():
                value = a.get(key)
                row[column] = _stamp(value) if column in _STAMPS else value
            yield row


def _stream(rows: Iterable[dict], schema: pa.Schema, size: int = ROW_GROUP) -> Iterator[bytes]:
    """Rows gathered column by column (a list per column costs a fraction of a dict per row)
    into row groups of `size`, each written and handed out before the next is read."""
    sink = Sink()
    writer = pq.ParquetWriter(pa.PythonFile(sink, mode="w"), schema, compression="zstd")
    names = schema.names
    columns: dict[str, list] = {name: [] for name in names}
    count = 0
    for row in rows:
        for name in names:
            columns[name].append(row[name])
        count += 1
        if count == size:
            writer.write_table(pa.Table.from_pydict(columns, schema=schema))
            columns, count = {name: [] for name in names}, 0
            yield sink.take()
    if count:
        writer.write_table(pa.Table.from_pydict(columns, schema=schema))
    writer.close()
    yield sink.take()


def write(records: Iterable[dict], **_options) -> Iterator[bytes]:
    return _stream(_rows(records), SCHEMA)


ARTICLE_SCHEMA = pa.schema(
    [
        ("article_id", pa.int64()),
        *_ARTICLE,
        ("article_content_hash", pa.string()),
        ("article_text", pa.string()),
    ]
)


def article_table(documents: Iterable[list[dict]]) -> Iterator[bytes]:
    """One row per article of the export (documents: export.iter_documents)."""

    def rows():
        for records in documents:
            first = records[0]
            row = {name: first.get(name) for name in ARTICLE_SCHEMA.names}
            row["published"] = (
                date.fromisoformat(first["published"]) if first["published"] else None
            )
            yield row

    return _stream(rows(), ARTICLE_SCHEMA)
