"""Importing articles from files: .txt/.md (cleaned, archive pages split), .html (main text
extracted, HTML kept sanitized), .jsonl (one article record a line), and folders of them.

A duplicate is skipped and counted; a bad file is reported with its reason; neither stops
the batch.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select

from app.extensions import db
from app.formats import jsonl_format
from app.models import Event, Outlet
from app.services.articles import (
    allowed_stances,
    create_article,
    find_duplicate,
    get_or_create_outlet,
)
from app.services.errors import DomainError, DuplicateArticle, InvalidInput
from app.text.clean import parse_date, split_posts
from app.text.html import html_metadata, html_to_text, sanitize_html
from app.text.normalize import content_hash, normalize_text

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


def candidates_from_text(raw: str, name: str) -> list[dict]:
    """Article fields from scraped plain text: cleaned, split if it is an archive page."""
    posts = split_posts(raw)
    out = []
    for post in posts:
        title, body = (post.title, post.text) if post.title else _split_title(post.text)
        out.append({"title": title or name, "text": body, "published": post.published})
    if not any(c["text"].strip() for c in out):
        raise BadFile("no text left after cleaning")
    return out


def candidates_from_html(raw: str, name: str) -> list[dict]:
    text = html_to_text(raw)
    if not text.strip():
        raise BadFile("no main text found in the HTML")
    meta = html_metadata(raw)
    published = date.fromisoformat(meta["date"]) if meta["date"] else None
    title, body = meta["title"], text
    if title and body.startswith(title):
        body = body[len(title) :]
    return [
        {
            "title": title or name,
            "text": body,
            "author": meta["author"],
            "published": published,
            "source_html": sanitize_html(raw),
        }
    ]


def _events(refs: object) -> list[Event]:
    """Events by id or title; a title not yet known creates the event."""
    if refs in (None, ""):
        return []
    if not isinstance(refs, list):
        refs = [refs]
    events = []
    for ref in refs:
        if isinstance(ref, int) and not isinstance(ref, bool):
            event = db.session.get(Event, ref)
            if event is None:
                raise InvalidInput(f"No event {ref}.")
        elif isinstance(ref, str) and ref.strip():
            event = resolve_event(ref)
        else:
            raise InvalidInput(f"events must be ids or titles, got {ref!r}.")
        events.append(event)
    return events


def resolve_event(ref: str) -> Event:
    """An event by id ("3") or title; an unknown title creates it."""
    if ref.isdigit() and (event := db.session.get(Event, int(ref))) is not None:
        return event
    event = db.session.scalar(select(Event).where(Event.title == ref.strip()))
    if event is None:
        event = Event(title=ref.strip())
        db.session.add(event)
        db.session.flush()
    return event


def _outlet(ref: object, lean: object = None) -> Outlet:
    if isinstance(ref, int) and not isinstance(ref, bool):
        outlet = db.session.get(Outlet, ref)
        if outlet is None:
            raise InvalidInput(f"No outlet {ref}.")
        return outlet
    if not isinstance(ref, str) or not ref.strip():
        raise InvalidInput('No outlet: give one with --outlet or an "outlet" field.')
    return get_or_create_outlet(ref, lean=lean if isinstance(lean, str) else None)


def _published(value: object) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    parsed = parse_date(str(value)[:10]) if isinstance(value, str) else None
    if parsed is None:
        raise InvalidInput(f"published must be a date (YYYY-MM-DD), got {value!r}.")
    return parsed


def store_article(fields: dict, defaults: Defaults, source: str, report: ImportReport) -> None:
    """Create one article from `fields`, recording the outcome; never raises.

    Everything is checked before anything is created, so a refused record leaves no outlet
    or event behind (SAVEPOINTs are not an option: pysqlite mishandles them).
    """
    try:
        text, source_html = fields.get("text"), fields.get("source_html")
        if not text and fields.get("html"):
            text, source_html = html_to_text(fields["html"]), sanitize_html(fields["html"])
        normalized = normalize_text(text or "") if isinstance(text, str) else ""
        if not normalized:
            raise InvalidInput('no text (give "text" or "html").')
        title = fields.get("title")
        if not isinstance(title, str) or not title.strip():
            raise InvalidInput("no title.")
        stance = fields.get("stance") or defaults.stance
        if stance not in allowed_stances():
            raise InvalidInput(
                f"unknown stance {stance!r}; expected one of {', '.join(allowed_stances())}."
            )
        published = _published(fields.get("published"))
        outlet_ref = fields.get("outlet") or defaults.outlet
        existing = _existing_outlet(outlet_ref)
        if existing is not None and (dup := find_duplicate(existing, content_hash(normalized))):
            raise DuplicateArticle(dup, existing.name)
        event_refs = fields.get("events")
        _check_event_refs(event_refs)
        outlet = existing or _outlet(outlet_ref, fields.get("outlet_lean"))
        events = _events(event_refs) if event_refs is not None else defaults.events
        article = create_article(
            outlet=outlet,
            title=title,
            text=normalized,
            stance=stance,
            author=fields.get("author") if isinstance(fields.get("author"), str) else None,
            url=fields.get("url") if isinstance(fields.get("url"), str) else None,
            published=published,
            events=events,
            source_html=source_html,
            commit=False,
        )
    except DuplicateArticle as exc:
        report.duplicates.append((source, exc.existing_id))
    except DomainError as exc:
        report.failed.append((source, exc.message))
    else:
        report.imported.append((source, article.id))


def _existing_outlet(ref: object) -> Outlet | None:
    if isinstance(ref, int) and not isinstance(ref, bool):
        outlet = db.session.get(Outlet, ref)
        if outlet is None:
            raise InvalidInput(f"No outlet {ref}.")
        return outlet
    if not isinstance(ref, str) or not ref.strip():
        raise InvalidInput('No outlet: give one with --outlet or an "outlet" field.')
    return db.session.scalar(select(Outlet).where(Outlet.name == ref.strip()))


def _check_event_refs(refs: object) -> None:
    if refs in (None, ""):
        return
    for ref in refs if isinstance(refs, list) else [refs]:
        if isinstance(ref, int) and not isinstance(ref, bool):
            if db.session.get(Event, ref) is None:
                raise InvalidInput(f"No event {ref}.")
        elif not isinstance(ref, str) or not ref.strip():
            raise InvalidInput(f"events must be ids or titles, got {ref!r}.")


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
    for i, fields in enumerate(candidates):
        label = str(path) if len(candidates) == 1 else f"{path} (post {i + 1})"
        store_article(fields, defaults, label, report)
    advance(len(data))


def _import_jsonl(
    raw: str, source: str, defaults: Defaults, report: ImportReport, advance: Callable[[int], None]
) -> None:
    lines = raw.splitlines()
    for number, line in enumerate(lines, start=1):
        advance(len(line.encode("utf-8")) + 1)
        if not line.strip():
            continue
        try:
            ((_, record),) = jsonl_format.read([line])
        except ValueError as exc:
            report.failed.append((f"{source}:{number}", str(exc).replace("line 1: ", "")))
            continue
        store_article(record, defaults, f"{source}:{number}", report)
        if number % COMMIT_EVERY == 0:
            db.session.commit()


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
