from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    DDL,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models import limits
from app.models._time import UTCDateTime, utcnow

if TYPE_CHECKING:
    from app.models.claim import Claim
    from app.models.event import Event
    from app.models.outlet import Outlet

article_events = Table(
    "article_events",
    db.metadata,
    Column("article_id", ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Article(db.Model):
    """One outlet's piece. `text` is the current revision's text, which the offsets of every
    claim that is not an orphan point into. Earlier revisions are ArticleRevision rows."""

    __tablename__ = "articles"
    __table_args__ = (
        # The same outlet cannot hold the same normalized text twice.
        UniqueConstraint("outlet_id", "content_hash"),
        # A page imported again is found by its address; a hash index has no length limit
        # (PostgreSQL's B-tree refuses a key over 2,704 bytes, and a URL may be 2,000 chars).
        Index("ix_articles_url", "url", postgresql_using="hash"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # RESTRICT: deleting an outlet must not silently take its annotated articles with it.
    # No index of its own: the unique (outlet_id, content_hash) index serves outlet lookups.
    outlet_id: Mapped[int] = mapped_column(ForeignKey("outlets.id", ondelete="RESTRICT"))
    title: Mapped[str] = mapped_column(String(limits.ARTICLE_TITLE))
    author: Mapped[str | None] = mapped_column(String(limits.AUTHOR))
    url: Mapped[str | None] = mapped_column(String(limits.URL))
    published: Mapped[date | None] = mapped_column(Date)
    stance: Mapped[str] = mapped_column(String(limits.STANCE), default="unknown")
    text: Mapped[str] = mapped_column(Text)
    source_html: Mapped[str | None] = mapped_column(Text)
    # Indexed alone too: import and import-claims look articles up by hash across outlets.
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The number of the current revision (1 until the text is first changed). When it came
    # is its ArticleRevision row's created_at (services.revisions.revised_at).
    revision: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    outlet: Mapped[Outlet] = relationship(back_populates="articles")
    events: Mapped[list[Event]] = relationship(secondary=article_events, back_populates="articles")
    claims: Mapped[list[Claim]] = relationship(
        back_populates="article",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Claim.start",
    )

    @property
    def title_supplied(self) -> bool:
        """A title in square brackets was written by whoever added the article, because the
        source printed none (the bibliographer's convention; seeds/manifest.toml uses it)."""
        return len(self.title) > 2 and self.title.startswith("[") and self.title.endswith("]")

    def __repr__(self) -> str:
        return f"<Article {self.id} {self.title[:40]!r}>"


class ArticleRevision(db.Model):
    """One revision of an article's text. Rows exist once an article has been revised: the
    current revision's row has no text of its own (it is Article.text), every earlier one
    keeps its text, so that orphaned claims and the diff page can read it."""

    __tablename__ = "article_revisions"
    __table_args__ = (UniqueConstraint("article_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    length: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(String(limits.REVISION_NOTE))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


# SQLite keeps each article's text in the rows of the table's own b-tree, so stepping past
# 100,000 of them to a deep page of the article list read some 400 MB (70 ms). An index of
# the ids alone is 1 MB and the same walk takes 1 ms. PostgreSQL's primary key index is that
# already. Made by its migration and left alone by autogenerate (migrations/env.py).
SQLITE_ID_INDEX = "ix_articles_id_sqlite"
SQLITE_ID_INDEX_DDL = DDL(f"CREATE INDEX IF NOT EXISTS {SQLITE_ID_INDEX} ON articles (id)")
event.listen(Article.__table__, "after_create", SQLITE_ID_INDEX_DDL.execute_if(dialect="sqlite"))
