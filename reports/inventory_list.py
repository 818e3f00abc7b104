"""Инвентарная ведомость: assets grouped by balance account, then by responsible person, with book
value, accumulated depreciation and residual value, a subtotal per group and a grand total.

Subtotals are SUBTOTAL(9, …) formulas, which skip the SUBTOTALs nested inside their range, so every
level sums the assets once; each carries its exact Decimal sum as the cached value.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import groupby
from collections.abc import Iterable

from flask_babel import format_date, gettext
from xlsxwriter.utility import xl_col_to_name

from .workbook import Formats, sheet_name, write_cell

MONEY_COLUMNS = (4, 5, 6)  # book value, depreciation, residual


def _headers():
    return [gettext("No."), gettext("Inventory number"), gettext("Name"), gettext("Commissioning date"),
            gettext("Book value"), gettext("Accumulated depreciation"), gettext("Residual value")]


def write_inventory_list(workbook, formats: Formats, lines: Iterable, *, at: date, filters: list[str]) -> dict:
    """Write the sheet; returns the grand totals {"book_value", "depreciation", "residual_value"}."""
    ws = workbook.add_worksheet(sheet_name(gettext("Inventory list")))
    ws.write_string(0, 0, gettext("Inventory list of fixed assets at %(date)s",
                                  date=format_date(at, "dd.MM.yyyy")), formats.title)
    row = 1
    if filters:
        ws.write_string(row, 0, "; ".join(filters))
        row += 1
    header_row = row + 1
    for c, header in enumerate(_headers()):
        ws.write_string(header_row, c, header, formats.header)
    ws.freeze_panes(header_row + 1, 0)
    for c, width in enumerate((6, 18, 48, 14, 18, 18, 18)):
        ws.set_column(c, c, width)

    r = header_row + 1
    first_data = r
    grand = [Decimal(0)] * 3
    number = 0

    def subtotal(label: str, start: int, end: int, sums: list[Decimal]):
        nonlocal r
        write_cell(ws, r, 2, label, formats.total_label)
        for c in (0, 1, 3):
            ws.write_blank(r, c, None, formats.total_label)
        for c, total in zip(MONEY_COLUMNS, sums):
            letter = xl_col_to_name(c)
            ws.write_formula(r, c, f"=SUBTOTAL(9,{letter}{start + 1}:{letter}{end + 1})", formats.total_money,
                             float(total))
        r += 1

    for account, by_account in groupby(lines, key=lambda line: line.balance_account):
        write_cell(ws, r, 0, gettext("Balance account %(account)s", account=account or "—"), formats.bold)
        r += 1
        account_start, account_sums = r, [Decimal(0)] * 3
        for (_id, person), assets in groupby(by_account, key=lambda line: (line.responsible_id, line.responsible)):
            person = person or gettext("No responsible person")
            write_cell(ws, r, 1, gettext("Responsible person: %(name)s", name=person), formats.bold)
            r += 1
            start, sums = r, [Decimal(0)] * 3
            for line in assets:
                number += 1
                values = (number, line.inventory_number, line.name, line.commissioned_on,
                          line.book_value, line.depreciation, line.residual_value)
                for c, value in enumerate(values):
                    write_cell(ws, r, c, value, formats.money if c in MONEY_COLUMNS else None, formats)
                for i, amount in enumerate(values[4:]):
                    sums[i] += amount
                r += 1
            subtotal(gettext("Total for %(name)s", name=person), start, r - 1, sums)
            account_sums = [a + b for a, b in zip(account_sums, sums)]
        subtotal(gettext("Total for account %(account)s", account=account or "—"), account_start, r - 1,
                 account_sums)
        grand = [a + b for a, b in zip(grand, account_sums)]
    if number:
        subtotal(gettext("Grand total"), first_data, r - 1, grand)
    else:
        write_cell(ws, r, 0, gettext("No assets match the parameters."))
    return dict(zip(("book_value", "depreciation", "residual_value"), grand))
