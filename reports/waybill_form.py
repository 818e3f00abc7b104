"""Путевой лист легкового автомобиля as the institution prints it: every requisite of приказ Минтранса России
от 28.09.2022 № 390 (docs/forms.md, «Waybill» lists each with where the panel takes it), the drivers' task
(trips from the transport requests) and the fuel movement with the norm by АМ-23-р. A4 portrait, one page
wide. Takes the plain data of ``services.fleet.waybill_data``; knows nothing of the database."""
from __future__ import annotations

from flask_babel import gettext as _

from .form_parts import FormSheet
from .workbook import Formats, write_cell

WIDTHS = (22, 22, 9, 9, 10, 10, 10, 10, 14, 12)


def _dt(value) -> str:
    return f"{value:%d.%m.%Y %H:%M}" if value else ""


def _d(value) -> str:
    return f"{value:%d.%m.%Y}" if value else ""


def write_waybill(workbook, formats: Formats, data: dict) -> None:
    sheet = FormSheet(workbook, formats, _("Waybill"), list(WIDTHS))
    ws, s, last = sheet.ws, sheet.s, sheet.last
    add = workbook.add_format
    head = add({"bold": True, "border": 1, "text_wrap": True, "align": "center", "valign": "vcenter",
                "font_size": 8, "bg_color": "#F2F2F2"})
    cell = add({"border": 1, "text_wrap": True, "valign": "top", "font_size": 9})
    litres = add({"border": 1, "num_format": "#,##0.00", "valign": "top", "font_size": 9})
    owner = data["owner"]

    # 1) name and number; 2) validity
    ws.write_string(sheet.row, last, _("CODES"), s.code_head)
    sheet.merged(0, last - 2, _("WAYBILL OF A PASSENGER CAR No. %(number)s", number=data["number"]), s.title)
    sheet.row += 1
    # Rows are written top to bottom (the workbook streams them): the validity line before the next code.
    sheet.code_row = sheet.row
    if data["valid_to"] and data["valid_to"] != data["valid_from"]:
        validity = _("valid from %(first)s to %(last)s", first=_d(data["valid_from"]), last=_d(data["valid_to"]))
    else:
        validity = _("valid on %(day)s", day=_d(data["valid_from"]))
    sheet.merged(0, last - 2, validity, s.subtitle)
    sheet.code(_("Date"), data["valid_from"], date_cell=True)
    sheet.code(_("by OKPO"), owner["okpo"])
    sheet.row = max(sheet.row + 1, sheet.code_row)

    # 3) the person who issued it (the vehicle's owner)
    sheet.requisite(_("Owner of the vehicle"), owner["name"])
    sheet.requisite(_("Address"), owner["address"])
    sheet.requisite(_("Phone"), owner["phone"])
    sheet.requisite(_("OGRN"), owner["ogrn"])
    sheet.row += 1

    # 4) the vehicle
    ws.write_string(sheet.row, 0, _("Vehicle"), s.bold); sheet.row += 1
    sheet.requisite(_("Type of vehicle"), data["vehicle_type"])
    sheet.requisite(_("Make and model"), data["make_model"])
    sheet.requisite(_("Registration plate"), data["plate"])
    sheet.requisite(_("Odometer when leaving the parking, km"), str(data["odometer_out"]))
    sheet.requisite(_("Odometer when returning to the parking, km"),
                    "" if data["odometer_in"] is None else str(data["odometer_in"]))
    sheet.requisite(_("Left the parking (date, time)"), _dt(data["departure_at"]))
    sheet.requisite(_("Returned to the parking (date, time)"), _dt(data["return_at"]))
    sheet.requisite(_("Pre-trip technical check (date, time)"), _dt(data["tech_check_at"]))
    sheet.row += 1
    sheet.signature_line(4, data["tech_checker_position"], data["tech_checker"],
                         role=_("Vehicle fit to leave; checked by"))
    sheet.row += 3

    # 5) the driver
    ws.write_string(sheet.row, 0, _("Driver"), s.bold); sheet.row += 1
    sheet.requisite(_("Full name"), data["driver"])
    sheet.requisite(_("Driving licence (series, number, date of issue)"), data["licence"])
    sheet.requisite(_("Pre-trip medical check (date, time)"), _dt(data["medical_at"]))
    sheet.requisite(_("Post-trip medical check (date, time)"), _dt(data["post_medical_at"]))
    sheet.requisite(_("Medical check made by"), data["medic"])
    sheet.row += 1

    # 6) the transportation
    ws.write_string(sheet.row, 0, _("Transportation"), s.bold); sheet.row += 1
    sheet.requisite(_("Kind of communication"), data["communication"])
    sheet.requisite(_("Kind of transportation"), data["transport_kind"])
    sheet.row += 1

    # The driver's task: the trips
    ws.write_string(sheet.row, 0, _("Task for the driver"), s.bold); sheet.row += 1
    spans = ((0, 0, _("No.")), (1, 2, _("Requested by")), (3, 3, _("From")), (4, 4, _("To")),
             (5, 7, _("Route")), (8, last, _("Purpose of the trip")))
    ws.set_row(sheet.row, 24)
    for first, to, text in spans:
        sheet.merged(first, to, text, head)
    sheet.row += 1
    for n, trip in enumerate(data["trips"], start=1):
        values = (n, trip["customer"], trip["starts_at"], trip["ends_at"], trip["route"], trip["purpose"])
        for (first, to, _text), value in zip(spans, values):
            sheet.merged(first, to, f"{value:%H:%M}" if hasattr(value, "hour") else value, cell,
                         grow=to - first > 1)
        sheet.row += 1
    if not data["trips"]:
        sheet.merged(0, last, "", cell); sheet.row += 1
    sheet.row += 1

    # Fuel movement and the norm
    ws.write_string(sheet.row, 0, _("Fuel"), s.bold); sheet.row += 1
    heads = (_("Fuel type"), _("Card"), _("At departure, l"), _("Received, l"), _("At return, l"),
             _("Mileage, km"), _("Base norm Hs, l/100 km"), _("Surcharges D, %"), _("Norm, l"), _("Actual, l"))
    ws.set_row(sheet.row, 36)
    for c, text in enumerate(heads):
        ws.write_string(sheet.row, c, text, head)
    sheet.row += 1
    fuel = data["fuel"]
    values = (fuel["type"], fuel["card"], fuel["out"], fuel["received"], fuel["in"], fuel["mileage"], fuel["base"],
              fuel["percent"], fuel["norm"], fuel["actual"])
    for c, value in enumerate(values):
        write_cell(ws, sheet.row, c, value, cell if c < 2 else litres, formats)
    sheet.row += 1
    if fuel["surcharges"]:
        sheet.text_line(_("Surcharges in force"), "; ".join(f"{name} {pct} % ({order})"
                                                            for name, pct, order in fuel["surcharges"]),
                        bold_label=False)
    sheet.text_line(_("Difference (− economy, + overrun), l"), "" if fuel["difference"] is None
                    else f"{fuel['difference']:+.2f}".replace(".", ","), bold_label=False)
    sheet.row += 1

    sheet.signature_line(4, _("Dispatcher"), data["dispatcher"], role=_("Waybill issued by")); sheet.row += 3
    sheet.signature_line(4, _("Driver"), data["driver"], role=_("Vehicle received by")); sheet.row += 3
    sheet.signature_line(4, _("Driver"), data["driver"], role=_("Vehicle handed back by")); sheet.row += 2
    sheet.print_setup(landscape=False)
