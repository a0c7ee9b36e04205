"""brat standoff (`.txt` beside `.ann`), as brat, INCEpTION and WebAnno write it: text-bound
annotations `T`, their notes `#`, discontinuous spans `start end;start end`.

Offsets are code points of the `.txt` (brat is Python). A `.ann` whose covered-text column
disagrees under code points but agrees under UTF-16 code units (a Java writer counting as the
JVM does) is read in those, and says so. One annotator per `.ann`: `name_<annotator>.ann`
beside `name.txt` (PolNeAR's layout), else the importer's `--reviewer`.

A discontinuous span becomes one claim over its whole extent, from the first character any
fragment covers to the last, with its fragments kept on the Span (the importer writes them into the
assessment's note, where the brat export reads them back). Nothing between the fragments is
dropped silently: the note says which characters the source left out.

Relations, events and attributes (`R`, `E`, `A`, `N`, `*`) have no place in Parallax's
claims: they are counted in `skipped`. A line broken in two by a newline inside its covered
text (seen in PolNeAR) is joined back before it is read.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

from app.interop import (
    Document,
    Refusal,
    Span,
    check_bounds,
    code_points_to_utf16,
    decode,
    utf16_to_code_points,
)

_LINE_START = re.compile(r"^(?:[TRENAM#]\d+|\*)\t")
_TEXT_BOUND = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t?(.*)$", re.DOTALL)
_NOTE = re.compile(r"^#\d+\t\S+ (T\d+)\t(.*)$", re.DOTALL)
FRAGMENTS_NOTE = "brat fragments"  # the note's marker: "[brat fragments 10 20;30 40]"
_KINDS = {
    "R": "relations",
    "E": "events",
    "A": "attributes",
    "M": "attributes",
    "N": "normalizations",
    "*": "equivalences",
}


@dataclass(frozen=True)
class Pair:
    """One .ann file and the .txt it annotates, read as bytes."""

    ann_name: str
    ann: bytes
    txt_name: str
    txt: bytes
    annotator: str | None


def pair_files(files: dict[str, bytes], reviewer: str | None) -> tuple[list[Pair], list[Refusal]]:
    """Pair every `.ann` with its `.txt` (`x.ann` or `x_<annotator>.ann` with `x.txt`)."""
    texts = {name[:-4]: name for name in files if name.endswith(".txt")}
    pairs, refused = [], []
    # In the order the folder or archive gives them (an export's: its articles' order).
    for name in [n for n in files if n.endswith(".ann")]:
        stem = name[:-4]
        if stem in texts:
            pairs.append(Pair(name, files[name], texts[stem], files[texts[stem]], reviewer))
            continue
        # name_<annotator>.ann: the longest name before an underscore that has a .txt.
        cuts = [i for i, ch in enumerate(stem) if ch == "_" and stem[:i] in texts]
        if cuts and stem[cuts[-1] + 1 :]:
            base, who = stem[: cuts[-1]], stem[cuts[-1] + 1 :]
            pairs.append(Pair(name, files[name], texts[base], files[texts[base]], who))
            continue
        refused.append(Refusal(name, f"no {stem}.txt beside it"))
    return pairs, refused


def read_metadata(data: bytes) -> dict[str, dict[str, str]]:
    """A `metadata.tsv` beside the files (PolNeAR's): rows by `filename`, whose `title`,
    `publisher` (the outlet), `publication_date` and `url` the articles take."""
    rows = csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter="\t")
    if not rows.fieldnames or "filename" not in rows.fieldnames:
        return {}
    return {row["filename"]: row for row in rows if row.get("filename")}


def _lines(ann: str) -> list[tuple[int, str]]:
    """The .ann's non-empty lines with their numbers."""
    numbered = enumerate(ann.split("\n"), start=1)
    return [(n, line.removesuffix("\r")) for n, line in numbered if line.strip("\r")]


def _covered(text: str, fragments: list[tuple[int, int]]) -> str:
    return " ".join(text[s:e] for s, e in fragments)


def read(pair: Pair, meta: dict[str, str] | None = None) -> Document:
    text = decode(pair.txt, pair.txt_name)
    ann = decode(pair.ann, pair.ann_name)
    meta = meta or {}
    doc = Document(
        key=pair.txt_name[:-4],
        text=text,
        title=meta.get("title") or None,
        url=meta.get("url") or None,
        outlet=meta.get("publisher") or meta.get("outlet") or None,
        published=meta.get("publication_date") or meta.get("published") or None,
    )
    bound: list[tuple[str, int, str, str, list[tuple[int, int]], str]] = []
    notes: dict[str, list[str]] = {}
    previous: int | None = None  # the line number of the T line just read
    for number, line in _lines(ann):
        where = f"{pair.ann_name} line {number}"
        if match := _TEXT_BOUND.match(line):
            tid, label, offsets, covered = match.groups()
            fragments = [tuple(map(int, f.split())) for f in offsets.split(";")]
            bound.append((tid, number, where, label, fragments, covered))  # type: ignore[arg-type]
            previous = number
            continue
        if not _LINE_START.match(line) and previous is not None and bound:
            # A newline inside the covered text broke the T line before this one in two.
            tid, first, first_where, label, fragments, covered = bound[-1]
            bound[-1] = (tid, first, first_where, label, fragments, covered + "\n" + line)
            continue
        previous = None
        if match := _NOTE.match(line):
            notes.setdefault(match.group(1), []).append(match.group(2))
        elif (kind := _KINDS.get(line[:1])) is not None:
            doc.skipped[kind] = doc.skipped.get(kind, 0) + 1
        else:
            doc.refused.append(Refusal(where, "not a line of brat standoff"))
    units = _units(text, bound)
    if units == "utf16":
        doc.skipped["note: offsets read as UTF-16 code units"] = 1
        table = utf16_to_code_points(text)
    for tid, _number, where, label, fragments, covered in bound:
        if units == "utf16":
            mapped = [
                (table[s], table[e]) if e < len(table) else (None, None) for s, e in fragments
            ]
            if any(s is None or e is None for s, e in mapped):
                doc.refused.append(Refusal(where, "its offsets cut a character in two"))
                continue
            fragments = mapped  # type: ignore[assignment]
        problem = next((p for s, e in fragments if (p := check_bounds(text, s, e))), None)
        if problem is None and _covered(text, fragments) != covered:
            problem = (
                f"its covered text {covered[:60]!r} is not the text at {fragments[0][0]}-"
                f"{fragments[-1][1]} ({_covered(text, fragments)[:60]!r})"
            )
        if problem:
            doc.refused.append(Refusal(where, problem))
            continue
        # Fragments may come in any order (brat's own files have them so): the claim spans
        # from the first character any of them covers to the last.
        doc.spans.append(
            Span(
                min(s for s, _ in fragments),
                max(e for _, e in fragments),
                label,
                pair.annotator,
                where,
                note="\n".join(notes.get(tid, [])) or None,
                fragments=tuple(fragments) if len(fragments) > 1 else (),
            )
        )
    return doc


def _units(text: str, bound: list) -> str:
    """ "codepoint", unless the covered texts agree only when the offsets count UTF-16 units."""

    def agree(lookup) -> int:
        return sum(1 for *_, fragments, covered in bound if lookup(fragments) == covered)

    as_points = agree(lambda fr: _covered(text, fr))
    if as_points == len(bound) or code_points_to_utf16(text)[-1] == len(text):
        return "codepoint"  # every span agrees, or the two units are the same in this text
    table = utf16_to_code_points(text)

    def as16(fragments):
        try:
            return _covered(text, [(table[s], table[e]) for s, e in fragments])
        except (IndexError, TypeError):
            return None

    return "utf16" if agree(as16) > as_points else "codepoint"


def fragments_note(fragments: tuple[tuple[int, int], ...]) -> str:
    """What the assessment's note records of a discontinuous span: its pieces in stored
    code points, which the brat export writes back."""
    return f"[{FRAGMENTS_NOTE} " + ";".join(f"{s} {e}" for s, e in fragments) + "]"


def iter_pairs(pairs: list[Pair], metadata: dict[str, dict[str, str]]) -> Iterator[Document]:
    for pair in pairs:
        yield read(pair, metadata.get(pair.txt_name[:-4].rsplit("/", 1)[-1]))
