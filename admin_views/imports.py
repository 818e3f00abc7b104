"""«Импорт» on a list: upload → dry run with the column mapping → confirm → apply → the list narrowed to
what was imported.

The upload, the clerk's choices and the dry run's plan are an import job in the database (services.
import_jobs), named in the URL: any worker can show the preview or apply what the clerk confirmed.
The domain work is services.importer.
"""
from datetime import date

from flask import abort, current_app, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import force_locale, gettext, lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from models import db
from models.registry import entity_labels
from reports.workbook import Column, Formats, content_disposition, export_filename, workbook_chunks, write_table
from services import import_jobs, importer
from services import import_job_run  # noqa: F401  (registers the «import» job kind)
from services.display import display
from services.import_files import ACCEPTED, MAX_BYTES

from .errors import database_refusal
from .tools import ListTool
from .transaction import REFUSED, in_transaction

IMPORT_JOB_ROWS = 5_000  # files writing more records than this apply as a job (config IMPORT_JOB_ROWS)
PAGE_SIZE = 100  # new and changed records listed per page of the preview; the counts cover all


class UploadForm(FlaskForm):
    file = FileField(_l("File (.xlsx, .xls, .ods or .csv, up to 20 MB)"), validators=[FileRequired(_l("Choose a file."))])


class ConfirmForm(FlaskForm):
    """Only the CSRF token (and the accepted warnings): the plan is the one previewed."""


def _page(items, name):
    """One page of ``items`` by the query argument ``name``: (page items, page, pages)."""
    pages = max(1, -(-len(items) // PAGE_SIZE))
    page = min(max(request.args.get(name, 1, type=int), 1), pages)
    return items[(page - 1) * PAGE_SIZE:page * PAGE_SIZE], page, pages


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

    def _job(self, job_id):
        try:
            return import_jobs.get(db.session, job_id, current_user.id, self.import_entity)
        except import_jobs.JobGone:
            return None

    def _gone(self):
        flash(gettext("Upload the file first."), "warning")
        return redirect(url_for(".import_upload"))

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
            upload = form.file.data
            name = (upload.filename or "").replace("\\", "/").rsplit("/", 1)[-1]
            job = import_jobs.start(db.session, current_user.id, self.import_entity, name,
                                    upload.read(MAX_BYTES + 1))
            db.session.commit()
            return redirect(url_for(".import_preview", job_id=job.id))
        return self.render("admin/import/upload.html", form=form, entity=entity_labels(self.import_entity)[1],
                           required=self._required_headers(), accepted=ACCEPTED, return_url=url_for(".index_view"))

    def _required_headers(self):
        spec = importer.SPECS[self.import_entity]
        headers = {name: header for name, header, _ in self.table_columns()}
        return [headers.get(f.name, str(f.label)) for f in spec.fields if f.required or f.name in spec.key
                if not (f.name in spec.key and f.nullable)]

    @expose("/import/<int:job_id>/")
    def import_preview(self, job_id):
        self._require_writer()
        job = self._job(job_id)
        if job is None:
            return self._gone()
        preview = import_jobs.check(db.session, job, self.import_columns())
        filename = job.filename
        db.session.commit()  # keeps the plan, so the confirmation (on any worker) applies exactly this
        spec = importer.SPECS[self.import_entity]
        new_rows, new_page, new_pages = _page(list(zip(preview.created_rows, preview.creates)), "new_page")
        changes, changed_page, changed_pages = _page(preview.changes, "changed_page")
        shown = [c for c in preview.columns if c.field]
        new_records = importer.describe_creates(db.session, spec, new_rows, [c.field for c in shown])
        db.session.rollback()
        fields = [(f.name, str(f.label)) for f in spec.fields]
        return self.render("admin/import/preview.html", preview=preview, job_id=job_id, filename=filename,
                           form=ConfirmForm(), show=display, entity=entity_labels(self.import_entity)[1],
                           fields=fields, shown=shown, new_records=new_records, new_page=new_page,
                           new_pages=new_pages, changes=changes, changed_page=changed_page,
                           changed_pages=changed_pages, return_url=url_for(".index_view"))

    @expose("/import/<int:job_id>/choose/", methods=("POST",))
    def import_choose(self, job_id):
        """The clerk picked a sheet, changed the mapping or saved it under a name."""
        self._require_writer()
        if not ConfirmForm().validate_on_submit():
            abort(400)
        job = self._job(job_id)
        if job is None:
            return self._gone()
        preview = import_jobs.preview_of(job)
        back = redirect(url_for(".import_preview", job_id=job_id))
        if request.form.get("save_as") is not None and preview is not None:
            saved = in_transaction(import_jobs.save_mapping, db.session, job, request.form["save_as"], current_user.id)
            if saved is not REFUSED:
                flash(gettext("The mapping is saved as «%(name)s»; it will be applied to the next file with these "
                              "columns.", name=saved.name), "success")
            return back
        sheet = request.form.get("sheet")
        mapping = None
        if preview is not None and any(k.startswith("map-") for k in request.form):
            fields = set(importer.SPECS[self.import_entity].by_name)
            mapping = {}
            for column in preview.columns:
                chosen = request.form.get(f"map-{column.position}", column.field or "")
                mapping[column.form] = chosen if chosen in fields else ""
        in_transaction(import_jobs.choose, job, sheet=sheet if sheet and sheet != (preview and preview.sheet) else None,
                       mapping=mapping)
        return back

    @expose("/import/<int:job_id>/apply/", methods=("POST",))
    def import_apply(self, job_id):
        self._require_writer()
        if not ConfirmForm().validate_on_submit():
            abort(400)
        job = self._job(job_id)
        if job is None:
            return self._gone()
        filename = job.filename
        back = redirect(url_for(".import_preview", job_id=job_id))
        preview = import_jobs.preview_of(job)
        if preview is None:  # the choices changed since the preview: check again first
            return back
        limit = int(current_app.config.get("IMPORT_JOB_ROWS", IMPORT_JOB_ROWS))
        if limit and preview.new + preview.changed > limit:
            return self.import_as_job(job)
        try:
            # Errors left in the file, warnings not accepted: refused, flashed, nothing written.
            result = in_transaction(import_jobs.apply, db.session, job,
                                    accept_warnings=bool(request.form.get("accept_warnings")))
        except (importer.ConcurrentChange, IntegrityError) as exc:  # rolled back already
            message = exc.args[0] if isinstance(exc, importer.ConcurrentChange) else database_refusal(exc, self.model)
            flash(str(message), "error")
            return back
        if result is REFUSED:
            return back
        return self.render("admin/import/result.html", result=result, filename=filename,
                           entity=entity_labels(self.import_entity)[1],
                           list_url=url_for(".index_view", batch=result.batch_id), return_url=url_for(".index_view"))

    def import_as_job(self, upload):
        """A large import is written by a background job; the clerk finds its outcome under «Мои задания»."""
        from flask_login import current_user

        from services import jobs

        job = jobs.create(db.session, current_user, "import",
                          gettext("Import of %(file)s into «%(list)s»", file=upload.filename,
                                  list=entity_labels(self.import_entity)[1]),
                          {"import_job": upload.id, "accept_warnings": bool(request.form.get("accept_warnings")),
                           "endpoint": self.endpoint})
        db.session.commit()
        jobs.submit(current_app, job.id)
        flash(gettext("The file is large, so it is being written in the background; its outcome will be here, "
                      "under «My jobs»."), "info")
        return redirect(url_for("jobs.index", job=job.id))

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
