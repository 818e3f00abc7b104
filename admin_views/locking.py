"""Optimistic locking for edit forms and inline edits.

The edit form carries the record's ``version`` as it was when the form was loaded; saving compares
it with the version in the database and refuses if someone else saved meanwhile. The race between
that comparison and the commit is closed by SQLAlchemy's ``version_id_col`` (``Tracked.version``):
the UPDATE matches no row and raises ``StaleDataError``, answered with the same message.
Inline edits carry the version as ``data-version`` on each editable cell (static/khozchast.js
sends it and takes the new version from the ``X-Record-Version`` response header).
"""
from flask import flash, g, make_response, request, url_for
from flask_admin import expose
from flask_admin.model.widgets import XEditableWidget
from flask_babel import gettext
from markupsafe import Markup, escape
from sqlalchemy.orm.exc import StaleDataError
from wtforms import HiddenField

from models import Tracked

from .ids import parse_id


class VersionField(HiddenField):
    """The record's version when the form was loaded: compared on save, never written to the record."""

    def process_formdata(self, valuelist):
        raw = valuelist[0] if valuelist else ""
        self.data = parse_id(raw)

    def populate_obj(self, obj, name):
        pass


class VersionedXEditableWidget(XEditableWidget):
    """An inline-edit cell that also says which version of the row it shows."""

    def __call__(self, field, **kwargs):
        version = getattr(field, "row_version", None)
        if version is not None:
            kwargs["data-version"] = str(version)
        return super().__call__(field, **kwargs)


class OptimisticLockMixin:
    def _versioned(self) -> bool:
        return issubclass(self.model, Tracked)

    def get_edit_form(self):
        form_class = super().get_edit_form()
        if not self._versioned():
            return form_class
        return type(form_class.__name__, (form_class,), {"version": VersionField()})

    def scaffold_list_form(self, widget=None, validators=None):
        form_class = super().scaffold_list_form(widget=widget or VersionedXEditableWidget(), validators=validators)
        if not self._versioned():
            return form_class
        return type(form_class.__name__, (form_class,), {"version": VersionField()})

    def list_form(self, obj=None):
        form = super().list_form(obj=obj)
        if obj is not None and self._versioned():
            for field in form:
                field.row_version = obj.version
        return form

    def conflict_message(self, pk, record: str) -> Markup | str:
        text = gettext("Someone else changed «%(record)s» while you were editing it; your changes were not saved.",
                       record=record)
        if request.endpoint and request.endpoint.endswith(".ajax_update"):
            return text + " " + gettext("Reload the page to see the current values.")
        reload_url = url_for(".edit_view", id=pk)
        return Markup('{} <a href="{}" class="alert-link" id="conflict-reload">{}</a>').format(
            escape(text), reload_url, gettext("Reload the current version"))

    def update_model(self, form, model):
        field = getattr(form, "version", None)
        if isinstance(field, VersionField) and field.data is not None and field.data != model.version:
            flash(self.conflict_message(self.get_pk_value(model), str(model)), "error")
            return False
        # Read now: after a failed flush the record can no longer be read.
        g._conflict_record = (self.get_pk_value(model), str(model))
        saved = super().update_model(form, model)
        if saved and self._versioned():
            g._saved_version = (self.get_pk_value(model), model.version)
        return saved

    def handle_view_exception(self, exc):
        if isinstance(exc, StaleDataError):
            record = g.get("_conflict_record")
            flash(self.conflict_message(*record) if record is not None else
                  gettext("Someone else changed this record meanwhile; nothing was saved."), "error")
            return True
        return super().handle_view_exception(exc)

    @expose("/ajax/update/", methods=("POST",))
    def ajax_update(self):
        response = make_response(super().ajax_update())
        saved = g.get("_saved_version")
        if saved:
            response.headers["X-Record-Pk"] = str(saved[0])
            response.headers["X-Record-Version"] = str(saved[1])
        return response
