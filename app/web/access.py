"""Who may reach what. Every endpoint is closed to anonymous visitors unless listed here."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from flask import Flask, abort, current_app, jsonify, redirect, request, url_for
from flask_login import current_user

from app.extensions import login_manager
from app.models import User
from app.services import accounts
from app.services.errors import InvalidInput
from app.text.storable import text_problem

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
def load_user(login_key: str) -> User | None:
    """The user of the login the session or remember-me cookie names (see models.Login)."""
    # A bearer token, when sent, decides who calls the API, whatever session cookie rides along.
    if request.path.startswith("/api/") and request.headers.get("Authorization", "").startswith(
        "Bearer "
    ):
        return None
    return accounts.user_for_login(login_key)


def refuse_oversized_body() -> None:
    """413 for a body over the limit, before anything (CSRF, forms, JSON) starts parsing it.

    A declared length is checked as it is. A chunked body has none: werkzeug hands out its
    first MAX_CONTENT_LENGTH bytes and silently drops the rest, which would reach the parser
    as malformed JSON (422) or a cut form. It is read here, once, and refused when it fills
    the limit; the views parse the cached copy."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if not limit:
        return
    too_large = f"The request body is larger than the {limit // (1024 * 1024)} MB limit."
    if request.content_length is not None:
        if request.content_length > limit:
            abort(413, too_large)
        return
    if request.environ.get("wsgi.input_terminated") and len(request.get_data(cache=True)) >= limit:
        abort(413, too_large)


def refuse_unstorable_fields() -> None:
    """422 naming the field when a query or form value cannot be stored or looked up (a NUL
    in `?reviewer=`, say): PostgreSQL would refuse it mid-query. JSON bodies are checked by
    their schemas, with the same rule."""
    sources = [request.args]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        sources.append(request.form)
    for source in sources:
        for name, value in source.items(multi=True):
            if problem := text_problem(name) or text_problem(value):
                raise InvalidInput(f"{name!r}: the value {problem}.", field=name)


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
