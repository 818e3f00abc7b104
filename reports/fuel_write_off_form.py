"""Акт о списании материальных запасов (ОКУД 0504230; 0510460 in the 61н family) for the fuel of a month:
the head's approval, the institution's requisites and codes, the commission with its order, one line per
vehicle and fuel (litres by the closed waybills, the month's average price, the sum, the waybills as the
basis), the commission's signatures and the accounting mark. A4 landscape, one page wide. docs/forms.md,
«0504230 / 0510460», lists the requisites and their sources."""
from __future__ import annotations

from flask_babel import gettext as _

from .form_parts import FormSheet, institution_requisites, long_date, person_name, person_position
from .workbook import Formats, write_cell

WIDTHS = (6, 26, 12, 10, 8, 12, 12, 14, 30, 16, 12)
OKEI_LITRE = "112"


def write_fuel_write_off(workbook, formats: Formats, data: dict) -> None:
    sheet = FormSheet(workbook, formats, _("Fuel write-off act"), list(WIDTHS))
    ws, s, last = sheet.ws, sheet.s, sheet.last
    add = workbook.add_format
    head = add({"bold": True, "border": 1, "text_wrap": True, "align": "center", "valign": "vcenter",
                "font_size": 8, "bg_color": "#F2F2F2"})
    cell = add({"border": 1, "text_wrap": True, "valign": "top", "font_size": 9})
    number = add({"border": 1, "num_format": "#,##0.00", "valign": "top", "font_size": 9})
    total = add({"border": 1, "bold": True, "num_format": "#,##0.00", "font_size": 9})
    inst = data["institution"]

    sheet.approval(inst, data["approved_on"])
    sheet.title([_("on the write-off of inventories")], data["okud"], data["act_date"], data["number"])
    institution_requisites(sheet, inst, data["family"], department=data["department"], responsible=None)
    sheet.row += 1
    commission = data["commission"]
    order = commission.order_text if commission is not None else ""
    sheet.text_line(_("Commission appointed by order"), order, bold_label=False)
    sheet.merged(0, last, _("checked the use of fuel from %(first)s to %(last)s and found that the following "
                            "inventories were used and are to be written off:", first=f"{data['first']:%d.%m.%Y}",
                            last=f"{data['last']:%d.%m.%Y}"), s.wrap, grow=True)
    sheet.row += 2

    heads = (_("No."), _("Inventory (name)"), _("Nomenclature number"), _("Unit"), _("OKEI code"), _("Quantity"),
             _("Price, rub"), _("Sum, rub"), _("Use (vehicle) and basis: waybills"), _("Account"),
             _("Norm, l / actual, l"))
    header_row = sheet.row
    ws.set_row(sheet.row, 36)
    for c, text in enumerate(heads):
        ws.write_string(sheet.row, c, text, head)
    sheet.row += 1
    for c in range(len(heads)):
        ws.write_number(sheet.row, c, c + 1, head)
    sheet.row += 1
    for n, line in enumerate(data["lines"], start=1):
        values = (n, line["fuel"], "", _("litre"), OKEI_LITRE, line["litres"], line["price"], line["amount"],
                  f"{line['vehicle']}: {line['basis']}", data["account"], line["norm_actual"])
        for c, value in enumerate(values):
            write_cell(ws, sheet.row, c, value, number if c in (5, 6, 7) else cell, formats)
        sheet.grow(sheet.row, values[8], WIDTHS[8])
        sheet.row += 1
    sheet.merged(0, 4, _("Total"), s.bold)
    write_cell(ws, sheet.row, 5, data["total_litres"], total, formats)
    write_cell(ws, sheet.row, 7, data["total_amount"], total, formats)
    sheet.row += 2
    sheet.text_line(_("Commission's conclusion"), _("the fuel was used within the waybills listed; to be written "
                                                    "off against expenses"), bold_label=False)
    sheet.text_line(_("Attached"), _("waybills: %(n)s", n=data["waybill_count"]), bold_label=False)
    sheet.row += 1

    first = 3
    chair = getattr(commission, "chair", None)
    sheet.signature_line(first, person_position(chair), person_name(chair), _("Commission chair"))
    sheet.row += 2
    for n, member in enumerate(getattr(commission, "members", []) or []):
        sheet.signature_line(first, person_position(member), person_name(member),
                             _("Commission members") if n == 0 else None)
        sheet.row += 2
    sheet.row += 1
    sheet.merged(0, last, _("Accounting department's mark: the write-off is recorded."), s.bold)
    sheet.row += 1
    chief = getattr(inst, "chief_accountant", None)
    sheet.signature_line(first, person_position(chief) or _("Chief accountant"), person_name(chief), _("Executor"))
    sheet.row += 2
    sheet.merged(first, last, long_date(None), s.plain)
    sheet.row += 1
    sheet.print_setup(landscape=True, header_rows=(header_row, header_row))
