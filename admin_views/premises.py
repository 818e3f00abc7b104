"""Buildings and rooms."""
from models import Room

from . import pickers
from .base import SecuredModelView
from .imports import ImportMixin


class BuildingView(SecuredModelView):
    column_list = ("name", "address", "cadastral_number", "total_area", "right_of_use", "year_built")
    column_searchable_list = ("name", "address", "cadastral_number")
    column_sortable_list = ("name", "address", "total_area", "year_built")
    column_filters = ("right_of_use", "year_built")
    form_columns = ("name", "address", "cadastral_number", "total_area", "right_of_use",
                    "lease_contract", "year_built")
    column_export_list = form_columns


class RoomView(ImportMixin, SecuredModelView):
    column_list = ("building", "number", "floor", "area", "purpose", "responsible")
    column_searchable_list = ("number", "purpose")
    column_sortable_list = (("building", "building.name"), "number", "floor", "area")
    column_filters = (pickers.by(Room.building_id), pickers.by(Room.responsible_id), "floor")
    form_columns = ("building", "number", "floor", "area", "purpose", "responsible")
    column_export_list = form_columns
    column_default_sort = [("building_id", False), ("number", False)]
