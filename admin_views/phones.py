"""Service SIM cards."""
from models.phones import SimCard

from . import pickers
from .base import SecuredModelView
from .imports import ImportMixin


class SimCardView(ImportMixin, SecuredModelView):
    column_list = ("phone", "operator", "holder", "tariff", "monthly_limit", "issued_on", "status")
    column_searchable_list = ("phone", "iccid", "tariff")
    column_sortable_list = ("phone", "tariff", "monthly_limit", "issued_on", "status")
    column_filters = ("status", pickers.by(SimCard.operator_id), pickers.by(SimCard.holder_id), "issued_on")
    form_columns = ("phone", "iccid", "operator", "contract", "holder", "tariff", "monthly_limit", "issued_on",
                    "status", "notes")
    column_export_list = form_columns
    column_default_sort = "phone"
