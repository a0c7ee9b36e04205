from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models._time import UTCDateTime, utcnow

if TYPE_CHECKING:
    from app.models.article import Article


class Outlet(db.Model):
    """A publisher. Its lean is free text, as researchers describe it."""

    __tablename__ = "outlets"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    homepage_url: Mapped[str | None] = mapped_column(String(2000))
    country: Mapped[str | None] = mapped_column(String(100))
    lean: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    articles: Mapped[list[Article]] = relationship(back_populates="outlet")

    def __repr__(self) -> str:
        return f"<Outlet {self.id} {self.name!r}>"
