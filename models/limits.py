"""Ranges of numeric columns, declared next to them as ``info`` and enforced twice: forms refuse a value
outside with a field message (admin_views.fields), and the database refuses it with a CHECK constraint
(derived here, so the two never disagree; migration 0019 creates them).

Amounts, quantities, areas and capacities can't be negative; years and floors stay plausible.
"""
from sqlalchemy import CheckConstraint

NON_NEGATIVE = {"min": 0}
YEAR = {"min": 1900, "max": 2100}  # a year of manufacture
BUILT = {"min": 1700, "max": 2100}  # a building can be old
FLOOR = {"min": -10, "max": 200}


def range_checks(metadata) -> None:
    """A CHECK constraint ``<column>_range`` for every column that declares min/max (once per table)."""
    for table in metadata.tables.values():
        existing = {getattr(c, "name", None) for c in table.constraints}
        for column in table.columns:
            low, high = column.info.get("min"), column.info.get("max")
            if low is None and high is None:
                continue
            name = f"{column.name}_range"
            if any(n and n.endswith(name) for n in existing) or any(
                    str(getattr(c, "sqltext", "")).startswith(f"{column.name} >=") for c in table.constraints):
                continue  # the table declares its own check of this column (asset: book value, depreciation)
            parts = [f"{column.name} >= {low}"] if low is not None else []
            parts += [f"{column.name} <= {high}"] if high is not None else []
            table.append_constraint(CheckConstraint(" AND ".join(parts), name=name))
