"""Reading a clerk's file: .xlsx, .xlsm, .xls, .ods (one reader, python-calamine) or text (.csv, .txt) in
UTF-8 with or without BOM, Windows-1251 or UTF-16, separated by «;», «,» or tab.

Knows nothing of the domain: a file is a list of sheets, and a sheet numbered rows of cell values
(1-based row numbers as the clerk sees them, blank rows left out, merged ranges showing their value in
every cell they cover, formulas by their cached values). Refusals (too big, not a spreadsheet, empty,
password-protected) raise ImportFileError with a lazy message in the user's language.
"""
import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from models.rules import Refused

from .archive_limits import ArchiveRefused, check_archive

MAX_BYTES = 20 * 1024 * 1024
ACCEPTED = ".xlsx,.xlsm,.xls,.ods,.csv,.txt"  # what the file picker offers

# OLE compound file: an old .xls, or an encrypted OOXML workbook (Excel wraps it in CFB).
CFB_SIGNATURE = b"\xd0\xcf\x11\xe0"
ZIP_SIGNATURE = b"PK\x03\x04"
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"

NOT_A_SPREADSHEET = _l("The file is not a spreadsheet (.xlsx, .xls, .ods) or a text file (.csv).")
PASSWORD = _l("The file is password-protected. Remove the password and upload it again.")


