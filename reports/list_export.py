"""Rows of a list, streamed from the database into a workbook table.

Knows nothing of Flask-Admin: the caller hands in a select of plain columns (the list's
search, filters and sort already applied) and one Field per selected column. Related records
come in as foreign-key ids and are shown by their ``str``; their names are read once per chunk
of rows for the ids that chunk adds, so there is no query per row and no full scan twice.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from collections.abc import Callable, Iterator, Sequence


from models.names import related_names

from .workbook import Column, Formats, write_table

CHUNK_ROWS = 2000


@dataclass(frozen=True)
class Field:
    """One exported column: what to select, how to show it."""

    column: Column
    related: type | None = None  # the selected value is an id of this model, shown by its str
    convert: Callable[[Any], Any] | None = None  # value -> cell value (e.g. UTC -> local time)


def stream_rows(session, statement, fields: Sequence[Field], chunk_rows: int = CHUNK_ROWS) -> Iterator[Sequence]:
    """Rows of ``statement`` (one selected column per field), chunk by chunk, ready for write_table."""
    lookups = [(i, f.related, {}) for i, f in enumerate(fields) if f.related is not None]
    converters = [(i, f.convert) for i, f in enumerate(fields) if f.convert is not None]
    # Core execution: plain tuples, no ORM row processing; rows arrive chunk by chunk
    # (a server-side cursor on PostgreSQL).
    connection = session.connection().execution_options(yield_per=chunk_rows)
    for chunk in connection.execute(statement).partitions():
        if not lookups and not converters:
            yield from chunk  # rows are sequences already
            continue
        columns = list(zip(*chunk))  # column-wise: the per-value work runs in comprehensions
        for i, model, names in lookups:
            missing = set(columns[i]) - names.keys()
            missing.discard(None)
            if missing:
                names.update(related_names(session, model, missing))
            columns[i] = [names.get(key) for key in columns[i]]  # None is never a key: stays None
        for i, convert in converters:
            columns[i] = [None if value is None else convert(value) for value in columns[i]]
        yield from zip(*columns)


def stream_objects(query, attributes: Sequence[str], fields: Sequence[Field],
                   chunk_rows: int = CHUNK_ROWS) -> Iterator[list]:
    """The slower way, for columns with no SQL expression (Python properties): ORM objects in chunks."""
    for record in query.yield_per(chunk_rows):
        values = []
        for attr, f in zip(attributes, fields):
            value = getattr(record, attr, None)
            if f.related is not None and value is not None:
                value = str(value)
            elif f.convert is not None and value is not None:
                value = f.convert(value)
            values.append(value)
        yield values


def fill_table(workbook, formats: Formats, sheet: str, fields: Sequence[Field], rows, *,
               totals_label: str) -> int:
    return write_table(workbook, sheet, [f.column for f in fields], rows, formats, totals_label=totals_label)
