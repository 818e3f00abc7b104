"""The fast row path of reports/workbook.py: whole rows as ready XML into a constant_memory sheet.

xlsxwriter spends ~4 µs of Python per cell (A1 decorator, a cell tuple, then XML built attribute
by attribute when the row is flushed). A long export is nothing but cells, so whole rows are
written straight into the sheet's own row file, with one encoder per column chosen once from its
kind. The cell XML is exactly what xlsxwriter writes (inline strings, same escapes, same
number/date serials); typing and formula neutralising follow workbook.write_cell.

This leans on xlsxwriter internals (listed in docs/private-api.md), so it lives apart and is
imported lazily: if an xlsxwriter release moves them, importing this module fails (or
``can_stream`` says no) and workbook.py writes cell by cell through the public API instead.
tests/test_report_workbook.py proves both paths give the same cells, on the lowest and the highest
xlsxwriter that pyproject.toml allows (.ci/run runs it on both).
"""

from __future__ import annotations

import enum
import math
from datetime import date, datetime
from decimal import Decimal

from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.xmlwriter import XMLwriter

try:  # renamed with a leading underscore in 3.2.2
    from xlsxwriter.utility import _datetime_to_excel_datetime, _preserve_whitespace
except ImportError:
    from xlsxwriter.utility import datetime_to_excel_datetime as _datetime_to_excel_datetime
    from xlsxwriter.utility import preserve_whitespace as _preserve_whitespace
try:  # 3.3.1 measures the 32767 limit in UTF-16 units, as Excel does; earlier releases in code points
    from xlsxwriter.utility import _utf16_len, _utf16_truncate
except ImportError:
    _utf16_len = len

    def _utf16_truncate(text: str, limit: int) -> str:
        return text[:limit]

_escape_control_characters = XMLwriter._escape_control_characters

_EXCEL_DAY0 = date(1899, 12, 30).toordinal()  # serial 0 once Excel's 1900 leap-year bug is counted
_LEAP_BUG_END = date(1900, 3, 1)
_STR_MAX = 32767
_FRAGMENT_CACHE = 20_000  # distinct values remembered per text column
_SHEET_STATE = ("_write_single_row", "fh", "previous_row", "dim_rowmin", "dim_rowmax", "dim_colmin", "dim_colmax",
                "excel_version")


def can_stream(ws) -> bool:
    """True if ``ws`` is a constant_memory sheet with the internal state this module writes to."""
    return bool(getattr(ws, "constant_memory", False)) and all(hasattr(ws, a) for a in _SHEET_STATE)


def _xf(fmt) -> str:
    index = fmt._get_xf_index() if fmt is not None else 0
    return f' s="{index}"' if index else ""


