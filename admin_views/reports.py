"""«Отчёты»: each accounting report is a form with its parameters, then a workbook download.
Reading only: every role that may read the lists may take the reports."""
from __future__ import annotations

from datetime import date

from flask import Response
from flask_admin import BaseView, expose
from flask_babel import format_date, gettext, lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateField, SelectField
from wtforms.validators import InputRequired, Optional

from models import AssetStatus, ContractKind, ContractStatus, Department, Employee, Supplier, db
from reports.contracts_register import write_contracts_register
from reports.inventory_list import write_inventory_list
from reports.responsible_assets import write_responsible_assets
from reports.workbook import content_disposition, export_filename, workbook_chunks
from services.institution import settings
from services.report_queries import asset_lines, contract_lines, responsible_people

from .base import RoleAccess
from .export import XLSX_MIMETYPE
from .ids import parse_id

ALL = ("", _l("— all —"))


def _choices(rows):
    return [ALL] + [(str(key), str(label)) for key, label in rows]


def _enum_choices(enum_class):
    return [ALL] + [(m.value, m.label) for m in enum_class]


def _id(value: str | None) -> int | None:
    return parse_id(value)


def _departments():
    return _choices(db.session.execute(select(Department.id, Department.name).order_by(Department.name)))


class AssetReportForm(FlaskForm):
    at = DateField(_l("At date"), validators=[InputRequired()], default=date.today,
                   description=_l("Today: depreciation as recorded; an earlier date: computed by the 257n rules."))
    department = SelectField(_l("Department"), default="")
    responsible = SelectField(_l("Responsible person"), default="")
    status = SelectField(_l("Status"), choices=_enum_choices(AssetStatus), default="")

    def fill_choices(self):
        self.department.choices = _departments()
        self.responsible.choices = _choices(responsible_people(db.session))
        self.status.choices = _enum_choices(AssetStatus)

    def describe(self) -> list[str]:
        """The chosen parameters in words, for the report's heading."""
        parts = []
        for field in (self.department, self.responsible, self.status):
            if field.data:
                label = dict((str(k), str(v)) for k, v in field.choices).get(field.data, field.data)
                parts.append(f"{field.label.text}: {label}")
        return parts


class ContractsReportForm(FlaskForm):
    signed_from = DateField(_l("Signed from"), validators=[Optional()])
    signed_to = DateField(_l("Signed to"), validators=[Optional()])
    status = SelectField(_l("Status"), default="")
    kind = SelectField(_l("Kind"), default="")
    supplier = SelectField(_l("Supplier"), default="")

    def fill_choices(self):
        self.status.choices = _enum_choices(ContractStatus)
        self.kind.choices = _enum_choices(ContractKind)
        self.supplier.choices = _choices(db.session.execute(
            select(Supplier.id, Supplier.short_name).order_by(Supplier.short_name)))

    def validate(self, extra_validators=None):
        if not super().validate(extra_validators):
            return False
        if self.signed_from.data and self.signed_to.data and self.signed_from.data > self.signed_to.data:
            self.signed_to.errors.append(gettext("The end of the period is before its start."))
            return False
        return True


class ReportView(RoleAccess, BaseView):
    """A parameter form (GET), then the workbook (POST).

    A report declares ``form_class`` and ``build(form) -> (title, fill)``, ``fill(workbook, formats)``
    writing the sheets."""

    form_class = FlaskForm
    description = ""

    @expose("/", methods=("GET", "POST"))
    def index(self):
        form = self.form_class()
        form.fill_choices()
        if form.validate_on_submit():
            title, fill = self.build(form)
            chunks = workbook_chunks(fill, yes=gettext("Yes"), no=gettext("No"))
            return Response(chunks, mimetype=XLSX_MIMETYPE, direct_passthrough=True, headers={
                "Content-Disposition": content_disposition(export_filename(title, self.file_date(form))),
                "Cache-Control": "no-store"})
        return self.render("admin/report_form.html", form=form, title=self.name, description=self.description)

    def file_date(self, form) -> date:
        return date.today()



class InventoryListView(ReportView):
    form_class = AssetReportForm
    description = _l("Assets grouped by balance account and responsible person, with book value, "
                     "depreciation and residual value, subtotals and a grand total.")

    def file_date(self, form):
        return form.at.data

    def build(self, form):
        lines = asset_lines(db.session, form.at.data, department_id=_id(form.department.data),
                            responsible_id=_id(form.responsible.data),
                            status=AssetStatus(form.status.data) if form.status.data else None)
        institution = settings(db.session)

        def fill(workbook, formats):
            write_inventory_list(workbook, formats, lines, at=form.at.data, filters=form.describe(),
                                 institution=institution)
        return gettext("Inventory list"), fill


class ResponsibleAssetsView(ReportView):
    form_class = AssetReportForm
    description = _l("One sheet per materially responsible person with their assets and a signature line.")

    def file_date(self, form):
        return form.at.data

    def build(self, form):
        responsible_id = _id(form.responsible.data)
        lines = asset_lines(db.session, form.at.data, department_id=_id(form.department.data),
                            responsible_id=responsible_id,
                            status=AssetStatus(form.status.data) if form.status.data else None, by_person=True)
        institution = settings(db.session)
        people = []
        if responsible_id:
            person = db.session.get(Employee, responsible_id)
            people = [(person.id, person.full_name)] if person else []

        def fill(workbook, formats):
            write_responsible_assets(workbook, formats, lines, at=form.at.data, people=people,
                                     institution=institution)
        return gettext("Assets of responsible persons"), fill


class ContractsRegisterView(ReportView):
    form_class = ContractsReportForm
    description = _l("Contracts signed in the period with IKZ, procurement method, supplier, INN, dates, amount, "
                     "status and days to end; drafts on a sheet of their own, outside the total.")

    def build(self, form):
        lines = contract_lines(db.session, signed_from=form.signed_from.data, signed_to=form.signed_to.data,
                               status=ContractStatus(form.status.data) if form.status.data else None,
                               kind=ContractKind(form.kind.data) if form.kind.data else None,
                               supplier_id=_id(form.supplier.data))
        period = " – ".join(format_date(d, "dd.MM.yyyy") if d else "…"
                            for d in (form.signed_from.data, form.signed_to.data))
        title = gettext("Contracts register")
        heading = title
        if form.signed_from.data or form.signed_to.data:
            heading = gettext("Contracts register, signed %(period)s", period=period)

        institution = settings(db.session)

        def fill(workbook, formats):
            write_contracts_register(workbook, formats, lines, title=heading, institution=institution)
        return title, fill
