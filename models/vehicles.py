"""Vehicles and fuel cards."""
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, Integer, Numeric, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from . import checks
from .base import Base, Tracked
from .registry import concat, dates_in_order
from .limits import NON_NEGATIVE, YEAR
from .types import LabeledEnum, enum_column


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
    verbose_name, verbose_name_plural = _l("Vehicle"), _l("Vehicles")
    natural_key = ("plate",)
    search_fields = ("plate", "vin", "make", "model")
    bulk_editable = ("status", "driver_id", "fuel_type", "fuel_norm", "osago_expires_on", "diagnostic_expires_on")
    importable = ("plate", "vin", "asset_id", "make", "model", "year_made", "fuel_type", "tank_capacity", "fuel_norm",
                  "odometer_km", "sts_number", "pts_number", "osago_policy", "osago_expires_on", "diagnostic_card",
                  "diagnostic_expires_on", "driver_id", "status", "registered_on", "deregistered_on")

    id: Mapped[int] = mapped_column(primary_key=True)
    asset_id: Mapped[int | None] = mapped_column(ForeignKey("asset.id", ondelete="RESTRICT"), unique=True)
    plate: Mapped[str] = mapped_column(String(12), unique=True, info={"check": checks.check_plate,
                                                                          "example": "А123ВС77"})
    vin: Mapped[str | None] = mapped_column(String(17), unique=True, info={"check": checks.check_vin,
                                                                                "example": "XTA219010K0123456"})
    make: Mapped[str] = mapped_column(String(100), index=True, info={"example": "LADA"})
    model: Mapped[str] = mapped_column(String(100), info={"example": "Granta"})
    year_made: Mapped[int | None] = mapped_column(Integer, info={"example": 2020, **YEAR})
    fuel_type: Mapped[FuelType] = mapped_column(enum_column(FuelType), index=True)
    tank_capacity: Mapped[int | None] = mapped_column(Integer, info={"example": 50, **NON_NEGATIVE})
    fuel_norm: Mapped[Decimal | None] = mapped_column(Numeric(5, 2), info={"example": Decimal("8.70"), **NON_NEGATIVE})
    odometer_km: Mapped[int | None] = mapped_column(Integer, info={"example": 45210, **NON_NEGATIVE})
    sts_number: Mapped[str | None] = mapped_column(String(20))
    pts_number: Mapped[str | None] = mapped_column(String(20))
    # Identifiers form 0504105 asks for beside the VIN.
    engine_number: Mapped[str | None] = mapped_column(String(40))
    chassis_number: Mapped[str | None] = mapped_column(String(40))
    body_number: Mapped[str | None] = mapped_column(String(40))
    colour: Mapped[str | None] = mapped_column(String(50))
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

    @staticmethod
    def rules(old, new, through=None):
        problems = []
        for attr in ("tank_capacity", "fuel_norm", "odometer_km"):
            if (new.get(attr) or 0) < 0:
                problems.append((attr, _l("cannot be negative")))
        problems.extend(dates_in_order(new, "registered_on", "deregistered_on"))
        return problems

    @classmethod
    def display_sql(cls):
        return concat(cls.plate, " ", cls.make, " ", cls.model)

    def __str__(self):
        return f"{self.plate} {self.make} {self.model}"


class FuelCardStatus(LabeledEnum):
    active = "active", _l("Active")
    blocked = "blocked", _l("Blocked")
    lost = "lost", _l("Lost")
    closed = "closed", _l("Closed")


class FuelCard(Tracked, Base):
    __tablename__ = "fuel_card"
    verbose_name, verbose_name_plural = _l("Fuel card"), _l("Fuel cards")
    natural_key = ("number",)
    search_fields = ("number",)
    bulk_editable = ("status", "holder_id", "vehicle_id", "contract_id", "fuel_type", "monthly_limit_l", "valid_until")
    importable = ("number", "provider_id", "contract_id", "vehicle_id", "holder_id", "fuel_type", "monthly_limit_l",
                  "valid_until", "status")

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(19), unique=True, info={
        "check": checks.check_fuel_card_number, "digits": tuple(range(13, 20)), "example": "7005830012345678",
        "aliases": (_l("Card number"),)})
    provider_id: Mapped[int] = mapped_column(ForeignKey("supplier.id", ondelete="RESTRICT"), index=True)
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contract.id", ondelete="RESTRICT"), index=True)
    vehicle_id: Mapped[int | None] = mapped_column(ForeignKey("vehicle.id", ondelete="RESTRICT"), index=True)
    holder_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="RESTRICT"), index=True)
    fuel_type: Mapped[FuelType] = mapped_column(enum_column(FuelType), index=True)
    monthly_limit_l: Mapped[int | None] = mapped_column(Integer, info={"example": 300, **NON_NEGATIVE})
    valid_until: Mapped[date | None] = mapped_column(Date, index=True, info={"example": date(2026, 12, 31)})
    status: Mapped[FuelCardStatus] = mapped_column(enum_column(FuelCardStatus), default=FuelCardStatus.active, index=True)

    provider: Mapped["Supplier"] = relationship()  # noqa: F821
    contract: Mapped["Contract | None"] = relationship()  # noqa: F821
    vehicle: Mapped[Vehicle | None] = relationship()
    holder: Mapped["Employee | None"] = relationship()  # noqa: F821

    @property
    def masked_number(self) -> str:
        return f"•••• {self.number[-4:]}" if self.number else ""

    @staticmethod
    def rules(old, new, through=None):
        if (new.get("monthly_limit_l") or 0) < 0:
            return [("monthly_limit_l", _l("cannot be negative"))]
        return []

    @classmethod
    def display_sql(cls):
        return concat("•••• ", func.substr(cls.number, func.length(cls.number) - 3))

    def __str__(self):
        return self.masked_number
