"""Transfers (внутреннее перемещение): a document per source responsible person, its lines, the assets moved.

One call is one transaction: the documents (numbered per year), their lines (a snapshot of each
asset), the set-based update of the assets and the change log of all of it under one batch.
"""
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from models import (LOCKED_STATUSES, Asset, Department, DocumentStatus, Employee, Role, Room, Transfer,  # noqa: F401
                    TransferLine, utcnow)
from models.rules import Refused, judge
from models.changelog import plain, record_changes

from . import documents
from .audit import chunks, new_batch
from .bulk_edit import CHUNK_SIZE, update_rows

TARGETS = ("responsible_id", "department_id", "room_id")


class TransferRefused(Refused):
    def messages(self, label=None):
        return [str(self.message)] + [f"{record}: {reason}" for record, reason in self.records[:20]]

    def __init__(self, message, records=()):
        super().__init__(message)
        self.message = message
        self.records = list(records)  # (asset label, reason)


@dataclass
class TransferResult:
    batch_id: str
    transfers: list = field(default_factory=list)
    assets: int = 0


def transfer_assets(session: Session, asset_ids, *, doc_date: date, to_responsible_id=None,
                    to_department_id=None, to_room_id=None, reason: str | None = None, user=None) -> TransferResult:
    """Move the assets to a responsible person and/or department and/or room; one document per
    current responsible person (form 0504102 has one «Сдал»). Committed here; all or nothing."""
    target = {"responsible_id": to_responsible_id, "department_id": to_department_id, "room_id": to_room_id}
    target = {k: int(v) for k, v in target.items() if v not in (None, "")}
    if not target:
        raise TransferRefused(_l("Choose whom, which department or which room the assets go to."))
    for key, model in (("responsible_id", Employee), ("department_id", Department), ("room_id", Room)):
        if key in target and session.get(model, target[key]) is None:
            raise TransferRefused(_l("The chosen recipient no longer exists."))
    ids = list(dict.fromkeys(int(i) for i in asset_ids))
    if not ids:
        raise TransferRefused(_l("No assets were chosen."))

    rows, refused = [], []
    cols = (Asset.id, Asset.inventory_number, Asset.name, Asset.book_value, Asset.status, *(
        getattr(Asset, k) for k in TARGETS))
    for chunk in chunks(ids, CHUNK_SIZE):
        for row in session.execute(select(*cols).where(Asset.id.in_(chunk)).with_for_update()).mappings():
            label = f"{row['inventory_number']} {row['name']}"
            problems = judge(Asset, dict(row), {**row, **target})[1]
            if problems:
                refused.append((label, "; ".join(str(m) for _f, m in problems)))
            elif all(row[k] == v for k, v in target.items()):
                refused.append((label, str(_l("is already there"))))
            else:
                rows.append(row)
    if len(rows) + len(refused) < len(ids):
        refused.append(("—", str(_l("%(count)s assets no longer exist", count=len(ids) - len(rows) - len(refused)))))
    if refused:
        raise TransferRefused(_l("Nothing was transferred: %(count)s assets cannot be.", count=len(refused)), refused)

    by_source: dict = {}
    for row in rows:
        by_source.setdefault(row["responsible_id"], []).append(row)
    if True:  # the caller owns the transaction
        ctx = new_batch(session, comment=reason)
        result = TransferResult(batch_id=ctx.batch_id, assets=len(rows))
        user_id = getattr(user, "id", None)
        for source, group in sorted(by_source.items(), key=lambda kv: kv[0] or 0):
            # The clerk's move is the approval: the document is made approved, by them, now.
            doc = Transfer(doc_date=doc_date, status=DocumentStatus.approved, created_by_id=user_id,
                           approved_by_id=user_id, approved_at=utcnow(),
                           from_responsible_id=source, to_responsible_id=target.get("responsible_id"),
                           to_department_id=target.get("department_id"), to_room_id=target.get("room_id"),
                           reason=reason)
            documents.number(session, doc, doc_date)
            session.add(doc)
            session.flush()  # the capture logs the document's creation
            _add_lines(session, doc, group)
            update_rows(session, Asset, {row["id"]: None for row in group}, target, "transfer")
            result.transfers.append(doc)
    return result


