"""Suppliers (counterparties) and contracts."""
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from . import checks
from .base import Base, Tracked
from .registry import concat, dates_in_order, ru_date
from .limits import NON_NEGATIVE
from .types import LabeledEnum, Money, enum_column


class Supplier(Tracked, Base):
    __tablename__ = "supplier"
    __table_args__ = (UniqueConstraint("inn", "kpp"),)
    verbose_name, verbose_name_plural = _l("Supplier"), _l("Suppliers")
    natural_key = ("inn", "kpp")
    search_fields = ("short_name", "full_name", "inn")
    importable = ("full_name", "short_name", "inn", "kpp", "ogrn", "address", "contact_person", "phone", "email",
                  "bik", "settlement_account", "notes")

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(500), info={
        "example": "Общество с ограниченной ответственностью «Ромашка»",
        "aliases": (_l("Full name of the organisation"),)})
    short_name: Mapped[str] = mapped_column(String(200), index=True, info={"example": "ООО «Ромашка»"})
    inn: Mapped[str] = mapped_column(String(12), index=True, info={
        "check": checks.check_inn, "digits": (10, 12), "example": "7707083893"})
    kpp: Mapped[str | None] = mapped_column(String(9), info={
        "check": checks.check_kpp, "digits": (9,), "example": "773601001"})
    ogrn: Mapped[str | None] = mapped_column(String(15), info={
        "check": checks.check_ogrn, "digits": (13, 15), "example": "1027700132195"})
    address: Mapped[str | None] = mapped_column(String(500), info={"example": "г. Москва, ул. Вавилова, д. 19"})
    contact_person: Mapped[str | None] = mapped_column(String(200), info={"example": "Петров П. П."})
    phone: Mapped[str | None] = mapped_column(String(50), info={"example": "+7 495 500-55-50"})
    email: Mapped[str | None] = mapped_column(String(200), info={"example": "info@example.ru"})
    bik: Mapped[str | None] = mapped_column(String(9), info={
        "check": checks.check_bik, "digits": (9,), "example": "044525225"})
    settlement_account: Mapped[str | None] = mapped_column(String(20), info={
        "digits": (20,), "example": "40702810938000000001"})
    notes: Mapped[str | None] = mapped_column(Text)

    @staticmethod
    def rules(old, new, through=None):
        account = new.get("settlement_account")
        if account and (old is None or (old.get("settlement_account"), old.get("bik")) != (account, new.get("bik"))):
            try:
                checks.check_account(account, new.get("bik") or "")
            except checks.CheckError as exc:
                return [("settlement_account", exc.message)]
        return []

    @classmethod
    def display_sql(cls):
        return cls.short_name

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
    verbose_name, verbose_name_plural = _l("Contract"), _l("Contracts")
    natural_key = ("number", "signed_on")
    search_fields = ("number", "subject", "ikz")
    bulk_editable = ("status", "responsible_id", "kind", "procurement_method", "starts_on", "ends_on")
    importable = ("number", "signed_on", "supplier_id", "subject", "kind", "procurement_method", "ikz", "amount", "vat",
                  "starts_on", "ends_on", "status", "responsible_id")

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(50), index=True, info={"example": "0123-2024"})
    signed_on: Mapped[date] = mapped_column(Date, index=True, info={"example": date(2024, 2, 1)})
    supplier_id: Mapped[int] = mapped_column(ForeignKey("supplier.id", ondelete="RESTRICT"), index=True)
    subject: Mapped[str] = mapped_column(String(500), info={"example": "Поставка картриджей"})
    kind: Mapped[ContractKind] = mapped_column(enum_column(ContractKind), index=True)
    procurement_method: Mapped[ProcurementMethod] = mapped_column(enum_column(ProcurementMethod), index=True)
    ikz: Mapped[str | None] = mapped_column(String(36), info={"check": checks.check_ikz, "digits": (36,)})
    amount: Mapped[Decimal] = mapped_column(Money, index=True, info={"example": Decimal("120000.00"), **NON_NEGATIVE})
    vat: Mapped[Decimal | None] = mapped_column(Money, info={"example": Decimal("20000.00"), **NON_NEGATIVE})
    starts_on: Mapped[date | None] = mapped_column(Date, index=True, info={"example": date(2024, 2, 1)})
    ends_on: Mapped[date | None] = mapped_column(Date, index=True, info={"example": date(2024, 12, 31)})
    status: Mapped[ContractStatus] = mapped_column(enum_column(ContractStatus), default=ContractStatus.draft, index=True)
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="RESTRICT"), index=True)

    supplier: Mapped[Supplier] = relationship()
    responsible: Mapped["Employee | None"] = relationship()  # noqa: F821

    @staticmethod
    def rules(old, new, through=None):
        problems = []
        for attr in ("amount", "vat"):
            if (new.get(attr) or 0) < 0:
                problems.append((attr, _l("cannot be negative")))
        if new.get("vat") is not None and new.get("amount") is not None and new["vat"] > new["amount"]:
            problems.append(("vat", _l("cannot exceed the contract amount")))
        problems.extend(dates_in_order(new, "starts_on", "ends_on"))
        return problems

    @classmethod
    def display_sql(cls):
        return concat(cls.number, " / ", ru_date(cls.signed_on))

    def __str__(self):
        return f"{self.number} / {self.signed_on:%d.%m.%Y}" if self.signed_on else self.number
