"""Importing articles from files: .txt/.md (cleaned, archive pages split), .html (main text
extracted, HTML kept sanitized), .jsonl (one article record a line), and folders of them.

Every record is stored, or reported with its source (file, or file:line) and the reason;
nothing stops the rest. A duplicate is skipped and counted. Each batch of records is its own
transaction, committed here (the documented exception to "the caller commits"): when one
fails for a reason the checks did not foresee (the database refusing a value, say), it is
rolled back and replayed record by record, so only the bad record is lost and it is named.
"""

from __future__ import annotations

import codecs
import logging
import multiprocessing
import os
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, insert, or_, select
from sqlalchemy.exc import DBAPIError

from app.extensions import db
from app.formats import jsonl_format
from app.models import Article, Event, Outlet, OutletAlias, User, article_events, limits
from app.models._time import utcnow
from app.models.limits import parse_id
from app.services import search
from app.services.accounts import reviewer_named
from app.services.article_fields import (
    ArticleFields,
    check_article,
    check_string,
    derived_title,
)
from app.services.errors import DomainError, InvalidInput
from app.services.preannotated import attach_claims
from app.services.revisions import revise
from app.text.clean import split_posts
from app.text.dates import parse_date
from app.text.html import html_metadata, html_to_text
from app.text.html import parse as parse_html
from app.text.normalize import normalize_text

MAX_FILE_BYTES = 10 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".text"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUPPORTED = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
COMMIT_EVERY = 200

log = logging.getLogger(__name__)


@dataclass
class ImportReport:
    imported: list[tuple[str, int]] = field(default_factory=list)  # (source, article id)
    duplicates: list[tuple[str, int]] = field(default_factory=list)  # (source, existing id)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (source, reason)
    claims_created: int = 0
    claims_refused: list[tuple[str, str]] = field(default_factory=list)  # (source#i, reason)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (source, what was assumed)
    # A page whose URL is stored with other text: made a new revision (--update), or not.
    updated: list[tuple[str, int, dict]] = field(default_factory=list)  # (source, id, moves)
    changed: list[tuple[str, int]] = field(default_factory=list)  # (source, article id)

    def summary(self) -> str:
        text = f"{len(self.imported)} imported"
        if self.updated:
            text += f", {len(self.updated)} updated"
        if self.changed:
            text += f", {len(self.changed)} changed (not updated)"
        text += f", {len(self.duplicates)} duplicate, {len(self.failed)} failed"
        if self.claims_created or self.claims_refused:
            text += f"; {self.claims_created} claims stored, {len(self.claims_refused)} refused"
        return text

    def add(self, other: ImportReport) -> None:
        self.imported += other.imported
        self.duplicates += other.duplicates
        self.failed += other.failed
        self.claims_created += other.claims_created
        self.claims_refused += other.claims_refused
        self.notes += other.notes
        self.updated += other.updated
        self.changed += other.changed


def failure_reason(exc: BaseException) -> str:
    """What to tell the user about a refused record: the domain's message, the reader's (a
    line that is not JSON), the database's first line (never its SQL or parameters), or the
    error's type and text."""
    if isinstance(exc, DomainError):
        return exc.message
    if isinstance(exc, ValueError):  # jsonl_format.read on one line: "line 1: ..."
        return str(exc).removeprefix("line 1: ")
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        first = (str(exc.orig).strip().splitlines() or [""])[0]
        return f"the database refused it: {first}"
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return f"{type(exc).__name__}: {exc}"


@dataclass
class Defaults:
    """What the command line or the form says for files that don't say it themselves."""

    outlet: str | None = None
    events: list[Event] = field(default_factory=list)
    stance: str = "unknown"
    encoding: str | None = None  # of files without a byte order mark or a declared charset
    # What a person typed for one uploaded page (title, url, author, published): it wins over
    # what was extracted. Not applied to archive pages split into posts, nor to JSONL.
    overrides: dict = field(default_factory=dict)
    # Who labels a record's claims that name no reviewer (the uploader, on the page), and
    # whether claims may name other reviewers: None is the command line, which may.
    user: User | None = None
    claims_reviewer: str = "import"
    # A record whose URL is stored with other text becomes that article's new revision
    # (its claims re-anchored) instead of being reported as changed.
    update: bool = False


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


BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_DECLARED_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)"""
    rb"""|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:-]+)""",
    re.IGNORECASE,
)
# As browsers do (WHATWG Encoding): a page that says Latin-1 or ASCII is read as windows-1252.
_BROWSER_ALIASES = {"iso8859-1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252"}


def declared_charset(data: bytes) -> str | None:
    """The codec a page declares in a meta tag or an XML declaration (in its first 4 kB)."""
    match = _DECLARED_CHARSET.search(data[:4096])
    if match is None:
        return None
    label = (match.group(1) or match.group(2)).decode("ascii")
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return _BROWSER_ALIASES.get(name, name)


def read_text(data: bytes, name: str, *, html: bool = False, encoding: str | None = None) -> str:
    """The bytes as text, or BadFile saying why not.

    A byte order mark decides first; then `encoding` (`flask import --encoding`); then, for
    HTML, the charset the page declares; otherwise UTF-8. An HTML page that declares nothing
    and is not UTF-8 is read as windows-1252, the default browsers use (WHATWG Encoding); one
    that declares UTF-8 and holds a stray invalid byte gets U+FFFD for it, as in a browser.
    A text file that is not UTF-8 asks for --encoding: a guess would garble it silently.
    """
    if len(data) > MAX_FILE_BYTES:
        raise BadFile(f"too large ({len(data) / 1e6:.1f} MB; the limit is 10 MB)")
    codec = next((c for bom, c in BOMS if data.startswith(bom)), None)
    if codec is None and b"\x00" in data[:8192]:
        raise BadFile("binary file, not text")
    declared = declared_charset(data) if html else None
    codec = codec or encoding or declared or "utf-8"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        if codec == "utf-8" and html and not declared:
            return _windows_1252(data)
        if codec == "utf-8" and html:
            # Declared UTF-8 with a stray byte (a Latin-1 comment in a script, say): a
            # browser shows U+FFFD for it and the page reads fine, so this does too.
            return data.decode("utf-8", errors="replace").removeprefix("\ufeff")
        if codec == "utf-8":
            raise BadFile(
                f"not UTF-8 text (byte {exc.start}); give its encoding with --encoding"
            ) from None
        raise BadFile(f"not {codec} text (byte {exc.start})") from None
    return text.removeprefix("\ufeff")


def _windows_1252(data: bytes) -> str:
    """The bytes as windows-1252, as the WHATWG Encoding standard decodes it: the five bytes
    Python's codec leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) become C1 controls."""
    return data.decode("cp1252", errors="_whatwg_c1")


def _c1_controls(error: UnicodeDecodeError) -> tuple[str, int]:
    return "".join(chr(b) for b in error.object[error.start : error.end]), error.end


codecs.register_error("_whatwg_c1", _c1_controls)

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
        title = derived_title(title or name)
        out.append({"title": title, "text": normalize_text(body), "published": post.published})
    if not any(c["text"].strip() for c in out):
        raise BadFile("no text left after cleaning")
    return out


def candidates_from_html(raw: str, name: str) -> list[dict]:
    tree = parse_html(raw)
    text = html_to_text(raw, tree)
    if not text.strip():
        raise BadFile("no main text found in the HTML")
    meta = html_metadata(tree if tree is not None else raw)
    published = parse_date(meta["date"]) if meta["date"] else None
    url = meta["url"] if meta["url"] and len(meta["url"]) <= limits.URL else None
    title, body = derived_title(meta["title"]), text
    if title and body.startswith(title):
        body = body[len(title) :]
    return [
        {
            "title": title or derived_title(name),
            "text": normalize_text(body),
            "author": meta["author"] if len(meta["author"] or "") <= limits.AUTHOR else None,
            "url": url,
            "published": published,
        }
    ]


def resolve_event(ref: str) -> Event:
    """An event by id ("3") or title; an unknown title creates it."""
    if (event_id := parse_id(ref)) is not None and (event := db.session.get(Event, event_id)):
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
            derive_title=True,
        ),
    )


