"""Write-off acts (ОКУД 0504104, 0504105, 0504143), their lines and commission."""
from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, Date, DateTime, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .assets import AssetStatus
from .base import Base, Tracked
from .types import LabeledEnum, Money, enum_column
from .limits import NON_NEGATIVE


class WriteOffForm(LabeledEnum):
    f0504104 = "0504104", _l("0504104 — fixed assets (except vehicles)")
    f0504105 = "0504105", _l("0504105 — vehicles")
    f0504143 = "0504143", _l("0504143 — soft and household inventory")


class WriteOffReason(LabeledEnum):
    wear = "wear", _l("Physical wear")
    obsolescence = "obsolescence", _l("Obsolescence")
    breakdown = "breakdown", _l("Breakdown, repair not worth it")
    accident = "accident", _l("Road accident")
    theft = "theft", _l("Theft or shortage")
    disaster = "disaster", _l("Fire or natural disaster")
    other = "other", _l("Other")


class WriteOffStatus(LabeledEnum):
    draft = "draft", _l("Draft")
    approved = "approved", _l("Approved")
    cancelled = "cancelled", _l("Cancelled")


write_off_commission = Table(
    "write_off_commission",
    Base.metadata,
    Column("act_id", ForeignKey("write_off_act.id", ondelete="CASCADE"), primary_key=True),
    Column("employee_id", ForeignKey("employee.id", ondelete="RESTRICT"), primary_key=True),
)


class WriteOffAct(Tracked, Base):
    __tablename__ = "write_off_act"
    verbose_name, verbose_name_plural = _l("Write-off act"), _l("Write-off acts")
    __table_args__ = (UniqueConstraint("year", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    number: Mapped[int] = mapped_column(Integer)
    act_date: Mapped[date] = mapped_column(Date, index=True)
    form: Mapped[WriteOffForm] = mapped_column(enum_column(WriteOffForm), index=True)
    reason: Mapped[WriteOffReason] = mapped_column(enum_column(WriteOffReason), index=True)
    reason_details: Mapped[str | None] = mapped_column(Text)
    status: Mapped[WriteOffStatus] = mapped_column(enum_column(WriteOffStatus), default=WriteOffStatus.draft, index=True)
    evidence_number: Mapped[str | None] = mapped_column(String(50))
    evidence_date: Mapped[date | None] = mapped_column(Date)
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="RESTRICT"), index=True)
    chair_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="RESTRICT"), index=True)
    conclusion: Mapped[str | None] = mapped_column(Text)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime)

    responsible: Mapped["Employee | None"] = relationship(foreign_keys=[responsible_id])  # noqa: F821
    chair: Mapped["Employee | None"] = relationship(foreign_keys=[chair_id])  # noqa: F821
    members: Mapped[list["Employee"]] = relationship(secondary=write_off_commission)  # noqa: F821
    approved_by: Mapped["User | None"] = relationship()  # noqa: F821
    lines: Mapped[list["WriteOffLine"]] = relationship(back_populates="act", order_by="WriteOffLine.id")

    def __str__(self):
        return f"{self.number}/{self.year}"


class WriteOffLine(Base):
    __tablename__ = "write_off_line"
    verbose_name, verbose_name_plural = _l("Write-off line"), _l("Write-off lines")

    id: Mapped[int] = mapped_column(primary_key=True)
    act_id: Mapped[int] = mapped_column(ForeignKey("write_off_act.id", ondelete="CASCADE"), index=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("asset.id", ondelete="RESTRICT"), index=True)
    inventory_number: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(300))
    book_value: Mapped[Decimal] = mapped_column(Money, info=NON_NEGATIVE)
    depreciation: Mapped[Decimal] = mapped_column(Money, info=NON_NEGATIVE)
    residual_value: Mapped[Decimal] = mapped_column(Money, info=NON_NEGATIVE)
    previous_status: Mapped[AssetStatus] = mapped_column(enum_column(AssetStatus))
    condition: Mapped[str | None] = mapped_column(Text)
    conclusion: Mapped[str | None] = mapped_column(Text)

    act: Mapped[WriteOffAct] = relationship(back_populates="lines")
    asset: Mapped["Asset"] = relationship()  # noqa: F821
