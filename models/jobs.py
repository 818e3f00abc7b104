"""Long work run off the request: an export, an import, a depreciation run. One row per job, read by
«Мои задания»; the worker writes its progress here as it goes."""
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .types import LabeledEnum, enum_column


class JobStatus(LabeledEnum):
    queued = "queued", _l("Queued")
    running = "running", _l("Running")
    done = "done", _l("Done")
    failed = "failed", _l("Failed")
    expired = "expired", _l("File removed")


class Job(Base):
    __tablename__ = "job"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[JobStatus] = mapped_column(enum_column(JobStatus), default=JobStatus.queued, index=True)
    rows_done: Mapped[int] = mapped_column(Integer, default=0)
    rows_total: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    result_path: Mapped[str | None] = mapped_column(String(500))  # under the configured jobs folder
    result_name: Mapped[str | None] = mapped_column(String(300))  # the file name the user downloads
    message: Mapped[str | None] = mapped_column(Text)  # the outcome in words, or why it failed

    owner: Mapped["User | None"] = relationship()  # noqa: F821

    def __str__(self):
        return self.title


@event.listens_for(Engine, "connect")
def _sqlite_readers_do_not_block_writers(dbapi_connection, connection_record):
    # A long export reads while its job writes progress and clerks keep saving: SQLite's write-ahead log
    # lets one writer commit while readers read (the default journal makes writers wait for every reader).
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()
