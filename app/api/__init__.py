"""The /api/v1 JSON API: flask-smorest blueprints, so the OpenAPI document comes from the code.

This package only registers its resource modules; what they share is in `app.api.base`.
"""

from __future__ import annotations

from flask import Flask

from app.api import (
    agreement,
    articles,
    assignments,
    catalogue,
    claims,
    codebook,
    comparison,
    export,
    search,
)
from app.api.base import Api, user_from_bearer
from app.extensions import login_manager
from app.routing import IdConverter, id_parameter_schema


def register_api(app: Flask) -> None:
    app.config.setdefault("API_TITLE", "Parallax API")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api/v1")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    api = Api()
    api.register_converter(IdConverter, id_parameter_schema)
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
    login_manager.request_loader(user_from_bearer)
    for module in (
        catalogue,
        articles,
        claims,
        export,
        comparison,
        agreement,
        codebook,
        assignments,
        search,
    ):
        for bp in module.blueprints:
            api.register_blueprint(bp)