def _add_lines(session, doc, group):
    lines = [{"transfer_id": doc.id, "asset_id": r["id"], "inventory_number": r["inventory_number"],
              "name": r["name"], "book_value": r["book_value"], "from_responsible_id": r["responsible_id"],
              "from_department_id": r["department_id"], "from_room_id": r["room_id"]} for r in group]
    ids = session.scalars(insert(TransferLine).returning(TransferLine.id, sort_by_parameter_order=True), lines).all()
    record_changes(session, "create", TransferLine.__tablename__,
                   {i: {k: [None, plain(v)] for k, v in line.items() if v is not None} for i, line in zip(ids, lines)})


def _on_reverse(session: Session, transfer: Transfer, reversal) -> None:
    """Move the assets back where each line says they came from; refused if any has moved since
    or is locked by a write-off act."""
    lines = list(transfer.lines)
    target = {k: getattr(transfer, f"to_{k}") for k in TARGETS if getattr(transfer, f"to_{k}") is not None}
    current = {row.id: row for row in session.execute(
        select(Asset.id, Asset.inventory_number, Asset.status, *(getattr(Asset, k) for k in TARGETS))
        .where(Asset.id.in_([line.asset_id for line in lines])))}
    refused = []
    for line in lines:
        row = current.get(line.asset_id)
        if row is None:
            refused.append(f"{line.inventory_number}: {_l('the record no longer exists')}")
        elif row.status in LOCKED_STATUSES:
            refused.append(f"{line.inventory_number}: {row.status.label}")
        elif any(getattr(row, k) != v for k, v in target.items()):
            refused.append(f"{line.inventory_number}: {_l('moved again since')}")
    if refused:
        raise documents.DocumentRefused(_l("Some assets are no longer where the transfer put them; the reversal was "
                                           "not approved."), refused)
    back: dict[tuple, list[int]] = {}
    for line in lines:
        source = tuple((k, getattr(line, f"from_{k}")) for k in TARGETS if k in target)
        back.setdefault(source, []).append(line.asset_id)
    for source, ids in back.items():
        changed, _, refusals = update_rows(session, Asset, dict.fromkeys(ids), dict(source), "reverse")
        if refusals:
            raise documents.DocumentRefused(_l("Some assets could not be moved back; the reversal was not approved."),
                                            [r.reason for r in refusals])


documents.register(documents.Kind(
    "transfer", Transfer, _l("Transfer"), approvers=frozenset({Role.admin, Role.clerk}), on_reverse=_on_reverse))


def asset_transfers(session: Session, asset_id: int) -> list[tuple[Transfer, TransferLine]]:
    """The transfers of one asset, newest first: for its details page."""
    stmt = (select(Transfer, TransferLine).join(TransferLine.transfer).where(TransferLine.asset_id == asset_id)
            .order_by(Transfer.doc_date.desc(), Transfer.id.desc()))
    return [tuple(row) for row in session.execute(stmt)]


def _person(employee):
    return (employee.full_name if employee else "", (employee.position or "") if employee else "")


def form_data(transfer: Transfer, institution) -> dict:
    """Plain values the 0504102 workbook needs (reports know nothing of the ORM); ``institution`` is
    the settings record (a plain name is accepted too)."""
    lines = transfer.lines
    first = lines[0] if lines else None
    from_department = _from_department(transfer, first)
    giver_name, giver_position = _person(transfer.from_responsible)
    receiver = transfer.to_responsible or transfer.from_responsible
    receiver_name, receiver_position = _person(receiver)
    inst = institution if not isinstance(institution, str) else None
    chief = getattr(inst, "chief_accountant", None)
    return {
        "institution": getattr(inst, "full_name", None) or (institution if isinstance(institution, str) else ""),
        "okpo": getattr(inst, "okpo", None) or "", "inn": getattr(inst, "inn", None) or "",
        "kpp": getattr(inst, "kpp", None) or "",
        "chief_accountant": chief.full_name if chief else "",
        "chief_position": (chief.position if chief and chief.position else ""),
        "number": f"{transfer.number}",
        "year": transfer.year,
        "doc_date": transfer.doc_date,
        "from_department": from_department,
        "to_department": transfer.to_department.name if transfer.to_department else from_department,
        "from_responsible": giver_name, "from_position": giver_position,
        "to_responsible": receiver_name, "to_position": receiver_position,
        "to_room": str(transfer.to_room) if transfer.to_room else "",
        "reason": transfer.reason or "",
        "lines": [(line.name, line.inventory_number, line.book_value) for line in lines],
    }


def _from_department(transfer, first_line) -> str:
    from sqlalchemy.orm import object_session

    if first_line is None or first_line.from_department_id is None:
        return ""
    department = object_session(transfer).get(Department, first_line.from_department_id)
    return department.name if department else ""
