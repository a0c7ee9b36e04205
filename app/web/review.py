"""The adjudication queue (admins and curators): decide disputed claims with the keyboard."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.config import labels
from app.models.user import ADJUDICATOR_ROLES
from app.services import catalogue, codebook, review
from app.services.errors import InvalidInput
from app.web.access import roles_required

bp = Blueprint("review", __name__)


@bp.route("/review")
@roles_required(*ADJUDICATOR_ROLES)
def index():
    try:
        filters = review.QueueFilters.parse(request.args)
    except InvalidInput as exc:
        flash(exc.message, "error")
        filters = review.QueueFilters()
    pairs = [f"{a}/{b}" for i, a in enumerate(labels()) for b in list(labels())[i + 1 :]]
    return render_template(
        "review.html",
        result=review.queue(filters),
        filters=filters,
        events=catalogue.all_events(),
        outlets=catalogue.all_outlets(),
        pairs=pairs,
        codebook=codebook.entries(),
    )


@bp.post("/review/accept-unanimous")
@roles_required(*ADJUDICATOR_ROLES)
def accept_unanimous():
    filters = review.QueueFilters.parse(request.form)
    accepted = review.accept_unanimous(filters, current_user._get_current_object())
    flash(f"{accepted} claim(s) on which every reviewer agreed now have that final label.", "info")
    args = {k: v for k, v in request.form.items() if k in ("event", "outlet", "pair") and v}
    return redirect(url_for("review.index", **args)), 303
