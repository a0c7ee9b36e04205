"""Server-rendered pages, one blueprint per feature."""

from __future__ import annotations

from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException

from app.web import articles, auth, compare, events, export, outlets
from app.web.access import install_access_control, install_security_headers


def register_web(app: Flask) -> None:
    for module in (auth, events, articles, outlets, export, compare):
        app.register_blueprint(module.bp)
    install_access_control(app)
    install_security_headers(app)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        # Errors raised outside any API blueprint (unknown route, body too large while
        # routing) still answer API clients in JSON.
        if request.path.startswith("/api/"):
            from app.api import http_error_json

            return http_error_json(error)
        if error.code and error.code < 400:
            return error
        return render_template("error.html", error=error), error.code
