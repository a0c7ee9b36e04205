"""Outlets: the list and one outlet's profile with per-label statistics."""

from __future__ import annotations

from flask import Blueprint, render_template

from app.extensions import db
from app.models import Outlet
from app.services import catalogue, comparison

bp = Blueprint("outlets", __name__)


@bp.route("/outlets")
def index():
    return render_template("outlets/index.html", outlets=catalogue.outlets_with_counts())


@bp.route("/outlets/<int:outlet_id>")
def detail(outlet_id: int):
    outlet = db.get_or_404(Outlet, outlet_id)
    articles = catalogue.outlet_articles(outlet)
    return render_template(
        "outlets/detail.html",
        outlet=outlet,
        articles=articles,
        stats=comparison.outlet_stats(
            comparison.load_snapshots(comparison.outlet_events(outlet)), outlet
        ),
        claims=catalogue.claim_counts([a.id for a in articles]),
    )
