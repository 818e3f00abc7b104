"""The fuel month: reconciliation of the card statements with the waybills, the month close with its totals
per vehicle, department and fuel type, the fuel write-off act (0504230 / 0510460) drafted on the document
engine from the closed waybills, and reopening a closed month (head or administrator, with a reason).
"""
from calendar import monthrange
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, type_coerce

from models import (FormFamily, FuelCard, FuelType, FuelMonth, FuelTransaction, FuelWriteOff, FuelWriteOffLine,
                    FuelWriteOffStatus, MonthStatus, Role, Vehicle, Waybill, WaybillStatus, utcnow)
from models.fleet import Litres
from models.org import Department, Employee
from models.rules import Refused
from models.types import Money

from . import documents
from .fleet import settings
from .institution import settings as institution

CENTI = Decimal("0.01")
REOPENERS = frozenset({Role.head, Role.admin})


def _reverse_act(session, act, reversal):
    """Reversing an approved act takes the write-off back; the month may then be reopened and closed again."""


documents.register(documents.Kind("fuel_write_off", FuelWriteOff, _l("Fuel write-off act"), approvers=REOPENERS,
                                  on_reverse=_reverse_act))


def bounds(year: int, month: int) -> tuple[date, date]:
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        raise Refused(_l("Choose a month."))
    return date(year, month, 1), date(year, month, monthrange(year, month)[1])


# --- reconciliation -------------------------------------------------------------------------------------

KINDS = {
    "no_waybill": _l("Fuel bought with no open waybill"),
    "wrong_product": _l("Product does not match the vehicle's fuel type"),
    "over_tank": _l("More litres than the free tank volume"),
    "over_limit": _l("Over the card's monthly limit"),
    "over_norm": _l("Consumption above the norm"),
    "foreign_card": _l("Card used by a vehicle it is not assigned to"),
    "received_differs": _l("Fuel received on the waybill differs from the statement"),
}


@dataclass
class Problem:
    kind: str
    message: str
    transaction_id: int | None = None
    waybill_id: int | None = None
    vehicle_id: int | None = None
    card_id: int | None = None

    @property
    def title(self):
        return KINDS[self.kind]


def _fmt(value) -> str:
    return f"{value:,.2f}".replace(",", " ").replace(".", ",")


