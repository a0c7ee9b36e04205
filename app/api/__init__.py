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
    imports,
    search,
)
from app.api.base import Api, user_from_bearer
from app.api.schemas.fields import IdOrName, Vocabulary
from app.extensions import login_manager
from app.models import limits
from app.routing import IdConverter, LabelConverter, id_parameter_schema
from app.vocabulary import NO_FINAL_LABEL


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
    api.ma_plugin.converter.add_attribute_function(_vocabulary_properties(app))
    api.register_converter(LabelConverter, lambda _converter: _enum(labels_of(app)))
    login_manager.request_loader(user_from_bearer)
    for module in (
        catalogue,
        articles,
        claims,
        export,
        imports,
        comparison,
        agreement,
        codebook,
        assignments,
        search,
    ):
        for bp in module.blueprints:
            api.register_blueprint(bp)


def labels_of(app: Flask) -> list[str]:
    return list(app.config["PARALLAX_LABELS"])


def _enum(names: list[str]) -> dict:
    return {"type": "string", "enum": names}


def _vocabulary_properties(app: Flask):
    """What the OpenAPI document says of fields whose values are configuration (labels,
    stances) or one of two types (an outlet by id or name): apispec cannot tell from the
    marshmallow field alone."""
    vocabularies = {
        "labels": labels_of(app),
        "final_labels": [*labels_of(app), NO_FINAL_LABEL],
        "stances": list(app.config["PARALLAX_STANCES"]),
    }

    def properties(_converter, field, **_kwargs) -> dict:
        if isinstance(field, Vocabulary):
            return {"enum": vocabularies[field.kind]}
        if isinstance(field, IdOrName):
            return {
                "oneOf": [
                    {"type": "integer", "minimum": 1, "maximum": limits.MAX_ID},
                    {"type": "string", "minLength": 1, "maxLength": limits.OUTLET_NAME},
                ]
            }
        return {}

    return properties
