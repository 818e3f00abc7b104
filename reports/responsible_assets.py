"""Assets of a materially responsible person (МОЛ): exactly one sheet per person (the lines come ordered
by person), with the balance account of each asset, for handing over and signing."""
from __future__ import annotations

from datetime import date
from itertools import groupby
from collections.abc import Iterable

from flask_babel import format_date, gettext

from .workbook import Column, Formats, write_cell, write_table


def _columns():
    return [Column("n", gettext("No."), "int", width=6), Column("account", gettext("Account number")),
            Column("inv", gettext("Inventory number")),
            Column("name", gettext("Name")), Column("serial", gettext("Serial number")),
            Column("room", gettext("Room")), Column("since", gettext("Commissioning date"), "date"),
            Column("value", gettext("Book value"), "money"),
            Column("depreciation", gettext("Accumulated depreciation"), "money"),
            Column("residual", gettext("Residual value"), "money")]


def short_name(full_name: str) -> str:
    """«Петрова Анна Сергеевна» → «Петрова А. С.» (as signatures are written)."""
    surname, *rest = full_name.split()
    return " ".join([surname] + [f"{part[0]}." for part in rest[:2]]) if rest else full_name


def write_responsible_assets(workbook, formats: Formats, lines: Iterable, *, at: date,
                             people: list[tuple[int, str]] = (), institution=None) -> int:
    """A sheet per person in ``lines`` (grouped by responsible), plus an empty one for each
    explicitly asked-for person in ``people`` who holds nothing. Returns the number of sheets."""
    sheets = 0
    written = set()
    day = format_date(at, "dd.MM.yyyy")

    def sheet(person_id, person, position, assets):
        nonlocal sheets
        person = person or gettext("No responsible person")
        who = f"{person}, {position}" if position else person
        rows = ((n, a.balance_account, a.inventory_number, a.name, a.serial_number, a.room, a.commissioned_on,
                 a.book_value, a.depreciation, a.residual_value) for n, a in enumerate(assets, start=1))
        preamble = [gettext("Institution: %(name)s", name=institution.full_name)] \
            if getattr(institution, "full_name", None) else []
        count = write_table(workbook, person, _columns(), rows, formats, totals_label=gettext("Total"),
                            title=gettext("Fixed assets held by %(who)s at %(date)s", who=who, date=day),
                            preamble=preamble)
        ws = workbook.worksheets()[-1]
        r = 2 + len(preamble) + count + (2 if count else 1)  # title, preamble, header, rows, totals, empty line
        write_cell(ws, r, 1, gettext("Materially responsible person ______________ / %(name)s /",
                                     name=short_name(person)))
        write_cell(ws, r + 2, 1, gettext("Date «___» ______________ 20___"))
        sheets += 1
        written.add(person_id)

    for (person_id, person, position), assets in groupby(
            lines, key=lambda line: (line.responsible_id, line.responsible, line.position)):
        sheet(person_id, person, position, assets)
    for person_id, person in people:
        if person_id not in written:
            sheet(person_id, person, None, [])
    if not sheets:
        sheet(None, gettext("No data"), None, [])
    return sheets
