"""The document engine in the panel: institution settings (administrators), commissions with their
appointing order, reversing documents, and the «reverse» button every approved document offers."""
from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext
from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy import select
from wtforms.validators import ValidationError

from models import Commission, Institution, Reversal, ReversalStatus, Role, db
from services import documents
from services.document_kinds import KINDS  # noqa: F401  (every kind registered for reversals)

from .base import EDITORS, EVERYONE, SecuredModelView, current_role
from .permissions import ADMINS


def _refused(exc):
    flash(str(exc.message), "error")
    for line in exc.details[:20]:
        flash(str(line), "error")


class ReversibleMixin:
    """An approved document offers «Reverse»: a reversing document with a reason, approved later by
    whoever approves this kind. The approved document itself is never changed."""

    endpoint_operations = {"reverse_view": "reverse"}
    reverse_roles = EDITORS | documents.ADMINS

    def details_extras(self, model):
        extras = super().details_extras(model)
        reversal = documents.reversal_of(db.session, model)
        if reversal is not None:
            url = url_for("reversal.details_view", id=reversal.id)
            extras.append(Markup('<div class="alert alert-warning" id="reversal-note">{} <a href="{}">{}</a> ({})</div>')
                          .format(gettext("Reversing document:"), url, f"№ {reversal}", reversal.status.label))
        elif getattr(model.status, "value", None) == "approved" and current_role() in self.reverse_roles:
            extras.append(Markup(
                '<form method="POST" action="{action}" class="form-inline" id="reverse-form">'
                '<input type="hidden" name="csrf_token" value="{csrf}"><input type="hidden" name="id" value="{id}">'
                '<label class="mr-2" for="reverse-reason">{label}</label>'
                '<input class="form-control mr-2" style="min-width:30em" name="reason" id="reverse-reason" required>'
                '<button class="btn btn-outline-danger" type="submit" id="reverse-document">{button}</button></form>'
            ).format(action=url_for(".reverse_view"), csrf=_csrf(), id=model.id,
                     label=gettext("Reason for the reversal"), button=gettext("Draw up a reversing document")))
        return extras

    @expose("/reverse/", methods=("POST",))
    def reverse_view(self):
        document = db.session.get(self.model, request.form.get("id", type=int) or 0)
        if document is None:
            abort(404)
        try:
            reversal = documents.request_reversal(db.session, document, current_user, request.form.get("reason"))
            db.session.commit()
        except documents.DocumentRefused as exc:
            db.session.rollback()
            _refused(exc)
            return redirect(url_for(".details_view", id=document.id))
        flash(gettext("Reversing document %(number)s drawn up; it takes effect when approved.", number=str(reversal)),
              "success")
        return redirect(url_for("reversal.details_view", id=reversal.id))


def _csrf():
    from flask_wtf.csrf import generate_csrf
    return generate_csrf()


class ReversalView(SecuredModelView):
    """Reversing documents: read by all, approved by whoever approves the reversed kind, cancelled as drafts."""

    read_roles = EVERYONE
    write_roles = EDITORS
    approve_roles = frozenset({Role.admin, Role.head, Role.clerk})  # narrowed per document by the engine
    endpoint_operations = {"approve_view": "approve", "cancel_view": "write"}
    allow_create = allow_edit = allow_delete = False
    column_list = ("number", "doc_date", "target_kind", "target_id", "reason", "status", "created_by", "approved_by",
                   "approved_at")
    column_details_list = column_list + ("cancelled_by", "cancelled_at", "created_at")
    column_filters = ("status", "target_kind", "doc_date", "year")
    column_default_sort = [("year", True), ("number", True)]
    column_formatters = {
        "number": lambda v, c, m, n: str(m),
        "target_kind": lambda v, c, m, n: documents.KINDS[m.target_kind].label if m.target_kind in documents.KINDS
        else m.target_kind,
        "target_id": lambda v, c, m, n: _target_link(m)}
    column_formatters_detail = column_formatters

    def details_extras(self, model):
        extras = super().details_extras(model)
        if model.status != ReversalStatus.draft:
            return extras
        buttons = []
        if documents.may_approve(model, current_user):
            buttons.append(("approve_view", "approve-reversal", "btn-success", gettext("Approve the reversal")))
        if current_role() in self.write_roles:
            buttons.append(("cancel_view", "cancel-reversal", "btn-outline-secondary", gettext("Cancel the draft")))
        for endpoint, html_id, css, text in buttons:
            extras.append(Markup(
                '<form method="POST" action="{}" class="d-inline mr-2"><input type="hidden" name="csrf_token" '
                'value="{}"><input type="hidden" name="id" value="{}"><button class="btn {}" id="{}">{}</button></form>'
            ).format(url_for(f".{endpoint}"), _csrf(), model.id, css, html_id, text))
        return extras

    def _reversal(self):
        reversal = db.session.get(Reversal, request.form.get("id", type=int) or 0)
        if reversal is None:
            abort(404)
        return reversal

    @expose("/approve/", methods=("POST",))
    def approve_view(self):
        reversal = self._reversal()
        try:
            documents.approve(db.session, reversal, current_user)
            db.session.commit()
        except documents.DocumentRefused as exc:
            db.session.rollback()
            _refused(exc)
        else:
            flash(gettext("Reversal %(number)s approved: the document's effects are taken back.",
                          number=str(reversal)), "success")
        return redirect(url_for(".details_view", id=reversal.id))

    @expose("/cancel/", methods=("POST",))
    def cancel_view(self):
        reversal = self._reversal()
        try:
            documents.cancel(db.session, reversal, current_user)
            db.session.commit()
        except documents.DocumentRefused as exc:
            db.session.rollback()
            _refused(exc)
        return redirect(url_for(".details_view", id=reversal.id))


