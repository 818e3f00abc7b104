"""The write-off act as a workbook in the layout of its form: 0504104 (non-financial assets except
vehicles), 0504105 (a vehicle), 0504143 (soft and household inventory), and in the 61н family
0510454 and 0510456. docs/forms.md lists each requisite and where it comes from.

Takes the act (anything with the act's attributes), its lines (``services.write_off.ActLine``) and the
institution settings; rows are written top to bottom, so a big act keeps RAM flat. A4 landscape, one
page wide, the table header repeated on every page; a long value grows its row, nothing is cut.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from collections.abc import Iterable

from flask_babel import gettext as _
from xlsxwriter.utility import xl_col_to_name

from .form_parts import OKEI_PIECE, FormSheet, institution_requisites, long_date, person_name, person_position
from .workbook import Formats, write_cell

PROPERTY_GROUP = {"real_estate": "1", "especially_valuable": "2", "other_movable": "3"}


@dataclass(frozen=True)
class _Col:
    key: str
    header: str
    kind: str
    width: float


def _columns(form: str) -> list[_Col]:
    if form == "0504143":
        # Its own layout: a quantity, a unit, a price and a sum per line (instruction to form 0504143).
        return [
            _Col("index", _("No."), "int", 5),
            _Col("name", _("Name of the inventory"), "text", 34),
            _Col("inventory_number", _("Inventory (item) number"), "text", 14),
            _Col("balance_account", _("Account number"), "text", 10),
            _Col("unit", _("Unit: name"), "text", 8),
            _Col("okei", _("Unit: code by OKEI"), "text", 8),
            _Col("quantity", _("Quantity"), "int", 8),
            _Col("price", _("Price, rub"), "money", 13),
            _Col("book_value", _("Sum, rub"), "money", 14),
            _Col("accepted_for_use_on", _("Issued for use"), "date", 11),
            _Col("months_in_service", _("Months in use"), "int", 9),
            _Col("condition", _("Reason for the write-off (condition)"), "text", 34),
        ]
    cols = [
        _Col("index", _("No."), "int", 5),
        _Col("name", _("Object name"), "text", 30),
        _Col("inventory_number", _("Inventory number"), "text", 13),
        _Col("balance_account", _("Account number"), "text", 10),
    ]
    if form == "0504105":
        cols += [_Col("plate", _("Registration plate"), "text", 11), _Col("vin", _("VIN"), "text", 19),
                 _Col("mileage_km", _("Mileage, km"), "int", 9)]
    cols += [
        _Col("year_made", _("Year of manufacture"), "int", 8),
        _Col("accepted_on", _("Accepted for accounting"), "date", 11),
        _Col("useful_life_months", _("Useful life, months"), "int", 8),
        _Col("months_in_service", _("Months in service"), "int", 9),
        _Col("book_value", _("Book value, ₽"), "money", 14),
        _Col("depreciation", _("Accumulated depreciation, ₽"), "money", 14),
        _Col("residual_value", _("Residual value, ₽"), "money", 14),
        _Col("condition", _("Condition of the object"), "text", 22),
        _Col("conclusion", _("Commission's conclusion"), "text", 22),
    ]
    return cols


def _title(form: str) -> list[str]:
    if form == "0504105":
        return [_("on the write-off of a vehicle")]
    if form == "0504143":
        return [_("on the write-off of soft and household inventory")]
    return [_("on the write-off of non-financial assets (except vehicles)")]


def _value(line, key, index):
    if key == "index":
        return index
    if key == "okei":
        return OKEI_PIECE
    return getattr(line, key, None)


def write_act(workbook, formats: Formats, act, lines: Iterable, *, institution) -> int:
    """One sheet with the act; returns the number of lines written."""
    form = getattr(act.form, "value", act.form)
    family = getattr(act.form_family, "value", act.form_family) or "52n"
    okud = act.form_code
    cols = _columns(form)
    sheet = FormSheet(workbook, formats, _("Act"), [c.width for c in cols])
    ws, s = sheet.ws, sheet.s
    add = workbook.add_format
    header = add({"bold": True, "border": 1, "text_wrap": True, "align": "center", "valign": "vcenter",
                  "font_size": 8, "bg_color": "#F2F2F2"})
    cell = {"text": add({"border": 1, "text_wrap": True, "valign": "top", "font_size": 9}),
            "int": add({"border": 1, "num_format": "0", "valign": "top", "align": "center", "font_size": 9}),
            "date": add({"border": 1, "num_format": "dd.mm.yyyy", "valign": "top", "font_size": 9}),
            "money": add({"border": 1, "num_format": "#,##0.00", "valign": "top", "font_size": 9})}
    total_label = add({"bold": True, "border": 1, "font_size": 9})
    total_money = add({"bold": True, "border": 1, "num_format": "#,##0.00", "font_size": 9})
    small = add({"font_size": 7, "align": "center", "valign": "top", "border": 1})

    approved = getattr(act, "approved_at", None)
    sheet.approval(institution, approved.date() if approved else None)
    sheet.title(_title(form), okud, act.act_date, act.number)
    department = act.department.name if getattr(act, "department", None) else ""
    institution_requisites(sheet, institution, family, department=department,
                           responsible=person_name(act.responsible))
    kind = getattr(act.property_kind, "value", act.property_kind)
    sheet.requisite(_("Property kind"), act.property_kind.label if act.property_kind is not None else "",
                    _("Analytic group"), PROPERTY_GROUP.get(kind), caption=_(
                        "(real estate, especially valuable movable, other movable)"))
    commission = getattr(act, "commission", None)
    order = commission.order_text if commission else ""
    sheet.text_line(_("Commission appointed by order"), order)
    evidence = ""
    if act.evidence_number or act.evidence_date:
        evidence = _("defect list / technical conclusion No. %(number)s of %(date)s", number=act.evidence_number or "—",
                     date=long_date(act.evidence_date) if act.evidence_date else "—")
    sheet.text_line(_("Grounds"), evidence)
    reason = str(act.reason.label) if act.reason is not None else ""
    if act.reason_details:
        reason = f"{reason}: {act.reason_details}"
    sheet.text_line(_("Reasons for the write-off"), reason)
    sheet.row += 1

    if form == "0504105":
        lines = list(lines)
        _vehicle_block(sheet, lines[0] if lines else None)

    ws.write_string(sheet.row, 0, _("1. Objects of non-financial assets"), s.bold); sheet.row += 1
    header_row = sheet.row
    ws.set_row(header_row, 48)
    for c, col in enumerate(cols):
        ws.write_string(header_row, c, col.header, header)
    sheet.row += 1
    for c in range(len(cols)):
        ws.write_number(sheet.row, c, c + 1, small)  # the form's column numbers under the header
    sheet.row += 1

    money = [c for c, col in enumerate(cols) if col.kind == "money"]
    totals = {c: Decimal("0.00") for c in money}
    quantity_col = next((c for c, col in enumerate(cols) if col.key == "quantity"), None)
    first_data = sheet.row
    count = 0
    for count, line in enumerate(lines, start=1):
        r = sheet.row
        height = None
        for c, col in enumerate(cols):
            value = _value(line, col.key, count)
            write_cell(ws, r, c, value, cell[col.kind], formats)
            if c in totals and value is not None:
                totals[c] += value
            if col.kind == "text" and value:
                height = sheet.grow(r, value, col.width, height)
        sheet.row += 1

    r = sheet.row
    label_end = min(money[0], quantity_col if quantity_col is not None else money[0]) - 1
    sheet.merged(0, label_end, _("Total"), total_label)
    for c in money:
        letter = xl_col_to_name(c)
        formula = f"=SUM({letter}{first_data + 1}:{letter}{r})" if count else "=0"
        ws.write_formula(r, c, formula, total_money, float(totals[c]))
    for c in range(money[-1] + 1, len(cols)):
        ws.write_blank(r, c, None, total_label)
    if quantity_col is not None:
        letter = xl_col_to_name(quantity_col)
        ws.write_formula(r, quantity_col, f"=SUM({letter}{first_data + 1}:{letter}{r})" if count else "=0",
                         total_label, count)
    sheet.row += 2

    sheet.text_line(_("Commission's conclusion"), act.conclusion or "")
    sheet.row += 1
    if form != "0504143":
        _costs(sheet, act, cell["text"], header, total_label, total_money)
        _materials(sheet, act, cell["text"], header, total_label, total_money)

    _signatures(sheet, act, institution)
    sheet.print_setup(landscape=True, header_rows=(header_row, header_row + 1))
    return count


def _vehicle_block(sheet: FormSheet, line):
    """0504105: the vehicle's identifiers, each on its own line."""
    s = sheet.s
    sheet.ws.write_string(sheet.row, 0, _("Vehicle"), s.bold)
    sheet.row += 1
    get = (lambda k: getattr(line, k, None)) if line is not None else (lambda k: None)
    pairs = ((_("Make, model"), get("make_model")), (_("Registration plate"), get("plate")),
             (_("Identification number (VIN)"), get("vin")), (_("Engine number"), get("engine_number")),
             (_("Chassis (frame) number"), get("chassis_number")), (_("Body number"), get("body_number")),
             (_("Colour"), get("colour")), (_("Year of manufacture"), get("year_made")),
             (_("Vehicle passport (PTS/EPTS)"), get("pts_number")),
             (_("Registration certificate (STS)"), get("sts_number")), (_("Mileage, km"), get("mileage_km")))
    for label, value in pairs:
        sheet.merged(0, 1, label, s.label)
        sheet.merged(2, 5, value if value is not None else "", s.value)
        sheet.row += 1
    sheet.row += 1


