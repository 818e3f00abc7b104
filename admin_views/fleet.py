"""Vehicles on the line in the panel: transport requests and the day/week board, waybills (issue, close,
print), norm cards, fuel-card statements, the fuel month (reconciliation, close, reopen) and its write-off act.
Thin: every decision is a service's (services.fleet, services.fuel_statement, services.fuel_month)."""
import base64
from datetime import date, timedelta

from flask import Response, abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext, lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (DateField, DateTimeLocalField, DecimalField, FileField, HiddenField, IntegerField, SelectField,
                     StringField, TimeField)
from wtforms.validators import DataRequired, InputRequired, Optional

from models import (CommunicationKind, Employee, FuelNorm, FuelSurcharge, FuelTransaction, FuelWriteOff, MonthStatus,
                    RequestStatus, Supplier, TransportKind, TransportRequest, Vehicle, VehicleStatus, Waybill,
                    WaybillStatus, db)
from reports.fuel_write_off_form import write_fuel_write_off
from reports.waybill_form import write_waybill
from reports.workbook import content_disposition, export_filename, workbook_chunks
from services import documents, fleet as fl, fuel_month as fm, fuel_statement as fs
from services.fuel_statement import FIELDS, LABELS

from . import pickers
from .base import EDITORS, SecuredModelView, current_role
from .documents import ReversibleMixin
from .imports import ImportMixin
from .transaction import REFUSED, in_transaction

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _vehicles():
    return [(v.id, str(v)) for v in db.session.scalars(select(Vehicle).where(
        Vehicle.status == VehicleStatus.in_service).order_by(Vehicle.plate))]


def _drivers():
    return [(e.id, e.full_name) for e in db.session.scalars(select(Employee).where(
        Employee.is_driver.is_(True), Employee.is_active.is_(True)).order_by(Employee.full_name))]


def _employees():
    return [(e.id, e.full_name) for e in db.session.scalars(select(Employee).where(
        Employee.is_active.is_(True)).order_by(Employee.full_name))]


def _month_arg(value: str | None) -> tuple[int, int]:
    try:
        year, month = (int(p) for p in (value or "").split("-"))
        if 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    today = date.today()
    return today.year, today.month


# --- transport requests ----------------------------------------------------------------------------------

class AskForm(FlaskForm):
    requester = SelectField(_l("Requested by"), coerce=int, validators=[InputRequired()])
    trip_date = DateField(_l("Trip date"), validators=[DataRequired()])
    starts_at = TimeField(_l("From"), validators=[DataRequired()])
    ends_at = TimeField(_l("To"), validators=[DataRequired()])
    route = StringField(_l("Route"), validators=[DataRequired()])
    purpose = StringField(_l("Purpose of the trip"), validators=[DataRequired()])
    passengers = StringField(_l("Passengers"), validators=[Optional()])


class AssignForm(FlaskForm):
    vehicle = SelectField(_l("Vehicle"), coerce=int, validators=[InputRequired()])
    driver = SelectField(_l("Driver"), coerce=int, validators=[InputRequired()])


