"""Annotations from Label Studio, doccano and brat (INCEpTION, WebAnno) into Parallax claims.

The tool's files are read by `app.interop` into documents with code-point spans; here each
span becomes the record `flask import-claims` reads from Parallax's own JSONL, and the same
`ClaimStore` stores it: one checker, one writer, one rule for what a claim is (its article,
span and author), so importing a file twice changes nothing and writes no history.

- **Text.** An article's stored text is the document's text with only what every import does
  (`exact_text`: NFC, line ends as `\\n`, a BOM dropped); each offset is carried through that
  change (`OffsetMap`), so a span lands on the same characters. An offset that falls inside a
  changed place (between `\\r` and `\\n`, between a letter and the accent NFC joins to it) is
  refused with its place in the file.
- **Labels.** A foreign label that is one of Parallax's (any case) is kept; any other must be
  mapped (`LabelMap`: to a Parallax label, or `skip`). An unmapped one is refused, with a
  message saying how to map it; the counts of each are reported.
- **People.** Each span is its annotator's claim, with their assessment: Label Studio's
  `completed_by`, doccano's file (one per member), brat's `name_<annotator>.ann`, or the
  `reviewer` given. Missing accounts are created without a password (they cannot log in).
- **Articles.** Matched by URL or by the hash of their text, or created (title, outlet, date
  from the file when it has them; else the document's key and the `outlet` given).
"""

from __future__ import annotations

import json
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from app.errors import InvalidInput
from app.extensions import db
from app.interop import (
    Document,
    Refusal,
    UnreadableFile,
    brat,
    decode,
    doccano,
    labelstudio,
    webanno,
)
from app.models import Article
from app.services.exchange import readers
from app.services.exchange.claims_import import ClaimImportReport, ClaimStore
from app.services.exchange.importing import failure_reason
from app.text.normalize import content_hash, exact_text
from app.text.offsets import OffsetMap
from app.vocabulary import labels as parallax_labels

SKIP = "skip"
DEFAULT_OUTLET = "Imported"


class LabelMap:
    """Foreign label -> Parallax label, or None to skip it. Parallax's own labels (in any
    case) map to themselves unless the map says otherwise."""

    def __init__(self, mapping: dict[str, str | None] | None = None) -> None:
        known = {label.casefold(): label for label in parallax_labels()}
        self.mapping: dict[str, str | None] = {}
        for foreign, target in (mapping or {}).items():
            if not isinstance(foreign, str) or not foreign.strip():
                raise InvalidInput("a label map entry needs a foreign label")
            if target is None or (isinstance(target, str) and target.strip().casefold() == SKIP):
                self.mapping[foreign.strip()] = None
                continue
            if not isinstance(target, str) or target.strip().casefold() not in known:
                raise InvalidInput(
                    f"the label map sends {foreign!r} to {target!r}, which is not a Parallax "
                    f"label ({', '.join(parallax_labels())}) or {SKIP!r}"
                )
            self.mapping[foreign.strip()] = known[target.strip().casefold()]
        self._known = known

    @classmethod
    def parse(cls, entries: list[str]) -> LabelMap:
        """`opinion=skip`, `Content=supporting`: the CLI's and the import form's notation."""
        mapping: dict[str, str | None] = {}
        for entry in entries:
            for part in entry.split(","):
                if not part.strip():
                    continue
                foreign, sep, target = part.rpartition("=")
                if not sep or not foreign.strip():
                    raise InvalidInput(
                        f"a label map entry is foreign=label or foreign=skip, not {part!r}"
                    )
                mapping[foreign.strip()] = target.strip()
        return cls(mapping)

    def __call__(self, label: str) -> tuple[bool, str | None]:
        """(known, Parallax label or None to skip)."""
        if label in self.mapping:
            return True, self.mapping[label]
        if label.casefold() in self._known:
            return True, self._known[label.casefold()]
        return False, None


@dataclass
class ForeignOptions:
    labels: LabelMap = field(default_factory=LabelMap)
    outlet: str | None = None  # for documents whose file names none
    reviewer: str | None = None  # for spans whose file names no annotator


