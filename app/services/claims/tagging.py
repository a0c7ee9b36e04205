"""Tagging claims: create a claim with the caller's assessment, assess, edit, link, delete."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, exists, or_, select
from sqlalchemy.exc import IntegrityError, InvalidRequestError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from app.capabilities import may, refusal, require, require_owner
from app.errors import (
    Forbidden,
    InvalidInput,
    InvalidSpan,
    NotFound,
    StaleVersion,
)
from app.extensions import db
from app.models import Article, Assessment, Claim, Proposition, User, article_events
from app.models._time import utcnow
from app.services.claims import history, propositions
from app.services.claims import visibility as blind
from app.services.corpus.fields import check_text, check_url
from app.text.offsets import SpanError, check_span, context
from app.vocabulary import ORPHAN, check_label

MAX_NOTE = 10_000
UNSET = object()  # "field not sent", as distinct from an explicit null


def check_note(note: object) -> str | None:
    if note is None or note == "":
        return None
    note = check_text("note", note)
    if len(note) > MAX_NOTE:
        raise InvalidInput(f"note is longer than {MAX_NOTE} characters.")
    return note


def check_evidence_url(url: object) -> str | None:
    """Only absolute http(s) URLs: anything else could become a script link in a page."""
    return check_url("evidence_url", url)


def get_claim(claim_id: int) -> Claim:
    claim = db.session.scalar(
        select(Claim)
        .where(Claim.id == claim_id)
        .options(
            selectinload(Claim.assessments).selectinload(Assessment.reviewer),
            selectinload(Claim.author),
        )
    )
    if claim is None:
        raise NotFound(f"No claim {claim_id}.")
    return claim


def _proposition_for(article: Article, proposition_id: object) -> Proposition | None:
    """The proposition, which must belong to one of the article's events."""
    if proposition_id is None:
        return None
    if not isinstance(proposition_id, int) or isinstance(proposition_id, bool):
        raise InvalidInput("proposition must be a proposition id or null.")
    proposition = db.session.get(Proposition, proposition_id)
    if proposition is None:
        raise InvalidInput(f"No proposition {proposition_id}.")
    linked = db.session.scalar(
        select(article_events.c.event_id).where(
            article_events.c.article_id == article.id,
            article_events.c.event_id == proposition.event_id,
        )
    )
    if linked is None:
        raise InvalidInput(
            f"Proposition {proposition_id} belongs to event {proposition.event_id}, "
            f"which article {article.id} is not part of."
        )
    return proposition


def create_claim(
    article: Article,
    user: User,
    *,
    start: object,
    end: object,
    quote: object,
    label: object,
    note: object = None,
    evidence_url: object = None,
    proposition: object = None,
) -> Claim:
    """Store a span of the article as a claim, with the caller's assessment of it."""
    try:
        check_span(article.text, start, end, quote)
    except SpanError as exc:
        raise InvalidSpan(str(exc)) from None
    assessment = Assessment(
        reviewer=user,
        label=check_label(label),
        note=check_note(note),
        evidence_url=check_evidence_url(evidence_url),
        informed=False,  # a new claim has no other label to see
    )
    prefix, suffix = context(article.text, start, end)  # type: ignore[arg-type]
    claim = Claim(
        article=article,
        start=start,
        end=end,
        quote=quote,
        prefix=prefix,
        suffix=suffix,
        author=user,
        proposition=_proposition_for(article, proposition),
        assessments=[assessment],
        revision=article.revision,
        informed=_sees_others_spans(article, user),
    )
    db.session.add(claim)
    db.session.flush()
    history.record(user, "claim", "create", claim, after=history.claim_state(claim))
    if claim.proposition_id is not None:
        history.record(
            user, "proposition_link", "link", claim, after={"proposition_id": claim.proposition_id}
        )
    return claim


