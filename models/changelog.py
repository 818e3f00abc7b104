"""The change log, and its capture from the ORM.

Every flush of a ``Tracked`` record writes field-level old → new rows here, whatever path made
the change (form, inline edit, action, service, CLI). Set-based services that bypass the ORM
call :func:`record_changes` themselves, so both paths write the same rows.
"""
import enum
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, event, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from .base import Base, Tracked, insert_rows, utcnow

# Bookkeeping columns whose changes say nothing to a reader.
SKIPPED_FIELDS = {"created_at", "updated_at", "version", "session_generation"}
SECRET_FIELDS = {"password_hash"}
SECRET = "***"


class ChangeLogEntry(Base):
    __tablename__ = "change_log"
    verbose_name, verbose_name_plural = _l("Change log entry"), _l("Change log")

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"), index=True)
    username: Mapped[str | None] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40), index=True)
    entity: Mapped[str] = mapped_column(String(40), index=True)
    entity_id: Mapped[int] = mapped_column(Integer, index=True)
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    batch_id: Mapped[str] = mapped_column(String(36), index=True)
    comment: Mapped[str | None] = mapped_column(Text)

    user: Mapped["User | None"] = relationship()  # noqa: F821

    def __str__(self):
        return f"{self.entity} #{self.entity_id} {self.action}"


@dataclass
class AuditContext:
    """Who is acting and under which batch: one per request, CLI command or service call."""

    user_id: int | None = None
    username: str | None = None
    batch_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    comment: str | None = None


def begin_batch(session: Session, user=None, comment: str | None = None, username: str | None = None) -> AuditContext:
    """Start a new change-log batch on this session, acting as ``user`` (or a named system actor)."""
    ctx = AuditContext(
        user_id=getattr(user, "id", None),
        username=getattr(user, "username", None) or username,
        comment=comment,
    )
    session.info["audit"] = ctx
    return ctx


def audit_context(session: Session) -> AuditContext:
    return session.info.get("audit") or begin_batch(session, username="system")


def plain(value):
    """A JSON-safe form of a column value (the log is read by people and by undo)."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    return value


def entity_name(obj_or_cls) -> str:
    cls = obj_or_cls if isinstance(obj_or_cls, type) else type(obj_or_cls)
    return cls.__tablename__


def record_changes(session: Session, action: str, entity: str, changes_by_id: dict[int, dict]) -> int:
    """Write one entry per record under the session's current batch, in one executemany."""
    ctx = audit_context(session)
    now = utcnow()
    rows = [
        {
            "at": now, "user_id": ctx.user_id, "username": ctx.username, "action": action,
            "entity": entity, "entity_id": entity_id, "changes": changes,
            "batch_id": ctx.batch_id, "comment": ctx.comment,
        }
        for entity_id, changes in changes_by_id.items()
    ]
    insert_rows(session.connection(), ChangeLogEntry.__table__, rows)
    return len(rows)


def _column_values(state) -> dict[str, object]:
    return {attr.key: state.dict.get(attr.key) for attr in state.mapper.column_attrs}


def _masked(key, old, new):
    if key in SECRET_FIELDS:
        return [SECRET if old else None, SECRET]
    return [plain(old), plain(new)]


def _updated_fields(state) -> dict[str, list]:
    changes = {}
    for attr in state.mapper.column_attrs:
        if attr.key in SKIPPED_FIELDS:
            continue
        hist = state.attrs[attr.key].history
        if hist.has_changes():
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            if plain(old) != plain(new):
                changes[attr.key] = _masked(attr.key, old, new)
    # A form sets relationships; the foreign-key column is synced during flush without history.
    for rel in state.mapper.relationships:
        if rel.direction.name != "MANYTOONE" or len(rel.local_columns) != 1:
            continue
        hist = state.attrs[rel.key].history
        if not hist.has_changes():
            continue
        key = state.mapper.get_property_by_column(next(iter(rel.local_columns))).key
        old = hist.deleted[0].id if hist.deleted and hist.deleted[0] is not None else None
        new = hist.added[0].id if hist.added and hist.added[0] is not None else None
        if old != new:
            changes[key] = [old, new]
    return changes


@event.listens_for(Session, "after_flush")
def _capture(session, flush_context):
    grouped: dict[tuple[str, str], dict[int, dict]] = {}

    def add(action, obj, changes):
        grouped.setdefault((action, entity_name(obj)), {})[obj.id] = changes

    for obj in session.new:
        if isinstance(obj, Tracked):
            values = _column_values(inspect(obj))
            add("create", obj, {k: _masked(k, None, v) for k, v in values.items()
                                if k not in SKIPPED_FIELDS and v is not None})
    for obj in session.dirty:
        if isinstance(obj, Tracked) and session.is_modified(obj, include_collections=False):
            changes = _updated_fields(inspect(obj))
            if changes:
                add("update", obj, changes)
    for obj in session.deleted:
        if isinstance(obj, Tracked):
            values = _column_values(inspect(obj))
            add("delete", obj, {k: _masked(k, v, None) for k, v in values.items()
                                if k not in SKIPPED_FIELDS and v is not None})
    for (action, entity), changes_by_id in grouped.items():
        record_changes(session, action, entity, changes_by_id)
