"""Figures of an event that cost more than a request to compute, kept once computed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models._time import UTCDateTime, utcnow


class EventFigure(db.Model):
    """One computed figure of an event (its framing, say), with the fingerprint of what it
    was computed from. A figure whose inputs changed has another fingerprint, so it is
    computed again: a stale figure is never served (services/figures.py)."""

    __tablename__ = "event_figures"
    __table_args__ = (UniqueConstraint("event_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    fingerprint: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict] = mapped_column(JSON)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
