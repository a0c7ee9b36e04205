"""An event's actors: the parties it concerns, each under every name outlets give it.

Admins edit them; the event page counts, per outlet, which name it uses for each. Nothing
about any one story lives in code: the seeds give their events theirs.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.capabilities import require
from app.errors import ActorExists, InvalidInput, NotFound
from app.extensions import db
from app.models import Actor, ActorAlias, Event, User, limits
from app.services.corpus.fields import check_string

MAX_ALIASES = 50


def _require_event_manager(user: User) -> None:
    require(user, "manage_events")


def check_names(name: object, aliases: object) -> tuple[str, list[str]]:
    """The actor's name and its aliases: trimmed, within the column's limit, no name twice
    (in any case), the name itself not repeated as an alias."""
    checked = check_string("name", name, limits.ACTOR_NAME, required=True)
    if aliases is None:
        aliases = []
    if isinstance(aliases, str):  # a form's textarea: one alias a line, or comma-separated
        aliases = [a for line in aliases.splitlines() for a in line.split(",")]
    if not isinstance(aliases, list | tuple):
        raise InvalidInput("aliases must be a list of names.")
    if len(aliases) > MAX_ALIASES:
        raise InvalidInput(f"An actor can have at most {MAX_ALIASES} aliases.")
    seen = {checked.casefold()}  # type: ignore[union-attr]
    out: list[str] = []
    for alias in aliases:
        value = check_string("alias", alias, limits.ACTOR_NAME)
        if value is None or value.casefold() in seen:
            continue
        seen.add(value.casefold())
        out.append(value)
    return checked, out  # type: ignore[return-value]


def list_actors(event: Event) -> list[Actor]:
    return list(
        db.session.scalars(
            select(Actor)
            .where(Actor.event_id == event.id)
            .options(selectinload(Actor.aliases))
            .order_by(Actor.name, Actor.id)
        )
    )


def get_actor(event: Event, actor_id: int) -> Actor:
    actor = db.session.get(Actor, actor_id)
    if actor is None or actor.event_id != event.id:
        raise NotFound(f"No actor {actor_id} in event {event.id}.")
    return actor


def _refuse_taken_name(event: Event, name: str, actor: Actor | None = None) -> None:
    for other in list_actors(event):
        if other is not actor and other.name.casefold() == name.casefold():
            raise ActorExists(f"Event {event.id} already has an actor named {other.name!r}.")


def _new_actor(event: Event, name: str, aliases: list[str]) -> Actor:
    actor = Actor(event=event, name=name, aliases=[ActorAlias(alias=a) for a in aliases])
    db.session.add(actor)
    return actor


def create_actor(event: Event, user: User, *, name: object, aliases: object = ()) -> Actor:
    """A new actor of the event (admins only)."""
    _require_event_manager(user)
    name, names = check_names(name, aliases)
    _refuse_taken_name(event, name)
    actor = _new_actor(event, name, names)
    db.session.flush()
    return actor


def update_actor(actor: Actor, user: User, *, name: object, aliases: object = ()) -> Actor:
    """Rename the actor and replace its aliases (admins only)."""
    _require_event_manager(user)
    name, names = check_names(name, aliases)
    _refuse_taken_name(actor.event, name, actor)
    actor.name = name
    kept = {a.alias: a for a in actor.aliases}
    actor.aliases = [kept.get(a) or ActorAlias(alias=a) for a in names]
    db.session.flush()
    return actor


def delete_actor(actor: Actor, user: User) -> None:
    """Remove the actor and its aliases (admins only)."""
    _require_event_manager(user)
    db.session.delete(actor)
    db.session.flush()


def seed_actors(event: Event, entries: Iterable[tuple[str, list[str]]]) -> int:
    """Give the event the actors it does not have yet, by name; returns how many were new."""
    have = {a.name.casefold() for a in list_actors(event)}
    created = 0
    for name, aliases in entries:
        name, names = check_names(name, aliases)
        if name.casefold() in have:
            continue
        _new_actor(event, name, names)
        have.add(name.casefold())
        created += 1
    db.session.flush()
    return created
