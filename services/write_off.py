"""Write-off acts on the document engine: eligibility, draft, approval, cancellation, reversal, disposal.

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

from models import (Asset, AssetCategory, AssetStatus, Commission, Employee, FormFamily, FuelCard,
                    FuelCardStatus, Role, Vehicle, VehicleStatus, WriteOffAct, WriteOffCost, WriteOffForm, WriteOffLine,
                    WriteOffMaterial, WriteOffReason, WriteOffStatus, utcnow)
from models.changelog import plain, record_changes

from . import documents
from .depreciation_rules import accumulated_at, months_in_service
from .institution import OFF_BALANCE_ACCOUNT, account_group, is_soft_household, settings

CHUNK = 5000
APPROVERS = frozenset({Role.head, Role.admin})
MIN_MEMBERS = 2


class WriteOffError(documents.DocumentRefused):
    """A refusal a user can understand; ``message`` is translated lazily."""


@dataclass
class Eligibility:
    asset_id: int
    inventory_number: str
    name: str
    book_value: Decimal
    is_vehicle: bool
    reason: object = None  # None: eligible; else a lazy message
    property_kind: object = None
    account: str | None = None
    responsible_id: int | None = None
    responsible: str | None = None
    department_id: int | None = None

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
    commission_id: int | None
    reason_details: str | None = None
    evidence_number: str | None = None
    evidence_date: date | None = None
    conclusion: str | None = None
    condition: str | None = None  # common to every line unless overridden
    line_conclusion: str | None = None
    per_line: dict[int, LineText] = field(default_factory=dict)
    created_by_id: int | None = None


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
                        Asset.balance_account, Asset.responsible_id, Asset.department_id,
                        AssetCategory.balance_account.label("category_account"), AssetCategory.property_kind,
                        Employee.full_name.label("responsible"),
                        Vehicle.id.label("vehicle_id"), active_card.label("has_card"))
                 .join(AssetCategory, AssetCategory.id == Asset.category_id)
                 .outerjoin(Employee, Employee.id == Asset.responsible_id)
                 .outerjoin(Vehicle, Vehicle.asset_id == Asset.id)
                 .where(Asset.id.in_(part)))
        rows.update({r.id: r for r in session.execute(query)})
    drafts = _draft_acts(session, [i for i, r in rows.items() if r.status == AssetStatus.pending_write_off])

    result, vehicles_taken = [], 0
    for asset_id in ids:
        r = rows.get(asset_id)
        if r is None:
            continue  # deleted meanwhile: nothing to show
        item = Eligibility(r.id, r.inventory_number, r.name, r.book_value, r.vehicle_id is not None,
                           property_kind=r.property_kind, account=r.balance_account or r.category_account,
                           responsible_id=r.responsible_id, responsible=r.responsible, department_id=r.department_id)
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
        elif form == WriteOffForm.f0504143 and not is_soft_household(r.category_account):
            item.reason = _l("form 0504143 writes off only soft and household inventory (accounts 101.x6, 105.x5, "
                             "105.x6); this is on %(account)s", account=r.category_account)
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

def _commission(session, request: DraftRequest) -> Commission:
    commission = session.get(Commission, request.commission_id) if request.commission_id else None
    if commission is None:
        raise WriteOffError(_l("Choose the commission that signs the act."))
    members = [m for m in commission.members if m.id != commission.chair_id]
    if len(members) < MIN_MEMBERS:
        raise WriteOffError(_l("The commission needs a chair and at least two other members."))
    if not (commission.order_number and commission.order_date):
        raise WriteOffError(_l("The commission has no appointing order (number and date): fill it in first."))
    return commission


def _one_of_each(eligible: list[Eligibility]) -> tuple:
    """One property kind, one account group and one МОЛ per act (0504104: «по одной группе
    имущества»; the МОЛ signs for every line), or a refusal naming what is mixed."""
    def distinct(key, show):
        found = {}
        for e in eligible:
            found.setdefault(key(e), []).append(e)
        if len(found) > 1:
            return [f"{show(k)}: " + ", ".join(x.inventory_number for x in group[:5]) + ("…" if len(group) > 5 else "")
                    for k, group in found.items()]
        return None

    kinds = distinct(lambda e: e.property_kind, lambda k: str(k.label) if k else "—")
    if kinds:
        raise WriteOffError(_l("One act is drawn up for one kind of property; the chosen assets are of "
                               "%(count)s kinds. Make an act for each.", count=len(kinds)), kinds)
    groups = distinct(lambda e: account_group(e.account), lambda g: _l("off-balance account 21") if
                      g == OFF_BALANCE_ACCOUNT else _l("account %(group)s", group=g or "—"))
    if groups:
        raise WriteOffError(_l("One act is drawn up for one balance-account group, off-balance objects apart; the "
                               "chosen assets are on %(count)s. Make an act for each.", count=len(groups)), groups)
    people = distinct(lambda e: e.responsible_id, lambda _k: "")
    if people:
        names = sorted({e.responsible or str(_l("no responsible person")) for e in eligible})
        raise WriteOffError(_l("The assets are held by different materially responsible persons (%(names)s); "
                               "one act is drawn up per person.", names="; ".join(names)), people)
    first = eligible[0]
    return first.property_kind, account_group(first.account), first.responsible_id, first.department_id


def create_draft(session: Session, asset_ids, request: DraftRequest) -> tuple[WriteOffAct, list[Eligibility]]:
    """A draft act of the eligible assets; they become «pending write-off».

    Returns the act and the eligibility of every asset asked for (refused ones stay as they were).
    """
    if not request.act_date:
        raise WriteOffError(_l("Give the act date."))
    commission = _commission(session, request)
    checked = eligibility(session, asset_ids, request.form)
    eligible = [e for e in checked if e.ok]
    if not eligible:
        raise WriteOffError(_l("None of the chosen assets can be written off with this act."),
                            [f"{e.inventory_number}: {e.reason}" for e in checked])
    property_kind, group, responsible_id, department_id = _one_of_each(eligible)
    eligible_ids = [e.asset_id for e in eligible]
    accounts = {e.asset_id: e.account for e in eligible}
    if responsible_id is not None:
        department_id = session.scalar(select(Employee.department_id).where(Employee.id == responsible_id)) \
            or department_id

    act = WriteOffAct(
        act_date=request.act_date, form=request.form, reason=request.reason, reason_details=request.reason_details,
        status=WriteOffStatus.draft, evidence_number=request.evidence_number, evidence_date=request.evidence_date,
        responsible_id=responsible_id, department_id=department_id, commission_id=commission.id,
        conclusion=request.conclusion, form_family=settings(session).form_family or FormFamily.f52n,
        property_kind=property_kind, account_group=group, created_by_id=request.created_by_id,
    )
    documents.number(session, act, request.act_date)
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
                "balance_account": accounts.get(a.id), "previous_depreciation": None,
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


def approve(session: Session, act: WriteOffAct, user) -> int:
    """Approve through the engine (role, state, who and when); returns the assets written off."""
    try:
        documents.approve(session, act, user)
    except WriteOffError:
        raise
    except documents.DocumentRefused as exc:
        raise WriteOffError(exc.message, exc.details) from None
    return session.scalar(select(func.count()).select_from(WriteOffLine).where(WriteOffLine.act_id == act.id))


def _on_approve(session: Session, act: WriteOffAct, user) -> None:
    """Write the act's assets off: status, date, act, depreciation completed; a vehicle leaves service."""
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
    # What the books said, for a reversal to put back.
    line_table = WriteOffLine.__table__
    session.execute(update(line_table).where(line_table.c.act_id == act.id).values(
        previous_depreciation=select(table.c.depreciation).where(table.c.id == line_table.c.asset_id)
        .scalar_subquery()))
    changed = 0
    for part in _chunks(ids):
        changed += session.execute(
            update(table).where(table.c.id.in_(part), table.c.status == AssetStatus.pending_write_off.value)
            .values(status=AssetStatus.written_off.value, written_off_on=act.act_date, write_off_act_id=act.id,
                    depreciation=table.c.book_value, version=table.c.version + 1, updated_at=utcnow())).rowcount
    if changed != len(before):
        raise WriteOffError(_l("Some assets were changed by someone else meanwhile; try again."))
    record_changes(session, "write_off", "asset", {r.id: _approval_changes(r, act) for r in before})
    _decommission_vehicles(session, ids)


