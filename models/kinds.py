"""The kind of value a column holds, read from its SQLAlchemy type — the one mapping that workbook
cells, import parsing, values read back from the change log and displayed values all follow."""
from sqlalchemy import Boolean, Date, DateTime, Integer, Numeric, Time
from sqlalchemy.types import TypeDecorator

from .types import Money


def column_kind(column) -> str:
    """money, bool, datetime, date, time, int, number, enum or text (the kinds of reports.workbook.Column)."""
    if isinstance(column.type, Money):
        return "money"
    # Another decorated type is the kind of what it stores (litres: a number).
    stored = column.type.impl if isinstance(column.type, TypeDecorator) else column.type
    # DateTime before Date: neither derives from the other, but the order says which wins if one ever did.
    for sa_type, kind in ((Boolean, "bool"), (DateTime, "datetime"), (Date, "date"), (Time, "time"),
                          (Integer, "int"), (Numeric, "number")):
        if isinstance(stored, sa_type):
            return kind
    if getattr(column.type, "enum_class", None):
        return "enum"
    return "text"
