"""What the home page shows: assets by status, their value, and deadlines coming up."""
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select, type_coerce

from models import (Asset, AssetStatus, Contract, ContractStatus, Employee, FuelCard, FuelCardStatus,
                    Money, Vehicle, VehicleStatus)
from models.tally import totals_by_status

HORIZON_DAYS = 30


@dataclass
class Deadline:
    key: str          # which kind of deadline: osago, diagnostic, contract, fuel_card, licence
    model: type
    column: str       # the date column the list filters on
    conditions: dict  # further equalities the list filters on
    count: int


def assets_by_status(session) -> list[tuple[AssetStatus, int, Decimal]]:
    # From the ledger the database keeps (models/tally.py): a few rows, not a pass over every asset.
    found = totals_by_status(session)
    return [(s, *found.get(s.value, (0, Decimal("0.00")))) for s in AssetStatus]


def assets_by_status_counted(session) -> list[tuple[AssetStatus, int, Decimal]]:
    """The same figures counted from the asset table itself: what the ledger must always agree with."""
    rows = session.execute(
        select(Asset.status, func.count(), type_coerce(func.sum(Asset.book_value), Money()))
        .group_by(Asset.status)
    ).all()
    found = {status: (count, total or Decimal("0.00")) for status, count, total in rows}
    return [(s, *found.get(s, (0, Decimal("0.00")))) for s in AssetStatus]


@dataclass(frozen=True)
class Not:
    """A condition that a column is anything but ``value`` (a written-off vehicle's policy is no deadline)."""

    value: object


# (key, model, date column, {column: value that must also hold})
DEADLINES = (
    ("osago", Vehicle, "osago_expires_on", {"status": Not(VehicleStatus.decommissioned)}),
    ("diagnostic", Vehicle, "diagnostic_expires_on", {"status": Not(VehicleStatus.decommissioned)}),
    ("contract", Contract, "ends_on", {"status": ContractStatus.active}),
    ("fuel_card", FuelCard, "valid_until", {"status": FuelCardStatus.active}),
    ("licence", Employee, "licence_expires_on", {"is_driver": True}),
)


def deadline_limit(today: date) -> date:
    """The first day beyond the horizon: deadlines are the dates before it."""
    return today + timedelta(days=HORIZON_DAYS + 1)


def deadlines(session, today: date) -> list[Deadline]:
    """Records whose date falls within 30 days from today, already expired ones included."""
    limit = deadline_limit(today)
    counts = []
    for _key, model, column, conditions in DEADLINES:
        query = select(func.count()).select_from(model).where(getattr(model, column) < limit)
        for name, value in conditions.items():
            column_ = getattr(model, name)
            query = query.where(column_ != value.value if isinstance(value, Not) else column_ == value)
        counts.append(query.scalar_subquery())
    found = session.execute(select(*counts)).one()  # one round trip for all of them
    return [Deadline(key, model, column, conditions, n)
            for (key, model, column, conditions), n in zip(DEADLINES, found)]


def vehicles_to_deregister(session) -> int:
    """Vehicles written off (out of service) whose deregistration with the traffic police is not yet recorded."""
    return session.scalar(select(func.count()).select_from(Vehicle).where(
        Vehicle.status == VehicleStatus.decommissioned, Vehicle.deregistered_on.is_(None)))
