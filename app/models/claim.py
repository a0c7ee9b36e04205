from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models import limits
from app.models._time import UTCDateTime, utcnow
from app.vocabulary import final_label

if TYPE_CHECKING:
    from app.models.article import Article
    from app.models.event import Event
    from app.models.user import User


class Proposition(db.Model):
    """A statement within an event that claims from several articles express."""

    __tablename__ = "propositions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    statement: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    event: Mapped[Event] = relationship(back_populates="propositions")
    created_by: Mapped[User | None] = relationship()
    claims: Mapped[list[Claim]] = relationship(back_populates="proposition")


class Claim(db.Model):
    """A span of one article. Offsets are Unicode code points into Article.text."""

    __tablename__ = "claims"
    __table_args__ = (
        CheckConstraint("start_offset >= 0 AND start_offset < end_offset", name="span"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    # "start"/"end" in the product's words; *_offset in SQL, where END is a keyword.
    start: Mapped[int] = mapped_column("start_offset", Integer)
    end: Mapped[int] = mapped_column("end_offset", Integer)
    quote: Mapped[str] = mapped_column(Text)
    prefix: Mapped[str] = mapped_column(String(32), default="")
    suffix: Mapped[str] = mapped_column(String(32), default="")
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    proposition_id: Mapped[int | None] = mapped_column(
        ForeignKey("propositions.id", ondelete="SET NULL"), index=True
    )
    adjudicated_label: Mapped[str | None] = mapped_column(String(limits.LABEL))
    adjudicated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    adjudicated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    adjudication_note: Mapped[str | None] = mapped_column(Text)  # why that label
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The article revision the offsets point into: the current one, except for an orphan,
    # whose passage no longer exists and which keeps the revision it was last found in.
    revision: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # None when the claim sits where it was placed; MOVED when a new revision changed its
    # words and it followed them (a reviewer should check it); ORPHAN when it was not found.
    anchor: Mapped[str | None] = mapped_column(String(8))
    # Whether its author could see another reviewer's claim on the article when making it
    # (spans are shown even in blind mode): a span made after seeing others' is not an
    # independent one, and span agreement leaves it out by default. None: unknown (imported).
    informed: Mapped[bool | None] = mapped_column(Boolean)

    article: Mapped[Article] = relationship(back_populates="claims")
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    adjudicated_by: Mapped[User | None] = relationship(foreign_keys=[adjudicated_by_id])
    proposition: Mapped[Proposition | None] = relationship(back_populates="claims")
    assessments: Mapped[list[Assessment]] = relationship(
        back_populates="claim", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def final(self) -> tuple[str | None, str]:
        """The claim's final label and its source, by the one rule (vocabulary.final_label),
        with its article's k (Article.overlap)."""
        labels = [a.label for a in self.assessments]
        return final_label(self.adjudicated_label, labels, self.article.overlap)

    @property
    def final_label(self) -> str | None:
        return self.final[0]


class Assessment(db.Model):
    """One reviewer's label on one claim. `version` guards against silent overwrites."""

    __tablename__ = "assessments"
    __table_args__ = (
        UniqueConstraint("claim_id", "reviewer_id"),
        CheckConstraint("updated_at >= created_at", name="updated_after_created"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    # RESTRICT: a reviewer with assessments is deactivated, never deleted out from under them.
    reviewer_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), index=True
    )
    label: Mapped[str] = mapped_column(String(limits.LABEL))
    note: Mapped[str | None] = mapped_column(Text)
    evidence_url: Mapped[str | None] = mapped_column(String(limits.URL))
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Whether the reviewer could see other reviewers' labels of the claim when they gave
    # this one (another assessment existed and blind mode did not hide it). Agreement uses
    # uninformed assessments by default: informed ones are not independent.
    informed: Mapped[bool | None] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    claim: Mapped[Claim] = relationship(back_populates="assessments")
    reviewer: Mapped[User] = relationship()

    __mapper_args__ = {"version_id_col": version}
