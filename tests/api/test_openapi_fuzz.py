"""Schemathesis over the OpenAPI document, as an admin, on SQLite and PostgreSQL, with every
check on, for valid (positive) and invalid (negative) requests.

Every operation gets a fixed, derandomized set of generated requests (valid and invalid).
None may answer 5xx, and every answer must agree with the document: status codes, content
types, and bodies (errors included) against their schemas. A short run; the check from
outside runs the same for minutes.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    allow_header_conformance,
    content_type_conformance,
    missing_required_header,
    negative_data_rejection,
    not_a_server_error,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation import GenerationMode

from app.extensions import db
from app.services.accounts import create_token
from app.services.claims.tagging import create_claim
from app.services.corpus.actors import create_actor
from tests.api.conftest import TEXT
from tests.factories import make_article, make_event, make_outlet, make_user

ROOT = Path(__file__).resolve().parents[2]
# PARALLAX_FUZZ_EXAMPLES=500 for a longer run than the suite's.
EXAMPLES_PER_OPERATION = int(os.environ.get("PARALLAX_FUZZ_EXAMPLES", "30"))
# Every check that judges one response. Left to `st run` (the README's command): the stateful
# ones (use_after_free, ensure_resource_availability), and ignored_auth, which in process
# replays the request with the test's own Authorization header (every route's answer to a
# caller without credentials is tests/web/test_capabilities.py's subject).
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    missing_required_header,
    unsupported_method,
    allow_header_conformance,
]


@pytest.fixture
def populated(app):
    """Rows of every kind, whose ids the path parameters are drawn from (as well as the
    generated ones), so that requests reach a real claim, article, event or actor."""
    admin = make_user("admin", "ada")
    event = make_event("Departure")
    reviewer = make_user("reviewer", "rana")
    ids = {event.id, admin.id, reviewer.id}
    for name in ("Daily Lantern", "Evening Star"):
        article = make_article(make_outlet(name), text=TEXT, events=[event])
        claim = create_claim(article, reviewer, start=4, end=8, quote=TEXT[4:8], label="supporting")
        ids |= {article.id, article.outlet_id, claim.id}
    ids.add(create_actor(event, admin, name="Camp Liberty", aliases=["Liberty"]).id)
    token = create_token(admin.username)
    db.session.commit()
    return token, sorted(ids)


@pytest.mark.parametrize("mode", list(GenerationMode), ids=lambda m: m.value)
def test_no_generated_request_gets_a_5xx_or_contradicts_the_document(app, populated, mode):
    """Valid requests (positive) must be accepted, invalid ones (negative) refused."""
    token, ids = populated
    # The project's schemathesis.toml: the operations where a rule joining two values may
    # refuse a schema-valid request (the same file `st run` reads from outside).
    config = schemathesis.Config.from_path(str(ROOT / "schemathesis.toml"))
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=config)
    headers = {"Authorization": f"Bearer {token}"}
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    # Deletes last, so that the other operations find the rows.
    for operation in sorted(operations, key=lambda op: op.method.upper() == "DELETE"):
        fuzz(operation, headers, ids, failures, mode)
        db.session.rollback()
    assert not failures, f"{len(failures)} failures:\n\n" + "\n\n".join(failures[:40])


def fuzz(operation, headers: dict, ids: list[int], failures: list[str], mode) -> None:
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode), data=st.data())
    def run(case, data):
        meta = case.meta
        if meta is not None and meta.is_negative_at(ParameterLocation.HEADER):
            return  # its invalid header may be the Authorization this test replaces
        path_is_negative = meta is not None and meta.is_negative_at(ParameterLocation.PATH)
        for name in case.path_parameters or {}:
            if name.endswith("_id") and not path_is_negative and data.draw(st.booleans()):
                case.path_parameters[name] = data.draw(st.sampled_from(ids))
        if mode is GenerationMode.POSITIVE and not _body_is_valid(case):
            return  # a dictionary draw the generator put in without its schema's pattern
        response = case.call(headers=headers)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (AssertionError, BaseExceptionGroup) as error:  # schemathesis' failures
            found = error.exceptions if isinstance(error, BaseExceptionGroup) else [error]
            for failure in found:
                failures.append(
                    f"{operation.label}: {case.method} {case.formatted_path} "
                    f"query={case.query} body={str(case.body)[:200]} -> "
                    f"{response.status_code}: {str(failure)[:600]}"
                )

    run()


def _body_is_valid(case) -> bool:
    """Whether a generated body validates against its schema, as `st run` revalidates it."""
    if case.body is None or case.media_type is None or not isinstance(case.body, dict | list):
        return True
    validator = case.operation.schema.adapter.jsonschema_validator_cls
    return case._validate_component(ParameterLocation.BODY, case.body, validator)