def _decommission_vehicles(session, asset_ids):
    """A written-off vehicle leaves service: its policy and inspection deadlines leave the home page,
    and its deregistration with the traffic police shows there until a date is entered."""
    vehicles = session.scalars(select(Vehicle).where(Vehicle.asset_id.in_(asset_ids),
                                                     Vehicle.status != VehicleStatus.decommissioned)).all()
    for vehicle in vehicles:
        vehicle.status = VehicleStatus.decommissioned  # the ORM capture logs it


def _approval_changes(row, act):
    changes = {"status": [AssetStatus.pending_write_off.value, AssetStatus.written_off.value],
               "written_off_on": [None, act.act_date.isoformat()], "write_off_act_id": [None, act.id]}
    if row.depreciation != row.book_value:
        changes["depreciation"] = [plain(row.depreciation), plain(row.book_value)]
    return changes


def cancel(session: Session, act: WriteOffAct, user=None) -> int:
    """Cancel a draft through the engine; returns the assets put back."""
    try:
        documents.require_draft(act)
        count = session.scalar(select(func.count()).select_from(WriteOffLine).where(WriteOffLine.act_id == act.id))
        documents.cancel(session, act, user)
    except WriteOffError:
        raise
    except documents.DocumentRefused as exc:
        raise WriteOffError(exc.message, exc.details) from None
    return count


