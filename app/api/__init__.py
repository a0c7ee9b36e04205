"""The /api/v1 JSON API: flask-smorest blueprints, so the OpenAPI document comes from the code.

Authentication: the browser session (unsafe methods also need X-CSRFToken) or
`Authorization: Bearer <token>`. Errors are always `{"error", "message", ...}`.
"""

from __future__ import annotations

from flask import Flask, Request, jsonify, request
from flask_login import current_user
from flask_smorest import Api as SmorestApi
from flask_smorest import Blueprint as SmorestBlueprint
from flask_wtf.csrf import CSRFError
from webargs.flaskparser import FlaskParser, abort
from werkzeug.exceptions import HTTPException

from app.extensions import csrf, login_manager
from app.services import accounts
from app.services.errors import (
    DomainError,
    DuplicateArticle,
    Forbidden,
    InvalidInput,
    NotFound,
    StaleVersion,
    UserExists,
)

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
WRITER_ROLES = ("admin", "reviewer")

STATUS = {
    NotFound: 404,
    Forbidden: 403,
    DuplicateArticle: 409,
    StaleVersion: 409,
    UserExists: 409,
    InvalidInput: 422,
}


class Parser(FlaskParser):
    def _handle_invalid_json_error(self, error, req, *args, **kwargs):
        abort(422, messages={"json": [f"Malformed JSON: {error}"]}, malformed=True)


class Blueprint(SmorestBlueprint):
    """An API blueprint: guards, JSON errors and CSRF handling attached once, at creation."""

    ARGUMENTS_PARSER = Parser()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        csrf.exempt(self)  # checked in _guard_writes, where bearer calls are told apart
        self.before_request(_guard_writes)
        self.before_request(_reject_non_json_bodies)
        self.register_error_handler(DomainError, domain_error_json)
        self.register_error_handler(CSRFError, csrf_error_json)
        self.register_error_handler(HTTPException, http_error_json)


class Api(SmorestApi):
    def _register_error_handlers(self):
        """Error handling is ours (JSON for the API, HTML for pages): see Blueprint."""


def is_bearer(req: Request) -> bool:
    return req.headers.get("Authorization", "").startswith("Bearer ")


def _user_from_bearer(req: Request):
    """Bearer tokens authenticate API calls only, never the HTML pages."""
    if not req.path.startswith("/api/") or not is_bearer(req):
        return None
    return accounts.user_for_token(req.headers["Authorization"].removeprefix("Bearer ").strip())


def error_response(status: int, code: str, message: str, **extra):
    response = jsonify(error=code, message=message, **extra)
    response.status_code = status
    return response


def _describe(messages) -> str:
    """Flatten marshmallow's nested messages into one readable line."""
    if isinstance(messages, dict):
        parts = []
        for key, value in messages.items():
            inner = _describe(value)
            parts.append(inner if key in ("json", "_schema", "query") else f"{key}: {inner}")
        return "; ".join(parts)
    if isinstance(messages, list):
        return " ".join(_describe(m) for m in messages)
    return str(messages)


def http_error_json(error: HTTPException):
    data = getattr(error, "data", None) or {}
    messages = data.get("messages")
    if error.code == 422 and messages is not None:
        detail = messages.get("json", messages) if isinstance(messages, dict) else messages
        code = "malformed_json" if data.get("malformed") else "invalid_input"
        return error_response(422, code, _describe(detail), errors=detail)
    code = (error.name or "error").lower().replace(" ", "_")
    if error.code == 413:
        code, description = "too_large", "The request body is larger than the 10 MB limit."
    else:
        description = error.description or error.name
    response = error_response(error.code or 500, code, description)
    return response


def domain_error_json(error: DomainError):
    status = next((s for cls, s in STATUS.items() if isinstance(error, cls)), 400)
    extra = dict(error.details)
    if isinstance(error, StaleVersion) and error.current is not None:
        from app.api.schemas import AssessmentSchema

        extra["current"] = AssessmentSchema().dump(error.current)
    return error_response(status, error.code, error.message, **extra)


def csrf_error_json(error: CSRFError):
    return error_response(
        400,
        "csrf_failed",
        f"{error.description} Send the token from the page's csrf-token meta tag in the "
        "X-CSRFToken header.",
    )


def _guard_writes():
    """Session writes need the CSRF header; researchers never write."""
    if request.method not in UNSAFE_METHODS:
        return None
    if not is_bearer(request):
        csrf.protect()
    if current_user.is_authenticated and not current_user.has_role(*WRITER_ROLES):
        return error_response(
            403, "forbidden", f"A {current_user.role} can read but not change anything."
        )
    return None


def _reject_non_json_bodies():
    if request.method in UNSAFE_METHODS and request.content_length and not request.is_json:
        return error_response(
            422, "malformed_json", "Send the body as JSON with Content-Type: application/json."
        )
    return None


def register_api(app: Flask) -> None:
    from app.api import articles, catalogue, claims, comparison, export

    app.config.setdefault("API_TITLE", "Parallax API")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api/v1")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    api = Api()
    api.init_app(
        app,
        spec_kwargs={
            "components": {
                "securitySchemes": {
                    "bearer": {"type": "http", "scheme": "bearer"},
                    "session": {"type": "apiKey", "in": "cookie", "name": "session"},
                }
            },
            "security": [{"bearer": []}, {"session": []}],
        },
    )
    login_manager.request_loader(_user_from_bearer)
    for module in (catalogue, articles, claims, export, comparison):
        for bp in module.blueprints:
            api.register_blueprint(bp)
