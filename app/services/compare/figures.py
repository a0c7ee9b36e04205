"""Figures kept once computed: an event's framing, its actor suggestions, and the heavy parts
of its pages (coverage, compare, matrix, agreement), which take seconds to compute on a
500-article event and change only when the event's articles, claims or actors do.

Each kept figure carries the fingerprint of its inputs. `event_state` reads those in a few
cheap statements (the event's articles and outlets, its propositions and actors, and how many
history rows its articles have: every change to a claim, an assessment, an adjudication or a
proposition link writes one, and the history is append-only, so the count moves with every
change, committed in any order). A figure whose fingerprint differs is computed again and
replaced, so a stale figure is never served. Kept in the database, so every app host shares
them. A page of which blind mode hides anything from its reader is never kept.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from flask import after_this_request, g, has_request_context
from markupsafe import Markup
from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import (
    Actor,
    Article,
    Assignment,
    Event,
    EventFigure,
    History,
    Outlet,
    OutletAlias,
    Proposition,
    User,
    article_events,
)
from app.models._time import utcnow
from app.services.claims.visibility import presenter_for
from app.services.compare import comparison
from app.services.compare.comparison import ActorNaming, EventSnapshot, Framing
from app.text.framing import ActorCandidate, Term, candidate_actors
from app.vocabulary import labels

T = TypeVar("T")
PAGE = "page:"  # the kinds of kept page parts; rows of a stale state are pruned on write


def _digest(parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, default=str).encode()).hexdigest()


@dataclass(frozen=True)
class EventState:
    """Fingerprints of what an event's figures are computed from, read without its texts or
    claims. `texts`: what the word-reading figures read (each article's id, revision and
    outlet; the actors' names). `everything`: that and all its pages show besides."""

    event: Event
    actors: tuple[Actor, ...]
    texts: str
    everything: str
    article_ids: tuple[int, ...] = ()


def event_state(event: Event) -> EventState:
    """The event's fingerprints, in six statements that read no text and no claim."""
    connection = db.session.connection()
    in_event = article_events.c.event_id == event.id
    articles = connection.execute(
        select(
            Article.id,
            Article.revision,
            Outlet.name,
            Article.stance,
            Article.published,
            Article.title,
            Article.url,
            Outlet.id,
            Outlet.lean,
        )
        .join(article_events, article_events.c.article_id == Article.id)
        .join(Outlet, Outlet.id == Article.outlet_id)
        .where(in_event)
        .order_by(Article.id)
    ).all()
    outlet_ids = sorted({row[7] for row in articles})
    aliases = connection.execute(
        select(OutletAlias.outlet_id, OutletAlias.alias)
        .where(OutletAlias.outlet_id.in_(outlet_ids))
        .order_by(OutletAlias.id)
    ).all()
    # Counted article by article through the article_id index: written as a join, stale
    # statistics after a bulk import made PostgreSQL scan the whole history instead.
    per_article = (
        select(func.count())
        .where(History.article_id == article_events.c.article_id)
        .correlate(article_events)
        .scalar_subquery()
    )
    changes = connection.execute(select(func.sum(per_article)).where(in_event)).scalar()
    propositions = connection.execute(
        select(Proposition.id, Proposition.statement)
        .where(Proposition.event_id == event.id)
        .order_by(Proposition.id)
    ).all()
    event_actors = tuple(
        db.session.scalars(
            select(Actor)
            .where(Actor.event_id == event.id)
            .options(selectinload(Actor.aliases))
            .order_by(Actor.name, Actor.id)
        )
    )
    # Who was assigned or marked done decides which articles span agreement compares.
    assignments = connection.execute(
        select(
            Assignment.article_id,
            Assignment.reviewer_id,
            Assignment.assigned,
            Assignment.done_at.is_not(None),
        )
        .join(article_events, article_events.c.article_id == Assignment.article_id)
        .where(in_event)
        .order_by(Assignment.article_id, Assignment.reviewer_id)
    ).all()
    names = [(actor.id, actor.names) for actor in event_actors]
    texts = _digest([[row[:3] for row in articles], names])
    everything = _digest(
        [
            texts,
            [list(row[3:]) for row in articles],
            [list(row) for row in aliases],
            changes,
            [list(row) for row in propositions],
            [event.title, event.summary, event.start_date, event.end_date, event.blind],
            labels(),
            [list(row) for row in assignments],
        ]
    )
    return EventState(event, event_actors, texts, everything, tuple(row[0] for row in articles))


def kept(
    event_id: int,
    kind: str,
    fingerprint: str,
    compute: Callable[[], T],
    dump: Callable[[T], dict],
    load: Callable[[dict], T],
) -> T:
    """The figure as kept, when its fingerprint matches; else computed, kept and returned.
    Adds to the caller's unit of work (the request commits it)."""
    row = db.session.execute(
        select(EventFigure.fingerprint, EventFigure.payload).where(
            EventFigure.event_id == event_id, EventFigure.kind == kind
        )
    ).first()
    if row is not None and row.fingerprint == fingerprint:
        return load(row.payload)
    value = compute()
    release_memory_after_request()
    if kind.startswith(PAGE):
        # Page parts are kept per role and per choice of columns: those of an earlier state
        # will never be served again, so they go now rather than pile up.
        db.session.execute(
            delete(EventFigure).where(
                EventFigure.event_id == event_id,
                EventFigure.kind.startswith(PAGE),
                EventFigure.fingerprint != fingerprint,
            )
        )
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


def _release_memory() -> None:
    """Collect what a computation left and hand the freed memory back to the system: a
    500-article event's snapshot is some 60 MB of objects, gone after the request, but held
    by the allocator (glibc's malloc_trim; elsewhere only the collection)."""
    gc.collect()
    with contextlib.suppress(AttributeError, OSError):  # not glibc
        ctypes.CDLL(None).malloc_trim(0)


def release_memory_after_request() -> None:
    """Once this request's response is sent and its objects are gone, release their memory
    (outside a request, as in a CLI command, nothing is done)."""
    if not has_request_context() or g.get("release_memory"):
        return
    g.release_memory = True

    @after_this_request
    def on_close(response):
        response.call_on_close(_release_memory)
        return response


def page_kind(name: str, viewer: User | None, *choices: object) -> str:
    """The kind a page part is kept under: its name, the viewer's role (pages show each role
    its own controls) and a short digest of the reader's choices (columns, sort)."""
    role = getattr(viewer, "role", None) if getattr(viewer, "is_authenticated", False) else None
    kind = f"{PAGE}{name}:{role or 'anonymous'}"
    if choices:
        kind += ":" + _digest(list(choices))[:12]
    return kind[: EventFigure.kind.type.length]


def kept_text(
    state: EventState, name: str, viewer: User | None, render: Callable[[], str], *choices
) -> str:
    """A page part (HTML, or an API body) of the event as kept for this state, role and
    choices; rendered and kept when there is none. A page of which blind mode hides anything
    from its reader is rendered for them alone, never kept: what it hides depends on every
    blind event its articles are in and on what that reader has assessed, so only a page
    that hides nothing is the same for every reader of a role."""
    if not presenter_for(viewer).keeps(state.article_ids):
        return render()
    return kept(
        state.event.id,
        page_kind(name, viewer, *choices),
        state.everything,
        render,
        lambda text: {"text": str(text)},
        lambda payload: payload["text"],
    )


def kept_html(
    state: EventState, name: str, viewer: User | None, render: Callable[[], str], *choices
) -> Markup:
    """kept_text for HTML the app rendered itself (autoescaped templates)."""
    return Markup(kept_text(state, name, viewer, render, *choices))  # noqa: S704


def framing(state: EventState, snapshot: Callable[[], EventSnapshot], top: int = 12) -> Framing:
    """comparison.framing, kept. `snapshot` is called only when it must be computed."""

    def dump(value: Framing) -> dict:
        return {
            "terms": {
                o: [[t.word, t.z, t.count] for t in terms] for o, terms in value.terms.items()
            },
            "actors": [[naming.actor.id, naming.names] for naming in value.actors],
            "outlets": value.outlets,
        }

    def load(payload: dict) -> Framing:
        by_id = {actor.id: actor for actor in state.actors}
        return Framing(
            terms={o: [Term(*t) for t in terms] for o, terms in payload["terms"].items()},
            actors=[ActorNaming(by_id[i], names) for i, names in payload["actors"]],
            outlets=payload["outlets"],
        )

    return kept(
        state.event.id,
        "framing",
        _digest([state.texts, "framing", top]),
        lambda: comparison.framing(snapshot(), top),
        dump,
        load,
    )


def actor_suggestions(
    state: EventState, snapshot: Callable[[], EventSnapshot], limit: int = 12
) -> list[ActorCandidate]:
    """suggest_actors, kept. `snapshot` is called only when it must be computed."""
    return kept(
        state.event.id,
        "actor_suggestions",
        _digest([state.texts, "actor_suggestions", limit]),
        lambda: suggest_actors(snapshot(), limit),
        lambda value: {"candidates": [[c.phrase, c.outlets, c.count] for c in value]},
        lambda payload: [ActorCandidate(*c) for c in payload["candidates"]],
    )


def suggest_actors(snapshot: EventSnapshot, limit: int = 12) -> list[ActorCandidate]:
    """Names several of the event's outlets use (capitalised phrases and acronyms), ranked,
    leaving out names its actors already have. The snapshot must carry its actors."""
    return candidate_actors(snapshot.texts_by_outlet, snapshot.actor_names, limit=limit)