def reconcile(session, year: int, month: int, tolerance_pct: Decimal | None = None) -> list[Problem]:
    """Every reconciliation problem of the month's transactions and waybills, in the order of KINDS."""
    first, last = bounds(year, month)
    start, end = datetime.combine(first, time()), datetime.combine(last, time(23, 59, 59))
    tolerance = Decimal(tolerance_pct if tolerance_pct is not None else settings(session).overrun_tolerance_pct)
    t, w, v, c = FuelTransaction, Waybill, Vehicle, FuelCard
    rows = session.execute(
        select(t.id, t.occurred_at, t.litres, t.fuel_type, t.product, t.card_id, t.waybill_id, t.vehicle_id, t.plate,
               c.vehicle_id.label("card_vehicle"), c.monthly_limit_l, c.number, v.plate.label("vehicle_plate"),
               v.fuel_type.label("vehicle_fuel"), v.tank_capacity, w.fuel_out, w.departure_at, w.return_at,
               w.actual_l)
        .join(c, c.id == t.card_id).outerjoin(v, v.id == t.vehicle_id).outerjoin(w, w.id == t.waybill_id)
        .where(t.occurred_at.between(start, end)).order_by(t.occurred_at, t.id)).all()
    found: dict[str, list] = {k: [] for k in KINDS}
    card_used: dict[int, Decimal] = defaultdict(Decimal)
    filled: dict[int, Decimal] = defaultdict(Decimal)  # litres put on each waybill so far
    plates = {}
    for r in rows:
        when = f"{r.occurred_at:%d.%m.%Y %H:%M}"
        card = f"•••• {r.number[-4:]}"
        if r.waybill_id is None:
            found["no_waybill"].append(Problem("no_waybill", _l("%(when)s, card %(card)s, %(l)s l: no waybill was "
                                                                "open for the vehicle", when=when, card=card,
                                                                l=_fmt(r.litres)), r.id, None, r.vehicle_id,
                                               r.card_id))
        if r.vehicle_fuel is not None and r.fuel_type != r.vehicle_fuel:
            found["wrong_product"].append(Problem("wrong_product", _l(
                "%(when)s, %(plate)s: «%(product)s» bought for a vehicle on %(fuel)s", when=when,
                plate=r.vehicle_plate, product=r.product, fuel=str(r.vehicle_fuel.label)), r.id, r.waybill_id,
                r.vehicle_id, r.card_id))
        if r.waybill_id is not None and r.tank_capacity:
            # The level before this fill: departure fuel, earlier fills, less what was burnt so far (the closed
            # waybill's actual consumption spread over its time on the line; nothing while it is open).
            burnt = Decimal(0)
            if r.actual_l is not None and r.return_at is not None and r.return_at > r.departure_at:
                share = Decimal((r.occurred_at - r.departure_at).total_seconds()) / Decimal(
                    (r.return_at - r.departure_at).total_seconds())
                burnt = r.actual_l * min(max(share, Decimal(0)), Decimal(1))
            level = (r.fuel_out or 0) + filled[r.waybill_id] - burnt
            free = max(Decimal(r.tank_capacity) - level, Decimal(0)).quantize(CENTI, ROUND_HALF_UP)
            filled[r.waybill_id] += r.litres
            if r.litres > free:
                found["over_tank"].append(Problem("over_tank", _l(
                    "%(when)s, %(plate)s: %(l)s l filled, the tank had room for %(free)s l (%(tank)s l tank)",
                    when=when, plate=r.vehicle_plate, l=_fmt(r.litres), free=_fmt(free), tank=r.tank_capacity),
                    r.id, r.waybill_id, r.vehicle_id, r.card_id))
        before = card_used[r.card_id]
        card_used[r.card_id] += r.litres
        if r.monthly_limit_l is not None and card_used[r.card_id] > r.monthly_limit_l >= before:
            found["over_limit"].append(Problem("over_limit", _l(
                "%(when)s, card %(card)s: %(used)s l this month, the limit is %(limit)s l", when=when, card=card,
                used=_fmt(card_used[r.card_id]), limit=r.monthly_limit_l), r.id, r.waybill_id, r.vehicle_id,
                r.card_id))
        foreign = r.card_vehicle is not None and r.vehicle_id is not None and r.vehicle_id != r.card_vehicle
        if r.plate and r.card_vehicle is not None:
            plates.setdefault(r.card_vehicle, session.scalar(select(v.plate).where(v.id == r.card_vehicle)))
            foreign = foreign or r.plate != plates[r.card_vehicle]
        if foreign:
            found["foreign_card"].append(Problem("foreign_card", _l(
                "%(when)s, card %(card)s of %(own)s used by %(other)s", when=when, card=card,
                own=plates.get(r.card_vehicle) or session.scalar(select(v.plate).where(v.id == r.card_vehicle)),
                other=r.plate or r.vehicle_plate), r.id, r.waybill_id, r.vehicle_id, r.card_id))
    received = dict(session.execute(select(t.waybill_id, type_coerce(func.sum(t.litres), Litres()))
                                    .where(t.waybill_id.is_not(None)).join(w, w.id == t.waybill_id)
                                    .where(w.valid_from.between(first, last)).group_by(t.waybill_id)).all())
    for row in session.execute(select(w.id, w.number, w.year, w.norm_l, w.actual_l, w.fuel_received, w.vehicle_id,
                                      v.plate).join(v, v.id == w.vehicle_id)
                               .where(w.status == WaybillStatus.approved, w.valid_from.between(first, last))
                               .order_by(w.valid_from, w.number)):
        doc = f"{row.number}/{row.year}"
        if row.norm_l and row.actual_l is not None and row.actual_l > row.norm_l * (1 + tolerance / 100):
            over = ((row.actual_l - row.norm_l) / row.norm_l * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
            found["over_norm"].append(Problem("over_norm", _l(
                "waybill %(doc)s, %(plate)s: %(actual)s l used against a norm of %(norm)s l (+%(over)s %%, "
                "tolerated %(tol)s %%)", doc=doc, plate=row.plate, actual=_fmt(row.actual_l), norm=_fmt(row.norm_l),
                over=str(over).replace(".", ","), tol=f"{tolerance:g}".replace(".", ",")), None, row.id, row.vehicle_id))
        statement = received.get(row.id, Decimal("0.00"))
        if statement and statement != (row.fuel_received or 0):
            found["received_differs"].append(Problem("received_differs", _l(
                "waybill %(doc)s, %(plate)s: %(w)s l received on the waybill, %(s)s l by the statements", doc=doc,
                plate=row.plate, w=_fmt(row.fuel_received or 0), s=_fmt(statement)), None, row.id, row.vehicle_id))
    return [p for k in KINDS for p in found[k]]


def problem_count(session, year: int, month: int) -> int:
    return len(reconcile(session, year, month))


# --- month close ----------------------------------------------------------------------------------------

def month_of(session, year: int, month: int, create: bool = False) -> FuelMonth | None:
    record = session.scalar(select(FuelMonth).where(FuelMonth.year == year, FuelMonth.month == month))
    if record is None and create:
        record = FuelMonth(year=year, month=month, status=MonthStatus.open)
        session.add(record)
        session.flush()
    return record


def totals(session, year: int, month: int) -> dict:
    """Per vehicle: mileage, norm, actual, economy (−) / overrun (+), received, fuel at start and end, and the
    waybills; per department and per fuel type the sums. From the month's closed waybills."""
    first, last = bounds(year, month)
    w, v = Waybill, Vehicle
    rows = session.execute(
        select(w.id, w.number, w.year, w.vehicle_id, v.plate, v.make, v.model, v.fuel_type, w.odometer_out,
               w.odometer_in, w.fuel_out, w.fuel_in, w.fuel_received, w.norm_l, w.actual_l,
               func.coalesce(Department.name, "").label("department"))
        .join(v, v.id == w.vehicle_id).outerjoin(Employee, Employee.id == w.driver_id)
        .outerjoin(Department, Department.id == Employee.department_id)
        .where(w.status == WaybillStatus.approved, w.valid_from.between(first, last))
        .order_by(v.plate, w.valid_from, w.departure_at, w.id)).all()
    zero = Decimal("0.00")
    vehicles: dict[int, dict] = {}
    for r in rows:
        item = vehicles.get(r.vehicle_id)
        if item is None:
            item = vehicles[r.vehicle_id] = {
                "vehicle_id": r.vehicle_id, "vehicle": f"{r.plate} {r.make} {r.model}", "fuel": r.fuel_type.value,
                "department": r.department, "mileage": 0, "norm": zero, "actual": zero, "received": zero,
                "fuel_start": r.fuel_out, "fuel_end": r.fuel_in, "waybills": [], "waybill_ids": []}
        item["mileage"] += r.odometer_in - r.odometer_out
        item["norm"] += r.norm_l or zero
        item["actual"] += r.actual_l or zero
        item["received"] += r.fuel_received or zero
        item["fuel_end"] = r.fuel_in
        item["waybills"].append(f"{r.number}/{r.year}")
        item["waybill_ids"].append(r.id)
    per_vehicle = []
    groups = {"department": defaultdict(lambda: defaultdict(Decimal)), "fuel": defaultdict(lambda: defaultdict(Decimal))}
    for item in vehicles.values():
        item["difference"] = item["actual"] - item["norm"]
        per_vehicle.append(item)
        for group in ("department", "fuel"):
            bucket = groups[group][item[group]]
            for key in ("mileage", "norm", "actual", "difference", "received"):
                bucket[key] += item[key]
    return {"vehicles": per_vehicle,
            "departments": {k: dict(b) for k, b in sorted(groups["department"].items())},
            "fuels": {k: dict(b) for k, b in sorted(groups["fuel"].items())}}


def _json(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json(v) for v in value]
    return value


def prices(session, first: date, last: date) -> dict:
    """Average price per litre of each fuel type in the month's statements (amount ÷ litres)."""
    t = FuelTransaction
    result = {}
    for fuel, amount, volume in session.execute(
            select(t.fuel_type, type_coerce(func.sum(t.amount), Money()), type_coerce(func.sum(t.litres), Litres()))
            .where(t.occurred_at.between(datetime.combine(first, time()), datetime.combine(last, time(23, 59, 59))),
                   t.fuel_type.is_not(None), t.amount.is_not(None)).group_by(t.fuel_type)):
        if volume:
            result[fuel] = (amount / volume).quantize(CENTI, ROUND_HALF_UP)
    return result


def close_month(session, year: int, month: int, user, commission_id: int | None = None,
                act_date: date | None = None) -> FuelMonth:
    """Close the month: every waybill of it closed, the totals kept, the write-off act drafted."""
    if getattr(user, "role", None) not in (Role.admin, Role.clerk, Role.head):
        raise Refused(_l("Your role may not close a fuel month."))
    first, last = bounds(year, month)
    record = month_of(session, year, month, create=True)
    if record.status == MonthStatus.closed:
        raise Refused(_l("The fuel month %(m)s is already closed.", m=str(record)))
    open_ones = session.execute(select(Waybill.number, Waybill.year).where(
        Waybill.status == WaybillStatus.draft, Waybill.valid_from.between(first, last))
        .order_by(Waybill.number)).all()
    if open_ones:
        raise documents.DocumentRefused(_l("Close the month's open waybills first: %(n)s of them.", n=len(open_ones)),
                                        [f"№ {n}/{y}" for n, y in open_ones[:20]])
    summary = totals(session, year, month)
    if not summary["vehicles"]:
        raise Refused(_l("The month %(m)02d.%(y)s has no closed waybill to write fuel off by.", m=month, y=year))
    price = prices(session, first, last)
    family = institution(session).form_family or FormFamily.f52n
    act = FuelWriteOff(act_date=act_date or last, status=FuelWriteOffStatus.draft, month=record,
                       commission_id=commission_id, form_family=getattr(family, "value", family),
                       created_by_id=getattr(user, "id", None))
    documents.number(session, act, act.act_date)
    for position, item in enumerate(sorted(summary["vehicles"], key=lambda i: (i["fuel"], i["vehicle"])), start=1):
        fuel = item["fuel"]
        unit = price.get(FuelType(fuel), Decimal("0.00"))
        act.lines.append(FuelWriteOffLine(position=position, fuel_type=fuel, vehicle_id=item["vehicle_id"],
                                          litres=item["actual"], price=unit,
                                          amount=(item["actual"] * unit).quantize(CENTI, ROUND_HALF_UP),
                                          basis=", ".join(f"№ {n}" for n in item["waybills"])))
    session.add(act)
    record.status = MonthStatus.closed
    record.closed_at = utcnow()
    record.closed_by_id = getattr(user, "id", None)
    record.totals = _json({k: v for k, v in summary.items()})
    session.flush()
    return record


def act_of(session, record: FuelMonth) -> FuelWriteOff | None:
    return session.scalars(select(FuelWriteOff).where(FuelWriteOff.month_id == record.id,
                                                      FuelWriteOff.status != FuelWriteOffStatus.cancelled)
                           .order_by(FuelWriteOff.id.desc())).first()


def reopen_month(session, record: FuelMonth, user, reason: str) -> FuelMonth:
    """Head or administrator only, with a reason (kept on the month and in the change log). A draft act is
    cancelled; an approved one must be reversed first."""
    if getattr(user, "role", None) not in REOPENERS:
        raise Refused(_l("Only the head or an administrator may reopen a closed fuel month."))
    reason = (reason or "").strip()
    if not reason:
        raise Refused(_l("Give the reason for reopening the month."), "reopen_reason")
    if record.status != MonthStatus.closed:
        raise Refused(_l("The fuel month %(m)s is not closed.", m=str(record)))
    act = act_of(session, record)
    if act is not None and act.status == FuelWriteOffStatus.approved:
        if documents.reversal_of(session, act) is None or documents.reversal_of(session, act).status.value != "approved":
            raise Refused(_l("The write-off act %(act)s is approved; reverse it first, then reopen the month.",
                             act=str(act)))
    elif act is not None:
        documents.cancel(session, act, user)
    record.status = MonthStatus.open
    record.reopened_at = utcnow()
    record.reopened_by_id = getattr(user, "id", None)
    record.reopen_reason = reason
    session.flush()
    return record


def act_data(session, act: FuelWriteOff) -> dict:
    """What the printed act shows (reports.fuel_write_off_form)."""
    inst = institution(session)
    first, last = bounds(act.month.year, act.month.month)
    per_vehicle = {v["vehicle_id"]: v for v in (act.month.totals or {}).get("vehicles", [])}
    lines = []
    for line in act.lines:
        item = per_vehicle.get(line.vehicle_id, {})
        lines.append({"fuel": str(FuelType(line.fuel_type).label), "litres": line.litres, "price": line.price,
                      "amount": line.amount, "vehicle": item.get("vehicle") or (str(line.vehicle) if line.vehicle
                                                                                else ""),
                      "basis": line.basis or "",
                      "norm_actual": f"{item.get('norm', '')} / {item.get('actual', '')}".replace(".", ",")})
    return {"institution": inst, "approved_on": act.approved_at.date() if act.approved_at else None,
            "okud": act.okud, "act_date": act.act_date, "number": act.number, "family": act.form_family,
            "department": None, "commission": act.commission, "first": first, "last": last, "lines": lines,
            "account": act.account, "total_litres": sum((line.litres for line in act.lines), Decimal("0.00")),
            "total_amount": sum((line.amount for line in act.lines), Decimal("0.00")),
            "waybill_count": sum(len(v.get("waybills", [])) for v in per_vehicle.values())}


__all__ = ["KINDS", "act_data", "Problem", "close_month", "reconcile", "reopen_month", "totals"]
