"""Fixed assets: the list clerks live in."""
from sqlalchemy.orm import selectinload

from models import LOCKED_STATUSES, Asset, Room
from models.assets import residual_value_sql

from . import pickers
from .base import SecuredModelView
from .imports import ImportMixin
from .transfers import TransferActionMixin
from .write_off import WriteOffAssetMixin


class AssetView(ImportMixin, TransferActionMixin, WriteOffAssetMixin, SecuredModelView):
    column_list = ("inventory_number", "name", "category", "status", "book_value", "residual_value",
                   "responsible", "department", "room", "commissioned_on")
    column_details_list = ("inventory_number", "name", "category", "serial_number", "year_made", "accepted_on",
                           "commissioned_on", "book_value", "depreciation", "residual_value",
                           "useful_life_months", "balance_account", "status", "responsible", "department",
                           "room", "supplier", "contract", "written_off_on", "write_off_act", "disposed_on",
                           "disposal_document", "notes", "created_at", "updated_at")
    column_searchable_list = ("inventory_number", "name", "serial_number")
    search_exact = ("inventory_number", "serial_number")  # a scanned label goes straight to its index
    column_sortable_list = ("inventory_number", "name", ("category", "category.name"), "status", "book_value",
                            ("responsible", "responsible.full_name"), ("department", "department.name"),
                            "commissioned_on")
    column_filters = ("status", pickers.by(Asset.category_id), pickers.by(Asset.department_id),
                      pickers.by(Asset.responsible_id), pickers.by(Asset.room_id), pickers.InBuilding(Asset.room_id),
                      pickers.by(Asset.supplier_id), "balance_account", "accepted_on", "commissioned_on", "book_value",
                      "written_off_on")
    form_columns = ("inventory_number", "name", "category", "serial_number", "year_made", "accepted_on",
                    "commissioned_on", "book_value", "depreciation", "useful_life_months", "balance_account",
                    "status", "responsible", "department", "room", "supplier", "contract", "notes")
    # What the accountant takes to Excel, and what an import reads back.
    column_export_list = ("inventory_number", "name", "category", "serial_number", "year_made", "accepted_on",
                          "commissioned_on", "book_value", "depreciation", "residual_value", "useful_life_months",
                          "balance_account", "status", "responsible", "department", "room", "supplier", "contract",
                          "notes")
    column_export_expressions = {"residual_value": residual_value_sql()}
    column_editable_list = ("name", "serial_number", "year_made", "notes")
    column_default_sort = "inventory_number"
    # Lists load their related rows with the page, not one query per row.
    column_auto_select_related = True
    def get_query(self):
        # A room shows as «building / number»: its building comes with the page query, not one query per row.
        return super().get_query().options(selectinload(Asset.room).joinedload(Room.building))

    # Write-off statuses are set only through a write-off act.
    bulk_edit_excluded_choices = {"status": tuple(s.value for s in LOCKED_STATUSES)}
