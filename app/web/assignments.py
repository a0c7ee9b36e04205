"""Assigning an event's articles (admins), and a reviewer's "Done for me"."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app.capabilities import requires, roles_with
from app.errors import InvalidInput
from app.extensions import db
from app.models import Article, Event, User
from app.models.limits import parse_id
from app.services.claims import visibility as blind
from app.services.review import assignments

bp = Blueprint("assignments", __name__)


def _candidates() -> list[str]:
    return list(
        db.session.scalars(
            select(User.username)
            .where(User.role.in_(roles_with("assess")), User.active.is_(True))
            .order_by(User.username)
        )
    )


@bp.get("/events/<int:event_id>/assignments")
@requires("manage_assignments")
def page(event_id: int):
    event = db.get_or_404(Event, event_id)
    return render_template(
        "events/assignments.html",
        event=event,
        progress=assignments.progress(event),
        candidates=_candidates(),
        articles=sorted(event.articles, key=lambda a: a.id),
    )


@bp.post("/events/<int:event_id>/assignments")
@requires("manage_assignments")
def assign(event_id: int):
    event = db.get_or_404(Event, event_id)
    k = parse_id(request.form.get("k"))
    if k is None or k > assignments.MAX_OVERLAP:
        raise InvalidInput(f"k must be a whole number from 1 to {assignments.MAX_OVERLAP}.")
    made = assignments.assign_evenly(
        event, request.form.getlist("reviewers"), k, current_user._get_current_object()
    )
    flash(f"{made} assignment(s) made: each article now has {k} reviewer(s).", "info")
    return redirect(url_for("assignments.page", event_id=event.id)), 303


@bp.post("/articles/<int:article_id>/assignment")
@requires("manage_assignments")
def by_hand(article_id: int):
    article = db.get_or_404(Article, article_id)
    names = [n.strip() for n in request.form.get("reviewers", "").split(",") if n.strip()]
    kept = assignments.assign_by_hand(article, names, current_user._get_current_object())
    flash(f"{article.title}: {', '.join(kept) or 'no one'}.", "info")
    if (back := parse_id(request.form.get("event"))) is not None:
        return redirect(url_for("assignments.page", event_id=back)), 303
    return redirect(url_for("articles.detail", article_id=article.id)), 303


@bp.post("/articles/<int:article_id>/done")
@requires("assess")
def done(article_id: int):
    """Done for me (or, with undo, not yet); then on to the next article in the queue."""
    article = db.get_or_404(Article, article_id)
    finished = request.form.get("undo") is None
    assignments.mark_done(article, current_user._get_current_object(), finished)
    following = assignments.next_article(current_user, after=article.id) if finished else None
    if following is not None:
        flash(f"“{article.title}” is done for you. Next in your queue:", "info")
        return redirect(url_for("articles.detail", article_id=following)), 303
    flash("Done for you." if finished else "Marked as not done.", "info")
    return redirect(url_for("articles.detail", article_id=article.id)), 303


@bp.post("/events/<int:event_id>/blind")
@requires("manage_assignments")
def blind_mode(event_id: int):
    event = db.get_or_404(Event, event_id)
    blind.set_blind(event, request.form.get("blind") == "1", current_user._get_current_object())
    flash(
        "Blind mode is on: reviewers see others' claims as passages only until they assess them."
        if event.blind
        else "Blind mode is off: reviewers see every label.",
        "info",
    )
    return redirect(url_for("events.detail", event_id=event.id)), 303
