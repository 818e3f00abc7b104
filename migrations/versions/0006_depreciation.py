"""depreciation postings: one row per posted month

Revision ID: 0006_depreciation
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

import models.types

revision = '0006_depreciation'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('depreciation_posting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('batch_id', sa.String(length=36), nullable=False),
    sa.Column('posted_at', sa.DateTime(), nullable=False),
    sa.Column('assets_count', sa.Integer(), nullable=False),
    sa.Column('total', models.types.Money(precision=15, scale=2), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_depreciation_posting')),
    sa.UniqueConstraint('month', name=op.f('uq_depreciation_posting_month'))
    )
    with op.batch_alter_table('depreciation_posting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_depreciation_posting_batch_id'), ['batch_id'], unique=False)


def downgrade():
    with op.batch_alter_table('depreciation_posting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_depreciation_posting_batch_id'))
    op.drop_table('depreciation_posting')