def _target_link(reversal):
    kind = documents.KINDS.get(reversal.target_kind)
    if kind is None:
        return reversal.target_id
    target = db.session.get(kind.model, reversal.target_id)
    endpoint = {"write_off": "writeoffact", "transfer": "transfer"}.get(reversal.target_kind)
    label = f"№ {target}" if target is not None else f"#{reversal.target_id}"
    if endpoint is None:
        return label
    return Markup('<a href="{}">{}</a>').format(url_for(f"{endpoint}.details_view", id=reversal.target_id),
                                                escape(label))


class CommissionView(SecuredModelView):
    """Standing commissions with the order that appointed them; acts refer to one."""

    column_list = ("name", "order_number", "order_date", "chair", "members")
    column_searchable_list = ("name", "order_number")
    column_sortable_list = ("name", "order_number", "order_date")
    form_columns = ("name", "order_number", "order_date", "chair", "members")
    column_export_list = ("name", "order_number", "order_date", "chair")  # exports stream rows: no collections
    column_formatters = {"members": lambda v, c, m, n: ", ".join(e.full_name for e in m.members)}
    column_formatters_detail = column_formatters
    column_default_sort = ("order_date", True)

    def on_model_change(self, form, model, is_created):
        problems = Commission.rules(None, {"order_number": model.order_number, "order_date": model.order_date})
        if problems:
            raise ValidationError(str(problems[0][1]))
        if model.chair is not None and model.chair in model.members:
            model.members.remove(model.chair)  # the chair is not counted again among the members
        if len(model.members) < 2:
            raise ValidationError(gettext("The commission needs a chair and at least two other members."))
        super().on_model_change(form, model, is_created)


class InstitutionView(SecuredModelView):
    """The institution's requisites: one record, edited by an administrator; every form prints them."""

    read_roles = EVERYONE
    write_roles = ADMINS
    allow_delete = False
    column_list = ("full_name", "inn", "kpp", "okpo", "head", "chief_accountant", "form_family")
    form_columns = ("full_name", "short_name", "okpo", "inn", "kpp", "ogrn", "oktmo", "registry_code", "budget_name",
                    "founder_name", "founder_code", "address", "phone", "head", "head_position", "chief_accountant",
                    "form_family")
    column_details_list = form_columns

    @property
    def allow_create(self):
        # One row: offered only while there is none.
        return db.session.scalar(select(Institution.id).limit(1)) is None

    @expose("/")
    def index_view(self):
        found = db.session.scalar(select(Institution.id).order_by(Institution.id).limit(1))
        if found is not None and not request.args:
            return redirect(url_for(".details_view", id=found))
        return super().index_view()

    def on_model_change(self, form, model, is_created):
        values = {f: getattr(model, f) for f in Institution.CHECKS}
        problems = Institution.rules(None, values)
        if problems:
            field, message = problems[0]
            raise ValidationError(f"{getattr(form, field).label.text}: {message}")
        super().on_model_change(form, model, is_created)

