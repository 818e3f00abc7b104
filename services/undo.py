"""Undo a change-log batch: put every record it touched back as it was, all or nothing.

Works on any table and on batches written by the ORM capture (create / update / delete) as well
as by set-based services (bulk edit, transfer, import…: their entries are updates or creates).
A batch is undone only if none of its records changed since: no later log entry for the record and
its current values still equal the batch's new values. Otherwise nothing is written and the
records that changed are listed.
"""
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models.rules import Refused
from models import Base, ChangeLogEntry, utcnow
from models.changelog import SECRET, SKIPPED_FIELDS, plain, record_changes
from models.registry import entity_labels

from .audit import chunks, from_plain, new_batch
from .document_kinds import documents

CHUNK_SIZE = 2000
SHOWN = 200


@dataclass
class Conflict:
    entity: str
    entity_id: int
    reason: str

    @property
    def entity_label(self):
        return entity_labels(self.entity)[0]


class UndoRefused(Refused):
    def __init__(self, message, conflicts=()):
        super().__init__(message)
        self.message = message
        self.conflicts = list(conflicts)


@dataclass
class Undone:
    batch_id: str
    records: int
    by_entity: dict = field(default_factory=dict)


@dataclass
class _Net:
    """The net effect of one batch on one record."""

    kind: str  # 'update', 'create' or 'delete'
    fields: dict  # field -> [old, new] (for a delete: the values it removed as old)
    last_entry: int


def batch_summary(session: Session, batch_id: str) -> list[tuple[str, str, int]]:
    """(entity, action, entries) of a batch, for a confirmation page."""
    stmt = (select(ChangeLogEntry.entity, ChangeLogEntry.action, func.count())
            .where(ChangeLogEntry.batch_id == batch_id)
            .group_by(ChangeLogEntry.entity, ChangeLogEntry.action).order_by(ChangeLogEntry.entity))
    return [tuple(row) for row in session.execute(stmt)]


def _net_effects(session, batch_id) -> dict[tuple[str, int], _Net]:
    stmt = (select(ChangeLogEntry.id, ChangeLogEntry.action, ChangeLogEntry.entity, ChangeLogEntry.entity_id,
                   ChangeLogEntry.changes)
            .where(ChangeLogEntry.batch_id == batch_id).order_by(ChangeLogEntry.id))
    nets: dict[tuple[str, int], _Net] = {}
    for entry_id, action, entity, entity_id, changes in session.execute(stmt):
        key, changes = (entity, entity_id), dict(changes or {})
        net = nets.get(key)
        if action == "create":
            nets[key] = _Net("create", {k: [None, v[1]] for k, v in changes.items()}, entry_id)
        elif action == "delete":
            if net and net.kind == "create":
                del nets[key]  # created and deleted in the same batch: nothing to undo
                continue
            removed = {k: [v[0], None] for k, v in changes.items()}
            for k, (old, _new) in (net.fields.items() if net else ()):
                removed[k] = [old, None]  # restore what it was before the batch touched it
            nets[key] = _Net("delete", removed, entry_id)
        else:
            if net is None:
                net = nets[key] = _Net("update", {}, entry_id)
            for k, (old, new) in changes.items():
                if k in net.fields:
                    net.fields[k][1] = new
                else:
                    net.fields[k] = [old, new]
            net.last_entry = entry_id
    return nets


def _changed_later(session, entity, ids, after_id) -> set[int]:
    later = set()
    for chunk in chunks(ids, CHUNK_SIZE):
        later.update(session.scalars(
            select(ChangeLogEntry.entity_id).distinct()
            .where(ChangeLogEntry.entity == entity, ChangeLogEntry.entity_id.in_(chunk), ChangeLogEntry.id > after_id)))
    return later


def _current_rows(session, table, ids) -> dict[int, dict]:
    rows = {}
    for chunk in chunks(ids, CHUNK_SIZE):
        for row in session.execute(select(table).where(table.c.id.in_(chunk)).with_for_update()).mappings():
            rows[row["id"]] = dict(row)
    return rows


def _same(column, current, logged) -> bool:
    if logged == SECRET:
        return False
    try:
        return from_plain(column, logged) == current
    except (ValueError, TypeError):
        return plain(current) == logged


def _conflicts(session, entity, nets: dict[int, _Net], last_id) -> tuple[list[Conflict], dict]:
    table = Base.metadata.tables.get(entity)
    if table is None:
        return [Conflict(entity, i, str(_l("unknown record type"))) for i in nets], {}
    later = _changed_later(session, entity, list(nets), last_id)
    current = _current_rows(session, table, list(nets))
    found = []
    for record_id, net in nets.items():
        row = current.get(record_id)
        if record_id in later:
            found.append(Conflict(entity, record_id, str(_l("changed after the batch"))))
        elif any(SECRET in (old, new) for old, new in net.fields.values()):
            found.append(Conflict(entity, record_id, str(_l("a secret field cannot be restored"))))
        elif net.kind == "delete":
            if row is not None:
                found.append(Conflict(entity, record_id, str(_l("a record with this id exists again"))))
        elif row is None:
            found.append(Conflict(entity, record_id, str(_l("the record no longer exists"))))
        elif any(k not in table.c for k in net.fields):
            found.append(Conflict(entity, record_id, str(_l("the table no longer has a logged field"))))
        elif not all(_same(table.c[k], row[k], new) for k, (_old, new) in net.fields.items()):
            found.append(Conflict(entity, record_id, str(_l("its values differ from what the batch wrote"))))
    return found, current


