"""Every route is closed to anonymous visitors; login, logout and CSRF behave."""

import pytest

from app.web.access import PUBLIC_ENDPOINTS
from tests.factories import PASSWORD, csrf_token, login, make_article, make_user


def all_get_routes(app) -> list[str]:
    paths = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        paths.append(rule.build({arg: 1 for arg in rule.arguments}, append_unknown=False)[1])
    return paths


def test_anonymous_visitors_are_sent_to_login_from_every_page(app, client):
    pages = [p for p in all_get_routes(app) if not p.startswith("/api/")]
    assert "/" in pages and "/articles/1" in pages
    for path in pages:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/login?next="), path


def test_anonymous_api_calls_get_401_json(app, client):
    for path in [p for p in all_get_routes(app) if p.startswith("/api/")]:
        response = client.get(path)
        assert response.status_code == 401, path
        assert response.json["error"] == "unauthorized"


def test_login_with_a_wrong_password_says_so(client):
    user = make_user()
    response = login(client, user, password="wrong password")
    assert response.status_code == 401
    assert "Wrong username or password." in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_login_without_csrf_token_is_refused(client):
    user = make_user()
    response = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert response.status_code in (400, 401)
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("role", ["admin", "reviewer", "researcher"])
def test_every_role_can_read(client, role):
    article = make_article()
    login(client, make_user(role))
    for path in ["/", "/outlets", f"/outlets/{article.outlet_id}", f"/articles/{article.id}"]:
        assert client.get(path).status_code == 200, path


def test_login_redirects_only_to_this_site(client):
    user = make_user()
    response = client.post(
        "/login?next=https://evil.example/",
        data={"username": user.username, "password": PASSWORD, "csrf_token": csrf_token(client)},
    )
    assert response.headers["Location"] == "/"


def test_logout_needs_a_post_with_the_csrf_token(client):
    login(client, make_user())
    assert client.get("/logout").status_code == 200  # a confirmation page, still logged in
    assert client.get("/").status_code == 200
    token = csrf_token(client, "/")
    client.post("/logout", data={"csrf_token": token})
    assert client.get("/").status_code == 302


def test_unknown_ids_are_404(client):
    login(client, make_user())
    for path in ["/events/999", "/articles/999", "/outlets/999"]:
        assert client.get(path).status_code == 404


def test_login_attempts_are_rate_limited(app, database_url, tmp_path):
    from tests.conftest import make_app

    limited = make_app(
        database_url, tmp_path, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute"
    )
    client = limited.test_client()
    with limited.app_context():
        token = csrf_token(client)
        statuses = [
            client.post(
                "/login", data={"username": "x", "password": "wrong-guess", "csrf_token": token}
            ).status_code
            for _ in range(4)
        ]
        limited.extensions["sqlalchemy"].engines[None].dispose()
    assert statuses == [401, 401, 401, 429]
