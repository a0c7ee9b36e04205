"""codebook

Each label's definition and examples (Markdown), edited by admins on /admin/codebook.

Revision ID: 2ed262400174
Revises: dbc075ce0148
Create Date: 2026-11-23 15:05:59.154849

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2ed262400174'
down_revision = 'dbc075ce0148'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('codebook',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=50), nullable=False),
    sa.Column('definition', sa.Text(), nullable=False),
    sa.Column('examples', sa.Text(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_codebook_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_codebook')),
    sa.UniqueConstraint('label', name=op.f('uq_codebook_label')),
    sqlite_autoincrement=True
    )


def downgrade():
    op.drop_table('codebook')
