"""The adjudication queue (admins and curators): decide disputed claims with the keyboard."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.capabilities import requires
from app.errors import InvalidInput
from app.models.limits import parse_id
from app.services.claims.visibility import presenter_for
from app.services.corpus import lists
from app.services.review import adjudication as review
from app.services.review import codebook
from app.vocabulary import labels

bp = Blueprint("review", __name__)


@bp.route("/review")
@requires("adjudicate")
def index():
    try:
        filters = review.QueueFilters.parse(request.args)
    except InvalidInput as exc:
        flash(exc.message, "error")
        filters = review.QueueFilters()
    pairs = [f"{a}/{b}" for i, a in enumerate(labels()) for b in list(labels())[i + 1 :]]
    result = review.queue(filters, presenter_for(current_user._get_current_object()))
    return render_template(
        "review.html",
        result=result,
        unanimous=review.unanimous_preview(filters) if result.unanimous else None,
        filters=filters,
        events=lists.all_events(),
        outlets=lists.all_outlets(),
        pairs=pairs,
        codebook=codebook.entries(),
    )


@bp.post("/review/accept-unanimous")
@requires("adjudicate")
def accept_unanimous():
    filters = review.QueueFilters.parse(request.form)
    expected = parse_id(request.form.get("expected"))
    if expected is None:
        raise InvalidInput("Confirm from the list of claims the review page shows first.")
    accepted = review.accept_unanimous(filters, current_user._get_current_object(), expected)
    flash(f"{accepted} claim(s) on which every reviewer agreed now have that final label.", "info")
    args = {k: v for k, v in request.form.items() if k in ("event", "outlet", "pair") and v}
    return redirect(url_for("review.index", **args)), 303
