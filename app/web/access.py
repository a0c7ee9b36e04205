"""Who may reach what. Every endpoint is closed to anonymous visitors unless listed here."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from flask import Flask, abort, current_app, jsonify, redirect, request, url_for
from flask_login import current_user

from app.extensions import db, login_manager
from app.models import User

PUBLIC_ENDPOINTS = {"auth.login", "static", "api-docs.openapi_json"}

F = TypeVar("F", bound=Callable)


def roles_required(*roles: str) -> Callable[[F], F]:
    """Refuse (403) a logged-in user whose role is not one of `roles`."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def admins_only(view: F) -> F:
    """Refuse (403) anyone but an admin (the rule is User.is_admin)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    # A bearer token, when sent, decides who calls the API, whatever session cookie rides along.
    if request.path.startswith("/api/") and request.headers.get("Authorization", "").startswith(
        "Bearer "
    ):
        return None
    return db.session.get(User, int(user_id))


def refuse_oversized_body() -> None:
    """413 on the declared length, before anything (CSRF, forms) starts parsing the body."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit and request.content_length and request.content_length > limit:
        abort(413, f"The request body is larger than the {limit // (1024 * 1024)} MB limit.")


def install_access_control(app: Flask) -> None:
    @app.before_request
    def require_login():
        if request.endpoint in PUBLIC_ENDPOINTS or current_user.is_authenticated:
            return None
        if request.path.startswith("/api/"):
            response = jsonify(error="unauthorized", message="Log in or send a bearer token.")
            response.status_code = 401
            response.headers["WWW-Authenticate"] = 'Bearer realm="parallax"'
            return response
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def install_security_headers(app: Flask) -> None:
    csp = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
        "form-action 'self'; frame-ancestors 'none'"
    )

    @app.after_request
    def set_headers(response):
        response.headers.setdefault("Content-Security-Policy", csp)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response