class TransportRequestView(ImportMixin, SecuredModelView):
    column_list = ("number", "trip_date", "starts_at", "ends_at", "requester", "route", "purpose", "vehicle",
                   "driver", "status", "waybill")
    column_searchable_list = ("number", "route", "purpose")
    column_sortable_list = ("number", "trip_date", "starts_at", "status")
    column_filters = ("status", "trip_date", pickers.by(TransportRequest.vehicle_id),
                      pickers.by(TransportRequest.driver_id), pickers.by(TransportRequest.requester_id))
    form_columns = ("requester", "trip_date", "starts_at", "ends_at", "route", "purpose", "passengers", "vehicle",
                    "driver", "status")
    column_export_list = ("number",) + form_columns
    column_default_sort = [("trip_date", True), ("starts_at", True)]  # the latest first
    endpoint_operations = {"ask_view": "read", "assign_view": "write", "board_view": "read"}

    def details_extras(self, model):
        from markupsafe import Markup

        extras = super().details_extras(model)
        if self.may_write() and model.status in (RequestStatus.new, RequestStatus.assigned):
            extras.append(Markup('<a class="btn btn-primary" id="assign-request" href="{}">{}</a>').format(
                url_for(".assign_view", id=model.id), gettext("Assign a vehicle and a driver")))
        return extras

    def list_tools(self):
        from .base import ListTool

        return super().list_tools() + [
            ListTool(id="ask-tool", label=_l("Ask for a trip"), url=url_for(".ask_view"), icon="fa-plus"),
            ListTool(id="board-tool", label=_l("Board"), url=url_for(".board_view"), icon="fa-calendar")]

    @expose("/ask/", methods=("GET", "POST"))
    def ask_view(self):
        """Any role asks for a trip for themselves; a clerk for anyone."""
        form = AskForm()
        own = getattr(current_user, "employee_id", None)
        if self.may_write():
            form.requester.choices = _employees()
        else:
            if own is None:
                flash(gettext("Your account is not linked to an employee; ask the administrator to link it."),
                      "error")
                return redirect(url_for(".index_view"))
            form.requester.choices = [(own, current_user.employee.full_name)]
        if request.method == "GET" and own is not None:
            form.requester.data = own
        if form.validate_on_submit():
            made = in_transaction(fl.request_trip, db.session, form.requester.data, form.trip_date.data,
                                  form.starts_at.data, form.ends_at.data, form.route.data, form.purpose.data,
                                  form.passengers.data or None)
            if made is not REFUSED:
                flash(gettext("Request %(n)s is registered.", n=made.number), "success")
                return redirect(url_for(".details_view", id=made.id))
        return self.render("admin/fleet_form.html", form=form, title=gettext("Ask for a trip"), form_id="ask-form",
                           button=gettext("Send the request"))

    @expose("/assign/", methods=("GET", "POST"))
    def assign_view(self):
        item = db.session.get(TransportRequest, request.args.get("id", type=int) or 0)
        if item is None:
            abort(404)
        form = AssignForm()
        form.vehicle.choices = _vehicles()
        form.driver.choices = _drivers()
        if request.method == "GET":
            form.vehicle.data, form.driver.data = item.vehicle_id, item.driver_id
        if form.validate_on_submit():
            done = in_transaction(fl.assign, db.session, item, form.vehicle.data, form.driver.data)
            if done is not REFUSED:
                flash(gettext("Request %(n)s is assigned.", n=item.number), "success")
                return redirect(url_for(".details_view", id=item.id))
        return self.render("admin/fleet_form.html", form=form, form_id="assign-form",
                           title=gettext("Request %(n)s: %(day)s %(start)s–%(end)s, %(route)s", n=item.number,
                                         day=f"{item.trip_date:%d.%m.%Y}", start=f"{item.starts_at:%H:%M}",
                                         end=f"{item.ends_at:%H:%M}", route=item.route),
                           button=gettext("Assign"))

    @expose("/board/")
    def board_view(self):
        try:
            day = date.fromisoformat(request.args.get("day") or "")
        except ValueError:
            day = date.today()
        span = 7 if request.args.get("span") == "week" else 1
        first = day - timedelta(days=day.weekday()) if span == 7 else day
        days = [first + timedelta(days=i) for i in range(span)]
        bookings = fl.board(db.session, days[0], days[-1])
        vehicles = db.session.scalars(select(Vehicle).where(Vehicle.status != VehicleStatus.decommissioned)
                                      .order_by(Vehicle.plate)).all()
        return self.render("admin/fleet_board.html", days=days, vehicles=vehicles, bookings=bookings, span=span,
                           previous=(first - timedelta(days=span)).isoformat(),
                           following=(first + timedelta(days=span)).isoformat(), day=day)


# --- waybills ------------------------------------------------------------------------------------------

