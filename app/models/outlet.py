from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models import limits
from app.models._time import UTCDateTime, utcnow

if TYPE_CHECKING:
    from app.models.article import Article


class Outlet(db.Model):
    """A publisher. Its lean is free text, as researchers describe it."""

    __tablename__ = "outlets"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(limits.OUTLET_NAME), unique=True)
    homepage_url: Mapped[str | None] = mapped_column(String(limits.URL))
    country: Mapped[str | None] = mapped_column(String(limits.OUTLET_COUNTRY))
    lean: Mapped[str | None] = mapped_column(String(limits.OUTLET_LEAN))
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    articles: Mapped[list[Article]] = relationship(back_populates="outlet")

    def __repr__(self) -> str:
        return f"<Outlet {self.id} {self.name!r}>"
