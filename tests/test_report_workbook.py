import enum
import io
import sys
from datetime import date, datetime, UTC
from decimal import Decimal as D
from pathlib import Path
from urllib.parse import unquote

import openpyxl
import pytest
from openpyxl.utils.escape import unescape

# `.venv/bin/pytest` does not put the project root on sys.path by itself.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reports.workbook import (  # noqa: E402
    MONEY_FORMAT,
    Column,
    Formats,
    content_disposition,
    export_filename,
    looks_like_formula,
    open_workbook,
    sheet_name,
    workbook_chunks,
    write_cell,
    write_table,
)


class Status(enum.Enum):
    ACTIVE = "active"

    @property
    def label(self):
        return "В эксплуатации"


COLUMNS = [
    Column("name", "Наименование"),
    Column("inv", "Инвентарный номер"),
    Column("qty", "Количество", "int"),
    Column("price", "Стоимость", "money"),
    Column("since", "Дата ввода", "date"),
    Column("checked", "Проверено", "datetime"),
    Column("leased", "В аренде", "bool"),
    Column("status", "Статус", "enum"),
]

ROWS = [
    ("Стол", "0012", 3, D("1500.10"), date(2026, 1, 15), datetime(2026, 11, 28, 9, 30), True, Status.ACTIVE),
    ("=1+1", "+79123456789", 1, D("0.20"), None, None, False, Status.ACTIVE),
]


def build(rows, columns=COLUMNS, *, constant_memory=True, **kwargs):
    buf = io.BytesIO()
    wb = open_workbook(buf, constant_memory=constant_memory)
    formats = Formats(wb)
    count = write_table(wb, "Основные средства", columns, rows, formats, **kwargs)
    wb.close()
    buf.seek(0)
    return count, buf


def load(buf, **kwargs):
    buf.seek(0)
    return openpyxl.load_workbook(buf, **kwargs).active


@pytest.mark.parametrize("constant_memory", [True, False])
def test_cell_types_and_formats(constant_memory):
    count, buf = build(ROWS, constant_memory=constant_memory)
    assert count == 2
    ws = load(buf)
    assert [c.value for c in ws[1]] == [c.header for c in COLUMNS]
    assert ws["A1"].font.b

    name, inv, qty, price, since, checked, leased, status = ws[2]
    assert (qty.value, qty.data_type) == (3, "n")
    assert (price.value, price.data_type) == (1500.1, "n")
    assert price.number_format == MONEY_FORMAT
    assert since.value == datetime(2026, 1, 15) and since.number_format == "dd.mm.yyyy"
    assert checked.value == datetime(2026, 11, 28, 9, 30)
    assert checked.number_format == "dd.mm.yyyy hh:mm"
    assert (inv.value, inv.data_type) == ("0012", "s")
    assert leased.value == "Да" and ws["G3"].value == "Нет"
    assert status.value == "В эксплуатации"
    assert ws["E3"].value is None


def test_formula_like_text_stays_text():
    nasty = ["=1+1", "+79123456789", "-5", "@SUM(A1)", "\tabc", "\rabc", "=HYPERLINK(\"http://x\")"]
    _, buf = build([(s,) for s in nasty], [Column("v", "Значение")])
    ws = load(buf)
    for row, expected in enumerate(nasty, start=2):
        cell = ws.cell(row, 1)
        assert cell.data_type == "s", expected
        # xlsxwriter stores CR as the OOXML escape _x000D_; Excel decodes it, openpyxl does not.
        assert unescape(cell.value) == expected
        assert cell.quotePrefix  # stays text even after the user edits the cell
    assert looks_like_formula("-5") and not looks_like_formula("5-")


def test_write_cell_without_formats_uses_plain_types():
    buf = io.BytesIO()
    wb = open_workbook(buf)
    ws = wb.add_worksheet()
    for col, value in enumerate(["=1+1", True, 12345678901234567890, D("1.5"), 7]):
        write_cell(ws, 0, col, value)
    wb.close()
    a, b, c, d, e = load(buf)[1]
    assert (a.value, a.data_type) == ("=1+1", "s")
    assert b.value == "Да"
    assert (c.value, c.data_type) == ("12345678901234567890", "s")  # beyond 15 digits Excel would round
    assert (d.value, e.value) == (1.5, 7)


def test_yes_no_words_are_configurable():
    buf = io.BytesIO()
    wb = open_workbook(buf)
    formats = Formats(wb, yes="Yes", no="No")
    write_table(wb, "s", [Column("b", "B", "bool")], [(True,), (False,)], formats)
    wb.close()
    ws = load(buf)
    assert [ws["A2"].value, ws["A3"].value] == ["Yes", "No"]


