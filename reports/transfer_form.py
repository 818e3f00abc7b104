"""Накладная на внутреннее перемещение объектов нефинансовых активов (ОКУД 0504102) as a workbook.

Takes plain values (see ``services.transfers.form_data``); rows are written top to bottom, so the
workbook can stay in constant-memory mode like every other one.
"""
from datetime import date
from decimal import Decimal

from .workbook import MONEY_FORMAT, write_cell

MONTHS = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
          "ноября", "декабря")
FORM_CODE = "0504102"
# №, name, inventory number, unit, quantity, price, sum, note
WIDTHS = (5, 46, 18, 7, 10, 16, 16, 14)
LAST_COL = len(WIDTHS) - 1


def long_date(day: date) -> str:
    return f"«{day.day:02d}» {MONTHS[day.month - 1]} {day.year} г."


def _formats(workbook):
    add = workbook.add_format
    border = {"border": 1, "valign": "vcenter", "font_size": 9}
    return {
        "title": add({"bold": True, "align": "center", "font_size": 12}),
        "subtitle": add({"align": "center", "font_size": 10}),
        "label": add({"font_size": 9}),
        "value": add({"bottom": 1, "font_size": 9}),
        "code_head": add({**border, "align": "center", "bold": True}),
        "code_label": add({"align": "right", "font_size": 9}),
        "code": add({**border, "align": "center"}),
        "head": add({**border, "align": "center", "text_wrap": True, "bold": True, "bg_color": "#F2F2F2"}),
        "cell": add({**border, "text_wrap": True}),
        "center": add({**border, "align": "center"}),
        "int": add({**border, "align": "center", "num_format": "0"}),
        "money": add({**border, "num_format": MONEY_FORMAT}),
        "total_label": add({**border, "bold": True, "align": "right"}),
        "total_money": add({**border, "bold": True, "num_format": MONEY_FORMAT}),
        "sign_line": add({"bottom": 1, "font_size": 9}),
        "caption": add({"font_size": 7, "align": "center", "italic": True}),
        "bold": add({"bold": True, "font_size": 9}),
    }


