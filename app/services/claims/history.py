"""The record of changes: who changed which claim, assessment, adjudication or proposition
link, when, from what to what. Rows are only added (the table refuses anything else).

The claim services call `record` for every change they make; a deleted claim's last record
holds all of it, assessments included, which is what `restore_claim` puts back.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, inspect, select

from app.errors import NotFound
from app.extensions import db
from app.models import Assessment, Claim, History, User
from app.models._time import utcnow


def _plain(value):
    """A column's value as the record's JSON holds it (times as ISO 8601)."""
    return value.isoformat() if isinstance(value, datetime) else value


def _columns(row) -> dict:
    """Every mapped column of the row, by its attribute name: a column added to the model is
    recorded, and so restored, without a change here."""
    return {attr.key: _plain(getattr(row, attr.key)) for attr in inspect(type(row)).column_attrs}


def assessment_state(a: Assessment) -> dict:
    """Every column of the assessment, and its reviewer's name (for people reading it)."""
    return {**_columns(a), "reviewer": a.reviewer.username if a.reviewer else None}


def claim_state(claim: Claim) -> dict:
    """Everything about a claim that a restore needs: every column, assessments included,
    and the names of the people it refers to."""
    return {
        **_columns(claim),
        "author": claim.author.username if claim.author else None,
        "assessments": [assessment_state(a) for a in claim.assessments],
    }


def record(
    user: User | None,
    entity: str,
    action: str,
    claim: Claim,
    *,
    before: dict | None = None,
    after: dict | None = None,
) -> None:
    """Write one history row now, in the caller's transaction. A Core INSERT: the ORM's unit
    of work for an object no one reads back cost a third of a claim save."""
    write([entry(user, entity, action, claim.id, claim.article_id, before=before, after=after)])


def entry(
    user: User | None,
    entity: str,
    action: str,
    claim_id: int,
    article_id: int,
    *,
    before: dict | None = None,
    after: dict | None = None,
    at: datetime | None = None,
    by: str | None = None,
) -> dict:
    """One history row, to write with others in one statement (`write`). `by` names who made
    the change when no user did (an import: "flask import-claims")."""
    return {
        "at": at or utcnow(),
        "user_id": user.id if user else None,
        "username": by if by is not None else user.username if user else None,
        "entity": entity,
        "action": action,
        "claim_id": claim_id,
        "article_id": article_id,
        "before": before,
        "after": after,
    }


def write(entries: list[dict]) -> None:
    """Write history rows (from `entry`) in one INSERT, in the caller's transaction. Every
    history row is written here: the record is append-only and kept figures count on it."""
    if entries:
        db.session.execute(insert(History), entries)


def claim_history(claim_id: int) -> list[History]:
    """The claim's record, oldest first; NotFound when there is none (no such claim ever)."""
    rows = list(
        db.session.scalars(select(History).where(History.claim_id == claim_id).order_by(History.id))
    )
    if not rows and db.session.get(Claim, claim_id) is None:
        raise NotFound(f"No claim {claim_id}, and none in the history.")
    return rows


def deleted_claims(article_id: int) -> list[History]:
    """The delete records of the article's claims that are deleted now (restorable)."""
    rows = db.session.scalars(
        select(History)
        .where(History.article_id == article_id, History.entity == "claim")
        .order_by(History.id)
    )
    latest: dict[int, History] = {}
    for row in rows:
        latest[row.claim_id] = row
    gone = [row for row in latest.values() if row.action == "delete"]
    if not gone:
        return []
    present = set(
        db.session.scalars(select(Claim.id).where(Claim.id.in_([r.claim_id for r in gone])))
    )
    return [row for row in gone if row.claim_id not in present]
