"""The export page: choose filters and a format, see the live count, download."""

from __future__ import annotations

from flask import Blueprint, render_template

from app.formats import FORMATS
from app.services import catalogue

bp = Blueprint("export", __name__)


@bp.route("/export")
def index():
    return render_template(
        "export/index.html",
        formats=list(FORMATS),
        events=catalogue.all_events(),
        outlets=catalogue.all_outlets(),
        reviewers=catalogue.reviewer_names(),
    )
