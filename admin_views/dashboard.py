"""The home page: assets by status with their value, and what needs attention in the next 30 days."""
from datetime import date, timedelta

from flask import url_for
from flask_admin import AdminIndexView, expose
from flask_admin.contrib.sqla import filters
from flask_babel import lazy_gettext as _l

from models import db
from models.tally import compact, ledger_rows
from services.dashboard import Not, assets_by_status, deadline_limit, deadlines, vehicles_to_deregister

from .base import RoleAccess

COMPACT_ABOVE = 500  # ledger rows of the assets-by-status figures before they are folded

DEADLINE_TITLES = {
    "osago": _l("OSAGO policies expiring"),
    "diagnostic": _l("Diagnostic cards expiring"),
    "contract": _l("Contracts ending"),
    "fuel_card": _l("Fuel cards expiring"),
    "licence": _l("Driving licences expiring"),
}


def _equal_filter(value):
    if isinstance(value, Not):
        return filters.EnumFilterNotEqual
    return filters.BooleanEqualFilter if isinstance(value, bool) else filters.EnumEqualFilter


def _filter_value(value):
    if isinstance(value, Not):
        value = value.value
    return "1" if value is True else getattr(value, "value", value)


class DashboardView(RoleAccess, AdminIndexView):
    def view_for(self, model):
        return next(v for v in self.admin._views if getattr(v, "model", None) is model)

    def status_url(self, status):
        from models import Asset

        view = self.view_for(Asset)
        return url_for(f"{view.endpoint}.index_view",
                       **view.filter_args(("status", filters.EnumEqualFilter, status.value)))

    def deadline_url(self, deadline, today):
        view = self.view_for(deadline.model)
        conditions = [(deadline.column, filters.DateSmallerFilter, deadline_limit(today).isoformat())]
        conditions += [(k, _equal_filter(v), _filter_value(v)) for k, v in deadline.conditions.items()]
        return url_for(f"{view.endpoint}.index_view", **view.filter_args(*conditions))

    def fleet_items(self, today):
        """Waybills still open after their shift and this month's reconciliation problems."""
        from models import Waybill, WaybillStatus
        from services.fleet import unclosed_count
        from services.fuel_month import problem_count

        view = self.view_for(Waybill)
        return [(_l("Waybills not closed after their shift"), unclosed_count(db.session, today),
                 url_for(f"{view.endpoint}.index_view", **view.filter_args(
                     ("status", filters.EnumEqualFilter, WaybillStatus.draft.value),
                     ("valid_to", filters.DateSmallerFilter, today.isoformat())))),
                (_l("Fuel reconciliation problems this month"), problem_count(db.session, today.year, today.month),
                 url_for("fuelmonth.reconcile_view", month=f"{today:%Y-%m}"))]

    @expose("/")
    def index(self):
        today = date.today()
        if ledger_rows(db.session) > COMPACT_ABOVE:
            with db.engine.begin() as connection:  # its own short transaction
                compact(connection)
        by_status = assets_by_status(db.session)
        items = [(DEADLINE_TITLES[d.key], d.count, self.deadline_url(d, today)) for d in deadlines(db.session, today)]
        from models import Vehicle, VehicleStatus

        view = self.view_for(Vehicle)
        items.append((_l("Written-off vehicles to deregister"), vehicles_to_deregister(db.session),
                      url_for(f"{view.endpoint}.index_view", **view.filter_args(
                          ("status", filters.EnumEqualFilter, VehicleStatus.decommissioned.value),
                          ("deregistered_on", filters.FilterEmpty, "1")))))
        items.extend(self.fleet_items(today))
        return self.render(
            "admin/dashboard.html",
            by_status=[(s, n, total, self.status_url(s)) for s, n, total in by_status],
            total_count=sum(n for _, n, _ in by_status),
            total_value=sum(t for _, _, t in by_status),
            deadlines=items,
            horizon_until=deadline_limit(today) - timedelta(days=1),
        )
