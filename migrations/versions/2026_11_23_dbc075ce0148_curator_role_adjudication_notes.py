"""curator role, adjudication notes

Users may be curators (they read and adjudicate, nothing else): the role check constraint
takes the new role. Claims keep the adjudicator's note.

Revision ID: dbc075ce0148
Revises: 4c51ad43b4a7
Create Date: 2026-11-23 14:58:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'dbc075ce0148'
down_revision = '4c51ad43b4a7'
branch_labels = None
depends_on = None

OLD_ROLES = "role IN ('admin', 'reviewer', 'researcher')"
NEW_ROLES = "role IN ('admin', 'reviewer', 'researcher', 'curator')"


def _roles(condition: str) -> None:
    # SQLite cannot alter a constraint: batch mode rebuilds the table (foreign keys are off
    # during migrations, see env.py, and checked after), keeping AUTOINCREMENT.
    with op.batch_alter_table(
        'users', schema=None, recreate='auto', table_kwargs={'sqlite_autoincrement': True}
    ) as batch_op:
        batch_op.drop_constraint('role', type_='check')
        batch_op.create_check_constraint('role', condition)


def upgrade():
    _roles(NEW_ROLES)
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.add_column(sa.Column('adjudication_note', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.drop_column('adjudication_note')
    op.execute("UPDATE users SET role = 'researcher' WHERE role = 'curator'")
    _roles(OLD_ROLES)
