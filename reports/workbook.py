"""The one xlsxwriter layer every workbook of the panel goes through.

Knows nothing of Flask, HTTP requests or SQLAlchemy: callers hand in already
translated headers and plain Python values (str, numbers, Decimal, dates,
enums, None).
"""

from __future__ import annotations

import enum
import functools
import itertools
import math
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from collections.abc import Callable, Iterable, Iterator, Sequence
from urllib.parse import quote

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

MONEY_FORMAT = '#,##0.00\\ "₽"'  # Excel's own ru-RU currency format; LibreOffice reads it too
DATE_FORMAT = "dd.mm.yyyy"
DATETIME_FORMAT = "dd.mm.yyyy hh:mm"

KINDS = ("text", "money", "number", "int", "date", "datetime", "time", "bool", "enum")  # a time is written as text
WIDTH_SAMPLE_ROWS = 1000
MAX_WIDTH = 60
CHUNK_SIZE = 64 * 1024

# Leading characters that make Excel/LibreOffice treat typed-in text as a formula
# (OWASP "CSV injection"); tab and CR are included because they are stripped first.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
_FILENAME_BAD = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')


def looks_like_formula(text: str) -> bool:
    """True if a spreadsheet would read ``text`` as a formula when typed in."""
    return text.startswith(_FORMULA_PREFIXES)


def open_workbook(target, constant_memory: bool = True) -> xlsxwriter.Workbook:
    """A workbook writing to a path or a binary file object (e.g. BytesIO).

    With constant_memory rows must be written top to bottom; each finished row is
    flushed to a temp file so RAM stays flat however long the export is.
    """
    return xlsxwriter.Workbook(
        target,
        {
            "constant_memory": constant_memory,
            "in_memory": False,  # True would silently switch constant_memory off
            # write() must never reinterpret text; write_cell uses write_string anyway.
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
            "default_date_format": DATE_FORMAT,
            # An export must not crash on an aware datetime or a NaN; callers
            # convert to local time before handing values in.
            "remove_timezone": True,
            "nan_inf_to_errors": True,
        },
    )


class Formats:
    """The shared cell formats of one workbook (xlsxwriter formats are per workbook)."""

    def __init__(self, workbook: xlsxwriter.Workbook, *, yes: str = "Да", no: str = "Нет"):
        add = workbook.add_format
        self.yes, self.no = yes, no
        self.title = add({"bold": True, "font_size": 14})
        self.header = add(
            {"bold": True, "border": 1, "text_wrap": True, "valign": "top", "bg_color": "#D9D9D9"}
        )
        self.text = add({})
        # quotePrefix keeps formula-like text as text even after the user edits the cell.
        self.quoted = add({"quote_prefix": True})
        self.money = add({"num_format": MONEY_FORMAT})
        self.number = add({"num_format": "#,##0.00"})
        self.integer = add({"num_format": "0"})
        self.date = add({"num_format": DATE_FORMAT})
        self.datetime = add({"num_format": DATETIME_FORMAT})
        self.bold = add({"bold": True})
        self.total_label = add({"bold": True, "top": 1})
        self.total_money = add({"bold": True, "top": 1, "num_format": MONEY_FORMAT})

    def for_kind(self, kind: str):
        """Column format for a Column.kind; None lets write_cell pick by value type."""
        return {
            "money": self.money,
            "number": self.number,
            "int": self.integer,
            "date": self.date,
            "datetime": self.datetime,
        }.get(kind)


def write_cell(ws, row: int, col: int, value: Any, fmt=None, formats: Formats | None = None) -> None:
    """Write one value with the cell type matching its Python type.

    Text always goes through write_string, so "=1+1", "+7 912…", "-5", "0012"
    stay text cells. Order of checks matters: bool and IntEnum are ints,
    StrEnum is str, datetime is a date.
    """
    f = formats
    if value is None:
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, enum.Enum):
        label = getattr(value, "label", None)
        _write_text(ws, row, col, str(label if label is not None else value.value), fmt, f)
    elif isinstance(value, bool):
        yes, no = (f.yes, f.no) if f else ("Да", "Нет")
        _write_text(ws, row, col, yes if value else no, fmt, f)
    elif isinstance(value, int) and abs(value) >= 10**15:
        # Excel keeps 15 significant digits: long account numbers would be mangled.
        _write_text(ws, row, col, str(value), fmt, f)
    elif isinstance(value, (int, float)):
        ws.write_number(row, col, value, fmt)
    elif isinstance(value, Decimal):
        ws.write_number(row, col, float(value), fmt or (f and f.money))
    elif isinstance(value, datetime):
        ws.write_datetime(row, col, value, fmt or (f and f.datetime))
    elif isinstance(value, date):
        ws.write_datetime(row, col, value, fmt or (f and f.date))
    else:
        _write_text(ws, row, col, str(value), fmt, f)


