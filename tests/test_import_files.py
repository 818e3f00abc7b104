"""Real clerks' files: encodings and separators, merged cells, formulas, text dates and amounts, leading zeros,
an export's title and totals lines, and files that can't be imported at all."""
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
import xlsxwriter

from models import db
from services import import_files, importer
from tests import factories as f
from tests.import_support import csv_bytes, errors_en, fatal_en, xlsx

HEADER = ["Инвентарный номер", "Наименование", "Группа", "Балансовая стоимость", "Дата принятия к учёту"]


@pytest.fixture
def refs(app):
    with app.app_context():
        f.category(db.session, name="Компьютеры")
        f.category(db.session, name="Мебель")
        db.session.commit()
        db.session.remove()


def run(app, entity, data):
    with app.test_request_context():
        preview = importer.dry_run(db.session, entity, data, "file")
        db.session.rollback()
        return preview


def created(preview, attr):
    return [row[attr] for row in preview.creates]


def test_cp1251_csv_with_semicolons(app, refs):
    data = csv_bytes([HEADER, ["ИН-1", "Стул «Престиж»", "Мебель", "1 234,56", "01.02.2024"],
                      ["ИН-2", "Шкаф; двухстворчатый", "Мебель", "99", "2024-02-03"]], ";", "cp1251")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    preview = run(app, "asset", data)
    assert errors_en(preview) == [] and preview.new == 2
    assert created(preview, "name") == ["Стул «Престиж»", "Шкаф; двухстворчатый"]
    assert created(preview, "book_value") == [Decimal("1234.56"), Decimal("99.00")]
    assert created(preview, "accepted_on") == [date(2024, 2, 1), date(2024, 2, 3)]


def test_utf8_bom_csv_with_commas(app, refs):
    data = csv_bytes([HEADER, ["ИН-1", "Монитор 27\", IPS", "Компьютеры", "12\u00a0345,60", "15.03.2024"]],
                     ",", "utf-8-sig")
    assert data.startswith(b"\xef\xbb\xbf")
    preview = run(app, "asset", data)
    assert errors_en(preview) == []
    assert created(preview, "name") == ['Монитор 27", IPS']
    assert created(preview, "book_value") == [Decimal("12345.60")]


def test_merged_cells_give_their_value_to_every_row_they_cover(app, refs):
    def merge(sheet):
        sheet.merge_cells("C2:C4")  # one category typed once for three rows

    rows = [HEADER, ["ИН-1", "Стол", "Мебель", 100, None], ["ИН-2", "Стул", None, 50, None],
            ["ИН-3", "Шкаф", None, 70, None]]
    preview = run(app, "asset", xlsx(rows, merge))
    assert errors_en(preview) == [] and preview.new == 3
    category = created(preview, "category_id")
    assert len(set(category)) == 1 and category[0] is not None


def test_formulas_are_read_by_their_cached_values(app, refs):
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer)
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, HEADER)
    sheet.write_row(1, 0, ["ИН-1", "Стол", "Мебель"])
    sheet.write_formula(1, 3, "=1000*1.2", None, 1200)
    sheet.write_formula(1, 1, '="Стол "&"письменный"', None, "Стол письменный")
    workbook.close()
    preview = run(app, "asset", buffer.getvalue())
    assert errors_en(preview) == []
    assert created(preview, "book_value") == [Decimal("1200.00")]
    assert created(preview, "name") == ["Стол письменный"]


def test_dates_and_amounts_in_every_form_a_clerk_types(app, refs):
    rows = [HEADER,
            ["ИН-1", "А", "Мебель", 1234.56, datetime(2024, 2, 1)],          # Excel number and date
            ["ИН-2", "Б", "Мебель", "1 234,56", "01.02.2024"],              # text with a space, dd.mm.yyyy
            ["ИН-3", "В", "Мебель", "1\u00a0234,56 ₽", "01.02.24"],         # NBSP, ruble sign, two-digit year
            ["ИН-4", "Г", "Мебель", "1234.56", "2024-02-01"],               # point, ISO date
            ["ИН-5", "Д", "Мебель", "1,234.56", 45323]]                     # a date serial without a date format
    preview = run(app, "asset", xlsx(rows))
    assert errors_en(preview) == []
    assert set(created(preview, "book_value")) == {Decimal("1234.56")}
    assert set(created(preview, "accepted_on")) == {date(2024, 2, 1)}


