from __future__ import annotations

import hashlib
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models import limits
from app.models._time import UTCDateTime, utcnow

ROLES = ("admin", "reviewer", "researcher", "curator")


# Who may change anything at all (tag claims, add articles); researchers read and export;
# curators read and decide disputed claims' final labels, nothing else.
WRITER_ROLES = ("admin", "reviewer")
ADJUDICATOR_ROLES = ("admin", "curator")


class User(UserMixin, db.Model):
    """An account. Role is one of ROLES. The rules on what a role may do are the properties
    below; pages, the API, templates and scripts all read them from here."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(f"role IN ({', '.join(repr(r) for r in ROLES)})", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(limits.USERNAME), unique=True)
    # NULL for accounts that cannot log in (e.g. reviewers brought in with imported claims).
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    tokens: Mapped[list[ApiToken]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )
    # Set for the request that logs in: the login's key, which Flask-Login stores in the
    # session and remember-me cookies (see get_id).
    login_key = None  # not a column

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

    def has_role(self, *roles: str) -> bool:
        return self.role in roles

    @property
    def can_write(self) -> bool:
        """May tag claims, assess them and add articles."""
        return self.role in WRITER_ROLES

    @property
    def is_admin(self) -> bool:
        """May change what others wrote, adjudicate and edit an event's actors."""
        return self.role == "admin"

    @property
    def may_adjudicate(self) -> bool:
        """May set or clear a claim's final label (admins and curators)."""
        return self.role in ADJUDICATOR_ROLES

    def may_change(self, owner_id: int | None) -> bool:
        """May change or delete a thing owned by `owner_id` (their own, or anything: admins)."""
        return self.is_admin or (owner_id is not None and owner_id == self.id)

    def __repr__(self) -> str:
        return f"<User {self.username} ({self.role})>"


def hash_token(token: str) -> str:
    """Tokens are 256-bit random, so a plain SHA-256 is enough to store them safely."""
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(db.Model):
    """A bearer token for scripts. Only its hash is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
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
