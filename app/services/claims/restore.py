"""Restoring a deleted claim from its last delete record: its id, its assessments, its
adjudication, its proposition, and its place (re-anchored if the text was revised since)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, inspect, select

from app.capabilities import require
from app.errors import Conflict, NotFound
from app.extensions import db
from app.models import Article, Assessment, Claim, History, Proposition, User
from app.models._time import UTCDateTime
from app.services.claims.history import claim_state, record
from app.services.claims.revisions import revision_text
from app.text.anchoring import MOVED, ORPHAN, Reanchorer
from app.text.offsets import context


def restore_claim(claim_id: int, user: User) -> Claim:
    """Put a deleted claim back as its last delete record holds it: every column of the claim
    and of its assessments (ids, versions, notes, adjudication, `informed` included), its
    place re-anchored if the text was revised since. Admins only."""
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
    users = {u.id: u for u in _users(state)}
    values = _recorded(Claim, state) | {"id": claim_id}
    values.update(_place(article, state))
    for key in ("author_id", "adjudicated_by_id"):
        if values.get(key) not in users:
            values[key] = None  # the account is gone; the record keeps its name
    if values.get("proposition_id") and not db.session.get(Proposition, values["proposition_id"]):
        values["proposition_id"] = None
    claim = Claim(**values)
    db.session.add(claim)
    db.session.flush()
    # A Core INSERT into the table: the ORM (bulk inserts too) starts a version at 1 again.
    rows = [
        _recorded(Assessment, a) | {"claim_id": claim.id}
        for a in state["assessments"]
        if a["reviewer_id"] in users  # a reviewer whose account is gone: the record keeps it
    ]
    if rows:
        db.session.execute(insert(Assessment.__table__), [_by_column(Assessment, r) for r in rows])
    db.session.expire(claim, ["assessments"])
    record(user, "claim", "restore", claim, after=claim_state(claim))
    db.session.flush()
    return claim


def _by_column(model, values: dict) -> dict:
    """Attribute names to the table's column names (`start` is start_offset, say)."""
    return {inspect(model).attrs[key].columns[0].name: value for key, value in values.items()}


def _recorded(model, state: dict) -> dict:
    """The model's columns as a recorded state holds them (times parsed back), every one
    it has: a record made before a column existed lacks it, and the column's default fills
    it."""
    values = {}
    for attr in inspect(model).column_attrs:
        if attr.key not in state:
            continue
        value = state[attr.key]
        if value is not None and isinstance(attr.columns[0].type, UTCDateTime):
            value = datetime.fromisoformat(value)
        values[attr.key] = value
    return values


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
