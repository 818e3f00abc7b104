"""Suppliers (counterparties) and contracts."""
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Tracked
from .types import LabeledEnum, Money, enum_column
from .limits import NON_NEGATIVE


class Supplier(Tracked, Base):
    __tablename__ = "supplier"
    __table_args__ = (UniqueConstraint("inn", "kpp"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(500))
    short_name: Mapped[str] = mapped_column(String(200), index=True)
    inn: Mapped[str] = mapped_column(String(12), index=True)
    kpp: Mapped[str | None] = mapped_column(String(9))
    ogrn: Mapped[str | None] = mapped_column(String(15))
    address: Mapped[str | None] = mapped_column(String(500))
    contact_person: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(50))
    email: Mapped[str | None] = mapped_column(String(200))
    bik: Mapped[str | None] = mapped_column(String(9))
    settlement_account: Mapped[str | None] = mapped_column(String(20))
    notes: Mapped[str | None] = mapped_column(Text)

    def __str__(self):
        return self.short_name


class ContractKind(LabeledEnum):
    supply = "supply", _l("Supply")
    works = "works", _l("Works")
    services = "services", _l("Services")
    lease = "lease", _l("Lease")
    utilities = "utilities", _l("Utilities")
    communications = "communications", _l("Communications")
    fuel = "fuel", _l("Fuel")
    maintenance = "maintenance", _l("Maintenance")


class ProcurementMethod(LabeledEnum):
    auction = "auction", _l("Electronic auction")
    tender = "tender", _l("Tender")
    quotation = "quotation", _l("Quotation request")
    single_p4 = "single_p4", _l("Single supplier (cl. 4 p. 1 art. 93 44-FZ)")
    single_p5 = "single_p5", _l("Single supplier (cl. 5 p. 1 art. 93 44-FZ)")
    other = "other", _l("Other")


class ContractStatus(LabeledEnum):
    draft = "draft", _l("Draft")
    active = "active", _l("Active")
    executed = "executed", _l("Executed")
    terminated = "terminated", _l("Terminated")


class Contract(Tracked, Base):
    __tablename__ = "contract"
    __table_args__ = (UniqueConstraint("number", "signed_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(50), index=True)
    signed_on: Mapped[date] = mapped_column(Date, index=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("supplier.id", ondelete="RESTRICT"), index=True)
    subject: Mapped[str] = mapped_column(String(500))
    kind: Mapped[ContractKind] = mapped_column(enum_column(ContractKind), index=True)
    procurement_method: Mapped[ProcurementMethod] = mapped_column(enum_column(ProcurementMethod), index=True)
    ikz: Mapped[str | None] = mapped_column(String(36))
    amount: Mapped[Decimal] = mapped_column(Money, index=True, info=NON_NEGATIVE)
    vat: Mapped[Decimal | None] = mapped_column(Money, info=NON_NEGATIVE)
    starts_on: Mapped[date | None] = mapped_column(Date, index=True)
    ends_on: Mapped[date | None] = mapped_column(Date, index=True)
    status: Mapped[ContractStatus] = mapped_column(enum_column(ContractStatus), default=ContractStatus.draft, index=True)
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="RESTRICT"), index=True)

    supplier: Mapped[Supplier] = relationship()
    responsible: Mapped["Employee | None"] = relationship()  # noqa: F821

    def __str__(self):
        return f"{self.number} / {self.signed_on:%d.%m.%Y}" if self.signed_on else self.number
