"""Server-rendered pages, one blueprint per feature."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request

from app.web import articles, auth, events, outlets
from app.web.access import install_access_control, install_security_headers


def register_web(app: Flask) -> None:
    for module in (auth, events, articles, outlets):
        app.register_blueprint(module.bp)
    install_access_control(app)
    install_security_headers(app)

    @app.errorhandler(403)
    @app.errorhandler(404)
    @app.errorhandler(413)
    def http_error(error):
        if request.path.startswith("/api/"):
            return jsonify(
                error=error.name.lower().replace(" ", "_"), message=error.description
            ), error.code
        return render_template("error.html", error=error), error.code
