"""Accounts that can be revoked: logout, password changes and disabling void every cookie
captured before them; /account and /admin/users; login timing and rate limits."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import ApiToken, User
from app.services import accounts
from app.services.accounts import create_token
from tests.api.conftest import TEXT, span
from tests.factories import PASSWORD, csrf_token, login, make_article, make_user


def _cookies(client) -> dict[str, str]:
    return {c.key: c.value for c in client._cookies.values()}


def _replay(app, cookies: dict[str, str]):
    """Another client carrying cookies captured from the first: what an attacker holds."""
    thief = app.test_client()
    for name, value in cookies.items():
        thief.set_cookie(name, value)
    return thief


def _is_logged_in(client) -> bool:
    return client.get("/api/v1/events").status_code == 200


def _post(client, path, **data):
    return client.post(path, data={"csrf_token": csrf_token(client, "/account"), **data})


@pytest.mark.parametrize("remember", [False, True])
def test_a_cookie_captured_before_logout_is_refused_after_it(app, client, remember):
    user = make_user("reviewer", "rana")
    client.post(
        "/login",
        data={
            "username": user.username,
            "password": PASSWORD,
            "remember": "y" if remember else "",
            "csrf_token": csrf_token(client),
        },
    )
    captured = _cookies(client)
    assert ("remember_token" in captured) == remember
    assert _is_logged_in(_replay(app, captured))
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/logout")})
    assert response.status_code == 302
    thief = _replay(app, captured)
    assert thief.get("/api/v1/events").status_code == 401
    assert thief.get("/").status_code == 302  # to the login page


def test_a_password_change_logs_out_every_other_browser_and_keeps_this_one(app, client):
    user = make_user("reviewer", "rana")
    token = create_token("rana")
    db.session.commit()
    other = app.test_client()
    login(other, user)
    other_cookies = _cookies(other)
    login(client, user)
    wrong = _post(
        client, "/account/password", current="not it", new="a-new-secret", repeat="a-new-secret"
    )
    assert wrong.status_code == 422 and b"current password is wrong" in wrong.data
    assert _is_logged_in(_replay(app, other_cookies))
    response = _post(
        client, "/account/password", current=PASSWORD, new="a-new-secret", repeat="a-new-secret"
    )
    assert response.status_code == 302
    assert _is_logged_in(client)
    assert not _is_logged_in(_replay(app, other_cookies))
    db.session.expire_all()
    assert accounts.authenticate("rana", "a-new-secret") is not None
    assert accounts.authenticate("rana", PASSWORD) is None
    # A token made with the old password is revoked with it, and the page says so.
    refused = client.get("/api/v1/events", headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 401
    assert "revokes your API tokens" in client.get("/account").get_data(as_text=True)


def test_a_token_made_on_the_account_page_has_the_scope_and_name_chosen(app, client):
    login(client, make_user("reviewer", "rana"))
    page = _post(client, "/account", name="nightly export", scope="read")
    token = re.search(r'<code class="token">([^<]+)</code>', page.get_data(as_text=True))[1]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/events", headers=headers).status_code == 200
    assert client.post("/api/v1/articles/1/claims", headers=headers, json={}).status_code == 403
    listed = client.get("/account").get_data(as_text=True)
    assert "nightly export" in listed and "read only" in listed
    assert _post(client, "/account", name="x" * 101).status_code == 422


def test_log_out_everywhere_ends_every_login(app, client):
    user = make_user("reviewer", "rana")
    other = app.test_client()
    login(other, user)
    login(client, user)
    response = _post(client, "/account/logout-everywhere")
    assert response.status_code == 302
    assert not _is_logged_in(client) and not _is_logged_in(other)


def test_account_lists_tokens_and_revokes_one(app, client):
    user = make_user("reviewer", "rana")
    keep, drop = create_token("rana"), create_token("rana")
    db.session.commit()
    login(client, user)
    page = client.get("/account").get_data(as_text=True)
    ids = re.findall(r"/account/tokens/(\d+)/revoke", page)
    assert len(ids) == 2 and "never" in page
    dropped_id = db.session.scalar(
        select(ApiToken.id).where(ApiToken.token_hash == accounts.hash_token(drop))
    )
    assert _post(client, f"/account/tokens/{dropped_id}/revoke").status_code == 302
    assert (
        client.get("/api/v1/events", headers={"Authorization": f"Bearer {drop}"}).status_code == 401
    )
    assert (
        client.get("/api/v1/events", headers={"Authorization": f"Bearer {keep}"}).status_code == 200
    )
    someone_else = make_user("reviewer", "omid")
    other_token_id = db.session.scalar(
        select(ApiToken.id).where(ApiToken.user_id == someone_else.id)
    )
    assert other_token_id is None  # omid has none; and one cannot revoke a stranger's:
    create_token("omid")
    db.session.commit()
    theirs = db.session.scalar(select(ApiToken.id).where(ApiToken.user_id == someone_else.id))
    assert _post(client, f"/account/tokens/{theirs}/revoke").status_code == 404


def test_cookies_are_samesite_lax_and_remember_me_lasts_30_days_at_most(client):
    user = make_user("reviewer", "rana")
    response = client.post(
        "/login",
        data={
            "username": user.username,
            "password": PASSWORD,
            "remember": "y",
            "csrf_token": csrf_token(client),
        },
    )
    headers = response.headers.getlist("Set-Cookie")
    remember = next(h for h in headers if h.startswith("remember_token="))
    session = next(h for h in headers if h.startswith("session="))
    for header in (remember, session):
        assert "SameSite=Lax" in header and "HttpOnly" in header
    expires = parsedate_to_datetime(re.search(r"Expires=([^;]+)", remember).group(1))
    assert expires <= datetime.now(UTC) + timedelta(days=30, minutes=1)


def test_secure_cookies_follow_the_https_setting(database_url, tmp_path):
    from tests.conftest import make_app

    app = make_app(database_url, tmp_path, PARALLAX_HTTPS=True)
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    plain = make_app(database_url, tmp_path)
    assert not plain.config.get("SESSION_COOKIE_SECURE")


@pytest.mark.parametrize("role", ["reviewer", "researcher"])
def test_admin_pages_are_for_admins_only(client, role):
    target = make_user("reviewer", "target")
    login(client, make_user(role))
    assert client.get("/admin/users").status_code == 403
    response = client.post(
        f"/admin/users/{target.id}",
        data={"action": "disable", "csrf_token": csrf_token(client, "/account")},
    )
    assert response.status_code == 403
    assert db.session.get(User, target.id).active


def test_anonymous_visitors_are_sent_to_login_from_admin_pages(client):
    assert client.get("/admin/users").status_code == 302


def _admin_post(client, path, **data):
    return client.post(path, data={"csrf_token": csrf_token(client, "/admin/users"), **data})


def test_an_admin_creates_a_user_who_logs_in_with_the_one_time_password(app, client):
    login(client, make_user("admin", "ada"))
    response = _admin_post(client, "/admin/users", username="sara", role="researcher")
    assert response.status_code == 201
    password = re.search(r'<code class="token">([^<]+)</code>', response.get_data(as_text=True))
    assert password
    sara = app.test_client()
    sara.post(
        "/login",
        data={"username": "sara", "password": password.group(1), "csrf_token": csrf_token(sara)},
    )
    # Logged in, but only to set a password of her own (the one given works once).
    assert sara.get("/account").status_code == 200
    assert sara.get("/api/v1/events").json["error"] == "password_change_required"
    page = client.get("/admin/users").get_data(as_text=True)
    assert 'data-user="sara"' in page and "researcher" in page
    again = _admin_post(client, "/admin/users", username="sara", role="reviewer")
    assert again.status_code == 409 and b"already exists" in again.data


def test_disabling_ends_sessions_and_tokens_at_once_and_enabling_needs_a_new_login(app, client):
    rana = make_user("reviewer", "rana")
    token = create_token("rana")
    db.session.commit()
    theirs = app.test_client()
    login(theirs, rana)
    captured = _cookies(theirs)
    login(client, make_user("admin", "ada"))
    assert _admin_post(client, f"/admin/users/{rana.id}", action="disable").status_code == 303
    assert not _is_logged_in(_replay(app, captured))
    assert (
        client.get("/api/v1/events", headers={"Authorization": f"Bearer {token}"}).status_code
        == 401
    )
    db.session.expire_all()
    assert accounts.authenticate("rana", PASSWORD) is None
    assert _admin_post(client, f"/admin/users/{rana.id}", action="enable").status_code == 303
    assert not _is_logged_in(_replay(app, captured))  # the old cookie stays void
    db.session.expire_all()
    assert accounts.authenticate("rana", PASSWORD) is not None


def test_role_change_reset_and_delete(app, client):
    article = make_article(text=TEXT)
    admin = make_user("admin", "ada")
    rana = make_user("reviewer", "rana")
    idle = make_user("reviewer", "idle")
    login(client, admin)
    assert (
        _admin_post(client, f"/admin/users/{rana.id}", action="role", role="researcher").status_code
        == 303
    )
    db.session.expire_all()
    assert db.session.get(User, rana.id).role == "researcher"
    assert (
        _admin_post(client, f"/admin/users/{rana.id}", action="role", role="owner").status_code
        == 422
    )

    reset = _admin_post(client, f"/admin/users/{idle.id}", action="reset")
    new_password = re.search(r'<code class="token">([^<]+)</code>', reset.get_data(as_text=True))
    db.session.expire_all()
    assert accounts.authenticate("idle", new_password.group(1)) is not None
    assert accounts.authenticate("idle", PASSWORD) is None

    # A reviewer with assessments is kept (disable instead); one without can go.
    db.session.get(User, rana.id).role = "reviewer"
    db.session.commit()
    api = {"Authorization": f"Bearer {create_token('rana')}"}
    db.session.commit()
    client.post(f"/api/v1/articles/{article.id}/claims", json=span(TEXT, "Albania"), headers=api)
    refused = _admin_post(client, f"/admin/users/{rana.id}", action="delete")
    assert refused.status_code == 409 and b"disable the account instead" in refused.data
    assert _admin_post(client, f"/admin/users/{idle.id}", action="delete").status_code == 303
    assert db.session.scalar(select(func.count()).where(User.username == "idle")) == 0


def test_an_admin_cannot_lock_themselves_out(client):
    admin = make_user("admin", "ada")
    login(client, admin)
    for action, extra in (("disable", {}), ("delete", {}), ("role", {"role": "reviewer"})):
        response = _admin_post(client, f"/admin/users/{admin.id}", action=action, **extra)
        assert response.status_code == 422, action
    db.session.expire_all()
    stored = db.session.get(User, admin.id)
    assert stored.active and stored.may("manage_users")


def test_a_login_costs_one_hash_check_whether_or_not_the_name_exists(app, monkeypatch):
    """The time of a failed login does not tell whether the name exists: each attempt runs
    exactly one password hash check (werkzeug's, counted here)."""
    make_user("reviewer", "rana")
    calls = []
    real = accounts.check_password_hash
    monkeypatch.setattr(accounts, "check_password_hash", lambda h, p: calls.append(h) or real(h, p))
    for name in ("rana", "nobody-of-that-name"):
        calls.clear()
        assert accounts.authenticate(name, "wrong password") is None
        assert len(calls) == 1
        assert calls[0].startswith("scrypt:")


def test_failed_logins_are_limited_per_account_and_address_and_no_one_locks_the_owner_out(
    database_url, tmp_path
):
    """Guesses at a name from one address are refused after the limit; guesses from many
    addresses slow that name down instead of locking it, so its owner, from an address of
    their own, still gets in."""
    from tests.conftest import make_app

    limited = make_app(
        database_url,
        tmp_path,
        RATELIMIT_ENABLED=True,
        LOGIN_RATE_LIMIT="100 per minute",
        ACCOUNT_LOGIN_RATE_LIMIT="3 per 10 minutes",
        ACCOUNT_LOGIN_SLOWDOWN="4 per 10 minutes",
        LOGIN_SLOWDOWN_SECONDS=0.3,
        PARALLAX_TRUSTED_PROXIES=1,
    )
    client = limited.test_client()
    with limited.app_context():
        from app.extensions import db as app_db
        from app.models import User

        app_db.create_all()  # when run alone: the tables may not exist yet
        owner = User(username="owner-" + tmp_path.name[-8:], role="reviewer")
        owner.set_password(PASSWORD)
        app_db.session.add(owner)
        app_db.session.commit()
        name = owner.username
        token = csrf_token(client)

        def attempt(who, address, password="wrong-guess"):  # noqa: S107 (a wrong one)
            started = time.perf_counter()
            status = client.post(
                "/login",
                data={"username": who, "password": password, "csrf_token": token},
                headers={"X-Forwarded-For": address},
            ).status_code
            return status, time.perf_counter() - started

        from_one = [attempt(name, "10.0.0.1")[0] for _ in range(4)]
        from_many = [attempt(name, f"10.0.1.{n}") for n in range(4)]
        other_name = attempt("omid", "10.0.0.1")[0]
        owner_status, owner_seconds = attempt(name, "10.0.2.1", PASSWORD)
        app_db.session.delete(app_db.session.get(User, owner.id))
        app_db.session.commit()
        limited.extensions["sqlalchemy"].engines[None].dispose()
    assert from_one == [401, 401, 401, 429]  # that pair is refused
    assert [status for status, _ in from_many] == [401] * 4  # never locked
    assert from_many[-1][1] >= 0.3  # but slowed down, once the name was tried 4 times
    assert owner_status == 302 and owner_seconds >= 0.3  # the owner gets in
    assert other_name == 401  # another name from the first address is not refused


def test_forwarded_addresses_count_only_behind_a_trusted_proxy(database_url, tmp_path):
    from tests.conftest import make_app

    for proxies, expected in ((0, [401, 401, 429]), (1, [401, 401, 401])):
        limited = make_app(
            database_url,
            tmp_path,
            RATELIMIT_ENABLED=True,
            LOGIN_RATE_LIMIT="2 per minute",
            ACCOUNT_LOGIN_RATE_LIMIT="100 per minute",
            PARALLAX_TRUSTED_PROXIES=proxies,
        )
        client = limited.test_client()
        with limited.app_context():
            limited.extensions["sqlalchemy"].create_all()  # when run alone
            token = csrf_token(client)
            statuses = [
                client.post(
                    "/login",
                    data={"username": f"x{n}", "password": "wrong-guess", "csrf_token": token},
                    headers={"X-Forwarded-For": f"10.0.1.{n}"},
                ).status_code
                for n in range(3)
            ]
            limited.extensions["sqlalchemy"].engines[None].dispose()
        assert statuses == expected, proxies


def test_the_password_an_admin_gives_works_once_then_its_owner_sets_their_own(client):
    admin = make_user("admin", "ada")
    db.session.commit()
    user, given = accounts.admin_create_user(admin, "newbie", "reviewer")
    db.session.commit()
    login(client, user, given)
    # Every page but the account page sends them to set their own password.
    events = client.get("/")
    assert events.status_code == 302 and events.headers["Location"].endswith("/account")
    assert client.get("/api/v1/events").status_code == 403
    page = client.get("/account").get_data(as_text=True)
    assert "Set a password of your own first" in page
    token = csrf_token(client, "/account")
    same = client.post(
        "/account/password",
        data={"csrf_token": token, "current": given, "new": given, "repeat": given},
    )
    assert same.status_code == 422
    changed = client.post(
        "/account/password",
        data={
            "csrf_token": token,
            "current": given,
            "new": "a password of my own",
            "repeat": "a password of my own",
        },
    )
    assert changed.status_code == 302
    assert client.get("/").status_code == 200
    db.session.expire_all()
    assert db.session.get(User, user.id).must_change_password is False
