"""Search-as-you-type pickers and drop-down filters for related records, derived from the target model's
declared ``search_fields`` and ``display_sql`` (models/registry.py): no per-entity list to forget."""
from flask import has_request_context
from flask_admin.contrib.sqla import filters
from flask_admin.contrib.sqla.ajax import QueryAjaxModelLoader
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import RelationshipDirection, joinedload

from models import Building, Contract, Employee, Room, Supplier, db
from models.registry import display_sql, label
from models.search import contains

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


# Tables that grow large: a filter over them is searched as you type, not shipped with every list page.
LOOKUP_TARGETS = (Employee, Room, Supplier, Contract)


class LookupFilter(filters.IntEqualFilter):
    """Equal to one record of a big table, picked by typing part of its name: the list page ships no options,
    the filter box asks the view's ``filter-lookup`` (admin_views/fastlist.py) as the user types."""

    def __init__(self, column, name, target):
        super().__init__(column, name)
        self.lookup_model = target

    def _records(self):
        # Shown as the record's str(), as its form picker shows it (a room names its building: loaded with it).
        target = self.lookup_model
        parents = [joinedload(rel.class_attribute) for rel in target.__mapper__.relationships
                   if rel.direction is RelationshipDirection.MANYTOONE and rel.key == "building"]
        return select(target).options(*parents)

    def lookup(self, query: str, offset: int, limit: int) -> list[list[str]]:
        target = self.lookup_model
        statement = self._records().order_by(getattr(target, target.search_fields[0]), target.id)
        for word in query.split():
            statement = statement.where(or_(*[contains(getattr(target, f), word) for f in target.search_fields]))
        return [[str(r.id), str(r)] for r in db.session.scalars(statement.offset(offset).limit(limit))]

    def label_of(self, value) -> str:
        record = (db.session.scalars(self._records().where(self.lookup_model.id == int(value))).first()
                  if str(value).isdigit() else None)
        return str(record) if record is not None else str(value)


def by(column, field: str | None = None):
    """A filter on a foreign key: searched as you type over big tables, a drop-down over small ones; the target
    model and the label follow from the column."""
    owner = column.class_
    name = field or column.key
    target = _target(column)
    if target in LOOKUP_TARGETS:
        return LookupFilter(column, label(owner, name), target)
    return filters.IntEqualFilter(column, label(owner, name), options=options(target))


class InBuilding(filters.IntEqualFilter):
    """Records whose room is in the chosen building (the list shows rooms, clerks think in buildings)."""

    def __init__(self, room_column):
        super().__init__(room_column, label(Room, "building"), options=options(Building))

    def apply(self, query, value, alias=None):
        return query.filter(self.column.in_(select(Room.id).where(Room.building_id == value)))


class FoldingAjaxLoader(QueryAjaxModelLoader):
    """Flask-Admin's picker search, case- and ё/е-insensitive by the same function as list search."""

    def get_list(self, term, offset=0, limit=PAGE_SIZE):
        query = self.get_query()
        for word in term.split():
            query = query.filter(or_(*[contains(field, word) for field in self._cached_fields]))
        if self.order_by is not None:
            query = query.order_by(self.order_by)
        return query.offset(offset).limit(limit).all()


def ajax_loader(model, session, name: str, options: dict) -> FoldingAjaxLoader:
    """A picker over the record ``model.<name>`` refers to."""
    remote_model = getattr(model, name).prop.mapper.class_
    return FoldingAjaxLoader(name, session, remote_model, **options)
