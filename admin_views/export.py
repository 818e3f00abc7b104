"""«Экспорт в Excel» on every list: what the list found (search, filters, sort — every page),
or the ticked rows, as a typed .xlsx streamed from the database.

Replaces Flask-Admin's tablib export at its own URL (``/admin/<view>/export/xlsx/``): that one
loads every row as an ORM object into memory, writes every cell as text and drops Cyrillic from
the file name. Exporting is reading, so everyone who may read a list may export it.
"""
from datetime import date, datetime

from flask import Response, current_app, flash, has_request_context, redirect, request, url_for
from flask_admin.actions import action
from flask_admin.base import expose
from flask_admin.helpers import get_redirect_target
from flask_babel import gettext, lazy_gettext as _l, to_user_timezone
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import RelationshipDirection, aliased

from models.kinds import column_kind
from reports.list_export import Field, fill_table, stream_objects, stream_rows
from reports.workbook import Column, content_disposition, export_filename, workbook_chunks

from services.jobs import handler as jobs_handler

from .fastlist import capped_count
from .selection import Selection
from .tools import ListTool

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_JOB_ROWS = 10_000  # lists longer than this export as a job (config EXPORT_JOB_ROWS; 0: never)


def local_time(value: datetime) -> datetime:
    """Stored UTC → the user's time zone, as the list shows it (Excel has no time zones)."""
    return to_user_timezone(value).replace(tzinfo=None)


