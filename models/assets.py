"""Asset categories and assets (fixed assets and other material values)."""
import re
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text, case, type_coerce
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from . import checks
from .base import Base, Tracked
from .registry import concat
from .limits import NON_NEGATIVE, YEAR
from .types import LabeledEnum, Money, enum_column


class PropertyKind(LabeledEnum):
    real_estate = "real_estate", _l("Real estate")
    especially_valuable = "especially_valuable", _l("Especially valuable movable property")
    other_movable = "other_movable", _l("Other movable property")


class AssetCategory(Tracked, Base):
    __tablename__ = "asset_category"
    verbose_name, verbose_name_plural = _l("Asset category"), _l("Asset categories")
    natural_key = ("name",)
    search_fields = ("name", "okof_code")
    importable = ("name", "okof_code", "balance_account", "property_kind", "default_useful_life_months")

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True, info={"example": "Вычислительная техника"})
    okof_code: Mapped[str | None] = mapped_column(String(20), info={"check": checks.check_okof,
                                                                     "example": "320.26.20.11"})
    balance_account: Mapped[str] = mapped_column(String(20), index=True)
    property_kind: Mapped[PropertyKind] = mapped_column(enum_column(PropertyKind), index=True)
    default_useful_life_months: Mapped[int | None] = mapped_column(Integer, info={"example": 36, **NON_NEGATIVE})

    @staticmethod
    def rules(old, new, through=None):
        problems = []
        if not BALANCE_ACCOUNT.fullmatch(new.get("balance_account") or "0"):
            problems.append(("balance_account", _l("write the account as digits with dots, e.g. 101.34")))
        life = new.get("default_useful_life_months")
        if life is not None and life <= 0:
            problems.append(("default_useful_life_months", _l("must be a positive number of months")))
        return problems

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
WRITE_OFF_ACT = "write_off_act"  # ``through``: the change comes from a write-off act

# Objects of this value or less go to off-balance account 21 on commissioning (СГС «Основные средства», п. 39).
OFF_BALANCE_LIMIT = Decimal("10000.00")
OFF_BALANCE_ACCOUNT = "21"
BALANCE_ACCOUNT = re.compile(r"\d{2,3}(\.\d{1,2})*")
EARLIEST_YEAR = 1900


class Asset(Tracked, Base):
    __tablename__ = "asset"
    verbose_name, verbose_name_plural = _l("Asset"), _l("Fixed assets")
    natural_key = ("inventory_number",)
    search_fields = ("inventory_number", "name", "serial_number")
    bulk_editable = ("status", "responsible_id", "department_id", "room_id", "category_id", "balance_account",
                     "useful_life_months", "supplier_id", "contract_id", "commissioned_on", "notes")
    importable = ("inventory_number", "name", "category_id", "serial_number", "year_made", "accepted_on",
                  "commissioned_on", "book_value", "depreciation", "useful_life_months", "balance_account", "status",
                  "responsible_id", "department_id", "room_id", "supplier_id", "contract_id", "notes")
    __table_args__ = (
        CheckConstraint("book_value >= 0", name="book_value_not_negative"),
        CheckConstraint("depreciation >= 0 AND depreciation <= book_value", name="depreciation_within_value"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    inventory_number: Mapped[str] = mapped_column(String(30), unique=True, info={"example": "ИН-000001"})
    name: Mapped[str] = mapped_column(String(300), index=True, info={"example": "Ноутбук Lenovo ThinkPad"})
    category_id: Mapped[int] = mapped_column(ForeignKey("asset_category.id", ondelete="RESTRICT"), index=True)
    serial_number: Mapped[str | None] = mapped_column(String(100), index=True, info={"example": "PF-3K2L9"})
    year_made: Mapped[int | None] = mapped_column(Integer, info={"example": 2024, **YEAR})
    accepted_on: Mapped[date | None] = mapped_column(Date, index=True, info={"example": date(2024, 3, 1)})
    commissioned_on: Mapped[date | None] = mapped_column(Date, index=True, info={"example": date(2024, 3, 15)})
    book_value: Mapped[Decimal] = mapped_column(Money, index=True, info={"example": Decimal("85400.00"), **NON_NEGATIVE})
    depreciation: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"), info={"example": Decimal("0.00"), **NON_NEGATIVE})
    useful_life_months: Mapped[int | None] = mapped_column(Integer, info={"example": 36, **NON_NEGATIVE})
    balance_account: Mapped[str | None] = mapped_column(String(20), index=True, info={"example": "101.34"})
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

    @staticmethod
    def rules(old, new, through=None):
        problems = []
        old_status = (old or {}).get("status")
        if through != WRITE_OFF_ACT:
            if old_status in LOCKED_STATUSES:
                if any(old.get(k) != v for k, v in new.items() if k in old):
                    return [Asset.lock_problem(old_status)]
            elif new.get("status") in LOCKED_STATUSES:
                problems.append(("status", _l("this status is set only by a write-off act")))
        book, dep = new.get("book_value"), new.get("depreciation") or Decimal("0")
        if book is not None and book < 0:
            problems.append(("book_value", _l("cannot be negative")))
        if dep < 0:
            problems.append(("depreciation", _l("cannot be negative")))
        elif book is not None and dep > book:
            problems.append(("depreciation", _l("cannot exceed the book value")))
        life = new.get("useful_life_months")
        if life is not None and life <= 0:
            problems.append(("useful_life_months", _l("must be a positive number of months")))
        year = new.get("year_made")
        if year is not None and not EARLIEST_YEAR <= year <= date.today().year:
            problems.append(("year_made", _l("must be between %(first)s and the current year", first=EARLIEST_YEAR)))
        account = new.get("balance_account")
        if account and not BALANCE_ACCOUNT.fullmatch(account):
            problems.append(("balance_account", _l("write the account as digits with dots, e.g. 101.34")))
        accepted, commissioned = new.get("accepted_on"), new.get("commissioned_on")
        if accepted and commissioned and commissioned < accepted:
            problems.append(("commissioned_on", _l("cannot be earlier than the acceptance date")))
        return problems

    @hybrid_property
    def locked(self) -> bool:
        """In a write-off act (pending, written off, disposed): changed only through the act."""
        return self.status in LOCKED_STATUSES

    @locked.inplace.expression
    @classmethod
    def _locked_expression(cls):
        return cls.status.in_([s.value for s in LOCKED_STATUSES])

    @staticmethod
    def lock_problem(status):
        """The refusal of any change to an asset in a write-off act (forms show it before one is typed)."""
        return "status", _l("%(status)s: changed only through its write-off act", status=status.label)

    @staticmethod
    def derive(old, new):
        """An object of 10 000 ₽ or less goes to off-balance account 21 when it is commissioned."""
        book = new.get("book_value")
        if (new.get("commissioned_on") is not None and book is not None and book <= OFF_BALANCE_LIMIT
                and new.get("balance_account") != OFF_BALANCE_ACCOUNT):
            return {"balance_account": OFF_BALANCE_ACCOUNT}
        return {}

    @classmethod
    def display_sql(cls):
        return concat(cls.inventory_number, " ", cls.name)

    @property
    def residual_value(self) -> Decimal:
        return max((self.book_value or Decimal("0")) - (self.depreciation or Decimal("0")), Decimal("0.00"))

    def __str__(self):
        return f"{self.inventory_number} {self.name}"


def residual_value_sql():
    """SQL twin of ``Asset.residual_value`` (book value − depreciation, never negative), for selects."""
    residual = case((Asset.book_value > Asset.depreciation, Asset.book_value - Asset.depreciation), else_=0)
    return type_coerce(residual, Money())
