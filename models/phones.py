"""Service SIM cards (служебные SIM-карты): who holds which number, on which operator's contract."""
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from . import checks
from .base import Base, Tracked
from .registry import concat
from .types import LabeledEnum, Money, enum_column


class SimCardStatus(LabeledEnum):
    active = "active", _l("Active")
    blocked = "blocked", _l("Blocked")
    closed = "closed", _l("Closed")


class SimCard(Tracked, Base):
    __tablename__ = "sim_card"
    verbose_name, verbose_name_plural = _l("SIM card"), _l("SIM cards")
    natural_key = ("phone",)
    search_fields = ("phone", "iccid", "tariff")
    bulk_editable = ("status", "holder_id", "contract_id", "tariff", "monthly_limit")
    importable = ("phone", "iccid", "operator_id", "contract_id", "holder_id", "tariff", "monthly_limit",
                  "issued_on", "status", "notes")

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(12), unique=True, info={
        "label": _l("Phone number"), "check": checks.check_phone, "example": "+79123456789"})
    iccid: Mapped[str | None] = mapped_column(String(20), unique=True, info={
        "label": _l("ICCID"), "digits": (19, 20), "example": "8970199123456789012"})
    operator_id: Mapped[int] = mapped_column(ForeignKey("supplier.id", ondelete="RESTRICT"), index=True,
                                             info={"label": _l("Operator")})
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contract.id", ondelete="RESTRICT"), index=True)
    holder_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="RESTRICT"), index=True)
    tariff: Mapped[str | None] = mapped_column(String(100), info={"label": _l("Tariff"), "example": "Корпоративный"})
    monthly_limit: Mapped[Decimal | None] = mapped_column(Money, info={
        "label": _l("Monthly limit, ₽"), "example": Decimal("500.00")})
    issued_on: Mapped[date | None] = mapped_column(Date, index=True, info={
        "label": _l("Issued on"), "example": date(2026, 1, 12)})
    status: Mapped[SimCardStatus] = mapped_column(enum_column(SimCardStatus), default=SimCardStatus.active,
                                                  index=True)
    notes: Mapped[str | None] = mapped_column(Text)

    operator: Mapped["Supplier"] = relationship()  # noqa: F821
    contract: Mapped["Contract | None"] = relationship()  # noqa: F821
    holder: Mapped["Employee | None"] = relationship()  # noqa: F821

    @staticmethod
    def rules(old, new, through=None):
        problems = []
        if (new.get("monthly_limit") or 0) < 0:
            problems.append(("monthly_limit", _l("cannot be negative")))
        if new.get("status") == SimCardStatus.active and new.get("holder_id") is None:
            problems.append(("holder_id", _l("an active SIM card has a holder")))
        return problems

    @classmethod
    def display_sql(cls):
        return concat(cls.phone)

    def __str__(self):
        return self.phone
