"""Bulk edit on any list: «Изменить выбранные» (ticked rows) and «Изменить все найденные (N)».

A view switches it on with ``bulk_edit_fields = (...)`` (form field names). The form reuses the
view's own create-form fields (same validators, money fields, ajax pickers); only ticked fields
change; nullable ones can be cleared. Preview, then apply, are ``services.bulk_edit``.
"""
from collections import Counter

from flask import abort, current_app, flash, g, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_babel import gettext as _, lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select

from models import ChangeLogEntry, db
from models.changelog import plain
from models.names import related_names
from services import bulk_edit
from services.audit import from_plain
from services.display import display

from .selection import Selection
from .tools import ListTool

from .transaction import REFUSED, in_transaction

from .ids import parse_ids

CONFIRM_OVER = 500  # records; above this the clerk types the number to confirm


def _token_serializer(table: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt=f"bulk-edit:{table}")


def dump_token(table: str, preview) -> str:
    """The preview's changes and the versions it saw, signed (and compressed) for the apply step."""
    ids = sorted(preview.versions)
    deltas = [b - a for a, b in zip([0] + ids, ids)]
    return _token_serializer(table).dumps({
        "c": {k: plain(v) for k, v in preview.changes.items()},
        "i": deltas, "v": [preview.versions[i] for i in ids],
    })


def load_token(table, token: str):
    payload = _token_serializer(table.name).loads(token)
    ids, total = [], 0
    for delta in payload["i"]:
        total += delta
        ids.append(total)
    changes = {k: from_plain(table.c[k], v) for k, v in payload["c"].items()}
    return changes, dict(zip(ids, payload["v"]))


