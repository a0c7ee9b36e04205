"""What every /api/v1 resource module builds on: the Blueprint with its guards, the argument
parser, and the JSON error answers.

Authentication: the browser session (unsafe methods also need X-CSRFToken) or
`Authorization: Bearer <token>`. Errors are always `{"error", "message", ...}`.
"""

from __future__ import annotations

from flask import Request, current_app, jsonify, request
from flask_smorest import Api as SmorestApi
from flask_smorest import Blueprint as SmorestBlueprint
from flask_wtf.csrf import CSRFError
from webargs.flaskparser import FlaskParser, abort
from werkzeug.exceptions import HTTPException

from app.api.schemas.errors import ErrorSchema
from app.errors import DomainError, StaleVersion
from app.extensions import csrf, db
from app.services import accounts
from app.services.claims.tagging import current_assessment
from app.services.claims.visibility import assessment_json

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class Parser(FlaskParser):
    def _raw_load_json(self, req: Request):
        try:
            return super()._raw_load_json(req)
        except RecursionError:
            abort(422, messages={"json": ["Malformed JSON: nested too deeply."]}, malformed=True)
        except ValueError:  # an integer literal of thousands of digits (Python's own limit)
            abort(
                422,
                messages={"json": ["Malformed JSON: a number in it is too long to read."]},
                malformed=True,
            )

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
    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self):
        """Error handling is ours (JSON for the API, HTML for pages): see Blueprint."""


def is_bearer(req: Request) -> bool:
    return req.headers.get("Authorization", "").startswith("Bearer ")


def user_from_bearer(req: Request):
    """Bearer tokens authenticate API calls only, never the HTML pages."""
    if not req.path.startswith("/api/") or not is_bearer(req):
        return None
    return accounts.user_for_token(req.headers["Authorization"].removeprefix("Bearer ").strip())


def get_or_404(model, ident: int):
    """The row, or a JSON 404 that names what is missing ("No event 7.")."""
    return db.get_or_404(model, ident, description=f"No {model.__name__.lower()} {ident}.")


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
        # `errors` is always an object, as the document says: field -> messages.
        errors = detail if isinstance(detail, dict) else {"_body": detail}
        return error_response(422, code, _describe(detail), errors=errors)
    code = (error.name or "error").lower().replace(" ", "_")
    if error.code == 413:
        code, description = "too_large", "The request body is larger than the 10 MB limit."
    else:
        description = error.description or error.name
    response = error_response(error.code or 500, code, description)
    if error.code == 405 and getattr(error, "valid_methods", None):
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def domain_error_json(error: DomainError):
    """The domain error as JSON. Runs after the request's unit of work was rolled back, so a
    StaleVersion's `current` is read as the winner stored it."""
    extra = dict(error.details)
    if isinstance(error, StaleVersion):
        current = error.current
        if current is None and error.claim_id is not None and error.reviewer_id is not None:
            current = current_assessment(error.claim_id, error.reviewer_id)
        if current is not None:
            extra["current"] = assessment_json(current)
    return error_response(error.status, error.code, error.message, **extra)


def csrf_error_json(error: CSRFError):
    return error_response(
        400,
        "csrf_failed",
        f"{error.description} Send the token from the page's csrf-token meta tag in the "
        "X-CSRFToken header.",
    )


def _guard_writes():
    """Session writes need the CSRF header (a bearer call needs none: no browser sends it by
    itself). Who may write what is the access guard's (app/web/access.py)."""
    if request.method in UNSAFE_METHODS and not is_bearer(request):
        csrf.protect()


def accepts_upload(view):
    """Mark an operation whose body is a multipart upload (a file), not JSON."""
    view.accepts_upload = True
    return view


def _reject_non_json_bodies():
    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(view, "accepts_upload", False) and request.mimetype == "multipart/form-data":
        return None
    if request.method in UNSAFE_METHODS and request.content_length and not request.is_json:
        return error_response(
            422, "malformed_json", "Send the body as JSON with Content-Type: application/json."
        )
    return None


PAGE_HEADERS = {
    "X-Total-Count": {
        "description": "How many rows the whole list has.",
        "schema": {"type": "integer"},
    },
    "Link": {
        "description": 'The next page, as rel="next", while there is one.',
        "schema": {"type": "string"},
    },
}


def paged(rows: list, total: int, query: dict):
    """The page's rows, with the count in X-Total-Count and the next page in a Link header
    (`query`: the request's limit and offset)."""
    headers = {"X-Total-Count": str(total)}
    if query["offset"] + len(rows) < total:
        # Relative (RFC 8288 resolves it against the request): never the client's Host.
        following = (
            f"{request.path}?limit={query['limit']}&offset={query['offset'] + query['limit']}"
        )
        headers["Link"] = f'<{following}>; rel="next"'
    return rows, 200, headers
