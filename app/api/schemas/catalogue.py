"""Outlets, events, propositions and actors."""

from __future__ import annotations

from marshmallow import Schema, fields

from app.api.schemas.fields import Id, In, Text, Url, limited, named
from app.models import limits


class OutletIn(In):
    name = named(limits.OUTLET_NAME, required=True)
    homepage_url = Url(allow_none=True)
    country = limited(limits.OUTLET_COUNTRY, allow_none=True)
    lean = limited(limits.OUTLET_LEAN, allow_none=True)
    description = Text(allow_none=True)
    aliases = fields.List(
        named(limits.OUTLET_NAME),
        metadata={"description": "Other names it goes by; imports and the API find it by them."},
    )


class AliasesIn(In):
    aliases = fields.List(named(limits.OUTLET_NAME), required=True)


class OutletSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    homepage_url = fields.String(allow_none=True)
    country = fields.String(allow_none=True)
    lean = fields.String(allow_none=True)
    description = fields.String(allow_none=True)
    aliases = fields.Function(lambda o: [a.alias for a in o.aliases])


class EventIn(In):
    title = named(limits.EVENT_TITLE, required=True)
    start_date = fields.Date(allow_none=True)
    end_date = fields.Date(allow_none=True)
    date = fields.Date(allow_none=True, metadata={"description": "Shorthand for start_date."})
    summary = Text(allow_none=True)


class EventSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    start_date = fields.Date(allow_none=True)
    end_date = fields.Date(allow_none=True)
    summary = fields.String(allow_none=True)


class EventCoverageSchema(EventSchema):
    articles = fields.Integer(metadata={"description": "Articles linked to the event."})
    outlets = fields.Integer(metadata={"description": "Distinct outlets among them."})


class OutletRef(Schema):
    id = fields.Integer()
    name = fields.String()
    lean = fields.String(allow_none=True)


class PropositionIn(In):
    statement = named(limits.MAX_INT, required=True)
    claims = fields.List(Id(strict=True), load_default=list)


class PropositionSchema(Schema):
    id = fields.Integer()
    event_id = fields.Integer()
    statement = fields.String()
    claims = fields.Function(lambda p: sorted(c.id for c in p.claims))
    created_at = fields.DateTime()


class ActorIn(In):
    name = named(limits.ACTOR_NAME, required=True)
    aliases = fields.List(
        named(limits.ACTOR_NAME),
        load_default=list,
        metadata={"description": "Other names outlets give the actor."},
    )


class ActorSchema(Schema):
    id = fields.Integer()
    event_id = fields.Integer()
    name = fields.String()
    aliases = fields.Function(lambda a: [x.alias for x in a.aliases])


class ActorCandidateSchema(Schema):
    phrase = fields.String()
    outlets = fields.Integer(metadata={"description": "How many outlets use it."})
    count = fields.Integer(metadata={"description": "How often, in all."})
