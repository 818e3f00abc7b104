"""Search-as-you-type pickers and drop-down filters for related records, derived from the target model's
declared ``search_fields`` and ``display_sql`` (models/registry.py): no per-entity list to forget."""
from flask import has_request_context
from flask_admin.contrib.sqla import filters
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from models import Building, Room, db
from models.registry import display_sql, label

# Shown in an empty picker (Flask-Admin would say «выберите модель»).
SEARCH_HINT = _l("Type to search…")
PAGE_SIZE = 20


def picker(target) -> dict:
    """Flask-Admin ``form_ajax_refs`` entry for a relationship to ``target``."""
    return {"fields": tuple(target.search_fields), "page_size": PAGE_SIZE, "placeholder": SEARCH_HINT}


def options(target):
    """(id, shown name) of every ``target`` record, read per request (Flask-Admin asks once at start-up too)."""
    def load():
        if not has_request_context():
            return []
        shown = display_sql(target)
        rows = db.session.execute(select(target.id, shown).order_by(shown)).all()
        return [(str(i), name) for i, name in rows]
    return load


def _target(column):
    (fk,) = column.foreign_keys
    table = fk.column.table
    for mapper in db.Model.registry.mappers:
        if mapper.local_table is table:
            return mapper.class_
    raise LookupError(f"no model maps {table.name}")


def by(column, field: str | None = None):
    """A drop-down filter on a foreign key: the target model and the label follow from the column."""
    owner = column.class_
    name = field or column.key
    return filters.IntEqualFilter(column, label(owner, name), options=options(_target(column)))


class InBuilding(filters.IntEqualFilter):
    """Records whose room is in the chosen building (the list shows rooms, clerks think in buildings)."""

    def __init__(self, room_column):
        super().__init__(room_column, label(Room, "building"), options=options(Building))

    def apply(self, query, value, alias=None):
        return query.filter(self.column.in_(select(Room.id).where(Room.building_id == value)))
