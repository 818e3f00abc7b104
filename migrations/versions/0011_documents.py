"""documents engine: institution settings, commissions with their order, number series, reversals;
write-off acts and transfers on it; write-off costs and materials; vehicle identifiers for 0504105

Existing acts keep their signatories: each act's chair and members become a commission of its own
(without an order, which the clerk fills in); number series start after the numbers already given.

Revision ID: 0011_documents
Revises: 0006_depreciation
"""
from datetime import datetime, UTC

from alembic import op
import sqlalchemy as sa

import models.types

revision = '0011_documents'
down_revision = '0006_depreciation'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('document_counter',
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'year', name=op.f('pk_document_counter'))
    )
    op.create_table('commission',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('order_number', sa.String(length=50), nullable=True),
    sa.Column('order_date', sa.Date(), nullable=True),
    sa.Column('chair_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['chair_id'], ['employee.id'], name=op.f('fk_commission_chair_id_employee'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commission'))
    )
    with op.batch_alter_table('commission', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commission_chair_id'), ['chair_id'], unique=False)

    op.create_table('institution',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('full_name', sa.String(length=500), nullable=False),
    sa.Column('short_name', sa.String(length=200), nullable=True),
    sa.Column('okpo', sa.String(length=10), nullable=True),
    sa.Column('inn', sa.String(length=12), nullable=True),
    sa.Column('kpp', sa.String(length=9), nullable=True),
    sa.Column('ogrn', sa.String(length=15), nullable=True),
    sa.Column('oktmo', sa.String(length=11), nullable=True),
    sa.Column('registry_code', sa.String(length=8), nullable=True),
    sa.Column('budget_name', sa.String(length=300), nullable=True),
    sa.Column('founder_name', sa.String(length=500), nullable=True),
    sa.Column('founder_code', sa.String(length=3), nullable=True),
    sa.Column('address', sa.String(length=500), nullable=True),
    sa.Column('phone', sa.String(length=50), nullable=True),
    sa.Column('head_id', sa.Integer(), nullable=True),
    sa.Column('head_position', sa.String(length=200), nullable=True),
    sa.Column('chief_accountant_id', sa.Integer(), nullable=True),
    sa.Column('form_family', sa.Enum('52n', '61n', name='formfamily', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['chief_accountant_id'], ['employee.id'], name=op.f('fk_institution_chief_accountant_id_employee'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['head_id'], ['employee.id'], name=op.f('fk_institution_head_id_employee'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_institution'))
    )
    op.create_table('commission_member',
    sa.Column('commission_id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['commission_id'], ['commission.id'], name=op.f('fk_commission_member_commission_id_commission'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_commission_member_employee_id_employee'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('commission_id', 'employee_id', name=op.f('pk_commission_member'))
    )
    op.create_table('reversal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('doc_date', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'approved', 'cancelled', name='reversalstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('target_kind', sa.String(length=40), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', sa.DateTime(), nullable=True),
    sa.Column('cancelled_by_id', sa.Integer(), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['approved_by_id'], ['user_account.id'], name=op.f('fk_reversal_approved_by_id_user_account'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['cancelled_by_id'], ['user_account.id'], name=op.f('fk_reversal_cancelled_by_id_user_account'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_reversal_created_by_id_user_account'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reversal')),
    sa.UniqueConstraint('year', 'number', name=op.f('uq_reversal_year_number'))
    )
    with op.batch_alter_table('reversal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reversal_doc_date'), ['doc_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_reversal_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_reversal_target_id'), ['target_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reversal_target_kind'), ['target_kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_reversal_year'), ['year'], unique=False)

    op.create_table('write_off_cost',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('act_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('document', sa.String(length=200), nullable=True),
    sa.Column('quantity', sa.Numeric(precision=12, scale=3), nullable=False),
    sa.Column('amount', models.types.Money(precision=15, scale=2), nullable=False),
    sa.Column('balance_account', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['act_id'], ['write_off_act.id'], name=op.f('fk_write_off_cost_act_id_write_off_act'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_write_off_cost'))
    )
    with op.batch_alter_table('write_off_cost', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_write_off_cost_act_id'), ['act_id'], unique=False)

    op.create_table('write_off_material',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('act_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('okei', sa.String(length=4), nullable=True),
    sa.Column('quantity', sa.Numeric(precision=12, scale=3), nullable=False),
    sa.Column('amount', models.types.Money(precision=15, scale=2), nullable=False),
    sa.Column('balance_account', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['act_id'], ['write_off_act.id'], name=op.f('fk_write_off_material_act_id_write_off_act'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_write_off_material'))
    )
    with op.batch_alter_table('write_off_material', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_write_off_material_act_id'), ['act_id'], unique=False)

    with op.batch_alter_table('transfer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.Enum('draft', 'approved', 'cancelled', name='documentstatus', native_enum=False, create_constraint=True, length=32), nullable=False, server_default='approved'))
        batch_op.add_column(sa.Column('created_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('approved_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('approved_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('cancelled_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('cancelled_at', sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_transfer_status'), ['status'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_transfer_approved_by_id_user_account'), 'user_account', ['approved_by_id'], ['id'], ondelete='RESTRICT')
        batch_op.create_foreign_key(batch_op.f('fk_transfer_created_by_id_user_account'), 'user_account', ['created_by_id'], ['id'], ondelete='RESTRICT')
        batch_op.create_foreign_key(batch_op.f('fk_transfer_cancelled_by_id_user_account'), 'user_account', ['cancelled_by_id'], ['id'], ondelete='RESTRICT')

    with op.batch_alter_table('vehicle', schema=None) as batch_op:
        batch_op.add_column(sa.Column('engine_number', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('chassis_number', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('body_number', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('colour', sa.String(length=50), nullable=True))

    with op.batch_alter_table('write_off_act', schema=None) as batch_op:
        batch_op.add_column(sa.Column('department_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('commission_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('form_family', sa.Enum('52n', '61n', name='formfamily', native_enum=False, create_constraint=True, length=32), nullable=False, server_default='52n'))
        batch_op.add_column(sa.Column('property_kind', sa.Enum('real_estate', 'especially_valuable', 'other_movable', name='propertykind', native_enum=False, create_constraint=True, length=32), nullable=True))
        batch_op.add_column(sa.Column('account_group', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('created_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('cancelled_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('cancelled_at', sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_write_off_act_commission_id'), ['commission_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_write_off_act_department_id'), ['department_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_write_off_act_department_id_department'), 'department', ['department_id'], ['id'], ondelete='RESTRICT')
        batch_op.create_foreign_key(batch_op.f('fk_write_off_act_cancelled_by_id_user_account'), 'user_account', ['cancelled_by_id'], ['id'], ondelete='RESTRICT')
        batch_op.create_foreign_key(batch_op.f('fk_write_off_act_commission_id_commission'), 'commission', ['commission_id'], ['id'], ondelete='RESTRICT')
        batch_op.create_foreign_key(batch_op.f('fk_write_off_act_created_by_id_user_account'), 'user_account', ['created_by_id'], ['id'], ondelete='RESTRICT')

    with op.batch_alter_table('write_off_line', schema=None) as batch_op:
        batch_op.add_column(sa.Column('balance_account', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('previous_depreciation', models.types.Money(precision=15, scale=2), nullable=True))

    _move_data()

    with op.batch_alter_table('write_off_act', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_write_off_act_chair_id'))
        batch_op.drop_constraint(batch_op.f('fk_write_off_act_chair_id_employee'), type_='foreignkey')
        batch_op.drop_column('chair_id')
    op.drop_table('write_off_commission')



def _move_data():
    bind = op.get_bind()
    now = datetime.now(UTC).replace(tzinfo=None)
    acts = bind.execute(sa.text("SELECT id, chair_id, year, number FROM write_off_act WHERE chair_id IS NOT NULL")).all()
    for act_id, chair_id, year, number in acts:
        commission_id = bind.execute(sa.text(
            "INSERT INTO commission (name, chair_id, created_at, updated_at, version) "
            "VALUES (:name, :chair, :now, :now, 1) RETURNING id"),
            {"name": f"Комиссия акта № {number}/{year}", "chair": chair_id, "now": now}).scalar_one()
        bind.execute(sa.text("INSERT INTO commission_member (commission_id, employee_id) "
                             "SELECT :c, employee_id FROM write_off_commission WHERE act_id = :a AND employee_id <> :chair"),
                     {"c": commission_id, "a": act_id, "chair": chair_id})
        bind.execute(sa.text("UPDATE write_off_act SET commission_id = :c WHERE id = :a"), {"c": commission_id, "a": act_id})
    # The account each line was written off from, as the asset (or its category) has it.
    bind.execute(sa.text(
        "UPDATE write_off_line SET balance_account = (SELECT COALESCE(a.balance_account, c.balance_account) "
        "FROM asset a JOIN asset_category c ON c.id = a.category_id WHERE a.id = write_off_line.asset_id)"))
    # Series continue after the numbers already given.
    for kind, table in (("write_off", "write_off_act"), ("transfer", "transfer")):
        bind.execute(sa.text(f"INSERT INTO document_counter (kind, year, last) "
                             f"SELECT '{kind}', year, MAX(number) FROM {table} GROUP BY year"))


def downgrade():
    with op.batch_alter_table('write_off_line', schema=None) as batch_op:
        batch_op.drop_column('previous_depreciation')
        batch_op.drop_column('balance_account')

    with op.batch_alter_table('write_off_act', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chair_id', sa.INTEGER(), nullable=True))
        batch_op.drop_constraint(batch_op.f('fk_write_off_act_created_by_id_user_account'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_write_off_act_commission_id_commission'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_write_off_act_cancelled_by_id_user_account'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_write_off_act_department_id_department'), type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_write_off_act_chair_id_employee'), 'employee', ['chair_id'], ['id'], ondelete='RESTRICT')
        batch_op.drop_index(batch_op.f('ix_write_off_act_department_id'))
        batch_op.drop_index(batch_op.f('ix_write_off_act_commission_id'))
        batch_op.create_index(batch_op.f('ix_write_off_act_chair_id'), ['chair_id'], unique=False)
        batch_op.drop_column('cancelled_at')
        batch_op.drop_column('cancelled_by_id')
        batch_op.drop_column('created_by_id')
        batch_op.drop_column('account_group')
        batch_op.drop_column('property_kind')
        batch_op.drop_column('form_family')
        batch_op.drop_column('commission_id')
        batch_op.drop_column('department_id')

    with op.batch_alter_table('vehicle', schema=None) as batch_op:
        batch_op.drop_column('colour')
        batch_op.drop_column('body_number')
        batch_op.drop_column('chassis_number')
        batch_op.drop_column('engine_number')

    with op.batch_alter_table('transfer', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_transfer_cancelled_by_id_user_account'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_transfer_created_by_id_user_account'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_transfer_approved_by_id_user_account'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_transfer_status'))
        batch_op.drop_column('cancelled_at')
        batch_op.drop_column('cancelled_by_id')
        batch_op.drop_column('approved_at')
        batch_op.drop_column('approved_by_id')
        batch_op.drop_column('created_by_id')
        batch_op.drop_column('status')

    op.create_table('write_off_commission',
    sa.Column('act_id', sa.INTEGER(), nullable=False),
    sa.Column('employee_id', sa.INTEGER(), nullable=False),
    sa.ForeignKeyConstraint(['act_id'], ['write_off_act.id'], name=op.f('fk_write_off_commission_act_id_write_off_act'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_write_off_commission_employee_id_employee'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('act_id', 'employee_id', name=op.f('pk_write_off_commission'))
    )
    with op.batch_alter_table('write_off_material', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_write_off_material_act_id'))

    op.drop_table('write_off_material')
    with op.batch_alter_table('write_off_cost', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_write_off_cost_act_id'))

    op.drop_table('write_off_cost')
    with op.batch_alter_table('reversal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reversal_year'))
        batch_op.drop_index(batch_op.f('ix_reversal_target_kind'))
        batch_op.drop_index(batch_op.f('ix_reversal_target_id'))
        batch_op.drop_index(batch_op.f('ix_reversal_status'))
        batch_op.drop_index(batch_op.f('ix_reversal_doc_date'))

    op.drop_table('reversal')
    op.drop_table('commission_member')
    op.drop_table('institution')
    with op.batch_alter_table('commission', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commission_chair_id'))

    op.drop_table('commission')
    op.drop_table('document_counter')
