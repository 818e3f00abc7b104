"""«Импорт» on a list: upload → dry-run preview → confirm → apply → the list narrowed to what was imported.

The uploaded file waits between preview and apply in instance/imports/<token>, the token in the
user's session; it is deleted after apply. The domain work is services.importer.
"""
import pickle
import secrets
import time
from datetime import date
from pathlib import Path

from flask import abort, current_app, flash, redirect, session, url_for
from flask_admin import expose
from flask_babel import force_locale, gettext, lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from models import db
from models.registry import entity_labels
from reports.workbook import Column, Formats, content_disposition, export_filename, workbook_chunks, write_table
from services import importer
from services.display import display
from services.import_files import MAX_BYTES

from .errors import database_refusal
from .tools import ListTool

SESSION_KEY = "import_upload"
STALE_SECONDS = 24 * 3600  # uploads nobody confirmed are cleaned up on the next upload
SHOWN_CHANGES = 500  # changed records listed on the preview page; the counts cover all


class UploadForm(FlaskForm):
    file = FileField(_l("File (.xlsx or .csv, up to 20 MB)"), validators=[FileRequired(_l("Choose a file."))])


class ConfirmForm(FlaskForm):
    """Only the CSRF token: the file is the one previewed."""


def _uploads() -> Path:
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _forget_stale(folder: Path):
    cutoff = time.time() - STALE_SECONDS
    for path in folder.iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


class ImportMixin:
    """Adds import to a model view whose table has an import spec in services.importer.SPECS."""

    def list_tools(self):
        tools = super().list_tools()
        if self.may_write():
            tools = tools + [ListTool(id="import-tool", label=_l("Import"), url=url_for(".import_upload"),
                                      icon="fa-upload")]
        return tools

    @property
    def import_entity(self) -> str:
        return self.model.__tablename__

    def import_columns(self):
        """The export's columns with their headers in Russian and English: the file may come from either."""
        headers: dict[str, set[str]] = {}
        for locale in ("ru", "en"):
            with force_locale(locale):
                for name, header, _kind in self.table_columns():
                    headers.setdefault(name, set()).add(header)
        return list(headers.items())

    def _require_writer(self):
        if not self.may_write():
            abort(403)

    # The uploaded file between preview and apply.
    def _stored(self):
        info = session.get(SESSION_KEY) or {}
        token = info.get("token", "")
        if info.get("endpoint") != self.endpoint or not token.isalnum():
            return None, None
        path = _uploads() / token
        return (path, info.get("filename", "")) if path.is_file() else (None, None)

    def _discard(self):
        path, _ = self._stored()
        if path:
            path.unlink(missing_ok=True)
            path.with_suffix(".plan").unlink(missing_ok=True)
        session.pop(SESSION_KEY, None)

    @expose("/import/", methods=("GET", "POST"))
    def import_upload(self):
        self._require_writer()
        try:
            form = UploadForm()
            submitted = form.validate_on_submit()
        except RequestEntityTooLarge:
            flash(gettext("The file is larger than 20 MB; split it into several files."), "error")
            return redirect(url_for(".import_upload"))
        if submitted:
            data = form.file.data.read(MAX_BYTES + 1)
            folder = _uploads()
            _forget_stale(folder)
            self._discard()
            token = secrets.token_hex(16)
            (folder / token).write_bytes(data)
            session[SESSION_KEY] = {"token": token, "endpoint": self.endpoint,
                                    "filename": Path(form.file.data.filename or "").name}
            return redirect(url_for(".import_preview"))
        return self.render("admin/import/upload.html", form=form, entity=entity_labels(self.import_entity)[1],
                           required=self._required_headers(), return_url=url_for(".index_view"))

    def _required_headers(self):
        spec = importer.SPECS[self.import_entity]
        headers = {name: header for name, header, _ in self.table_columns()}
        return [headers.get(f.name, str(f.label)) for f in spec.fields if f.required or f.name in spec.key
                if not (f.name in spec.key and f.nullable)]

    @expose("/import/preview/")
    def import_preview(self):
        self._require_writer()
        path, filename = self._stored()
        if path is None:
            flash(gettext("Upload the file first."), "warning")
            return redirect(url_for(".import_upload"))
        preview = importer.dry_run(db.session, self.import_entity, path.read_bytes(), filename, self.import_columns())
        db.session.rollback()
        plan = path.with_suffix(".plan")
        if preview.ok:
            # Apply writes exactly what the clerk saw here (our own file, never an uploaded one, is unpickled).
            plan.write_bytes(pickle.dumps(preview))
        else:
            plan.unlink(missing_ok=True)
        return self.render("admin/import/preview.html", preview=preview, filename=filename, form=ConfirmForm(),
                           changes=preview.changes[:SHOWN_CHANGES], show=display,
                           entity=entity_labels(self.import_entity)[1], return_url=url_for(".index_view"))

    @expose("/import/apply/", methods=("POST",))
    def import_apply(self):
        self._require_writer()
        if not ConfirmForm().validate_on_submit():
            abort(400)
        path, filename = self._stored()
        if path is None:
            flash(gettext("Upload the file first."), "warning")
            return redirect(url_for(".import_upload"))
        plan = path.with_suffix(".plan")
        if not plan.is_file():
            return redirect(url_for(".import_preview"))
        try:
            result = importer.apply(db.session, pickle.loads(plan.read_bytes()), filename)
            db.session.commit()
        except importer.ImportRefused:
            db.session.rollback()
            flash(gettext("The file has errors; nothing was imported. Fix them and upload the file again."), "error")
            return redirect(url_for(".import_preview"))
        except (importer.ConcurrentChange, IntegrityError) as exc:
            db.session.rollback()
            message = exc.args[0] if isinstance(exc, importer.ConcurrentChange) else database_refusal(exc, self.model)
            flash(str(message), "error")
            return redirect(url_for(".import_preview"))
        self._discard()
        return self.render("admin/import/result.html", result=result, filename=filename,
                           entity=entity_labels(self.import_entity)[1],
                           list_url=url_for(".index_view", batch=result.batch_id), return_url=url_for(".index_view"))

    @expose("/import/template/")
    def import_template(self):
        self._require_writer()
        columns = [Column(name, header, kind) for name, header, kind in self.table_columns()]
        example = importer.example_row(db.session, self.import_entity)
        title = str(entity_labels(self.import_entity)[1])

        def fill(workbook, formats: Formats):
            write_table(workbook, title, columns, [[example.get(c.key) for c in columns]], formats,
                        totals_label=gettext("Total"))

        chunks = workbook_chunks(fill, yes=gettext("Yes"), no=gettext("No"))
        name = export_filename(gettext("%(entity)s import template", entity=title), date.today())
        return Response(chunks, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": content_disposition(name)})