class ImportFileError(Refused):
    """The file cannot be read at all; ``message`` is a lazy string for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class Uncalculated:
    """A formula cell saved without its calculated value (written by a program, never opened in Excel)."""

    def __repr__(self):
        return "UNCALCULATED"


UNCALCULATED = Uncalculated()


@dataclass
class SpreadsheetFile:
    kind: str  # xlsx, xls, ods, text
    sheets: list[str]  # names of the visible worksheets; one "" for a text file
    _reader: object = field(repr=False, default=None)

    def rows(self, sheet: str) -> Iterator[tuple[int, list]]:
        """(row number, cells) of a sheet, blank rows skipped."""
        return self._reader(sheet)

    def head(self, sheet: str, count: int) -> list[tuple[int, list]]:
        found = []
        for item in self.rows(sheet):
            found.append(item)
            if len(found) >= count:
                break
        return found


def open_file(data: bytes) -> SpreadsheetFile:
    """Open ``data`` as a workbook or a text table, decided by its content, not by its name."""
    if not data:
        raise ImportFileError(_l("The file is empty."))
    if len(data) > MAX_BYTES:
        raise ImportFileError(_l("The file is larger than 20 MB; split it into several files."))
    if data.startswith(CFB_SIGNATURE):
        if ENCRYPTED_PACKAGE in data:
            raise ImportFileError(PASSWORD)
        return _workbook(data, "xls")
    if data.startswith(ZIP_SIGNATURE):
        try:
            check_archive(data)  # before anything is inflated: parts, sizes, packing, unclosed cells
        except ArchiveRefused as exc:
            raise ImportFileError(exc.message) from None
        return _workbook(data, "ods" if ODS_MIMETYPE in data[:200] else "xlsx")
    return _text(data)


# Workbooks ----------------------------------------------------------------------------------------

def _workbook(data: bytes, kind: str) -> SpreadsheetFile:
    from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except PasswordError:
        raise ImportFileError(PASSWORD) from None
    except Exception:  # a zip that is no workbook (docx), a damaged file, calamine's own errors…
        raise ImportFileError(NOT_A_SPREADSHEET) from None
    worksheets = [m.name for m in book.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
    visible = [m.name for m in book.sheets_metadata
               if m.typ == SheetTypeEnum.WorkSheet and m.visible == SheetVisibleEnum.Visible]
    sheets = visible or worksheets
    if not sheets:
        raise ImportFileError(NOT_A_SPREADSHEET)
    uncalculated = _UncalculatedFormulas(data) if kind == "xlsx" else None
    loaded = {}  # calamine reads a whole sheet at once: once per file, not once per look

    def rows(name):
        try:
            if name not in loaded:
                loaded[name] = book.get_sheet_by_name(name)
            sheet = loaded[name]
            missing = uncalculated.of(name) if uncalculated else {}
            yield from _sheet_rows(sheet, missing)
        except ImportFileError:
            raise
        except Exception:
            raise ImportFileError(NOT_A_SPREADSHEET) from None

    return SpreadsheetFile(kind=kind, sheets=sheets, _reader=rows)


def _sheet_rows(sheet, uncalculated: dict[int, set[int]]) -> Iterator[tuple[int, list]]:
    start = sheet.start
    if start is None:
        return
    first_row, first_col = start
    by_row: dict[int, list] = {}
    for (r1, c1), (r2, c2) in sheet.merged_cell_ranges or ():
        for r in range(r1, r2 + 1):
            by_row.setdefault(r, []).append((r1, c1, r2, c2))
    top_left: dict[tuple, object] = {}
    pad = [None] * first_col
    for index, cells in enumerate(sheet.iter_rows()):
        row = first_row + index  # 0-based
        if first_col:
            cells = pad + cells
        for r1, c1, r2, c2 in by_row.get(row, ()):
            # A merged range shows its top-left value in every cell it covers.
            key = (r1, c1, r2, c2)
            if row == r1:
                top_left[key] = cells[c1] if c1 < len(cells) else None
            if len(cells) <= c2:
                cells.extend([None] * (c2 + 1 - len(cells)))
            for c in range(c1, c2 + 1):
                cells[c] = top_left.get(key)
        for c in uncalculated.get(row + 1, ()):
            if c >= len(cells):
                cells.extend([None] * (c + 1 - len(cells)))
            if cells[c] in (None, ""):
                cells[c] = UNCALCULATED
        if not _blank(cells):
            yield row + 1, cells


def _blank(cells) -> bool:
    for c in cells:
        if c is not None and c != "" and not (isinstance(c, str) and not c.strip()):
            return False
    return True


_SHEET = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"')
_SHEET_REVERSED = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\br:id="([^"]*)"[^>]*?\bname="([^"]*)"')
_REL = re.compile(rb'<Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"')
_REL_REVERSED = re.compile(rb'<Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"')
_CELL_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')


class _UncalculatedFormulas:
    """Cells of an .xlsx sheet holding a formula but no cached value (calamine reads them as empty).

    Only the sheet XML tells: a ``<c>`` with an ``<f>`` and no ``<v>``. Formulas are few in a clerk's
    file, so the scan looks only around each ``<f``.
    """

    def __init__(self, data: bytes):
        self.data = data

    def of(self, sheet_name: str) -> dict[int, set[int]]:
        import html

        try:
            with zipfile.ZipFile(io.BytesIO(self.data)) as archive:
                workbook = archive.read("xl/workbook.xml")
                rels = archive.read("xl/_rels/workbook.xml.rels")
                ids = {html.unescape(n.decode()): i for n, i in _SHEET.findall(workbook)}
                ids.update({html.unescape(n.decode()): i for i, n in _SHEET_REVERSED.findall(workbook)})
                targets = dict(_REL.findall(rels))
                targets.update({i: t for t, i in _REL_REVERSED.findall(rels)})
                target = targets.get(ids.get(sheet_name, b""), b"").decode()
                if not target:
                    return {}
                path = target.lstrip("/") if target.startswith("/") else "xl/" + target
                xml = archive.read(path)
        except (KeyError, zipfile.BadZipFile):
            return {}
        found: dict[int, set[int]] = {}
        position = xml.find(b"<f")
        while position >= 0:
            following = xml[position + 2:position + 3]
            if following in (b">", b" ", b"/"):
                start = xml.rfind(b"<c ", 0, position)
                end = xml.find(b"</c>", position)
                cell = xml[start:end]
                value = re.search(rb"<v>(.*?)</v>", cell, re.S)
                if value is None or not value.group(1).strip():
                    ref = _CELL_REF.search(xml, start, xml.find(b">", start))
                    if ref:
                        column = 0
                        for ch in ref.group(1):
                            column = column * 26 + ch - 64
                        found.setdefault(int(ref.group(2)), set()).add(column - 1)
                position = xml.find(b"<f", end if end > position else position + 2)
            else:
                position = xml.find(b"<f", position + 2)
        return found


# Text ---------------------------------------------------------------------------------------------

def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 (Excel's «Unicode text», 1С) or Windows-1251."""
    if data.startswith(codecs.BOM_UTF8):
        encodings = ("utf-8-sig",)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)
    elif _utf16_without_bom(data[:400], 1):
        encodings = ("utf-16-le",)  # no BOM: every other byte is 0x00 (Latin) or 0x04 (Cyrillic)
    elif _utf16_without_bom(data[:400], 0):
        encodings = ("utf-16-be",)
    else:
        encodings = ("utf-8", "cp1251")
    for encoding in encodings:
        try:
            return codecs.decode(data, encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(NOT_A_SPREADSHEET)


def _utf16_without_bom(sample: bytes, high: int) -> bool:
    highs, lows = sample[high::2], sample[1 - high::2]
    if len(highs) < 2:
        return False
    return sum(b in (0, 4) for b in highs) > 0.7 * len(highs) and sum(b in (0, 4) for b in lows) < 0.3 * len(lows)


def _looks_binary(text: str) -> bool:
    sample = text[:65536]
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\n\r")
    return "\x00" in sample or controls > len(sample) // 100


def _delimiter(text: str) -> str:
    """«;», tab or «,»: the one found the same number of times (outside quotes) on most of the first lines."""
    lines = [line for line in text.splitlines()[:50] if line.strip()][:20]
    best, best_score = ";", 0
    for delimiter in ";\t,":
        counts = []
        for line in lines:
            n, quoted = 0, False
            for ch in line:
                if ch == '"':
                    quoted = not quoted
                elif not quoted and ch == delimiter:
                    n += 1
            if n:
                counts.append(n)
        if not counts:
            continue
        mode = max(set(counts), key=lambda c: (counts.count(c), c))
        score = counts.count(mode) * mode
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _text(data: bytes) -> SpreadsheetFile:
    text = _decode(data)
    if _looks_binary(text):
        raise ImportFileError(NOT_A_SPREADSHEET)
    if not text.strip():
        raise ImportFileError(_l("The file is empty."))
    delimiter = _delimiter(text)

    def rows(_sheet):
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            # numbered by record, as Excel shows a CSV (a quoted cell may span lines)
            for number, cells in enumerate(reader, start=1):
                if not _blank(cells):
                    yield number, [c.strip() for c in cells]
        except csv.Error:
            raise ImportFileError(_l("The CSV file is malformed (an unclosed quote?).")) from None

    return SpreadsheetFile(kind="text", sheets=[""], _reader=rows)
