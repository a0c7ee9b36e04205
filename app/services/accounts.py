"""Accounts: users, passwords, API tokens, the first admin."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import delete, func, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from app.capabilities import (
    IMPORTED_REVIEWER_ROLE,
    capabilities_of,
    require,
    roles_with,
)
from app.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    UserExists,
)
from app.extensions import db
from app.models import ApiToken, Assessment, Login, User, hash_token, limits
from app.models._time import utcnow
from app.models.user import TOKEN_SCOPES
from app.services.corpus.fields import check_string
from app.text.storable import text_problem
from app.vocabulary import check_role

MIN_PASSWORD_LENGTH = 8
FIRST_ADMIN = "admin"  # the account `make run` creates on a fresh instance
MAX_PASSWORD_LENGTH = 200
TOKEN_USE_RESOLUTION = timedelta(minutes=1)
# Remember-me keeps a browser logged in this long after logging in, at most.
REMEMBER_FOR = timedelta(days=30)
# Without it, a login ends after this long without a request.
IDLE_SESSION = timedelta(hours=12)


def create_user(username: str, role: str, password: str | None) -> User:
    """Create an account. A None password makes an account that cannot log in."""
    username = check_username(username)
    check_role(role)
    if db.session.scalar(select(User.id).where(User.username == username)) is not None:
        raise UserExists(f"A user named {username!r} already exists.")
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"The password must have at least {MIN_PASSWORD_LENGTH} characters.")
    user = User(username=username, role=role)
    if password is not None:
        user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def reviewer_named(username: str, role: str = IMPORTED_REVIEWER_ROLE) -> User:
    """The user of this name, or a new one of `role` without a password (who cannot log in).

    Claim sets loaded from files (the demo set, `flask import-claims`) name their reviewers
    (and the demo its curator) this way. Flushes, does not commit.
    """
    username = check_username(username)
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        user = User(username=username, role=role, password_hash=None)
        db.session.add(user)
        db.session.flush()
    return user


_DUMMY_HASH: list[str] = []


def _dummy_hash() -> str:
    """A hash made like every real one, to check against when the name is unknown."""
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(generate_password_hash(secrets.token_urlsafe(16)))
    return _DUMMY_HASH[0]


def authenticate(username: str, password: str) -> User | None:
    """The active user with these credentials, or None.

    Every attempt costs one password hash check, whether the name exists, is disabled or
    has no password: the time taken does not tell which names exist.
    """
    user = db.session.scalar(select(User).where(User.username == username.strip()))
    stored = user.password_hash if user is not None and user.password_hash else None
    matches = check_password_hash(stored or _dummy_hash(), password)
    if user is None or stored is None or not user.active or not matches:
        return None
    return user


def start_login(user: User, *, remember: bool) -> User:
    """A new Login for this browser; sets user.login_key for Flask-Login's cookies."""
    now = utcnow()
    key = secrets.token_urlsafe(32)
    db.session.add(
        Login(
            user=user, key_hash=hash_token(key), remember=remember, created_at=now, last_seen_at=now
        )
    )
    user.last_login_at = now
    user.login_key = key
    db.session.flush()
    return user


def user_for_login(key: str) -> User | None:
    """The active user of the login a cookie names, or None (logged out, expired, disabled).

    A session without remember-me ends after IDLE_SESSION without a request; one with it
    ends REMEMBER_FOR after logging in, however active. Activity is kept to the minute, as
    for tokens.
    """
    row = db.session.execute(
        select(Login, User)
        .join(User, User.id == Login.user_id)
        .where(Login.key_hash == hash_token(key))
    ).first()
    if row is None or not row.User.active:
        return None
    login, user = row.Login, row.User
    now = utcnow()
    ends = login.created_at + REMEMBER_FOR if login.remember else login.last_seen_at + IDLE_SESSION
    if now >= ends:
        db.session.delete(login)
        return None
    if now - login.last_seen_at >= TOKEN_USE_RESOLUTION:
        login.last_seen_at = now
    user.login_key = key
    return user


def end_login(key: str | None) -> None:
    """Log this browser out: its cookies name a Login that no longer exists."""
    if key:
        db.session.execute(delete(Login).where(Login.key_hash == hash_token(key)))


def end_all_logins(user: User) -> int:
    """Log the user out everywhere (every browser, remember-me included); how many ended."""
    return db.session.execute(delete(Login).where(Login.user_id == user.id)).rowcount


def logins_of(user: User) -> list[Login]:
    return list(
        db.session.scalars(
            select(Login).where(Login.user_id == user.id).order_by(Login.last_seen_at.desc())
        )
    )


def check_new_password(password: object) -> str:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"The password must have at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(f"The password must have at most {MAX_PASSWORD_LENGTH} characters.")
    return password


def change_password(user: User, current: str, new: str) -> None:
    """Change one's own password (the current one is required). Every login of the account
    ends, this browser's included (the caller starts a new one for it), and every API token
    is revoked: whoever learnt the old password may have made one."""
    if not user.check_password(current or ""):
        raise InvalidInput("The current password is wrong.")
    new = check_new_password(new)
    if new == current:
        raise InvalidInput("Choose a new password, not the one you have.")
    user.set_password(new)
    user.must_change_password = False
    end_all_logins(user)
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
    db.session.flush()


def tokens_of(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at)
        )
    )


