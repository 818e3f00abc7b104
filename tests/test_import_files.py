"""Real clerks' files: encodings and separators, merged cells, formulas, text dates and amounts, leading zeros,
an export's title and totals lines, and files that can't be imported at all."""
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
import xlsxwriter
from flask_babel import force_locale

from models import db
from services import import_files, importer
from tests import factories as f
from tests.import_support import csv_bytes, errors_en, fatal_en, xlsx

NOT_A_SPREADSHEET = "The file is not a spreadsheet (.xlsx, .xls, .ods) or a text file (.csv)."
HEADER = ["Инвентарный номер", "Наименование", "Группа", "Балансовая стоимость", "Дата принятия к учёту"]


@pytest.fixture
def refs(app):
    with app.app_context():
        f.category(db.session, name="Компьютеры")
        f.category(db.session, name="Мебель")
        db.session.commit()
        db.session.remove()


def run(app, entity, data, choices=None):
    with app.test_request_context():
        preview = importer.dry_run(db.session, entity, data, "file", choices=choices)
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


def test_reader_gives_the_cells_openpyxl_sees(app):
    """One reader (calamine) for every workbook: numbers, dates, booleans, cached formulas, escaped text."""
    from openpyxl import load_workbook

    def extra(sheet):
        sheet["F2"] = True
        sheet["G2"] = "=1+1"
        sheet["H3"] = "a & b < c"

    data = xlsx([HEADER, ["ИН-1", "Стол", "Мебель", 10.5, datetime(2024, 2, 1)],
                 ["0001", "Стул\nофисный", None, 7, "01.02.2024"]], extra)
    book = import_files.open_file(data)
    ours = list(book.rows(book.sheets[0]))
    theirs = [list(row) for row in load_workbook(io.BytesIO(data), read_only=True, data_only=True).active.iter_rows(
        values_only=True)]
    assert [number for number, _ in ours] == [1, 2, 3]

    def same(a, b):
        if isinstance(b, datetime) and not isinstance(a, datetime):
            return a == b.date()
        if b is None:
            return a in (None, "") or a is import_files.UNCALCULATED  # openpyxl keeps no cached value of G2
        return a == b

    for (_, cells), row in zip(ours, theirs):
        cells = cells + [None] * (len(row) - len(cells))
        assert all(same(a, b) for a, b in zip(cells, row)), (cells, row)
    assert ours[0][1][:2] == ["Инвентарный номер", "Наименование"] and ours[2][1][0] == "0001"


@pytest.mark.parametrize("data, message", [
    (b"", "The file is empty."),
    (b"   \r\n \r\n", "The file is empty."),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2048), NOT_A_SPREADSHEET),
    # Excel's encrypted workbook: an OLE file with an «EncryptedPackage» stream
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024) + "EncryptedPackage".encode("utf-16-le") + bytes(1024),
     "The file is password-protected. Remove the password and upload it again."),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)) * 4, NOT_A_SPREADSHEET),
    (b"\x89PNG\r\n\x1a\n" + bytes(512), NOT_A_SPREADSHEET),
    (b"PK\x03\x04" + bytes(100), NOT_A_SPREADSHEET),
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
    assert fatal_en(run(app, "asset", buffer.getvalue())) == NOT_A_SPREADSHEET


def test_a_header_the_import_does_not_know_is_named(app, refs):
    preview = run(app, "asset", csv_bytes([["Что-то", "Ещё"], ["1", "2"]]))
    assert fatal_en(preview) == ("No column of the file is recognised; choose the field of each column below "
                                 "or check that the file has a header row.")
    assert preview.unknown_columns == ["Что-то", "Ещё"]
    assert [(c.header, c.status, c.sample) for c in preview.columns] == [("Что-то", "unknown", "1"),
                                                                          ("Ещё", "unknown", "2")]


# Every format clerks have --------------------------------------------------------------------------

