"""Write-off from the asset list («Списать», «Утилизировать»), the lock on assets in an act,
and the write-off acts' own view (approve, cancel, download the act)."""
from datetime import date

from flask import Response, abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.model.template import EditRowAction
from flask_babel import gettext, lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from models import (Asset, Commission, WriteOffAct, WriteOffCost, WriteOffForm, WriteOffMaterial, WriteOffReason,
                    WriteOffStatus, db)
from models.labels import FIELD_LABELS
from reports.inventory_card import write_inventory_card
from reports.workbook import content_disposition, export_filename, workbook_chunks
from reports.write_off_act import write_act
from services import write_off as wo
from models.rules import Refused
from services.institution import settings
from services.inventory_card import card_data

from .transaction import REFUSED, in_transaction

from .base import EDITORS, EVERYONE, ListTool, SecuredModelView, current_role
from .documents import ReversibleMixin
from .fields import CleanForm, RussianDateField, parse_amount
from .ids import parse_id, parse_ids

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PER_LINE_LIMIT = 100  # above this many lines the draft form offers only the common texts
SHOWN_LIMIT = 1000  # rows of the eligibility table rendered on the page


def _ids_text(ids) -> str:
    return ",".join(str(i) for i in ids)


def _parse_ids(text) -> list[int]:
    return parse_ids([text])


def _commissions():
    return [(c.id, str(c)) for c in db.session.scalars(select(Commission).order_by(Commission.order_date.desc(),
                                                                                  Commission.id.desc()))]


class DraftForm(CleanForm):
    ids = HiddenField()
    act_date = RussianDateField(_l("Act date"), validators=[DataRequired()], default=date.today)
    form = SelectField(FIELD_LABELS["form"], choices=WriteOffForm.choices(), default=WriteOffForm.f0504104.value)
    reason = SelectField(FIELD_LABELS["reason"], choices=WriteOffReason.choices())
    reason_details = TextAreaField(FIELD_LABELS["reason_details"], validators=[Optional()])
    evidence_number = StringField(FIELD_LABELS["evidence_number"], validators=[Optional(), Length(max=50)])
    evidence_date = RussianDateField(FIELD_LABELS["evidence_date"], validators=[Optional()])
    commission = SelectField(FIELD_LABELS["commission"], coerce=parse_id)
    conclusion = TextAreaField(FIELD_LABELS["conclusion"], validators=[Optional()])
    condition = TextAreaField(_l("Condition (all lines)"), validators=[Optional()])
    line_conclusion = TextAreaField(_l("Conclusion (all lines)"), validators=[Optional()])

    def fill_choices(self):
        self.commission.choices = [("", "—")] + _commissions()

    def validate_commission(self, field):
        if not field.data:
            raise ValidationError(gettext("Choose the commission that signs the act."))


class DisposeForm(CleanForm):
    ids = HiddenField()
    disposed_on = RussianDateField(FIELD_LABELS["disposed_on"], validators=[DataRequired()], default=date.today)
    document = StringField(FIELD_LABELS["disposal_document"], validators=[DataRequired(), Length(max=200)])


class LockAwareEditRowAction(EditRowAction):
    """The pencil is not offered on rows that belong to a write-off act."""

    def render(self, context, row_id, row):
        if getattr(row, "locked", False):
            return ""
        return super().render(context, row_id, row)


def locked_message(asset) -> str:
    return Refused([Asset.lock_problem(asset.status)]).messages()[0]


