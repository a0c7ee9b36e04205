"""Accounts through the command line, as SPEC §5 describes them."""

import stat
from datetime import timedelta

from sqlalchemy import func, select, update

from app.extensions import db
from app.models import ApiToken, User
from app.services.accounts import authenticate
from tests.factories import make_user


def user_count() -> int:
    return db.session.scalar(select(func.count(User.id)))


def test_create_user_reads_the_password_from_stdin(runner):
    result = runner.invoke(
        args=["create-user", "rana", "--role", "reviewer"], input="s3cret-enough\n"
    )
    assert result.exit_code == 0, result.output
    assert authenticate("rana", "s3cret-enough").role == "reviewer"
    assert (
        db.session.scalar(select(User.password_hash).where(User.username == "rana"))
        != "s3cret-enough"
    )


def test_create_user_with_an_existing_name_fails_and_changes_nothing(runner):
    make_user("reviewer", "rana")
    result = runner.invoke(args=["create-user", "rana", "--role", "admin"], input="another-pass\n")
    assert result.exit_code != 0
    assert "already exists" in result.output
    assert user_count() == 1
    assert db.session.scalar(select(User.role).where(User.username == "rana")) == "reviewer"


def test_create_user_with_an_unknown_role_fails_and_changes_nothing(runner):
    result = runner.invoke(args=["create-user", "rana", "--role", "owner"], input="long-enough\n")
    assert result.exit_code != 0
    assert "owner" in result.output
    assert user_count() == 0


def test_create_token_prints_the_token_alone_and_stores_only_its_hash(runner, client):
    make_user("researcher", "ines")
    result = runner.invoke(args=["create-token", "ines"])
    assert result.exit_code == 0
    token = result.stdout.strip()
    assert result.stdout == token + "\n" and len(token) >= 40
    stored = db.session.scalars(select(ApiToken.token_hash)).all()
    assert stored and token not in stored
    ok = client.get("/api/v1/events", headers={"Authorization": f"Bearer {token}"})
    assert ok.status_code == 200
    bad = client.get("/api/v1/events", headers={"Authorization": "Bearer not-a-token"})
    assert bad.status_code == 401 and bad.json["error"] == "unauthorized"


def test_create_token_for_an_unknown_user_fails(runner):
    result = runner.invoke(args=["create-token", "ghost"])
    assert result.exit_code != 0 and "ghost" in result.output


def test_ensure_admin_writes_a_private_password_file_once(app, runner, tmp_path):
    first = runner.invoke(args=["ensure-admin"])
    assert first.exit_code == 0
    path = tmp_path / "admin-password.txt"
    password = path.read_text().strip()
    assert password in first.output
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert authenticate("admin", password).role == "admin"
    second = runner.invoke(args=["ensure-admin"])
    assert second.exit_code == 0 and password not in second.output
    assert user_count() == 1


def test_seed_command_reports_and_is_idempotent(runner):
    assert "14 new" in runner.invoke(args=["seed"]).output
    assert "0 new articles, 14 already present" in runner.invoke(args=["seed"]).output


def test_token_use_is_recorded_to_the_minute_without_a_write_per_call(runner, client):
    make_user("researcher", "ines")
    token = runner.invoke(args=["create-token", "ines"]).stdout.strip()
    headers = {"Authorization": f"Bearer {token}"}

    def last_used():
        db.session.expire_all()
        return db.session.scalar(select(ApiToken.last_used_at))

    assert last_used() is None
    assert client.get("/api/v1/events", headers=headers).status_code == 200
    first = last_used()
    assert first is not None
    assert client.get("/api/v1/events", headers=headers).status_code == 200
    assert last_used() == first  # within the minute: no second write
    db.session.execute(update(ApiToken).values(last_used_at=first - timedelta(minutes=5)))
    db.session.commit()
    assert client.get("/api/v1/events", headers=headers).status_code == 200
    assert last_used() > first - timedelta(minutes=5)