def _register_workbook(fill_sheet=None) -> bytes:
    """What a clerk keeps: a notes sheet first, then the register under a title with a two-row header
    («Стоимость» merged over «Балансовая» / «Амортизация»), a zero-led inventory number typed as text and
    a formula."""
    from openpyxl import Workbook

    workbook = Workbook()
    notes = workbook.active
    notes.title = "Сведения"
    notes.append(["Пояснение к ведомости"])
    notes.append(["Составил: Петрова А. С."])
    sheet = workbook.create_sheet("ОС")
    sheet.append(["Ведомость основных средств на 01.12.2026"])
    sheet.append([])
    sheet.append(["Инв. №", "Наименование", "Группа", "Стоимость", None, "МОЛ"])
    sheet.append([None, None, None, "Балансовая", "Амортизация", None])
    for cells in ("A3:A4", "B3:B4", "C3:C4", "D3:E3", "F3:F4"):
        sheet.merge_cells(cells)
    sheet.append(["000123", "Стол письменный", "Мебель", 1200.5, "=D5/10", "Петрова Анна Сергеевна"])
    sheet.append(["000124", "Стул", "Мебель", 300, 0, "Петрова Анна Сергеевна"])
    sheet.append(["Итого по ведомости:", None, None, "=SUM(D5:D6)", "=SUM(E5:E6)", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def clerk_refs(app, refs):
    with app.app_context():
        f.employee(db.session, full_name="Петрова Анна Сергеевна", personnel_number="000001")
        db.session.commit()
        db.session.remove()


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """The register saved by LibreOffice as .xls and .ods (formulas calculated on the way)."""
    from tests.libreoffice import convert

    workdir = tmp_path_factory.mktemp("lo")
    source = workdir / "register.xlsx"
    source.write_bytes(_register_workbook())
    return {target: convert([source], workdir, target)[0].read_bytes() for target in ("xls", "ods")}


@pytest.mark.parametrize("kind", ["xls", "ods"])
def test_xls_and_ods_import_with_sheet_title_two_row_header_and_totals(app, clerk_refs, converted, kind):
    data = converted[kind]
    assert data.startswith(b"\xd0\xcf\x11\xe0" if kind == "xls" else b"PK")
    preview = run(app, "asset", data)
    assert preview.sheets == ["Сведения", "ОС"] and preview.sheet == preview.suggested_sheet == "ОС"
    assert preview.header_rows == [3, 4]
    assert [(c.header, c.field) for c in preview.columns] == [
        ("Инв. №", "inventory_number"), ("Наименование", "name"), ("Группа", "category"),
        ("Балансовая стоимость", "book_value"), ("Амортизация", "depreciation"), ("МОЛ", "responsible")]
    assert errors_en(preview) == [] and preview.new == 2
    assert created(preview, "inventory_number") == ["000123", "000124"]
    assert created(preview, "book_value") == [Decimal("1200.50"), Decimal("300.00")]
    assert created(preview, "depreciation") == [Decimal("120.05"), Decimal("0.00")]  # the formula's value
    assert all(created(preview, "responsible_id"))
    with force_locale("en"):
        assert [(s.row, str(s.message)) for s in preview.skipped] == [
            (7, "a totals line («Итого по ведомости:») is skipped")]


def test_xlsx_formulas_without_calculated_values_are_errors(app, clerk_refs):
    """openpyxl (and other programs) write formulas without their results: the clerk is told to re-save."""
    preview = run(app, "asset", _register_workbook())
    message = ("the file was saved without calculated values — open and save it in Excel or LibreOffice, "
               "then upload it again")
    assert errors_en(preview) == [(5, "Амортизация", message)]
    assert preview.skipped[0].row == 7  # the totals line is still recognised by its words


def test_another_sheet_can_be_chosen(app, clerk_refs):
    preview = run(app, "asset", _register_workbook(), choices={"sheet": "Сведения"})
    assert preview.sheet == "Сведения" and preview.suggested_sheet == "ОС"
    assert preview.fatal is not None and preview.unknown_columns == ["Пояснение к ведомости"]


@pytest.mark.parametrize("encoding, delimiter", [("utf-16", "\t"), ("utf-16-le", "\t"), ("utf-16-be", ";"),
                                                 ("utf-8", ","), ("utf-8-sig", "\t"), ("cp1251", "\t")])
def test_text_in_every_encoding_and_separator(app, refs, encoding, delimiter):
    """«Текст Юникод» from Excel is UTF-16 with BOM and tabs; 1С writes UTF-16 too; BOM-less variants happen."""
    rows = [["Ведомость ОС"], HEADER, ["000123", "Стул «Престиж»; синий", "Мебель", "1 234,56", "01.02.2024"],
            ["ИН-2", "Шкаф, двухстворчатый", "Мебель", "99", "03.02.2024"]]
    data = csv_bytes(rows, delimiter, encoding)
    preview = run(app, "asset", data)
    assert errors_en(preview) == [] and preview.new == 2 and preview.header_rows == [2]
    assert created(preview, "name") == ["Стул «Престиж»; синий", "Шкаф, двухстворчатый"]
    assert created(preview, "inventory_number")[0] == "000123"


def test_our_own_export_saved_as_csv_imports_back(app, refs):
    """Excel's «CSV (разделители — запятые)» of the panel's export: title, header, rows, «Итого» with sums."""
    rows = [["Основные средства"], HEADER[:4], ["ИН-1", "Стол", "Мебель", "10,50"], ["ИН-2", "Стул", "Мебель", "20"],
            ["Итого", "", "", "30,50"]]
    preview = run(app, "asset", csv_bytes(rows, ";", "cp1251"))
    assert errors_en(preview) == [] and preview.new == 2 and [s.row for s in preview.skipped] == [5]


@pytest.mark.parametrize("line", [["ИТОГО:", "", "", "30,50"], ["", "Итого по ведомости", "", "30,50"],
                                  ["", "", "Всего", "30,50"], ["Total", "", "", "30.50"], ["", "", "", "30,50"]])
def test_totals_lines_in_any_form_are_skipped_and_reported(app, refs, line):
    rows = [HEADER[:4], ["ИН-1", "Стол", "Мебель", "10,50"], ["ИН-2", "Стул", "Мебель", "20"], line]
    preview = run(app, "asset", csv_bytes(rows))
    assert errors_en(preview) == [] and preview.new == 2
    assert [s.row for s in preview.skipped] == [4]


def test_a_number_row_that_is_no_sum_is_an_error(app, refs):
    rows = [HEADER[:4], ["ИН-1", "Стол", "Мебель", "10,50"], ["", "", "", "99"]]
    preview = run(app, "asset", csv_bytes(rows))
    assert errors_en(preview)[0] == (3, "Инвентарный номер", "required: it identifies the record")
    assert preview.error_rows == 1 and preview.skipped == []


def test_a_number_in_a_date_column_is_a_date_only_when_plausible(app, refs):
    rows = [HEADER, ["ИН-1", "А", "Мебель", 1, 2024], ["ИН-2", "Б", "Мебель", 1, 45323], ["ИН-3", "В", "Мебель", 1, 5]]
    preview = run(app, "asset", xlsx(rows))
    assert errors_en(preview) == [
        (2, "Дата принятия к учёту", "a number, not a date: 2024 (type the date as dd.mm.yyyy)"),
        (4, "Дата принятия к учёту", "a number, not a date: 5 (type the date as dd.mm.yyyy)")]
    assert created(preview, "accepted_on") == [date(2024, 2, 1)]


@pytest.mark.parametrize("header", ["Инв. №", "Инв. номер", "Инвентарный №", "Инв.№", "ИНВЕНТАРНЫЙ НОМЕР:"])
def test_header_variants_clerks_write(app, clerk_refs, header):
    rows = [[header, "Наименование объекта", "Группа ОС", "Балансовая стоимость, руб.", "МОЛ"],
            ["ИН-1", "Стол", "Мебель", "10", "000001"]]
    preview = run(app, "asset", csv_bytes(rows))
    assert errors_en(preview) == [] and preview.unknown_columns == []
    assert [c.field for c in preview.columns] == ["inventory_number", "name", "category", "book_value", "responsible"]
    assert created(preview, "responsible_id")[0] is not None
