"""Buildings and rooms."""
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Tracked
from .types import LabeledEnum, enum_column
from .limits import BUILT, FLOOR, NON_NEGATIVE


class RightOfUse(LabeledEnum):
    operational = "operational", _l("Operational management")
    lease = "lease", _l("Lease")
    free_use = "free_use", _l("Free use")


class Building(Tracked, Base):
    __tablename__ = "building"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    address: Mapped[str] = mapped_column(String(500))
    cadastral_number: Mapped[str | None] = mapped_column(String(40), unique=True)
    total_area: Mapped[Decimal | None] = mapped_column(Numeric(12, 2), info=NON_NEGATIVE)
    right_of_use: Mapped[RightOfUse] = mapped_column(enum_column(RightOfUse), default=RightOfUse.operational, index=True)
    lease_contract_id: Mapped[int | None] = mapped_column(ForeignKey("contract.id", ondelete="RESTRICT"), index=True)
    year_built: Mapped[int | None] = mapped_column(Integer, info=BUILT)

    lease_contract: Mapped["Contract | None"] = relationship()  # noqa: F821

    def __str__(self):
        return self.name


class Room(Tracked, Base):
    __tablename__ = "room"
    __table_args__ = (UniqueConstraint("building_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("building.id", ondelete="RESTRICT"), index=True)
    number: Mapped[str] = mapped_column(String(20), index=True)
    floor: Mapped[int | None] = mapped_column(Integer, info=FLOOR)
    area: Mapped[Decimal | None] = mapped_column(Numeric(10, 2), info=NON_NEGATIVE)
    purpose: Mapped[str | None] = mapped_column(String(200))
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="RESTRICT"), index=True)

    building: Mapped[Building] = relationship()
    responsible: Mapped["Employee | None"] = relationship()  # noqa: F821

    def __str__(self):
        return f"{self.building} / {self.number}" if self.building else self.number