class RowStream:
    """Writes the data rows of one table; ``formats`` is a workbook.Formats, ``formula_prefixes``
    the leading characters that make a spreadsheet read text as a formula."""

    def __init__(self, ws, kinds, col_formats, formats, first: int, formula_prefixes: tuple[str, ...]):
        self.ws, self.formats, self.first, self.prefixes = ws, formats, first, formula_prefixes
        self.width = len(kinds)
        self.letters = [xl_col_to_name(c) for c in range(len(kinds))]
        self.s_text = _xf(formats.text)
        self.s_quoted = _xf(formats.quoted)
        encoders = [self._encoder(c, kind, col_formats[c]) for c, kind in enumerate(kinds)]
        tail = ' x14ac:dyDescent="0.25">' if ws.excel_version == 2010 else ">"
        self.row = self._row_function(encoders, [_xf(f) for f in col_formats], tail)

    def _row_function(self, encoders, styles, tail):
        """``row(values, rn) -> '<row …>…</row>'`` for this table, generated once so that a cell
        costs one encoder call and nothing else (no per-cell loop, no per-cell None wrapper)."""
        n = len(encoders)
        names = ", ".join(f"v{c}" for c in range(n)) + ("," if n == 1 else "")
        cells = []
        for c, style in enumerate(styles):
            # write_blank keeps a column's format on an empty cell and drops an unformatted one.
            blank = f"f'<c r=\"{self.letters[c]}{{rn}}\"{style}/>'" if style else "''"
            cells.append(f"(e{c}(v{c}, rn) if v{c} is not None else {blank})")
        source = (f"def row(values, rn):\n"
                  f"    {names} = values\n"  # a row of the wrong length raises ValueError here
                  f"    return ''.join((f'<row r=\"{{rn}}\"{tail}', {', '.join(cells)}, '</row>'))\n")
        namespace = {f"e{c}": enc for c, enc in enumerate(encoders)}
        exec(compile(source, "<xlsx row>", "exec"), namespace)  # noqa: S102  (our own source, no input)
        return namespace["row"]

    # One function per column: (value that is not None, row number) -> the <c> element.
    def _encoder(self, c, kind, fmt):
        letter, any_ = self.letters[c], self._encode_any
        s = _xf(fmt)
        if kind in ("money", "number"):
            def enc(v, rn):
                if v.__class__ is Decimal and v.is_finite():
                    return f'<c r="{letter}{rn}"{s}><v>{v:f}</v></c>'
                return any_(c, v, rn, fmt)
        elif kind == "int":
            def enc(v, rn):
                if v.__class__ is int and -10**15 < v < 10**15:
                    return f'<c r="{letter}{rn}"{s}><v>{v}</v></c>'
                return any_(c, v, rn, fmt)
        elif kind == "date":
            def enc(v, rn):
                if v.__class__ is date and v >= _LEAP_BUG_END:
                    return f'<c r="{letter}{rn}"{s}><v>{v.toordinal() - _EXCEL_DAY0}</v></c>'
                return any_(c, v, rn, fmt)
        elif kind in ("enum", "text") and fmt is None:
            # Everything after the cell reference, per distinct value: related names, statuses and
            # categories repeat down a column, so most cells cost one dict lookup. Enum labels are
            # lazy translations, looked up once per member here rather than once per cell.
            fragments, fragment = {}, self._fragment

            def enc(v, rn):
                tail = fragments.get(v)
                if tail is None:
                    if v.__class__ is not str and not isinstance(v, enum.Enum):
                        return any_(c, v, rn, fmt)
                    tail = fragment(v)
                    if len(fragments) < _FRAGMENT_CACHE:
                        fragments[v] = tail
                return f'<c r="{letter}{rn}"{tail}'
        else:
            def enc(v, rn):
                return any_(c, v, rn, fmt)
        return enc

    def _fragment(self, value) -> str:
        """`` s="…" t="inlineStr"><is><t>…</t></is></c>`` for a str or an enum member (its label)."""
        if isinstance(value, enum.Enum):
            label = getattr(value, "label", None)
            value = str(label if label is not None else value.value)
        # Plain text needs no escaping: printable (no control characters, no odd spaces), no XML
        # specials, no "_xHHHH_" look-alike, no edge spaces, far below the length limit.
        if (value.isprintable() and "&" not in value and "<" not in value and ">" not in value
                and "_x" not in value and not value.startswith(" ") and not value.endswith(" ")
                and len(value) < _STR_MAX // 2):
            style = self.s_quoted if value.startswith(self.prefixes) else self.s_text
            return f'{style} t="inlineStr"><is><t>{value}</t></is></c>'
        return self._text_tail(value, None)

    def _encode_any(self, c, value, rn, fmt) -> str:
        """Any value, typed as write_cell types it."""
        ref = f"{self.letters[c]}{rn}"
        f = self.formats
        if isinstance(value, enum.Enum):
            label = getattr(value, "label", None)
            return self._text(c, str(label if label is not None else value.value), rn, fmt)
        if isinstance(value, bool):
            return self._text(c, f.yes if value else f.no, rn, fmt)
        if isinstance(value, int) and abs(value) >= 10**15:
            return self._text(c, str(value), rn, fmt)
        if isinstance(value, (int, float, Decimal)):
            number = float(value)
            if math.isnan(number) or math.isinf(number):
                return self._text(c, str(value), rn, fmt)
            style = _xf(fmt or (f.money if isinstance(value, Decimal) else None))
            return f'<c r="{ref}"{style}><v>{number:.16G}</v></c>'
        if isinstance(value, (date, datetime)):
            is_datetime = isinstance(value, datetime)
            style = _xf(fmt or (f.datetime if is_datetime else f.date))
            serial = _datetime_to_excel_datetime(value, False, True)
            return f'<c r="{ref}"{style}><v>{serial:.16G}</v></c>'
        return self._text(c, str(value), rn, fmt)

    def _text(self, c, text, rn, fmt) -> str:
        return f'<c r="{self.letters[c]}{rn}"{self._text_tail(text, fmt)}'

    def _text_tail(self, text, fmt) -> str:
        """A text cell after its reference, escaped exactly as xlsxwriter escapes inline strings."""
        if fmt is None:
            fmt = self.formats.quoted if text.startswith(self.prefixes) else self.formats.text
        if len(text) > _STR_MAX // 2 and _utf16_len(text) > _STR_MAX:
            text = _utf16_truncate(text, _STR_MAX)
        space = ' xml:space="preserve"' if _preserve_whitespace(text) else ""
        text = _escape_control_characters(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return f'{_xf(fmt)} t="inlineStr"><is><t{space}>{text}</t></is></c>'

    def write(self, rows) -> int:
        """Write ``rows`` below the header; returns how many. The caller's header (and title) rows
        must already be written through the public API."""
        ws, first, row = self.ws, self.first, self.row
        ws._write_single_row(first)  # flush the header (and title) rows xlsxwriter still holds
        write = ws.fh.write
        buffer = []
        count = 0
        for count, values in enumerate(rows, start=1):
            buffer.append(row(values, first + count))  # 1-based number of this 0-based row
            if len(buffer) == 500:
                write("".join(buffer))
                buffer.clear()
        write("".join(buffer))
        if count:
            # Tell xlsxwriter what we wrote: the sheet's dimension and where its next row goes.
            last, right = first + count - 1, self.width - 1
            ws.dim_rowmin = first if ws.dim_rowmin is None else min(ws.dim_rowmin, first)
            ws.dim_rowmax = last if ws.dim_rowmax is None else max(ws.dim_rowmax, last)
            ws.dim_colmin = 0 if ws.dim_colmin is None else min(ws.dim_colmin, 0)
            ws.dim_colmax = right if ws.dim_colmax is None else max(ws.dim_colmax, right)
            ws.previous_row = last
        return count
