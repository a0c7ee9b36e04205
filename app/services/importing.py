"""Importing articles from files: .txt/.md (cleaned, archive pages split), .html (main text
extracted, HTML kept sanitized), .jsonl (one article record a line), and folders of them.

A duplicate is skipped and counted; a bad file is reported with its reason; neither stops
the batch.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import insert, or_, select

from app.extensions import db
from app.formats import jsonl_format
from app.models import Article, Event, Outlet, article_events, limits
from app.models._time import utcnow
from app.services.article_fields import ArticleFields, check_article, check_string
from app.services.errors import DomainError, InvalidInput
from app.text.clean import split_posts
from app.text.dates import parse_date
from app.text.html import html_metadata, html_to_text, sanitize_html

MAX_FILE_BYTES = 10 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".text"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUPPORTED = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
COMMIT_EVERY = 200


@dataclass
class ImportReport:
    imported: list[tuple[str, int]] = field(default_factory=list)  # (source, article id)
    duplicates: list[tuple[str, int]] = field(default_factory=list)  # (source, existing id)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (source, reason)

    def summary(self) -> str:
        return (
            f"{len(self.imported)} imported, {len(self.duplicates)} duplicate, "
            f"{len(self.failed)} failed"
        )


@dataclass
class Defaults:
    """What the command line or the form says for files that don't say it themselves."""

    outlet: str | None = None
    events: list[Event] = field(default_factory=list)
    stance: str = "unknown"


class BadFile(Exception):
    """A file that cannot be imported at all; the message is the reason."""