def _sees_others_spans(article: Article, user: User) -> bool:
    """Whether another reviewer's claim is drawn on the article for `user` (spans are shown
    even in blind mode): a span made then is not an independent one."""
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    Claim.article_id == article.id,
                    or_(Claim.author_id.is_(None), Claim.author_id != user.id),
                    Claim.anchor.is_distinct_from(ORPHAN),
                )
            )
        )
    )


def _target_reviewer(user: User, reviewer: object) -> User:
    """Whose assessment a call changes: the caller's, or (admins only) a named reviewer's."""
    if reviewer in (None, UNSET, user.username):
        return user
    if not may(user, "change_any_claim"):
        raise Forbidden(refusal(user, "change_any_claim"))
    target = db.session.scalar(select(User).where(User.username == reviewer))
    if target is None:
        raise InvalidInput(f"No reviewer named {reviewer!r}.")
    return target


def _apply(assessment: Assessment, label: object, note: object, evidence_url: object) -> None:
    # Every accepted save is a write, even one that repeats the current values: the versioned
    # UPDATE must reach the database so a concurrent save of the same version is refused. A
    # new assessment is created and updated at the same moment (never updated before it was
    # created: the database checks it).
    now = utcnow()
    if assessment.id is None:
        assessment.created_at = now
    assessment.updated_at = now
    if label is not UNSET:
        assessment.label = check_label(label)
    if note is not UNSET:
        assessment.note = check_note(note)
    if evidence_url is not UNSET:
        assessment.evidence_url = check_evidence_url(evidence_url)


def _check_version(assessment: Assessment, version: object) -> None:
    if version is UNSET or version is None:
        return
    if not isinstance(version, int) or isinstance(version, bool):
        raise InvalidInput("version must be an integer.")
    if version != assessment.version:
        raise StaleVersion(
            f"This assessment changed since version {version}; it is now version "
            f"{assessment.version}. Reload, then apply your change again.",
            current=assessment,
        )


def _flush_or_stale(assessment: Assessment) -> None:
    """Flush; a concurrent writer that got there first turns into StaleVersion here, at flush
    time. The entry point rolls the unit of work back and reads the winner's state."""
    claim_id = assessment.claim_id or assessment.claim.id
    reviewer_id = assessment.reviewer_id or assessment.reviewer.id
    try:
        db.session.flush()
    except (StaleDataError, IntegrityError):
        raise StaleVersion(
            "Someone saved this assessment at the same moment; reload and apply your change again.",
            claim_id=claim_id,
            reviewer_id=reviewer_id,
        ) from None


def current_assessment(claim_id: int, reviewer_id: int) -> Assessment | None:
    """The assessment as stored now (for a 409's `current`, after the rollback)."""
    return db.session.scalar(
        select(Assessment)
        .where(Assessment.claim_id == claim_id, Assessment.reviewer_id == reviewer_id)
        .options(selectinload(Assessment.reviewer))
    )


def update_claim(
    claim: Claim,
    user: User,
    *,
    label: object = UNSET,
    note: object = UNSET,
    evidence_url: object = UNSET,
    version: object = UNSET,
    proposition: object = UNSET,
    reviewer: object = UNSET,
) -> Claim:
    """Change the caller's (or, for admins, a named reviewer's) assessment and/or the
    claim's proposition. A stale `version` changes nothing and raises StaleVersion."""
    touches_assessment = any(v is not UNSET for v in (label, note, evidence_url))
    if not touches_assessment and proposition is UNSET:
        raise InvalidInput("Nothing to change: send label, note, evidence_url or proposition.")
    if proposition is not UNSET:
        propositions.link(claim, user, _proposition_for(claim.article, proposition))
    assessment = None
    before = None
    if touches_assessment:
        target = _target_reviewer(user, reviewer)
        informed = blind.is_informed(target, claim)  # before this assessment exists
        assessment = next((a for a in claim.assessments if a.reviewer_id == target.id), None)
        if assessment is None:
            if target is not user:
                raise NotFound(f"{target.username} has not assessed claim {claim.id}.")
            if label is UNSET:
                raise InvalidInput("You have not assessed this claim yet: send a label.")
            assessment = Assessment(claim=claim, reviewer=user, label=check_label(label))
            db.session.add(assessment)
        else:
            _check_version(assessment, version)
            before = history.assessment_state(assessment)
        _apply(assessment, label, note, evidence_url)
        if label is not UNSET:
            assessment.informed = informed
    if assessment is not None:
        _flush_or_stale(assessment)
        _record_assessment(user, claim, before, assessment)
        blind.forget()
    else:
        db.session.flush()
    return claim


