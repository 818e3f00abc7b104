"""CHECK constraints: amounts, quantities, areas and capacities are not negative; years and floors plausible

The same ranges as the columns' ``info`` (models/limits.py), which the forms enforce with a field message.

Revision ID: 0019_value_ranges
Revises: 0018_sessions
"""
from alembic import op

revision = '0019_value_ranges'
down_revision = '0018_sessions'
branch_labels = None
depends_on = None

CHECKS = [
    ('asset_category', 'default_useful_life_months_range', 'default_useful_life_months >= 0'),
    ('depreciation_posting', 'assets_count_range', 'assets_count >= 0'),
    ('depreciation_posting', 'total_range', 'total >= 0'),
    ('contract', 'amount_range', 'amount >= 0'),
    ('contract', 'vat_range', 'vat >= 0'),
    ('building', 'total_area_range', 'total_area >= 0'),
    ('building', 'year_built_range', 'year_built >= 1700 AND year_built <= 2100'),
    ('room', 'floor_range', 'floor >= -10 AND floor <= 200'),
    ('room', 'area_range', 'area >= 0'),
    ('asset', 'useful_life_months_range', 'useful_life_months >= 0'),
    ('asset', 'year_made_range', 'year_made >= 1900 AND year_made <= 2100'),
    ('transfer_line', 'book_value_range', 'book_value >= 0'),
    ('vehicle', 'year_made_range', 'year_made >= 1900 AND year_made <= 2100'),
    ('vehicle', 'tank_capacity_range', 'tank_capacity >= 0'),
    ('vehicle', 'odometer_km_range', 'odometer_km >= 0'),
    ('vehicle', 'fuel_norm_range', 'fuel_norm >= 0'),
    ('write_off_line', 'residual_value_range', 'residual_value >= 0'),
    ('write_off_line', 'depreciation_range', 'depreciation >= 0'),
    ('write_off_line', 'book_value_range', 'book_value >= 0'),
    ('fuel_card', 'monthly_limit_l_range', 'monthly_limit_l >= 0'),
]


def _by_table():
    tables = {}
    for table, name, condition in CHECKS:
        tables.setdefault(table, []).append((name, condition))
    return tables


def upgrade():
    for table, checks in _by_table().items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, condition in checks:
                batch_op.create_check_constraint(name, condition)


def downgrade():
    for table, checks in _by_table().items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, _condition in checks:
                batch_op.drop_constraint(batch_op.f(f'ck_{table}_{name}'), type_='check')