@dataclass
class FileReport:
    """What became of one file: the CLI prints it, the API returns it."""

    name: str
    documents: int = 0
    articles_created: int = 0
    articles_matched: int = 0
    spans_read: int = 0
    claims_created: int = 0
    claims_matched: int = 0
    claims_unchanged: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)  # (where, why)
    notes: list[tuple[str, str]] = field(default_factory=list)
    labels_mapped: Counter = field(default_factory=Counter)  # "opinion -> contested": n
    labels_skipped: Counter = field(default_factory=Counter)  # foreign label: n
    skipped: Counter = field(default_factory=Counter)  # predictions, relations, ...
    reviewers: set[str] = field(default_factory=set)

    def as_dict(self) -> dict:
        return {
            "file": self.name,
            "documents": self.documents,
            "articles_created": self.articles_created,
            "articles_matched": self.articles_matched,
            "spans_read": self.spans_read,
            "claims_created": self.claims_created,
            "claims_matched": self.claims_matched,
            "claims_unchanged": self.claims_unchanged,
            "refused": [{"where": w, "reason": r} for w, r in self.refused],
            "notes": [{"where": w, "note": n} for w, n in self.notes],
            "labels_mapped": dict(self.labels_mapped),
            "labels_skipped": dict(self.labels_skipped),
            "skipped": dict(self.skipped),
            "reviewers": sorted(self.reviewers),
        }

    def summary(self) -> str:
        if not self.documents and not self.spans_read and not self.skipped:  # Parallax's JSONL
            return (
                f"{self.name}: {self.claims_created} claims created, {self.claims_matched} "
                f"matched ({self.claims_unchanged} unchanged), {len(self.refused)} failed"
            )
        parts = [
            f"{self.documents} documents",
            f"articles {self.articles_created} created, {self.articles_matched} matched",
            f"{self.spans_read} spans read",
            f"claims {self.claims_created} created, {self.claims_matched} matched "
            f"({self.claims_unchanged} unchanged)",
            f"{len(self.refused)} refused",
        ]
        if self.labels_skipped:
            parts.append(f"{sum(self.labels_skipped.values())} skipped by the label map")
        if self.skipped:
            parts.append(
                ", ".join(f"{n} {what} left out" for what, n in sorted(self.skipped.items()))
            )
        return f"{self.name}: " + "; ".join(parts)


def _records(doc: Document, options: ForeignOptions, report: FileReport) -> list[tuple[str, dict]]:
    """The document's spans as claim records (where, record); refusals go to the report."""
    report.refused += [(r.where, r.reason) for r in doc.refused]
    report.skipped.update(doc.skipped)
    report.spans_read += len(doc.spans) + len(doc.refused)
    mapping = OffsetMap(doc.text)
    stored = mapping.stored
    article = {
        "article_text": stored,
        "article_title": (doc.title or doc.key or "").strip()[:500] or None,
        "outlet": doc.outlet or options.outlet or DEFAULT_OUTLET,
        "article_url": doc.url,
        "published": doc.published,
    }
    records = []
    for span in doc.spans:
        known, label = options.labels(span.label)
        if not known:
            report.refused.append(
                (
                    span.where,
                    f"label {span.label!r} is not one of Parallax's "
                    f"({', '.join(parallax_labels())}): map it, e.g. "
                    f"{span.label}=contested or {span.label}={SKIP}",
                )
            )
            continue
        if label is None:
            report.labels_skipped[span.label] += 1
            continue
        if label != span.label:
            report.labels_mapped[f"{span.label} -> {label}"] += 1
        reviewer = span.annotator or options.reviewer
        if not reviewer:
            report.refused.append((span.where, "the file names no annotator: give a reviewer"))
            continue
        start, end = mapping(span.start), mapping(span.end)
        if start is None or end is None or start >= end:
            report.refused.append(
                (
                    span.where,
                    f"{span.start}-{span.end} begins or ends inside a line break or an accented "
                    "letter that the stored text writes as one character",
                )
            )
            continue
        note = span.note
        if span.fragments:
            pieces = tuple((mapping(s), mapping(e)) for s, e in span.fragments)
            gap = brat.fragments_note(pieces)  # type: ignore[arg-type]
            note = f"{note}\n{gap}" if note else gap
        report.reviewers.add(reviewer)
        records.append(
            (
                span.where,
                article
                | {
                    "start": start,
                    "end": end,
                    "quote": stored[start:end],
                    "author": reviewer,
                    "assessments": [{"reviewer": reviewer, "label": label, "note": note}],
                },
            )
        )
    return records


def _count_article(digest: str, report: FileReport) -> None:
    """An article the file's claims go to: one stored already (matched) or a new one."""
    found = db.session.scalar(select(Article.id).where(Article.content_hash == digest).limit(1))
    if found is None:
        report.articles_created += 1
    else:
        report.articles_matched += 1


