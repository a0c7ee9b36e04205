"""history, sessions, ids never reused

The history table (append-only: triggers refuse UPDATE and DELETE); users get the time of
their last login, and logins their table (one row per logged-in browser, deleted on logout);
on SQLite every table with an id is rebuilt with AUTOINCREMENT, so that a deleted row's id is
never given to a new row (PostgreSQL's sequences never go back).

Revision ID: bdfadeebe068
Revises: 34987227eb15
Create Date: 2026-11-23 12:05:01.327010

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'bdfadeebe068'
down_revision = '34987227eb15'
branch_labels = None
depends_on = None

# Parents before children: with foreign keys off (env.py), the order only matters for reading.
ID_TABLES = [
    'users', 'api_tokens', 'outlets', 'events', 'articles', 'propositions', 'claims',
    'assessments', 'actors', 'actor_aliases',
]

SQLITE_TRIGGERS = [
    "CREATE TRIGGER history_no_update BEFORE UPDATE ON history "
    "BEGIN SELECT RAISE(ABORT, 'history is append-only'); END",
    "CREATE TRIGGER history_no_delete BEFORE DELETE ON history "
    "BEGIN SELECT RAISE(ABORT, 'history is append-only'); END",
]
POSTGRESQL_TRIGGERS = [
    "CREATE OR REPLACE FUNCTION history_append_only() RETURNS trigger AS $$ BEGIN "
    "RAISE EXCEPTION 'history is append-only'; END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER history_append_only BEFORE UPDATE OR DELETE ON history "
    "FOR EACH ROW EXECUTE FUNCTION history_append_only()",
]


def upgrade():
    sqlite = op.get_bind().dialect.name == 'sqlite'
    op.create_table('history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('username', sa.String(length=80), nullable=True),
    sa.Column('entity', sa.String(length=20), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_history')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_history_article_id'), ['article_id'], unique=False)
        batch_op.create_index('ix_history_claim_id_id', ['claim_id', 'id'], unique=False)
    for statement in SQLITE_TRIGGERS if sqlite else POSTGRESQL_TRIGGERS:
        op.execute(statement)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table('logins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('remember', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_logins_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_logins')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_logins_key_hash')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('logins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_logins_user_id'), ['user_id'], unique=False)

    if sqlite:
        for name in ID_TABLES:
            with op.batch_alter_table(
                name, recreate='always', table_kwargs={'sqlite_autoincrement': True}
            ):
                pass


def downgrade():
    sqlite = op.get_bind().dialect.name == 'sqlite'
    op.drop_table('logins')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('last_login_at')

    with op.batch_alter_table('history', schema=None) as batch_op:
        batch_op.drop_index('ix_history_claim_id_id')
        batch_op.drop_index(batch_op.f('ix_history_article_id'))

    op.drop_table('history')
    if not sqlite:
        op.execute("DROP FUNCTION IF EXISTS history_append_only()")
