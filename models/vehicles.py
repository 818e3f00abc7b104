"""Vehicles and fuel cards."""
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Tracked
from .types import LabeledEnum, enum_column
from .limits import NON_NEGATIVE, YEAR


class FuelType(LabeledEnum):
    ai92 = "ai92", _l("Petrol AI-92")
    ai95 = "ai95", _l("Petrol AI-95")
    diesel = "diesel", _l("Diesel")
    gas = "gas", _l("Gas")
    electric = "electric", _l("Electric")


class VehicleStatus(LabeledEnum):
    in_service = "in_service", _l("In service")
    under_repair = "under_repair", _l("Under repair")
    reserve = "reserve", _l("Reserve")
    decommissioned = "decommissioned", _l("Decommissioned")


class Vehicle(Tracked, Base):
    __tablename__ = "vehicle"

    id: Mapped[int] = mapped_column(primary_key=True)
    asset_id: Mapped[int | None] = mapped_column(ForeignKey("asset.id", ondelete="RESTRICT"), unique=True)
    plate: Mapped[str] = mapped_column(String(12), unique=True)
    vin: Mapped[str | None] = mapped_column(String(17), unique=True)
    make: Mapped[str] = mapped_column(String(100), index=True)
    model: Mapped[str] = mapped_column(String(100))
    year_made: Mapped[int | None] = mapped_column(Integer, info=YEAR)
    fuel_type: Mapped[FuelType] = mapped_column(enum_column(FuelType), index=True)
    tank_capacity: Mapped[int | None] = mapped_column(Integer, info=NON_NEGATIVE)
    fuel_norm: Mapped[Decimal | None] = mapped_column(Numeric(5, 2), info=NON_NEGATIVE)
    odometer_km: Mapped[int | None] = mapped_column(Integer, info=NON_NEGATIVE)
    sts_number: Mapped[str | None] = mapped_column(String(20))
    pts_number: Mapped[str | None] = mapped_column(String(20))
    osago_policy: Mapped[str | None] = mapped_column(String(30))
    osago_expires_on: Mapped[date | None] = mapped_column(Date, index=True)
    diagnostic_card: Mapped[str | None] = mapped_column(String(30))
    diagnostic_expires_on: Mapped[date | None] = mapped_column(Date, index=True)
    driver_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="RESTRICT"), index=True)
    status: Mapped[VehicleStatus] = mapped_column(enum_column(VehicleStatus), default=VehicleStatus.in_service, index=True)
    registered_on: Mapped[date | None] = mapped_column(Date)
    deregistered_on: Mapped[date | None] = mapped_column(Date)

    asset: Mapped["Asset | None"] = relationship()  # noqa: F821
    driver: Mapped["Employee | None"] = relationship()  # noqa: F821

    def __str__(self):
        return f"{self.plate} {self.make} {self.model}"


class FuelCardStatus(LabeledEnum):
    active = "active", _l("Active")
    blocked = "blocked", _l("Blocked")
    lost = "lost", _l("Lost")
    closed = "closed", _l("Closed")


class FuelCard(Tracked, Base):
    __tablename__ = "fuel_card"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(19), unique=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("supplier.id", ondelete="RESTRICT"), index=True)
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contract.id", ondelete="RESTRICT"), index=True)
    vehicle_id: Mapped[int | None] = mapped_column(ForeignKey("vehicle.id", ondelete="RESTRICT"), index=True)
    holder_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="RESTRICT"), index=True)
    fuel_type: Mapped[FuelType] = mapped_column(enum_column(FuelType), index=True)
    monthly_limit_l: Mapped[int | None] = mapped_column(Integer, info=NON_NEGATIVE)
    valid_until: Mapped[date | None] = mapped_column(Date, index=True)
    status: Mapped[FuelCardStatus] = mapped_column(enum_column(FuelCardStatus), default=FuelCardStatus.active, index=True)

    provider: Mapped["Supplier"] = relationship()  # noqa: F821
    contract: Mapped["Contract | None"] = relationship()  # noqa: F821
    vehicle: Mapped[Vehicle | None] = relationship()
    holder: Mapped["Employee | None"] = relationship()  # noqa: F821

    @property
    def masked_number(self) -> str:
        return f"•••• {self.number[-4:]}" if self.number else ""

    def __str__(self):
        return self.masked_number
