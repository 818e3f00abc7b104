"""Transfers: the «Передать» action on assets, the transfers list (read-only) and the 0504102 workbook."""
from datetime import date

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select
from wtforms import TextAreaField

from models import Department, Transfer, db
from models.labels import FIELD_LABELS
from reports.transfer_form import write_transfer_form
from reports.workbook import content_disposition, workbook_chunks
from services.institution import settings
from services.transfers import asset_transfers, form_data, transfer_assets

from . import pickers
from .transaction import REFUSED, in_transaction
from .base import SecuredModelView
from .documents import ReversibleMixin
from .fields import CleanForm, PickerField, RecordSelectField, RussianDateField
from .ids import parse_id


def transfer_form_class(view):
    """The «Передать» form; its pickers reuse the asset view's ajax loaders (search as you type)."""
    class TransferForm(CleanForm):
        to_responsible = PickerField(view._form_ajax_refs["responsible"], FIELD_LABELS["to_responsible"],
                                         allow_blank=True)
        to_department = RecordSelectField(FIELD_LABELS["to_department"], allow_blank=True, blank_text="—",
                                         query_factory=lambda: db.session.scalars(
                                             select(Department).order_by(Department.name)).all())
        to_room = PickerField(view._form_ajax_refs["room"], FIELD_LABELS["to_room"], allow_blank=True)
        doc_date = RussianDateField(FIELD_LABELS["doc_date"], default=date.today)
        reason = TextAreaField(FIELD_LABELS["reason"])
    return TransferForm


class TransferActionMixin:
    """«Передать» on the asset list: ticked assets → one transfer document per current responsible person."""

    @action("transfer", _l("Hand over"))
    def action_transfer(self, ids):
        form = transfer_form_class(self)(formdata=None)
        return self.render("admin/transfer_form.html", form=form, ids=",".join(ids), count=len(ids),
                           return_url=url_for(".index_view"))

    def is_action_allowed(self, name):
        if name == "transfer" and not self.can_edit:
            return False
        return super().is_action_allowed(name)

    @expose("/transfer/", methods=("POST",))
    def transfer_view(self):
        if not self.can_edit:
            abort(403)
        form = transfer_form_class(self)(formdata=request.form)
        ids = self.selection().ids(db.session)
        if form.validate():
            result = in_transaction(
                transfer_assets, db.session, ids, doc_date=form.doc_date.data,
                to_responsible_id=getattr(form.to_responsible.data, "id", None),
                to_department_id=getattr(form.to_department.data, "id", None),
                to_room_id=getattr(form.to_room.data, "id", None), reason=form.reason.data or None,
                user=current_user)
            if result is not REFUSED:
                flash(_("Transfer documents created: %(docs)s; assets moved: %(count)s.",
                        docs=", ".join(f"№ {t.number}" for t in result.transfers), count=result.assets), "success")
                if len(result.transfers) == 1:
                    return redirect(url_for("transfer.details_view", id=result.transfers[0].id))
                return redirect(url_for("transfer.index_view", batch=result.batch_id))
        return self.render("admin/transfer_form.html", form=form, ids=",".join(map(str, ids)), count=len(ids),
                           return_url=url_for(".index_view"))

    def details_extras(self, model):
        rows = asset_transfers(db.session, model.id)
        return super().details_extras(model) + [
            Markup(render_template("admin/asset_transfers.html", rows=rows))]


def _lines_table(view, context, model, name):
    return Markup(render_template("admin/transfer_lines.html", transfer=model))


class TransferView(ReversibleMixin, SecuredModelView):
    allow_create = allow_edit = allow_delete = False
    endpoint_operations = {"form_view": "read"}  # the 0504102 workbook is a read of the document
    column_list = ("number", "year", "doc_date", "status", "from_responsible", "to_responsible", "to_department",
                   "to_room", "reason")
    column_details_list = ("number", "year", "doc_date", "status", "from_responsible", "to_responsible",
                           "to_department", "to_room", "reason", "lines", "created_by", "approved_by", "approved_at",
                           "created_at")
    column_sortable_list = ("number", "year", "doc_date", ("from_responsible", "from_responsible.full_name"),
                            ("to_responsible", "to_responsible.full_name"))
    column_filters = ("doc_date", pickers.by(Transfer.from_responsible_id, "from_responsible"),
                      pickers.by(Transfer.to_responsible_id, "to_responsible"),
                      pickers.by(Transfer.to_department_id, "to_department"), "year", "number")
    column_searchable_list = ("reason",)
    column_default_sort = ("id", True)
    column_formatters_detail = {"lines": _lines_table}
    column_auto_select_related = True

    def details_extras(self, model):
        url = url_for(".form_view", id=model.id)
        return super().details_extras(model) + [Markup(
            f'<a class="btn btn-primary" id="transfer-download" href="{url}"><i class="fa fa-file-excel-o"></i> '
            f'{Markup.escape(_("Download the form 0504102 (Excel)"))}</a>')]

    @expose("/form/")
    def form_view(self):
        pk = parse_id(request.args.get("id"))
        transfer = db.session.get(Transfer, pk) if pk else None
        if transfer is None:
            abort(404)
        data = form_data(transfer, settings(db.session))
        chunks = workbook_chunks(lambda workbook, formats: write_transfer_form(workbook, data))
        name = f"Накладная_0504102_№{transfer.number}_{transfer.doc_date:%Y-%m-%d}.xlsx"
        return Response(chunks, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": content_disposition(name)})
