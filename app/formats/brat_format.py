"""brat standoff, zipped: for each article `parallax-<id>.txt` (its text) and, for each of its
reviewers, `parallax-<id>_<reviewer>.ann` (PolNeAR's layout: one annotator per file), which
brat, INCEpTION and WebAnno open, and `flask import-claims` reads back.

A claim is a text-bound annotation `T<n>\\t<label> <start> <end>\\t<quote>` in code points; one
imported from a discontinuous brat span (its fragments in the note, `[brat fragments ...]`)
is written with those fragments again; the rest of the note is an `AnnotatorNotes` line
(brat notes are one line: line breaks in a note become spaces).

A `metadata.tsv` at the end carries each article's title, outlet, date and URL. The archive
is written as it goes (a zip stream with data descriptors), a document at a time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from app.formats import zipstream

FRAGMENTS = re.compile(r"\[brat fragments ((?:\d+ \d+;)*\d+ \d+)\]")
_UNSAFE = re.compile(r"[^\w.@-]+")


def file_stem(record: dict) -> str:
    return f"parallax-{record['article_id']}"


def safe_name(reviewer: str) -> str:
    return _UNSAFE.sub("-", reviewer).strip("-") or "reviewer"


def ann_files(records: list[dict]) -> dict[str, str]:
    """The document's .ann files by reviewer: name -> content."""
    text = records[0]["article_text"]
    lines: dict[str, list[str]] = {}
    counters: dict[str, list[int]] = {}
    for record in records:
        for a in record["assessments"]:
            out = lines.setdefault(a["reviewer"], [])
            t, n = counters.setdefault(a["reviewer"], [0, 0])
            t += 1
            note = a.get("note") or ""
            fragments = [(record["start"], record["end"])]
            if match := FRAGMENTS.search(note):
                fragments = [tuple(map(int, f.split())) for f in match.group(1).split(";")]
                note = (note[: match.start()] + note[match.end() :]).strip()
            offsets = ";".join(f"{s} {e}" for s, e in fragments)
            covered = " ".join(text[s:e] for s, e in fragments)
            out.append(f"T{t}\t{a['label']} {offsets}\t{covered}")
            if note:
                n += 1
                out.append(f"#{n}\tAnnotatorNotes T{t}\t{' '.join(note.split())}")
            counters[a["reviewer"]] = [t, n]
    return {name: "\n".join(body) + "\n" for name, body in lines.items()}


METADATA = ("filename", "title", "publisher", "publication_date", "url")


def _cell(value: object) -> str:
    return " ".join(str(value or "").split())  # one line, no tabs


def write(documents: Iterable[list[dict]], **_options) -> Iterator[bytes]:
    """The zip, a document at a time; last, `metadata.tsv` with each article's title, outlet,
    date and URL (the columns PolNeAR's metadata has), which the importer reads."""
    rows = ["\t".join(METADATA)]

    def groups() -> Iterator[list[tuple[str, str]]]:
        for records in documents:
            first = records[0]
            stem = file_stem(first)
            members = [(f"{stem}.txt", first["article_text"])]
            for reviewer, content in sorted(ann_files(records).items()):
                members.append((f"{stem}_{safe_name(reviewer)}.ann", content))
            fields = (stem, first["article_title"], first["outlet"], first["published"])
            rows.append("\t".join(_cell(v) for v in (*fields, first["article_url"])))
            yield members
        yield [("metadata.tsv", "\n".join(rows) + "\n")]

    return zipstream.stream(groups())
