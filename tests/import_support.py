"""Helpers for the import tests: the exported file of a list, small workbooks and CSV files, English messages."""
import csv
import io

from flask_babel import force_locale

from models import db
from reports.workbook import Column, Formats, open_workbook, write_table


def view_for(app, endpoint):
    return next(v for v in app.extensions["admin"][0]._views if getattr(v, "endpoint", None) == endpoint)


def _cell(record, name):
    value = getattr(record, name)
    if value is not None and hasattr(value, "__table__"):
        return str(value)  # a related record, as the list shows it
    return value


def exported_file(app, client, endpoint) -> bytes:
    """The list's Excel export: the real one if this branch serves it, else the same table built from
    ``table_columns()`` through reports/workbook.py (headers in Russian, typed cells, totals line)."""
    response = client.get(f"/admin/{endpoint}/export/xlsx/")
    if response.status_code == 200 and response.data.startswith(b"PK"):
        return response.data
    view = view_for(app, endpoint)
    with app.test_request_context():
        columns = [Column(name, header, kind) for name, header, kind in view.table_columns()]
        records = view.get_query().all()
        buffer = io.BytesIO()
        workbook = open_workbook(buffer)
        write_table(workbook, str(view.name), columns, [[_cell(r, c.key) for c in columns] for r in records],
                    Formats(workbook), title=str(view.name))
        workbook.close()
        db.session.remove()
    return buffer.getvalue()


def xlsx(rows, fill=None) -> bytes:
    """A workbook from rows of values (openpyxl writes shared strings, as Excel does); ``fill(ws)`` may add more."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    if fill:
        fill(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, delimiter=";", encoding="utf-8-sig") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def errors_en(preview):
    """(row, column, message in English) of every error."""
    with force_locale("en"):
        return [(e.row, e.column, str(e.message)) for e in preview.errors]


def fatal_en(preview):
    with force_locale("en"):
        return str(preview.fatal) if preview.fatal is not None else None
