"""article search index

Full-text search of articles in each database's own engine: a tsvector with a GIN index on
PostgreSQL, an FTS5 table on SQLite (app/models/search.py), filled from the articles stored.

Revision ID: c3f1a9d2e7b4
Revises: a2fabb37919f
Create Date: 2026-12-01 20:55:00

"""
from alembic import op
import sqlalchemy as sa

from app.models.search import DROP, POSTGRESQL_DDL, SQLITE_DDL
from app.text.search import document

# revision identifiers, used by Alembic.
revision = 'c3f1a9d2e7b4'
down_revision = 'a2fabb37919f'
branch_labels = None
depends_on = None

BATCH = 500


def upgrade():
    connection = op.get_bind()
    postgresql = connection.dialect.name == "postgresql"
    for ddl in POSTGRESQL_DDL if postgresql else SQLITE_DDL:
        op.execute(ddl.statement)
    if postgresql:
        insert = sa.text(
            "INSERT INTO article_search (article_id, document) VALUES (:id, "
            "setweight(to_tsvector('simple', :title), 'A') || to_tsvector('simple', :body))"
        )
    else:
        insert = sa.text("INSERT INTO article_search (rowid, title, body) VALUES (:id, :title, :body)")
    last = 0
    while True:
        rows = connection.execute(
            sa.text("SELECT id, title, text FROM articles WHERE id > :last ORDER BY id LIMIT :n"),
            {"last": last, "n": BATCH},
        ).all()
        if not rows:
            break
        connection.execute(
            insert,
            [{"id": i, "title": document(t), "body": document(b)} for i, t, b in rows],
        )
        last = rows[-1][0]


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS article_search_article_gone")
    op.execute(DROP.statement)
