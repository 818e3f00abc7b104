"""Import state kept in the database, so any worker on any host can continue what a clerk started.

``ImportJob``: an uploaded file, the clerk's choices (sheet, column mapping, accepted warnings) and the
dry run's plan as JSON, until it is applied or expires. ``SavedMapping``: a column mapping a clerk saved
under a name, applied by itself to the next file of the same entity with the same headers.
"""
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, DateTime, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Tracked, utcnow
from .types import LabeledEnum, enum_column

IMPORT_JOB_LIFETIME = timedelta(hours=24)  # an upload nobody confirmed is swept after this


def _expires():
    return utcnow() + IMPORT_JOB_LIFETIME


class ImportJobStatus(LabeledEnum):
    uploaded = "uploaded", _l("Uploaded")
    checked = "checked", _l("Checked")  # the plan is the dry run of the current choices
    applied = "applied", _l("Applied")


class ImportJob(Base):
    """Not a domain record (not ``Tracked``): what it leads to is logged by the import itself."""

    __tablename__ = "import_job"
    verbose_name, verbose_name_plural = _l("Import job"), _l("Import jobs")

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    entity: Mapped[str] = mapped_column(String(40))  # the table imported into
    filename: Mapped[str] = mapped_column(String(255), default="")
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)  # read only by the dry run
    choices: Mapped[dict] = mapped_column(JSON, default=dict)  # sheet, mapping, accepted warnings
    plan: Mapped[dict | None] = mapped_column(JSON)  # services.import_plan.dump(preview)
    status: Mapped[ImportJobStatus] = mapped_column(enum_column(ImportJobStatus, 16), default=ImportJobStatus.uploaded)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime, default=_expires, index=True)


class SavedMapping(Tracked, Base):
    __tablename__ = "saved_mapping"
    __table_args__ = (UniqueConstraint("entity", "name"),)
    verbose_name, verbose_name_plural = _l("Saved column mapping"), _l("Saved column mappings")
    # No natural_key: not reference data with a list of its own (models.registry.entities); the import
    # page saves and finds mappings by (entity, name) and by the headers' signature.

    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(40), info={"label": _l("Imported into")})
    name: Mapped[str] = mapped_column(String(120), info={"label": _l("Mapping name")})
    headers_signature: Mapped[str] = mapped_column(String(64), index=True)  # of the file's normalised headers
    mapping: Mapped[dict] = mapped_column(JSON, info={"label": _l("Columns")})  # header → field name or ""
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)
    uses: Mapped[int] = mapped_column(Integer, default=0)

    def __str__(self):
        return self.name
