"""Parts every official form shares, written the same way on every sheet: the head's «УТВЕРЖДАЮ»,
the title with the КОДЫ box (ОКУД, date, the institution's codes, ОКЕИ), labelled requisite lines,
signature lines (position / signature / full name) and the print setup.

Takes plain values and objects with attributes (the institution settings, employees); knows nothing
of the database or of HTTP. Texts are translated by the caller's locale (Russian on the forms).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from .workbook import write_cell

A4 = 9
MONTHS = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
          "ноября", "декабря")
OKEI_RUBLE = "383"
OKEI_PIECE = "796"
CODE_LABEL_WIDTH = 20


def long_date(day: date | None) -> str:
    if day is None:
        return "«____» ______________ 20___ г."
    return f"«{day.day:02d}» {MONTHS[day.month - 1]} {day.year} г."


def person_name(employee) -> str:
    return getattr(employee, "full_name", None) or ""


def person_position(employee) -> str:
    return getattr(employee, "position", None) or ""


def text_height(text, width_chars: float, line_height: float = 12.75) -> float | None:
    """Height a wrapped text cell needs so nothing is cut: spreadsheets don't grow rows on their own."""
    if not text:
        return None
    width = max(int(width_chars * 1.1), 1)
    lines = sum(max(1, -(-len(part) // width)) for part in str(text).split("\n"))
    return line_height * lines if lines > 1 else None


@dataclass
class Styles:
    title: object
    subtitle: object
    label: object
    value: object
    plain: object
    bold: object
    caption: object
    code_head: object
    code_label: object
    code: object
    code_date: object
    wrap: object


def styles(workbook) -> Styles:
    add = workbook.add_format
    border = {"border": 1, "align": "center", "valign": "vcenter", "font_size": 9}
    return Styles(
        title=add({"bold": True, "align": "center", "font_size": 12, "text_wrap": True, "valign": "vcenter"}),
        subtitle=add({"align": "center", "font_size": 10}),
        label=add({"font_size": 9, "valign": "top"}),
        value=add({"bottom": 1, "font_size": 9, "text_wrap": True, "valign": "top"}),
        plain=add({"font_size": 9}),
        bold=add({"bold": True, "font_size": 9}),
        caption=add({"font_size": 7, "align": "center", "valign": "top", "italic": True}),
        code_head=add({**border, "bold": True}),
        code_label=add({"align": "right", "font_size": 9, "valign": "vcenter"}),
        code=add({**border, "num_format": "@"}),
        code_date=add({**border, "num_format": "dd.mm.yyyy"}),
        wrap=add({"font_size": 9, "text_wrap": True, "valign": "top"}),
    )


class FormSheet:
    """A sheet being written top to bottom: ``row`` is the next free row; ``widths`` the column widths
    (characters), needed to size merged wrapped cells; the КОДЫ box takes the last two columns."""

    def __init__(self, workbook, formats, name: str, widths: list[float]):
        self.workbook, self.formats = workbook, formats
        self.ws = workbook.add_worksheet(name)
        self.s = styles(workbook)
        self.widths = list(widths)
        # The КОДЫ box's labels («Форма по ОКУД», «Аналитическая группа») sit in the last but one column.
        self.widths[-2] = max(self.widths[-2], CODE_LABEL_WIDTH)
        self.last = len(widths) - 1
        self.row = 0
        for c, w in enumerate(self.widths):
            self.ws.set_column(c, c, w)

    def width(self, first: int, last: int) -> float:
        return sum(self.widths[first:last + 1])

    def merged(self, first: int, last: int, value, fmt, row: int | None = None, grow: bool = False):
        r = self.row if row is None else row
        if last > first:
            self.ws.merge_range(r, first, r, last, "", fmt)
        write_cell(self.ws, r, first, value, fmt, self.formats)
        if grow:
            self.grow(r, value, self.width(first, last))

    def grow(self, row: int, text, width: float, current: float | None = None):
        height = text_height(text, width)
        if height and (current is None or height > current):
            self.ws.set_row(row, height)
            return height
        return current

    # --- the head's approval ------------------------------------------------------------------
    def approval(self, institution, approved_on: date | None, *, agreed: bool = False):
        """«УТВЕРЖДАЮ»: the head of the institution with their position, signature line, name, date."""
        first = max(self.last - 4, 0)
        s = self.s
        head = getattr(institution, "head", None)
        position = institution.head_title if hasattr(institution, "head_title") else person_position(head)
        self.merged(first, self.last, _("APPROVED"), s.bold); self.row += 1
        self.merged(first, self.last, _("Head of the institution (authorised person)"), s.plain); self.row += 1
        self.signature_line(first, position, person_name(head)); self.row += 2
        self.merged(first, self.last, long_date(approved_on), s.plain); self.row += 2

    def signature_line(self, first: int, position: str, name: str, role: str | None = None, role_from: int = 0):
        """position | signature | full name, with captions under them, from column ``first`` to the end."""
        s = self.s
        span = self.last - first + 1
        a = first + max(span * 2 // 5, 1) - 1
        b = a + max(span // 5, 1)
        if role:
            self.merged(role_from, first - 1, role, s.bold)
        self.merged(first, a, position, s.value, grow=True)
        self.merged(a + 1, b, "", s.value)
        self.merged(b + 1, self.last, name, s.value)
        self.merged(first, a, _("(position)"), s.caption, row=self.row + 1)
        self.merged(a + 1, b, _("(signature)"), s.caption, row=self.row + 1)
        self.merged(b + 1, self.last, _("(full name)"), s.caption, row=self.row + 1)

    # --- title and codes ----------------------------------------------------------------------
    def title(self, lines: list[str], okud: str, day: date | None, number):
        """The form's name and number, centred; the КОДЫ box starts on its right."""
        s = self.s
        title_last = self.last - 2
        self.ws.write_string(self.row, self.last, _("CODES"), s.code_head)
        self.merged(0, title_last, _("ACT No. %(number)s", number=number) if number is not None else "", s.title)
        self.row += 1
        for text in lines:
            self.merged(0, title_last, text, s.title, grow=True)
            self.row += 1
        self.codes_start = self.row - len(lines)
        self.code_row = self.codes_start
        self.code(_("Form by OKUD"), okud)
        self.merged(0, title_last, _("dated %(date)s", date=long_date(day)), s.subtitle, row=self.code_row)
        self.code(_("Date"), day, date_cell=True)
        self.row = max(self.row, self.code_row)

    def code(self, label: str, value, date_cell: bool = False):
        s = self.s
        r = self.code_row
        self.ws.write_string(r, self.last - 1, label, s.code_label)
        write_cell(self.ws, r, self.last, value if value not in (None, "") else None,
                   s.code_date if date_cell else s.code, self.formats)
        self.code_row += 1

    def requisite(self, label: str, value, code_label: str | None = None, code=None, caption: str | None = None):
        """«Учреждение ____ по ОКПО [ ]»: a labelled value line, its code in the box on the right."""
        s = self.s
        value_from = 2
        value_to = self.last - 2
        r = max(self.row, getattr(self, "code_row", 0) if code_label else self.row)
        self.row = r
        self.merged(0, value_from - 1, label, s.label)
        self.merged(value_from, value_to, value or "", s.value, grow=True)
        if code_label:
            self.code_row = r
            self.code(code_label, code)
        self.row += 1
        if caption:
            self.merged(value_from, value_to, caption, s.caption)
            self.row += 1

    def text_line(self, label: str, value, bold_label: bool = True):
        s = self.s
        self.merged(0, 1, label, s.bold if bold_label else s.label)
        self.merged(2, self.last, value or "", s.value, grow=True)
        self.row += 1

    # --- printing ---------------------------------------------------------------------------------
    def print_setup(self, *, landscape: bool, header_rows: tuple[int, int] | None = None):
        ws = self.ws
        ws.set_landscape() if landscape else ws.set_portrait()
        ws.set_paper(A4)
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
        ws.fit_to_pages(1, 0)  # one page wide, as many tall as the lines need
        if header_rows:
            ws.repeat_rows(*header_rows)
        ws.print_area(0, 0, max(self.row - 1, 0), self.last)


def institution_requisites(sheet: FormSheet, institution, family: str, *, department: str | None,
                           responsible: str | None, units: bool = True):
    """The institution's lines and codes as the form family wants them.

    52н: Учреждение (по ОКПО), ИНН, КПП, структурное подразделение.
    61н: Учреждение (по Сводному реестру), структурное подразделение, ГАБС (глава по БК),
    наименование бюджета (по ОКТМО), ИНН/КПП kept in the box for the counterparty's checks."""
    inst = institution
    name = getattr(inst, "full_name", "") or ""
    if family == "61n":
        sheet.requisite(_("Institution"), name, _("by Consolidated register"), getattr(inst, "registry_code", None))
        sheet.requisite(_("Structural subdivision"), department, _("INN"), getattr(inst, "inn", None))
        sheet.requisite(_("Chief budget administrator (founder)"), getattr(inst, "founder_name", None),
                        _("Chapter by BK"), getattr(inst, "founder_code", None))
        sheet.requisite(_("Budget"), getattr(inst, "budget_name", None), _("by OKTMO"), getattr(inst, "oktmo", None))
        sheet.requisite(_("Responsible person"), responsible, _("KPP"), getattr(inst, "kpp", None))
    else:
        sheet.requisite(_("Institution (right holder)"), name, _("by OKPO"), getattr(inst, "okpo", None))
        sheet.requisite(_("Structural subdivision"), department, _("INN"), getattr(inst, "inn", None))
        sheet.requisite(_("Materially responsible person"), responsible, _("KPP"), getattr(inst, "kpp", None))
    if units:
        sheet.requisite(_("Unit of measure: rub"), "", _("by OKEI"), OKEI_RUBLE)