@dataclass
class Plan:
    """One file's spans as claim records, checked as far as they can be without the store,
    numbered for the store's runner; `finish` adds what the store did to the report."""

    report: FileReport
    records: list[tuple[int, dict]]
    where: dict[int, str]  # record number -> its place in the file

    def batches(self, size: int = 1000) -> list[list[tuple[int, dict]]]:
        return [self.records[i : i + size] for i in range(0, len(self.records), size)]

    def finish(self, outcome: ClaimImportReport) -> FileReport:
        report = self.report
        report.claims_created = outcome.claims_created
        report.claims_matched = outcome.claims_matched
        report.claims_unchanged = outcome.claims_unchanged
        report.refused += [(self.where[n], reason) for n, reason in sorted(outcome.failed)]
        report.notes += [(self.where[n], note) for n, note in outcome.notes]
        return report


def plan(name: str, documents: Iterable[Document], options: ForeignOptions) -> Plan:
    """Read one file's documents into claim records for `ClaimStore`; what cannot become one
    is in the report already. The entry point runs the store and owns the unit of work."""
    result = Plan(FileReport(name), [], {})
    # A text counts once, however many records carry it (JSON-MIN has one per annotation,
    # PolNeAR one .ann per annotator); the carrier of unpaired files has none.
    texts: set[str] = set()
    counted: set[str] = set()
    for doc in documents:
        digest = content_hash(exact_text(doc.text)) if doc.text else None
        if digest is not None and digest not in texts:
            texts.add(digest)
            result.report.documents += 1
        records = _records(doc, options, result.report)
        if records and digest is not None and digest not in counted:
            counted.add(digest)
            _count_article(digest, result.report)
        for place, record in records:
            number = len(result.records) + 1
            result.where[number] = place
            result.records.append((number, record))
    return result


# -- one path, whatever made it -----------------------------------------------------------

Batches = Iterable[list[tuple[int, dict]]]


def claim_store(run: Callable[..., None]) -> Callable[[Batches], ClaimImportReport]:
    """What `import_path` stores with: numbered claim records through one ClaimStore, run by
    the entry point's `run` (unit_of_work.run_batches with its commit and dry-run choices;
    the entry point owns the unit of work), refusals by their number."""

    def store(batches: Batches) -> ClaimImportReport:
        report = ClaimImportReport()
        claims = ClaimStore()
        run(
            batches,
            claims,
            keep=report.add,
            refuse=lambda item, error: report.failed.append((item[0], failure_reason(error))),
            forget=claims.forget,
        )
        report.failed.sort()
        return report

    return store


def import_path(
    path: Path,
    tool: str,
    options: ForeignOptions,
    store: Callable[[Batches], ClaimImportReport],
) -> list[FileReport]:
    """Every file `path` holds, read as `tool` wrote it ("auto": told from the file), each
    through `store` (the entry point's: it runs ClaimStore and owns the unit of work)."""
    chosen = detect(path) if tool == "auto" else tool
    if chosen == "parallax":
        failed: list[tuple[int, str]] = []
        with path.open(encoding="utf-8") as lines:
            outcome = store(readers.claim_batches(lines, failed))
        outcome.failed = sorted(failed + outcome.failed)
        places = {n: f"{path.name} line {n}" for n, _ in outcome.failed + outcome.notes}
        return [Plan(FileReport(path.name), [], places).finish(outcome)]
    reports = []
    for name, documents in sources(path, chosen, options.reviewer):
        plan_ = plan(name, documents, options)
        reports.append(plan_.finish(store(plan_.batches())))
    return reports


# -- files ------------------------------------------------------------------------------

# What made a file, as the CLI, the import page and the API offer it: another tool, a
# Parallax JSONL export, or "auto" (told from the file).
SOURCES = {
    "auto": "Tell from the file",
    "parallax": "Parallax JSONL export",
    "labelstudio": "Label Studio JSON or JSON-MIN",
    "doccano": "doccano JSONL (or its zip)",
    "brat": "brat standoff (.ann with .txt, zipped)",
    "webanno": "WebAnno TSV 3.3 (.tsv, or INCEpTION's zip)",
}
MAX_ARCHIVE_BYTES = 500 * 1024 * 1024  # unpacked, all members together


