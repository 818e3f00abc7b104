"""Asset categories and assets (fixed assets and other material values)."""
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text, case, type_coerce
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Tracked
from .types import LabeledEnum, Money, enum_column
from .limits import NON_NEGATIVE, YEAR


class PropertyKind(LabeledEnum):
    real_estate = "real_estate", _l("Real estate")
    especially_valuable = "especially_valuable", _l("Especially valuable movable property")
    other_movable = "other_movable", _l("Other movable property")


class AssetCategory(Tracked, Base):
    __tablename__ = "asset_category"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    okof_code: Mapped[str | None] = mapped_column(String(20))
    balance_account: Mapped[str] = mapped_column(String(20), index=True)
    property_kind: Mapped[PropertyKind] = mapped_column(enum_column(PropertyKind), index=True)
    default_useful_life_months: Mapped[int | None] = mapped_column(Integer, info=NON_NEGATIVE)

    def __str__(self):
        return self.name


class AssetStatus(LabeledEnum):
    in_use = "in_use", _l("In use")
    in_storage = "in_storage", _l("In storage")
    under_repair = "under_repair", _l("Under repair")
    pending_write_off = "pending_write_off", _l("Pending write-off")
    written_off = "written_off", _l("Written off")
    disposed = "disposed", _l("Disposed")


# Records in these states belong to a write-off act and are edited only through it.
LOCKED_STATUSES = (AssetStatus.pending_write_off, AssetStatus.written_off, AssetStatus.disposed)


class Asset(Tracked, Base):
    __tablename__ = "asset"
    __table_args__ = (
        CheckConstraint("book_value >= 0", name="book_value_not_negative"),
        CheckConstraint("depreciation >= 0 AND depreciation <= book_value", name="depreciation_within_value"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    inventory_number: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(300), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("asset_category.id", ondelete="RESTRICT"), index=True)
    serial_number: Mapped[str | None] = mapped_column(String(100), index=True)
    year_made: Mapped[int | None] = mapped_column(Integer, info=YEAR)
    accepted_on: Mapped[date | None] = mapped_column(Date, index=True)
    commissioned_on: Mapped[date | None] = mapped_column(Date, index=True)
    book_value: Mapped[Decimal] = mapped_column(Money, index=True, info=NON_NEGATIVE)
    depreciation: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"), info=NON_NEGATIVE)
    useful_life_months: Mapped[int | None] = mapped_column(Integer, info=NON_NEGATIVE)
    balance_account: Mapped[str | None] = mapped_column(String(20), index=True)
    status: Mapped[AssetStatus] = mapped_column(enum_column(AssetStatus), default=AssetStatus.in_use, index=True)
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="RESTRICT"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id", ondelete="RESTRICT"), index=True)
    room_id: Mapped[int | None] = mapped_column(ForeignKey("room.id", ondelete="RESTRICT"), index=True)
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("supplier.id", ondelete="RESTRICT"), index=True)
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contract.id", ondelete="RESTRICT"), index=True)
    written_off_on: Mapped[date | None] = mapped_column(Date, index=True)
    write_off_act_id: Mapped[int | None] = mapped_column(ForeignKey("write_off_act.id", ondelete="RESTRICT"), index=True)
    disposed_on: Mapped[date | None] = mapped_column(Date)
    disposal_document: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)

    category: Mapped[AssetCategory] = relationship()
    responsible: Mapped["Employee | None"] = relationship()  # noqa: F821
    department: Mapped["Department | None"] = relationship()  # noqa: F821
    room: Mapped["Room | None"] = relationship()  # noqa: F821
    supplier: Mapped["Supplier | None"] = relationship()  # noqa: F821
    contract: Mapped["Contract | None"] = relationship()  # noqa: F821
    write_off_act: Mapped["WriteOffAct | None"] = relationship(foreign_keys=[write_off_act_id])  # noqa: F821

    @property
    def residual_value(self) -> Decimal:
        return max((self.book_value or Decimal("0")) - (self.depreciation or Decimal("0")), Decimal("0.00"))

    def __str__(self):
        return f"{self.inventory_number} {self.name}"


def residual_value_sql():
    """SQL twin of ``Asset.residual_value`` (book value − depreciation, never negative), for selects."""
    residual = case((Asset.book_value > Asset.depreciation, Asset.book_value - Asset.depreciation), else_=0)
    return type_coerce(residual, Money())
