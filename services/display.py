"""A value as a person reads it, in the user's language: the one formatter behind lists, details,
history, bulk-edit and import previews (workbooks keep typed cells instead, see reports/workbook.py)."""
from datetime import date, datetime
from decimal import Decimal

from flask_babel import format_date, format_datetime, format_decimal, gettext

from models import LabeledEnum

EMPTY = "—"
DATE_PATTERN = "dd.MM.yyyy"
DATETIME_PATTERN = "dd.MM.yyyy HH:mm"
MONEY_PATTERN = "#,##0.00"


def display_date(value: date) -> str:
    return format_date(value, DATE_PATTERN)


def display_datetime(value: datetime) -> str:
    return format_datetime(value, DATETIME_PATTERN)  # in the user's time zone


def display_money(value) -> str:
    return format_decimal(value, MONEY_PATTERN)


def display(value) -> str:
    """Dates dd.mm.yyyy, amounts 1 234,56, enums by label, yes/no, nothing as a dash."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, LabeledEnum):
        return str(value.label)
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, datetime):
        return display_datetime(value)
    if isinstance(value, date):
        return display_date(value)
    if isinstance(value, Decimal):
        return display_money(value)
    return str(value)
