"""Reading a clerk's spreadsheet: .xlsx or .csv in, a header row and numbered rows of cell values out.

Knows nothing of the domain. Refusals (too big, not a spreadsheet, empty, password-protected)
raise ImportFileError with a lazy message in the user's language.
"""
import codecs
import csv
import html
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import chain

from flask_babel import lazy_gettext as _l

from models.rules import Refused

from .archive_limits import ArchiveRefused, check_archive

MAX_BYTES = 20 * 1024 * 1024
MAX_ROW_BYTES = 8 * 1024 * 1024  # one row of sheet XML; past it the row never closes (a damaged or hostile file)
HEADER_SEARCH_ROWS = 20  # an export may put a title above the header

# OLE compound file: an encrypted OOXML workbook (Excel wraps it in CFB) or an old .xls.
CFB_SIGNATURE = b"\xd0\xcf\x11\xe0"
ZIP_SIGNATURE = b"PK\x03\x04"


class ImportFileError(Refused):
    """The file cannot be read at all; ``message`` is a lazy string for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    headers: list[str]
    header_row: int  # 1-based row number of the header as the clerk sees it
    rows: Iterator[tuple[int, list]]  # (row number, cell values) after the header, empty rows skipped


def read_table(data: bytes, filename: str = "", score: Callable[[list], int] | None = None) -> Table:
    """Open ``data`` as .xlsx or .csv (decided by content, not by the name) and find its header row.

    ``score(cells)`` says how many cells of a row are known column headers; the best-scoring row among
    the first few non-empty ones is the header (so a title line above it is skipped).
    """
    if not data:
        raise ImportFileError(_l("The file is empty."))
    if len(data) > MAX_BYTES:
        raise ImportFileError(_l("The file is larger than 20 MB; split it into several files."))
    if data.startswith(CFB_SIGNATURE):
        raise ImportFileError(_l("The file is password-protected or is an old Excel 97–2003 workbook (.xls). "
                                 "Remove the password or save it as .xlsx and upload it again."))
    rows = _xlsx_rows(data) if data.startswith(ZIP_SIGNATURE) else _csv_rows(data)
    return _with_header(rows, score or (lambda cells: 0))  # no score: the first non-empty row


def _with_header(rows: Iterator[tuple[int, list]], score) -> Table:
    head = []
    for item in rows:
        head.append(item)
        if len(head) >= HEADER_SEARCH_ROWS:
            break
    if not head:
        raise ImportFileError(_l("The file has no rows."))
    best = max(range(len(head)), key=lambda i: (score(head[i][1]), -i))
    if score(head[best][1]) == 0:
        best = 0
    number, cells = head[best]
    headers = ["" if c is None else re.sub(r"\s+", " ", str(c)).strip() for c in cells]
    while headers and not headers[-1]:
        headers.pop()
    return Table(headers=headers, header_row=number, rows=chain(head[best + 1:], rows))


def _blank(cells) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


# xlsx ---------------------------------------------------------------------------------------------

def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list]]:
    try:
        check_archive(data)  # before anything is inflated: sizes, ratio, parts
    except ArchiveRefused as exc:
        raise ImportFileError(exc.message) from None
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        merges = _merged_ranges(workbook, sheet)
    except Exception:  # a zip that is no workbook: docx, a damaged file…
        raise ImportFileError(_l("The file is not an Excel workbook (.xlsx) or a CSV file.")) from None
    return _xlsx_iter(workbook, sheet, merges)


# One pass over the sheet XML: a row start, or a whole cell (its body is short, so the lazy match is cheap).
_TOKEN = re.compile(rb"<(?:\w+:)?(?:row\b([^>]*)>|c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>))", re.S)
_ATTR = re.compile(rb'\b([rts])="([^"]*)"')
_VALUE = re.compile(rb"<(?:\w+:)?v>(.*?)</(?:\w+:)?v>", re.S)
_TEXT = re.compile(rb"<(?:\w+:)?t(?:\s[^>]*)?>(.*?)</(?:\w+:)?t>", re.S)
_PHONETIC = re.compile(rb"<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>", re.S)
_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _xml_text(raw: bytes) -> str:
    text = raw.decode("utf-8")
    if "&" in text:
        text = html.unescape(text)
    if "_x" in text:
        text = _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    return text


def _column_index(ref: bytes) -> int:
    index = 0
    for ch in ref:
        if 65 <= ch <= 90:
            index = index * 26 + ch - 64
        else:
            break
    return index


def _fast_rows(workbook, sheet):
    """Rows of a sheet as cell values, read straight from its XML.

    openpyxl's read-only reader builds an object per inline string (xlsxwriter's constant_memory
    writes every text cell inline) and is several times slower; this keeps its conventions:
    shared strings, cached formula results, date styles → datetime, booleans, errors as their text.
    """
    from openpyxl.utils.datetime import from_excel

    strings = sheet._shared_strings
    date_styles = workbook._date_formats
    epoch = workbook.epoch
    tail = b""
    row_counter = 0
    with workbook._archive.open(sheet._worksheet_path) as fh:
        while True:
            chunk = fh.read(1 << 22)
            data = tail + chunk
            end = data.rfind(b"</row>") if chunk else len(data)
            if end < 0:
                tail = data
                if len(tail) > MAX_ROW_BYTES:
                    raise ImportFileError(_l("A row of the sheet never ends (the file is damaged); it can't be "
                                             "imported."))
                continue
            if chunk:
                end += len(b"</row>")
            tail = data[end:]
            cells = None
            for match in _TOKEN.finditer(data, 0, end):
                row_attrs, cell_attrs, body = match.groups()
                body = body or b""
                if row_attrs is not None:  # a <row …> starts
                    if cells is not None:
                        yield row_counter, cells
                    attrs = dict(_ATTR.findall(row_attrs))
                    row_counter = int(attrs[b"r"]) if b"r" in attrs else row_counter + 1
                    cells, col = [], 0
                    continue
                if cells is None:
                    continue
                cattrs = dict(_ATTR.findall(cell_attrs))
                col = _column_index(cattrs[b"r"]) if b"r" in cattrs else col + 1
                kind = cattrs.get(b"t", b"n")
                if kind == b"inlineStr":
                    value = "".join(_xml_text(t) for t in _TEXT.findall(_PHONETIC.sub(b"", body))) or None
                else:
                    found = _VALUE.search(body) if body else None
                    value = None if found is None else found.group(1)
                    if value is not None:
                        if kind == b"s":
                            value = strings[int(value)]
                            value = value if isinstance(value, str) else str(value)
                        elif kind == b"b":
                            value = value.strip() == b"1"
                        elif kind in (b"str", b"e", b"d"):
                            value = _xml_text(value)
                        else:
                            number = float(value) if (b"." in value or b"E" in value or b"e" in value) else int(value)
                            style = int(cattrs.get(b"s", 0) or 0)
                            if style in date_styles:
                                try:
                                    number = from_excel(number, epoch)
                                except (OverflowError, ValueError):
                                    number = "#VALUE!"
                            value = number
                if len(cells) < col - 1:
                    cells.extend([None] * (col - 1 - len(cells)))
                cells.append(value)
            if cells is not None:
                yield row_counter, cells
            if not chunk:
                break


def _xlsx_iter(workbook, sheet, merges):
    by_row: dict[int, list] = {}
    for merge in merges:
        for r in range(merge[0], merge[2] + 1):
            by_row.setdefault(r, []).append(merge)
    top_left: dict[tuple, object] = {}
    try:
        for number, cells in _fast_rows(workbook, sheet):
            for min_row, min_col, max_row, max_col in by_row.get(number, ()):
                # A merged range shows its top-left value in every cell it covers.
                key = (min_row, min_col, max_row, max_col)
                if number == min_row:
                    top_left[key] = cells[min_col - 1] if min_col <= len(cells) else None
                if len(cells) < max_col:
                    cells.extend([None] * (max_col - len(cells)))
                for c in range(min_col - 1, max_col):
                    cells[c] = top_left.get(key)
            if not _blank(cells):
                yield number, cells
    except ImportFileError:
        raise
    except Exception:  # noqa: BLE001 - damaged internals: a shared string that isn't there, a number that isn't one…
        raise ImportFileError(_l("The workbook is damaged (its sheet can't be read); save it again in Excel "
                                 "and upload it.")) from None
    finally:
        workbook.close()


_MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+\d+):([A-Z]+\d+)"')


def _merged_ranges(workbook, sheet) -> list[tuple[int, int, int, int]]:
    """Merged ranges of a read-only sheet (openpyxl skips them there): scan the sheet XML for <mergeCell>."""
    from openpyxl.utils.cell import coordinate_from_string, column_index_from_string

    path = getattr(sheet, "_worksheet_path", None)
    if not path:
        return []
    found = []
    tail = b""
    with workbook._archive.open(path) as fh:  # streamed: the sheet XML can be large
        while chunk := fh.read(1 << 20):
            text = tail + chunk
            for match in _MERGE_REF.finditer(text):
                (c1, r1), (c2, r2) = (coordinate_from_string(m.decode()) for m in match.groups())
                found.append((r1, column_index_from_string(c1), r2, column_index_from_string(c2)))
            tail = text[-200:]  # a tag cut between chunks is matched next time; the set drops repeats
    return sorted(set(found))


# csv ----------------------------------------------------------------------------------------------

def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return codecs.decode(data, encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_l("The file is not an Excel workbook (.xlsx) or a CSV file."))


def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13))
    return controls > len(sample) // 100


def _delimiter(text: str) -> str:
    """``;`` or ``,`` (or tab): whichever occurs most outside quotes in the first line."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: 0 for d in ";,\t"}
    quoted = False
    for ch in first:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda d: (counts[d], d == ";"))
    return best if counts[best] else ";"


def _csv_rows(data: bytes) -> Iterator[tuple[int, list]]:
    if _looks_binary(data):
        raise ImportFileError(_l("The file is not an Excel workbook (.xlsx) or a CSV file."))
    text = _decode(data)
    if not text.strip():
        raise ImportFileError(_l("The file is empty."))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))

    def rows():
        try:
            # numbered by record, as Excel shows a CSV (a quoted cell may span lines)
            for number, cells in enumerate(reader, start=1):
                if not _blank(cells):
                    yield number, [c.strip() for c in cells]
        except csv.Error:
            raise ImportFileError(_l("The CSV file is malformed (an unclosed quote?).")) from None

    return rows()
