"""Accounts: users, passwords, API tokens, the first admin."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, update

from app.extensions import db
from app.models import ApiToken, User, hash_token
from app.models._time import utcnow
from app.models.user import ROLES
from app.services.errors import InvalidInput, NotFound, UnknownRole, UserExists

MIN_PASSWORD_LENGTH = 8
TOKEN_USE_RESOLUTION = timedelta(minutes=1)


def create_user(username: str, role: str, password: str | None) -> User:
    """Create an account. A None password makes an account that cannot log in."""
    username = username.strip()
    if not username:
        raise InvalidInput("A user needs a name.")
    if role not in ROLES:
        raise UnknownRole(f"Unknown role {role!r}; expected one of {', '.join(ROLES)}.")
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


def reviewer_named(username: str) -> User:
    """The user of this name, or a new reviewer without a password (who cannot log in).

    Claim sets loaded from files (the demo set, `flask import-claims`) name their reviewers
    this way. Flushes, does not commit.
    """
    username = username.strip()
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        user = User(username=username, role="reviewer", password_hash=None)
        db.session.add(user)
        db.session.flush()
    return user


def authenticate(username: str, password: str) -> User | None:
    """The active user with these credentials, or None."""
    user = db.session.scalar(select(User).where(User.username == username.strip()))
    if user is None or not user.active or not user.check_password(password):
        return None
    return user


def create_token(username: str) -> str:
    """A new bearer token for the user. Only its hash is kept; the token is shown once."""
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"No user named {username!r}.")
    token = secrets.token_urlsafe(32)
    db.session.add(ApiToken(user=user, token_hash=hash_token(token)))
    db.session.flush()
    return token


def user_for_token(token: str) -> User | None:
    """The active user a bearer token belongs to, or None.

    `last_used_at` is kept to the minute: writing it on every call would turn each API read
    into a write transaction, and on SQLite serialize every worker behind it. The request
    commits the update with the rest of its work.
    """
    row = db.session.execute(
        select(ApiToken.id, ApiToken.last_used_at, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == hash_token(token))
    ).first()
    if row is None or not row.User.active:
        return None
    now = utcnow()
    last = row.last_used_at  # aware UTC on every database (UTCDateTime)
    if last is None or now - last >= TOKEN_USE_RESOLUTION:
        db.session.execute(update(ApiToken).where(ApiToken.id == row.id).values(last_used_at=now))
    return row.User


def ensure_admin(instance_path: Path) -> str | None:
    """On a fresh instance, create `admin` with a random password written to a mode-600 file.

    Returns the password when it was just created, else None.
    """
    if db.session.scalar(select(User.id).where(User.username == "admin")) is not None:
        return None
    password = secrets.token_urlsafe(12)
    create_user("admin", "admin", password)
    path = instance_path / "admin-password.txt"
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(password + "\n")
    return password