def _on_cancel(session: Session, act: WriteOffAct) -> None:
    """Its assets go back to the status they had before the draft."""
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


def _on_reverse(session: Session, act: WriteOffAct, reversal) -> None:
    """Take the write-off back: each asset returns to its status and depreciation before the act;
    refused if any was disposed of meanwhile (a disposal is not taken back)."""
    table = Asset.__table__
    rows = session.execute(
        select(WriteOffLine.asset_id, WriteOffLine.previous_status, WriteOffLine.previous_depreciation,
               table.c.inventory_number, table.c.status, table.c.depreciation, table.c.write_off_act_id)
        .join(table, table.c.id == WriteOffLine.asset_id).where(WriteOffLine.act_id == act.id)).all()
    refused = [f"{r.inventory_number}: {AssetStatus(r.status).label}" for r in rows
               if r.status != AssetStatus.written_off.value or r.write_off_act_id != act.id]
    if refused:
        raise WriteOffError(_l("Some assets of the act are no longer written off by it (disposed of?); the reversal "
                               "was not approved."), refused)
    log = {}
    for r in rows:
        values = {"status": AssetStatus(r.previous_status).value, "written_off_on": None, "write_off_act_id": None}
        if r.previous_depreciation is not None:
            values["depreciation"] = r.previous_depreciation
        changed = session.execute(update(table).where(table.c.id == r.asset_id,
                                                      table.c.status == AssetStatus.written_off.value)
                                  .values(**values, version=table.c.version + 1, updated_at=utcnow())).rowcount
        if changed != 1:
            raise WriteOffError(_l("Some assets were changed by someone else meanwhile; try again."))
        log[r.asset_id] = {"status": [AssetStatus.written_off.value, values["status"]],
                           "written_off_on": [act.act_date.isoformat(), None], "write_off_act_id": [act.id, None]}
        if "depreciation" in values and values["depreciation"] != r.depreciation:
            log[r.asset_id]["depreciation"] = [plain(r.depreciation), plain(values["depreciation"])]
    record_changes(session, "reverse", "asset", log)
    for vehicle in session.scalars(select(Vehicle).where(Vehicle.asset_id.in_([r.asset_id for r in rows]),
                                                         Vehicle.status == VehicleStatus.decommissioned,
                                                         Vehicle.deregistered_on.is_(None))):
        vehicle.status = VehicleStatus.in_service


# --- write-off costs and materials received (sections 2 and 3 of the act) ------------------------

