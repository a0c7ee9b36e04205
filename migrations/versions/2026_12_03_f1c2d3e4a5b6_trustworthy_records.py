"""trustworthy records

- SQLite: the events table was rebuilt without AUTOINCREMENT (a2fabb37919f), so a deleted
  event's id could name a new one; rebuilt again with it.
- PostgreSQL: the history refuses TRUNCATE too (a statement trigger; the row trigger does
  not fire for it).
- Assessments: an updated_at written before the insert's created_at is set to created_at,
  and the database now checks that updated_at is never earlier.
- Claims: `informed`, whether the author could see another reviewer's claim on the article
  when making it (span agreement counts independent spans only).

Revision ID: f1c2d3e4a5b6
Revises: e4a7c1b9d2f5
Create Date: 2026-12-03 16:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f1c2d3e4a5b6'
down_revision = 'e4a7c1b9d2f5'
branch_labels = None
depends_on = None

TRUNCATE_TRIGGER = (
    "CREATE TRIGGER history_no_truncate BEFORE TRUNCATE ON history "
    "FOR EACH STATEMENT EXECUTE FUNCTION history_append_only()"
)


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        with op.batch_alter_table(
            'events', schema=None, recreate='always', table_kwargs={'sqlite_autoincrement': True}
        ):
            pass
    else:
        op.execute(TRUNCATE_TRIGGER)
    op.execute("UPDATE assessments SET updated_at = created_at WHERE updated_at < created_at")
    with op.batch_alter_table(
        'assessments', schema=None, table_kwargs={'sqlite_autoincrement': True}
    ) as batch_op:
        batch_op.create_check_constraint('updated_after_created', 'updated_at >= created_at')
    with op.batch_alter_table(
        'claims', schema=None, table_kwargs={'sqlite_autoincrement': True}
    ) as batch_op:
        batch_op.add_column(sa.Column('informed', sa.Boolean(), nullable=True))


def downgrade():
    with op.batch_alter_table(
        'claims', schema=None, table_kwargs={'sqlite_autoincrement': True}
    ) as batch_op:
        batch_op.drop_column('informed')
    with op.batch_alter_table(
        'assessments', schema=None, table_kwargs={'sqlite_autoincrement': True}
    ) as batch_op:
        batch_op.drop_constraint('updated_after_created', type_='check')
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP TRIGGER IF EXISTS history_no_truncate ON history")
