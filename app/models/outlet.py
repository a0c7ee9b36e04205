from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
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
    aliases: Mapped[list[OutletAlias]] = relationship(
        back_populates="outlet",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="OutletAlias.alias",
    )

    def __repr__(self) -> str:
        return f"<Outlet {self.id} {self.name!r}>"


class OutletAlias(db.Model):
    """Another name an outlet goes by ("NYT" for "The New York Times"). An alias names one
    outlet; imports and the API find the outlet by it, in any case."""

    __tablename__ = "outlet_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    outlet_id: Mapped[int] = mapped_column(ForeignKey("outlets.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(limits.OUTLET_NAME), unique=True)

    outlet: Mapped[Outlet] = relationship(back_populates="aliases")
