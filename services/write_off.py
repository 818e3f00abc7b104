"""Write-off acts: eligibility, draft, approval, cancellation, disposal.

Every operation is set-based (one UPDATE per group of rows, executemany inserts, one executemany
into the change log) and all or nothing: it raises ``WriteOffError`` before writing anything it
can check up front, and a failure half way leaves the session to be rolled back by the caller,
which commits only when the whole operation returned.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from models.rules import Refused
from models import (Asset, AssetStatus, Employee, FuelCard, FuelCardStatus, Role, Vehicle,
                    WriteOffAct, WriteOffForm, WriteOffLine, WriteOffReason, WriteOffStatus, utcnow)
from models.changelog import plain, record_changes

from .depreciation_rules import accumulated_at, months_in_service

CHUNK = 5000
APPROVERS = frozenset({Role.head, Role.admin})
MIN_MEMBERS = 2


class WriteOffError(Refused):
    """The one refusal type (models.rules.Refused), with the records it concerns as ``details``."""

    def __init__(self, message, details=()):
        super().__init__(message)
        self.message = message
        self.details = list(details)

    def messages(self, label=None):
        return [" ".join([str(self.message), "; ".join(self.details[:20])]).strip()]


@dataclass
class Eligibility:
    asset_id: int
    inventory_number: str
    name: str
    book_value: Decimal
    is_vehicle: bool
    reason: object = None  # None: eligible; else a lazy message

    @property
    def ok(self) -> bool:
        return self.reason is None


@dataclass
class LineText:
    condition: str | None = None
    conclusion: str | None = None


@dataclass
class DraftRequest:
    act_date: date
    form: WriteOffForm
    reason: WriteOffReason
    chair_id: int
    member_ids: list[int]
    responsible_id: int | None = None
    reason_details: str | None = None
    evidence_number: str | None = None
    evidence_date: date | None = None
    conclusion: str | None = None
    condition: str | None = None  # common to every line unless overridden
    line_conclusion: str | None = None
    per_line: dict[int, LineText] = field(default_factory=dict)


def _chunks(items, size=CHUNK):
    items = list(items)
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _ids(asset_ids) -> list[int]:
    seen, result = set(), []
    for i in asset_ids:
        i = int(i)
        if i not in seen:
            seen.add(i)
            result.append(i)
    return result


# --- eligibility -----------------------------------------------------------------------------

def eligibility(session: Session, asset_ids, form: WriteOffForm) -> list[Eligibility]:
    """Each asset with the reason it can't go into an act of ``form`` (None if it can)."""
    form = WriteOffForm(form)
    ids = _ids(asset_ids)
    active_card = (select(FuelCard.id).where(FuelCard.vehicle_id == Vehicle.id,
                                             FuelCard.status == FuelCardStatus.active).exists())
    rows = {}
    for part in _chunks(ids):
        query = (select(Asset.id, Asset.inventory_number, Asset.name, Asset.book_value, Asset.status,
                        Vehicle.id.label("vehicle_id"), active_card.label("has_card"))
                 .outerjoin(Vehicle, Vehicle.asset_id == Asset.id)
                 .where(Asset.id.in_(part)))
        rows.update({r.id: r for r in session.execute(query)})
    drafts = _draft_acts(session, [i for i, r in rows.items() if r.status == AssetStatus.pending_write_off])

    result, vehicles_taken = [], 0
    for asset_id in ids:
        r = rows.get(asset_id)
        if r is None:
            continue  # deleted meanwhile: nothing to show
        item = Eligibility(r.id, r.inventory_number, r.name, r.book_value, r.vehicle_id is not None)
        if r.status in (AssetStatus.written_off, AssetStatus.disposed):
            item.reason = _l("already written off")
        elif r.status == AssetStatus.pending_write_off:
            act = drafts.get(r.id)
            item.reason = (_l("already in draft act %(act)s", act=act) if act
                           else _l("already in another draft act"))
        elif item.is_vehicle and r.has_card:
            item.reason = _l("a vehicle with an active fuel card: block or close the card first")
        elif item.is_vehicle and form != WriteOffForm.f0504105:
            item.reason = _l("a vehicle is written off with form 0504105")
        elif not item.is_vehicle and form == WriteOffForm.f0504105:
            item.reason = _l("form 0504105 is for vehicles only")
        elif item.is_vehicle:
            vehicles_taken += 1
            if vehicles_taken > 1:
                item.reason = _l("one vehicle per 0504105 act")
        result.append(item)
    return result


