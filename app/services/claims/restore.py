"""Restoring a deleted claim from its last delete record: its id, its assessments, its
adjudication, its proposition, and its place (re-anchored if the text was revised since)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app.capabilities import require
from app.errors import Conflict, NotFound
from app.extensions import db
from app.models import Article, Assessment, Claim, History, Proposition, User
from app.services.claims.history import claim_state, record
from app.services.claims.revisions import revision_text
from app.text.anchoring import MOVED, ORPHAN, Reanchorer
from app.text.offsets import context


def restore_claim(claim_id: int, user: User) -> Claim:
    """Put a deleted claim back, with its id, its assessments and its adjudication, as its
    last delete record holds them. Admins only."""
    require(user, "restore_claims")
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
