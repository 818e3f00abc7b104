"""Months whose depreciation has been posted: one row per month makes posting idempotent."""
from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow
from .types import Money
from .limits import NON_NEGATIVE


class DepreciationPosting(Base):
    __tablename__ = "depreciation_posting"
    verbose_name, verbose_name_plural = _l("Depreciation posting"), _l("Depreciation postings")

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(Date, unique=True)  # first day of the posted month
    batch_id: Mapped[str] = mapped_column(String(36), index=True)
    posted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    assets_count: Mapped[int] = mapped_column(Integer, default=0, info=NON_NEGATIVE)
    total: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"), info=NON_NEGATIVE)