def test_totals_are_subtotal_with_exact_decimal_cache():
    rows = [("x", D("0.10")) for _ in range(10_000)] + [("y", D("0.20")), ("z", None), ("w", 0.1)]
    columns = [Column("n", "Наименование"), Column("p", "Стоимость", "money")]
    count, buf = build(rows, columns)
    assert count == 10_003
    total_row = 10_003 + 2

    ws = load(buf)
    assert ws.cell(total_row, 1).value == "Итого"
    assert ws.cell(total_row, 2).value == f"=SUBTOTAL(109,B2:B{total_row - 1})"
    assert ws.cell(total_row, 2).number_format == MONEY_FORMAT

    cached = load(buf, data_only=True).cell(total_row, 2).value
    assert D(str(cached)) == D("1000.30")  # a float sum would give 1000.3000000001…
    assert sum([0.10] * 10_000) != 1000.0  # the trap the Decimal sum avoids


def test_frozen_header_and_autofilter():
    _, buf = build(ROWS)
    ws = load(buf)
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:H3"  # header + data, not the totals row

    _, buf = build(ROWS, title="Основные средства на 28.11.2026")
    ws = load(buf)
    assert ws["A1"].value == "Основные средства на 28.11.2026"
    assert ws["A2"].value == "Наименование"
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref == "A2:H4"
    assert ws["D5"].value == "=SUBTOTAL(109,D3:D4)"


def test_empty_table_has_header_and_no_totals():
    count, buf = build(iter(()))
    assert count == 0
    ws = load(buf)
    assert ws.max_row == 1
    assert ws.auto_filter.ref == "A1:H1"


def test_column_widths_fit_content_and_respect_explicit_width():
    columns = [Column("a", "Наименование"), Column("b", "Б", width=30), Column("c", "В")]
    long = "Очень длинное наименование объекта"
    # widths are set after rows were streamed: must still land in constant_memory mode
    _, buf = build([(long, "x", "y" * 200)], columns)
    dims = load(buf).column_dimensions
    assert dims["A"].width >= len(long)
    assert dims["B"].width == pytest.approx(30, abs=1)
    assert dims["C"].width == pytest.approx(60, abs=1)  # capped at MAX_WIDTH


def test_row_length_mismatch_fails_loudly():
    with pytest.raises(ValueError):
        build([("only one value",)])


def test_generator_of_50000_rows():
    columns = [Column("i", "№", "int"), Column("n", "Наименование"), Column("p", "Сумма", "money")]

    def rows():
        for i in range(50_000):
            yield (i, f"Объект {i}", D("1.01"))

    count, buf = build(rows(), columns)
    assert count == 50_000
    ws = openpyxl.load_workbook(buf, read_only=True, data_only=True).active
    last = list(ws.iter_rows(min_row=50_001, max_row=50_002, values_only=True))
    assert last[0] == (49_999, "Объект 49999", 1.01)
    assert D(str(last[1][2])) == D("50500.00")


def test_sheet_names_are_sanitised_and_unique():
    assert sheet_name("Отчёт [1/2]: итоги?") == "Отчёт  1 2   итоги"
    assert len(sheet_name("Ж" * 40)) == 31
    assert sheet_name("Лист", ["лист"]) == "Лист (2)"
    assert sheet_name("'x'") == "x"
    assert sheet_name("History") == "History (2)"
    buf = io.BytesIO()
    wb = open_workbook(buf)
    formats = Formats(wb)
    for _ in range(2):
        write_table(wb, "Основные средства: 2026/11", [Column("a", "A")], [("x",)], formats)
    wb.close()
    buf.seek(0)
    assert openpyxl.load_workbook(buf).sheetnames == ["Основные средства  2026 11", "Основные средства  2026 11 (2)"]


def test_content_disposition_cyrillic():
    name = "Основные_средства_2026-11-28.xlsx"
    header = content_disposition(name)
    assert header.isascii()
    assert header.startswith('attachment; filename="')
    fallback = header.split('filename="')[1].split('"')[0]
    assert fallback.isascii() and fallback.endswith(".xlsx") and fallback.strip("._")
    encoded = header.split("filename*=UTF-8''")[1]
    assert unquote(encoded) == name
    assert " " not in encoded and ";" not in encoded


def test_content_disposition_ascii_and_quotes():
    assert content_disposition("report.xlsx") == (
        "attachment; filename=\"report.xlsx\"; filename*=UTF-8''report.xlsx"
    )
    header = content_disposition('a"b;c.xlsx')
    assert '"a_b_c.xlsx"' in header
    assert unquote(header.split("''")[1]) == 'a"b;c.xlsx'