def _costs(sheet, act, cell, header, total_label, total_money):
    """2. Write-off costs: name, document, quantity, sum, account."""
    ws, s = sheet.ws, sheet.s
    ws.write_string(sheet.row, 0, _("2. Costs of the write-off (dismantling, disposal)"), s.bold); sheet.row += 1
    heads = (_("No."), _("Cost"), _("Document (name, number, date)"), _("Account number"), _("Quantity"),
             _("Sum, rub"))
    spans = ((0, 0), (1, 2), (3, 5), (6, 6), (7, 7), (8, 9))
    _table_row(sheet, heads, spans, header, height=30)
    total = Decimal("0.00")
    for n, cost in enumerate(getattr(act, "costs", []) or [], start=1):
        _table_row(sheet, (n, cost.name, cost.document or "", cost.balance_account or "", cost.quantity, cost.amount),
                   spans, cell)
        total += cost.amount
    _table_row(sheet, (_("Total"), "", "", "", "", total), spans, total_label, money_fmt=total_money)
    sheet.row += 1


def _materials(sheet, act, cell, header, total_label, total_money):
    """3. Materials received from the write-off: name, unit (ОКЕИ), quantity, sum, account."""
    ws, s = sheet.ws, sheet.s
    ws.write_string(sheet.row, 0, _("3. Material values received from the write-off"), s.bold); sheet.row += 1
    heads = (_("No."), _("Material"), _("Unit: name"), _("Unit: code by OKEI"), _("Account number"), _("Quantity"),
             _("Sum, rub"))
    spans = ((0, 0), (1, 2), (3, 3), (4, 4), (5, 6), (7, 7), (8, 9))
    _table_row(sheet, heads, spans, header, height=30)
    total = Decimal("0.00")
    for n, m in enumerate(getattr(act, "materials", []) or [], start=1):
        _table_row(sheet, (n, m.name, m.unit, m.okei or "", m.balance_account or "", m.quantity, m.amount), spans, cell)
        total += m.amount
    _table_row(sheet, (_("Total"), "", "", "", "", "", total), spans, total_label, money_fmt=total_money)
    sheet.row += 1


