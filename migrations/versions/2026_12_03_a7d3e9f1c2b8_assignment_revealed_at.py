"""assignment revealed_at

Blind mode: when a reviewer first marked an article done, and so saw every label in it.
Marking it not done again hides the labels, but an assessment given after that is still
`informed`. Rows already done count as revealed from their done_at.

Revision ID: a7d3e9f1c2b8
Revises: f1c2d3e4a5b6
Create Date: 2026-12-03 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7d3e9f1c2b8'
down_revision = 'f1c2d3e4a5b6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revealed_at', sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE assignments SET revealed_at = done_at WHERE done_at IS NOT NULL")


def downgrade():
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_column('revealed_at')