def _write_text(ws, row, col, text, fmt, formats):
    if fmt is None and formats is not None:
        fmt = formats.quoted if looks_like_formula(text) else formats.text
    ws.write_string(row, col, text, fmt)


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # already translated by the caller
    kind: str = "text"
    width: float | None = None  # None: fit the content

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")


def sheet_name(name: str, taken: Iterable[str] = ()) -> str:
    """An Excel-valid sheet name: <=31 UTF-16 units, no []:*?/\\, unique ignoring case."""
    base = _SHEET_NAME_BAD.sub(" ", name)
    taken = {t.lower() for t in taken} | {"history"}  # "History" is reserved by Excel
    for n in itertools.count(1):
        suffix = f" ({n})" if n > 1 else ""
        # Excel also rejects a leading/trailing apostrophe.
        candidate = (_fit_utf16(base, 31 - len(suffix)).strip("' ") or "Лист") + suffix
        if candidate.lower() not in taken:
            return candidate


def _fit_utf16(text: str, limit: int) -> str:
    while len(text.encode("utf-16-le")) // 2 > limit:
        text = text[:-1]
    return text


def _display_len(value: Any, kind: str, formats: Formats) -> int:
    """Approximate shown width of a value, for column auto-width."""
    if value is None:
        return 0
    if isinstance(value, enum.Enum):
        label = getattr(value, "label", None)
        text = str(label if label is not None else value.value)
    elif isinstance(value, bool):
        text = formats.yes if value else formats.no
    elif isinstance(value, datetime):
        return 16
    elif isinstance(value, date):
        return 10
    elif isinstance(value, Decimal) or (kind in ("money", "number") and isinstance(value, (int, float))):
        text = f"{float(value):,.2f} ₽"
    else:
        text = str(value)
    return max((len(line) for line in text.splitlines()), default=0)


def _as_decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return None
    # str() so that a float 0.1 sums as 0.1, not 0.1000000000000000055…
    return value if isinstance(value, Decimal) else Decimal(str(value))


def write_table(
    workbook: xlsxwriter.Workbook,
    sheet: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    formats: Formats,
    *,
    title: str | None = None,
    totals_label: str = "Итого",
    preamble: Sequence[str] = (),
) -> int:
    """Stream ``rows`` (one value per column, in column order) into a new sheet.

    Layout: optional title line and preamble lines (the institution, the parameters), frozen bold
    header with autofilter, data, and a SUBTOTAL(109, …) row under every money column so totals
    follow the accountant's filters in Excel. Printed on A4, landscape, one page wide with the
    header repeated on every page. Returns the number of data rows written.
    """
    ws = workbook.add_worksheet(sheet_name(sheet, workbook.sheetnames))
    header_row = (1 if title else 0) + len(preamble)
    first = header_row + 1
    # Rows top to bottom (constant memory): the title, then the preamble, then the header.
    if title:
        ws.write_string(0, 0, title, formats.title)
    for n, line in enumerate(preamble):
        ws.write_string((1 if title else 0) + n, 0, line)
    # Header cells wrap at their longest word (or the set width): give the row every line it needs.
    lines = max((math.ceil(len(column.header) / max(column.width or 0,
                                                     max((len(w) for w in column.header.split()), default=1) + 2))
                 for column in columns), default=1)
    if lines > 1:
        ws.set_row(header_row, 15 * lines)
    for c, column in enumerate(columns):
        ws.write_string(header_row, c, column.header, formats.header)
    ws.freeze_panes(first, 0)

    col_formats = [formats.for_kind(column.kind) for column in columns]
    # Header cells wrap, so only their longest word has to fit.
    widths = [max((len(w) for w in column.header.split()), default=0) for column in columns]
    money = [c for c, column in enumerate(columns) if column.kind == "money"]
    totals = {c: Decimal(0) for c in money}

    accounted = _accounted(rows, columns, formats, widths, totals)
    fast = _fast_rows()
    if fast is not None and fast.can_stream(ws):
        kinds = [column.kind for column in columns]
        count = fast.RowStream(ws, kinds, col_formats, formats, first, _FORMULA_PREFIXES).write(accounted)
    else:
        count = _write_rows_cell_by_cell(ws, col_formats, formats, first, accounted)

    if count:
        last = first + count - 1
        r = last + 1
        if money:
            label_col = next((c for c in range(len(columns)) if c not in totals), None)
            if label_col is not None:
                ws.write_string(r, label_col, totals_label, formats.total_label)
            for c, total in totals.items():
                letter = xl_col_to_name(c)
                ws.write_formula(
                    r, c, f"=SUBTOTAL(109,{letter}{first + 1}:{letter}{last + 1})",
                    formats.total_money, float(total),  # cached result for non-recalculating readers
                )
        ws.autofilter(header_row, 0, last, len(columns) - 1)
    else:
        ws.autofilter(header_row, 0, header_row, len(columns) - 1)

    # <cols> is assembled at close(), so widths may be set after streaming rows,
    # even in constant_memory mode.
    for c, column in enumerate(columns):
        width = column.width if column.width is not None else min(widths[c] + 2, MAX_WIDTH)
        ws.set_column(c, c, width)
    print_setup(ws, header_row)
    return count