def _table_row(sheet, values, spans, fmt, height=None, money_fmt=None):
    money = sheet.workbook.add_format({"border": 1, "num_format": "#,##0.00", "font_size": 9}) \
        if money_fmt is None else money_fmt
    grown = None
    for value, (a, b) in zip(values, spans):
        use = money if isinstance(value, Decimal) and fmt is not None and b == spans[-1][1] else fmt
        sheet.merged(a, b, value, use)
        if isinstance(value, str):
            grown = sheet.grow(sheet.row, value, sheet.width(a, b), grown)
    if height:
        sheet.ws.set_row(sheet.row, height)
    sheet.row += 1


def _signatures(sheet: FormSheet, act, institution):
    s = sheet.s
    first = 3
    sheet.signature_line(first, person_position(act.chair), person_name(act.chair), _("Commission chair"))
    sheet.row += 2
    for n, member in enumerate(act.members):
        sheet.signature_line(first, person_position(member), person_name(member),
                             _("Commission members") if n == 0 else None)
        sheet.row += 2
    sheet.row += 1
    sheet.signature_line(first, person_position(act.responsible), person_name(act.responsible),
                         _("Materially responsible person"))
    sheet.row += 3
    sheet.merged(0, sheet.last, _("Accounting department's mark: the disposal is recorded in the inventory cards "
                                  "(books)."), s.bold)
    sheet.row += 1
    chief = getattr(institution, "chief_accountant", None)
    sheet.signature_line(first, person_position(chief) or _("Chief accountant"), person_name(chief), _("Executor"))
    sheet.row += 2
    sheet.merged(first, sheet.last, long_date(None), s.plain)
    sheet.row += 1
