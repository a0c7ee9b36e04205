"""sqlite search facets

SQLite only: the FTS5 index of articles gains a facets column (each article's outlet, stance
and events as tokens, app/models/search.py), so that a filtered search intersects inside FTS5
instead of walking every match of a common phrase. The entries' folded title and text are
copied from the old table; the facets are read from the articles. PostgreSQL's index is
unchanged.

Revision ID: 9d41c7e2b6f3
Revises: 5b7e2c9d4a10
Create Date: 2026-12-02 03:40:00

"""
from alembic import op

from app.models.search import FACETS_SQL, SEARCH_TABLE, SQLITE_DDL

# revision identifiers, used by Alembic.
revision = '9d41c7e2b6f3'
down_revision = '5b7e2c9d4a10'
branch_labels = None
depends_on = None

OLD = f"{SEARCH_TABLE}_before_facets"
TRIGGER = f"{SEARCH_TABLE}_article_gone"


def upgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    # The trigger names the table: dropped first, so that the rename does not rewrite it.
    op.execute(f"DROP TRIGGER IF EXISTS {TRIGGER}")
    op.execute(f"ALTER TABLE {SEARCH_TABLE} RENAME TO {OLD}")
    for ddl in SQLITE_DDL:
        op.execute(ddl.statement)
    facets = FACETS_SQL.replace(":id", f"{OLD}.rowid")
    op.execute(
        f"INSERT INTO {SEARCH_TABLE} (rowid, title, body, facets) "
        f"SELECT rowid, title, body, ({facets}) FROM {OLD}"
    )
    op.execute(f"DROP TABLE {OLD}")


def downgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(f"DROP TRIGGER IF EXISTS {TRIGGER}")
    op.execute(f"ALTER TABLE {SEARCH_TABLE} RENAME TO {OLD}")
    op.execute(
        f"CREATE VIRTUAL TABLE {SEARCH_TABLE} USING fts5(title, body, "
        "tokenize = 'unicode61 remove_diacritics 0')"
    )
    op.execute(f"INSERT INTO {SEARCH_TABLE} (rowid, title, body) SELECT rowid, title, body FROM {OLD}")
    op.execute(f"DROP TABLE {OLD}")
    op.execute(SQLITE_DDL[1].statement)
