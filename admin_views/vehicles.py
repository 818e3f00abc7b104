"""Vehicles and fuel cards."""
from models import FuelCard, Vehicle
from models.checks import normalise_plate
from models.labels import FIELD_LABELS

from . import pickers
from .base import SecuredModelView
from .imports import ImportMixin


class VehicleView(ImportMixin, SecuredModelView):
    column_list = ("plate", "make", "model", "year_made", "fuel_type", "driver", "status", "osago_expires_on",
                   "diagnostic_expires_on")
    column_searchable_list = ("plate", "vin", "make", "model")
    search_exact = ("plate", "vin")
    search_exact_normalisers = {"plate": normalise_plate}
    column_sortable_list = ("plate", "make", "model", "year_made", "status", "osago_expires_on",
                            "diagnostic_expires_on")
    column_filters = ("status", "fuel_type", pickers.by(Vehicle.driver_id), "osago_expires_on",
                      "diagnostic_expires_on", "year_made", "deregistered_on")
    form_columns = ("asset", "plate", "vin", "engine_number", "chassis_number", "body_number", "colour", "make",
                    "model", "year_made", "fuel_type", "tank_capacity",
                    "fuel_norm", "odometer_km", "sts_number", "pts_number", "osago_policy", "osago_expires_on",
                    "diagnostic_card", "diagnostic_expires_on", "driver", "status", "registered_on",
                    "deregistered_on")
    column_export_list = form_columns
    column_default_sort = "plate"


class FuelCardView(ImportMixin, SecuredModelView):
    column_list = ("masked_number", "provider", "vehicle", "holder", "fuel_type", "monthly_limit_l",
                   "valid_until", "status")
    column_details_list = ("masked_number", "provider", "contract", "vehicle", "holder", "fuel_type",
                           "monthly_limit_l", "valid_until", "status", "created_at", "updated_at")
    column_searchable_list = ("number",)
    search_exact = ("number",)
    column_sortable_list = (("provider", "provider.short_name"), "fuel_type", "monthly_limit_l", "valid_until",
                            "status")
    column_filters = ("status", "fuel_type", pickers.by(FuelCard.provider_id), pickers.by(FuelCard.holder_id),
                      "valid_until")
    form_columns = ("number", "provider", "contract", "vehicle", "holder", "fuel_type", "monthly_limit_l",
                    "valid_until", "status")
    # The full card number (not the masked one the list shows): the accountant reconciles by it and an
    # exported file must import back onto the same cards.
    column_export_list = form_columns
    column_labels = {"number": FIELD_LABELS["masked_number"]}
    column_default_sort = "valid_until"