def test_leading_zeros_are_kept_and_lost_ones_reported(app, refs):
    rows = [HEADER, ["000123", "Стол", "Мебель", 10, None], ["  000124  ", "Стул ", "Мебель", 10, None]]
    preview = run(app, "asset", xlsx(rows))
    assert created(preview, "inventory_number") == ["000123", "000124"]  # and trimmed
    assert created(preview, "name") == ["Стол", "Стул"]

    header = ["ИНН", "КПП", "Краткое наименование", "Полное наименование", "БИК"]
    rows = [header,
            [7707083893, 773601001, "Сбер", "ПАО Сбербанк", 44525225],    # numbers; БИК lost its leading 0
            [274062111, "027401001", "Башкирия", "ООО «Башкирия»", None]]  # a 10-digit ИНН that became 9 digits
    errors = errors_en(run(app, "supplier", xlsx(rows)))
    assert errors == [
        (2, "БИК", "leading zeros were lost (the cell is a number: 44525225); format the column as text and type it again"),
        (3, "ИНН", "leading zeros were lost (the cell is a number: 274062111); format the column as text and type it again"),
    ]


def test_an_exports_title_and_totals_lines_are_skipped_and_empty_rows_too(app, refs):
    from reports.workbook import Column, Formats, open_workbook, write_table

    buffer = io.BytesIO()
    workbook = open_workbook(buffer)
    columns = [Column("inventory_number", HEADER[0]), Column("name", HEADER[1]), Column("category", HEADER[2]),
               Column("book_value", HEADER[3], "money")]
    write_table(workbook, "Основные средства", columns,
                [["ИН-1", "Стол", "Мебель", Decimal("10.50")], [None, None, None, None],
                 ["ИН-2", "Стул", "Мебель", Decimal("20.00")]], Formats(workbook), title="Основные средства")
    workbook.close()
    preview = run(app, "asset", buffer.getvalue())
    assert errors_en(preview) == [] and preview.new == 2
    assert created(preview, "inventory_number") == ["ИН-1", "ИН-2"]


def test_our_xlsx_reader_agrees_with_openpyxl(app):
    from openpyxl import load_workbook

    def extra(sheet):
        sheet["F2"] = True
        sheet["G2"] = "=1+1"
        sheet["H3"] = "a & b < c"

    data = xlsx([HEADER, ["ИН-1", "Стол", "Мебель", 10.5, datetime(2024, 2, 1)],
                 ["0001", "Стул\nофисный", None, 7, "01.02.2024"]], extra)
    ours = list(import_files._xlsx_rows(data))
    sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
    theirs = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert [number for number, _ in ours] == [1, 2, 3]
    assert [[v for v in cells] + [None] * (len(row) - len(cells)) for (_, cells), row in zip(ours, theirs)] == theirs


@pytest.mark.parametrize("data, message", [
    (b"", "The file is empty."),
    (b"   \r\n \r\n", "The file is empty."),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2048),
     "The file is password-protected or is an old Excel 97–2003 workbook (.xls). "
     "Remove the password or save it as .xlsx and upload it again."),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)) * 4, "The file is not an Excel workbook (.xlsx) or a CSV file."),
    (b"\x89PNG\r\n\x1a\n" + bytes(512), "The file is not an Excel workbook (.xlsx) or a CSV file."),
    (b"PK\x03\x04" + bytes(100), "The file is not an Excel workbook (.xlsx) or a CSV file."),
])
def test_files_that_cannot_be_imported_get_a_clear_message(app, data, message):
    assert fatal_en(run(app, "asset", data)) == message


def test_a_file_over_20_mb_is_refused(app):
    line = "ИН-1;Стол;Мебель;10\r\n".encode()
    data = line * (import_files.MAX_BYTES // len(line) + 1)
    assert len(data) > 20 * 1024 * 1024
    assert fatal_en(run(app, "asset", data)) == "The file is larger than 20 MB; split it into several files."


def test_a_docx_is_not_a_workbook(app):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert fatal_en(run(app, "asset", buffer.getvalue())) == "The file is not an Excel workbook (.xlsx) or a CSV file."


def test_a_header_the_import_does_not_know_is_named(app, refs):
    preview = run(app, "asset", csv_bytes([["Что-то", "Ещё"], ["1", "2"]]))
    assert fatal_en(preview) == ("No column of the file is recognised; "
                                 "the first row must hold the column headers.")
