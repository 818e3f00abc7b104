"""Transfer documents (накладная на внутреннее перемещение, ОКУД 0504102) and their lines."""
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Tracked
from .documents import Document, DocumentStatus
from .limits import NON_NEGATIVE
from .types import Money, enum_column


class Transfer(Document, Tracked, Base):
    __tablename__ = "transfer"
    verbose_name, verbose_name_plural = _l("Transfer"), _l("Transfers")
    __table_args__ = (UniqueConstraint("year", "number"),)
    document_kind = "transfer"

    id: Mapped[int] = mapped_column(primary_key=True)
    # A clerk's transfer moves the assets at once: it is made approved by the one who made it.
    status: Mapped[DocumentStatus] = mapped_column(enum_column(DocumentStatus), default=DocumentStatus.approved,
                                                   index=True)
    doc_date: Mapped[date] = mapped_column(Date, index=True)
    from_responsible_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="RESTRICT"), index=True)
    to_responsible_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="RESTRICT"), index=True)
    to_department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id", ondelete="RESTRICT"), index=True)
    to_room_id: Mapped[int | None] = mapped_column(ForeignKey("room.id", ondelete="RESTRICT"), index=True)
    reason: Mapped[str | None] = mapped_column(Text)

    from_responsible: Mapped["Employee | None"] = relationship(foreign_keys=[from_responsible_id])  # noqa: F821
    to_responsible: Mapped["Employee | None"] = relationship(foreign_keys=[to_responsible_id])  # noqa: F821
    to_department: Mapped["Department | None"] = relationship()  # noqa: F821
    to_room: Mapped["Room | None"] = relationship()  # noqa: F821
    lines: Mapped[list["TransferLine"]] = relationship(back_populates="transfer", order_by="TransferLine.id")


class TransferLine(Base):
    __tablename__ = "transfer_line"
    verbose_name, verbose_name_plural = _l("Transfer line"), _l("Transfer lines")

    id: Mapped[int] = mapped_column(primary_key=True)
    transfer_id: Mapped[int] = mapped_column(ForeignKey("transfer.id", ondelete="CASCADE"), index=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("asset.id", ondelete="RESTRICT"), index=True)
    inventory_number: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(300))
    book_value: Mapped[Decimal] = mapped_column(Money, info=NON_NEGATIVE)
    from_responsible_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="RESTRICT"))
    from_department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id", ondelete="RESTRICT"))
    from_room_id: Mapped[int | None] = mapped_column(ForeignKey("room.id", ondelete="RESTRICT"))

    transfer: Mapped[Transfer] = relationship(back_populates="lines")
    asset: Mapped["Asset"] = relationship()  # noqa: F821
