"""Parallax: source comparison and bias annotation for news articles."""

from __future__ import annotations

from pathlib import Path

from werkzeug.middleware.proxy_fix import ProxyFix

from app.api import register_api
from app.cli import register_cli
from app.config import load_config
from app.extensions import configure_sqlite, csrf, db, limiter, login_manager, migrate
from app.routing import IdConverter, LabelConverter
from app.unit_of_work import Parallax
from app.web import register_web
from app.web.access import (
    install_access_control,
    refuse_oversized_body,
    refuse_unstorable_fields,
)

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def create_app(test_config: dict | None = None) -> Parallax:
    """Config -> extensions -> blueprints -> CLI."""
    app = Parallax(__name__, instance_relative_config=True)
    app.url_map.converters["int"] = IdConverter
    app.url_map.converters["label"] = LabelConverter
    load_config(app, test_config)
    if proxies := app.config["PARALLAX_TRUSTED_PROXIES"]:
        # The client's address (rate limits) and scheme come from the proxies' headers.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    # First of all request hooks: CSRFProtect's would otherwise parse an oversized body.
    app.before_request(refuse_oversized_body)
    app.before_request(refuse_unstorable_fields)

    db.init_app(app)
    with app.app_context():
        configure_sqlite(db.engine)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR))
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)

    register_web(app)
    register_api(app)
    register_cli(app)
    install_access_control(app)  # last: it checks every route declares a capability
    return app