class IssueForm(FlaskForm):
    vehicle = SelectField(_l("Vehicle"), coerce=int, validators=[InputRequired()])
    driver = SelectField(_l("Driver"), coerce=int, validators=[InputRequired()])
    valid_from = DateField(_l("Valid from"), validators=[DataRequired()])
    valid_to = DateField(_l("Valid to"), validators=[Optional()])
    departure_at = DateTimeLocalField(_l("Left the parking"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    tech_check_at = DateTimeLocalField(_l("Pre-trip technical check"), format="%Y-%m-%dT%H:%M",
                                       validators=[Optional()])
    tech_checker = SelectField(_l("Technical check made by"), coerce=int, validators=[Optional()])
    medical_at = DateTimeLocalField(_l("Pre-trip medical check"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    medic_name = StringField(_l("Medical check made by"), validators=[Optional()])
    communication = SelectField(_l("Kind of communication"), choices=CommunicationKind.choices())
    transport_kind = SelectField(_l("Kind of transportation"), choices=TransportKind.choices())


class CloseForm(FlaskForm):
    odometer_in = IntegerField(_l("Odometer at return, km"), validators=[InputRequired()])
    fuel_in = DecimalField(_l("Fuel at return, l"), places=2, validators=[InputRequired()])
    fuel_received = DecimalField(_l("Fuel received, l"), places=2, validators=[Optional()],
                                 description=_l("Empty: what the card statements put on this waybill."))
    return_at = DateTimeLocalField(_l("Returned to the parking"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    post_medical_at = DateTimeLocalField(_l("Post-trip medical check"), format="%Y-%m-%dT%H:%M",
                                         validators=[Optional()])


class WaybillView(ImportMixin, SecuredModelView):
    allow_delete = False
    column_list = ("number", "year", "status", "valid_from", "valid_to", "vehicle", "driver", "odometer_out",
                   "odometer_in", "fuel_out", "fuel_received", "fuel_in", "norm_l", "actual_l")
    column_details_list = ("number", "year", "status", "valid_from", "valid_to", "vehicle", "driver", "fuel_card",
                           "communication", "transport_kind", "licence_number", "licence_issued_on", "departure_at",
                           "return_at", "tech_check_at", "tech_checker", "medical_at", "post_medical_at",
                           "medic_name", "odometer_out", "odometer_in", "fuel_out", "fuel_received", "fuel_in",
                           "base_norm", "surcharge_pct", "norm_l", "actual_l", "trips", "created_by",
                           "approved_by", "approved_at")
    column_sortable_list = ("number", "valid_from", "status")
    column_filters = ("status", "valid_from", "valid_to", pickers.by(Waybill.vehicle_id),
                      pickers.by(Waybill.driver_id))
    form_columns = ("driver", "valid_to", "fuel_card", "communication", "transport_kind", "tech_check_at",
                    "tech_checker", "medical_at", "medic_name", "post_medical_at", "return_at", "odometer_in",
                    "fuel_in")
    column_export_list = column_list
    column_default_sort = ("id", True)
    form_overrides = {"fuel_in": DecimalField}  # litres: a decimal field (the column type is the project's own)
    form_args = {"fuel_in": {"places": 2}}
    column_formatters = {"trips": lambda v, c, m, n: "; ".join(
        f"{t.starts_at:%H:%M}–{t.ends_at:%H:%M} {t.route}" if t.starts_at and t.ends_at else t.route
        for t in m.trips)}
    endpoint_operations = {"issue_view": "write", "close_view": "write", "print_view": "read"}

    def on_form_prefill(self, form, id):
        waybill = db.session.get(Waybill, id)
        if waybill is not None and waybill.status != WaybillStatus.draft:
            flash(gettext("Waybill %(n)s is closed and can no longer be changed.", n=str(waybill)), "error")

    def details_extras(self, model):
        from markupsafe import Markup

        extras = super().details_extras(model)
        buttons = [Markup('<a class="btn btn-outline-secondary mr-2" id="print-waybill" href="{}">{}</a>').format(
            url_for(".print_view", id=model.id), gettext("Print the waybill (Excel)"))]
        if self.may_write() and model.status == WaybillStatus.draft:
            buttons.insert(0, Markup('<a class="btn btn-primary mr-2" id="close-waybill" href="{}">{}</a>').format(
                url_for(".close_view", id=model.id), gettext("Close the waybill")))
        if model.difference_l is not None:
            buttons.append(Markup('<span class="ml-3" id="norm-difference">{}</span>').format(gettext(
                "Norm %(norm)s l, actual %(actual)s l, difference %(diff)s l", norm=model.norm_l,
                actual=model.actual_l, diff=f"{model.difference_l:+}")))
        extras.append(Markup('<div class="mb-3">{}</div>').format(Markup("").join(buttons)))
        return extras

    def list_tools(self):
        from .base import ListTool

        tools = super().list_tools()
        if self.may_write():
            tools = tools + [ListTool(id="issue-tool", label=_l("Issue a waybill"), url=url_for(".issue_view"),
                                      icon="fa-plus")]
        return tools

    @expose("/new/", methods=("GET", "POST"))
    def create_view(self):
        """«Create» issues a waybill: the next number of the series, continuity from the previous one."""
        return self.issue_view()

    @expose("/issue/", methods=("GET", "POST"))
    def issue_view(self):
        if not self.may_write():
            abort(403)
        form = IssueForm()
        form.vehicle.choices = _vehicles()
        form.driver.choices = _drivers()
        form.tech_checker.choices = [(0, "—")] + _employees()
        if request.method == "GET":
            form.valid_from.data = date.today()
            vehicle = request.args.get("vehicle", type=int)
            if vehicle:
                form.vehicle.data = vehicle
                found = db.session.get(Vehicle, vehicle)
                form.driver.data = found.driver_id if found else None
        if form.validate_on_submit():
            made = in_transaction(
                fl.issue_waybill, db.session, current_user, form.vehicle.data, form.driver.data, form.valid_from.data,
                form.valid_to.data, departure_at=form.departure_at.data, tech_check_at=form.tech_check_at.data,
                tech_checker_id=form.tech_checker.data or None, medical_at=form.medical_at.data,
                medic_name=form.medic_name.data or None, communication=CommunicationKind(form.communication.data),
                transport_kind=TransportKind(form.transport_kind.data))
            if made is not REFUSED:
                flash(gettext("Waybill %(n)s is issued.", n=str(made)), "success")
                return redirect(url_for(".details_view", id=made.id))
        return self.render("admin/fleet_form.html", form=form, form_id="issue-form", title=gettext("Issue a waybill"),
                           button=gettext("Issue"))

    @expose("/close/", methods=("GET", "POST"))
    def close_view(self):
        if not self.may_write():
            abort(403)
        waybill = db.session.get(Waybill, request.args.get("id", type=int) or 0)
        if waybill is None:
            abort(404)
        form = CloseForm()
        if request.method == "GET":
            form.odometer_in.data = waybill.odometer_in
            form.fuel_in.data = waybill.fuel_in
            form.return_at.data = waybill.return_at
        if form.validate_on_submit():
            done = in_transaction(fl.close_waybill, db.session, waybill, current_user, form.odometer_in.data,
                                  form.fuel_in.data, form.return_at.data, form.fuel_received.data,
                                  form.post_medical_at.data)
            if done is not REFUSED:
                flash(gettext("Waybill %(n)s is closed.", n=str(waybill)), "success")
                return redirect(url_for(".details_view", id=waybill.id))
        return self.render("admin/fleet_form.html", form=form, form_id="close-form", button=gettext("Close"),
                           title=gettext("Close waybill %(n)s: %(vehicle)s, %(km)s km and %(l)s l at departure",
                                         n=str(waybill), vehicle=str(waybill.vehicle), km=waybill.odometer_out,
                                         l=waybill.fuel_out))

    @expose("/print/")
    def print_view(self):
        waybill = db.session.get(Waybill, request.args.get("id", type=int) or 0)
        if waybill is None:
            abort(404)
        data = fl.waybill_data(db.session, waybill)
        chunks = workbook_chunks(lambda workbook, formats: write_waybill(workbook, formats, data))
        name = export_filename(gettext("Waybill %(n)s", n=f"{waybill.number}-{waybill.year}"), waybill.valid_from)
        return Response(chunks, mimetype=XLSX, headers={"Content-Disposition": content_disposition(name)})


# --- norms and settings ----------------------------------------------------------------------------------

class FuelNormView(SecuredModelView):
    column_list = ("vehicle", "valid_from", "base_norm", "order_number", "order_date", "surcharges")
    column_filters = (pickers.by(FuelNorm.vehicle_id), "valid_from")
    form_columns = ("vehicle", "valid_from", "base_norm", "order_number", "order_date")
    inline_models = ((FuelSurcharge, {"form_columns": ("id", "kind", "name", "percent", "valid_from", "valid_to",
                                                       "order_number", "order_date")}),)
    column_formatters = {"surcharges": lambda v, c, m, n: "; ".join(str(s) for s in m.surcharges)}


class FleetSettingsView(SecuredModelView):
    allow_delete = False
    column_list = ("region", "winter_from", "winter_to", "winter_order", "overrun_tolerance_pct")
    form_columns = column_list

    @property
    def allow_create(self):  # one row
        return fl.settings(db.session).id is None


# --- fuel-card statements ----------------------------------------------------------------------------------

class StatementForm(FlaskForm):
    provider = SelectField(_l("Fuel provider"), coerce=int, validators=[InputRequired()])
    file = FileField(_l("Statement file (xlsx, xls, ods, csv)"))
    data = HiddenField()
    filename = HiddenField()
    save_as = StringField(_l("Save this mapping for the provider as"), validators=[Optional()])


class FuelTransactionView(SecuredModelView):
    allow_create = allow_edit = allow_delete = False
    column_list = ("occurred_at", "card", "station", "product", "litres", "price", "amount", "vehicle", "waybill",
                   "statement")
    column_sortable_list = ("occurred_at", "litres", "amount")
    column_filters = ("occurred_at", pickers.by(FuelTransaction.vehicle_id), pickers.by(FuelTransaction.card_id),
                      "statement")
    column_default_sort = ("occurred_at", True)
    endpoint_operations = {"statement_view": "write"}

    def list_tools(self):
        from .base import ListTool

        tools = super().list_tools()
        if self.may_write():
            tools = tools + [ListTool(id="statement-tool", label=_l("Import a statement"),
                                      url=url_for(".statement_view"), icon="fa-upload")]
        return tools

    @expose("/statement/", methods=("GET", "POST"))
    def statement_view(self):
        if not self.may_write():
            abort(403)
        form = StatementForm()
        form.provider.choices = [(s.id, s.short_name or s.full_name) for s in db.session.scalars(
            select(Supplier).where(Supplier.id.in_(select(fs.FuelCard.provider_id))).order_by(Supplier.short_name))]
        headers, mapping = [], None
        if form.validate_on_submit():
            upload = request.files.get(form.file.name)
            if upload is not None and upload.filename:
                data, filename = upload.read(), upload.filename
            elif form.data.data:
                data, filename = base64.b64decode(form.data.data), form.filename.data
            else:
                flash(gettext("Choose the statement file."), "error")
                return self.render("admin/fleet_statement.html", form=form, headers=[], fields=FIELDS,
                                   labels=LABELS)
            chosen = {k[4:]: v for k, v in request.form.items() if k.startswith("map:")}
            mapping = chosen or None
            result = in_transaction(fs.import_statement, db.session, form.provider.data, data, filename, mapping,
                                    form.save_as.data or None)
            if result is not REFUSED:
                flash(gettext("Statement %(file)s: %(added)s transactions added (%(matched)s on waybills), "
                              "%(skipped)s already imported.", file=filename, added=result.added,
                              matched=result.matched, skipped=result.skipped), "success")
                return redirect(url_for(".index_view"))
            form.data.data = base64.b64encode(data).decode("ascii")
            form.filename.data = filename
            try:
                headers = [h for h in fs.read_statement(db.session, form.provider.data, data, mapping)[0] if h]
            except Exception:  # the file itself is unreadable: the refusal above says why
                db.session.rollback()
                headers = []
        return self.render("admin/fleet_statement.html", form=form, headers=headers, fields=FIELDS, labels=LABELS,
                           mapping=mapping or {})


# --- the fuel month and its act -------------------------------------------------------------------------------

class FuelMonthView(SecuredModelView):
    allow_create = allow_edit = allow_delete = False
    column_list = ("year", "month", "status", "closed_at", "reopened_at", "reopen_reason")
    column_default_sort = [("year", True), ("month", True)]
    endpoint_operations = {"reconcile_view": "read", "close_view": "close", "reopen_view": "reopen"}
    close_roles = EDITORS | fm.REOPENERS
    reopen_roles = fm.REOPENERS

    def list_tools(self):
        from .base import ListTool

        return super().list_tools() + [ListTool(id="reconcile-tool", label=_l("Reconciliation and close"),
                                                url=url_for(".reconcile_view"), icon="fa-check-square-o")]

    @expose("/reconcile/")
    def reconcile_view(self):
        year, month = _month_arg(request.args.get("month"))
        problems = fm.reconcile(db.session, year, month)
        record = fm.month_of(db.session, year, month)
        act = fm.act_of(db.session, record) if record is not None else None
        summary = fm.totals(db.session, year, month)
        groups = [(kind, title, [p for p in problems if p.kind == kind]) for kind, title in fm.KINDS.items()]
        return self.render("admin/fleet_month.html", year=year, month=month, groups=groups, record=record, act=act,
                           summary=summary, closed=record is not None and record.status == MonthStatus.closed,
                           may_close=current_role() in self.close_roles, may_reopen=current_role() in fm.REOPENERS,
                           commissions=documents_commissions())

    @expose("/close/", methods=("POST",))
    def close_view(self):
        year, month = _month_arg(request.form.get("month"))
        done = in_transaction(fm.close_month, db.session, year, month, current_user,
                              request.form.get("commission", type=int) or None)
        if done is not REFUSED:
            flash(gettext("The fuel month %(m)s is closed; the write-off act is drafted.", m=str(done)), "success")
        return redirect(url_for(".reconcile_view", month=f"{year}-{month:02d}"))

    @expose("/reopen/", methods=("POST",))
    def reopen_view(self):
        year, month = _month_arg(request.form.get("month"))
        record = fm.month_of(db.session, year, month)
        if record is None:
            abort(404)
        done = in_transaction(fm.reopen_month, db.session, record, current_user, request.form.get("reason"))
        if done is not REFUSED:
            flash(gettext("The fuel month %(m)s is reopened.", m=str(record)), "success")
        return redirect(url_for(".reconcile_view", month=f"{year}-{month:02d}"))


def documents_commissions():
    from models import Commission

    return [(c.id, str(c)) for c in db.session.scalars(select(Commission).order_by(Commission.order_date.desc()))]


class FuelWriteOffView(ReversibleMixin, SecuredModelView):
    allow_create = allow_edit = allow_delete = False
    column_list = ("number", "year", "act_date", "status", "month", "commission", "approved_by", "approved_at")
    column_details_list = ("number", "year", "act_date", "status", "month", "commission", "account", "lines",
                           "created_by", "approved_by", "approved_at")
    column_formatters = {"lines": lambda v, c, m, n: "; ".join(
        f"{line.vehicle.plate if line.vehicle else ''} {line.litres} л × {line.price} = {line.amount} ({line.basis})"
        for line in m.lines)}
    column_default_sort = ("id", True)
    endpoint_operations = {"approve_view": "approve", "print_view": "read", **ReversibleMixin.endpoint_operations}
    approve_roles = fm.REOPENERS

    def details_extras(self, model):
        from markupsafe import Markup

        from .documents import _csrf

        extras = super().details_extras(model)
        extras.append(Markup('<a class="btn btn-outline-secondary mr-2" id="print-act" href="{}">{}</a>').format(
            url_for(".print_view", id=model.id), gettext("Print the act (Excel)")))
        if model.status.value == "draft" and current_role() in fm.REOPENERS:
            extras.append(Markup(
                '<form method="POST" action="{}" class="d-inline" id="approve-form"><input type="hidden" '
                'name="csrf_token" value="{}"><input type="hidden" name="id" value="{}"><button class="btn '
                'btn-success" id="approve-act" type="submit">{}</button></form>').format(
                url_for(".approve_view"), _csrf(), model.id, gettext("Approve")))
        return extras

    @expose("/approve/", methods=("POST",))
    def approve_view(self):
        act = db.session.get(FuelWriteOff, request.form.get("id", type=int) or 0)
        if act is None:
            abort(404)
        done = in_transaction(documents.approve, db.session, act, current_user)
        if done is not REFUSED:
            flash(gettext("Act %(act)s approved.", act=str(act)), "success")
        return redirect(url_for(".details_view", id=act.id))

    @expose("/print/")
    def print_view(self):
        act = db.session.get(FuelWriteOff, request.args.get("id", type=int) or 0)
        if act is None:
            abort(404)
        data = fm.act_data(db.session, act)
        chunks = workbook_chunks(lambda workbook, formats: write_fuel_write_off(workbook, formats, data))
        name = export_filename(gettext("Fuel write-off act %(n)s", n=f"{act.number}-{act.year}"), act.act_date)
        return Response(chunks, mimetype=XLSX, headers={"Content-Disposition": content_disposition(name)})


__all__ = ["FleetSettingsView", "FuelMonthView", "FuelNormView", "FuelTransactionView", "FuelWriteOffView",
           "TransportRequestView", "WaybillView"]
