"""article revisions, outlet aliases

Articles get revisions: the number of the current one, and a table that keeps every earlier
text once an article is revised. Claims record the revision their offsets point into and
whether a revision moved or orphaned them. Articles are found by URL (a hash index on
PostgreSQL: a URL may be longer than a B-tree key). Outlets get aliases.

Revision ID: 4c51ad43b4a7
Revises: bdfadeebe068
Create Date: 2026-11-23 14:13:16.945332

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4c51ad43b4a7'
down_revision = 'bdfadeebe068'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outlet_aliases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('outlet_id', sa.Integer(), nullable=False),
    sa.Column('alias', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['outlet_id'], ['outlets.id'], name=op.f('fk_outlet_aliases_outlet_id_outlets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outlet_aliases')),
    sa.UniqueConstraint('alias', name=op.f('uq_outlet_aliases_alias')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('outlet_aliases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outlet_aliases_outlet_id'), ['outlet_id'], unique=False)

    op.create_table('article_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('length', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_article_revisions_article_id_articles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_article_revisions_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_article_revisions')),
    sa.UniqueConstraint('article_id', 'number', name=op.f('uq_article_revisions_article_id_number')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revision', sa.Integer(), server_default='1', nullable=False))
        batch_op.create_index('ix_articles_url', ['url'], unique=False, postgresql_using='hash')

    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revision', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('anchor', sa.String(length=8), nullable=True))



def downgrade():
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.drop_column('anchor')
        batch_op.drop_column('revision')

    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_index('ix_articles_url', postgresql_using='hash')
        batch_op.drop_column('revision')

    op.drop_table('article_revisions')
    with op.batch_alter_table('outlet_aliases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outlet_aliases_outlet_id'))

    op.drop_table('outlet_aliases')
