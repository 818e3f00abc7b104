"""Search-as-you-type pickers and drop-down filters for related records."""
from flask import has_request_context
from flask_admin.contrib.sqla import filters
from flask_admin.contrib.sqla.ajax import QueryAjaxModelLoader
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import RelationshipDirection, joinedload

from models import AssetCategory, Building, Contract, Department, Employee, Room, Supplier, db
from models.labels import FIELD_LABELS
from models.search import contains

# Shown in an empty picker (Flask-Admin would say «выберите модель»).
SEARCH_HINT = _l("Type to search…")

EMPLOYEE = {"fields": ("full_name", "personnel_number"), "page_size": 20, "placeholder": SEARCH_HINT}
ASSET = {"fields": ("inventory_number", "name"), "page_size": 20, "placeholder": SEARCH_HINT}
SUPPLIER = {"fields": ("short_name", "inn"), "page_size": 20, "placeholder": SEARCH_HINT}
CONTRACT = {"fields": ("number", "subject"), "page_size": 20, "placeholder": SEARCH_HINT}
ROOM = {"fields": ("number", "purpose"), "page_size": 20, "placeholder": SEARCH_HINT}
VEHICLE = {"fields": ("plate", "make", "model"), "page_size": 20, "placeholder": SEARCH_HINT}


def _options(model, label_column):
    def load():
        if not has_request_context():
            return []  # Flask-Admin asks once at start-up; the real list is read per request
        rows = db.session.execute(select(model.id, label_column).order_by(label_column)).all()
        return [(str(i), label) for i, label in rows]
    return load


class LookupFilter(filters.IntEqualFilter):
    """Equal to one record of a big table, picked by typing part of its name: the list page ships no options,
    the filter box asks the view's ``filter-lookup`` (admin_views/fastlist.py) as the user types."""

    def __init__(self, column, label, model, fields, order_by):
        super().__init__(column, label)
        self.lookup_model, self.lookup_fields, self.lookup_order = model, fields, order_by

    def _select(self):
        parents = [joinedload(rel.class_attribute) for rel in self.lookup_model.__mapper__.relationships
                   if rel.direction is RelationshipDirection.MANYTOONE and rel.key in LABEL_PARENTS]
        return select(self.lookup_model).options(*parents)

    def lookup(self, query: str, offset: int, limit: int) -> list[list[str]]:
        statement = self._select().order_by(self.lookup_order, self.lookup_model.id)
        for word in query.split():
            statement = statement.where(or_(*[contains(getattr(self.lookup_model, f), word)
                                              for f in self.lookup_fields]))
        records = db.session.scalars(statement.offset(offset).limit(limit)).all()
        return [[str(r.id), str(r)] for r in records]

    def label_of(self, value) -> str:
        record = db.session.scalars(self._select().where(self.lookup_model.id == int(value))).first() \
            if str(value).isdigit() else None
        return str(record) if record is not None else str(value)


# A record's str() names these parents (a room shows its building): load them with it.
LABEL_PARENTS = {"building"}

# Filters over tables that grow large: searched as you type. (Model, searched fields, order.)
LOOKUPS = {
    "employee": (Employee, ("full_name", "personnel_number"), Employee.full_name),
    "room": (Room, ("number", "purpose"), Room.number),
    "supplier": (Supplier, ("short_name", "inn"), Supplier.short_name),
    "contract": (Contract, ("number", "subject"), Contract.number),
}
LOOKUP_OF_FIELD = {"room": "room", "to_room": "room", "supplier": "supplier", "provider": "supplier",
                   "contract": "contract", "category": None, "department": None, "to_department": None,
                   "building": None}


def by(column, field: str):
    """A filter on a foreign key: searched as you type over big tables, a drop-down over small ones."""
    lookup = LOOKUP_OF_FIELD.get(field, "employee")
    if lookup is not None:
        model, fields, order = LOOKUPS[lookup]
        return LookupFilter(column, FIELD_LABELS[field], model, fields, order)
    options = {
        "category": _options(AssetCategory, AssetCategory.name),
        "building": _options(Building, Building.name),
    }.get(field, _options(Department, Department.name))
    return filters.IntEqualFilter(column, FIELD_LABELS[field], options=options)


class InBuilding(filters.IntEqualFilter):
    """Records whose room is in the chosen building (the list shows rooms, clerks think in buildings)."""

    def __init__(self, room_column):
        super().__init__(room_column, FIELD_LABELS["building"], options=_options(Building, Building.name))

    def apply(self, query, value, alias=None):
        return query.filter(self.column.in_(select(Room.id).where(Room.building_id == value)))


class FoldingAjaxLoader(QueryAjaxModelLoader):
    """Flask-Admin's picker search, case- and ё/е-insensitive by the same function as list search."""

    def get_list(self, term, offset=0, limit=20):
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