FINAL_REASONS = {
    "write_off": _l("it wrote assets off by an approved act"),
    "dispose": _l("it recorded a disposal"),
    "approve": _l("it approved a document"),
    "reverse": _l("it approved a reversing document"),
    "decommission": _l("it took a vehicle out of service by an approved act"),
}


def final_reasons(session: Session, batch_id: str) -> list[str]:
    """Why a batch may not be undone: it approved a document, wrote off or disposed of assets.
    Approval is final; an approved document is corrected by a reversing document."""
    tables = documents.document_tables()
    found = []
    rows = session.execute(select(ChangeLogEntry.action, ChangeLogEntry.entity, ChangeLogEntry.changes)
                           .where(ChangeLogEntry.batch_id == batch_id))
    for action, entity, changes in rows:
        if action in documents.FINAL_ACTIONS:
            reason = FINAL_REASONS.get(action, FINAL_REASONS["approve"])
        elif entity in tables and (changes or {}).get("status", [None, None])[1] == "approved":
            reason = FINAL_REASONS["approve"]
        else:
            continue
        if str(reason) not in found:
            found.append(str(reason))
    return found


def undo_batch(session: Session, batch_id: str) -> Undone:
    """Revert a batch in one transaction (committed here) under a new batch with action 'undo'."""
    final = final_reasons(session, batch_id)
    if final:
        raise UndoRefused(_l("Approval is final and this batch cannot be undone: %(why)s. Correct an approved "
                             "document with a reversing document.", why="; ".join(final)))
    nets = _net_effects(session, batch_id)
    if not nets:
        raise UndoRefused(_l("There is nothing to undo in this batch."))
    last_id = max(n.last_entry for n in nets.values())
    by_entity: dict[str, dict[int, _Net]] = {}
    for (entity, record_id), net in nets.items():
        by_entity.setdefault(entity, {})[record_id] = net

    conflicts, currents = [], {}
    for entity, entity_nets in by_entity.items():
        found, currents[entity] = _conflicts(session, entity, entity_nets, last_id)
        conflicts.extend(found)
    if conflicts:
        raise UndoRefused(_l("The batch cannot be undone: %(count)s records changed since.", count=len(conflicts)),
                          conflicts)
    try:  # the caller commits; a constraint refusing the revert becomes a refusal
        ctx = new_batch(session, comment=f"undo {batch_id}")
        # Children before parents: undo in the reverse order the batch wrote.
        order = sorted(by_entity, key=lambda e: -max(n.last_entry for n in by_entity[e].values()))
        for entity in order:
            _revert(session, Base.metadata.tables[entity], by_entity[entity])
        session.flush()
    except IntegrityError as exc:
        raise UndoRefused(_l("The batch cannot be undone: %(detail)s",
                             detail=str(exc.orig).splitlines()[0])) from None
    session.expire_all()
    return Undone(batch_id=ctx.batch_id, records=len(nets),
                  by_entity={e: len(n) for e, n in by_entity.items()})


def _revert(session, table, nets: dict[int, _Net]):
    now = utcnow()
    tracked = "version" in table.c
    log = {}
    # Updates: one executemany per set of fields, each row back to its old values.
    groups: dict[tuple, list[dict]] = {}
    for record_id, net in nets.items():
        if net.kind != "update":
            continue
        keys = tuple(sorted(net.fields))
        groups.setdefault(keys, []).append(
            {"_id": record_id, **{f"_v_{k}": from_plain(table.c[k], net.fields[k][0]) for k in keys}})
        log[record_id] = {k: [new, old] for k, (old, new) in net.fields.items()}
    for keys, params in groups.items():
        values = {k: bindparam(f"_v_{k}") for k in keys}
        if tracked:
            values.update(version=table.c.version + 1, updated_at=now)
        stmt = update(table).where(table.c.id == bindparam("_id")).values(**values)
        session.connection().execute(stmt, params)
    # Creates: delete them.
    created = [i for i, n in nets.items() if n.kind == "create"]
    for chunk in chunks(sorted(created, reverse=True), CHUNK_SIZE):
        session.execute(delete(table).where(table.c.id.in_(chunk)))
    for record_id in created:
        log[record_id] = {k: [new, None] for k, (_old, new) in nets[record_id].fields.items()}
    # Deletes: put the rows back with their logged values.
    rows = []
    for record_id, net in nets.items():
        if net.kind != "delete":
            continue
        row = {k: from_plain(table.c[k], old) for k, (old, _new) in net.fields.items() if k in table.c}
        row["id"] = record_id
        if tracked:
            row.update(created_at=now, updated_at=now, version=1)
        rows.append(row)
        log[record_id] = {k: [None, old] for k, (old, _new) in net.fields.items() if k not in SKIPPED_FIELDS}
    if rows:
        # Same keys in every row, or executemany would mix up columns.
        keys = set().union(*rows)
        session.connection().execute(insert(table), [{k: r.get(k) for k in keys} for r in rows])
    record_changes(session, "undo", table.name, log)