def print_setup(ws, header_row: int | None, *, landscape: bool = True) -> None:
    """A4, one page wide (as many pages tall as needed), the header row repeated on every page:
    no printout splits its columns across page sets."""
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_paper(9)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    ws.fit_to_pages(1, 0)
    if header_row is not None:
        ws.repeat_rows(header_row)


def _accounted(rows, columns, formats, widths, totals) -> Iterator[Sequence[Any]]:
    """``rows`` as they are written, measuring column widths (first rows) and summing money columns."""
    money = list(totals)
    for count, values in enumerate(rows, start=1):
        if count <= WIDTH_SAMPLE_ROWS:
            # strict: a row with a missing/extra value is a caller bug, not a silent shift.
            for c, (column, value) in enumerate(zip(columns, values, strict=True)):
                widths[c] = max(widths[c], _display_len(value, column.kind, formats))
        for c in money:
            amount = values[c]
            if amount is not None:
                totals[c] += amount if amount.__class__ is Decimal else (_as_decimal(amount) or 0)
        yield values


def _write_rows_cell_by_cell(ws, col_formats, formats, first, rows) -> int:
    """The portable path (any worksheet mode, public API only): one write_cell per value."""
    count = 0
    for count, values in enumerate(rows, start=1):
        if len(values) != len(col_formats):  # a caller bug, not a silent shift
            raise ValueError(f"row {count} has {len(values)} values for {len(col_formats)} columns")
        r = first + count - 1
        for c, value in enumerate(values):
            write_cell(ws, r, c, value, col_formats[c], formats)
    return count


@functools.cache
def _fast_rows():
    """reports.xlsx_rows, or None when this xlsxwriter lacks the internals it writes through."""
    try:
        from reports import xlsx_rows
    except (ImportError, AttributeError):
        return None
    return xlsx_rows


def content_disposition(filename: str) -> str:
    """``attachment`` header value with an ASCII fallback and an RFC 5987 UTF-8 name.

    Werkzeug builds the same thing only inline in send_file (no public helper),
    so this mirrors it: same NFKD fallback, same RFC 5987 attr-char safe set.
    """
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "_", ascii_name)
    stem, dot, ext = ascii_name.rpartition(".")
    if dot and not stem.strip("._"):
        ascii_name = f"export.{ext}"  # an all-Cyrillic name leaves nothing readable
    ascii_name = ascii_name.strip("_") or "export"
    quoted = quote(filename, safe="!#$&+-.^_`|~")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quoted}"


def export_filename(title: str, day: date, ext: str = "xlsx") -> str:
    """``"Основные средства"`` → ``"Основные_средства_2026-11-28.xlsx"``."""
    stem = _FILENAME_BAD.sub("", title)
    stem = re.sub(r"\s+", "_", stem.strip()).strip("._")[:100]
    return f"{stem}_{day.isoformat()}.{ext}" if stem else f"{day.isoformat()}.{ext}"


def workbook_chunks(
    fill: Callable[[xlsxwriter.Workbook, Formats], None],
    *,
    chunk_size: int = CHUNK_SIZE,
    **format_options,
) -> Iterator[bytes]:
    """Build a workbook in an anonymous temp file and return an iterator of its bytes.

    xlsxwriter can only emit the zip at close(), so true row-by-row streaming is
    impossible. The workbook is built *before* this returns, so a failing
    ``fill`` raises here — before any response headers go out — instead of
    truncating a download half way. ``format_options`` (yes=, no=) go to Formats.
    """
    spool = tempfile.TemporaryFile(suffix=".xlsx")  # unlinked on close (no name on POSIX)
    try:
        workbook = open_workbook(spool)
        fill(workbook, Formats(workbook, **format_options))
        workbook.close()
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    return _read_chunks(spool, chunk_size)


def _read_chunks(spool, chunk_size: int) -> Iterator[bytes]:
    # finally runs when the consumer stops early (WSGI close() -> GeneratorExit);
    # if the iterator is dropped unstarted, the file object's finaliser closes it.
    try:
        while chunk := spool.read(chunk_size):
            yield chunk
    finally:
        spool.close()
