"""Storing article records read from files (app.services.exchange.readers) or typed into the
Add article page.

Every record is stored, or reported with its source (file, or file:line) and the reason;
nothing stops the rest. A duplicate is skipped and counted. The store only adds and flushes:
the entry point runs the batches (app.unit_of_work.run_batches), commits each, and replays a
batch that failed for a reason the checks did not foresee one record at a time, so only the
bad record is lost and it is named.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, insert, or_, select
from sqlalchemy.exc import DBAPIError

from app.capabilities import may, refusal, require
from app.errors import DomainError, Forbidden, InvalidInput
from app.extensions import db
from app.models import Article, Event, Outlet, OutletAlias, User, article_events
from app.models._time import utcnow
from app.services.accounts import reviewer_named
from app.services.claims.revisions import revise
from app.services.corpus import index
from app.services.corpus.fields import (
    ArticleFields,
    check_article,
)
from app.services.exchange.preannotated import attach_claims

NO_PAGE_URL = (
    "the page states no address of its own (no canonical link, og:url, twitter:url or "
    "JSON-LD url): stored without a URL, so a later copy of it cannot be matched by address"
)


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

    def refuse_what_user_may_not_create(self, candidate: _Candidate, user: User | None) -> None:
        """Forbidden when the record names an outlet or event not yet known and `user` may
        not create one (None: the command line, which may)."""
        if user is None:
            return
        key = candidate.outlet
        known = key in self.outlets or (isinstance(key, str) and key.lower() in self.outlets)
        if not known and not may(user, "manage_outlets"):
            raise Forbidden(f"No outlet is named {key!r}. {refusal(user, 'manage_outlets')}")
        for ref in candidate.events:
            if ref not in self.events and not may(user, "manage_events"):
                raise Forbidden(f"No event is titled {ref!r}. {refusal(user, 'manage_events')}")

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


def store_batch(items: list[tuple[str, dict]], defaults: Defaults) -> ImportReport:
    """Store an article from each (source, fields) that passes the checks, and say what
    became of each. Adds and flushes; the entry point's runner commits (app.unit_of_work)."""
    outcome = ImportReport()
    _store_batch(items, defaults, outcome)
    db.session.flush()
    return outcome


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
    accepted, duplicates = _place(checked, lookup, defaults, report)
    ids = _insert(accepted)
    report.imported += [(c.source, i) for i, (c, _, _) in zip(ids, accepted, strict=True)]
    for article_id, (candidate, _, _) in zip(ids, accepted, strict=True):
        if candidate.fields.claims is not None:
            _attach(article_id, candidate, defaults, report)
    report.duplicates += [(s, ids[-1 - e] if e < 0 else e) for s, e in duplicates]


Accepted = tuple[_Candidate, int, list[int]]  # the record, its outlet's id, its events' ids


def _place(
    checked: list[_Candidate], lookup: _Lookup, defaults: Defaults, report: ImportReport
) -> tuple[list[Accepted], list[tuple[str, int]]]:
    """What becomes of each record: a new article (accepted), a duplicate of a stored one (by
    its id, or by -1 - its place among the accepted), a new revision of the article at its
    URL (--update), a changed page only reported, or a refusal."""
    accepted: list[Accepted] = []
    duplicates: list[tuple[str, int]] = []
    for candidate in checked:
        try:
            lookup.refuse_unknown_ids(candidate)
            lookup.refuse_what_user_may_not_create(candidate, defaults.user)
            if candidate.fields.url in lookup.by_url:
                _same_url(candidate, lookup, defaults, report, duplicates)
                continue
            outlet_id = lookup.outlet_id(candidate)
            key = (outlet_id, candidate.fields.content_hash)
            if key in lookup.articles:
                duplicates.append((candidate.source, lookup.articles[key]))
                continue
            event_ids = lookup.event_ids(candidate)
        except DomainError as exc:
            report.failed.append((candidate.source, exc.message))
            continue
        lookup.articles[key] = -1 - len(accepted)  # stands for the id the insert will give
        accepted.append((candidate, outlet_id, event_ids))
        report.notes += [(candidate.source, note) for note in candidate.fields.notes]
        if candidate.fields.url is None and candidate.source.lower().endswith((".html", ".htm")):
            report.notes.append((candidate.source, NO_PAGE_URL))
    return accepted, duplicates


def _same_url(candidate, lookup, defaults, report, duplicates) -> None:
    """A record whose URL a stored article has: a duplicate, a changed page, or (--update,
    for whoever may revise articles) that article's new revision."""
    article_id, text_hash = lookup.by_url[candidate.fields.url]
    if text_hash == candidate.fields.content_hash:
        duplicates.append((candidate.source, article_id))
    elif not defaults.update:
        report.changed.append((candidate.source, article_id))
    else:
        if defaults.user is not None:
            require(defaults.user, "revise_articles")
        _update(article_id, candidate, defaults, report)
        lookup.by_url[candidate.fields.url] = (article_id, candidate.fields.content_hash)


def _insert(accepted: list[Accepted]) -> list[int]:
    """Insert the accepted articles, their event links and their index entries: three
    statements for the batch. Their ids, in order."""
    if not accepted:
        return []
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
    index.index_articles(
        (
            (article_id, c.fields.title, c.fields.text)
            for article_id, (c, _, _) in zip(ids, accepted, strict=True)
        ),
        new=True,
    )
    return ids


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
        may_name_others=defaults.user is None or defaults.user.may("change_any_claim"),
    )
    report.claims_created += len(attached.created)
    report.claims_refused += [
        (f"{candidate.source} claim {r['index']}", r["reason"]) for r in attached.refused
    ]
