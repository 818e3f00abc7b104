"""import jobs and saved mappings

Revision ID: 0014_import_jobs
Revises: 0011_documents
Create Date: 2026-12-02 00:10:08.336007

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0014_import_jobs'
down_revision = '0011_documents'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('import_job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('choices', sa.JSON(), nullable=False),
    sa.Column('plan', sa.JSON(), nullable=True),
    sa.Column('status', sa.Enum('uploaded', 'checked', 'applied', name='importjobstatus', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['user_account.id'], name=op.f('fk_import_job_owner_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_job'))
    )
    with op.batch_alter_table('import_job', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_job_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_import_job_owner_id'), ['owner_id'], unique=False)

    op.create_table('saved_mapping',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('headers_signature', sa.String(length=64), nullable=False),
    sa.Column('mapping', sa.JSON(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.Column('uses', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['user_account.id'], name=op.f('fk_saved_mapping_owner_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_mapping')),
    sa.UniqueConstraint('entity', 'name', name=op.f('uq_saved_mapping_entity_name'))
    )
    with op.batch_alter_table('saved_mapping', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_saved_mapping_headers_signature'), ['headers_signature'], unique=False)
        batch_op.create_index(batch_op.f('ix_saved_mapping_owner_id'), ['owner_id'], unique=False)



def downgrade():
    with op.batch_alter_table('saved_mapping', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_saved_mapping_owner_id'))
        batch_op.drop_index(batch_op.f('ix_saved_mapping_headers_signature'))

    op.drop_table('saved_mapping')
    with op.batch_alter_table('import_job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_job_owner_id'))
        batch_op.drop_index(batch_op.f('ix_import_job_expires_at'))

    op.drop_table('import_job')
