"""Departments, employees and asset categories (reference data)."""
from models import Employee

from . import pickers
from .base import SecuredModelView
from .imports import ImportMixin


class DepartmentView(SecuredModelView):
    column_list = ("name", "code", "parent")
    column_searchable_list = ("name", "code")
    column_sortable_list = ("name", "code")
    form_columns = ("name", "code", "parent")
    column_export_list = form_columns


class EmployeeView(ImportMixin, SecuredModelView):
    column_list = ("full_name", "position", "department", "personnel_number", "is_responsible",
                   "is_driver", "licence_expires_on", "is_active")
    column_searchable_list = ("full_name", "personnel_number", "position")
    search_exact = ("personnel_number",)
    column_sortable_list = ("full_name", "position", ("department", "department.name"),
                            "personnel_number", "licence_expires_on")
    column_filters = (pickers.by(Employee.department_id), "is_responsible", "is_driver",
                      "is_active", "licence_expires_on")
    form_columns = ("full_name", "position", "department", "personnel_number", "is_responsible",
                    "is_driver", "licence_number", "licence_expires_on", "is_active")
    column_export_list = form_columns
    column_default_sort = "full_name"


class AssetCategoryView(ImportMixin, SecuredModelView):
    column_list = ("name", "okof_code", "balance_account", "property_kind", "default_useful_life_months")
    column_searchable_list = ("name", "okof_code", "balance_account")
    column_sortable_list = ("name", "okof_code", "balance_account", "default_useful_life_months")
    column_filters = ("property_kind", "balance_account")
    form_columns = column_list
    column_default_sort = "name"
