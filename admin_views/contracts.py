"""Suppliers and contracts."""
from flask_babel import lazy_gettext as _l

from models import Contract

from . import pickers
from .base import SecuredModelView
from .imports import ImportMixin


class SupplierView(ImportMixin, SecuredModelView):
    column_list = ("short_name", "inn", "kpp", "ogrn", "phone", "email", "contact_person")
    column_searchable_list = ("short_name", "full_name", "inn")
    search_exact = ("inn",)
    column_sortable_list = ("short_name", "inn")
    column_filters = ("kpp",)
    form_columns = ("full_name", "short_name", "inn", "kpp", "ogrn", "address", "contact_person",
                    "phone", "email", "bik", "settlement_account", "notes")
    column_export_list = form_columns
    column_default_sort = "short_name"


class ContractView(ImportMixin, SecuredModelView):
    column_list = ("number", "signed_on", "supplier", "subject", "kind", "amount", "starts_on", "ends_on",
                   "status", "responsible")
    column_searchable_list = ("number", "subject", "ikz")
    search_exact = ("number",)
    column_sortable_list = ("number", "signed_on", ("supplier", "supplier.short_name"), "kind", "amount",
                            "starts_on", "ends_on", "status")
    column_filters = ("status", "kind", "procurement_method", pickers.by(Contract.supplier_id),
                      pickers.by(Contract.responsible_id), "signed_on", "starts_on", "ends_on", "amount")
    form_columns = ("number", "signed_on", "supplier", "subject", "kind", "procurement_method", "ikz",
                    "amount", "vat", "starts_on", "ends_on", "status", "responsible")
    column_export_list = ("number", "signed_on", "supplier", "supplier.inn", "subject", "kind", "procurement_method",
                          "ikz", "amount", "vat", "starts_on", "ends_on", "status", "responsible")
    column_labels = {"supplier.inn": _l("Supplier INN")}
    column_default_sort = ("signed_on", True)