def collect_files(paths: Iterable[Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """The files to import (folders walked, in name order) and the paths refused outright."""
    files: list[Path] = []
    refused: list[tuple[str, str]] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if any(part.startswith(".") for part in child.relative_to(path).parts):
                    continue
                files.append(child)
        elif path.is_file():
            files.append(path)
        else:
            refused.append((str(path), "no such file or folder"))
    return files, refused


def read_text(data: bytes, name: str) -> str:
    """The bytes as UTF-8 text, or BadFile saying why not."""
    if len(data) > MAX_FILE_BYTES:
        raise BadFile(f"too large ({len(data) / 1e6:.1f} MB; the limit is 10 MB)")
    if b"\x00" in data[:8192]:
        raise BadFile("binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadFile(f"not UTF-8 text (byte {exc.start})") from None


_MD_HEADING = re.compile(r"^#{1,6}\s+", re.MULTILINE)
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")


def markdown_to_text(text: str) -> str:
    """Markdown markup off, words kept: headings, links, images, bold."""
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_EMPHASIS.sub(r"\2", text)
    return _MD_HEADING.sub("", text)


def _split_title(text: str) -> tuple[str | None, str]:
    """A leading one-line headline (short, no final full stop) and the rest."""
    first, sep, rest = text.strip().partition("\n\n")
    if sep and "\n" not in first and len(first.split()) <= 20 and not first.endswith("."):
        return first.strip(), rest
    return None, text


def derived_title(title: str | None) -> str | None:
    """A title taken from a page or a file name, cut at a word to fit the title column: unlike
    a title someone typed, which is refused when too long, nobody chose this one."""
    if title is None or len(title) <= limits.ARTICLE_TITLE:
        return title
    return title[: limits.ARTICLE_TITLE - 1].rsplit(" ", 1)[0] + "…"


def candidates_from_text(raw: str, name: str) -> list[dict]:
    """Article fields from scraped plain text: cleaned, split if it is an archive page."""
    posts = split_posts(raw)
    out = []
    for post in posts:
        title, body = (post.title, post.text) if post.title else _split_title(post.text)
        title = derived_title(title or name)
        out.append({"title": title, "text": body, "published": post.published})
    if not any(c["text"].strip() for c in out):
        raise BadFile("no text left after cleaning")
    return out


def candidates_from_html(raw: str, name: str) -> list[dict]:
    text = html_to_text(raw)
    if not text.strip():
        raise BadFile("no main text found in the HTML")
    meta = html_metadata(raw)
    published = parse_date(meta["date"]) if meta["date"] else None
    title, body = derived_title(meta["title"]), text
    if title and body.startswith(title):
        body = body[len(title) :]
    return [
        {
            "title": title or derived_title(name),
            "text": body,
            "author": meta["author"],
            "published": published,
            "source_html": sanitize_html(raw),
        }
    ]


def resolve_event(ref: str) -> Event:
    """An event by id ("3") or title; an unknown title creates it."""
    if ref.isdigit() and (event := db.session.get(Event, int(ref))) is not None:
        return event
    title = check_string("event title", ref, limits.EVENT_TITLE, required=True)
    event = db.session.scalar(select(Event).where(Event.title == title))
    if event is None:
        event = Event(title=title)
        db.session.add(event)
        db.session.flush()
    return event


@dataclass
class _Candidate:
    """One record, checked, and where it came from."""

    source: str
    fields: ArticleFields

    @property
    def outlet(self) -> int | str:
        return self.fields.outlet  # type: ignore[return-value]

    @property
    def events(self) -> list[int | str]:
        return self.fields.events


def _check(fields: dict, defaults: Defaults, source: str) -> _Candidate:
    """Everything about one record that needs no database; InvalidInput says what is wrong."""
    return _Candidate(
        source,
        check_article(
            fields,
            outlet=defaults.outlet,
            events=[e.id for e in defaults.events],
            stance=defaults.stance,
        ),
    )


class _Lookup:
    """Outlets, events and duplicates for a batch, read with one IN query each."""

    def __init__(self, candidates: list[_Candidate]) -> None:
        names = {c.outlet for c in candidates if isinstance(c.outlet, str)}
        ids = {c.outlet for c in candidates if isinstance(c.outlet, int)}
        self.outlets: dict[int | str, int] = {}
        for outlet_id, name in db.session.execute(
            select(Outlet.id, Outlet.name).where(or_(Outlet.name.in_(names), Outlet.id.in_(ids)))
        ):
            self.outlets[name] = self.outlets[outlet_id] = outlet_id
        titles = {e for c in candidates for e in c.events if isinstance(e, str)}
        event_ids = {e for c in candidates for e in c.events if isinstance(e, int)}
        self.events: dict[int | str, int] = {}
        for event_id, title in db.session.execute(
            select(Event.id, Event.title).where(
                or_(Event.title.in_(titles), Event.id.in_(event_ids))
            )
        ):
            self.events[event_id] = event_id
            self.events.setdefault(title, event_id)
        hashes = {c.fields.content_hash for c in candidates}
        self.articles: dict[tuple[int, str], int] = {
            (outlet_id, text_hash): article_id
            for article_id, outlet_id, text_hash in db.session.execute(
                select(Article.id, Article.outlet_id, Article.content_hash).where(
                    Article.content_hash.in_(hashes)
                )
            )
        }

    def refuse_unknown_ids(self, candidate: _Candidate) -> None:
        if isinstance(candidate.outlet, int) and candidate.outlet not in self.outlets:
            raise InvalidInput(f"No outlet {candidate.outlet}.")
        for ref in candidate.events:
            if isinstance(ref, int) and ref not in self.events:
                raise InvalidInput(f"No event {ref}.")

    def outlet_id(self, candidate: _Candidate) -> int:
        """The outlet's id, creating an outlet not yet known."""
        if candidate.outlet not in self.outlets:
            outlet = Outlet(name=candidate.outlet, lean=candidate.fields.outlet_lean)
            db.session.add(outlet)
            db.session.flush()
            self.outlets[candidate.outlet] = outlet.id
        return self.outlets[candidate.outlet]

    def event_ids(self, candidate: _Candidate) -> list[int]:
        """The events' ids, creating events for titles not yet known."""
        out: list[int] = []
        for ref in candidate.events:
            if ref not in self.events:
                event = Event(title=ref)
                db.session.add(event)
                db.session.flush()
                self.events[ref] = event.id
            if self.events[ref] not in out:
                out.append(self.events[ref])
        return out


def store_articles(items: list[tuple[str, dict]], defaults: Defaults, report: ImportReport) -> None:
    """Create an article from each (source, fields), recording each outcome; never raises.

    Everything is checked before anything is created, so a refused record leaves no outlet
    or event behind. Lookups and inserts go a batch at a time: at thousands of articles a
    second, a query per article would be most of the cost.
    """
    checked: list[_Candidate] = []
    for source, fields in items:
        try:
            checked.append(_check(fields, defaults, source))
        except DomainError as exc:
            report.failed.append((source, exc.message))
    if not checked:
        return
    lookup = _Lookup(checked)
    accepted: list[tuple[_Candidate, int, list[int]]] = []
    duplicates: list[tuple[str, int]] = []
    for candidate in checked:
        try:
            lookup.refuse_unknown_ids(candidate)
        except DomainError as exc:
            report.failed.append((candidate.source, exc.message))
            continue
        outlet_id = lookup.outlet_id(candidate)
        key = (outlet_id, candidate.fields.content_hash)
        if key in lookup.articles:
            duplicates.append((candidate.source, lookup.articles[key]))
            continue
        lookup.articles[key] = -1 - len(accepted)  # stands for the id the insert will give
        accepted.append((candidate, outlet_id, lookup.event_ids(candidate)))
    ids: list[int] = []
    if accepted:
        now = utcnow()
        ids = list(
            db.session.scalars(
                insert(Article).returning(Article.id, sort_by_parameter_order=True),
                [
                    c.fields.row() | {"outlet_id": outlet_id, "created_at": now}
                    for c, outlet_id, _ in accepted
                ],
            )
        )
        links = [
            {"article_id": article_id, "event_id": event_id}
            for article_id, (_, _, event_ids) in zip(ids, accepted, strict=True)
            for event_id in event_ids
        ]
        if links:
            db.session.execute(insert(article_events), links)
    report.imported += [(c.source, i) for i, (c, _, _) in zip(ids, accepted, strict=True)]
    report.duplicates += [(s, ids[-1 - e] if e < 0 else e) for s, e in duplicates]


def store_article(fields: dict, defaults: Defaults, source: str, report: ImportReport) -> None:
    """One article: see store_articles."""
    store_articles([(source, fields)], defaults, report)


def import_file(
    path: Path,
    defaults: Defaults,
    report: ImportReport,
    advance: Callable[[int], None] = lambda n: None,
    data: bytes | None = None,
) -> None:
    """Import one file into the session (the caller commits); report what happened."""
    name = path.name
    suffix = path.suffix.lower()
    try:
        if suffix not in SUPPORTED:
            raise BadFile(
                f"unsupported file type {suffix or '(none)'}; expected .txt, .md, .html or .jsonl"
            )
        if data is None:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise BadFile(f"too large ({path.stat().st_size / 1e6:.1f} MB; the limit is 10 MB)")
            data = path.read_bytes()
        raw = read_text(data, name)
        if suffix in JSONL_SUFFIXES:
            _import_jsonl(raw, str(path), defaults, report, advance)
            return
        stem = path.stem.replace("_", " ").replace("-", " ").strip() or name
        if suffix in HTML_SUFFIXES:
            candidates = candidates_from_html(raw, stem)
        elif suffix in MARKDOWN_SUFFIXES:
            candidates = candidates_from_text(markdown_to_text(raw), stem)
        else:
            candidates = candidates_from_text(raw, stem)
    except BadFile as exc:
        report.failed.append((str(path), str(exc)))
        advance(len(data) if data else 1)
        return
    labels = (
        [str(path)]
        if len(candidates) == 1
        else [f"{path} (post {i + 1})" for i in range(len(candidates))]
    )
    store_articles(list(zip(labels, candidates, strict=True)), defaults, report)
    advance(len(data))


def _import_jsonl(
    raw: str, source: str, defaults: Defaults, report: ImportReport, advance: Callable[[int], None]
) -> None:
    batch: list[tuple[str, dict]] = []
    for number, line in enumerate(raw.splitlines(), start=1):
        advance(len(line.encode("utf-8")) + 1)
        if not line.strip():
            continue
        try:
            ((_, record),) = jsonl_format.read([line])
        except ValueError as exc:
            report.failed.append((f"{source}:{number}", str(exc).replace("line 1: ", "")))
            continue
        batch.append((f"{source}:{number}", record))
        if len(batch) == COMMIT_EVERY:
            store_articles(batch, defaults, report)
            db.session.commit()
            batch = []
    store_articles(batch, defaults, report)


def import_paths(
    paths: Iterable[Path], defaults: Defaults, advance: Callable[[int], None] = lambda n: None
) -> ImportReport:
    """Import every file under `paths`, committing as it goes."""
    files, refused = collect_files(paths)
    report = ImportReport(failed=list(refused))
    for i, path in enumerate(files, start=1):
        import_file(path, defaults, report, advance)
        if i % COMMIT_EVERY == 0:
            db.session.commit()
    db.session.commit()
    return report


def total_bytes(paths: Iterable[Path]) -> int:
    files, _ = collect_files(paths)
    return sum(p.stat().st_size for p in files) or 1
