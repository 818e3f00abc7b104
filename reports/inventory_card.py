"""Инвентарная карточка учета нефинансовых активов (ОКУД 0504031) of one asset, as a workbook: the
header with the КОДЫ box, «1. Сведения об объекте», «2. Стоимость», and the back side: internal
movements and the disposal mark. A4 portrait, one page wide. docs/forms.md lists the requisites."""
from __future__ import annotations

from flask_babel import gettext as _

from .form_parts import FormSheet, long_date
from .workbook import Formats, write_cell

OKUD = "0504031"
WIDTHS = (14, 14, 14, 14, 14, 14, 14, 12, 12)


def write_inventory_card(workbook, formats: Formats, data: dict) -> None:
    sheet = FormSheet(workbook, formats, _("Inventory card"), list(WIDTHS))
    ws, s, last = sheet.ws, sheet.s, sheet.last
    add = workbook.add_format
    head = add({"bold": True, "border": 1, "text_wrap": True, "align": "center", "valign": "vcenter",
                "font_size": 8, "bg_color": "#F2F2F2"})
    cell = add({"border": 1, "text_wrap": True, "valign": "top", "font_size": 9})
    date_cell = add({"border": 1, "num_format": "dd.mm.yyyy", "valign": "top", "font_size": 9})
    money = add({"border": 1, "num_format": "#,##0.00", "valign": "top", "font_size": 9})
    inst = data["institution"]

    ws.write_string(sheet.row, last, _("CODES"), s.code_head)
    sheet.merged(0, last - 2, _("INVENTORY CARD OF NON-FINANCIAL ASSETS No. %(number)s",
                                number=data["inventory_number"]), s.title)
    sheet.row += 1
    sheet.code_row = sheet.row
    sheet.code(_("Form by OKUD"), OKUD)
    sheet.code(_("Opened on"), data["opened_on"], date_cell=True)
    sheet.code(_("Closed on"), data["closed_on"], date_cell=True)
    sheet.row = sheet.code_row
    sheet.requisite(_("Institution (balance holder)"), getattr(inst, "full_name", ""), _("by OKPO"),
                    getattr(inst, "okpo", None))
    sheet.requisite(_("Structural subdivision"), data["department"], _("INN"), getattr(inst, "inn", None))
    sheet.requisite(_("Object name (full)"), data["name"], _("by OKOF"), data["okof"])
    sheet.requisite(_("Manufacturer"), data["manufacturer"], _("KPP"), getattr(inst, "kpp", None))
    sheet.requisite(_("Location of the object"), data["place"])
    sheet.requisite(_("Responsible person"), data["responsible"])
    sheet.requisite(_("Property kind"), str(data["property_kind"]))
    sheet.requisite(_("Unit of measure: rub"), "", _("by OKEI"), "383")
    sheet.row += 1

    ws.write_string(sheet.row, 0, _("1. Information about the object"), s.bold); sheet.row += 1
    heads = (_("Inventory number"), _("Serial number"), _("Year of manufacture"), _("Accepted for accounting"),
             _("Put into use"), _("Disposed of"), _("Account number"), _("Useful life, months"), "")
    header_row = sheet.row
    ws.set_row(header_row, 36)
    for c, text in enumerate(heads[:last + 1]):
        ws.write_string(sheet.row, c, text, head)
    sheet.row += 1
    values = (data["inventory_number"], data["serial_number"], data["year_made"], data["accepted_on"],
              data["commissioned_on"], data["closed_on"], data["account"], data["useful_life_months"], None)
    for c, value in enumerate(values[:last + 1]):
        write_cell(ws, sheet.row, c, value, date_cell if c in (3, 4, 5) else cell, formats)
    sheet.row += 2

    ws.write_string(sheet.row, 0, _("2. Value of the object"), s.bold); sheet.row += 1
    for c, text in enumerate((_("Book value, ₽"), _("Accumulated depreciation, ₽"), _("Residual value, ₽"))):
        sheet.merged(c * 3, c * 3 + 2, text, head)
    sheet.row += 1
    for c, value in enumerate((data["book_value"], data["depreciation"], data["residual_value"])):
        sheet.merged(c * 3, c * 3 + 2, value, money)
    sheet.row += 2

    ws.write_string(sheet.row, 0, _("Back side: internal movements of the object"), s.bold); sheet.row += 1
    for (a, b), text in zip(((0, 1), (2, 3), (4, 6), (7, 8)),
                            (_("Transfer note No."), _("Date"), _("Location"), _("Materially responsible person"))):
        sheet.merged(a, b, text, head)
    sheet.row += 1
    for move in data["movements"] or [{"number": "", "date": None, "place": "", "responsible": ""}]:
        for (a, b), value in zip(((0, 1), (2, 3), (4, 6), (7, 8)),
                                 (move["number"], move["date"], move["place"], move["responsible"])):
            sheet.merged(a, b, value, date_cell if a == 2 else cell, grow=isinstance(value, str))
        sheet.row += 1
    sheet.row += 1

    ws.write_string(sheet.row, 0, _("Disposal mark"), s.bold); sheet.row += 1
    disposal = data["disposal"] or {}
    sheet.text_line(_("Reason for the disposal"), str(disposal.get("reason", "")))
    sheet.text_line(_("Document"), disposal.get("document", ""))
    sheet.text_line(_("Date"), long_date(disposal["date"]) if disposal.get("date") else "")
    sheet.row += 1
    chief = getattr(inst, "chief_accountant", None)
    sheet.signature_line(3, (chief.position if chief and chief.position else _("Chief accountant")),
                         chief.full_name if chief else "", _("Responsible executor"))
    sheet.row += 2
    sheet.print_setup(landscape=False, header_rows=None)
