"""The /api/v1 blueprint: JSON in and out, bearer tokens for scripts."""

from __future__ import annotations

from flask import Blueprint, Flask, Request

from app.extensions import login_manager
from app.services import accounts

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def _user_from_bearer(request: Request):
    """Bearer tokens authenticate API calls only, never the HTML pages."""
    header = request.headers.get("Authorization", "")
    if not request.path.startswith("/api/") or not header.startswith("Bearer "):
        return None
    return accounts.user_for_token(header.removeprefix("Bearer ").strip())


def register_api(app: Flask) -> None:
    from app.api import catalogue  # noqa: F401  (registers the routes)

    login_manager.request_loader(_user_from_bearer)
    app.register_blueprint(bp)
