"""The home page (events with coverage), one event's page, and editing its actors."""

from __future__ import annotations

import functools

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.capabilities import requires
from app.extensions import db
from app.models import Event
from app.services.claims.visibility import presenter_for
from app.services.compare import comparison, figures
from app.services.corpus import actors, lists
from app.services.review import assignments

bp = Blueprint("events", __name__)


@bp.route("/")
@requires("read")
def index():
    queue = assignments.my_queue(current_user) if current_user.may("assess") else []
    return render_template(
        "events/index.html",
        coverage=lists.events_page(lists.page_offset(request.args.get("page"))),
        queue=queue,
        next_article=next((q.article.id for q in queue if not q.done), None),
    )


@bp.route("/events/<int:event_id>")
@requires("read")
def detail(event_id: int):
    event = db.get_or_404(Event, event_id)
    state = figures.event_state(event)
    # Read only when a kept part is missing or stale. Blind mode hides from a reviewer what
    # it hides.
    snapshot = functools.cache(
        lambda: comparison.load_snapshot(
            event, presenter_for(current_user._get_current_object()), actors=True
        )
    )

    def coverage() -> str:
        return render_template(
            "events/_coverage.html",
            groups=snapshot().articles_by_outlet(),
            stats=comparison.outlet_stats([snapshot()]),
            framing=figures.framing(state, snapshot),
        )

    return render_template(
        "events/detail.html",
        event=event,
        coverage=figures.kept_html(state, "event", current_user, coverage),
        actors=state.actors,
        candidates=figures.actor_suggestions(state, snapshot)
        if current_user.may("manage_events")
        else [],
        progress=assignments.progress(event),
    )


def _back(event: Event):
    return redirect(url_for("events.detail", event_id=event.id, _anchor="actors"), 303)


# CSRFProtect checks the forms' tokens before these views run. A refusal (a name taken, too
# long) raises: the request is rolled back and the error page says why, with a way back.


@bp.route("/events/<int:event_id>/actors", methods=["POST"])
@requires("manage_events")
def add_actor(event_id: int):
    event = db.get_or_404(Event, event_id)
    actor = actors.create_actor(
        event, current_user, name=request.form.get("name"), aliases=request.form.get("aliases")
    )
    flash(f"Actor {actor.name!r} added.", "info")
    return _back(event)


@bp.route("/events/<int:event_id>/actors/<int:actor_id>", methods=["POST"])
@requires("manage_events")
def edit_actor(event_id: int, actor_id: int):
    event = db.get_or_404(Event, event_id)
    actor = actors.get_actor(event, actor_id)
    if request.form.get("delete"):
        actors.delete_actor(actor, current_user)
        flash(f"Actor {actor.name!r} removed.", "info")
    else:
        actors.update_actor(
            actor, current_user, name=request.form.get("name"), aliases=request.form.get("aliases")
        )
        flash(f"Actor {actor.name!r} saved.", "info")
    return _back(event)
