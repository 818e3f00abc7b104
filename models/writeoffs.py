"""Write-off acts (ОКУД 0504104, 0504105, 0504143 and the 61н 0510454, 0510456), their lines, the
write-off costs and the materials the write-off yields."""
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .assets import AssetStatus, PropertyKind
from .base import Base, Tracked
from .documents import Document
from .institution import FormFamily
from .types import LabeledEnum, Money, enum_column
from .limits import NON_NEGATIVE


class WriteOffForm(LabeledEnum):
    f0504104 = "0504104", _l("0504104 — fixed assets (except vehicles)")
    f0504105 = "0504105", _l("0504105 — vehicles")
    f0504143 = "0504143", _l("0504143 — soft and household inventory")

    def code(self, family) -> str:
        """The ОКУД code printed in a family: the 61н successors where the order has one
        (0510454 for 0504104, 0510456 for 0504105); 0504143 has none found, so it stays."""
        if FormFamily(family) == FormFamily.f61n:
            return {"0504104": "0510454", "0504105": "0510456"}.get(self.value, self.value)
        return self.value


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


class WriteOffAct(Document, Tracked, Base):
    __tablename__ = "write_off_act"
    verbose_name, verbose_name_plural = _l("Write-off act"), _l("Write-off acts")
    __table_args__ = (UniqueConstraint("year", "number"),)
    document_kind = "write_off"
    date_field = "act_date"

    id: Mapped[int] = mapped_column(primary_key=True)
    act_date: Mapped[date] = mapped_column(Date, index=True)
    form: Mapped[WriteOffForm] = mapped_column(enum_column(WriteOffForm), index=True)
    reason: Mapped[WriteOffReason] = mapped_column(enum_column(WriteOffReason), index=True)
    reason_details: Mapped[str | None] = mapped_column(Text)
    status: Mapped[WriteOffStatus] = mapped_column(enum_column(WriteOffStatus), default=WriteOffStatus.draft, index=True)
    evidence_number: Mapped[str | None] = mapped_column(String(50))
    evidence_date: Mapped[date | None] = mapped_column(Date)
    # The МОЛ, taken from the lines (one per act); the structural subdivision is the МОЛ's department.
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="RESTRICT"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id", ondelete="RESTRICT"), index=True)
    commission_id: Mapped[int | None] = mapped_column(ForeignKey("commission.id", ondelete="RESTRICT"), index=True)
    conclusion: Mapped[str | None] = mapped_column(Text)
    form_family: Mapped[FormFamily] = mapped_column(enum_column(FormFamily), default=FormFamily.f52n)
    # One property kind and one account group per act (0504104: «по одной группе имущества»).
    property_kind: Mapped[PropertyKind | None] = mapped_column(enum_column(PropertyKind))
    account_group: Mapped[str | None] = mapped_column(String(20))

    responsible: Mapped["Employee | None"] = relationship(foreign_keys=[responsible_id])  # noqa: F821
    department: Mapped["Department | None"] = relationship()  # noqa: F821
    commission: Mapped["Commission | None"] = relationship()  # noqa: F821
    lines: Mapped[list["WriteOffLine"]] = relationship(back_populates="act", order_by="WriteOffLine.id")
    costs: Mapped[list["WriteOffCost"]] = relationship(back_populates="act", order_by="WriteOffCost.id")
    materials: Mapped[list["WriteOffMaterial"]] = relationship(back_populates="act", order_by="WriteOffMaterial.id")

    @property
    def form_code(self) -> str:
        return WriteOffForm(self.form).code(self.form_family or FormFamily.f52n)

    @property
    def chair(self):
        return self.commission.chair if self.commission else None

    @property
    def members(self) -> list:
        if not self.commission:
            return []
        return [m for m in self.commission.members if m.id != self.commission.chair_id]


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
    balance_account: Mapped[str | None] = mapped_column(String(20))
    # What the books said before approval: a reversal puts it back.
    previous_depreciation: Mapped[Decimal | None] = mapped_column(Money)
    previous_status: Mapped[AssetStatus] = mapped_column(enum_column(AssetStatus))
    condition: Mapped[str | None] = mapped_column(Text)
    conclusion: Mapped[str | None] = mapped_column(Text)

    act: Mapped[WriteOffAct] = relationship(back_populates="lines")
    asset: Mapped["Asset"] = relationship()  # noqa: F821


class WriteOffCost(Base):
    """Section 2 of the act: costs of the write-off (dismantling, disposal), each with its document."""

    __tablename__ = "write_off_cost"
    verbose_name, verbose_name_plural = _l("Write-off cost"), _l("Write-off costs")

    id: Mapped[int] = mapped_column(primary_key=True)
    act_id: Mapped[int] = mapped_column(ForeignKey("write_off_act.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(300), info={"label": _l("Cost")})
    document: Mapped[str | None] = mapped_column(String(200), info={"label": _l("Document")})
    quantity: Mapped[Decimal] = mapped_column(Numeric(12, 3), default=Decimal("1"), info={"label": _l("Quantity")})
    amount: Mapped[Decimal] = mapped_column(Money, info={"label": _l("Amount")})
    balance_account: Mapped[str | None] = mapped_column(String(20), info={"label": _l("Balance account")})

    act: Mapped[WriteOffAct] = relationship(back_populates="costs")


class WriteOffMaterial(Base):
    """Section 3 of the act: materials received from dismantling, to be taken into stock."""

    __tablename__ = "write_off_material"
    verbose_name, verbose_name_plural = _l("Material received"), _l("Materials received")

    id: Mapped[int] = mapped_column(primary_key=True)
    act_id: Mapped[int] = mapped_column(ForeignKey("write_off_act.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(300), info={"label": _l("Material")})
    unit: Mapped[str] = mapped_column(String(20), default="шт", info={"label": _l("Unit")})
    okei: Mapped[str | None] = mapped_column(String(4), info={"label": _l("OKEI code")})
    quantity: Mapped[Decimal] = mapped_column(Numeric(12, 3), info={"label": _l("Quantity")})
    amount: Mapped[Decimal] = mapped_column(Money, info={"label": _l("Amount")})
    balance_account: Mapped[str | None] = mapped_column(String(20), info={"label": _l("Balance account")})

    act: Mapped[WriteOffAct] = relationship(back_populates="materials")
