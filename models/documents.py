"""What every document on the engine shares (services/documents.py runs it): its number in the
series of its kind and year, its state with who and when, the commission that signs it with the order
that appointed it, and the reversal that corrects an approved document.

A document model mixes in ``Document`` and names its series in ``document_kind``; its own lines and
columns stay in its own module (write-off acts, transfers; waybills, stock documents and inventory
counts later).
"""
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, Date, DateTime, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from .base import Base, Tracked
from .types import LabeledEnum, enum_column


class DocumentStatus(LabeledEnum):
    draft = "draft", _l("Draft")
    approved = "approved", _l("Approved")
    cancelled = "cancelled", _l("Cancelled")


class Document:
    """Number, who made, approved or cancelled the document, and when. ``status`` is the model's own
    column (its enum may carry the kind's name) with the values of ``DocumentStatus``."""

    document_kind: str = ""
    date_field: str = "doc_date"

    year: Mapped[int] = mapped_column(Integer, index=True)
    number: Mapped[int] = mapped_column(Integer)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime)
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime)

    @declared_attr
    def created_by(cls) -> Mapped["User | None"]:  # noqa: F821
        return relationship(foreign_keys=[cls.created_by_id])

    @declared_attr
    def approved_by(cls) -> Mapped["User | None"]:  # noqa: F821
        return relationship(foreign_keys=[cls.approved_by_id])

    @declared_attr
    def cancelled_by(cls) -> Mapped["User | None"]:  # noqa: F821
        return relationship(foreign_keys=[cls.cancelled_by_id])

    @property
    def doc_day(self) -> date:
        return getattr(self, self.date_field)

    def __str__(self):
        return f"{self.number}/{self.year}"


class DocumentCounter(Base):
    """The last number given in a series (kind, year): numbers follow each other without gaps,
    and the row lock serialises two clerks numbering at once."""

    __tablename__ = "document_counter"
    verbose_name, verbose_name_plural = _l("Number series"), _l("Number series")

    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


commission_member = Table(
    "commission_member",
    Base.metadata,
    Column("commission_id", ForeignKey("commission.id", ondelete="CASCADE"), primary_key=True),
    Column("employee_id", ForeignKey("employee.id", ondelete="RESTRICT"), primary_key=True),
)


class Commission(Tracked, Base):
    """A standing commission (по поступлению и выбытию активов, инвентаризационная…), appointed by
    an order of the head; documents refer to it, so one order serves every act it signs."""

    __tablename__ = "commission"
    verbose_name, verbose_name_plural = _l("Commission"), _l("Commissions")

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), info={"label": _l("Commission")})
    order_number: Mapped[str | None] = mapped_column(String(50), info={"label": _l("Order number")})
    order_date: Mapped[date | None] = mapped_column(Date, info={"label": _l("Order date")})
    chair_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="RESTRICT"), index=True,
                                          info={"label": _l("Commission chair")})

    chair: Mapped["Employee"] = relationship(foreign_keys=[chair_id])  # noqa: F821
    members: Mapped[list["Employee"]] = relationship(secondary=commission_member,  # noqa: F821
                                                     order_by="Employee.full_name")

    @staticmethod
    def rules(old, new, through=None) -> list:
        found = []
        if not (new or {}).get("order_number"):
            found.append(("order_number", _l("Give the number of the order that appointed the commission.")))
        if not (new or {}).get("order_date"):
            found.append(("order_date", _l("Give the date of the order that appointed the commission.")))
        return found

    @property
    def order_text(self) -> str:
        if not self.order_number:
            return ""
        day = f"{self.order_date:%d.%m.%Y}" if self.order_date else "—"
        return f"№ {self.order_number} от {day}"

    def __str__(self):
        return f"{self.name} ({self.order_text})" if self.order_number else self.name


class ReversalStatus(LabeledEnum):
    draft = "draft", _l("Draft")
    approved = "approved", _l("Approved")
    cancelled = "cancelled", _l("Cancelled")


class Reversal(Document, Tracked, Base):
    """A reversing document: once approved, it takes back what an approved document did. The
    approved document itself never changes; this one, with its reason, is the correction."""

    __tablename__ = "reversal"
    verbose_name, verbose_name_plural = _l("Reversal"), _l("Reversals")
    __table_args__ = (UniqueConstraint("year", "number"),)
    document_kind = "reversal"

    id: Mapped[int] = mapped_column(primary_key=True)
    doc_date: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[ReversalStatus] = mapped_column(enum_column(ReversalStatus), default=ReversalStatus.draft,
                                                   index=True)
    target_kind: Mapped[str] = mapped_column(String(40), index=True)
    target_id: Mapped[int] = mapped_column(Integer, index=True)
    reason: Mapped[str] = mapped_column(Text)