class ExportMixin:
    export_types = ["xlsx"]
    export_max_rows = 0
    # SQL expressions for exported names that are Python properties on the model.
    column_export_expressions: dict = {}
    # Per-column value -> cell value conversions (e.g. a JSON change set -> readable text).
    column_export_converters: dict = {}

    action_operations = {"export_xlsx": "export"}

    @property
    def can_export(self):
        # The export URL is Flask-Admin's own. On the list page our «Export to Excel» tool carries the
        # list's query string; Flask-Admin's own «Export» link would sit beside it doing the same.
        if has_request_context() and request.endpoint == f"{self.endpoint}.index_view":
            return False
        return self.permits("export")

    def list_tools(self) -> list[ListTool]:
        tools = super().list_tools()
        if self.permits("export"):
            url = url_for(".export", export_type="xlsx", **request.args.to_dict(flat=False))
            tools.append(ListTool("export-xlsx", gettext("Export to Excel"), url, icon="fa-file-excel-o"))
        return tools

    @expose("/export/<export_type>/")
    def export(self, export_type: str):
        if export_type not in self.export_types:
            flash(gettext("Export type %(type)s is not supported.", type=export_type), "error")
            return redirect(get_redirect_target() or self.get_url(".index_view"))
        query = Selection(self, None).query()  # everything the list found
        # A big list is written by a job (a 1M-row file takes a minute, past any request timeout).
        limit = int(current_app.config.get("EXPORT_JOB_ROWS", EXPORT_JOB_ROWS))
        key = getattr(self.model, self._primary_key)
        if limit and capped_count(query.order_by(None).enable_eagerloads(False), limit, key).kind == "capped":
            return self.export_as_job()
        return self.xlsx_response(query)

    def export_as_job(self):
        from flask_login import current_user

        from models import db
        from services import jobs

        job = jobs.create(db.session, current_user, "export",
                          gettext("Export to Excel: %(list)s", list=self.export_title()),
                          {"endpoint": self.endpoint, "path": request.path, "args": request.args.to_dict(flat=False)})
        db.session.commit()
        jobs.submit(current_app, job.id)
        flash(gettext("The list is large, so its file is being prepared in the background. It will be here, "
                      "under «My jobs»; you may leave this page."), "info")
        return redirect(url_for("jobs.index", job=job.id))

    @action("export_xlsx", _l("Export selected to Excel"))
    def action_export_xlsx(self, ids):
        query = self.selection(ids).query()
        query, _joins = self._apply_sorting(query, {}, None, False)  # the list's default order
        return self.xlsx_response(query)

    # --- building the workbook ---------------------------------------------------------------

    def export_title(self) -> str:
        return str(self.name)

    def export_fields(self):
        """(Field, SQL expression or None, outer join or None) per exported column."""
        mapper = sa_inspect(self.model)
        plan = []
        for attr, header, kind in self.table_columns():
            convert = self.column_export_converters.get(attr)
            if convert is None and kind == "datetime":
                convert = local_time
            related, expression, join = None, self.column_export_expressions.get(attr), None
            if expression is not None:
                pass
            elif attr in mapper.relationships:
                rel = mapper.relationships[attr]
                if rel.direction is RelationshipDirection.MANYTOONE and len(rel.local_columns) == 1:
                    (fk,) = rel.local_columns
                    expression = mapper.get_property_by_column(fk).class_attribute
                    related, kind = rel.mapper.class_, "text"
            elif attr in mapper.column_attrs:
                expression = getattr(self.model, attr)
            elif "." in attr:  # "supplier.inn": a column of a related record, by an outer join
                rel_name, column_name = attr.split(".", 1)
                rel = mapper.relationships.get(rel_name)
                if rel is not None and column_name in rel.mapper.column_attrs:
                    target = aliased(rel.mapper.class_)
                    expression = getattr(target, column_name)
                    join = (target, getattr(self.model, rel_name).of_type(target))
                    kind = column_kind(rel.mapper.columns[column_name])
            field = Field(Column(attr, header, kind), related=related, convert=convert)
            plan.append((field, expression, join))
        return plan

    def export_rows(self, query):
        plan = self.export_fields()
        fields = [field for field, _e, _j in plan]
        if all(expression is not None for _f, expression, _j in plan):
            # Just the needed columns as plain tuples: no ORM objects, no eager loads of relations.
            query = query.enable_eagerloads(False)
            for _f, _e, join in plan:
                if join is not None:
                    query = query.outerjoin(*join)
            statement = query.with_entities(*[expression for _f, expression, _j in plan]).statement
            return fields, stream_rows(query.session, statement, fields)
        dotted = [f.column.key for f, expression, _j in plan if expression is None and "." in f.column.key]
        if dotted:
            raise ValueError(f"cannot export {dotted}: not a column of a related record")
        return fields, stream_objects(query, [f.column.key for f in fields], fields)

    def xlsx_fill(self, query, progress=None):
        """(fill function for a workbook, file name) of the rows of ``query``."""
        fields, rows = self.export_rows(query)
        if progress is not None:
            rows = progress.counting(rows)
        title = self.export_title()

        def fill(workbook, formats):
            fill_table(workbook, formats, title, fields, rows, totals_label=gettext("Total"))

        return fill, export_filename(title, date.today())

    def xlsx_response(self, query) -> Response:
        fill, filename = self.xlsx_fill(query)
        chunks = workbook_chunks(fill, yes=gettext("Yes"), no=gettext("No"))
        return Response(chunks, mimetype=XLSX_MIMETYPE, direct_passthrough=True,
                        headers={"Content-Disposition": content_disposition(filename),
                                 "Cache-Control": "no-store"})


def run_export_job(session, job, progress):
    """The «export» job: the list its author saw (search, filters, sort), written to a file in the jobs folder."""
    from flask_login import login_user

    from models import User
    from reports.workbook import Formats, open_workbook
    from services import jobs

    app = current_app._get_current_object()
    view = next((v for v in app.extensions["admin"][0]._views if v.endpoint == job.params["endpoint"]), None)
    owner = session.get(User, job.owner_id) if job.owner_id else None
    if view is None or owner is None or not owner.is_active:
        raise jobs.JobRefused(gettext("The list or its user no longer exists."))
    # The list's own request, replayed: the same filters, search, sort, language and permissions.
    with app.test_request_context(job.params["path"], query_string=job.params["args"]):
        login_user(owner)
        if not view.permits("export"):
            raise jobs.JobRefused(gettext("You may not export this list."))
        query = view.found_query()
        progress.start(query.order_by(None).enable_eagerloads(False).count())
        fill, filename = view.xlsx_fill(query, progress)
        path = jobs.result_file(app, job, ".xlsx")
        workbook = open_workbook(str(path))
        try:
            fill(workbook, Formats(workbook, yes=gettext("Yes"), no=gettext("No")))
            workbook.close()
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return jobs.Outcome(gettext("%(rows)s rows", rows=progress.done), path, filename)


jobs_handler("export")(run_export_job)
