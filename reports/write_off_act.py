"""The write-off act as a workbook in the layout of its form (ОКУД 0504104, 0504105, 0504143).

Takes the act (anything with the act's attributes) and its lines (``services.write_off.ActLine``);
writes top to bottom so the workbook layer's constant-memory mode keeps RAM flat on big acts.
Printed on A4 landscape, fit to the page width, the table header repeated on every page.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from collections.abc import Iterable

from flask_babel import format_date, gettext as _
from xlsxwriter.utility import xl_col_to_name

from .workbook import Formats, write_cell

A4 = 9


@dataclass(frozen=True)
class _Col:
    key: str
    header: str
    kind: str
    width: float


def _columns(form_code: str) -> list[_Col]:
    cols = [
        _Col("index", _("No."), "int", 5),
        _Col("name", _("Object name"), "text", 34),
        _Col("inventory_number", _("Inventory number"), "text", 14),
    ]
    if form_code == "0504105":
        cols += [_Col("plate", _("Registration plate"), "text", 12), _Col("vin", _("VIN"), "text", 19),
                 _Col("mileage_km", _("Mileage, km"), "int", 10)]
    cols += [
        _Col("year_made", _("Year of manufacture"), "int", 9),
        _Col("accepted_on", _("Accepted for accounting"), "date", 12),
        _Col("useful_life_months", _("Useful life, months"), "int", 10),
        _Col("months_in_service", _("Months in service"), "int", 10),
        _Col("book_value", _("Book value, ₽"), "money", 15),
        _Col("depreciation", _("Accumulated depreciation, ₽"), "money", 15),
        _Col("residual_value", _("Residual value, ₽"), "money", 15),
        _Col("condition", _("Condition of the object"), "text", 24),
        _Col("conclusion", _("Commission's conclusion"), "text", 24),
    ]
    return cols


def _title(form_code: str, number) -> str:
    if form_code == "0504105":
        return _("ACT No. %(number)s on the write-off of a vehicle", number=number)
    if form_code == "0504143":
        return _("ACT No. %(number)s on the write-off of soft and household inventory", number=number)
    return _("ACT No. %(number)s on the write-off of non-financial assets (except vehicles)", number=number)


def _name(employee) -> str:
    return getattr(employee, "full_name", None) or ""


def _position(employee) -> str:
    return getattr(employee, "position", None) or ""


def write_act(workbook, formats: Formats, act, lines: Iterable, *, institution: str, head_name: str,
              head_position: str | None = None) -> int:
    """One sheet with the act; returns the number of lines written."""
    form_code = getattr(act.form, "value", act.form)
    cols = _columns(form_code)
    last = len(cols) - 1
    ws = workbook.add_worksheet(_("Act"))
    add = workbook.add_format
    bold = add({"bold": True})
    title = add({"bold": True, "font_size": 13, "align": "center"})
    center = add({"align": "center"})
    right = add({"align": "right"})
    wrap = add({"text_wrap": True, "valign": "top"})
    header = add({"bold": True, "border": 1, "text_wrap": True, "align": "center", "valign": "vcenter",
                  "bg_color": "#D9D9D9"})
    cell = {"text": add({"border": 1, "text_wrap": True, "valign": "top"}),
            "int": add({"border": 1, "num_format": "0", "valign": "top"}),
            "date": add({"border": 1, "num_format": "dd.mm.yyyy", "valign": "top"}),
            "money": add({"border": 1, "num_format": '#,##0.00', "valign": "top"})}
    total_label = add({"bold": True, "border": 1})
    total_money = add({"bold": True, "border": 1, "num_format": '#,##0.00'})
    line_under = add({"bottom": 1})
    small = add({"font_size": 8, "align": "center", "valign": "top"})

    for c, col in enumerate(cols):
        ws.set_column(c, c, col.width)
    approve_from = max(last - 3, 0)
    row = 0

    def merged(r, first, final, value, fmt):
        if final > first:
            ws.merge_range(r, first, r, final, "", fmt)
        write_cell(ws, r, first, value, fmt, formats)

    # «УТВЕРЖДАЮ»: the head's approval block in the top right corner.
    merged(row, approve_from, last, _("APPROVED"), bold); row += 1
    merged(row, approve_from, last, head_position or _("Head of the institution"), add({})); row += 1
    merged(row, approve_from, last, f"_______________ {head_name}", add({})); row += 1
    approved_on = getattr(act, "approved_at", None)
    merged(row, approve_from, last,
           format_date(approved_on, "dd.MM.yyyy") if approved_on else "«____» ____________ 20___", add({}))
    row += 2

    merged(row, 0, last, _title(form_code, f"{act.number}/{act.year}"), title); row += 1
    merged(row, 0, last - 2, _("dated %(date)s", date=format_date(act.act_date, "dd.MM.yyyy")), center)
    merged(row, last - 1, last, _("Form by OKUD %(code)s", code=form_code), right); row += 1
    ws.write_string(row, 0, _("Institution"), bold); merged(row, 2, last, institution, add({})); row += 1
    ws.write_string(row, 0, _("Materially responsible person"), bold)
    merged(row, 2, last, _name(act.responsible), add({})); row += 1
    evidence = ""
    if act.evidence_number or act.evidence_date:
        evidence = _("defect list / technical conclusion No. %(number)s of %(date)s",
                     number=act.evidence_number or "—",
                     date=format_date(act.evidence_date, "dd.MM.yyyy") if act.evidence_date else "—")
    ws.write_string(row, 0, _("Grounds"), bold); merged(row, 2, last, evidence, add({})); row += 2

    ws.write_string(row, 0, _("1. Objects of non-financial assets"), bold); row += 1
    header_row = row
    ws.set_row(row, 60)
    for c, col in enumerate(cols):
        ws.write_string(row, c, col.header, header)
    row += 1
    for c in range(len(cols)):
        ws.write_number(row, c, c + 1, small)  # the form's column numbers under the header
    row += 1

    money = [c for c, col in enumerate(cols) if col.kind == "money"]
    totals = {c: Decimal("0.00") for c in money}
    first_data = row
    count = 0
    for count, line in enumerate(lines, start=1):
        text_lines = 1
        for c, col in enumerate(cols):
            value = count if col.key == "index" else getattr(line, col.key, None)
            write_cell(ws, row, c, value, cell[col.kind], formats)
            if c in totals and value is not None:
                totals[c] += value
            if col.kind == "text" and value:
                text_lines = max(text_lines, -(-len(str(value)) // max(int(col.width), 1)))
        # Spreadsheets don't grow a row for wrapped text on their own: give it room for every line.
        if text_lines > 1:
            ws.set_row(row, 15 * text_lines)
        row += 1

    merged(row, 0, money[0] - 1, _("Total"), total_label)
    for c in money:
        letter = xl_col_to_name(c)
        formula = f"=SUM({letter}{first_data + 1}:{letter}{row})" if count else "=0"
        ws.write_formula(row, c, formula, total_money, float(totals[c]))
    for c in range(money[-1] + 1, len(cols)):
        ws.write_blank(row, c, None, total_label)
    row += 2

    reason = str(act.reason.label) if act.reason is not None else ""
    if act.reason_details:
        reason = f"{reason}: {act.reason_details}"
    ws.write_string(row, 0, _("Reasons for the write-off"), bold)
    merged(row, 2, last, reason, wrap); row += 1
    ws.write_string(row, 0, _("Commission's conclusion"), bold)
    merged(row, 2, last, act.conclusion or "", wrap)
    if act.conclusion and len(act.conclusion) > 120:
        ws.set_row(row, 15 * (len(act.conclusion) // 120 + 1))
    row += 2

    def signature(r, role_text, employee):
        ws.write_string(r, 0, role_text, bold)
        merged(r, 2, 3, _position(employee), line_under)
        merged(r, 4, 5, "", line_under)
        merged(r, 6, 8, _name(employee), line_under)
        merged(r + 1, 2, 3, _("(position)"), small)
        merged(r + 1, 4, 5, _("(signature)"), small)
        merged(r + 1, 6, 8, _("(full name)"), small)

    signature(row, _("Commission chair"), act.chair); row += 2
    for n, member in enumerate(act.members):
        signature(row, _("Commission members") if n == 0 else "", member); row += 2

    ws.set_landscape()
    ws.set_paper(A4)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    ws.fit_to_pages(1, 0)  # one page wide, as many pages tall as the lines need
    ws.repeat_rows(header_row, header_row + 1)
    ws.print_area(0, 0, row - 1, last)
    return count
