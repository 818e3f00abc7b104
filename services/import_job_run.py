"""Applying a confirmed import as a background job (a large file writes for longer than a request may last)."""
from flask_babel import gettext

from models import ImportJob, User
from models.changelog import begin_batch
from models.rules import Refused

from . import import_jobs, importer
from .jobs import JobRefused, Outcome, handler


@handler("import")
def run_import_job(session, job, progress) -> Outcome:
    upload = session.get(ImportJob, job.params["import_job"])
    if upload is None or upload.owner_id != job.owner_id or import_jobs.preview_of(upload) is None:
        raise JobRefused(gettext("The import is no longer there: applied, expired or changed since its preview."))
    preview = import_jobs.preview_of(upload)
    progress.start(preview.new + preview.changed)
    begin_batch(session, user=session.get(User, job.owner_id))  # the change log names the clerk, as a request does
    try:
        result = import_jobs.apply(session, upload, accept_warnings=bool(job.params.get("accept_warnings")))
    except Refused as exc:
        raise JobRefused(" ".join(str(m) for m in exc.messages()))
    except importer.ConcurrentChange as exc:
        raise JobRefused(str(exc.args[0]))
    progress.done = result.created + result.updated
    return Outcome(gettext("Created: %(created)s, updated: %(updated)s, unchanged: %(unchanged)s.",
                           created=result.created, updated=result.updated, unchanged=result.unchanged))
