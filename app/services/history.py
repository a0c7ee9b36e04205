"""The record of changes: who changed which claim, assessment, adjudication or proposition
link, when, from what to what. Rows are only added (the table refuses anything else).

The claim services call `record` for every change they make; a deleted claim's last record
holds all of it, assessments included, which is what `restore_claim` puts back.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, select

from app.extensions import db
from app.models import Article, Assessment, Claim, History, Proposition, User
from app.models.history import history_row
from app.services.errors import Conflict, Forbidden, NotFound
from app.services.revisions import revision_text
from app.text.anchoring import MOVED, ORPHAN, Reanchorer
from app.text.offsets import context


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def assessment_state(a: Assessment) -> dict:
    return {
        "id": a.id,
        "reviewer": a.reviewer.username if a.reviewer else None,
        "reviewer_id": a.reviewer_id,
        "label": a.label,
        "note": a.note,
        "evidence_url": a.evidence_url,
        "version": a.version,
        "created_at": _iso(a.created_at),
        "updated_at": _iso(a.updated_at),
    }


def claim_state(claim: Claim) -> dict:
    """Everything about a claim that a restore needs, assessments included."""
    return {
        "article_id": claim.article_id,
        "start": claim.start,
        "end": claim.end,
        "quote": claim.quote,
        "prefix": claim.prefix,
        "suffix": claim.suffix,
        "revision": claim.revision,
        "anchor": claim.anchor,
        "author_id": claim.author_id,
        "author": claim.author.username if claim.author else None,
        "proposition_id": claim.proposition_id,
        "adjudicated_label": claim.adjudicated_label,
        "adjudicated_by_id": claim.adjudicated_by_id,
        "adjudicated_at": _iso(claim.adjudicated_at),
        "created_at": _iso(claim.created_at),
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
    db.session.execute(
        insert(History).values(
            history_row(
                user, entity, action, claim.id, claim.article_id, before=before, after=after
            )
        )
    )


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


def restore_claim(claim_id: int, user: User) -> Claim:
    """Put a deleted claim back, with its id, its assessments and its adjudication, as its
    last delete record holds them. Admins only."""
    if not user.is_admin:
        raise Forbidden("Only an admin can restore a deleted claim.")
    if db.session.get(Claim, claim_id) is not None:
        raise Conflict(f"Claim {claim_id} exists; there is nothing to restore.")
    entry = db.session.scalar(
        select(History)
        .where(History.claim_id == claim_id, History.entity == "claim")
        .order_by(History.id.desc())
        .limit(1)
    )
    if entry is None or entry.action != "delete" or not entry.before:
        raise NotFound(f"No deleted claim {claim_id} in the history.")
    state = entry.before
    article = db.session.get(Article, state["article_id"])
    if article is None:
        raise Conflict(f"Claim {claim_id}'s article {state['article_id']} no longer exists.")
    place = _place(article, state)
    users = {u.id: u for u in _users(state)}
    claim = Claim(
        id=claim_id,
        article=article,
        **place,
        author_id=state["author_id"] if state["author_id"] in users else None,
        proposition_id=(
            state["proposition_id"]
            if state["proposition_id"] and db.session.get(Proposition, state["proposition_id"])
            else None
        ),
        adjudicated_label=state["adjudicated_label"],
        adjudicated_by_id=(
            state["adjudicated_by_id"] if state["adjudicated_by_id"] in users else None
        ),
        adjudicated_at=_parse(state["adjudicated_at"]),
        created_at=_parse(state["created_at"]),
    )
    for a in state["assessments"]:
        if a["reviewer_id"] not in users:
            continue  # the reviewer's account is gone; the record keeps what they said
        claim.assessments.append(
            Assessment(
                reviewer=users[a["reviewer_id"]],
                label=a["label"],
                note=a["note"],
                evidence_url=a["evidence_url"],
                created_at=_parse(a["created_at"]),
                updated_at=_parse(a["updated_at"]),
            )
        )
    db.session.add(claim)
    db.session.flush()
    record(user, "claim", "restore", claim, after=claim_state(claim))
    db.session.flush()
    return claim


def _place(article: Article, state: dict) -> dict:
    """Where a restored claim goes: where it was, or, if the text was revised since, where
    re-anchoring from the revision it was in puts it (an orphan if nowhere)."""
    place = {k: state[k] for k in ("start", "end", "quote", "prefix", "suffix")}
    revision = state.get("revision", 1)
    if revision == article.revision:
        return {**place, "revision": revision, "anchor": state.get("anchor")}
    old = revision_text(article, revision)
    found = Reanchorer(article.text if old is None else old, article.text).anchor(**place)
    if found.status == ORPHAN:
        return {**place, "revision": revision, "anchor": ORPHAN}
    prefix, suffix = context(article.text, found.start, found.end)
    return {
        "start": found.start,
        "end": found.end,
        "quote": found.quote,
        "prefix": prefix,
        "suffix": suffix,
        "revision": article.revision,
        "anchor": MOVED if MOVED in (found.status, state.get("anchor")) else None,
    }


def _users(state: dict) -> list[User]:
    ids = {state["author_id"], state["adjudicated_by_id"]}
    ids |= {a["reviewer_id"] for a in state["assessments"]}
    ids.discard(None)
    return list(db.session.scalars(select(User).where(User.id.in_(ids)))) if ids else []


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
