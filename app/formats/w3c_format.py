"""W3C Web Annotation (JSON-LD): an AnnotationCollection whose first page holds every claim.

Each claim is an Annotation with motivation "classifying": a TextualBody with the final label
(purpose "tagging"; one per label when reviewers disagree), an adjudication as an
"assessing" body with its creator (and its note as a "commenting" one), each reviewer's note
as a "commenting" body, and a target with a TextQuoteSelector and a TextPositionSelector
(code points, as the model defines them). A claim that a revision moved or orphaned says so
in a "questioning" body ("anchor: moved. ...").
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

import orjson

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
# A claim a revision of its text moved or orphaned needs a person's look: its annotation says
# so in a "questioning" body that starts with the state's name (vocabulary.ANCHOR_STATES).
ANCHOR_NOTES = {
    "moved": "A revision of the text changed these words and the claim followed them: "
    "please check it still says what was labelled.",
    "orphan": "Its passage is gone from the current text: the selectors point into the "
    "revision of the target's sourceDate.",
}


def claim_urn(claim_id: int) -> str:
    return f"urn:parallax:claim:{claim_id}"


def article_urn(article_id: int) -> str:
    return f"urn:parallax:article:{article_id}"


def annotation(record: dict) -> dict:
    labels = (
        [record["final_label"]]
        if record["final_label"]
        else sorted({a["label"] for a in record["assessments"]})
    )
    body: list[dict] = [
        {"type": "TextualBody", "purpose": "tagging", "value": label, "format": "text/plain"}
        for label in labels
    ]
    if record.get("adjudicated_label"):
        # The adjudicator's decision: its own body, the final label, with who and why.
        adjudicator = {"type": "Person", "nickname": record["adjudicated_by"] or "unknown"}
        body.append(
            {
                "type": "TextualBody",
                "purpose": "assessing",
                "value": record["adjudicated_label"],
                "format": "text/plain",
                "creator": adjudicator,
            }
        )
        if record.get("adjudication_note"):
            body.append(
                {
                    "type": "TextualBody",
                    "purpose": "commenting",
                    "value": record["adjudication_note"],
                    "format": "text/plain",
                    "creator": adjudicator,
                }
            )
    for a in record["assessments"]:
        if a["note"]:
            body.append(
                {
                    "type": "TextualBody",
                    "purpose": "commenting",
                    "value": a["note"],
                    "format": "text/plain",
                    "creator": {"type": "Person", "nickname": a["reviewer"]},
                }
            )
    if record.get("anchor") in ANCHOR_NOTES:
        body.append(
            {
                "type": "TextualBody",
                "purpose": "questioning",
                "value": f"anchor: {record['anchor']}. {ANCHOR_NOTES[record['anchor']]}",
                "format": "text/plain",
            }
        )
    item = {
        "@context": CONTEXT,
        "id": claim_urn(record["claim_id"]),
        "type": "Annotation",
        "motivation": "classifying",
        "created": record["created_at"],
        "target": {
            "source": record["article_url"] or article_urn(record["article_id"]),
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": record["quote"],
                    "prefix": record["prefix"],
                    "suffix": record["suffix"],
                },
                {"type": "TextPositionSelector", "start": record["start"], "end": record["end"]},
            ],
            # The revision the offsets point into: the article's text as of that time.
            "state": {"type": "TimeState", "sourceDate": record["revision_at"]},
        },
    }
    if record["author"]:
        item["creator"] = {"type": "Person", "nickname": record["author"]}
    if body:
        item["body"] = body
    return item


def write(
    records: Iterable[dict],
    total: int | None = None,
    collection_id: str = "",
    label: str = "Parallax claims",
    **_options,
) -> Iterator[str]:
    head = {
        "@context": CONTEXT,
        "id": collection_id or "urn:parallax:export",
        "type": "AnnotationCollection",
        "label": label,
    }
    if total is not None:
        head["total"] = total
    opening = json.dumps(head, ensure_ascii=False)[:-1]
    yield opening + ', "first": {"type": "AnnotationPage", "startIndex": 0, "items": ['
    for i, record in enumerate(records):
        yield ("\n" if i == 0 else ",\n") + orjson.dumps(annotation(record)).decode()
    yield "\n]}}\n"
