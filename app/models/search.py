"""The full-text index of articles: each database's own engine, one row per article.

PostgreSQL: `article_search(article_id, document tsvector)` with a GIN index, the title
weighted above the text. SQLite: an FTS5 table whose rowid is the article's id. Both hold the
folded text (app/text/search.py) and are kept in step by services/search.py; neither is an ORM
model, since the two have no common column type. Alembic leaves them alone (migrations/env.py).
"""

from __future__ import annotations

from sqlalchemy import DDL, event

from app.models.article import Article

SEARCH_TABLE = "article_search"

SQLITE_DDL = [
    # unicode61 splits words on Unicode's spaces and punctuation, Persian and Arabic included;
    # the text arrives folded, so it need not fold anything itself.
    DDL(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {SEARCH_TABLE} USING fts5(title, body, "
        "tokenize = 'unicode61 remove_diacritics 0')"
    ),
    # An article deleted takes its index row with it (FTS5 tables have no foreign keys).
    DDL(
        f"CREATE TRIGGER IF NOT EXISTS {SEARCH_TABLE}_article_gone AFTER DELETE ON articles "
        f"BEGIN DELETE FROM {SEARCH_TABLE} WHERE rowid = old.id; END"
    ),
]
POSTGRESQL_DDL = [
    DDL(
        f"CREATE TABLE IF NOT EXISTS {SEARCH_TABLE} ("
        "article_id integer PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE, "
        "document tsvector NOT NULL)"
    ),
    # Kept in the row (compressed) rather than out of line: the planner then sees what a scan
    # of the documents costs, and drives a filtered search from the filter (an event's 500
    # articles) instead of matching all 100,000 documents first (1 s -> 4 ms).
    DDL(f"ALTER TABLE {SEARCH_TABLE} ALTER COLUMN document SET STORAGE MAIN"),
    DDL(
        f"CREATE INDEX IF NOT EXISTS ix_{SEARCH_TABLE}_document ON {SEARCH_TABLE} "
        "USING gin (document)"
    ),
]
DROP = DDL(f"DROP TABLE IF EXISTS {SEARCH_TABLE}")


def is_search_table(name: str | None) -> bool:
    """The index's own tables (FTS5 adds shadow tables named after it)."""
    return bool(name) and (name == SEARCH_TABLE or name.startswith(f"{SEARCH_TABLE}_"))


for _ddl in SQLITE_DDL:
    event.listen(Article.__table__, "after_create", _ddl.execute_if(dialect="sqlite"))
for _ddl in POSTGRESQL_DDL:
    event.listen(Article.__table__, "after_create", _ddl.execute_if(dialect="postgresql"))
event.listen(Article.__table__, "before_drop", DROP)
