"""Buildings and rooms."""
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, Numeric, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from . import checks
from .base import Base, Tracked
from .registry import concat
from .limits import BUILT, FLOOR, NON_NEGATIVE
from .types import LabeledEnum, enum_column


class RightOfUse(LabeledEnum):
    operational = "operational", _l("Operational management")
    lease = "lease", _l("Lease")
    free_use = "free_use", _l("Free use")


class Building(Tracked, Base):
    __tablename__ = "building"
    verbose_name, verbose_name_plural = _l("Building"), _l("Buildings")
    natural_key = ("name",)
    search_fields = ("name", "address", "cadastral_number")

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    address: Mapped[str] = mapped_column(String(500))
    cadastral_number: Mapped[str | None] = mapped_column(String(40), unique=True, info={
        "check": checks.check_cadastral_number})
    total_area: Mapped[Decimal | None] = mapped_column(Numeric(12, 2), info=NON_NEGATIVE)
    right_of_use: Mapped[RightOfUse] = mapped_column(enum_column(RightOfUse), default=RightOfUse.operational, index=True)
    lease_contract_id: Mapped[int | None] = mapped_column(ForeignKey("contract.id", ondelete="RESTRICT"), index=True)
    year_built: Mapped[int | None] = mapped_column(Integer, info=BUILT)

    lease_contract: Mapped["Contract | None"] = relationship()  # noqa: F821

    @staticmethod
    def rules(old, new, through=None):
        if (new.get("total_area") or 0) < 0:
            return [("total_area", _l("cannot be negative"))]
        return []

    def __str__(self):
        return self.name


class Room(Tracked, Base):
    __tablename__ = "room"
    __table_args__ = (UniqueConstraint("building_id", "number"),)
    verbose_name, verbose_name_plural = _l("Room"), _l("Rooms")
    natural_key = ("building_id", "number")
    search_fields = ("number", "purpose")
    bulk_editable = ("building_id", "floor", "purpose", "responsible_id")
    importable = ("building_id", "number", "floor", "area", "purpose", "responsible_id")

    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("building.id", ondelete="RESTRICT"), index=True)
    number: Mapped[str] = mapped_column(String(20), index=True, info={"example": "101"})
    floor: Mapped[int | None] = mapped_column(Integer, info={"example": 1, **FLOOR})
    area: Mapped[Decimal | None] = mapped_column(Numeric(10, 2), info={"example": Decimal("18.50"), **NON_NEGATIVE})
    purpose: Mapped[str | None] = mapped_column(String(200), info={"example": "Кабинет"})
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="RESTRICT"), index=True)

    building: Mapped[Building] = relationship()
    responsible: Mapped["Employee | None"] = relationship()  # noqa: F821

    @staticmethod
    def rules(old, new, through=None):
        if (new.get("area") or 0) < 0:
            return [("area", _l("cannot be negative"))]
        return []

    @classmethod
    def display_sql(cls):
        building = select(Building.name).where(Building.id == cls.building_id).scalar_subquery()
        return concat(building, " / ", cls.number)

    def __str__(self):
        return f"{self.building} / {self.number}" if self.building else self.number
