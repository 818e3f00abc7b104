"""Реестр договоров: contracts with ИКЗ, procurement method, supplier, ИНН, dates, amount, status and days
to end. Drafts are not contracts yet: they are listed on a sheet of their own, outside the total."""
from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext

from .workbook import Column, Formats, write_table


def _columns():
    return [Column("n", gettext("No."), "int", width=6), Column("number", gettext("Number")),
            Column("signed_on", gettext("Contract date"), "date"), Column("ikz", gettext("IKZ"), width=40),
            Column("method", gettext("Procurement method"), "enum", width=28),
            Column("supplier", gettext("Supplier")), Column("inn", gettext("INN")),
            Column("subject", gettext("Subject"), width=40), Column("kind", gettext("Kind"), "enum"),
            Column("amount", gettext("Amount"), "money"), Column("starts_on", gettext("Start date"), "date"),
            Column("ends_on", gettext("End date"), "date"), Column("status", gettext("Status"), "enum"),
            Column("days", gettext("Days to end"), "int")]


def _rows(lines):
    return ((n, c.number, c.signed_on, c.ikz, c.procurement_method, c.supplier, c.inn, c.subject, c.kind, c.amount,
             c.starts_on, c.ends_on, c.status, c.days_to_end) for n, c in enumerate(lines, start=1))


def write_contracts_register(workbook, formats: Formats, lines: Iterable, *, title: str, institution=None) -> int:
    """Signed contracts with their total on the first sheet; drafts apart on the second. Returns the
    number of signed contracts."""
    lines = list(lines)
    signed = [c for c in lines if getattr(c.status, "value", c.status) != "draft"]
    drafts = [c for c in lines if getattr(c.status, "value", c.status) == "draft"]
    preamble = [gettext("Institution: %(name)s", name=institution.full_name)] \
        if getattr(institution, "full_name", None) else []
    count = write_table(workbook, gettext("Contracts register"), _columns(), _rows(signed), formats, title=title,
                        totals_label=gettext("Total"), preamble=preamble)
    write_table(workbook, gettext("Drafts"), _columns(), _rows(drafts), formats,
                title=gettext("Draft contracts (not in the register's total)"), totals_label=gettext("Total"))
    return count
