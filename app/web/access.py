"""Who may reach what: every endpoint is closed to anonymous visitors unless listed here, and
open to a logged-in user only if the capability it declares (`@requires`) is one their role
holds (app/capabilities.py). One guard, before any view runs, for pages and the API alike."""

from __future__ import annotations

from flask import Flask, abort, current_app, flash, jsonify, redirect, request, url_for
from flask_login import current_user

from app.capabilities import READ_ONLY, may, refusal, required_by
from app.errors import InvalidInput
from app.extensions import login_manager
from app.models import User
from app.services import accounts
from app.text.storable import text_problem

PUBLIC_ENDPOINTS = {"auth.login", "static", "api-docs.openapi_json"}


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
            if not isinstance(name, str) or not isinstance(value, str):
                continue  # a multipart part without a usable name: nothing reads it
            if problem := text_problem(name) or text_problem(value):
                raise InvalidInput(f"{name!r}: the value {problem}.", field=name)


def undeclared_endpoints(app: Flask) -> list[str]:
    """Endpoints that are neither public nor declare the capability they need."""
    return sorted(
        endpoint
        for endpoint, view in app.view_functions.items()
        if endpoint not in PUBLIC_ENDPOINTS and required_by(view) is None
    )


# What a user who must replace the password an admin gave them may still open.
FIRST_LOGIN_ENDPOINTS = {"auth.account", "auth.change_password", "auth.logout"}


def install_access_control(app: Flask) -> None:
    """The guard. Refuses to start an app with a route that declares no capability."""
    if missing := undeclared_endpoints(app):
        raise RuntimeError(f"routes without a declared capability: {', '.join(missing)}")

    @app.before_request
    def guard():
        if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
            return None  # public, or no such route (404, 405 follow)
        api = request.path.startswith("/api/")
        if not current_user.is_authenticated:
            if api:
                return _refusal(401, "unauthorized", "Log in or send a bearer token.")
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        if (
            getattr(current_user, "must_change_password", False)
            and getattr(current_user, "token_scope", None) is None  # a browser session
            and request.endpoint not in FIRST_LOGIN_ENDPOINTS
        ):
            message = "Set a password of your own first: the one you were given works once."
            if api:
                return _refusal(403, "password_change_required", message)
            flash(message, "error")
            return redirect(url_for("auth.account"))
        capability = required_by(app.view_functions[request.endpoint])
        if not may(current_user, capability):
            if api:
                return _refusal(403, "forbidden", refusal(current_user, capability))
            abort(403, refusal(current_user, capability))
        if getattr(current_user, "token_scope", None) == "read" and capability not in READ_ONLY:
            return _refusal(
                403,
                "forbidden",
                "This token may only read. Make one that may write on your account page.",
            )
        return None


def _refusal(status: int, code: str, message: str):
    response = jsonify(error=code, message=message)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="parallax"'
    return response


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
        if app.config["PARALLAX_HTTPS"]:  # browsers then refuse plain HTTP for a year
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        return response
