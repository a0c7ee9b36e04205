"""doccano JSONL for a sequence-labeling project: one line per article and reviewer,
`"label": [[start, end, label], ...]`, with the reviewer's name in `annotator` (doccano keeps
unknown fields as metadata) and the article's in `doc_key`, `title`, `url`, `outlet`.

Offsets are UTF-16 code units, as doccano's annotator counts them (a span after an emoji
lands on the right characters there). `app.interop.doccano` reads it back.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import orjson

from app.text.offsets import code_points_to_utf16


def lines(records: list[dict]) -> Iterator[dict]:
    first = records[0]
    text = first["article_text"]
    utf16 = code_points_to_utf16(text)
    by_reviewer: dict[str, list] = {}
    for record in records:
        for a in record["assessments"]:
            span = [utf16[record["start"]], utf16[record["end"]], a["label"]]
            by_reviewer.setdefault(a["reviewer"], []).append(span)
    for name, spans in sorted(by_reviewer.items()):
        yield {
            "text": text,
            "label": spans,
            "annotator": name,
            "doc_key": f"parallax-{first['article_id']}",
            "title": first["article_title"],
            "url": first["article_url"],
            "outlet": first["outlet"],
        }


def write(documents: Iterable[list[dict]], **_options) -> Iterator[bytes]:
    for records in documents:
        for line in lines(records):
            yield orjson.dumps(line, option=orjson.OPT_APPEND_NEWLINE)