class _Lookup:
    """Outlets, events and duplicates for a batch, read with one IN query each."""

    def __init__(self, candidates: list[_Candidate]) -> None:
        names = {c.outlet for c in candidates if isinstance(c.outlet, str)}
        ids = {c.outlet for c in candidates if isinstance(c.outlet, int)}
        self.outlets: dict[int | str, int] = {}
        # Names match in any case (outlet_named's rule), the exact spelling first.
        for outlet_id, name in db.session.execute(
            select(Outlet.id, Outlet.name)
            .where(
                or_(
                    func.lower(Outlet.name).in_([func.lower(n) for n in names]),
                    Outlet.id.in_(ids),
                )
            )
            .order_by(Outlet.id)
        ):
            self.outlets[outlet_id] = outlet_id
            self.outlets.setdefault(name.lower(), outlet_id)
            self.outlets[name] = outlet_id
        # A name no outlet has may be an outlet's alias.
        unknown = {n for n in names if n.lower() not in self.outlets}
        if unknown:
            for outlet_id, alias in db.session.execute(
                select(OutletAlias.outlet_id, OutletAlias.alias).where(
                    func.lower(OutletAlias.alias).in_([func.lower(n) for n in unknown])
                )
            ):
                self.outlets.setdefault(alias.lower(), outlet_id)
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
        # Stored articles at the records' URLs (the newest, if several): a page imported
        # again with other text is a new revision of it, not a new article.
        urls = {c.fields.url for c in candidates if c.fields.url}
        self.by_url: dict[str, tuple[int, str]] = {}
        if urls:
            for article_id, url, text_hash in db.session.execute(
                select(Article.id, Article.url, Article.content_hash)
                .where(Article.url.in_(urls))
                .order_by(Article.id)
            ):
                self.by_url[url] = (article_id, text_hash)
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
        key = candidate.outlet
        if isinstance(key, str) and key not in self.outlets and key.lower() in self.outlets:
            return self.outlets[key.lower()]
        if candidate.outlet not in self.outlets:
            outlet = Outlet(name=candidate.outlet, lean=candidate.fields.outlet_lean)
            db.session.add(outlet)
            db.session.flush()
            self.outlets[candidate.outlet] = outlet.id
            self.outlets.setdefault(candidate.outlet.lower(), outlet.id)
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
    """Create an article from each (source, fields) and commit, recording each outcome; never
    raises for a bad record. A batch that fails as a whole is replayed one record at a time.
    """
    db.session.commit()  # what the caller set up (events named on the command line) stays
    outcome = ImportReport()
    try:
        _store_batch(items, defaults, outcome)
        db.session.commit()
    except Exception as exc:
        db.session.rollback()
        if len(items) == 1:
            if not isinstance(exc, DomainError):
                log.warning("import: %s refused: %s", items[0][0], failure_reason(exc))
            report.failed.append((items[0][0], failure_reason(exc)))
            return
        for item in items:
            store_articles([item], defaults, report)
        return
    report.add(outcome)


def _store_batch(items: list[tuple[str, dict]], defaults: Defaults, report: ImportReport) -> None:
    """Everything is checked before anything is created, so a refused record leaves no outlet
    or event behind. Lookups and inserts go a batch at a time: at thousands of articles a
    second, a query per article would be most of the cost."""
    checked: list[_Candidate] = []
    for source, fields in items:
        try:
            checked.append(_check(fields, defaults, source))
        except Exception as exc:  # noqa: BLE001 - any failure refuses just this record
            report.failed.append((source, failure_reason(exc)))
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
        if candidate.fields.url in lookup.by_url:
            article_id, text_hash = lookup.by_url[candidate.fields.url]
            if text_hash == candidate.fields.content_hash:
                duplicates.append((candidate.source, article_id))
            elif not defaults.update:
                report.changed.append((candidate.source, article_id))
            else:
                _update(article_id, candidate, defaults, report)
                lookup.by_url[candidate.fields.url] = (article_id, candidate.fields.content_hash)
            continue
        outlet_id = lookup.outlet_id(candidate)
        key = (outlet_id, candidate.fields.content_hash)
        if key in lookup.articles:
            duplicates.append((candidate.source, lookup.articles[key]))
            continue
        lookup.articles[key] = -1 - len(accepted)  # stands for the id the insert will give
        accepted.append((candidate, outlet_id, lookup.event_ids(candidate)))
        report.notes += [(candidate.source, note) for note in candidate.fields.notes]
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
        search.index_articles(
            (
                (article_id, c.fields.title, c.fields.text)
                for article_id, (c, _, _) in zip(ids, accepted, strict=True)
            ),
            new=True,
        )
    report.imported += [(c.source, i) for i, (c, _, _) in zip(ids, accepted, strict=True)]
    for article_id, (candidate, _, _) in zip(ids, accepted, strict=True):
        if candidate.fields.claims is not None:
            _attach(article_id, candidate, defaults, report)
    report.duplicates += [(s, ids[-1 - e] if e < 0 else e) for s, e in duplicates]


def _update(article_id: int, candidate: _Candidate, defaults: Defaults, report: ImportReport):
    """The record's text as a new revision of the article at its URL, claims re-anchored."""
    article = db.session.get(Article, article_id)
    try:
        revised = revise(
            article, candidate.fields.text, user=defaults.user, note=f"import {candidate.source}"
        )
    except DomainError as exc:
        report.failed.append((candidate.source, exc.message))
        return
    report.updated.append((candidate.source, article_id, revised.summary()))
    if candidate.fields.claims:
        report.notes.append(
            (candidate.source, "the record's own claims are not added to an updated article")
        )


