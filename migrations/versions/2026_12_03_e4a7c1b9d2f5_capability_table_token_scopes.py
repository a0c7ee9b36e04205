"""capability table, token scopes

Roles are the capability table's (app/capabilities.py), checked where a role is set: the
users table's check constraint goes, so that adding a role is a change to that table alone.
API tokens get a scope (read, or read and write) and a name; tokens made before had no scope
and could write, so they keep `write`.

Revision ID: e4a7c1b9d2f5
Revises: 9d41c7e2b6f3
Create Date: 2026-12-03 11:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e4a7c1b9d2f5'
down_revision = '9d41c7e2b6f3'
branch_labels = None
depends_on = None

ROLES = "role IN ('admin', 'reviewer', 'researcher', 'curator')"


def upgrade():
    # SQLite cannot drop a constraint: batch mode rebuilds the table, keeping AUTOINCREMENT.
    with op.batch_alter_table(
        'users', schema=None, recreate='auto', table_kwargs={'sqlite_autoincrement': True}
    ) as batch_op:
        batch_op.drop_constraint('role', type_='check')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('scope', sa.String(length=10), server_default='write', nullable=False)
        )
        batch_op.add_column(sa.Column('name', sa.String(length=100), nullable=True))


def downgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_column('name')
        batch_op.drop_column('scope')
    with op.batch_alter_table(
        'users', schema=None, recreate='auto', table_kwargs={'sqlite_autoincrement': True}
    ) as batch_op:
        batch_op.create_check_constraint('role', ROLES)
