"""Server-rendered pages, one blueprint per feature."""

from __future__ import annotations

from types import SimpleNamespace

from flask import Flask, render_template, request
from flask_login import current_user
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from app.api.base import domain_error_json, http_error_json
from app.capabilities import capabilities_of
from app.errors import DomainError
from app.text.chunks import text_chunks
from app.vocabulary import NO_FINAL_LABEL, label_class, labels
from app.web import (
    admin,
    agreement,
    articles,
    assignments,
    auth,
    compare,
    events,
    export,
    imports,
    outlets,
    review,
    search,
)
from app.web.access import install_security_headers


def register_web(app: Flask) -> None:
    for module in (
        auth,
        events,
        articles,
        outlets,
        export,
        compare,
        admin,
        agreement,
        review,
        assignments,
        search,
        imports,
    ):
        app.register_blueprint(module.bp)
    app.add_template_filter(text_chunks)
    app.add_template_filter(label_class)
    app.add_template_filter(counted)

    @app.context_processor
    def vocabulary() -> dict:
        """What every template may show and test: the labels in force, the no-final-label
        value, and `may`, the capabilities of whoever reads the page."""
        return {
            "labels": list(labels()),
            "no_final_label": NO_FINAL_LABEL,
            "may": capabilities_of(getattr(current_user, "role", None))
            if current_user.is_authenticated
            else frozenset(),
        }

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        # Views catch what they can explain on their own page; anything else (a write that
        # collided at commit, say) still answers with its status and message.
        if request.path.startswith("/api/"):
            return domain_error_json(error)
        page = SimpleNamespace(
            code=error.status,
            name=HTTP_STATUS_CODES.get(error.status, "Error"),
            description=error.message,
        )
        return render_template("error.html", error=page, back=_same_site_referrer()), error.status

    install_security_headers(app)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        # Errors raised outside any API blueprint (unknown route, body too large while
        # routing) still answer API clients in JSON.
        if request.path.startswith("/api/"):
            return http_error_json(error)
        if error.code and error.code < 400:
            return error
        return render_template("error.html", error=error, back=_same_site_referrer()), error.code


def _same_site_referrer() -> str | None:
    """The page the visitor came from, when it is one of ours (no open redirect)."""
    referrer = request.referrer or ""
    return referrer if referrer.startswith(request.host_url) else None


def counted(n: int, noun: str) -> str:
    """ "1 claim", "3 claims": a count with its noun (a regular English plural)."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"
