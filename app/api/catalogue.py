"""Read endpoints for outlets and events."""

from __future__ import annotations

from flask import jsonify

from app.api import bp
from app.extensions import db
from app.models import Event, Outlet
from app.services import catalogue


def outlet_json(outlet: Outlet) -> dict:
    return {
        "id": outlet.id,
        "name": outlet.name,
        "homepage_url": outlet.homepage_url,
        "country": outlet.country,
        "lean": outlet.lean,
        "description": outlet.description,
    }


def event_json(event: Event) -> dict:
    return {
        "id": event.id,
        "title": event.title,
        "start_date": event.start_date.isoformat() if event.start_date else None,
        "end_date": event.end_date.isoformat() if event.end_date else None,
        "summary": event.summary,
    }


@bp.get("/outlets")
def list_outlets():
    return jsonify(
        outlets=[
            outlet_json(s.outlet) | {"articles": s.articles}
            for s in catalogue.outlets_with_counts()
        ]
    )


@bp.get("/outlets/<int:outlet_id>")
def get_outlet(outlet_id: int):
    return jsonify(outlet_json(db.get_or_404(Outlet, outlet_id)))


@bp.get("/events")
def list_events():
    return jsonify(
        events=[
            event_json(c.event) | {"articles": c.articles, "outlets": c.outlets}
            for c in catalogue.events_with_coverage()
        ]
    )


@bp.get("/events/<int:event_id>")
def get_event(event_id: int):
    return jsonify(event_json(db.get_or_404(Event, event_id)))
