"""Schemathesis over the OpenAPI document, as an admin, on SQLite and PostgreSQL.

Every operation gets a fixed, derandomized set of generated requests (valid and invalid).
None may answer 5xx, and every answer must agree with the document: status codes, content
types, and bodies (errors included) against their schemas. A short run; the check from
outside runs the same for minutes.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from app.extensions import db
from app.services.accounts import create_token
from app.services.claims.tagging import create_claim
from app.services.corpus.actors import create_actor
from tests.api.conftest import TEXT
from tests.factories import make_article, make_event, make_outlet, make_user

# PARALLAX_FUZZ_EXAMPLES=500 for a longer run than the suite's.
EXAMPLES_PER_OPERATION = int(os.environ.get("PARALLAX_FUZZ_EXAMPLES", "30"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
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


def test_no_generated_request_gets_a_5xx_or_contradicts_the_document(app, populated):
    token, ids = populated
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers = {"Authorization": f"Bearer {token}"}
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    # Deletes last, so that the other operations find the rows.
    for operation in sorted(operations, key=lambda op: op.method.upper() == "DELETE"):
        fuzz(operation, headers, ids, failures)
        db.session.rollback()
    assert not failures, "\n\n".join(failures[:10])


def fuzz(operation, headers: dict, ids: list[int], failures: list[str]) -> None:
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(), data=st.data())
    def run(case, data):
        for name in case.path_parameters or {}:
            if data.draw(st.booleans()):
                case.path_parameters[name] = data.draw(st.sampled_from(ids))
        response = case.call(headers=headers)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (AssertionError, ExceptionGroup) as error:  # schemathesis' failures
            found = error.exceptions if isinstance(error, ExceptionGroup) else [error]
            for failure in found:
                failures.append(
                    f"{operation.label}: {case.method} {case.formatted_path} "
                    f"query={case.query} body={str(case.body)[:200]} -> "
                    f"{response.status_code}: {str(failure)[:600]}"
                )

    run()
