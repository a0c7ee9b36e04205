"""CSV: one row per claim, RFC 4180 quoting, UTF-8 with a BOM so spreadsheets read it right.

The header is stable and snake_case (see COLUMNS). Lists are joined with " | ".
Assessments become a count, an agreement flag and "reviewer:label" pairs.

A text cell that starts with `=`, `+`, `-`, `@` (or their fullwidth forms, also behind
spaces and invisible characters), a tab or a carriage return is what a spreadsheet runs as a
formula (CSV injection): by default such a cell gets a leading `'`, as
OWASP recommends, so it opens as the text it is. `neutralize_formulas=False` writes every
cell as stored, for pipelines that read the CSV with a parser. JSON formats are never altered.
"""

from __future__ import annotations

import csv
import io
import unicodedata
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
    "revision",
    "revision_hash",
    "anchor",
    "final_label_source",
    "adjudicated_by",
    "adjudication_note",
    "k",
    "claim_informed",
]
BOM = "\ufeff"
# What a spreadsheet runs: = + - @ and their fullwidth forms (Excel and LibreOffice read "＝"
# as "="), also behind leading spaces (U+3000 too) and invisible format characters such as
# U+200B; and a cell that starts with a tab or a carriage return (OWASP's list).
FORMULA_STARTS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
CONTROL_STARTS = frozenset("\t\r")
# The claim row's columns that hold text (the others are integers, never a formula).
NUMBER_COLUMNS = {
    "claim_id",
    "article_id",
    "start",
    "end",
    "assessment_count",
    "proposition_id",
    "revision",
    "k",
}
TEXT_COLUMNS = tuple(i for i, name in enumerate(COLUMNS) if name not in NUMBER_COLUMNS)


def neutralize(cell):
    """The cell as a spreadsheet shows it but never runs it (OWASP, CSV injection)."""
    if not isinstance(cell, str) or not cell:
        return cell
    if cell[0] in CONTROL_STARTS:
        return "'" + cell
    for char in cell:
        if char.isspace() or unicodedata.category(char) == "Cf":
            continue  # a spreadsheet skips these before reading a formula
        return "'" + cell if char in FORMULA_STARTS else cell
    return cell


def writer_for(buffer: io.StringIO, neutralize_formulas: bool = True):
    """A csv writer (RFC 4180: CRLF, quotes doubled) that neutralizes formula cells."""
    writer = csv.writer(buffer, lineterminator="\r\n")
    if not neutralize_formulas:
        return writer

    class Safe:
        def writerow(self, cells):
            return writer.writerow([neutralize(c) for c in cells])

    return Safe()


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
        record["revision"],
        record["revision_hash"] or "",
        record["anchor"] or "",
        record["final_label_source"] or "",
        record["adjudicated_by"] or "",
        record["adjudication_note"] or "",
        record["k"],
        "" if record["informed"] is None else str(record["informed"]).lower(),
    ]


def write(
    records: Iterable[dict], bom: bool = True, neutralize_formulas: bool = True, **_options
) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180: CRLF, quotes doubled

    def drain() -> str:
        chunk = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return chunk

    writer.writerow(COLUMNS)
    yield (BOM if bom else "") + drain()
    rows: list[list] = []
    for record in records:
        cells = row(record)
        if neutralize_formulas:
            for i in TEXT_COLUMNS:  # only the text columns, and one character of each
                value = cells[i]
                if value[:1] in FORMULA_STARTS:
                    cells[i] = "'" + value
        rows.append(cells)
        if len(rows) == 200:
            writer.writerows(rows)
            rows.clear()
            yield drain()
    writer.writerows(rows)
    yield drain()