class WriteOffAssetMixin:
    """For the asset list: the batch actions and the lock on assets in an act."""

    details_template = "admin/asset_details.html"
    endpoint_operations = {"card_view": "read"}

    def is_locked(self, asset) -> bool:
        return asset is not None and asset.locked

    def list_tools(self):
        tools = super().list_tools()
        if self.may_write():
            args = {k: v for k, v in request.args.items() if k not in ("page",)}
            tools = tools + [ListTool("write-off-found", gettext("Write off all found"),
                                      url_for(".write_off_view", found=1, **args), "fa-archive")]
        return tools

    def is_action_allowed(self, name):
        if name in ("write_off", "dispose") and not self.may_write():
            return False
        return super().is_action_allowed(name)

    @action("write_off", _l("Write off"))
    def action_write_off(self, ids):
        return redirect(url_for(".write_off_view", ids=_ids_text(ids)))

    @action("dispose", _l("Dispose of (written-off)"))
    def action_dispose(self, ids):
        return redirect(url_for(".dispose_view", ids=_ids_text(ids)))

    # The lock: edit form, inline edit and row pencil refuse assets in an act.
    def get_list_row_actions(self):
        return [LockAwareEditRowAction() if type(a) is EditRowAction else a for a in super().get_list_row_actions()]

    @expose("/edit/", methods=("GET", "POST"))
    def edit_view(self):
        model = self.get_one(request.args.get("id")) if request.args.get("id") else None
        if self.is_locked(model):
            flash(locked_message(model), "error")
            return redirect(url_for(".details_view", id=model.id))
        return super().edit_view()

    @expose("/ajax/update/", methods=("POST",))
    def ajax_update(self):
        model = self.get_one(request.form.get("list_form_pk")) if request.form.get("list_form_pk") else None
        if self.is_locked(model):
            return locked_message(model), 400
        return super().ajax_update()

    # «Списать»: the draft form with each asset's eligibility.
    def _write_off_ids(self, form):
        if request.method == "POST":
            return _parse_ids(form.ids.data)
        return self.selection().ids(db.session)

    @expose("/write-off/", methods=("GET", "POST"))
    def write_off_view(self):
        if not self.may_write():
            abort(403)
        form = DraftForm()
        form.fill_choices()
        ids = self._write_off_ids(form)
        form.ids.data = _ids_text(ids)
        if not ids:
            flash(gettext("Tick the assets to write off first."), "error")
            return redirect(url_for(".index_view"))
        if request.method == "GET":
            form.form.data = request.args.get("form")
        if form.form.data not in {m.value for m in WriteOffForm}:  # none asked, or one we don't have
            form.form.data = self._suggested_form(ids)
        checked = wo.eligibility(db.session, ids, form.form.data)
        eligible = [e for e in checked if e.ok]
        if request.method == "POST" and "create" in request.form and form.validate():
            response = self._create_draft(form, ids, eligible)
            if response is not None:
                return response
        return self.render("admin/write_off_draft.html", form=form, checked=checked[:SHOWN_LIMIT],
                           hidden_count=max(len(checked) - SHOWN_LIMIT, 0), eligible_count=len(eligible),
                           refused_count=len(checked) - len(eligible), per_line=len(eligible) <= PER_LINE_LIMIT,
                           line_texts=request.form)

    def _suggested_form(self, ids):
        from models import Vehicle

        vehicles = db.session.scalar(select(Vehicle.id).where(Vehicle.asset_id.in_(ids[:1000])).limit(1))
        return WriteOffForm.f0504105.value if vehicles and len(ids) == 1 else WriteOffForm.f0504104.value

    def _create_draft(self, form, ids, eligible):
        per_line = {}
        for e in eligible:
            condition = (request.form.get(f"condition_{e.asset_id}") or "").strip() or None
            conclusion = (request.form.get(f"conclusion_{e.asset_id}") or "").strip() or None
            if condition or conclusion:
                per_line[e.asset_id] = wo.LineText(condition, conclusion)
        draft = wo.DraftRequest(
            act_date=form.act_date.data, form=WriteOffForm(form.form.data), reason=WriteOffReason(form.reason.data),
            commission_id=form.commission.data, created_by_id=current_user.id,
            reason_details=form.reason_details.data or None, evidence_number=form.evidence_number.data or None,
            evidence_date=form.evidence_date.data, conclusion=form.conclusion.data or None,
            condition=form.condition.data or None, line_conclusion=form.line_conclusion.data or None,
            per_line=per_line)
        made = in_transaction(wo.create_draft, db.session, ids, draft)
        if made is REFUSED:
            return None
        act, checked = made
        refused = sum(1 for e in checked if not e.ok)
        flash(gettext("Draft write-off act %(act)s created: %(count)s assets, %(refused)s refused.",
                      act=str(act), count=len(checked) - refused, refused=refused), "success")
        return redirect(url_for("writeoffact.details_view", id=act.id))

    # The inventory card (0504031) of any asset, e.g. to attach to its write-off act.
    @expose("/card/")
    def card_view(self):
        asset = db.session.get(Asset, request.args.get("id", type=int) or 0)
        if asset is None:
            abort(404)
        data = card_data(db.session, asset, settings(db.session))
        chunks = workbook_chunks(lambda workbook, formats: write_inventory_card(workbook, formats, data))
        name = export_filename(gettext("Inventory card %(number)s", number=asset.inventory_number), date.today())
        return Response(chunks, mimetype=XLSX, headers={"Content-Disposition": content_disposition(name)})

    # «Утилизировать»: written-off assets get a disposal date and document.
    @expose("/dispose/", methods=("GET", "POST"))
    def dispose_view(self):
        if not self.may_write():
            abort(403)
        form = DisposeForm()
        ids = _parse_ids(form.ids.data if request.method == "POST" else request.args.get("ids"))
        form.ids.data = _ids_text(ids)
        if not ids:
            flash(gettext("Tick the assets to dispose of first."), "error")
            return redirect(url_for(".index_view"))
        assets = db.session.scalars(select(Asset).where(Asset.id.in_(ids[:SHOWN_LIMIT]))
                                    .order_by(Asset.inventory_number)).all()
        if request.method == "POST" and form.validate():
            count = in_transaction(wo.mark_disposed, db.session, ids, form.disposed_on.data, form.document.data)
            if count is not REFUSED:
                flash(gettext("%(count)s assets marked as disposed.", count=count), "success")
                batch = db.session.info["audit"].batch_id
                return redirect(url_for(".index_view", batch=batch))
        return self.render("admin/write_off_dispose.html", form=form, assets=assets, total=len(ids))


APPROVERS = wo.APPROVERS


