from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models import limits
from app.models._time import UTCDateTime, utcnow


class LabelDefinition(db.Model):
    """The codebook's entry for one label: what it means and examples, in Markdown (shown
    sanitized). Labels themselves stay configured (PARALLAX_LABELS); a label without an
    entry has an empty definition."""

    __tablename__ = "codebook"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(limits.LABEL), unique=True)
    definition: Mapped[str] = mapped_column(Text, default="")
    examples: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