class BulkEditMixin:
    @property
    def bulk_edit_fields(self) -> tuple:
        """Form fields for the model's declared ``bulk_editable`` attributes (a foreign key by its relationship)."""
        mapper = self.model.__mapper__
        by_column = {mapper.get_property_by_column(next(iter(rel.local_columns))).key: rel.key
                     for rel in mapper.relationships if rel.direction.name == "MANYTOONE" and len(rel.local_columns) == 1}
        names = (by_column.get(attr, attr) for attr in getattr(self.model, "bulk_editable", ()))
        return tuple(n for n in names if n in (self.form_columns or ()))
    # field -> values a bulk edit may not set (e.g. write-off statuses, set only through an act)
    bulk_edit_excluded_choices: dict = {}
    bulk_edit_template = "admin/bulk_edit/form.html"
    bulk_preview_template = "admin/bulk_edit/preview.html"
    bulk_result_template = "admin/bulk_edit/result.html"

    endpoint_operations = {"bulk_edit_view": "bulk_edit", "bulk_edit_result_view": "bulk_edit"}
    action_operations = {"bulk_edit": "bulk_edit"}

    @property
    def bulk_edit_roles(self):
        """Who may bulk edit here: the writers, where the view switched bulk edit on."""
        return self.write_roles if self.bulk_edit_fields and self.allow_edit else frozenset()

    def bulk_edit_enabled(self) -> bool:
        return bool(self.bulk_edit_fields) and self.can_edit

    def is_action_allowed(self, name):
        if name == "bulk_edit" and not self.bulk_edit_enabled():
            return False
        return super().is_action_allowed(name)

    def get_list(self, *args, **kwargs):
        count, data = super().get_list(*args, **kwargs)
        if kwargs.get("page_size") != 0:
            g.khozchast_list_count = count  # the list's own count, reused by «Изменить все найденные (N)»
        return count, data

    def list_tools(self):

        tools = list(getattr(super(), "list_tools", list)())
        if self.bulk_edit_enabled():
            count = g.get("khozchast_list_count")
            if count is None:
                count = Selection(self, None).count(db.session)
            tools.append(ListTool("bulk-edit-found", _("Edit all found (%(count)s)", count=count),
                                  url_for(".bulk_edit_view", **request.args), icon="fa-pencil"))
        return tools

    @action("bulk_edit", _l("Edit selected"))
    def action_bulk_edit(self, ids):
        return self._bulk_form_page(self._bulk_form(formdata=None), ids=",".join(ids))

    # The form: the view's create-form fields, those named in bulk_edit_fields.
    def _bulk_form(self, formdata):
        form = self.get_create_form()(formdata)
        for name, values in self.bulk_edit_excluded_choices.items():
            field = form[name]
            field.choices = [c for c in field.choices if c[0] not in values]
        return form

    def _bulk_fields(self, form):
        fields = []
        for name in self.bulk_edit_fields:
            key, column, _rel = self._bulk_column(name)
            fields.append({"name": name, "field": form[name], "nullable": column.nullable,
                           "ticked": bool(request.form.get(f"bulk_tick_{name}")),
                           "cleared": bool(request.form.get(f"bulk_clear_{name}"))})
        return fields

    def _bulk_column(self, name):
        """(column key, column, related model or None) behind a form field."""
        mapper = self.model.__mapper__
        if name in mapper.relationships:
            rel = mapper.relationships[name]
            column = next(iter(rel.local_columns))
            return mapper.get_property_by_column(column).key, column, rel.mapper.class_
        column = mapper.columns[name]
        return name, column, None

    def _bulk_form_page(self, form, ids="", errors=None):
        return self.render(self.bulk_edit_template, form=form, fields=self._bulk_fields(form), ids=ids,
                           scope_count=self._bulk_scope_count(ids), errors=errors or [],
                           action_url=url_for(".bulk_edit_view", **request.args),
                           return_url=url_for(".index_view", **request.args))

    def _bulk_selection(self, ids: str) -> Selection:
        """The form carries the ticked ids; without them, the list's query string means "all found"."""
        return Selection(self, parse_ids([ids])) if ids else Selection(self, None)

    def _bulk_ids(self, ids: str):
        return self._bulk_selection(ids).ids(db.session)

    def _bulk_scope_count(self, ids: str) -> int:
        return self._bulk_selection(ids).count(db.session)

    def _bulk_changes(self, form):
        """(changes by column key, errors) from the ticked fields."""
        changes, errors = {}, []
        for item in self._bulk_fields(form):
            if not item["ticked"]:
                continue
            name, field = item["name"], item["field"]
            key, column, related = self._bulk_column(name)
            if item["cleared"] and column.nullable:
                changes[key] = None
                continue
            if not field.validate(form):
                errors.extend(f"{field.label.text}: {e}" for e in field.errors if isinstance(e, str))
                continue
            value = field.data
            if related is not None:
                value = getattr(value, "id", None)
            elif isinstance(value, str) and getattr(column.type, "enum_class", None):
                value = column.type.enum_class(value) if value else None
            elif value == "":
                value = None
            if value is None and not column.nullable:
                errors.append(_("%(field)s: choose a value.", field=field.label.text))
                continue
            changes[key] = value
        if not changes and not errors:
            errors.append(_("Tick at least one field to change."))
        return changes, errors

    @expose("/bulk_edit/", methods=("GET", "POST"))
    def bulk_edit_view(self):
        if not self.bulk_edit_enabled():
            abort(403)
        if request.method == "GET":
            return self._bulk_form_page(self._bulk_form(formdata=None))
        if request.form.get("step") == "apply":
            return self._bulk_apply()
        form = self._bulk_form(formdata=request.form)
        ids = request.form.get("ids", "")
        changes, errors = self._bulk_changes(form)
        if errors:
            return self._bulk_form_page(form, ids, errors)
        try:
            preview = bulk_edit.preview(db.session, self.model, self._bulk_ids(ids), changes)
        except bulk_edit.BulkEditError as exc:
            return self._bulk_form_page(form, ids, [str(exc)])
        return self.render(self.bulk_preview_template, preview=preview, ids=ids,
                           tables=self._bulk_count_tables(preview), token=dump_token(self.model.__tablename__, preview),
                           confirm_over=CONFIRM_OVER, action_url=url_for(".bulk_edit_view", **request.args),
                           return_url=url_for(".index_view", **request.args))

    def _bulk_apply(self):
        try:
            changes, versions = load_token(self.model.__table__, request.form.get("token", ""))
        except (BadSignature, KeyError, ValueError):
            flash(_("The preview is no longer valid; start the bulk edit again."), "error")
            return redirect(url_for(".index_view"))
        if len(versions) > CONFIRM_OVER and request.form.get("confirm_count", "").strip() != str(len(versions)):
            flash(_("Type the number of records (%(count)s) to confirm.", count=len(versions)), "error")
            return redirect(url_for(".bulk_edit_view", **request.args))
        result = in_transaction(bulk_edit.apply, db.session, self.model, versions, changes)
        if result is REFUSED:
            return redirect(url_for(".index_view"))
        if result.refusals:
            shown = "; ".join(f"{r.record or r.id}: {r.reason}" for r in result.refusals[:10])
            flash(_("%(count)s records were not changed: %(list)s", count=len(result.refusals), list=shown), "warning")
        return redirect(url_for(".bulk_edit_result_view", batch=result.batch_id))

    @expose("/bulk_edit/result/")
    def bulk_edit_result_view(self):
        batch_id = request.args.get("batch", "")
        changed = db.session.scalar(select(func.count()).select_from(ChangeLogEntry).where(
            ChangeLogEntry.batch_id == batch_id, ChangeLogEntry.entity == self.model.__tablename__))
        return self.render(self.bulk_result_template, batch_id=batch_id, changed=changed,
                           list_url=url_for(".index_view", batch=batch_id), may_undo=self.can_edit,
                           return_url=url_for(".index_view"))

    # Human labels of the old → new values.
    def _bulk_count_tables(self, preview):
        tables = []
        for name in self.bulk_edit_fields:
            key, _column, related = self._bulk_column(name)
            if key not in preview.changes:
                continue
            counter: Counter = preview.counts[key]
            labels = self._bulk_labels(related, {v for pair in counter for v in pair})
            rows = [(labels.get(old, display(old)), labels.get(new, display(new)), n)
                    for (old, new), n in counter.most_common()]
            tables.append({"label": self.get_column_name(name), "rows": rows, "records": sum(counter.values())})
        return tables

    def _bulk_labels(self, related, values):
        return related_names(db.session, related, values) if related is not None else {}