class WriteOffActView(ReversibleMixin, SecuredModelView):
    """Acts are made from the asset list; here they are read, approved, cancelled, reversed and printed.
    No one edits or deletes an act through the panel: a wrong draft is cancelled and made again, an
    approved act is corrected by a reversing document."""

    read_roles = EVERYONE
    write_roles = EDITORS  # cancel a draft, its costs and materials
    approve_roles = APPROVERS
    endpoint_operations = {"approve_view": "approve", "download_view": "read"}
    allow_create = allow_edit = allow_delete = False
    details_template = "admin/write_off_act_details.html"
    column_list = ("number", "act_date", "form", "reason", "status", "responsible", "commission", "approved_by",
                   "approved_at")
    column_details_list = ("number", "act_date", "form", "form_family", "property_kind", "account_group", "reason",
                           "reason_details", "status", "evidence_number", "evidence_date", "responsible",
                           "department", "commission", "chair", "members", "conclusion", "created_by", "approved_by",
                           "approved_at", "cancelled_by", "cancelled_at", "created_at")
    column_sortable_list = ("act_date", "form", "reason", "status", "approved_at", ("number", ("year", "number")))
    column_filters = ("status", "form", "reason", "act_date", "year")
    column_default_sort = [("year", True), ("number", True)]
    column_formatters = {"number": lambda v, c, m, n: str(m),
                         "form": lambda v, c, m, n: f"{m.form_code} — {m.form.label}",
                         "chair": lambda v, c, m, n: m.chair.full_name if m.chair else "",
                         "members": lambda v, c, m, n: ", ".join(e.full_name for e in m.members)}
    column_formatters_detail = column_formatters
    column_labels = {"number": _l("Act number")}
    column_auto_select_related = True

    def may_approve(self) -> bool:
        return current_role() in self.approve_roles

    def _act_or_404(self, act_id):
        pk = parse_id(act_id)
        act = db.session.get(WriteOffAct, pk) if pk else None
        if act is None:
            abort(404)
        return act

    def render(self, template, **kwargs):
        if template == self.details_template and kwargs.get("model") is not None:
            act = kwargs["model"]
            draft = act.status == WriteOffStatus.draft
            kwargs.update(lines=act.lines[:SHOWN_LIMIT], line_count=len(act.lines),
                          can_approve=self.may_approve() and draft,
                          can_cancel=self.may_write() and draft, can_edit_extras=self.may_write() and draft)
        return super().render(template, **kwargs)

    @expose("/approve/", methods=("POST",))
    def approve_view(self):
        if not self.may_approve():
            abort(403)
        act = self._act_or_404(request.form.get("id"))
        count = in_transaction(wo.approve, db.session, act, current_user)
        if count is not REFUSED:
            flash(gettext("Act %(act)s approved: %(count)s assets written off.", act=str(act), count=count), "success")
        return redirect(url_for(".details_view", id=act.id))

    @expose("/cancel/", methods=("POST",))
    def cancel_view(self):
        if not self.may_write():
            abort(403)
        act = self._act_or_404(request.form.get("id"))
        count = in_transaction(wo.cancel, db.session, act, current_user)
        if count is not REFUSED:
            flash(gettext("Act %(act)s cancelled: %(count)s assets returned to their previous status.",
                          act=str(act), count=count), "success")
        return redirect(url_for(".details_view", id=act.id))

    # Sections 2 and 3 of the act: write-off costs and materials received, entered on the draft.
    @expose("/extras/", methods=("POST",))
    def extras_view(self):
        if not self.may_write():
            abort(403)
        act = self._act_or_404(request.form.get("id"))
        what = request.form.get("what")
        try:
            if what == "cost":
                wo.add_cost(db.session, act, request.form.get("name"), parse_amount(request.form.get("amount")),
                            request.form.get("document"), request.form.get("balance_account"))
            elif what == "material":
                wo.add_material(db.session, act, request.form.get("name"),
                                parse_amount(request.form.get("quantity")), parse_amount(request.form.get("amount")),
                                request.form.get("unit") or "шт", request.form.get("okei"),
                                request.form.get("balance_account"))
            elif what in ("remove_cost", "remove_material"):
                model = WriteOffCost if what == "remove_cost" else WriteOffMaterial
                wo.remove_extra(db.session, act, model, request.form.get("item", type=int) or 0)
            else:
                abort(400)
            db.session.commit()
        except (wo.documents.DocumentRefused, ValueError) as exc:
            db.session.rollback()
            flash(str(getattr(exc, "message", None) or gettext("Check the numbers: quantity and amount.")), "error")
        return redirect(url_for(".details_view", id=act.id) + "#act-extras")

    @expose("/download/")
    def download_view(self):
        act = self._act_or_404(request.args.get("id"))
        institution = settings(db.session)

        def fill(workbook, formats):
            write_act(workbook, formats, act, wo.act_lines(db.session, act), institution=institution)

        chunks = workbook_chunks(fill, yes=gettext("Yes"), no=gettext("No"))
        name = export_filename(gettext("Write-off act %(number)s-%(year)s", number=act.number, year=act.year),
                               act.act_date)
        return Response(chunks, mimetype=XLSX, headers={"Content-Disposition": content_disposition(name)})
