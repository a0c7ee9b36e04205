"""Every route of the app answers every role as the capability table says.

The routes come from the URL map, not from a list written here: a route added tomorrow is
walked too, and one that declares no capability stops the app from starting. Each route is
called with ids no row has, so a role the table allows gets past the guard to a 404 (or a
422 for an empty body), and a role it does not allow gets the guard's 403 first.
"""

from __future__ import annotations

import pytest

from app import capabilities
from app.capabilities import CAPABILITIES, READ_ONLY, ROLES, may, required_by
from app.extensions import db
from app.services import accounts
from app.web.access import PUBLIC_ENDPOINTS, undeclared_endpoints
from tests.factories import make_user

MISSING = 999_999  # an id no row has
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
# Routes that end the session they are called in: walked last.
SESSION_ENDERS = ("auth.logout", "auth.logout_everywhere", "auth.change_password")


def routes(app) -> list[tuple[str, str, str]]:
    """(endpoint, method, url) for every route and method, session enders last."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        values = {
            arg: MISSING if type(rule._converters[arg]).__name__ == "IdConverter" else "nosuch"
            for arg in rule.arguments
        }
        url = rule.build(values, append_unknown=False)[1]
        found += [(rule.endpoint, m, url) for m in METHODS if m in rule.methods]
    return sorted(found, key=lambda r: (r[0] in SESSION_ENDERS, r[0], r[1]))


def test_every_route_declares_a_capability_of_the_table(app):
    assert undeclared_endpoints(app) == []
    for endpoint, view in app.view_functions.items():
        if endpoint not in PUBLIC_ENDPOINTS:
            assert required_by(view) in CAPABILITIES, endpoint


def test_the_app_refuses_to_start_with_an_undeclared_route(app):
    from app.web.access import install_access_control

    @app.route("/forgotten")
    def forgotten():
        return "no capability declared"

    with pytest.raises(RuntimeError, match="forgotten"):
        install_access_control(app)


@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_each_role_as_the_table_says(app, role):
    app.config["WTF_CSRF_ENABLED"] = False  # the forms' tokens are test_forms.py's subject
    user = make_user(role)
    token = accounts.create_token(user.username, scope="write")
    db.session.commit()
    client = app.test_client()
    checked = 0
    for endpoint, method, url in routes(app):
        capability = required_by(app.view_functions[endpoint])
        if url.startswith("/api/"):
            headers = {"Authorization": f"Bearer {token}"}
            response = client.open(url, method=method, headers=headers, json={})
        else:
            _log_in(client, user)
            response = client.open(url, method=method, data={})
        allowed = may(user, capability)
        where = f"{role} {method} {url} ({capability})"
        assert response.status_code < 500, where
        if allowed:
            assert response.status_code != 403, f"{where} was refused: {response.data[:200]}"
        else:
            assert response.status_code == 403, f"{where} answered {response.status_code}"
        checked += 1
    assert checked > 80


def _log_in(client, user) -> None:
    """A fresh login for the session (a route walked before may have ended it)."""
    key = accounts.start_login(user, remember=False).login_key
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = key
        session["_fresh"] = True


def test_a_read_token_reads_and_writes_nothing(app, client):
    reviewer = make_user("reviewer")
    token = accounts.create_token(reviewer.username, scope="read")
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/events", headers=headers).status_code == 200
    response = client.post("/api/v1/articles/1/claims", headers=headers, json={})
    assert response.status_code == 403
    assert "only read" in response.json["message"]


def test_capabilities_a_read_token_keeps_change_nothing():
    for capability in READ_ONLY:
        assert not capability.startswith(("manage", "change")), capability


def test_a_role_added_to_the_table_is_walked_like_the_others(app, monkeypatch):
    """Adding a role is a change to the table alone: the new role gets what the table gives
    it, on every route, and nothing else."""
    monkeypatch.setattr(capabilities, "ROLES", (*ROLES, "auditor"))
    grants = {
        c: (roles | {"auditor"} if c in READ_ONLY else roles, text)
        for c, (roles, text) in CAPABILITIES.items()
    }
    monkeypatch.setattr(capabilities, "CAPABILITIES", grants)
    monkeypatch.setattr(
        capabilities,
        "_BY_ROLE",
        {r: frozenset(c for c, (rs, _) in grants.items() if r in rs) for r in (*ROLES, "auditor")},
    )
    test_every_route_answers_each_role_as_the_table_says(app, "auditor")


def test_the_readme_says_what_the_table_says():
    """The README's table of capabilities is the code's, row for row."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    rows = {}
    for line in readme.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        ticks = len(cells) == 2 + len(ROLES) and all(c in ("✓", "") for c in cells[2:])
        if ticks and cells[0].startswith("`"):  # not another table's row of as many cells
            rows[cells[0].strip("`")] = {r for r, c in zip(ROLES, cells[2:], strict=True) if c}
    assert rows == {c: set(roles) for c, (roles, _) in CAPABILITIES.items()}
