"""Label Studio JSON: one task per article, one annotation per reviewer, as Label Studio's
snapshot export writes them (`completed_by` expanded), for a project whose config is
`<Labels name="label" toName="text">` over `<Text name="text" value="$text">`.

Offsets are code points, as Label Studio stores them. Written from documents (a list of one
article's claim records, `export.iter_documents`); `app.interop.labelstudio` reads it back.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import orjson

REVIEWER_DOMAIN = "parallax.invalid"  # reviewers become <name>@parallax.invalid


def task(records: list[dict]) -> dict:
    first = records[0]
    by_reviewer: dict[str, list[dict]] = {}
    for record in records:
        for a in record["assessments"]:
            by_reviewer.setdefault(a["reviewer"], []).append(
                {
                    "id": f"c{record['claim_id']}",
                    "from_name": "label",
                    "to_name": "text",
                    "type": "labels",
                    "origin": "manual",
                    "value": {
                        "start": record["start"],
                        "end": record["end"],
                        "text": record["quote"],
                        "labels": [a["label"]],
                    },
                    **({"meta": {"text": [a["note"]]}} if a.get("note") else {}),
                }
            )
    return {
        "id": first["article_id"],
        "data": {
            "text": first["article_text"],
            "title": first["article_title"],
            "url": first["article_url"],
            "outlet": first["outlet"],
            "published": first["published"],
        },
        "annotations": [
            {
                "completed_by": {"email": f"{name}@{REVIEWER_DOMAIN}", "first_name": name},
                "was_cancelled": False,
                "result": result,
            }
            for name, result in sorted(by_reviewer.items())
        ],
        "predictions": [],
    }


def write(documents: Iterable[list[dict]], **_options) -> Iterator[bytes]:
    yield b"["
    for index, records in enumerate(documents):
        yield (b",\n" if index else b"\n") + orjson.dumps(task(records))
    yield b"\n]\n"