def revoke_token(user: User, token_id: int) -> None:
    """Delete one of the user's own tokens; scripts using it get 401 from now on."""
    deleted = db.session.execute(
        delete(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id)
    ).rowcount
    if not deleted:
        raise NotFound(f"You have no token {token_id}.")


# --- administration (admins only) ---


@dataclass
class UserRow:
    user: User
    tokens: int
    assessments: int
    logins: int


def users_overview() -> list[UserRow]:
    """Every account, with its token, assessment and open-login counts (4 queries)."""

    def counts(column) -> dict[int, int]:
        return dict(db.session.execute(select(column, func.count()).group_by(column)).all())

    tokens = counts(ApiToken.user_id)
    assessments = counts(Assessment.reviewer_id)
    logins = counts(Login.user_id)
    return [
        UserRow(u, tokens.get(u.id, 0), assessments.get(u.id, 0), logins.get(u.id, 0))
        for u in db.session.scalars(select(User).order_by(User.username))
    ]


def _require_admin(actor: User) -> None:
    require(actor, "manage_users")


def _not_self(actor: User, user: User, what: str) -> None:
    if actor.id == user.id:
        raise InvalidInput(f"You cannot {what} your own account; ask another admin.")


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(f"No user {user_id}.")
    return user


def admin_create_user(actor: User, username: object, role: object) -> tuple[User, str]:
    """A new account with a one-time password (shown once to the admin)."""
    _require_admin(actor)
    name = check_username(username)
    password = one_time_password()
    user = create_user(name, str(role), password)
    user.must_change_password = True  # one-time: its owner replaces it at the first login
    db.session.flush()
    return user, password


def set_role(actor: User, user: User, role: object) -> None:
    _require_admin(actor)
    check_role(role)
    if "manage_users" not in capabilities_of(role):  # {role} would lock its holder out
        _not_self(actor, user, "demote")
    user.role = role  # type: ignore[assignment]
    db.session.flush()


def set_active(actor: User, user: User, active: bool) -> None:
    """Enable or disable an account. Disabling ends its logins and deletes its tokens at
    once; its claims and assessments stay."""
    _require_admin(actor)
    if not active:
        _not_self(actor, user, "disable")
        end_all_logins(user)
        db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
    user.active = active
    db.session.flush()


def reset_password(actor: User, user: User) -> str:
    """A new one-time password for the account; every login of it ends."""
    _require_admin(actor)
    password = one_time_password()
    user.set_password(password)
    user.must_change_password = True
    end_all_logins(user)
    db.session.flush()
    return password


def delete_user(actor: User, user: User) -> None:
    """Delete an account that has assessed nothing; one that has can only be disabled, so
    that every label keeps its reviewer."""
    _require_admin(actor)
    _not_self(actor, user, "delete")
    count = db.session.scalar(
        select(func.count()).select_from(Assessment).where(Assessment.reviewer_id == user.id)
    )
    if count:
        raise Conflict(
            f"{user.username} has {count} assessments: disable the account instead, so that "
            "every label keeps its reviewer."
        )
    db.session.delete(user)
    db.session.flush()


def one_time_password() -> str:
    return secrets.token_urlsafe(12)


def check_username(username: object) -> str:
    if not isinstance(username, str) or not username.strip():
        raise InvalidInput("A user needs a name.")
    name = username.strip()
    if len(name) > limits.USERNAME:
        raise InvalidInput(f"A user name has at most {limits.USERNAME} characters.")
    if problem := text_problem(name):
        raise InvalidInput(f"username: the value {problem}.")
    return name


def create_token(username: str, scope: str = "write", name: str | None = None) -> str:
    """A new bearer token for the user, which may only read (`scope` "read") or also write
    what the user's role may. Only its hash is kept; the token is shown once."""
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"No user named {username!r}.")
    if scope not in TOKEN_SCOPES:
        raise InvalidInput(f"A token's scope is one of {', '.join(TOKEN_SCOPES)}, not {scope!r}.")
    name = check_string("name", name, limits.TOKEN_NAME)
    token = secrets.token_urlsafe(32)
    db.session.add(ApiToken(user=user, token_hash=hash_token(token), scope=scope, name=name))
    db.session.flush()
    return token


def user_for_token(token: str) -> User | None:
    """The active user a bearer token belongs to, or None.

    `last_used_at` is kept to the minute: writing it on every call would turn each API read
    into a write transaction, and on SQLite serialize every worker behind it. The request
    commits the update with the rest of its work.
    """
    row = db.session.execute(
        select(ApiToken.id, ApiToken.last_used_at, ApiToken.scope, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == hash_token(token))
    ).first()
    if row is None or not row.User.active:
        return None
    now = utcnow()
    last = row.last_used_at  # aware UTC on every database (UTCDateTime)
    if last is None or now - last >= TOKEN_USE_RESOLUTION:
        db.session.execute(update(ApiToken).where(ApiToken.id == row.id).values(last_used_at=now))
    row.User.token_scope = row.scope
    return row.User


def ensure_admin(instance_path: Path) -> str | None:
    """On a fresh instance, create `admin` with a random password written to a mode-600 file.

    Returns the password when it was just created, else None.
    """
    if db.session.scalar(select(User.id).where(User.username == FIRST_ADMIN)) is not None:
        return None
    password = secrets.token_urlsafe(12)
    create_user(FIRST_ADMIN, roles_with("manage_users")[0], password)
    path = instance_path / "admin-password.txt"
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(password + "\n")
    return password
