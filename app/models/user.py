from __future__ import annotations

import hashlib
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app import capabilities
from app.extensions import db
from app.models import limits
from app.models._time import UTCDateTime, utcnow


class User(UserMixin, db.Model):
    """An account. What its role may do is the capability table's to say (app/capabilities.py):
    `user.may("annotate")`. The role is checked against that table where it is set, not by
    the database, so that adding a role is a change to the table alone."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(limits.USERNAME), unique=True)
    # NULL for accounts that cannot log in (e.g. reviewers brought in with imported claims).
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The password was set by an admin (a new account, a reset): the user sets their own at
    # their next login before anything else.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)

    tokens: Mapped[list[ApiToken]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )
    # Set for the request that logs in: the login's key, which Flask-Login stores in the
    # session and remember-me cookies (see get_id).
    login_key = None  # not a column
    # Set for a request authenticated by an API token: that token's scope ("read", "write").
    token_scope = None  # not a column

    def get_id(self) -> str:  # Flask-Login: what the cookies hold
        """The key of the login this request belongs to, never the user id: a cookie names a
        Login row, and deleting the row (log out, password change, disable) voids it."""
        if self.login_key is None:
            raise RuntimeError("get_id outside a login: use accounts.start_login")
        return self.login_key

    @property
    def is_active(self) -> bool:  # Flask-Login reads this
        return self.active

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def may(self, capability: str) -> bool:
        """Whether the capability table lets this user's role do `capability`."""
        return capabilities.may(self, capability)

    def __repr__(self) -> str:
        return f"<User {self.username} ({self.role})>"


def hash_token(token: str) -> str:
    """Tokens are 256-bit random, so a plain SHA-256 is enough to store them safely."""
    return hashlib.sha256(token.encode()).hexdigest()


# What a token lets a script do: read only, or read and write (what its user's role allows).
TOKEN_SCOPES = ("read", "write")


class ApiToken(db.Model):
    """A bearer token for scripts. Only its hash is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Chosen at creation; tokens made before scopes existed could write, and still can.
    scope: Mapped[str] = mapped_column(String(10), default="read", server_default="write")
    name: Mapped[str | None] = mapped_column(String(limits.TOKEN_NAME))  # what it is for
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(back_populates="tokens")


class Login(db.Model):
    """One logged-in browser. The session and remember-me cookies carry its key; only the
    key's hash is stored. Logging out deletes the row, and with it the cookies' worth. When
    it ends follows from `remember`, `created_at` and `last_seen_at` (accounts.user_for_login)."""

    __tablename__ = "logins"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    remember: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship()