def _draft_acts(session, asset_ids) -> dict[int, str]:
    found = {}
    for part in _chunks(asset_ids):
        query = (select(WriteOffLine.asset_id, WriteOffAct.number, WriteOffAct.year)
                 .join(WriteOffAct).where(WriteOffLine.asset_id.in_(part),
                                          WriteOffAct.status == WriteOffStatus.draft))
        found.update({a: f"{n}/{y}" for a, n, y in session.execute(query)})
    return found


# --- draft -----------------------------------------------------------------------------------

def next_number(session: Session, year: int) -> int:
    return (session.scalar(select(func.max(WriteOffAct.number)).where(WriteOffAct.year == year)) or 0) + 1


def _check_commission(session, request: DraftRequest) -> list[int]:
    members = [m for m in _ids(request.member_ids) if m != request.chair_id]
    if not request.chair_id:
        raise WriteOffError(_l("Choose the commission chair."))
    if len(members) < MIN_MEMBERS:
        raise WriteOffError(_l("The commission needs a chair and at least two other members."))
    wanted = {request.chair_id, *members} | ({request.responsible_id} if request.responsible_id else set())
    known = set(session.scalars(select(Employee.id).where(Employee.id.in_(wanted))))
    if known != wanted:
        raise WriteOffError(_l("Some of the chosen employees no longer exist."))
    return members


def create_draft(session: Session, asset_ids, request: DraftRequest) -> tuple[WriteOffAct, list[Eligibility]]:
    """A draft act of the eligible assets; they become «pending write-off».

    Returns the act and the eligibility of every asset asked for (refused ones stay as they were).
    """
    if not request.act_date:
        raise WriteOffError(_l("Give the act date."))
    members = _check_commission(session, request)
    checked = eligibility(session, asset_ids, request.form)
    eligible_ids = [e.asset_id for e in checked if e.ok]
    if not eligible_ids:
        raise WriteOffError(_l("None of the chosen assets can be written off with this act."),
                            [f"{e.inventory_number}: {e.reason}" for e in checked])

    year = request.act_date.year
    act = WriteOffAct(
        year=year, number=next_number(session, year), act_date=request.act_date, form=request.form,
        reason=request.reason, reason_details=request.reason_details, status=WriteOffStatus.draft,
        evidence_number=request.evidence_number, evidence_date=request.evidence_date,
        responsible_id=request.responsible_id, chair_id=request.chair_id, conclusion=request.conclusion,
    )
    act.members = list(session.scalars(select(Employee).where(Employee.id.in_(members))))
    session.add(act)
    session.flush()

    lines, log = [], {}
    for part in _chunks(eligible_ids):
        assets = session.execute(
            select(Asset.id, Asset.inventory_number, Asset.name, Asset.book_value, Asset.depreciation,
                   Asset.commissioned_on, Asset.useful_life_months, Asset.status)
            .where(Asset.id.in_(part))).all()
        for a in assets:
            depreciation = snapshot_depreciation(a.book_value, a.depreciation, a.commissioned_on,
                                                 a.useful_life_months, request.act_date)
            text = request.per_line.get(a.id) or LineText()
            lines.append({
                "act_id": act.id, "asset_id": a.id, "inventory_number": a.inventory_number, "name": a.name,
                "book_value": a.book_value, "depreciation": depreciation,
                "residual_value": a.book_value - depreciation, "previous_status": a.status,
                "condition": text.condition or request.condition,
                "conclusion": text.conclusion or request.line_conclusion,
            })
            log[a.id] = {"status": [plain(a.status), AssetStatus.pending_write_off.value]}
        # Only rows still unlocked: a concurrent act taking the same asset makes the counts differ.
        changed = session.execute(
            update(Asset.__table__).where(Asset.__table__.c.id.in_(part),
                                          ~Asset.locked)
            .values(status=AssetStatus.pending_write_off.value, version=Asset.__table__.c.version + 1,
                    updated_at=utcnow())).rowcount
        if changed != len(assets):
            raise WriteOffError(_l("Some assets were changed by someone else meanwhile; try again."))
    for part in _chunks(lines):
        session.execute(insert(WriteOffLine), part)
    record_changes(session, "write_off_draft", "asset", log)
    return act, checked