def _attach(article_id: int, candidate: _Candidate, defaults: Defaults, report: ImportReport):
    """The record's own claims, each stored or refused with its index and reason."""
    attached = attach_claims(
        db.session.get(Article, article_id),
        candidate.fields.submitted or "",
        candidate.fields.claims,
        default_reviewer=defaults.user or reviewer_named(defaults.claims_reviewer),
        may_name_others=defaults.user is None or defaults.user.is_admin,
    )
    report.claims_created += len(attached.created)
    report.claims_refused += [
        (f"{candidate.source} claim {r['index']}", r["reason"]) for r in attached.refused
    ]


def store_article(fields: dict, defaults: Defaults, source: str, report: ImportReport) -> None:
    """One article: see store_articles."""
    store_articles([(source, fields)], defaults, report)


@dataclass
class _Read:
    """A file read and parsed, before anything is stored: its records (articles), or the
    raw JSONL, or why it cannot be imported. Built without the database, so that HTML pages
    can be extracted in worker processes while the main one stores."""

    path: Path
    size: int
    candidates: list[dict] | None = None
    jsonl: str | None = None
    # A JSONL file on disk is read a line at a time, whatever its size: it is many records,
    # each checked against the limits its columns have (a corpus runs to gigabytes).
    jsonl_codec: str | None = None
    failure: str | None = None


def read_file(path: Path, encoding: str | None = None, data: bytes | None = None) -> _Read:
    """Read one file into its records; never touches the database."""
    name = path.name
    suffix = path.suffix.lower()
    size = len(data) if data is not None else 0
    try:
        if suffix not in SUPPORTED:
            raise BadFile(
                f"unsupported file type {suffix or '(none)'}; expected .txt, .md, .html or .jsonl"
            )
        if data is None and suffix in JSONL_SUFFIXES:
            size = path.stat().st_size
            with path.open("rb") as fh:
                head = fh.read(8192)
            codec = next((c for bom, c in BOMS if head.startswith(bom)), None)
            if codec is None and b"\x00" in head:
                raise BadFile("binary file, not text")
            return _Read(path, size, jsonl_codec=codec or encoding or "utf-8-sig")
        if data is None:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                raise BadFile(f"too large ({size / 1e6:.1f} MB; the limit is 10 MB)")
            data = path.read_bytes()
        raw = read_text(data, name, html=suffix in HTML_SUFFIXES, encoding=encoding)
        if suffix in JSONL_SUFFIXES:
            return _Read(path, size, jsonl=raw)
        stem = path.stem.replace("_", " ").replace("-", " ").strip() or name
        if suffix in HTML_SUFFIXES:
            candidates = candidates_from_html(raw, stem)
        elif suffix in MARKDOWN_SUFFIXES:
            candidates = candidates_from_text(markdown_to_text(raw), stem)
        else:
            candidates = candidates_from_text(raw, stem)
    except BadFile as exc:
        return _Read(path, size or 1, failure=str(exc))
    return _Read(path, size, candidates=candidates)


def import_file(
    path: Path,
    defaults: Defaults,
    report: ImportReport,
    advance: Callable[[int], None] = lambda n: None,
    data: bytes | None = None,
) -> None:
    """Import one file into the session (the caller commits); report what happened."""
    _store_read(read_file(path, defaults.encoding, data), defaults, report, advance)


def _store_read(
    read: _Read, defaults: Defaults, report: ImportReport, advance: Callable[[int], None]
) -> None:
    path = read.path
    if read.failure is not None:
        report.failed.append((str(path), read.failure))
        advance(read.size)
        return
    if read.jsonl is not None:
        _import_jsonl(read.jsonl.splitlines(), str(path), defaults, report, advance)
        return
    if read.jsonl_codec is not None:
        lines = _jsonl_lines(path, read.jsonl_codec)
        try:
            _import_jsonl(lines, str(path), defaults, report, advance)
        except UnicodeDecodeError as exc:
            report.failed.append((str(path), f"not {exc.encoding} text past the lines stored"))
        return
    candidates = read.candidates or []
    if len(candidates) == 1:
        candidates[0].update({k: v for k, v in defaults.overrides.items() if v})
    labels = (
        [str(path)]
        if len(candidates) == 1
        else [f"{path} (post {i + 1})" for i in range(len(candidates))]
    )
    store_articles(list(zip(labels, candidates, strict=True)), defaults, report)
    advance(read.size)


