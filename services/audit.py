"""Helpers shared by set-based services: a change-log batch of their own, and values read back from the log."""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Integer, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from models.changelog import AuditContext, audit_context
from models.kinds import column_kind


def new_batch(session: Session, comment: str | None = None) -> AuditContext:
    """Start a fresh change-log batch for one operation, keeping who acts.

    A service's batch must hold only what it wrote: the result page links to ``?batch=<id>``
    and undo reverts the whole batch. Pending ORM changes are flushed under the old batch first.
    """
    session.flush()
    current = audit_context(session)
    ctx = AuditContext(user_id=current.user_id, username=current.username, comment=comment)
    session.info["audit"] = ctx
    return ctx


def from_plain(column, value):
    """A value as the change log keeps it (``models.changelog.plain``) → the column's Python type."""
    if value is None:
        return None
    kind = column_kind(column)
    if kind == "enum":
        return column.type.enum_class(value)
    if kind in ("money", "number"):
        return Decimal(str(value))
    if kind == "datetime":
        return value if isinstance(value, datetime) else datetime.fromisoformat(value)
    if kind == "date":
        return value if isinstance(value, date) else date.fromisoformat(value)
    if kind == "bool":
        return bool(value)
    if kind == "int":
        return int(value)
    return value


def chunks(items, size: int):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]


def id_in(session: Session, column, ids):
    """``column IN (ids)``; on PostgreSQL ``= ANY(array)``: one parameter instead of thousands to bind."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, list(ids), type_=ARRAY(Integer)))
    return column.in_(list(ids))


def chunk_size_for(session: Session, default: int) -> int:
    """PostgreSQL takes a whole id array at once; SQLite is limited in bound variables."""
    return max(default, 50_000) if session.get_bind().dialect.name == "postgresql" else default
