"""Search-as-you-type pickers and drop-down filters for related records."""
from flask import has_request_context
from flask_admin.contrib.sqla import filters
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from models import AssetCategory, Building, Department, Employee, Room, Supplier, db
from models.labels import FIELD_LABELS

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


def _room_options():
    if not has_request_context():
        return []
    rows = db.session.execute(
        select(Room.id, Building.name, Room.number).join(Building).order_by(Building.name, Room.number)
    ).all()
    return [(str(i), f"{b} / {n}") for i, b, n in rows]


def by(column, field: str):
    """A drop-down filter on a foreign key, its options read when the list is shown."""
    options = {
        "category": _options(AssetCategory, AssetCategory.name),
        "department": _options(Department, Department.name),
        "to_department": _options(Department, Department.name),
        "building": _options(Building, Building.name),
        "supplier": _options(Supplier, Supplier.short_name),
        "provider": _options(Supplier, Supplier.short_name),
        "room": _room_options,
        "to_room": _room_options,
    }.get(field, _options(Employee, Employee.full_name))
    return filters.IntEqualFilter(column, FIELD_LABELS[field], options=options)


class InBuilding(filters.IntEqualFilter):
    """Records whose room is in the chosen building (the list shows rooms, clerks think in buildings)."""

    def __init__(self, room_column):
        super().__init__(room_column, FIELD_LABELS["building"], options=_options(Building, Building.name))

    def apply(self, query, value, alias=None):
        return query.filter(self.column.in_(select(Room.id).where(Room.building_id == value)))