def _members(path: Path) -> dict[str, bytes]:
    """A folder's or a zip archive's files by their relative names (hidden ones left out)."""
    if path.is_dir():
        return {
            str(p.relative_to(path)): p.read_bytes()
            for p in sorted(path.rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
        }
    try:
        with zipfile.ZipFile(path) as archive:
            infos = [i for i in archive.infolist() if not i.is_dir()]
            if sum(i.file_size for i in infos) > MAX_ARCHIVE_BYTES:
                raise UnreadableFile(f"{path.name} unpacks to more than 500 MB")
            return {
                i.filename: archive.read(i)
                for i in infos
                if not any(part.startswith((".", "__MACOSX")) for part in i.filename.split("/"))
            }
    except zipfile.BadZipFile:
        raise UnreadableFile(f"{path.name} is not a zip archive") from None


def detect(path: Path) -> str:
    """Which tool wrote `path`: "labelstudio", "doccano", "brat", or "parallax" (a JSONL
    claim export), from its name and, for JSON Lines, its first record."""
    name = path.name.lower()
    if path.is_dir() or name.endswith(".zip"):
        names = _members(path)
        if any(n.endswith(".ann") for n in names):
            return "brat"
        if any(n.endswith(".tsv") and d.startswith(b"#FORMAT=WebAnno") for n, d in names.items()):
            return "webanno"
        if any(n.endswith(".jsonl") for n in names):
            return "doccano"
        raise UnreadableFile(f"{path.name} holds no .ann or .jsonl files")
    if name.endswith((".ann", ".txt")):
        return "brat"
    if name.endswith(".tsv"):
        return "webanno"
    if name.endswith(".json"):
        return "labelstudio"
    if name.endswith((".jsonl", ".ndjson")):
        with path.open(encoding="utf-8-sig", errors="replace") as fh:
            first = next((line for line in fh if line.strip()), "")
        try:
            record = json.loads(first) if first else {}
        except ValueError:
            return "parallax"  # its reader reports the line
        if isinstance(record, dict) and "quote" in record and "start" in record:
            return "parallax"
        return "doccano"
    raise UnreadableFile(
        f"{path.name}: not a file Parallax reads annotations from (.json, .jsonl, .ann, .zip "
        "or a folder)"
    )


def sources(
    path: Path, tool: str, reviewer: str | None
) -> Iterator[tuple[str, Iterable[Document]]]:
    """(file name, its documents) for each file `path` holds, in `tool`'s format."""
    if tool == "labelstudio":
        yield path.name, labelstudio.read(path.read_bytes(), path.name)
    elif tool == "doccano":
        if path.is_dir() or path.name.lower().endswith(".zip"):
            for name, data in _members(path).items():
                if name.endswith(".jsonl"):
                    who = reviewer or Path(name).stem
                    yield name, doccano.read(decode(data, name).splitlines(), name, who)
        else:
            who = reviewer or path.stem
            yield (
                path.name,
                doccano.read(decode(path.read_bytes(), path.name).splitlines(), path.name, who),
            )
    elif tool == "brat":
        if path.is_dir() or path.name.lower().endswith(".zip"):
            files = _members(path)
        else:  # one .ann or .txt, with the files of its document beside it
            stem = path.name[:-4]
            base = stem.rpartition("_")[0] if path.name.endswith(".ann") else stem
            files = {
                p.name: p.read_bytes()
                for p in path.parent.iterdir()
                if p.is_file()
                and p.name in (path.name, f"{stem}.txt", f"{base}.txt", f"{stem}.ann")
                or (
                    path.name.endswith(".txt")
                    and p.name.startswith(f"{stem}_")
                    and p.suffix == ".ann"
                )
            }
        metadata = next(
            (brat.read_metadata(d) for n, d in files.items() if n.endswith("metadata.tsv")), {}
        )
        pairs, refused = brat.pair_files(files, reviewer)
        yield path.name, _with_refusals(brat.iter_pairs(pairs, metadata), refused)
    elif tool == "webanno":
        # INCEpTION's layout: annotation/<document>/<user>.tsv; else one file a document.
        if path.is_dir() or path.name.lower().endswith(".zip"):
            members = {n: d for n, d in _members(path).items() if n.endswith(".tsv")}
        else:
            members = {path.name: path.read_bytes()}
        for name, data in members.items():
            if _not_an_annotators(name):
                # The curator's merge and the document's state before anyone annotated it
                # are no annotator's own work: counted, not made anyone's claims.
                yield name, iter([Document(key="", text="", skipped={"curation files": 1})])
                continue
            who = reviewer or Path(name).stem
            yield name, webanno.read(data, name, who)
    else:
        raise UnreadableFile(f"unknown format {tool!r}")


def _not_an_annotators(name: str) -> bool:
    """INCEpTION's project export holds, beside annotation/<document>/<user>.tsv, the
    curation (curation/<document>/CURATION_USER.tsv) and sometimes INITIAL_CAS."""
    path = Path(name)
    return path.stem in ("CURATION_USER", "INITIAL_CAS") or "curation" in path.parts[:-1]


def _with_refusals(documents: Iterable[Document], refused: list[Refusal]) -> Iterator[Document]:
    """The documents, then (when files could not be paired) an empty one carrying why."""
    yield from documents
    if refused:
        yield Document(key="", text="", refused=refused)
