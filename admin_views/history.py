"""A record's history from the change log, in words a person reads: field labels, enum labels,
dates and amounts in the user's format, related records by name instead of ids."""
from dataclasses import dataclass
from datetime import datetime
from decimal import InvalidOperation

from flask import url_for
from sqlalchemy import select

from models import Base, ChangeLogEntry, db
from models.changelog import SECRET
from models.kinds import column_kind
from models.labels import ACTION_LABELS, field_label
from models.names import related_names
from services.audit import from_plain
from services.display import EMPTY, display

HISTORY_LIMIT = 100


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def model_for_table(table: str):
    for mapper in Base.registry.mappers:
        if getattr(mapper.class_, "__tablename__", None) == table:
            return mapper.class_
    return None


def _targets(model) -> dict[str, type]:
    """Foreign-key column key -> the model it points to (many-to-one relationships)."""
    result = {}
    for rel in model.__mapper__.relationships:
        if rel.direction.name == "MANYTOONE" and len(rel.local_columns) == 1:
            column = next(iter(rel.local_columns))
            result[model.__mapper__.get_property_by_column(column).key] = rel.mapper.class_
    return result


def _display(column, value, names):
    if value is None or value == "":
        return EMPTY
    if value == SECRET:
        return SECRET
    if column is None:
        return str(value)
    if names is not None:
        return names.get(value, f"#{value}")
    if column_kind(column) in ("text", "int", "number"):
        return str(value)  # as logged: no thousands separators in a year or a count
    try:
        return display(from_plain(column, value))
    except (ValueError, TypeError, InvalidOperation):
        return str(value)


def _related_names(session, model, entries) -> dict[str, dict]:
    """One query per related table: id -> str(record) for every id the entries mention."""
    targets = _targets(model)
    wanted: dict[str, set] = {}
    for entry in entries:
        for key, pair in (entry.changes or {}).items():
            if key in targets:
                wanted.setdefault(key, set()).update(v for v in pair if isinstance(v, int))
    return {key: related_names(session, targets[key], ids) for key, ids in wanted.items()}


@dataclass
class HistoryRow:
    at: datetime
    who: str
    action: str
    changes: list[tuple[str, str, str]]
    comment: str | None
    batch_id: str


def describe(session, model, entries, resolve_related=True) -> list[HistoryRow]:
    names = _related_names(session, model, entries) if model is not None and resolve_related else {}
    columns = model.__table__.columns if model is not None else {}
    rows = []
    for entry in entries:
        changes = []
        for key, pair in (entry.changes or {}).items():
            old, new = (list(pair) + [None, None])[:2]
            column = columns.get(key) if columns is not None else None
            changes.append((str(field_label(key[:-3] if key.endswith("_id") else key)),
                            _display(column, old, names.get(key)), _display(column, new, names.get(key))))
        rows.append(HistoryRow(entry.at, entry.username or EMPTY, action_label(entry.action), changes,
                               entry.comment, entry.batch_id))
    return rows


class HistoryMixin:
    """``record_history(model)`` for the details page (templates/admin/khozchast_details.html)."""

    history_limit = HISTORY_LIMIT

    def history_entries_query(self, model):
        return (select(ChangeLogEntry)
                .where(ChangeLogEntry.entity == self.model.__tablename__,
                       # the id itself: get_pk_value() gives text, which PostgreSQL won't compare with integers
                       ChangeLogEntry.entity_id == getattr(model, self.scaffold_pk()))
                .order_by(ChangeLogEntry.id.desc()))

    def record_history(self, model) -> list[HistoryRow]:
        if self.model.__tablename__ == ChangeLogEntry.__tablename__:
            return []
        entries = db.session.scalars(self.history_entries_query(model).limit(self.history_limit)).all()
        return describe(db.session, self.model, entries)

    def full_history_url(self, model) -> str | None:
        """The global change log filtered to this record, for readers of the log."""
        view = next((v for v in self.admin._views
                     if getattr(v, "model", None) is ChangeLogEntry and v.is_accessible()), None)
        if view is None:
            return None
        return url_for(f"{view.endpoint}.index_view", search=None,
                       **view.record_filter_args(self.model.__tablename__, self.get_pk_value(model)))
