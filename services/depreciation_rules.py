"""Depreciation rules for fixed assets (pure functions: no database, no Flask).

Basis: СГС «Основные средства» (приказ Минфина России от 31.12.2016 № 257н)
and Инструкция № 157н, п. 92.

Bands by book (balance) value:

* ``book_value <= 10 000,00 ₽`` — no depreciation at all; when put into use the
  object is written off the balance sheet to off-balance account 21.
  Accumulated depreciation is always 0.00.
* ``10 000,00 < book_value <= 100 000,00 ₽`` — 100 % depreciation at the moment
  of commissioning: accumulated = book value for any date on or after the
  commissioning date, 0.00 before it.
* ``book_value > 100 000,00 ₽`` — straight line, monthly.

Straight-line convention (used by every function below):

* Accrual starts with the month *following* the commissioning month; nothing
  is accrued for the commissioning month itself (commissioned 15.03.2024 ->
  first accrual for April 2024).
* Depreciation for a month is counted *within* that month: accumulated "at
  date D" includes every month M with
  ``first day of month after commissioning <= M <= month(D)``.
  So at 01.04.2024 the April amount is already included.
* Monthly amount = book value / useful life in months, rounded to kopecks
  with ROUND_HALF_UP. The last month of useful life takes the remainder, so
  the residual value becomes exactly 0.00; accumulated never exceeds book
  value, and after the useful life accumulated = book value.
* If useful life is ``None`` or ``<= 0`` no straight-line accrual is possible
  and the functions return 0.00 — callers must validate that useful life is set.

Not commissioned (``commissioned_on is None``): accumulated is 0.00 in every band.

All money is ``decimal.Decimal`` quantized to 0.01; floats are rejected.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

KOPECK = Decimal("0.01")
ZERO = Decimal("0.00")

OFF_BALANCE_LIMIT = Decimal("10000.00")
FULL_ON_COMMISSIONING_LIMIT = Decimal("100000.00")


class Band(str, Enum):
    OFF_BALANCE = "off_balance"
    FULL_ON_COMMISSIONING = "full_on_commissioning"
    STRAIGHT_LINE = "straight_line"


def _money(value) -> Decimal:
    """Convert to Decimal quantized to kopecks. Floats are refused."""
    if isinstance(value, float):
        raise TypeError("money must be Decimal (or int/str), not float")
    return Decimal(value).quantize(KOPECK, rounding=ROUND_HALF_UP)


def _month_index(d: date) -> int:
    return d.year * 12 + (d.month - 1)


def band(book_value) -> Band:
    """Return the depreciation band for a book value (a ``str`` Enum)."""
    value = _money(book_value)
    if value <= OFF_BALANCE_LIMIT:
        return Band.OFF_BALANCE
    if value <= FULL_ON_COMMISSIONING_LIMIT:
        return Band.FULL_ON_COMMISSIONING
    return Band.STRAIGHT_LINE


def is_off_balance(book_value) -> bool:
    """True if the object goes to off-balance account 21 (value <= 10 000,00)."""
    return band(book_value) is Band.OFF_BALANCE


def months_in_service(commissioned_on: date | None, at: date) -> int:
    """Whole months from the month after commissioning to month(at), inclusive.

    Commissioned 15.03.2024: at any day of March -> 0, of April -> 1.
    Never negative; 0 if not commissioned.
    """
    if commissioned_on is None:
        return 0
    return max(0, _month_index(at) - _month_index(commissioned_on))


def monthly_amount(book_value, useful_life_months: int) -> Decimal:
    """Regular monthly straight-line amount: book value / life, ROUND_HALF_UP.

    Returns 0.00 if useful life is None or <= 0.
    """
    if not useful_life_months or useful_life_months <= 0:
        return ZERO
    return (_money(book_value) / Decimal(useful_life_months)).quantize(
        KOPECK, rounding=ROUND_HALF_UP
    )


def accumulated_at(
    book_value,
    commissioned_on: date | None,
    useful_life_months: int | None,
    at: date,
) -> Decimal:
    """Accumulated depreciation at date ``at`` (see module docstring)."""
    value = _money(book_value)
    if commissioned_on is None or value <= ZERO:
        return ZERO
    kind = band(value)
    if kind is Band.OFF_BALANCE:
        return ZERO
    if kind is Band.FULL_ON_COMMISSIONING:
        return value if at >= commissioned_on else ZERO

    if not useful_life_months or useful_life_months <= 0:
        return ZERO
    months = months_in_service(commissioned_on, at)
    if months >= useful_life_months:
        return value  # last month took the remainder
    return min(value, monthly_amount(value, useful_life_months) * months)


def residual_at(
    book_value,
    commissioned_on: date | None,
    useful_life_months: int | None,
    at: date,
) -> Decimal:
    """Residual value = book value - accumulated, never negative."""
    value = _money(book_value)
    residual = value - accumulated_at(value, commissioned_on, useful_life_months, at)
    return max(ZERO, residual)


def accrual_for_month(
    book_value,
    commissioned_on: date | None,
    useful_life_months: int | None,
    month: date,
) -> Decimal:
    """Amount to post for the calendar month containing ``month`` (any day).

    = accumulated at end of that month - accumulated at end of previous month.
    For the 10 000,01–100 000,00 band this is the full value in the
    commissioning month; for off-balance objects it is always 0.00.
    """
    idx = _month_index(month) + 1  # first day of the following month
    next_first = date(idx // 12, idx % 12 + 1, 1)
    end_of_month = date.fromordinal(next_first.toordinal() - 1)
    end_of_prev = date.fromordinal(month.replace(day=1).toordinal() - 1)
    return accumulated_at(
        book_value, commissioned_on, useful_life_months, end_of_month
    ) - accumulated_at(book_value, commissioned_on, useful_life_months, end_of_prev)
