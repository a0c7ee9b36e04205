"""blind events, informed assessments

Events can be blind; each assessment records whether its reviewer could see other labels.

Revision ID: a2fabb37919f
Revises: 8f285805f3f1
Create Date: 2026-11-23 15:17:14.295175

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a2fabb37919f'
down_revision = '8f285805f3f1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('informed', sa.Boolean(), nullable=True))
    # Before blind mode every reviewer saw every label: an assessment was informed when
    # another one of the claim came before it.
    op.execute(
        "UPDATE assessments SET informed = EXISTS (SELECT 1 FROM assessments AS other "
        "WHERE other.claim_id = assessments.claim_id AND other.id < assessments.id)"
    )

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('blind', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('blind')

    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_column('informed')

