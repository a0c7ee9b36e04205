"""sqlite article id index

SQLite only: an index of the article ids alone, so that a deep page of the article list
steps through 1 MB of ids rather than the 400 MB of the articles' rows (app/models/article.py).
PostgreSQL's primary key index is that already.

Revision ID: 5b7e2c9d4a10
Revises: 78c019899840
Create Date: 2026-12-02 00:55:00

"""
from alembic import op

from app.models.article import SQLITE_ID_INDEX, SQLITE_ID_INDEX_DDL

# revision identifiers, used by Alembic.
revision = '5b7e2c9d4a10'
down_revision = '78c019899840'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute(SQLITE_ID_INDEX_DDL.statement)


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"DROP INDEX IF EXISTS {SQLITE_ID_INDEX}")
