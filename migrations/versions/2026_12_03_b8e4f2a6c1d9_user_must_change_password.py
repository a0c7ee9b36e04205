"""user must_change_password

A password an admin set (a new account, a reset) is one-time: its owner sets their own at the
next login before anything else. Existing accounts are not affected.

Revision ID: b8e4f2a6c1d9
Revises: a7d3e9f1c2b8
Create Date: 2026-12-03 19:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b8e4f2a6c1d9'
down_revision = 'a7d3e9f1c2b8'
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN (with its default, SQLite takes NOT NULL): a batch would rebuild the
    # users table on SQLite and lose its AUTOINCREMENT.
    op.add_column(
        'users',
        sa.Column('must_change_password', sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('must_change_password')
