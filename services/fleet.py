"""The fleet clerk's day: transport requests and their assignment, the fuel norm of a waybill, issuing and
closing waybills. Plain functions over a session; they never commit.

The normative consumption follows распоряжение Минтранса России от 14.03.2008 № АМ-23-р «Нормы расхода
топлив и смазочных материалов на автомобильном транспорте»: for a passenger car
Qн = 0,01 · Hs · S · (1 + 0,01 · D), Hs the base norm (l/100 km), S the mileage (km), D the sum of the
surcharges in per cent in force (section 5 of the recommendations: winter by the region's period,
appendix 2; urban driving by the city's population; age over 5/8 years or mileage over 100/150 thousand km;
air conditioning; others the institution adopts by order). See docs/forms.md, «Waybill».
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, type_coerce

from models import (Employee, FleetSettings, FuelCard, FuelNorm, FuelTransaction, RequestStatus, Role,
                    TransportRequest, Vehicle, Waybill, WaybillStatus, WaybillTrip)
from models.fleet import Litres, litres
from models.rules import Refused, enforce, values_of

from . import documents

CENTI = Decimal("0.01")
DISPATCHERS = frozenset({Role.admin, Role.clerk})

documents.register(documents.Kind("waybill", Waybill, _l("Waybill"), approvers=DISPATCHERS))


def settings(session) -> FleetSettings:
    found = session.scalars(select(FleetSettings).order_by(FleetSettings.id).limit(1)).first()
    return found if found is not None else FleetSettings(winter_from="11-01", winter_to="03-31",
                                                         overrun_tolerance_pct=Decimal("5.00"))


# --- norms --------------------------------------------------------------------------------------------

@dataclass
class Norm:
    base: Decimal | None  # Hs, l/100 km
    surcharges: list = field(default_factory=list)  # (label, percent, order) in force

    @property
    def percent(self) -> Decimal:
        """D, the sum of the surcharges (АМ-23-р adds them up; a reduction is negative)."""
        return sum((p for _label, p, _order in self.surcharges), Decimal("0"))

    def litres(self, mileage_km) -> Decimal | None:
        return normative(self.base, mileage_km, self.percent)


def normative(base, mileage_km, percent) -> Decimal | None:
    """Qн = 0,01 · Hs · S · (1 + 0,01 · D), to the hundredth of a litre."""
    if base is None or mileage_km is None:
        return None
    value = CENTI * Decimal(base) * Decimal(mileage_km) * (1 + CENTI * Decimal(percent))
    return value.quantize(CENTI, rounding=ROUND_HALF_UP)


def norm_on(session, vehicle: Vehicle, day: date) -> Norm:
    """The norm card in force on ``day`` and its surcharges in force that day (winter ones only within the
    region's winter period); without a card, the vehicle's base norm with no surcharge."""
    card = session.scalars(select(FuelNorm).where(FuelNorm.vehicle_id == vehicle.id, FuelNorm.valid_from <= day)
                           .order_by(FuelNorm.valid_from.desc()).limit(1)).first()
    if card is None:
        return Norm(vehicle.fuel_norm)
    winter = settings(session).in_winter(day)
    found = []
    for s in card.surcharges:
        if s.valid_from > day or (s.valid_to is not None and s.valid_to < day):
            continue
        if s.kind.value == "winter" and not winter:
            continue
        found.append((s.name or str(s.kind.label), s.percent, f"№ {s.order_number} от {s.order_date:%d.%m.%Y}"))
    return Norm(card.base_norm, found)


# --- transport requests -------------------------------------------------------------------------------

def request_trip(session, requester_id: int, trip_date: date, starts_at: time, ends_at: time, route: str,
                 purpose: str, passengers: str | None = None) -> TransportRequest:
    """A new request (any role for themselves, a clerk for anyone: the view decides who may)."""
    new = enforce(TransportRequest, None, {
        "requester_id": requester_id, "trip_date": trip_date, "starts_at": starts_at,
        "ends_at": ends_at, "route": (route or "").strip() or None, "purpose": (purpose or "").strip() or None,
        "passengers": passengers, "status": RequestStatus.new, "vehicle_id": None, "driver_id": None}, session=session)
    taken = session.scalar(select(func.count()).where(TransportRequest.number.like(f"{new['number']}%")))
    if taken:
        new["number"] = f"{new['number']}-{taken + 1}"
    request = TransportRequest(**{k: v for k, v in new.items() if k != "id"})
    session.add(request)
    session.flush()
    return request


def assign(session, request: TransportRequest, vehicle_id: int, driver_id: int) -> TransportRequest:
    """The dispatcher assigns a vehicle and a driver; the booking rules refuse clashes."""
    if request.status in (RequestStatus.done, RequestStatus.cancelled):
        raise Refused(_l("Request %(n)s is %(status)s; it can no longer be assigned.", n=request.number,
                         status=str(request.status.label).lower()))
    old = values_of(request)
    new = enforce(TransportRequest, old, {**old, "vehicle_id": vehicle_id, "driver_id": driver_id,
                                          "status": RequestStatus.assigned}, session=session)
    request.vehicle_id, request.driver_id, request.status = new["vehicle_id"], new["driver_id"], new["status"]
    session.flush()
    return request


def cancel_request(session, request: TransportRequest) -> None:
    if request.status == RequestStatus.done:
        raise Refused(_l("Request %(n)s is done; it cannot be cancelled.", n=request.number))
    request.status = RequestStatus.cancelled
    session.flush()


def board(session, first: date, last: date) -> dict:
    """Bookings per vehicle and day for the day/week board: {vehicle: {day: [requests]}}."""
    rows = session.scalars(select(TransportRequest).where(
        TransportRequest.trip_date.between(first, last), TransportRequest.vehicle_id.is_not(None),
        TransportRequest.status != RequestStatus.cancelled).order_by(TransportRequest.starts_at)).all()
    result: dict = {}
    for r in rows:
        result.setdefault(r.vehicle_id, {}).setdefault(r.trip_date, []).append(r)
    return result


# --- waybills -----------------------------------------------------------------------------------------

def previous_waybill(session, vehicle_id: int, before: date | None = None) -> Waybill | None:
    query = select(Waybill).where(Waybill.vehicle_id == vehicle_id, Waybill.status == WaybillStatus.approved)
    if before is not None:
        query = query.where(Waybill.valid_from <= before)
    return session.scalars(query.order_by(Waybill.valid_from.desc(), Waybill.return_at.desc(), Waybill.id.desc())
                           .limit(1)).first()


def issue_waybill(session, user, vehicle_id: int, driver_id: int, valid_from: date, valid_to: date | None = None,
                  departure_at: datetime | None = None, odometer_out: int | None = None,
                  fuel_out: Decimal | None = None, **details) -> Waybill:
    """Open a waybill: the next number of the series, departure odometer and fuel from the vehicle's previous
    waybill (continuity), the driver's licence as it is today, the vehicle's assigned requests on these dates
    as its trips. ``details``: fuel_card_id, communication, transport_kind, tech_check_at, tech_checker_id,
    medical_at, medic_name."""
    if getattr(user, "role", None) not in DISPATCHERS:
        raise Refused(_l("Only a dispatcher (clerk) or an administrator issues waybills."))
    vehicle = session.get(Vehicle, vehicle_id)
    driver = session.get(Employee, driver_id)
    if vehicle is None or driver is None:
        raise Refused(_l("Choose the vehicle and the driver."))
    valid_to = valid_to or valid_from
    previous = previous_waybill(session, vehicle_id, valid_from)
    if odometer_out is None:
        odometer_out = previous.odometer_in if previous is not None else vehicle.odometer_km or 0
    if fuel_out is None:
        fuel_out = previous.fuel_in if previous is not None else Decimal("0.00")
    if details.get("fuel_card_id") is None:
        card = session.scalars(select(FuelCard).where(FuelCard.vehicle_id == vehicle_id,
                                                      FuelCard.status == "active").limit(1)).first()
        details["fuel_card_id"] = card.id if card is not None else None
    new = {"id": None, "status": WaybillStatus.draft, "valid_from": valid_from, "valid_to": valid_to,
           "vehicle_id": vehicle_id, "driver_id": driver_id, "departure_at": departure_at or datetime.combine(
               valid_from, time(8, 0)), "odometer_out": odometer_out, "fuel_out": litres(fuel_out),
           "fuel_received": Decimal("0.00"), "licence_number": driver.licence_number,
           "licence_issued_on": driver.licence_issued_on, **details}
    new = enforce(Waybill, None, new, through="issue", session=session)
    waybill = Waybill(**{k: v for k, v in new.items() if k != "id" and v is not None},
                      created_by_id=getattr(user, "id", None))
    documents.number(session, waybill, valid_from)
    session.add(waybill)
    requests = session.scalars(select(TransportRequest).where(
        TransportRequest.vehicle_id == vehicle_id, TransportRequest.status == RequestStatus.assigned,
        TransportRequest.waybill_id.is_(None), TransportRequest.trip_date.between(valid_from, valid_to))
        .order_by(TransportRequest.trip_date, TransportRequest.starts_at)).all()
    for position, r in enumerate(requests, start=1):
        waybill.trips.append(WaybillTrip(position=position, request_id=r.id, customer=r.requester.full_name,
                                         starts_at=r.starts_at, ends_at=r.ends_at, route=r.route, purpose=r.purpose))
        r.waybill = waybill
    session.flush()
    return waybill


def received_on(session, waybill: Waybill) -> Decimal:
    """Litres the card statements put on this waybill."""
    total = session.scalar(select(type_coerce(func.sum(FuelTransaction.litres), Litres()))
                           .where(FuelTransaction.waybill_id == waybill.id))
    return total or Decimal("0.00")


def close_waybill(session, waybill: Waybill, user, odometer_in: int, fuel_in, return_at: datetime | None = None,
                  fuel_received=None, post_medical_at: datetime | None = None) -> Waybill:
    """Close a waybill with the return odometer and fuel: the norm (Hs, D in force on its first day, Qн),
    the actual consumption and the difference; the vehicle's odometer follows; its trips are done.
    Fuel received is what the driver's receipts say, by default what the statements put on it."""
    documents.require_draft(waybill)
    old = values_of(waybill)
    received = litres(fuel_received) if fuel_received not in (None, "") else received_on(session, waybill)
    new = {**old, "odometer_in": odometer_in, "fuel_in": litres(fuel_in), "fuel_received": received,
           "return_at": return_at or datetime.combine(waybill.valid_to, time(17, 0)),
           "post_medical_at": post_medical_at or old.get("post_medical_at")}
    new = enforce(Waybill, old, new, through="close", session=session)
    norm = norm_on(session, waybill.vehicle, waybill.valid_from)
    mileage = new["odometer_in"] - new["odometer_out"]
    for attr in ("odometer_in", "fuel_in", "fuel_received", "return_at", "post_medical_at"):
        setattr(waybill, attr, new[attr])
    waybill.base_norm = norm.base
    waybill.surcharge_pct = norm.percent
    waybill.norm_l = norm.litres(mileage)
    waybill.actual_l = new["fuel_out"] + new["fuel_received"] - new["fuel_in"]
    documents.approve(session, waybill, user)
    vehicle = waybill.vehicle
    if vehicle.odometer_km is None or vehicle.odometer_km < waybill.odometer_in:
        vehicle.odometer_km = waybill.odometer_in
    for r in waybill.requests:
        if r.status == RequestStatus.assigned:
            r.status = RequestStatus.done
    session.flush()
    return waybill


def cancel_waybill(session, waybill: Waybill, user) -> None:
    """An open waybill issued by mistake: cancelled (it keeps its number), its requests free again."""
    documents.cancel(session, waybill, user)
    for r in list(waybill.requests):
        r.waybill = None
    session.flush()


def unclosed_count(session, today: date) -> int:
    """Open waybills whose shift has ended."""
    return session.scalar(select(func.count()).select_from(Waybill).where(
        Waybill.status == WaybillStatus.draft, Waybill.valid_to < today))


def waybill_data(session, waybill: Waybill) -> dict:
    """What the printed waybill shows (reports.waybill_form), each requisite from where docs/forms.md says."""
    from .institution import settings as institution

    inst = institution(session)
    vehicle, driver = waybill.vehicle, waybill.driver
    norm = norm_on(session, vehicle, waybill.valid_from)
    licence = " ".join(p for p in (waybill.licence_number or "", f"от {waybill.licence_issued_on:%d.%m.%Y}"
                                   if waybill.licence_issued_on else "") if p)
    dispatcher = waybill.created_by.full_name if waybill.created_by is not None else ""
    return {
        "number": waybill.number, "valid_from": waybill.valid_from, "valid_to": waybill.valid_to,
        "owner": {"name": inst.full_name, "address": inst.address, "phone": inst.phone, "ogrn": inst.ogrn,
                  "okpo": inst.okpo},
        "vehicle_type": str(_l("Passenger car")), "make_model": f"{vehicle.make} {vehicle.model}",
        "plate": vehicle.plate, "odometer_out": waybill.odometer_out, "odometer_in": waybill.odometer_in,
        "departure_at": waybill.departure_at, "return_at": waybill.return_at, "tech_check_at": waybill.tech_check_at,
        "tech_checker": waybill.tech_checker.full_name if waybill.tech_checker else "",
        "tech_checker_position": (waybill.tech_checker.position or "") if waybill.tech_checker else "",
        "driver": driver.full_name, "licence": licence, "medical_at": waybill.medical_at,
        "post_medical_at": waybill.post_medical_at, "medic": waybill.medic_name or "",
        "communication": str(waybill.communication.label), "transport_kind": str(waybill.transport_kind.label),
        "trips": [{"customer": t.customer, "starts_at": t.starts_at, "ends_at": t.ends_at, "route": t.route,
                   "purpose": t.purpose} for t in waybill.trips],
        "fuel": {"type": str(vehicle.fuel_type.label),
                 "card": waybill.fuel_card.masked_number if waybill.fuel_card else "",
                 "out": waybill.fuel_out, "received": waybill.fuel_received, "in": waybill.fuel_in,
                 "mileage": waybill.mileage, "base": waybill.base_norm if waybill.base_norm is not None else norm.base,
                 "percent": waybill.surcharge_pct if waybill.surcharge_pct is not None else norm.percent,
                 "norm": waybill.norm_l, "actual": waybill.actual_l, "difference": waybill.difference_l,
                 "surcharges": norm.surcharges},
        "dispatcher": dispatcher,
    }


__all__ = ["Norm", "waybill_data", "assign", "board", "cancel_request", "cancel_waybill", "close_waybill",
           "issue_waybill", "norm_on", "normative", "request_trip", "unclosed_count"]
