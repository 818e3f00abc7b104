"""search by trigram indexes (PostgreSQL), the assets-by-status ledger, background jobs

Revision ID: 0020_search_tally_jobs
Revises: 0019_value_ranges
"""
from alembic import op
import sqlalchemy as sa

import models.types
from models.search import FOLD_FUNCTION_SQL, TRIGRAM_COLUMNS, trigram_index_name, trigram_index_sql
from models.tally import POSTGRES_TRIGGERS, SEED_SQL, SQLITE_TRIGGERS

revision = '0020_search_tally_jobs'
down_revision = '0019_value_ranges'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('asset_tally',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('assets', sa.Integer(), nullable=False),
    sa.Column('book_value', models.types.Money(precision=15, scale=2), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_asset_tally'))
    )
    op.create_table('job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('status', sa.Enum('queued', 'running', 'done', 'failed', 'expired', name='jobstatus',
                                native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('rows_done', sa.Integer(), nullable=False),
    sa.Column('rows_total', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('expires_at', sa.DateTime(), nullable=True),
    sa.Column('result_path', sa.String(length=500), nullable=True),
    sa.Column('result_name', sa.String(length=300), nullable=True),
    sa.Column('message', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['owner_id'], ['user_account.id'], name=op.f('fk_job_owner_id_user_account'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job'))
    )
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_job_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_job_expires_at'), ['expires_at'], unique=False)

    if op.get_bind().dialect.name == 'postgresql':
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
        op.execute(FOLD_FUNCTION_SQL)
        for table, column in TRIGRAM_COLUMNS:
            op.execute(trigram_index_sql(table, column))
        triggers = POSTGRES_TRIGGERS
    else:
        triggers = SQLITE_TRIGGERS
    op.execute(SEED_SQL)
    for statement in triggers:
        op.execute(statement)


def downgrade():
    bind = op.get_bind()
    for name in ('insert', 'update', 'delete', 'truncate'):
        if bind.dialect.name == 'postgresql':
            op.execute(f'DROP TRIGGER IF EXISTS asset_tally_{name} ON asset')
            op.execute(f'DROP FUNCTION IF EXISTS khz_asset_tally_{name}()')
        elif name != 'truncate':
            op.execute(f'DROP TRIGGER IF EXISTS asset_tally_{name}')
    if bind.dialect.name == 'postgresql':
        for table, column in TRIGRAM_COLUMNS:
            op.execute(f'DROP INDEX IF EXISTS {trigram_index_name(table, column)}')
        op.execute('DROP FUNCTION IF EXISTS khz_fold(text)')
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_expires_at'))
        batch_op.drop_index(batch_op.f('ix_job_status'))
        batch_op.drop_index(batch_op.f('ix_job_owner_id'))
    op.drop_table('job')
    op.drop_table('asset_tally')
