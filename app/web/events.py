"""The home page (events with coverage) and one event's articles by outlet."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from app.extensions import db
from app.models import Event
from app.services import catalogue, comparison

bp = Blueprint("events", __name__)


@bp.route("/")
def index():
    return render_template("events/index.html", coverage=catalogue.events_with_coverage())


@bp.route("/events/<int:event_id>")
def detail(event_id: int):
    event = db.get_or_404(Event, event_id)
    groups = catalogue.event_articles_by_outlet(event)
    ids = [a.id for _, articles in groups for a in articles]
    return render_template(
        "events/detail.html",
        event=event,
        groups=groups,
        claims=catalogue.claim_counts(ids),
        stats=comparison.outlet_stats(event=event),
        framing=comparison.framing(event),
        labels=list(current_app.config["PARALLAX_LABELS"]),
    )