def add_cost(session: Session, act: WriteOffAct, name: str, amount, document: str | None = None,
             balance_account: str | None = None) -> WriteOffCost:
    documents.require_draft(act)
    name = (name or "").strip()
    if not name or amount is None or amount < 0:
        raise WriteOffError(_l("Give the cost's name and a non-negative amount."))
    cost = WriteOffCost(act_id=act.id, name=name, amount=amount, document=(document or "").strip() or None,
                        balance_account=(balance_account or "").strip() or None, quantity=Decimal("1"))
    session.add(cost)
    session.flush()
    record_changes(session, "create", "write_off_cost", {cost.id: {"act_id": [None, act.id], "name": [None, name],
                                                                   "amount": [None, plain(cost.amount)]}})
    return cost


def add_material(session: Session, act: WriteOffAct, name: str, quantity, amount, unit: str = "шт",
                 okei: str | None = None, balance_account: str | None = None) -> WriteOffMaterial:
    documents.require_draft(act)
    name = (name or "").strip()
    if not name or quantity is None or quantity <= 0 or amount is None or amount < 0:
        raise WriteOffError(_l("Give the material's name, a positive quantity and a non-negative value."))
    material = WriteOffMaterial(act_id=act.id, name=name, quantity=quantity, amount=amount,
                                unit=(unit or "шт").strip(), okei=(okei or "").strip() or None,
                                balance_account=(balance_account or "").strip() or None)
    session.add(material)
    session.flush()
    record_changes(session, "create", "write_off_material", {material.id: {
        "act_id": [None, act.id], "name": [None, name], "quantity": [None, plain(quantity)],
        "amount": [None, plain(material.amount)]}})
    return material


def remove_extra(session: Session, act: WriteOffAct, model, item_id: int) -> None:
    documents.require_draft(act)
    item = session.get(model, item_id)
    if item is None or item.act_id != act.id:
        raise WriteOffError(_l("The line no longer exists."))
    record_changes(session, "delete", model.__tablename__, {item.id: {"act_id": [act.id, None],
                                                                     "name": [item.name, None]}})
    session.delete(item)
    session.flush()


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
    balance_account: str | None = None
    plate: str | None = None
    vin: str | None = None
    mileage_km: int | None = None
    make_model: str | None = None
    engine_number: str | None = None
    chassis_number: str | None = None
    body_number: str | None = None
    colour: str | None = None
    pts_number: str | None = None
    sts_number: str | None = None
    accepted_for_use_on: date | None = None
    quantity: int = 1
    unit: str = "шт"

    @property
    def price(self) -> Decimal:
        return self.book_value


def act_lines(session: Session, act: WriteOffAct):
    """The act's lines with what the printed form shows beside the snapshot, streamed in order."""
    query = (select(WriteOffLine, Asset.year_made, Asset.accepted_on, Asset.commissioned_on,
                    Asset.useful_life_months, Vehicle)
             .join(Asset, Asset.id == WriteOffLine.asset_id)
             .outerjoin(Vehicle, Vehicle.asset_id == Asset.id)
             .where(WriteOffLine.act_id == act.id).order_by(WriteOffLine.id)
             .execution_options(yield_per=1000))
    for line, year_made, accepted_on, commissioned_on, life, v in session.execute(query):
        vehicle = {}
        if v is not None:
            vehicle = dict(plate=v.plate, vin=v.vin, mileage_km=v.odometer_km, make_model=f"{v.make} {v.model}",
                           engine_number=v.engine_number, chassis_number=v.chassis_number,
                           body_number=v.body_number, colour=v.colour, pts_number=v.pts_number,
                           sts_number=v.sts_number)
        yield ActLine(line.name, line.inventory_number, year_made, accepted_on, life,
                      months_in_service(commissioned_on, act.act_date), line.book_value, line.depreciation,
                      line.residual_value, line.condition, line.conclusion, line.balance_account,
                      accepted_for_use_on=commissioned_on, **vehicle)


documents.register(documents.Kind(
    "write_off", WriteOffAct, _l("Write-off act"), approvers=APPROVERS,
    on_approve=_on_approve, on_cancel=_on_cancel, on_reverse=_on_reverse))