def write_transfer_form(workbook, data: dict, sheet: str = "0504102") -> None:
    ws = workbook.add_worksheet(sheet)
    f = _formats(workbook)
    for col, width in enumerate(WIDTHS):
        ws.set_column(col, col, width)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.fit_to_pages(1, 0)

    r = 0
    ws.merge_range(r, 0, r, 5, f"НАКЛАДНАЯ № {data['number']}", f["title"])
    ws.write_string(r, 7, "КОДЫ", f["code_head"])
    r += 1
    ws.merge_range(r, 0, r, 5, "на внутреннее перемещение объектов нефинансовых активов", f["subtitle"])
    ws.write_string(r, 6, "Форма по ОКУД", f["code_label"])
    ws.write_string(r, 7, FORM_CODE, f["code"])
    r += 1
    ws.merge_range(r, 0, r, 5, f"от {long_date(data['doc_date'])}", f["subtitle"])
    ws.write_string(r, 6, "Дата", f["code_label"])
    write_cell(ws, r, 7, data["doc_date"], workbook.add_format({"border": 1, "align": "center",
                                                                   "num_format": "dd.mm.yyyy"}))
    r += 1
    codes = (("по ОКПО", data.get("okpo", "")), ("ИНН", data.get("inn", "")), ("КПП", data.get("kpp", "")),
             ("по ОКЕИ", "383"))
    header = (
        ("Учреждение", data["institution"]),
        ("Структурное подразделение — отправитель", data["from_department"]),
        ("Структурное подразделение — получатель", data["to_department"]),
        ("Ответственное лицо — отправитель", data["from_responsible"]),
        ("Ответственное лицо — получатель", data["to_responsible"]),
        ("Место (помещение) — получатель", data.get("to_room", "")),
        ("Основание перемещения", data["reason"]),
        ("Единица измерения: руб.", ""),
    )
    # Rows are written top to bottom (constant memory): the codes go in the rows of the first lines.
    for n, (label, value) in enumerate(header):
        ws.merge_range(r, 0, r, 1, label, f["label"])
        ws.merge_range(r, 2, r, 5, "", f["value"])
        write_cell(ws, r, 2, value or "", f["value"])
        if n < len(codes):
            ws.write_string(r, 6, codes[n][0], f["code_label"])
            ws.write_string(r, 7, codes[n][1] or "", f["code"])
        if value and len(str(value)) > 80:  # a long value grows its row, nothing is cut
            ws.set_row(r, 12.75 * (len(str(value)) // 80 + 1))
        r += 1
    r += 1

    header_row = r
    heads = ("№ п/п", "Объект нефинансовых активов: наименование", "Инвентарный номер", "Ед. изм.",
             "Количество", "Цена, руб.", "Сумма, руб.", "Примечание")
    ws.set_row(r, 30)
    for col, text in enumerate(heads):
        ws.write_string(r, col, text, f["head"])
    r += 1
    for col in range(len(heads)):
        ws.write_number(r, col, col + 1, f["int"])
    r += 1
    first = r
    total = Decimal("0.00")
    for n, (name, inventory_number, value) in enumerate(data["lines"], start=1):
        ws.write_number(r, 0, n, f["int"])
        write_cell(ws, r, 1, name, f["cell"])
        if len(name) > WIDTHS[1]:
            ws.set_row(r, 12.75 * (len(name) // WIDTHS[1] + 1))
        ws.write_string(r, 2, inventory_number, f["center"])  # codes stay text: leading zeros
        ws.write_string(r, 3, "шт.", f["center"])
        ws.write_number(r, 4, 1, f["int"])
        write_cell(ws, r, 5, value, f["money"])
        ws.write_formula(r, 6, f"=E{r + 1}*F{r + 1}", f["money"], float(value))
        ws.write_blank(r, 7, None, f["cell"])
        total += value
        r += 1
    ws.merge_range(r, 0, r, 3, "Итого", f["total_label"])
    ws.write_formula(r, 4, f"=SUM(E{first + 1}:E{r})" if r > first else "=0", f["int"], len(data["lines"]))
    ws.write_blank(r, 5, None, f["total_money"])
    ws.write_formula(r, 6, f"=SUM(G{first + 1}:G{r})" if r > first else "=0", f["total_money"], float(total))
    ws.write_blank(r, 7, None, f["cell"])
    r += 3

    for role, position, name in (("Сдал", data.get("from_position", ""), data["from_responsible"]),
                                 ("Принял", data.get("to_position", ""), data["to_responsible"])):
        ws.write_string(r, 0, role, f["bold"])
        ws.write_string(r, 1, f"ответственное лицо   {position}".rstrip(), f["sign_line"])
        ws.write_blank(r, 2, None, f["sign_line"])
        ws.merge_range(r, 3, r, 5, name or "", f["sign_line"])
        ws.write_string(r, 6, long_date(data["doc_date"]), f["label"])
        r += 1
        ws.write_string(r, 1, "(должность)", f["caption"])
        ws.write_string(r, 2, "(подпись)", f["caption"])
        ws.merge_range(r, 3, r, 5, "(расшифровка подписи)", f["caption"])
        r += 2
    ws.write_string(r, 0, "Отметка бухгалтерии: перемещение отражено в инвентарных карточках", f["bold"])
    r += 1
    ws.write_string(r, 0, "Исполнитель", f["bold"])
    ws.write_string(r, 1, data.get("chief_position") or "главный бухгалтер", f["sign_line"])
    ws.write_blank(r, 2, None, f["sign_line"])
    ws.merge_range(r, 3, r, 5, data.get("chief_accountant", ""), f["sign_line"])
    r += 1
    ws.write_string(r, 1, "(должность)", f["caption"])
    ws.write_string(r, 2, "(подпись)", f["caption"])
    ws.merge_range(r, 3, r, 5, "(расшифровка подписи)", f["caption"])
    r += 1
    ws.repeat_rows(header_row, header_row + 1)
    ws.print_area(0, 0, r, LAST_COL)
