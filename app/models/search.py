"""The full-text index of articles: each database's own engine, one row per article.

PostgreSQL: `article_search(article_id, document tsvector)` with a GIN index, the title
weighted above the text. SQLite: an FTS5 table whose rowid is the article's id. Both hold the
folded text (app/text/search.py) and are kept in step by services/search.py; neither is an ORM
model, since the two have no common column type. Alembic leaves them alone (migrations/env.py).

SQLite's table also holds each article's facets: a token for its outlet, its stance and each of
its events (FACETS_SQL). FTS5 cannot start from a filter's rows, so a search filtered to one
outlet walked every match of a common phrase (95,000 of 100,000 articles) to keep 200; with
the filter as tokens, FTS5 intersects the two lists and reads the phrase only where both meet.
The words of a query are matched in every column, since naming the title and text columns made
FTS5's ranking read each match's column list (a fifth of a phrase search); no word can match a
facet (FACET_MARK). PostgreSQL's planner starts from the filter itself and needs none.
"""

from __future__ import annotations

from sqlalchemy import DDL, event

from app.models.article import Article

SEARCH_TABLE = "article_search"

SQLITE_DDL = [
    # unicode61 splits words on Unicode's spaces and punctuation, Persian and Arabic included;
    # the text arrives folded, so it need not fold anything itself.
    DDL(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {SEARCH_TABLE} USING fts5(title, body, facets, "
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

# An article's facets as SQLite's index holds them, for the article whose id is `:id`: "o12"
# for outlet 12, "e7" for each event, "s" and the stance's UTF-8 bytes in hex (a stance may hold
# any character; the tokenizer keeps a run of letters and digits whole), each after U+E000
# (app/text/search.py's FACET_MARK), which the tokenizer keeps as part of a word and which no
# folded query holds. services/search.py names them the same way for a query.
FACETS_SQL = (
    "SELECT char(57344) || 'o' || a.outlet_id || ' ' || char(57344) || 's' || lower(hex(a.stance))"
    " || coalesce((SELECT ' ' || group_concat(char(57344) || 'e' || l.event_id, ' ') "
    "FROM article_events l WHERE l.article_id = a.id), '') FROM articles a WHERE a.id = :id"
)


def is_search_table(name: str | None) -> bool:
    """The index's own tables (FTS5 adds shadow tables named after it)."""
    return bool(name) and (name == SEARCH_TABLE or name.startswith(f"{SEARCH_TABLE}_"))


for _ddl in SQLITE_DDL:
    event.listen(Article.__table__, "after_create", _ddl.execute_if(dialect="sqlite"))
for _ddl in POSTGRESQL_DDL:
    event.listen(Article.__table__, "after_create", _ddl.execute_if(dialect="postgresql"))
event.listen(Article.__table__, "before_drop", DROP)