def _record_assessment(
    user: User, claim: Claim, before: dict | None, assessment: Assessment
) -> None:
    history.record(
        user,
        "assessment",
        "create" if before is None else "change",
        claim,
        before=before,
        after=history.assessment_state(assessment),
    )


@dataclass
class AssessmentResult:
    assessment: Assessment
    created: bool


def put_assessment(
    claim: Claim,
    user: User,
    *,
    label: object,
    note: object = None,
    evidence_url: object = None,
    version: object = UNSET,
) -> AssessmentResult:
    """Add or replace the caller's own assessment of a claim (anyone's claim)."""
    informed = blind.is_informed(user, claim)  # before this assessment exists
    assessment = next((a for a in claim.assessments if a.reviewer_id == user.id), None)
    created = assessment is None
    before = None
    if created:
        assessment = Assessment(claim=claim, reviewer=user, label=check_label(label))
        db.session.add(assessment)
    else:
        _check_version(assessment, version)
        before = history.assessment_state(assessment)
    _apply(assessment, label, note, evidence_url)
    assessment.informed = informed
    _flush_or_stale(assessment)
    _record_assessment(user, claim, before, assessment)
    blind.forget()
    return AssessmentResult(assessment, created)


def delete_claim(claim: Claim, user: User) -> None:
    """Delete a claim and its assessments: its author or an admin only."""
    require_owner(user, claim.author_id, "change_any_claim", "claim")
    gone = NotFound(f"No claim {claim.id}: it was deleted at the same moment.")
    # The claim and its assessments as they are now, locked: a second delete, or a reviewer
    # saving, at the same moment waits for this one (PostgreSQL), then finds it gone.
    if db.session.scalar(select(Claim.id).where(Claim.id == claim.id).with_for_update()) is None:
        raise gone
    db.session.execute(
        select(Assessment.id).where(Assessment.claim_id == claim.id).with_for_update()
    ).all()
    try:
        db.session.refresh(claim, attribute_names=["assessments"])
    except InvalidRequestError:  # deleted between the two reads (SQLite has no row locks)
        raise gone from None
    before = history.claim_state(claim)
    # One DELETE; the database's ON DELETE CASCADE removes the assessments. An ORM delete
    # would remove the versions it had read, and fail on one saved in between.
    deleted = db.session.execute(delete(Claim).where(Claim.id == claim.id)).rowcount
    if not deleted:
        raise gone
    history.record(user, "claim", "delete", claim, before=before)
    db.session.flush()
    db.session.expunge(claim)


def adjudicate(claim: Claim, user: User, label: object, note: object = None) -> Claim:
    """Set (or with None clear) a claim's final label, with the reason: admins and curators.
    Recorded in the claim's history."""
    require(user, "adjudicate")
    before = {"label": claim.adjudicated_label, "note": claim.adjudication_note}
    claim.adjudicated_label = None if label is None else check_label(label)
    claim.adjudication_note = None if label is None else check_note(note)
    after = {"label": claim.adjudicated_label, "note": claim.adjudication_note}
    history.record(user, "adjudication", "change", claim, before=before, after=after)
    claim.adjudicated_by = user if label is not None else None
    claim.adjudicated_at = utcnow() if label is not None else None
    db.session.flush()
    return claim