def _jsonl_lines(path: Path, codec: str) -> Iterator[str | UnicodeDecodeError]:
    """A JSONL file's lines, read one at a time. In UTF-8 each line is decoded on its own, so
    a line that is not UTF-8 is refused alone (as the error, in its place)."""
    if codec not in ("utf-8", "utf-8-sig"):
        with path.open(encoding=codec, newline="") as lines:
            yield from lines
        return
    with path.open("rb") as lines:
        for number, raw in enumerate(lines, start=1):
            try:
                yield (raw.removeprefix(codecs.BOM_UTF8) if number == 1 else raw).decode("utf-8")
            except UnicodeDecodeError as exc:
                yield exc


def _import_jsonl(
    lines: Iterable[str | UnicodeDecodeError],
    source: str,
    defaults: Defaults,
    report: ImportReport,
    advance: Callable[[int], None],
) -> None:
    batch: list[tuple[str, dict]] = []
    for number, line in enumerate(lines, start=1):
        if isinstance(line, UnicodeDecodeError):
            advance(len(line.object))
            reason = f"not UTF-8 text (byte {line.start}); give the file's encoding with --encoding"
            report.failed.append((f"{source}:{number}", reason))
            continue
        advance(len(line.encode("utf-8", errors="replace")) + (0 if line.endswith("\n") else 1))
        if not line.strip():
            continue
        try:
            ((_, record),) = jsonl_format.read([line])
        except (ValueError, RecursionError) as exc:
            report.failed.append((f"{source}:{number}", failure_reason(exc)))
            continue
        batch.append((f"{source}:{number}", record))
        if len(batch) == COMMIT_EVERY:
            store_articles(batch, defaults, report)
            batch = []
    if batch:
        store_articles(batch, defaults, report)


def import_paths(
    paths: Iterable[Path], defaults: Defaults, advance: Callable[[int], None] = lambda n: None
) -> ImportReport:
    """Import every file under `paths`, committing as it goes. With many pages and more
    than one CPU, files are read and extracted in worker processes (extraction is most of
    an HTML import's time) while this one stores them, in the files' order."""
    files, refused = collect_files(paths)
    report = ImportReport(failed=list(refused))
    for path, read in _read_all(files, defaults.encoding):
        try:
            if isinstance(read, BaseException):
                raise read
            _store_read(read, defaults, report, advance)
        except Exception as exc:  # noqa: BLE001 - a file the importer could not read at all
            db.session.rollback()
            log.error("import: %s failed", path, exc_info=exc)
            report.failed.append((str(path), failure_reason(exc)))
    db.session.commit()
    return report


# Fewer files than this are read here: a worker pool costs more than it saves.
PARALLEL_FROM = 16


def _read_all(files: list[Path], encoding: str | None) -> Iterator[tuple[Path, object]]:
    """(path, its _Read or the exception reading raised), in order."""
    workers = min(os.cpu_count() or 1, 4)
    heavy = [p for p in files if p.suffix.lower() not in JSONL_SUFFIXES]
    if (
        workers < 2
        or len(heavy) < PARALLEL_FROM
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        for path in files:
            try:
                yield path, read_file(path, encoding)
            except Exception as exc:  # noqa: BLE001 - reported by the caller
                yield path, exc
        return
    # fork: the workers start at once with the app already imported; they only read files
    # and never use the parent's database connections.
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        window: deque[tuple[Path, Future | None]] = deque()
        pending = iter(files)
        for path in pending:
            window.append((path, _submit(pool, path, encoding)))
            if len(window) >= 4 * workers:
                break
        while window:
            path, future = window.popleft()
            if future is None:  # JSONL: read here, where it is stored line by line
                try:
                    yield path, read_file(path, encoding)
                except Exception as exc:  # noqa: BLE001
                    yield path, exc
            else:
                try:
                    yield path, future.result()
                except Exception as exc:  # noqa: BLE001
                    yield path, exc
            following = next(pending, None)
            if following is not None:
                window.append((following, _submit(pool, following, encoding)))


def _submit(pool: ProcessPoolExecutor, path: Path, encoding: str | None) -> Future | None:
    if path.suffix.lower() in JSONL_SUFFIXES:
        return None
    return pool.submit(read_file, path, encoding)


def total_bytes(paths: Iterable[Path]) -> int:
    files, _ = collect_files(paths)
    return sum(p.stat().st_size for p in files) or 1
