"""«Мои задания»: the user's background jobs with a progress bar, an estimate and the finished file."""
from datetime import timedelta

from flask import abort, current_app, flash, jsonify, redirect, request, send_file, url_for
from flask_admin import BaseView, expose
from flask_babel import format_datetime, format_number, gettext
from flask_login import current_user
from sqlalchemy import select

from models import Job, JobStatus, db, utcnow
from services import depreciation_job, jobs  # noqa: F401  (depreciation_job registers its kind)

from .base import EDITORS, RoleAccess, current_role

SHOWN = 50  # the user's latest jobs


def remaining_text(seconds: float | None) -> str:
    if seconds is None:
        return ""
    seconds = int(round(seconds))
    if seconds < 60:
        return gettext("about %(s)s s left", s=max(seconds, 1))
    return gettext("about %(m)s min %(s)s s left", m=seconds // 60, s=seconds % 60)


def job_state(job: Job) -> dict:
    """What the page shows of a job, also sent to its progress bar as JSON."""
    percent = None
    if job.rows_total:
        percent = min(100, int(job.rows_done * 100 / job.rows_total))
    elif job.status is JobStatus.done:
        percent = 100
    rows = ""
    if job.rows_total is not None:
        rows = gettext("%(done)s of %(total)s rows", done=format_number(job.rows_done),
                       total=format_number(job.rows_total))
    return {"id": job.id, "status": job.status.value, "status_label": str(job.status.label), "percent": percent,
            "rows": rows, "remaining": remaining_text(jobs.estimate_seconds(job)),
            "finished": job.status in (JobStatus.done, JobStatus.failed, JobStatus.expired)}


class JobsView(RoleAccess, BaseView):
    def _mine(self, job_id: int) -> Job:
        job = db.session.get(Job, job_id)
        if job is None or job.owner_id != current_user.id:
            abort(404)
        return job

    @expose("/")
    def index(self):
        if jobs.sweep(current_app, db.session):
            db.session.commit()
        jobs.queue_of(current_app).ensure_embedded_worker()  # queued jobs left by a restarted process
        mine = db.session.scalars(select(Job).where(Job.owner_id == current_user.id)
                                  .order_by(Job.id.desc()).limit(SHOWN)).all()
        keep = timedelta(hours=float(current_app.config["JOBS_KEEP_HOURS"]))
        return self.render("admin/jobs.html", jobs=[(job, job_state(job)) for job in mine],
                           highlight=request.args.get("job", type=int), keep_hours=int(keep.total_seconds() // 3600),
                           format_datetime=lambda v: format_datetime(v, "dd.MM.yyyy HH:mm") if v else "")

    def may_post_depreciation(self) -> bool:
        return current_role() in EDITORS

    @expose("/<int:job_id>/state")
    def state(self, job_id):
        return jsonify(job_state(self._mine(job_id)))

    @expose("/<int:job_id>/download")
    def download(self, job_id):
        job = self._mine(job_id)
        path = jobs.stored_file(current_app, job)
        if path is None or (job.expires_at and job.expires_at < utcnow()):
            abort(404)
        return send_file(path, as_attachment=True, download_name=job.result_name or path.name, max_age=0)


class DepreciationRunView(RoleAccess, BaseView):
    """Queues a month's depreciation posting from the form on «Мои задания» (editors only)."""

    read_roles = EDITORS

    def is_visible(self):
        return False

    @expose("/", methods=("POST",))
    def index(self):
        from services.depreciation import parse_month

        try:
            month = parse_month(request.form.get("month", ""))
        except ValueError:
            flash(gettext("Give the month as MM.YYYY, e.g. 11.2026."), "error")
            return redirect(url_for("jobs.index"))
        job = jobs.create(db.session, current_user, "depreciation",
                          gettext("Depreciation for %(month)s", month=f"{month:%m.%Y}"), {"month": month.isoformat()})
        db.session.commit()
        jobs.submit(current_app, job.id)
        return redirect(url_for("jobs.index", job=job.id))
