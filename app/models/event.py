from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql import func, select

from app.extensions import db
from app.models import limits
from app.models._time import UTCDateTime, utcnow

if TYPE_CHECKING:
    from app.models.article import Article
    from app.models.claim import Proposition


class Event(db.Model):
    """Something that happened, on a date or over a date range, that outlets covered."""

    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="date_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(limits.EVENT_TITLE))
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    summary: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # How many reviewers each article is assigned to (k), once an admin has assigned them.
    overlap: Mapped[int | None] = mapped_column(Integer)
    # Blind: a reviewer sees other reviewers' claims as spans only (no label, note, final
    # label) until they have assessed the claim or marked the article done (services.blind).
    blind: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    articles: Mapped[list[Article]] = relationship(
        secondary="article_events", back_populates="events"
    )
    propositions: Mapped[list[Proposition]] = relationship(
        back_populates="event", cascade="all, delete-orphan", passive_deletes=True
    )
    actors: Mapped[list[Actor]] = relationship(
        back_populates="event",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Actor.name",
    )

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.title!r}>"


class Actor(db.Model):
    """A party to an event, under every name the outlets give it: "World Health Organization",
    also "WHO", "the agency", "Geneva". Which name an outlet uses, and how often, is a framing
    choice the event page shows. Actors are data: each event has its own."""

    __tablename__ = "actors"
    __table_args__ = (UniqueConstraint("event_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(limits.ACTOR_NAME))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    event: Mapped[Event] = relationship(back_populates="actors")
    aliases: Mapped[list[ActorAlias]] = relationship(
        back_populates="actor",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ActorAlias.id",
    )

    @property
    def names(self) -> list[str]:
        """The name, then each alias, as an outlet might write them."""
        return [self.name, *(a.alias for a in self.aliases)]

    def __repr__(self) -> str:
        return f"<Actor {self.id} {self.name!r}>"


class ActorAlias(db.Model):
    """Another name for an actor."""

    __tablename__ = "actor_aliases"
    __table_args__ = (UniqueConstraint("actor_id", "alias"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(limits.ACTOR_NAME))

    actor: Mapped[Actor] = relationship(back_populates="aliases")


def article_overlap(article_id):
    """SQL: how many reviewers the claims of the article `article_id` names need before their
    labels can agree (k): the largest overlap of its events, 1 when none has one."""
    from app.models.article import article_events

    links = article_events.alias()
    return (
        select(func.coalesce(func.max(Event.overlap), 1))
        .join(links, links.c.event_id == Event.id)
        .where(links.c.article_id == article_id)
        .scalar_subquery()
    )
