"""Figures kept once computed: an event's framing and actor suggestions read every word of
every article, which takes seconds on a 500-article event, and change only when its texts or
its actors do.

Each kept figure carries the fingerprint of its inputs (the articles' ids, revisions and
outlets; the actors' names). A request computes the fingerprint from the snapshot it already
holds, which costs nothing; a figure whose fingerprint differs is computed again and replaced,
so a stale figure is never served. Kept in the database, so every app host shares them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.extensions import db
from app.models import EventFigure
from app.models._time import utcnow
from app.services import actors, comparison
from app.services.comparison import ActorNaming, EventSnapshot, Framing
from app.text.framing import ActorCandidate, Term

T = TypeVar("T")


def text_fingerprint(snapshot: EventSnapshot, *extra: object) -> str:
    """What the word-reading figures depend on: each article's id, revision and outlet, the
    actors' names, and the caller's own parameters."""
    parts = [
        sorted((a.id, a.revision, a.outlet.name) for a in snapshot.articles),
        [(actor.id, actor.names) for actor in snapshot.actors or ()],
        list(extra),
    ]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()


def kept(
    snapshot: EventSnapshot,
    kind: str,
    fingerprint: str,
    compute: Callable[[], T],
    dump: Callable[[T], dict],
    load: Callable[[dict], T],
) -> T:
    """The figure as kept, when its fingerprint matches; else computed, kept and returned.
    Adds to the caller's unit of work (the request commits it)."""
    event_id = snapshot.event.id
    row = db.session.execute(
        select(EventFigure.fingerprint, EventFigure.payload).where(
            EventFigure.event_id == event_id, EventFigure.kind == kind
        )
    ).first()
    if row is not None and row.fingerprint == fingerprint:
        return load(row.payload)
    value = compute()
    values = {
        "event_id": event_id,
        "kind": kind,
        "fingerprint": fingerprint,
        "payload": dump(value),
        "computed_at": utcnow(),
    }
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(EventFigure).values(values)
    # Two hosts computing the same figure at once: the later write wins, both are right.
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=["event_id", "kind"],
            set_={k: statement.excluded[k] for k in ("fingerprint", "payload", "computed_at")},
        )
    )
    return value


def framing(snapshot: EventSnapshot, top: int = 12) -> Framing:
    """comparison.framing, kept."""

    def dump(value: Framing) -> dict:
        return {
            "terms": {
                o: [[t.word, t.z, t.count] for t in terms] for o, terms in value.terms.items()
            },
            "actors": [[naming.actor.id, naming.names] for naming in value.actors],
            "outlets": value.outlets,
        }

    def load(payload: dict) -> Framing:
        actors = {actor.id: actor for actor in snapshot.actors or ()}
        return Framing(
            terms={o: [Term(*t) for t in terms] for o, terms in payload["terms"].items()},
            actors=[ActorNaming(actors[i], names) for i, names in payload["actors"]],
            outlets=payload["outlets"],
        )

    return kept(
        snapshot,
        "framing",
        text_fingerprint(snapshot, "framing", top),
        lambda: comparison.framing(snapshot, top),
        dump,
        load,
    )


def actor_suggestions(snapshot: EventSnapshot, limit: int = 12) -> list[ActorCandidate]:
    """actors.suggest, kept."""
    return kept(
        snapshot,
        "actor_suggestions",
        text_fingerprint(snapshot, "actor_suggestions", limit),
        lambda: actors.suggest(snapshot, limit),
        lambda value: {"candidates": [[c.phrase, c.outlets, c.count] for c in value]},
        lambda payload: [ActorCandidate(*c) for c in payload["candidates"]],
    )
