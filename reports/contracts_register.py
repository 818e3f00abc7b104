"""Реестр договоров: contracts with supplier, ИНН, dates, amount, status and days to end."""
from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext

from .workbook import Column, Formats, write_table


def write_contracts_register(workbook, formats: Formats, lines: Iterable, *, title: str) -> int:
    columns = [Column("n", gettext("No."), "int", width=6), Column("number", gettext("Number")),
               Column("signed_on", gettext("Contract date"), "date"), Column("supplier", gettext("Supplier")),
               Column("inn", gettext("INN")), Column("subject", gettext("Subject")),
               Column("kind", gettext("Kind"), "enum"), Column("amount", gettext("Amount"), "money"),
               Column("starts_on", gettext("Start date"), "date"), Column("ends_on", gettext("End date"), "date"),
               Column("status", gettext("Status"), "enum"), Column("days", gettext("Days to end"), "int")]
    rows = ((n, c.number, c.signed_on, c.supplier, c.inn, c.subject, c.kind, c.amount, c.starts_on, c.ends_on,
             c.status, c.days_to_end) for n, c in enumerate(lines, start=1))
    return write_table(workbook, gettext("Contracts register"), columns, rows, formats, title=title,
                       totals_label=gettext("Total"))
