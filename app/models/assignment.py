from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models._time import UTCDateTime, utcnow

if TYPE_CHECKING:
    from app.models.article import Article
    from app.models.user import User


class Assignment(db.Model):
    """One reviewer's work on one article: assigned by an admin (`assigned`), and done when
    the reviewer says so (`done_at`). A reviewer who marks an article done without being
    assigned gets a row with assigned False: blind mode reads "done" from here too."""

    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("article_id", "reviewer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    assigned: Mapped[bool] = mapped_column(Boolean, default=True)
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When the reviewer first marked the article done, and so saw every label in it (blind
    # mode): kept when they mark it not done again, since having seen is permanent.
    revealed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    article: Mapped[Article] = relationship()
    reviewer: Mapped[User] = relationship()