def snapshot_depreciation(book_value, posted, commissioned_on, useful_life_months, at) -> Decimal:
    """Depreciation at the act date: by the rules, or what is on the books if that is more
    (opening balances of imported records the rules can't know), never above book value."""
    by_rules = accumulated_at(book_value, commissioned_on, useful_life_months, at)
    return min(book_value, max(by_rules, posted or Decimal("0.00")))


# --- approval, cancellation, disposal --------------------------------------------------------

def _line_assets(act):
    return select(WriteOffLine.asset_id).where(WriteOffLine.act_id == act.id)


def _require_draft(act: WriteOffAct):
    if act.status != WriteOffStatus.draft:
        raise WriteOffError(_l("Act %(act)s is %(status)s; only a draft can be changed.",
                               act=str(act), status=act.status.label))


def approve(session: Session, act: WriteOffAct, user) -> int:
    """Write the act's assets off: status, date, act, depreciation completed; the act becomes approved."""
    if getattr(user, "role", None) not in APPROVERS:
        raise WriteOffError(_l("Only the head of department or an administrator approves write-off acts."))
    _require_draft(act)
    table = Asset.__table__
    # Explicit id lists, not IN (subquery): the planner misjudges a freshly filled line table.
    ids = list(session.scalars(_line_assets(act)))
    before = []
    for part in _chunks(ids):
        before += session.execute(select(table.c.id, table.c.status, table.c.depreciation, table.c.book_value)
                                  .where(table.c.id.in_(part))).all()
    blocked = [r.id for r in before if r.status != AssetStatus.pending_write_off.value]
    if blocked or len(before) != len(ids):
        raise WriteOffError(_l("Some assets of the act are no longer pending write-off; nothing was approved."))
    changed = 0
    for part in _chunks(ids):
        changed += session.execute(
            update(table).where(table.c.id.in_(part), table.c.status == AssetStatus.pending_write_off.value)
            .values(status=AssetStatus.written_off.value, written_off_on=act.act_date, write_off_act_id=act.id,
                    depreciation=table.c.book_value, version=table.c.version + 1, updated_at=utcnow())).rowcount
    if changed != len(before):
        raise WriteOffError(_l("Some assets were changed by someone else meanwhile; try again."))
    record_changes(session, "write_off", "asset", {r.id: _approval_changes(r, act) for r in before})
    act.status = WriteOffStatus.approved
    act.approved_by_id = user.id
    act.approved_at = utcnow()
    session.flush()
    return changed


def _approval_changes(row, act):
    changes = {"status": [AssetStatus.pending_write_off.value, AssetStatus.written_off.value],
               "written_off_on": [None, act.act_date.isoformat()], "write_off_act_id": [None, act.id]}
    if row.depreciation != row.book_value:
        changes["depreciation"] = [plain(row.depreciation), plain(row.book_value)]
    return changes


