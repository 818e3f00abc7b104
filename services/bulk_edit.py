"""Bulk edit: preview what setting some fields on many records would change, then apply it set-based.

``preview`` reads the records in chunks and says, per field, how many records go from which old
value to which new one, and which records are refused and why. ``apply`` writes in one transaction:
one ``UPDATE … WHERE id IN (chunk)`` per chunk (version + 1, updated_at) and the field-level change log
in one executemany under a batch of its own. Records whose version moved since the preview are
refused, not overwritten.
"""
from collections import Counter
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models import Tracked, utcnow
from models import checks
from models.changelog import plain, record_changes
from models.registry import label
from models.rules import Refused, column_checks, judge

from .audit import chunk_size_for, chunks, id_in, new_batch

CHUNK_SIZE = 2000
SHOWN_REFUSALS = 200  # a page lists this many refused records; the count covers all


class BulkEditError(Refused):
    """The requested change itself is invalid (for every record): nothing was read or written."""


@dataclass
class Refusal:
    id: int
    reason: str
    record: str = ""


@dataclass
class Preview:
    table: str
    changes: dict  # column key -> new value
    total: int = 0  # records asked for
    versions: dict = field(default_factory=dict)  # id -> version seen, for the records that change
    unchanged: int = 0  # already have the new values
    refusals: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)  # column key -> Counter{(old, new): records}

    @property
    def changing(self) -> int:
        return len(self.versions)


@dataclass
class Applied:
    batch_id: str
    changed: int
    log_rows: int
    refusals: list = field(default_factory=list)


def check_changes(model, changes: dict) -> dict:
    """Validate the requested values once (the columns' declared checks); return them normalised.
    Raises BulkEditError (a ``Refused``) naming the field."""
    if not changes:
        raise BulkEditError(_l("Tick at least one field to change."))
    table = model.__table__
    allowed = getattr(model, "bulk_editable", ())
    declared = column_checks(model)
    result = {}
    for key, value in changes.items():
        if key not in allowed or key not in table.c:
            raise BulkEditError(_l("%(field)s cannot be bulk-edited.", field=label(model, key)), key)
        column = table.c[key]
        if value is None and not column.nullable:
            raise BulkEditError(_l("%(field)s cannot be empty.", field=label(model, key)), key)
        if value is not None and key in declared:
            try:
                value = declared[key](value)
            except checks.CheckError as exc:
                raise BulkEditError(f"{label(model, key)}: {exc.message}", key) from None
        result[key] = value
    return result


def _judge(model, row, changes: dict):
    """(reason refused or None, the record's own changes incl. derived values, field diff) for one record.

    The model's rule set judges the whole record after the change, exactly as a form or an import would.
    """
    old = {k: v for k, v in row.items() if k != "version"}
    new, problems = judge(model, old, {**old, **changes})
    if problems:
        return "; ".join(f"{label(model, f)}: {m}" if f else str(m) for f, m in problems), {}, {}
    own = {k: v for k, v in new.items() if old.get(k) != v}
    return None, own, {k: (old[k], v) for k, v in own.items()}


def preview(session: Session, model, ids, changes: dict, chunk_size: int | None = None) -> Preview:
    """What setting ``changes`` (column key -> value) on the records ``ids`` would do; writes nothing."""
    changes = check_changes(model, changes)
    ids = list(dict.fromkeys(int(i) for i in ids))
    table = model.__table__
    result = Preview(table=table.name, changes=changes, total=len(ids),
                     counts={k: Counter() for k in changes})
    for chunk in chunks(ids, chunk_size or chunk_size_for(session, CHUNK_SIZE)):
        found = set()
        stmt = select(table).where(id_in(session, table.c.id, chunk))
        for row in session.execute(stmt).mappings():
            found.add(row["id"])
            reason, _own, diff = _judge(model, row, changes)
            if reason:
                result.refusals.append(Refusal(row["id"], str(reason)))
            elif not diff:
                result.unchanged += 1
            else:
                result.versions[row["id"]] = row["version"]
                for key, (old, new) in diff.items():
                    result.counts.setdefault(key, Counter())[(old, new)] += 1
        result.refusals.extend(Refusal(i, str(_l("the record no longer exists"))) for i in chunk if i not in found)
    name_refusals(session, model, result.refusals)
    return result


def name_refusals(session: Session, model, refusals: list) -> None:
    """Give the first refused records the name a person knows them by (``str`` of the record)."""
    shown = {r.id: r for r in refusals[:SHOWN_REFUSALS]}
    if shown:
        for obj in session.scalars(select(model).where(model.__table__.c.id.in_(list(shown)))):
            shown[obj.id].record = str(obj)


def update_rows(session: Session, model, versions: dict, changes: dict, action: str,
                chunk_size: int | None = None) -> tuple[int, int, list]:
    """Set ``changes`` on the records ``versions`` names (id -> version expected, None: any),
    set-based, and log every changed field. Returns (records changed, log rows, refusals).

    Rows are read FOR UPDATE (PostgreSQL) so nobody changes them between the check and the write.
    The caller owns the transaction.
    """
    table = model.__table__
    tracked = issubclass(model, Tracked)
    now = utcnow()
    log, refusals = {}, []
    for chunk in chunks(versions, chunk_size or chunk_size_for(session, CHUNK_SIZE)):
        stmt = select(table).where(id_in(session, table.c.id, chunk)).with_for_update()
        rows = {row["id"]: row for row in session.execute(stmt).mappings().all()}
        groups = {}  # the same values (incl. derived ones) → the records getting them: one UPDATE each
        for record_id in chunk:
            row = rows.get(record_id)
            if row is None:
                refusals.append(Refusal(record_id, str(_l("the record no longer exists"))))
                continue
            expected = versions[record_id]
            if expected is not None and row["version"] != expected:
                refusals.append(Refusal(record_id, str(_l("someone else changed the record meanwhile"))))
                continue
            reason, own, diff = _judge(model, row, changes)
            if reason:
                refusals.append(Refusal(record_id, str(reason)))
            elif diff:
                groups.setdefault(tuple(sorted(own.items(), key=lambda kv: kv[0])), []).append(record_id)
                log[record_id] = {k: [plain(o), plain(n)] for k, (o, n) in diff.items()}
        for values, ids in groups.items():
            values = dict(values)
            if tracked:
                values.update(version=table.c.version + 1, updated_at=now)
            session.execute(update(table).where(id_in(session, table.c.id, ids)).values(**values))
    log_rows = record_changes(session, action, table.name, log)
    return len(log), log_rows, refusals


def apply(session: Session, model, versions: dict, changes: dict, action: str = "bulk_edit",
          comment: str | None = None, chunk_size: int | None = None) -> Applied:
    """Write a previewed bulk edit in the caller's transaction (the caller commits, or rolls back on error)."""
    changes = check_changes(model, changes)
    ctx = new_batch(session, comment)
    changed, log_rows, refusals = update_rows(
        session, model, {int(k): v for k, v in versions.items()}, changes, action, chunk_size)
    # The ORM may hold these records from before the set-based update.
    session.expire_all()
    name_refusals(session, model, refusals)
    return Applied(batch_id=ctx.batch_id, changed=changed, log_rows=log_rows, refusals=refusals)
