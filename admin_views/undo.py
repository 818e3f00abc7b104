"""«Отменить пакет»: a confirmation page and the undo itself (admins and clerks), and the change-log action."""
from flask import flash, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_admin.actions import action
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import select

from models import ChangeLogEntry, db
from models.registry import entity_labels
from services.undo import Undone, batch_summary, undo_batch

from .transaction import in_transaction

from .base import EDITORS, RoleAccess
from .ids import parse_ids


class UndoView(RoleAccess, BaseView):
    read_roles = EDITORS

    def is_visible(self):
        return False

    def _record_url(self, entity, entity_id):
        for view in self.admin._views:
            model = getattr(view, "model", None)
            if model is not None and getattr(model, "__tablename__", None) == entity and view.is_accessible():
                return url_for(f"{view.endpoint}.details_view", id=entity_id)
        return None

    def _page(self, batch_id, conflicts=(), undone=None):
        summary = [(entity_labels(e)[0], a, n) for e, a, n in batch_summary(db.session, batch_id)]
        conflicts = [(c.entity_label, c.entity_id, c.reason, self._record_url(c.entity, c.entity_id))
                     for c in conflicts[:200]]
        return self.render("admin/undo.html", batch_id=batch_id, summary=summary, conflicts=conflicts, undone=undone)

    @expose("/", methods=("GET", "POST"))
    def index(self):
        batch_id = (request.values.get("batch") or "").strip()
        if request.method == "GET" or not batch_id:
            return self._page(batch_id)
        undone = in_transaction(undo_batch, db.session, batch_id,
                                on_refused=lambda exc: self._page(batch_id, exc.conflicts))
        if not isinstance(undone, Undone):
            return undone
        flash(_("Batch undone: %(count)s records restored.", count=undone.records), "success")
        return self._page(undone.batch_id, undone=undone)


class UndoBatchActionMixin:
    """«Отменить пакет» on the change log: ticked entries name the batch to undo."""

    action_operations = {"undo_batch": "undo"}
    undo_roles = EDITORS

    @action("undo_batch", _l("Undo batch"))
    def action_undo_batch(self, ids):
        batches = set(db.session.scalars(select(ChangeLogEntry.batch_id).where(
            ChangeLogEntry.id.in_(parse_ids(ids)))))
        if len(batches) != 1:
            flash(_("Tick entries of one batch to undo it."), "error")
            return redirect(url_for(".index_view"))
        return redirect(url_for("undo.index", batch=batches.pop()))

