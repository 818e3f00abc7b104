"""An import from upload to apply as a row in the database (models.ImportJob), not in a worker's memory
or disk: the dry run on one worker, the confirmation on another, both read the same job.

Upload → ``start``; each look at the preview → ``check`` (the dry run of the clerk's current choices,
kept as the job's plan); the clerk changes the sheet or the mapping → ``choose``; confirm → ``apply``
writes the kept plan and deletes the job. Jobs nobody confirmed are swept when they expire.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete

from models import ImportJob, ImportJobStatus, utcnow

from . import import_mappings, import_plan, importer


class JobGone(LookupError):
    """No such job for this user: applied, expired or never theirs."""


def sweep(session, now=None) -> int:
    """Delete the jobs past their expiry; returns how many."""
    result = session.execute(delete(ImportJob).where(ImportJob.expires_at < (now or utcnow())))
    return result.rowcount or 0


def start(session, owner_id: int, entity: str, filename: str, data: bytes) -> ImportJob:
    sweep(session)
    job = ImportJob(owner_id=owner_id, entity=entity, filename=filename[:255], data=data, choices={})
    session.add(job)
    session.flush()
    return job


def get(session, job_id: int, owner_id: int, entity: str) -> ImportJob:
    job = session.get(ImportJob, job_id)
    if job is None or job.owner_id != owner_id or job.entity != entity or job.expires_at < utcnow():
        raise JobGone(job_id)
    return job


def preview_of(job: ImportJob):
    """The kept dry run, or None when the clerk's choices changed since (or the plan is of an older format)."""
    if job.status != ImportJobStatus.checked:
        return None
    return import_plan.load(job.plan)


def check(session, job: ImportJob, columns=()) -> importer.Preview:
    """The dry run of the job's file under the clerk's choices, kept as its plan."""
    preview = preview_of(job)
    if preview is None:
        preview = importer.dry_run(session, job.entity, job.data, job.filename, columns, job.choices or None)
        job.plan = import_plan.dump(preview)
        job.status = ImportJobStatus.checked
    return preview


def choose(job: ImportJob, sheet: str | None = None, mapping: dict[str, str] | None = None):
    """The clerk picked a sheet or changed the mapping: the next look runs the dry run again."""
    choices = dict(job.choices or {})
    if sheet is not None:
        if sheet != choices.get("sheet"):
            choices.pop("mapping", None)  # another sheet has other columns
        choices["sheet"] = sheet
    if mapping is not None:
        choices["mapping"] = mapping
    job.choices = choices
    job.plan = None
    job.status = ImportJobStatus.uploaded


def save_mapping(session, job: ImportJob, name: str, owner_id: int):
    """Keep the job's current mapping under ``name`` for the next file from the same source."""
    preview = preview_of(job)
    if preview is None or not preview.columns:
        raise import_mappings.MappingError(_l("Check the file first."))
    saved = import_mappings.save(session, job.entity, name, preview.forms, preview.mapping, owner_id)
    preview.mapping_name, preview.mapping_id = saved.name, saved.id
    job.plan = import_plan.dump(preview)
    return saved


def apply(session, job: ImportJob, accept_warnings: bool = False) -> importer.ImportResult:
    """Write the plan the clerk confirmed (on whichever worker) and forget the job."""
    preview, job_id = preview_of(job), job.id
    if preview is None:
        raise JobGone(job_id)
    result = importer.apply(session, preview, job.filename, accept_warnings=accept_warnings)
    session.execute(delete(ImportJob).where(ImportJob.id == job_id))
    return result

