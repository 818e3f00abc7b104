"""Инвентарная ведомость: assets grouped by balance account, then by responsible person, with book
value, accumulated depreciation and residual value, a subtotal per group and a grand total.

Objects on off-balance account 21 are not on the balance: they come after the grand total in a
section of their own with its own total. Subtotals are SUBTOTAL(9, …) formulas, which skip the
SUBTOTALs nested inside their range, so every level sums the assets once; each carries its exact
Decimal sum as the cached value. Printed A4 landscape, one page wide, the header on every page,
with the institution on top and the signatures under it.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import groupby
from collections.abc import Iterable

from flask_babel import format_date, gettext
from xlsxwriter.utility import xl_col_to_name

from .workbook import Formats, print_setup, sheet_name, write_cell

MONEY_COLUMNS = (4, 5, 6)  # book value, depreciation, residual
OFF_BALANCE = "21"


def _headers():
    return [gettext("No."), gettext("Inventory number"), gettext("Name"), gettext("Commissioning date"),
            gettext("Book value"), gettext("Accumulated depreciation"), gettext("Residual value")]


def write_inventory_list(workbook, formats: Formats, lines: Iterable, *, at: date, filters: list[str],
                         institution=None) -> dict:
    """Write the sheet; returns the grand totals {"book_value", "depreciation", "residual_value"} of the
    balance (account 21 apart, under "off_balance")."""
    ws = workbook.add_worksheet(sheet_name(gettext("Inventory list")))
    ws.write_string(0, 0, gettext("Inventory list of fixed assets at %(date)s",
                                  date=format_date(at, "dd.MM.yyyy")), formats.title)
    row = 1
    name = getattr(institution, "full_name", None)
    if name:
        ws.write_string(row, 0, gettext("Institution: %(name)s", name=name))
        row += 1
    if filters:
        ws.write_string(row, 0, "; ".join(filters))
        row += 1
    header_row = row + 1
    ws.set_row(header_row, 30)  # two lines of wrapped header text
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

    off_balance = None
    for account, by_account in groupby(lines, key=lambda line: line.balance_account):
        if account == OFF_BALANCE and off_balance is None:
            # The balance ends here; account 21 follows outside its total.
            if number:
                subtotal(gettext("Grand total on the balance"), first_data, r - 1, grand)
            r += 1
            write_cell(ws, r, 0, gettext("Off-balance account 21: fixed assets in use up to 10 000 ₽ "
                                         "(not included in the total)"), formats.bold)
            r += 1
            off_balance = (r, [Decimal(0)] * 3, number)
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
        if off_balance is not None:
            off_balance = (off_balance[0], [a + b for a, b in zip(off_balance[1], account_sums)], off_balance[2])
        else:
            grand = [a + b for a, b in zip(grand, account_sums)]
    if off_balance is None and number:
        subtotal(gettext("Grand total on the balance"), first_data, r - 1, grand)
    elif not number:
        write_cell(ws, r, 0, gettext("No assets match the parameters."))
    r += 1
    chief = getattr(institution, "chief_accountant", None)
    for role, person in ((gettext("Responsible executor"), None), (gettext("Chief accountant"), chief)):
        r += 1
        write_cell(ws, r, 0, role, formats.bold)
        write_cell(ws, r, 2, "______________ / " + (getattr(person, "full_name", None) or "______________") + " /")
    print_setup(ws, header_row)
    totals = dict(zip(("book_value", "depreciation", "residual_value"), grand))
    totals["off_balance"] = dict(zip(("book_value", "depreciation", "residual_value"),
                                     off_balance[1])) if off_balance else None
    return totals
