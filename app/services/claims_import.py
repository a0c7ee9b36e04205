"""Loading a JSONL claim export into another instance (`flask import-claims`).

Articles are matched by URL or content hash, or created when the record carries
`article_text`; claims by article, offsets and quote; reviewers by name (created without a
password); propositions by event and statement. Importing the same file twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.formats import jsonl_format
from app.models import Article, Assessment, Claim, Proposition, User
from app.services.articles import create_article, get_or_create_outlet
from app.services.claims import check_evidence_url, check_label, check_note
from app.services.errors import DomainError, InvalidInput
from app.services.importing import resolve_event
from app.text.normalize import content_hash, normalize_text
from app.text.offsets import SpanError, check_span, context


@dataclass
class ClaimImportReport:
    claims_created: int = 0
    claims_matched: int = 0
    assessments: int = 0
    failed: list[tuple[int, str]] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.claims_created} claims created, {self.claims_matched} matched, "
            f"{self.assessments} assessments written, {len(self.failed)} failed"
        )


def _article(record: dict) -> Article:
    url, text_hash = record.get("article_url"), record.get("article_content_hash")
    text = record.get("article_text")
    if isinstance(text, str) and text:
        text_hash = content_hash(normalize_text(text))
    candidates = []
    if url:
        candidates = list(db.session.scalars(select(Article).where(Article.url == url)))
    if text_hash:
        by_hash = [a for a in candidates if a.content_hash == text_hash]
        if by_hash:
            return by_hash[0]
        found = db.session.scalar(select(Article).where(Article.content_hash == text_hash))
        if found:
            return found
    elif candidates:
        return candidates[0]
    if not isinstance(text, str) or not text:
        raise InvalidInput(
            "article not found by URL or content hash, and the record has no "
            "article_text (export with --include-text)"
        )
    outlet = get_or_create_outlet(record.get("outlet") or "", lean=record.get("outlet_lean"))
    events = [resolve_event(t) for t in record.get("event_titles") or []]
    return create_article(
        outlet=outlet,
        title=record.get("article_title") or "",
        text=text,
        stance=record.get("stance") or "unknown",
        url=url,
        published=_date(record.get("published")),
        events=events,
        commit=False,
    )


def _date(value: object) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def _reviewer(name: object) -> User:
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput("an assessment has no reviewer name")
    user = db.session.scalar(select(User).where(User.username == name.strip()))
    if user is None:
        user = User(username=name.strip(), role="reviewer", password_hash=None)
        db.session.add(user)
        db.session.flush()
    return user


def _proposition(article: Article, statement: object) -> Proposition | None:
    if not statement:
        return None
    if not article.events:
        raise InvalidInput("the claim has a proposition but its article is in no event")
    event_ids = [e.id for e in article.events]
    found = db.session.scalar(
        select(Proposition).where(
            Proposition.event_id.in_(event_ids), Proposition.statement == statement
        )
    )
    if found is None:
        found = Proposition(event_id=event_ids[0], statement=str(statement))
        db.session.add(found)
        db.session.flush()
    return found


def _import_record(record: dict, report: ClaimImportReport) -> None:
    # Check every assessment before touching anything, so a bad record changes nothing.
    assessments = record.get("assessments") or []
    if not isinstance(assessments, list):
        raise InvalidInput("assessments must be a list")
    for a in assessments:
        check_label(a.get("label"))
        check_note(a.get("note"))
        check_evidence_url(a.get("evidence_url"))
    if record.get("adjudicated_label"):
        check_label(record["adjudicated_label"])
    article = _article(record)
    start, end, quote = record.get("start"), record.get("end"), record.get("quote")
    try:
        check_span(article.text, start, end, quote)
    except SpanError as exc:
        raise InvalidInput(str(exc)) from None
    claim = db.session.scalar(
        select(Claim).where(
            Claim.article_id == article.id,
            Claim.start == start,
            Claim.end == end,
            Claim.quote == quote,
        )
    )
    if claim is None:
        prefix, suffix = context(article.text, start, end)
        author = _reviewer(record["author"]) if record.get("author") else None
        claim = Claim(
            article=article,
            start=start,
            end=end,
            quote=quote,
            prefix=prefix,
            suffix=suffix,
            author=author,
        )
        db.session.add(claim)
        report.claims_created += 1
    else:
        report.claims_matched += 1
    claim.proposition = _proposition(article, record.get("proposition"))
    claim.adjudicated_label = record.get("adjudicated_label") or None
    for a in assessments:
        reviewer = _reviewer(a.get("reviewer"))
        existing = (
            db.session.scalar(
                select(Assessment).where(
                    Assessment.claim_id == claim.id, Assessment.reviewer_id == reviewer.id
                )
            )
            if claim.id
            else None
        )
        if existing is None:
            existing = Assessment(claim=claim, reviewer=reviewer, label=a["label"])
            db.session.add(existing)
        existing.label = a["label"]
        existing.note = a.get("note") or None
        existing.evidence_url = a.get("evidence_url") or None
        report.assessments += 1
    db.session.flush()


def import_claims(lines: Iterable[str]) -> ClaimImportReport:
    """Import a JSONL claim export; a bad record is reported by line and skipped."""
    report = ClaimImportReport()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            ((_, record),) = jsonl_format.read([line])
            _import_record(record, report)
        except (DomainError, ValueError, KeyError, TypeError) as exc:
            db.session.rollback()
            message = exc.message if isinstance(exc, DomainError) else str(exc)
            report.failed.append((number, message.replace("line 1: ", "")))
            continue
        db.session.commit()
    return report
