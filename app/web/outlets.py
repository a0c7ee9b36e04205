"""Outlets: the list and one outlet's profile with per-label statistics."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.capabilities import requires
from app.extensions import db
from app.models import Outlet
from app.services.claims.visibility import presenter_for
from app.services.compare import comparison
from app.services.corpus import lists, outlets

bp = Blueprint("outlets", __name__)


@bp.route("/outlets")
@requires("read")
def index():
    page = lists.outlets_page(lists.page_offset(request.args.get("page")))
    return render_template("outlets/index.html", outlets=page)


@bp.route("/outlets/<int:outlet_id>")
@requires("read")
def detail(outlet_id: int):
    outlet = db.get_or_404(Outlet, outlet_id)
    articles = lists.outlet_articles(outlet)
    return render_template(
        "outlets/detail.html",
        outlet=outlet,
        articles=articles,
        stats=comparison.outlet_stats(
            comparison.load_snapshots(
                comparison.outlet_events(outlet), presenter_for(current_user._get_current_object())
            ),
            outlet,
        ),
        claims=lists.claim_counts([a.id for a in articles]),
    )


@bp.post("/outlets/<int:outlet_id>/aliases")
@requires("manage_outlets")
def aliases(outlet_id: int):
    """Replace the outlet's aliases from the profile's form: one per line or comma."""
    outlet = db.get_or_404(Outlet, outlet_id)
    raw = request.form.get("aliases", "")
    names = [n.strip() for n in raw.replace(",", "\n").split("\n") if n.strip()]
    outlets.set_aliases(outlet, names)
    flash(f"{outlet.name} goes by {', '.join(names) or 'no other name'}.", "info")
    return redirect(url_for("outlets.detail", outlet_id=outlet.id)), 303
