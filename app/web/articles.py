"""The reading view of one article."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from app.extensions import db
from app.models import Article

bp = Blueprint("articles", __name__)


@bp.route("/articles/<int:article_id>")
def detail(article_id: int):
    article = db.get_or_404(Article, article_id)
    return render_template(
        "articles/detail.html", article=article, labels=list(current_app.config["PARALLAX_LABELS"])
    )