def cancel(session: Session, act: WriteOffAct) -> int:
    """Cancel a draft: its assets go back to the status they had before it."""
    _require_draft(act)
    table = Asset.__table__
    by_status = defaultdict(list)
    for asset_id, previous in session.execute(
            select(WriteOffLine.asset_id, WriteOffLine.previous_status).where(WriteOffLine.act_id == act.id)):
        by_status[previous].append(asset_id)
    log, total = {}, 0
    for previous, ids in by_status.items():
        for part in _chunks(ids):
            changed = session.execute(
                update(table).where(table.c.id.in_(part), table.c.status == AssetStatus.pending_write_off.value)
                .values(status=AssetStatus(previous).value, version=table.c.version + 1, updated_at=utcnow())
            ).rowcount
            if changed != len(part):
                raise WriteOffError(_l("Some assets of the act are no longer pending write-off; nothing was cancelled."))
            total += changed
        log.update({i: {"status": [AssetStatus.pending_write_off.value, AssetStatus(previous).value]}
                    for i in ids})
    record_changes(session, "write_off_cancel", "asset", log)
    act.status = WriteOffStatus.cancelled
    session.flush()
    return total


def mark_disposed(session: Session, asset_ids, day: date, document: str) -> int:
    """Written-off assets disposed of (утилизированы) on ``day`` by ``document``: all or none."""
    ids = _ids(asset_ids)
    document = (document or "").strip()
    if not ids:
        raise WriteOffError(_l("Choose the assets to dispose of."))
    if not day or not document:
        raise WriteOffError(_l("Give the disposal date and document."))
    rows = []
    for part in _chunks(ids):
        rows += session.execute(select(Asset.id, Asset.inventory_number, Asset.status, Asset.written_off_on)
                                .where(Asset.id.in_(part))).all()
    not_written_off = _l("not written off")
    too_early = _l("disposal date before the write-off date")
    refused = [f"{r.inventory_number}: {not_written_off}" for r in rows if r.status != AssetStatus.written_off]
    refused += [f"{r.inventory_number}: {too_early}"
                for r in rows if r.status == AssetStatus.written_off and r.written_off_on and day < r.written_off_on]
    if refused or len(rows) != len(ids):
        raise WriteOffError(_l("Only written-off assets can be disposed of; nothing was changed."), refused)
    table = Asset.__table__
    for part in _chunks(ids):
        changed = session.execute(
            update(table).where(table.c.id.in_(part), table.c.status == AssetStatus.written_off.value)
            .values(status=AssetStatus.disposed.value, disposed_on=day, disposal_document=document,
                    version=table.c.version + 1, updated_at=utcnow())).rowcount
        if changed != len(part):
            raise WriteOffError(_l("Some assets were changed by someone else meanwhile; try again."))
    record_changes(session, "dispose", "asset", {
        i: {"status": [AssetStatus.written_off.value, AssetStatus.disposed.value],
            "disposed_on": [None, day.isoformat()], "disposal_document": [None, document]} for i in ids})
    return len(ids)


# --- the act as a document -------------------------------------------------------------------

@dataclass
class ActLine:
    name: str
    inventory_number: str
    year_made: int | None
    accepted_on: date | None
    useful_life_months: int | None
    months_in_service: int
    book_value: Decimal
    depreciation: Decimal
    residual_value: Decimal
    condition: str | None
    conclusion: str | None
    plate: str | None = None
    vin: str | None = None
    mileage_km: int | None = None


def act_lines(session: Session, act: WriteOffAct):
    """The act's lines with what the printed form shows beside the snapshot, streamed in order."""
    query = (select(WriteOffLine, Asset.year_made, Asset.accepted_on, Asset.commissioned_on,
                    Asset.useful_life_months, Vehicle.plate, Vehicle.vin, Vehicle.odometer_km)
             .join(Asset, Asset.id == WriteOffLine.asset_id)
             .outerjoin(Vehicle, Vehicle.asset_id == Asset.id)
             .where(WriteOffLine.act_id == act.id).order_by(WriteOffLine.id)
             .execution_options(yield_per=1000))
    for line, year_made, accepted_on, commissioned_on, life, plate, vin, odometer in session.execute(query):
        yield ActLine(line.name, line.inventory_number, year_made, accepted_on, life,
                      months_in_service(commissioned_on, act.act_date), line.book_value, line.depreciation,
                      line.residual_value, line.condition, line.conclusion, plate, vin, odometer)
