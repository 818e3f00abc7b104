"""sessions that end (a per-user generation in every cookie) and the throttle per client address

Revision ID: 0018_sessions
Revises: 0017_fleet
"""
from alembic import op
import sqlalchemy as sa

revision = '0018_sessions'
down_revision = '0017_fleet'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_generation', sa.Integer(), server_default='1', nullable=False))
    with op.batch_alter_table('failed_login', schema=None) as batch_op:
        batch_op.add_column(sa.Column('client', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('device', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_failed_login_client'), ['client'], unique=False)
        batch_op.create_index(batch_op.f('ix_failed_login_device'), ['device'], unique=False)


def downgrade():
    with op.batch_alter_table('failed_login', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_failed_login_device'))
        batch_op.drop_index(batch_op.f('ix_failed_login_client'))
        batch_op.drop_column('device')
        batch_op.drop_column('client')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('session_generation')
