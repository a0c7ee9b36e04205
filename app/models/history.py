"""The record of every change to claims, assessments, adjudications and proposition links.

Append-only: rows are only ever inserted. The database refuses UPDATE and DELETE on the table
(a trigger on both SQLite and PostgreSQL), so not even a bug in the app can rewrite the past.
`claim_id` and `article_id` are plain integers, not foreign keys: the record outlives what it
records (a deleted claim's history is how it is restored).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DDL, JSON, Index, Integer, String, event
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models import limits
from app.models._time import UTCDateTime, utcnow


class History(db.Model):
    __tablename__ = "history"
    __table_args__ = (Index("ix_history_claim_id_id", "claim_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    user_id: Mapped[int | None] = mapped_column(Integer)
    username: Mapped[str | None] = mapped_column(String(limits.USERNAME))
    entity: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(20))
    claim_id: Mapped[int] = mapped_column(Integer)
    article_id: Mapped[int] = mapped_column(Integer, index=True)
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)


APPEND_ONLY_SQLITE = [
    DDL(
        f"CREATE TRIGGER history_no_{verb.lower()} BEFORE {verb} ON history "
        "BEGIN SELECT RAISE(ABORT, 'history is append-only'); END"
    )
    for verb in ("UPDATE", "DELETE")
]
APPEND_ONLY_POSTGRESQL = [
    DDL(
        "CREATE OR REPLACE FUNCTION history_append_only() RETURNS trigger AS $$ BEGIN "
        "RAISE EXCEPTION 'history is append-only'; END $$ LANGUAGE plpgsql"
    ),
    DDL(
        "CREATE TRIGGER history_append_only BEFORE UPDATE OR DELETE ON history "
        "FOR EACH ROW EXECUTE FUNCTION history_append_only()"
    ),
    # TRUNCATE fires no row trigger: a statement trigger refuses it too.
    DDL(
        "CREATE TRIGGER history_no_truncate BEFORE TRUNCATE ON history "
        "FOR EACH STATEMENT EXECUTE FUNCTION history_append_only()"
    ),
]
for _ddl in APPEND_ONLY_SQLITE:
    event.listen(History.__table__, "after_create", _ddl.execute_if(dialect="sqlite"))
for _ddl in APPEND_ONLY_POSTGRESQL:
    event.listen(History.__table__, "after_create", _ddl.execute_if(dialect="postgresql"))
