"""Label Studio exports: JSON (the Export page's, and a snapshot's with predictions and
`completed_by` expanded) and JSON-MIN, for a `<Labels>` over `<Text>` project.

Offsets are code points (Label Studio's frontend converts the browser's UTF-16 offsets
before storing). `value.text` is not read: the UI stores the selection with line breaks as
the two characters `\\n` and tabs as spaces, so the span is `text[start:end]`, always.
Cancelled (skipped) annotations and predictions are model or abandoned output, not a
person's claims: they are counted in `skipped`, never imported.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from app.interop import Document, Refusal, Span, UnreadableFile, check_bounds


def read(data: bytes, name: str) -> Iterator[Document]:
    try:
        tasks = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise UnreadableFile(f"{name} is not JSON: {exc}") from None
    if not isinstance(tasks, list):
        raise UnreadableFile(f"{name}: a Label Studio export is a JSON array of tasks")
    for index, task in enumerate(tasks, start=1):
        if not isinstance(task, dict):
            raise UnreadableFile(f"{name}: task {index} is not a JSON object")
        if "data" in task or "annotations" in task:
            yield _full_task(task, index, name)
        else:
            yield _min_task(task, index, name)


def _text_of(data: dict) -> str | None:
    """The task's text: its `text` field, or its one long string field."""
    if isinstance(data.get("text"), str):
        return data["text"]
    strings = [v for k, v in data.items() if isinstance(v, str) and k not in ("title", "url")]
    return max(strings, key=len) if strings else None


def _document(fields: dict, task_id: object, index: int, name: str) -> Document:
    text = _text_of(fields)
    where = f"{name} task {task_id if task_id is not None else index}"
    if text is None:
        raise UnreadableFile(f"{where} has no text")
    key = fields.get("doc_key") or fields.get("title") or f"task {task_id or index}"

    def optional(field: str) -> str | None:
        value = fields.get(field)
        return value if isinstance(value, str) and value.strip() else None

    return Document(
        key=str(key),
        text=text,
        title=optional("title") or (str(fields["doc_key"]) if fields.get("doc_key") else None),
        url=optional("url"),
        outlet=optional("outlet"),
        published=optional("published"),
    )


def _annotator(value: object) -> str | None:
    """`completed_by`: a user id, or (snapshot) {id, email, ...}; the person's name for
    Parallax is their email's local part, or `labelstudio-<id>`."""
    if isinstance(value, dict):
        email = value.get("email")
        if isinstance(email, str) and "@" in email:
            return email.split("@", 1)[0]
        value = value.get("id")
    if isinstance(value, int) and not isinstance(value, bool):
        return f"labelstudio-{value}"
    if isinstance(value, str) and value.strip():
        return value.strip().split("@", 1)[0]
    return None


def _regions(doc: Document, result: object, annotator: str | None, where: str) -> None:
    if not isinstance(result, list):
        doc.refused.append(Refusal(where, "its result is not a list"))
        return
    for number, region in enumerate(result, start=1):
        here = f"{where}, region {number}"
        if not isinstance(region, dict) or not isinstance(region.get("value"), dict):
            doc.refused.append(Refusal(here, "not a region with a value"))
            continue
        if region.get("type") not in (None, "labels", "hypertextlabels"):
            doc.skipped[f"{region.get('type')} regions"] = (
                doc.skipped.get(f"{region.get('type')} regions", 0) + 1
            )
            continue
        meta = region.get("meta") if isinstance(region.get("meta"), dict) else {}
        notes = [t for t in meta.get("text") or [] if isinstance(t, str)]
        _span(doc, region["value"], annotator, here, "\n".join(notes) or None)


def _span(
    doc: Document, value: dict, annotator: str | None, where: str, note: str | None = None
) -> None:
    start, end = value.get("start"), value.get("end")
    if problem := check_bounds(doc.text, start, end):
        doc.refused.append(Refusal(where, problem))
        return
    labels = value.get("labels")
    if not isinstance(labels, list) or not labels or not all(isinstance(x, str) for x in labels):
        doc.refused.append(Refusal(where, "it has no labels"))
        return
    for label in labels:  # a region with two labels is two claims' worth of labels
        doc.spans.append(Span(start, end, label, annotator, where, note))  # type: ignore[arg-type]


def _full_task(task: dict, index: int, name: str) -> Document:
    data = task.get("data")
    doc = _document(data if isinstance(data, dict) else {}, task.get("id"), index, name)
    where = f"{name} task {task.get('id', index)}"
    # Parallax's export names each annotation's reviewer in the data, in order.
    named = data.get("parallax_reviewers") if isinstance(data, dict) else None
    named = named if isinstance(named, list) else []
    for index, annotation in enumerate(task.get("annotations") or []):
        if not isinstance(annotation, dict):
            doc.refused.append(Refusal(where, "an annotation that is not an object"))
            continue
        here = f"{where}, annotation {annotation.get('id', index + 1)}"
        if annotation.get("was_cancelled"):
            doc.skipped["cancelled annotations"] = doc.skipped.get("cancelled annotations", 0) + 1
            continue
        who = _annotator(annotation.get("completed_by"))
        if who is None and index < len(named) and isinstance(named[index], str):
            who = named[index]
        _regions(doc, annotation.get("result"), who, here)
    predictions = [p for p in task.get("predictions") or [] if p is not None]
    if predictions:
        doc.skipped["predictions"] = len(predictions)
    return doc


def _min_task(task: dict, index: int, name: str) -> Document:
    doc = _document(task, task.get("id"), index, name)
    where = f"{name} task {task.get('id', index)}"
    annotator = _annotator(task.get("annotator"))
    for key, value in task.items():
        # JSON-MIN names the regions by the project's <Labels name="...">: find them by shape.
        regions = isinstance(value, list) and value and all(isinstance(v, dict) for v in value)
        if regions and all("start" in v and "end" in v for v in value):
            for number, region in enumerate(value, start=1):
                _span(doc, region, annotator, f"{where}, {key} {number}")
    return doc
