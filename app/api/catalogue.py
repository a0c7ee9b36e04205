"""Outlets, events and their propositions."""

from __future__ import annotations

from flask_login import current_user

from app.api.base import PAGE_HEADERS, Blueprint, get_or_404, paged
from app.api.schemas.catalogue import (
    ActorCandidateSchema,
    ActorIn,
    ActorSchema,
    AliasesIn,
    EventCoverageSchema,
    EventIn,
    EventSchema,
    OutletIn,
    OutletSchema,
    PropositionIn,
    PropositionSchema,
)
from app.api.schemas.fields import ListQuery
from app.capabilities import requires
from app.models import Event, Outlet
from app.services.claims import propositions
from app.services.compare import comparison, figures
from app.services.corpus import actors, lists
from app.services.corpus import events as events_service
from app.services.corpus import outlets as outlets_service

outlets = Blueprint(
    "api_outlets",
    __name__,
    url_prefix="/api/v1/outlets",
    description="Publishers, with their lean.",
)
events = Blueprint(
    "api_events",
    __name__,
    url_prefix="/api/v1/events",
    description="Events, their coverage and propositions.",
)
blueprints = [outlets, events]


@outlets.get("")
@requires("read")
@outlets.arguments(ListQuery, location="query")
@outlets.response(200, OutletSchema(many=True), headers=PAGE_HEADERS)
def list_outlets(query: dict):
    """Outlets by name, `limit` at a time from `offset`."""
    page = lists.outlets_page(query["offset"], query["limit"], exact_offset=True, counts=False)
    return paged([row.outlet for row in page.items], page.total, query)


@outlets.post("")
@requires("manage_outlets")
@outlets.arguments(OutletIn)
@outlets.response(201, OutletSchema)
def create_outlet(data):
    return outlets_service.create_outlet(**data)


@outlets.get("/<int:outlet_id>")
@requires("read")
@outlets.response(200, OutletSchema)
def get_outlet(outlet_id: int):
    return get_or_404(Outlet, outlet_id)


@outlets.put("/<int:outlet_id>/aliases")
@requires("manage_outlets")
@outlets.arguments(AliasesIn)
@outlets.response(200, OutletSchema)
def set_aliases(data, outlet_id: int):
    """Replace the outlet's aliases. 409 if one already names another outlet."""
    return outlets_service.set_aliases(get_or_404(Outlet, outlet_id), data["aliases"])


@events.get("")
@requires("read")
@events.arguments(ListQuery, location="query")
@events.response(200, EventCoverageSchema(many=True), headers=PAGE_HEADERS)
def list_events(query: dict):
    """Events, newest first, with their coverage, `limit` at a time from `offset`."""
    fields = ("id", "title", "start_date", "end_date", "summary")
    page = lists.events_page(query["offset"], query["limit"], exact_offset=True)
    rows = [
        {
            **{f: getattr(row.event, f) for f in fields},
            "articles": row.articles,
            "outlets": row.outlets,
        }
        for row in page.items
    ]
    return paged(rows, page.total, query)


@events.post("")
@requires("manage_events")
@events.arguments(EventIn)
@events.response(201, EventSchema)
def create_event(data):
    return events_service.create_event(**data)


@events.get("/<int:event_id>")
@requires("read")
@events.response(200, EventSchema)
def get_event(event_id: int):
    return get_or_404(Event, event_id)


@events.get("/<int:event_id>/propositions")
@requires("read")
@events.response(200, PropositionSchema(many=True))
def list_propositions(event_id: int):
    return propositions.list_propositions(get_or_404(Event, event_id))


@events.post("/<int:event_id>/propositions")
@requires("annotate")
@events.arguments(PropositionIn)
@events.response(201, PropositionSchema)
def create_proposition(data, event_id: int):
    event = get_or_404(Event, event_id)
    return propositions.create_proposition(event, current_user, **data)


@events.get("/<int:event_id>/actors")
@requires("read")
@events.response(200, ActorSchema(many=True))
def list_actors(event_id: int):
    """The event's actors, each with its aliases."""
    return actors.list_actors(get_or_404(Event, event_id))


@events.post("/<int:event_id>/actors")
@requires("manage_events")
@events.arguments(ActorIn)
@events.response(201, ActorSchema)
def create_actor(data, event_id: int):
    """Add an actor to the event (admins)."""
    return actors.create_actor(get_or_404(Event, event_id), current_user, **data)


@events.put("/<int:event_id>/actors/<int:actor_id>")
@requires("manage_events")
@events.arguments(ActorIn)
@events.response(200, ActorSchema)
def update_actor(data, event_id: int, actor_id: int):
    """Rename an actor and replace its aliases (admins)."""
    actor = actors.get_actor(get_or_404(Event, event_id), actor_id)
    return actors.update_actor(actor, current_user, **data)


@events.delete("/<int:event_id>/actors/<int:actor_id>")
@requires("manage_events")
@events.response(204)
def delete_actor(event_id: int, actor_id: int):
    """Remove an actor (admins)."""
    actors.delete_actor(actors.get_actor(get_or_404(Event, event_id), actor_id), current_user)


@events.get("/<int:event_id>/actor-suggestions")
@requires("read")
@events.response(200, ActorCandidateSchema(many=True))
def suggest_actors(event_id: int):
    """Names several of the event's outlets use (capitalised phrases and acronyms), ranked by
    how many outlets use them; names its actors already have are left out."""
    event = get_or_404(Event, event_id)
    return figures.actor_suggestions(
        figures.event_state(event), lambda: comparison.load_snapshot(event, actors=True)
    )
