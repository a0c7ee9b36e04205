"""Label Studio JSON: one task per article, one annotation per reviewer, for a project whose
config is `<Labels name="label" toName="text">` over `<Text name="text" value="$text">`.

Label Studio gives an imported annotation with no `completed_by` to whoever imports it, and
refuses the whole file when a `completed_by` names someone who is not a member of the
project; so the reviewers are not written there but in the task's data, `parallax_reviewers`,
one name per annotation in order (Label Studio keeps a task's data as given), where
`app.interop.labelstudio` reads them back.

Offsets are code points, as Label Studio stores them. Written from documents (a list of one
article's claim records, `export.iter_documents`); `app.interop.labelstudio` reads it back.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import orjson


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
            "parallax_reviewers": sorted(by_reviewer),
        },
        "annotations": [
            {"was_cancelled": False, "result": result}
            for _name, result in sorted(by_reviewer.items())
        ],
        "predictions": [],
    }


def write(documents: Iterable[list[dict]], **_options) -> Iterator[bytes]:
    yield b"["
    for index, records in enumerate(documents):
        yield (b",\n" if index else b"\n") + orjson.dumps(task(records))
    yield b"\n]\n"