def test_export_filename():
    assert export_filename("Основные средства", date(2026, 11, 28)) == "Основные_средства_2026-11-28.xlsx"
    assert export_filename(' Акт  "ОС-1" / форма?: ', date(2026, 1, 2)) == "Акт_ОС-1_форма_2026-01-02.xlsx"
    assert export_filename("", date(2026, 1, 2)) == "2026-01-02.xlsx"


def test_workbook_chunks_yields_valid_xlsx_and_cleans_up():
    def fill(wb, formats):
        write_table(wb, "Данные", [Column("a", "A", "int")], ((i,) for i in range(20_000)), formats)

    chunks = workbook_chunks(fill, chunk_size=4096)
    spool = chunks.gi_frame.f_locals["spool"]
    data = b"".join(chunks)
    assert spool.closed
    assert len(data) > 4096
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert ws["A20001"].value == 19_999

    early = workbook_chunks(fill, chunk_size=1024)
    spool = early.gi_frame.f_locals["spool"]
    next(early)
    early.close()  # consumer gone after the first chunk
    assert spool.closed


def test_workbook_chunks_raises_before_streaming():
    def fill(wb, formats):
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        workbook_chunks(fill)


def test_fast_row_path_is_used_with_the_installed_xlsxwriter():
    """Within the xlsxwriter range pyproject.toml allows (.ci/run tests the lowest and the highest),
    the fast path must be taken, not silently replaced by the portable one."""
    import xlsxwriter

    from reports import workbook

    fast = workbook._fast_rows()
    assert fast is not None, f"reports/xlsx_rows.py does not import with xlsxwriter {xlsxwriter.__version__}"
    wb = open_workbook(io.BytesIO())
    assert fast.can_stream(wb.add_worksheet()), xlsxwriter.__version__
    assert not fast.can_stream(open_workbook(io.BytesIO(), constant_memory=False).add_worksheet())


@pytest.mark.parametrize("portable", ["inline strings", "shared strings"])
def test_fast_row_stream_writes_what_write_cell_writes(portable, monkeypatch):
    """constant_memory sheets take the row-stream fast path (reports/xlsx_rows.py); every value must
    read back as the portable cell-by-cell path writes it, in the same mode (inline strings) and in
    the in-memory mode (shared strings)."""

    from reports import workbook

    odd = ["a&b<c>\"", "x_x0041_", "ctl\x01", " lead", "trail ", "=SUM(A1)", "\tx", "\r\nx", "ж" * 40_000, ""]
    columns = [Column("t", "Текст"), Column("m", "Сумма", "money"), Column("i", "Год", "int"),
               Column("d", "Дата", "date"), Column("dt", "Время", "datetime"), Column("b", "Да/нет", "bool"),
               Column("e", "Статус", "enum"), Column("n", "Число", "number")]
    rows = []
    for k, text in enumerate(odd):
        rows.append((text, D("1234.56") if k % 2 else "12,5", 2020 + k if k % 3 else 10**16,
                     date(1900, 1, 1 + k) if k < 3 else date(2026, 2, k + 1),
                     datetime(2026, 3, 1, 12, k, tzinfo=UTC) if k % 2 else datetime(2026, 3, 1, 8, 30),
                     bool(k % 2), Status.ACTIVE if k % 2 else "свободный текст", 1.25 if k % 2 else D("-0.50")))
    rows.append((True, 5, True, None, None, None, None, 7))
    assert workbook._fast_rows() is not None
    _, fast = build(rows, columns, constant_memory=True)
    if portable == "inline strings":
        monkeypatch.setattr(workbook, "_fast_rows", lambda: None)
        _, slow = build(rows, columns, constant_memory=True)
    else:
        _, slow = build(rows, columns, constant_memory=False)
    fast_ws, slow_ws = load(fast), load(slow)
    for fast_row, slow_row in zip(fast_ws.iter_rows(), slow_ws.iter_rows(), strict=True):
        for a, b in zip(fast_row, slow_row, strict=True):
            if portable == "shared strings" and a.coordinate == "A3":
                continue  # shared and inline strings escape "_xHHHH_" differently; Excel decodes both
            assert (a.value, a.data_type, a.number_format, a.quotePrefix, a.font.b) == \
                   (b.value, b.data_type, b.number_format, b.quotePrefix, b.font.b), a.coordinate
    assert fast_ws.dimensions == slow_ws.dimensions
    assert fast_ws.freeze_panes == slow_ws.freeze_panes and fast_ws.auto_filter.ref == slow_ws.auto_filter.ref
    # shared strings (the portable in-memory path) leave a literal "_x0041_" unescaped, so Excel would
    # show "xA"; inline strings escape it, as Excel does
    assert fast_ws["A3"].value == "x_x005F_x0041_" and unescape(fast_ws["A3"].value) == "x_x0041_"
