"""The export page: choose filters and a format, see the live count, download."""

from __future__ import annotations

import json

from flask import Blueprint, Response, render_template

from app.capabilities import requires
from app.formats import attachment, writable
from app.services.corpus import lists
from app.services.review import codebook

bp = Blueprint("export", __name__)


@bp.route("/export")
@requires("export")
def index():
    return render_template(
        "export/index.html",
        formats=writable(),
        events=lists.all_events(),
        outlets=lists.all_outlets(),
        reviewers=lists.reviewer_names(),
    )


@bp.route("/codebook")
@requires("read")
def codebook_page():
    """What each label means, for everyone who reads or exports claims."""
    return render_template("codebook.html", entries=codebook.entries())


@bp.route("/export/codebook.json")
@requires("read")
def codebook_download():
    body = json.dumps(codebook.as_records(), ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": attachment("parallax-codebook.json")},
    )
