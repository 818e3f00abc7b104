"""Bulk edit: preview what setting some fields on many records would change, then apply it set-based.

``preview`` reads the records in chunks and says, per field, how many records go from which old
value to which new one, and which records are refused and why. ``apply`` writes in one transaction:
one ``UPDATE … WHERE id IN (chunk)`` per chunk (version + 1, updated_at) and the field-level change log
in one executemany under a batch of its own. Records whose version moved since the preview are
refused, not overwritten.
"""
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models import LOCKED_STATUSES, Tracked, utcnow
from models import checks
from models.changelog import plain, record_changes
from models.labels import field_label

from .audit import chunk_size_for, chunks, id_in, new_batch

CHUNK_SIZE = 2000
SHOWN_REFUSALS = 200  # a page lists this many refused records; the count covers all


class BulkEditError(ValueError):
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


# Checks of models/checks.py, by column, run on the new value (the forms run the same ones).
FIELD_CHECKS = {
    "inn": checks.check_inn, "kpp": checks.check_kpp, "ogrn": checks.check_ogrn, "bik": checks.check_bik,
    "ikz": checks.check_ikz, "okof_code": checks.check_okof, "vin": checks.check_vin, "plate": checks.check_plate,
    "cadastral_number": checks.check_cadastral_number,
}


def _after(old, changes, key):
    return changes[key] if key in changes else old[key]


def _asset_rule(old, changes: dict):
    if old["status"] in LOCKED_STATUSES:
        return _l("%(status)s: changed only through its write-off act", status=old["status"].label)
    if "book_value" not in changes and "depreciation" not in changes:
        return None
    book, dep = _after(old, changes, "book_value"), _after(old, changes, "depreciation")
    if book is not None and dep is not None and dep > book:
        return _l("accumulated depreciation would exceed the book value")
    return None


def _dates_in_order(first: str, last: str):
    def rule(old, changes: dict):
        a, b = _after(old, changes, first), _after(old, changes, last)
        if isinstance(a, date) and isinstance(b, date) and a > b:
            return _l("%(first)s would be later than %(last)s", first=field_label(first), last=field_label(last))
        return None
    return (first, last), rule


# Per-record rules by table: (columns the rule reads, rule(old row, changes) -> reason or None).
RECORD_RULES = {
    "asset": (("status", "book_value", "depreciation"), _asset_rule),
    "contract": _dates_in_order("starts_on", "ends_on"),
    "vehicle": _dates_in_order("registered_on", "deregistered_on"),
}


def check_changes(model, changes: dict) -> dict:
    """Validate the requested values once; return them normalised. Raises BulkEditError."""
    if not changes:
        raise BulkEditError(_l("Tick at least one field to change."))
    table = model.__table__
    result = {}
    for key, value in changes.items():
        if key not in table.c or table.c[key].primary_key or key in ("version", "created_at", "updated_at"):
            raise BulkEditError(_l("%(field)s cannot be bulk-edited.", field=field_label(key)))
        column = table.c[key]
        if value is None and not column.nullable:
            raise BulkEditError(_l("%(field)s cannot be empty.", field=field_label(key)))
        if value is not None and key in FIELD_CHECKS:
            try:
                value = FIELD_CHECKS[key](value)
            except checks.CheckError as exc:
                raise BulkEditError(f"{field_label(key)}: {exc.message}") from None
        if table.name == "asset" and key == "status" and value in LOCKED_STATUSES:
            raise BulkEditError(_l("Assets are written off only through a write-off act."))
        result[key] = value
    return result


def _columns(model, changes):
    rule_columns, rule = RECORD_RULES.get(model.__tablename__, ((), None))
    names = list(dict.fromkeys([*changes, *rule_columns]))
    return [model.__table__.c[n] for n in names], rule


def _diff(row, changes: dict) -> dict:
    # Values are of the column's Python type on both sides (enum, Decimal, date…), so == compares them.
    return {k: (row[k], v) for k, v in changes.items() if row[k] != v}


def _judge(row: dict, changes: dict, rule):
    """(reason refused or None, field diff) for one record."""
    diff = _diff(row, changes)
    if not diff:
        return None, diff
    reason = rule(row, changes) if rule else None
    return reason, diff


def preview(session: Session, model, ids, changes: dict, chunk_size: int | None = None) -> Preview:
    """What setting ``changes`` (column key -> value) on the records ``ids`` would do; writes nothing."""
    changes = check_changes(model, changes)
    ids = list(dict.fromkeys(int(i) for i in ids))
    table = model.__table__
    columns, rule = _columns(model, changes)
    result = Preview(table=table.name, changes=changes, total=len(ids),
                     counts={k: Counter() for k in changes})
    for chunk in chunks(ids, chunk_size or chunk_size_for(session, CHUNK_SIZE)):
        found = set()
        stmt = select(table.c.id, table.c.version, *columns).where(id_in(session, table.c.id, chunk))
        for row in session.execute(stmt).mappings():
            found.add(row["id"])
            reason, diff = _judge(row, changes, rule)
            if reason:
                result.refusals.append(Refusal(row["id"], str(reason)))
            elif not diff:
                result.unchanged += 1
            else:
                result.versions[row["id"]] = row["version"]
                for key, (old, new) in diff.items():
                    result.counts[key][(old, new)] += 1
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
    columns, rule = _columns(model, changes)
    tracked = issubclass(model, Tracked)
    now = utcnow()
    log, refusals = {}, []
    new_plain = {k: plain(v) for k, v in changes.items()}
    for chunk in chunks(versions, chunk_size or chunk_size_for(session, CHUNK_SIZE)):
        stmt = (select(table.c.id, table.c.version, *columns).where(id_in(session, table.c.id, chunk))
                .with_for_update())
        rows = {row["id"]: row for row in session.execute(stmt).mappings().all()}
        ok = []
        for record_id in chunk:
            row = rows.get(record_id)
            if row is None:
                refusals.append(Refusal(record_id, str(_l("the record no longer exists"))))
                continue
            expected = versions[record_id]
            if expected is not None and row["version"] != expected:
                refusals.append(Refusal(record_id, str(_l("someone else changed the record meanwhile"))))
                continue
            reason, diff = _judge(row, changes, rule)
            if reason:
                refusals.append(Refusal(record_id, str(reason)))
            elif diff:
                ok.append(record_id)
                log[record_id] = {k: [plain(o), new_plain[k]] for k, (o, _n) in diff.items()}
        if ok:
            values = dict(changes)
            if tracked:
                values.update(version=table.c.version + 1, updated_at=now)
            session.execute(update(table).where(id_in(session, table.c.id, ok)).values(**values))
    log_rows = record_changes(session, action, table.name, log)
    return len(log), log_rows, refusals


def apply(session: Session, model, versions: dict, changes: dict, action: str = "bulk_edit",
          comment: str | None = None, chunk_size: int | None = None) -> Applied:
    """Write a previewed bulk edit in one transaction (committed here); on any error nothing is written."""
    changes = check_changes(model, changes)
    try:
        ctx = new_batch(session, comment)
        changed, log_rows, refusals = update_rows(
            session, model, {int(k): v for k, v in versions.items()}, changes, action, chunk_size)
        session.commit()
    except Exception:
        session.rollback()
        raise
    # The ORM may hold these records from before the set-based update.
    session.expire_all()
    name_refusals(session, model, refusals)
    return Applied(batch_id=ctx.batch_id, changed=changed, log_rows=log_rows, refusals=refusals)
