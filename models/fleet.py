"""Vehicles on the line: transport requests, waybills with their trips, fuel norm cards with dated
surcharges, fuel-card transactions from the providers' statements, and the fuel month that closes them.

The rules that need other records (continuity of a vehicle's waybills, double bookings, a closed month)
are the models' ``rules_among(session, old, new, through)``: ``models.rules.judge`` runs them after the
plain rules, so a form, an inline edit, a bulk edit, an import and the services refuse the same things
with the same message.
"""
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import (JSON, Date, DateTime, ForeignKey, Index, Integer, Numeric, String, Text, Time,
                        UniqueConstraint, select, text)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Tracked
from .documents import Document
from .registry import concat, ru_date
from .types import Hundredths, LabeledEnum, Money, enum_column
from .vehicles import FuelType, Vehicle, VehicleStatus

CENTI = Decimal("0.01")


def litres(value) -> Decimal | None:
    if value is None or value == "":
        return None
    if value.__class__ is not Decimal:
        value = Decimal(str(value))
    return value.quantize(CENTI, rounding=ROUND_HALF_UP)


class Litres(Hundredths):
    """Litres to the hundredth, exact on every database (SQLite keeps whole centilitres in an INTEGER,
    so sums stay exact; wrap aggregates in ``type_coerce(func.sum(col), Litres())``)."""

    impl = Numeric(12, 2)
    cache_ok = True


# --- settings -------------------------------------------------------------------------------------

class FleetSettings(Tracked, Base):
    """The fleet's own settings (one row): the winter period of the region (распоряжение АМ-23-р,
    приложение 2: the region's authorities set its dates) and the tolerance of the reconciliation."""

    __tablename__ = "fleet_settings"
    verbose_name, verbose_name_plural = _l("Fleet settings"), _l("Fleet settings")

    id: Mapped[int] = mapped_column(primary_key=True)
    region: Mapped[str | None] = mapped_column(String(200), info={"label": _l("Region"), "example": "г. Москва"})
    winter_from: Mapped[str] = mapped_column(String(5), default="11-01", info={
        "label": _l("Winter period from (MM-DD)"), "example": "11-01"})
    winter_to: Mapped[str] = mapped_column(String(5), default="03-31", info={
        "label": _l("Winter period to (MM-DD)"), "example": "03-31"})
    winter_order: Mapped[str | None] = mapped_column(String(200), info={"label": _l("Winter period set by")})
    overrun_tolerance_pct: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("5.00"), info={
        "label": _l("Tolerated consumption above the norm, %")})

    @staticmethod
    def rules(old, new, through=None):
        problems = []
        for attr in ("winter_from", "winter_to"):
            if month_day(new.get(attr)) is None:
                problems.append((attr, _l("write the day as MM-DD, e.g. 11-01")))
        if (new.get("overrun_tolerance_pct") or 0) < 0:
            problems.append(("overrun_tolerance_pct", _l("cannot be negative")))
        return problems

    def in_winter(self, day: date) -> bool:
        start, end = month_day(self.winter_from), month_day(self.winter_to)
        if start is None or end is None:
            return False
        key = (day.month, day.day)
        return start <= key <= end if start <= end else key >= start or key <= end

    def __str__(self):
        return str(_l("Fleet settings"))


def month_day(value) -> tuple[int, int] | None:
    try:
        month, day = (int(p) for p in str(value or "").split("-"))
        date(2024, month, day)  # a leap year: 02-29 is a valid bound
    except ValueError:
        return None
    return month, day


# --- transport requests -----------------------------------------------------------------------------

class RequestStatus(LabeledEnum):
    new = "new", _l("New")
    assigned = "assigned", _l("Assigned")
    done = "done", _l("Done")
    cancelled = "cancelled", _l("Cancelled")


BOOKED = (RequestStatus.assigned, RequestStatus.done)


def _day(value):
    return value.date() if isinstance(value, datetime) else value


def readiness_problems(session, vehicle_id, driver_id, first: date, last: date) -> list:
    """Is the vehicle on the line and its driver allowed to drive on every day from ``first`` to ``last``?
    In service, ОСАГО and the diagnostic card valid, the driver's licence valid."""
    from .org import Employee

    problems = []
    if vehicle_id is not None:
        vehicle = session.get(Vehicle, vehicle_id)
        if vehicle is not None:
            if vehicle.status != VehicleStatus.in_service:
                problems.append(("vehicle_id", _l("%(vehicle)s is not in service (%(status)s)", vehicle=vehicle.plate,
                                                  status=str(vehicle.status.label).lower())))
            if vehicle.osago_expires_on is None or vehicle.osago_expires_on < last:
                problems.append(("vehicle_id", _l("%(vehicle)s has no ОСАГО policy valid on %(day)s",
                                                  vehicle=vehicle.plate, day=f"{last:%d.%m.%Y}")))
            if vehicle.diagnostic_expires_on is None or vehicle.diagnostic_expires_on < last:
                problems.append(("vehicle_id", _l("%(vehicle)s has no diagnostic card valid on %(day)s",
                                                  vehicle=vehicle.plate, day=f"{last:%d.%m.%Y}")))
    if driver_id is not None:
        driver = session.get(Employee, driver_id)
        if driver is not None:
            if not driver.licence_number:
                problems.append(("driver_id", _l("%(driver)s has no driving licence on record", driver=driver.full_name)))
            elif driver.licence_expires_on is None or driver.licence_expires_on < last:
                problems.append(("driver_id", _l("the driving licence of %(driver)s is not valid on %(day)s",
                                                 driver=driver.full_name, day=f"{last:%d.%m.%Y}")))
    return problems


def completed(session, model, new: dict) -> dict:
    """``new`` with the stored values of what it lacks (an import row names only the columns it imports):
    the record is found by its id or natural key, so the rules see it whole and never clash with itself."""
    key = {k: new.get(k) for k in model.natural_key}
    if new.get("id") is None and all(v is not None for v in key.values()):
        row = session.execute(select(model.__table__).where(
            *[model.__table__.c[k] == v for k, v in key.items()])).mappings().first()
    elif new.get("id") is not None and any(c.key not in new for c in model.__table__.columns):
        row = session.execute(select(model.__table__).where(model.__table__.c.id == new["id"])).mappings().first()
    else:
        return new
    return new if row is None else {**row, **new, "id": row["id"]}


def month_closed_problem(session, *days) -> list:
    """A record dated in a closed fuel month is not changed (reopen the month first)."""
    keys = {(d.year, d.month) for d in days if d is not None}
    for year, month in sorted(keys):
        closed = session.scalar(select(FuelMonth.id).where(FuelMonth.year == year, FuelMonth.month == month,
                                                           FuelMonth.status == MonthStatus.closed))
        if closed is not None:
            return [(None, _l("The fuel month %(month)02d.%(year)s is closed; ask the head to reopen it.",
                              month=month, year=year))]
    return []


class TransportRequest(Tracked, Base):
    """A member of staff asks for a trip; the dispatcher assigns a vehicle and a driver."""

    __tablename__ = "transport_request"
    __table_args__ = (Index("ix_transport_request_vehicle_day", "vehicle_id", "trip_date"),
                      Index("ix_transport_request_driver_day", "driver_id", "trip_date"))
    verbose_name, verbose_name_plural = _l("Transport request"), _l("Transport requests")
    natural_key = ("number",)
    search_fields = ("number", "route", "purpose")
    bulk_editable = ("vehicle_id", "driver_id", "status", "trip_date")
    importable = ("number", "requester_id", "trip_date", "starts_at", "ends_at", "route", "purpose", "passengers",
                  "vehicle_id", "driver_id", "status")

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True, info={"label": _l("Request number"),
                                                                       "example": "З-0001"})
    requester_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="RESTRICT"), index=True,
                                              info={"label": _l("Requested by")})
    trip_date: Mapped[date] = mapped_column(Date, index=True, info={"label": _l("Trip date"),
                                                                     "example": date(2026, 3, 2)})
    starts_at: Mapped[time] = mapped_column(Time, info={"label": _l("From"), "example": time(9, 0)})
    ends_at: Mapped[time] = mapped_column(Time, info={"label": _l("To"), "example": time(12, 0)})
    route: Mapped[str] = mapped_column(String(500), info={"label": _l("Route"),
                                                           "example": "ул. Примерная, 1 — Минфин — ул. Примерная, 1"})
    purpose: Mapped[str] = mapped_column(String(500), info={"label": _l("Purpose of the trip"),
                                                             "example": "Доставка документов"})
    passengers: Mapped[str | None] = mapped_column(String(500), info={"label": _l("Passengers")})
    vehicle_id: Mapped[int | None] = mapped_column(ForeignKey("vehicle.id", ondelete="RESTRICT"))
    driver_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="RESTRICT"))
    status: Mapped[RequestStatus] = mapped_column(enum_column(RequestStatus), default=RequestStatus.new, index=True,
                                                  info={"label": _l("Request status")})
    waybill_id: Mapped[int | None] = mapped_column(ForeignKey("waybill.id", ondelete="SET NULL"), index=True)

    requester: Mapped["Employee"] = relationship(foreign_keys=[requester_id])  # noqa: F821
    vehicle: Mapped[Vehicle | None] = relationship()
    driver: Mapped["Employee | None"] = relationship(foreign_keys=[driver_id])  # noqa: F821
    waybill: Mapped["Waybill | None"] = relationship(back_populates="requests")

    @staticmethod
    def rules(old, new, through=None):
        problems = []
        if new.get("starts_at") and new.get("ends_at") and new["starts_at"] >= new["ends_at"]:
            problems.append(("ends_at", _l("the trip must end after it starts")))
        status = new.get("status")
        if status in BOOKED and (new.get("vehicle_id") is None or new.get("driver_id") is None):
            problems.append(("vehicle_id", _l("an assigned request needs a vehicle and a driver")))
        return problems

    @staticmethod
    def derive(old, new):
        if not new.get("number") and new.get("trip_date") and new.get("starts_at"):
            return {"number": f"{new['trip_date']:%y%m%d}-{new['starts_at']:%H%M}-{new.get('requester_id') or 0}"}
        return {}

    @staticmethod
    def rules_among(session, old, new, through=None):
        """Booking: no overlap for the vehicle or the driver; vehicle on the line, driver allowed to drive."""
        new = completed(session, TransportRequest, new)
        status = new.get("status")
        day = new.get("trip_date")
        if status == RequestStatus.cancelled or day is None or not (new.get("vehicle_id") or new.get("driver_id")):
            return []
        unchanged = old is not None and all(old.get(k) == new.get(k) for k in
                                            ("vehicle_id", "driver_id", "trip_date", "starts_at", "ends_at", "status"))
        if unchanged:
            return []  # a request already booked is not judged again for an unrelated edit
        problems = readiness_problems(session, new.get("vehicle_id"), new.get("driver_id"), day, day)
        t = TransportRequest
        clash = [t.trip_date == day, t.status.in_(BOOKED), t.starts_at < new["ends_at"], t.ends_at > new["starts_at"]]
        if new.get("id") is not None:
            clash.append(t.id != new["id"])
        for attr, column, what in (("vehicle_id", t.vehicle_id, _l("The vehicle")), ("driver_id", t.driver_id,
                                                                                      _l("The driver"))):
            if new.get(attr) is None:
                continue
            other = session.execute(select(t.number, t.starts_at, t.ends_at).where(column == new[attr], *clash)
                                    .limit(1)).first()
            if other is not None:
                problems.append((attr, _l("%(what)s is already booked on %(day)s %(start)s–%(end)s (request %(n)s)",
                                          what=what, day=f"{day:%d.%m.%Y}", start=f"{other.starts_at:%H:%M}",
                                          end=f"{other.ends_at:%H:%M}", n=other.number)))
        return problems

    @classmethod
    def display_sql(cls):
        return concat(cls.number, " ", ru_date(cls.trip_date))

    def __str__(self):
        return f"{self.number} {self.trip_date:%d.%m.%Y}" if self.trip_date else self.number or ""


# --- waybills ---------------------------------------------------------------------------------------

class WaybillStatus(LabeledEnum):
    # The engine's states: a draft waybill is open (the vehicle is on the line), approval closes it.
    draft = "draft", _l("Open (on the line)")
    approved = "approved", _l("Closed (returned)")
    cancelled = "cancelled", _l("Cancelled")


class CommunicationKind(LabeledEnum):
    """Вид сообщения (ст. 4 Устава автомобильного транспорта)."""
    urban = "urban", _l("Urban")
    suburban = "suburban", _l("Suburban")
    intercity = "intercity", _l("Intercity")
    international = "international", _l("International")


class TransportKind(LabeledEnum):
    """Вид перевозки."""
    own_needs = "own_needs", _l("Carriage for own needs")
    charter = "charter", _l("Carriage of passengers by order")
    goods = "goods", _l("Carriage of goods")
    children = "children", _l("Organised carriage of a group of children")


OPEN = WaybillStatus.draft


class Waybill(Document, Tracked, Base):
    """Путевой лист: issued open (the vehicle goes on the line), closed with the return odometer and fuel."""

    __tablename__ = "waybill"
    __table_args__ = (UniqueConstraint("year", "number"),
                      Index("ix_waybill_vehicle_from", "vehicle_id", "valid_from"),
                      # The database's own guard under the rule: one open waybill per vehicle.
                      Index("uq_waybill_open_vehicle", "vehicle_id", unique=True,
                            sqlite_where=text("status = 'draft'"), postgresql_where=text("status = 'draft'")))
    verbose_name, verbose_name_plural = _l("Waybill"), _l("Waybills")
    document_kind = "waybill"
    date_field = "valid_from"
    natural_key = ("year", "number")
    search_fields = ()
    bulk_editable = ("driver_id", "valid_to", "communication", "transport_kind")
    importable = ("year", "number", "odometer_in", "fuel_in", "return_at", "post_medical_at")

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[WaybillStatus] = mapped_column(enum_column(WaybillStatus), default=WaybillStatus.draft,
                                                  index=True, info={"label": _l("Waybill status")})
    valid_from: Mapped[date] = mapped_column(Date, index=True, info={"label": _l("Valid from")})
    valid_to: Mapped[date] = mapped_column(Date, info={"label": _l("Valid to")})
    vehicle_id: Mapped[int] = mapped_column(ForeignKey("vehicle.id", ondelete="RESTRICT"))
    driver_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="RESTRICT"), index=True)
    fuel_card_id: Mapped[int | None] = mapped_column(ForeignKey("fuel_card.id", ondelete="RESTRICT"), index=True,
                                                     info={"label": _l("Fuel card handed over")})
    communication: Mapped[CommunicationKind] = mapped_column(
        enum_column(CommunicationKind), default=CommunicationKind.urban, info={"label": _l("Kind of communication")})
    transport_kind: Mapped[TransportKind] = mapped_column(
        enum_column(TransportKind), default=TransportKind.own_needs, info={"label": _l("Kind of transportation")})
    # Driver's licence as it was at issue (390, п. 7: series, number, date of issue).
    licence_number: Mapped[str | None] = mapped_column(String(20), info={"label": _l("Driving licence")})
    licence_issued_on: Mapped[date | None] = mapped_column(Date, info={"label": _l("Licence issued on")})
    departure_at: Mapped[datetime] = mapped_column(DateTime, info={"label": _l("Left the parking")})
    return_at: Mapped[datetime | None] = mapped_column(DateTime, info={"label": _l("Returned to the parking")})
    tech_check_at: Mapped[datetime | None] = mapped_column(DateTime, info={"label": _l("Pre-trip technical check")})
    tech_checker_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="RESTRICT"),
                                                        info={"label": _l("Technical check made by")})
    medical_at: Mapped[datetime | None] = mapped_column(DateTime, info={"label": _l("Pre-trip medical check")})
    post_medical_at: Mapped[datetime | None] = mapped_column(DateTime, info={"label": _l("Post-trip medical check")})
    medic_name: Mapped[str | None] = mapped_column(String(200), info={"label": _l("Medical check made by")})
    odometer_out: Mapped[int] = mapped_column(Integer, info={"label": _l("Odometer at departure, km")})
    odometer_in: Mapped[int | None] = mapped_column(Integer, info={"label": _l("Odometer at return, km")})
    fuel_out: Mapped[Decimal] = mapped_column(Litres(), info={"label": _l("Fuel at departure, l")})
    fuel_received: Mapped[Decimal] = mapped_column(Litres(), default=Decimal("0.00"),
                                                   info={"label": _l("Fuel received, l")})
    fuel_in: Mapped[Decimal | None] = mapped_column(Litres(), info={"label": _l("Fuel at return, l")})
    # Derived at close (one place: services.fleet.fuel_norm): Hs and D in force, Qн, the actual consumption.
    base_norm: Mapped[Decimal | None] = mapped_column(Numeric(5, 2), info={"label": _l("Base norm Hs, l/100 km")})
    surcharge_pct: Mapped[Decimal | None] = mapped_column(Numeric(6, 2), info={"label": _l("Surcharges D, %")})
    norm_l: Mapped[Decimal | None] = mapped_column(Litres(), info={"label": _l("Normative consumption, l")})
    actual_l: Mapped[Decimal | None] = mapped_column(Litres(), info={"label": _l("Actual consumption, l")})

    vehicle: Mapped[Vehicle] = relationship()
    driver: Mapped["Employee"] = relationship(foreign_keys=[driver_id])  # noqa: F821
    tech_checker: Mapped["Employee | None"] = relationship(foreign_keys=[tech_checker_id])  # noqa: F821
    fuel_card: Mapped["FuelCard | None"] = relationship()  # noqa: F821
    trips: Mapped[list["WaybillTrip"]] = relationship(back_populates="waybill", cascade="all, delete-orphan",
                                                      order_by="WaybillTrip.position")
    requests: Mapped[list[TransportRequest]] = relationship(back_populates="waybill")

    @property
    def mileage(self) -> int | None:
        if self.odometer_in is None or self.odometer_out is None:
            return None
        return self.odometer_in - self.odometer_out

    @property
    def difference_l(self) -> Decimal | None:
        """Economy (−) or overrun (+) against the norm."""
        if self.norm_l is None or self.actual_l is None:
            return None
        return self.actual_l - self.norm_l

    @staticmethod
    def rules(old, new, through=None):
        problems = []
        if old is None and through != "issue":
            problems.append((None, _l("A waybill is issued from the panel (it takes the next number of the series); "
                                      "an import or a form can only complete an open one.")))
        if old is not None and old.get("status") == WaybillStatus.approved and through not in ("close", "engine"):
            problems.append((None, _l("Waybill %(n)s is closed and can no longer be changed.",
                                      n=f"{old.get('number')}/{old.get('year')}")))
        if new.get("valid_from") and new.get("valid_to") and new["valid_to"] < new["valid_from"]:
            problems.append(("valid_to", _l("the waybill cannot end before it starts")))
        out, back = new.get("odometer_out"), new.get("odometer_in")
        if out is not None and out < 0:
            problems.append(("odometer_out", _l("cannot be negative")))
        if back is not None and out is not None and back < out:
            problems.append(("odometer_in", _l("the odometer never goes back: %(back)s km at return is less than "
                                               "%(out)s km at departure", back=back, out=out)))
        for attr in ("fuel_out", "fuel_in", "fuel_received"):
            if new.get(attr) is not None and new[attr] < 0:
                problems.append((attr, _l("cannot be negative")))
        fuel_out, received, fuel_in = new.get("fuel_out"), new.get("fuel_received") or 0, new.get("fuel_in")
        if fuel_in is not None and fuel_out is not None and fuel_in > fuel_out + received:
            problems.append(("fuel_in", _l("more fuel at return (%(back)s l) than at departure plus received "
                                           "(%(have)s l)", back=fuel_in, have=fuel_out + received)))
        if new.get("return_at") and new.get("departure_at") and new["return_at"] < new["departure_at"]:
            problems.append(("return_at", _l("the return cannot be earlier than the departure")))
        if through == "close":
            for attr in ("odometer_in", "fuel_in", "return_at"):
                if new.get(attr) is None:
                    problems.append((attr, _l("required to close the waybill")))
        return problems

    @staticmethod
    def rules_among(session, old, new, through=None):
        """Continuity of the vehicle's waybills, the tank, one open waybill, the booking rules, the month."""
        problems = []
        if old is not None and "vehicle_id" not in new:  # an import row: judge the whole record
            stored = completed(session, Waybill, {"year": new.get("year"), "number": new.get("number")})
            if "vehicle_id" not in stored:
                return problems  # a new record: the plain rules refuse it
            old, new = stored, {**stored, **new}
            problems.extend(Waybill.rules(old, new, through))
        problems.extend(month_closed_problem(session, new.get("valid_from"), (old or {}).get("valid_from")))
        vehicle = session.get(Vehicle, new["vehicle_id"]) if new.get("vehicle_id") else None
        if vehicle is None or new.get("status") == WaybillStatus.cancelled:
            return problems
        tank = vehicle.tank_capacity
        for attr in ("fuel_out", "fuel_in"):
            if tank is not None and new.get(attr) is not None and new[attr] > tank:
                problems.append((attr, _l("%(l)s l is more than the tank holds (%(tank)s l)", l=new[attr], tank=tank)))
        if new.get("status") != OPEN:
            return problems
        w = Waybill
        me = [w.id != new["id"]] if new.get("id") is not None else []
        other = session.execute(select(w.number, w.year).where(w.vehicle_id == vehicle.id, w.status == OPEN, *me)
                                .limit(1)).first()
        if other is not None:
            problems.append(("vehicle_id", _l("%(vehicle)s already has an open waybill %(n)s; close it first",
                                              vehicle=vehicle.plate, n=f"{other.number}/{other.year}")))
        previous = session.execute(
            select(w.number, w.year, w.odometer_in, w.fuel_in, w.valid_to)
            .where(w.vehicle_id == vehicle.id, w.status == WaybillStatus.approved, w.valid_from <= new["valid_from"],
                   *me).order_by(w.valid_from.desc(), w.return_at.desc(), w.id.desc()).limit(1)).first()
        if previous is not None:
            if new.get("odometer_out") is not None and new["odometer_out"] != previous.odometer_in:
                problems.append(("odometer_out", _l(
                    "the waybill starts where waybill %(n)s ended: %(km)s km on the odometer",
                    n=f"{previous.number}/{previous.year}", km=previous.odometer_in)))
            if new.get("fuel_out") is not None and new["fuel_out"] != previous.fuel_in:
                problems.append(("fuel_out", _l("the waybill starts where waybill %(n)s ended: %(l)s l in the tank",
                                                n=f"{previous.number}/{previous.year}", l=previous.fuel_in)))
        elif vehicle.odometer_km is not None and (new.get("odometer_out") or 0) < vehicle.odometer_km:
            problems.append(("odometer_out", _l("the odometer never goes back: the vehicle has run %(km)s km",
                                                km=vehicle.odometer_km)))
        if old is None or any(old.get(k) != new.get(k) for k in ("vehicle_id", "driver_id", "valid_from", "valid_to")):
            problems.extend(readiness_problems(session, new.get("vehicle_id"), new.get("driver_id"),
                                               new["valid_from"], new.get("valid_to") or new["valid_from"]))
            if new.get("driver_id") is not None:
                busy = session.execute(select(w.number, w.year).where(
                    w.driver_id == new["driver_id"], w.status == OPEN, w.vehicle_id != vehicle.id,
                    w.valid_from <= (new.get("valid_to") or new["valid_from"]), w.valid_to >= new["valid_from"], *me)
                    .limit(1)).first()
                if busy is not None:
                    problems.append(("driver_id", _l("the driver is on the line with waybill %(n)s on these dates",
                                                     n=f"{busy.number}/{busy.year}")))
        return problems

    @classmethod
    def display_sql(cls):
        return concat(cls.number, "/", cls.year, " ", ru_date(cls.valid_from))

    def __str__(self):
        return f"{self.number}/{self.year}" if self.number else str(_l("new waybill"))


class WaybillTrip(Base):
    """One task of the waybill («задание водителю»): usually an assigned transport request."""

    __tablename__ = "waybill_trip"

    id: Mapped[int] = mapped_column(primary_key=True)
    waybill_id: Mapped[int] = mapped_column(ForeignKey("waybill.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=1)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("transport_request.id", ondelete="SET NULL"))
    customer: Mapped[str | None] = mapped_column(String(200), info={"label": _l("Requested by")})
    starts_at: Mapped[time | None] = mapped_column(Time, info={"label": _l("From")})
    ends_at: Mapped[time | None] = mapped_column(Time, info={"label": _l("To")})
    route: Mapped[str] = mapped_column(String(500), info={"label": _l("Route")})
    purpose: Mapped[str | None] = mapped_column(String(500), info={"label": _l("Purpose of the trip")})

    waybill: Mapped[Waybill] = relationship(back_populates="trips")


# --- fuel norms -------------------------------------------------------------------------------------

class SurchargeKind(LabeledEnum):
    """The conditions under which АМ-23-р (section 5) raises a norm, and «other» with its own name."""
    winter = "winter", _l("Winter")
    urban = "urban", _l("Urban driving")
    age = "age", _l("Vehicle age or mileage")
    air_conditioning = "air_conditioning", _l("Air conditioning")
    other = "other", _l("Other")


class FuelNorm(Tracked, Base):
    """A vehicle's norm card: the base norm Hs from a date on, adopted by the institution's order."""

    __tablename__ = "fuel_norm"
    __table_args__ = (UniqueConstraint("vehicle_id", "valid_from"),)
    verbose_name, verbose_name_plural = _l("Fuel norm card"), _l("Fuel norm cards")

    id: Mapped[int] = mapped_column(primary_key=True)
    vehicle_id: Mapped[int] = mapped_column(ForeignKey("vehicle.id", ondelete="CASCADE"), index=True)
    valid_from: Mapped[date] = mapped_column(Date, info={"label": _l("In force from")})
    base_norm: Mapped[Decimal] = mapped_column(Numeric(5, 2), info={"label": _l("Base norm Hs, l/100 km"),
                                                                     "example": Decimal("8.70")})
    order_number: Mapped[str] = mapped_column(String(50), info={"label": _l("Adopted by order No.")})
    order_date: Mapped[date] = mapped_column(Date, info={"label": _l("Order date")})

    vehicle: Mapped[Vehicle] = relationship()
    surcharges: Mapped[list["FuelSurcharge"]] = relationship(back_populates="norm", cascade="all, delete-orphan",
                                                             order_by="FuelSurcharge.valid_from")

    @staticmethod
    def rules(old, new, through=None):
        if new.get("base_norm") is not None and new["base_norm"] <= 0:
            return [("base_norm", _l("must be more than zero"))]
        return []

    def __str__(self):
        return f"{self.base_norm} л/100 км с {self.valid_from:%d.%m.%Y}" if self.valid_from else ""


class FuelSurcharge(Tracked, Base):
    """A dated surcharge D (per cent, negative for a reduction) on a norm card, with its order."""

    __tablename__ = "fuel_surcharge"
    verbose_name, verbose_name_plural = _l("Surcharge"), _l("Surcharges")

    id: Mapped[int] = mapped_column(primary_key=True)
    norm_id: Mapped[int] = mapped_column(ForeignKey("fuel_norm.id", ondelete="CASCADE"), index=True)
    kind: Mapped[SurchargeKind] = mapped_column(enum_column(SurchargeKind), info={"label": _l("Surcharge")})
    name: Mapped[str | None] = mapped_column(String(200), info={"label": _l("Name")})
    percent: Mapped[Decimal] = mapped_column(Numeric(5, 2), info={"label": _l("Percent")})
    valid_from: Mapped[date] = mapped_column(Date, info={"label": _l("In force from")})
    valid_to: Mapped[date | None] = mapped_column(Date, info={"label": _l("In force to")})
    order_number: Mapped[str] = mapped_column(String(50), info={"label": _l("Adopted by order No.")})
    order_date: Mapped[date] = mapped_column(Date, info={"label": _l("Order date")})

    norm: Mapped[FuelNorm] = relationship(back_populates="surcharges")

    @staticmethod
    def rules(old, new, through=None):
        problems = []
        if new.get("kind") == SurchargeKind.other and not new.get("name"):
            problems.append(("name", _l("name the condition of an «other» surcharge")))
        if new.get("percent") is not None and not Decimal(-50) <= new["percent"] <= Decimal(100):
            problems.append(("percent", _l("must be between -50 and 100")))
        if new.get("valid_to") and new.get("valid_from") and new["valid_to"] < new["valid_from"]:
            problems.append(("valid_to", _l("cannot be earlier than the start")))
        return problems

    def __str__(self):
        return f"{self.name or self.kind.label} {self.percent}%"


# --- fuel-card transactions -------------------------------------------------------------------------

class FuelTransaction(Base):
    """One line of a provider's statement, matched to the card's vehicle and the waybill open at that time."""

    __tablename__ = "fuel_transaction"
    __table_args__ = (Index("ix_fuel_transaction_card_time", "card_id", "occurred_at"),)
    verbose_name, verbose_name_plural = _l("Fuel transaction"), _l("Fuel transactions")

    id: Mapped[int] = mapped_column(primary_key=True)
    # The same line imported again has the same fingerprint and is skipped.
    fingerprint: Mapped[str] = mapped_column(String(40), unique=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("supplier.id", ondelete="RESTRICT"), index=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("fuel_card.id", ondelete="RESTRICT"))
    occurred_at: Mapped[datetime] = mapped_column(DateTime, index=True, info={"label": _l("Date and time")})
    station: Mapped[str | None] = mapped_column(String(300), info={"label": _l("Station")})
    product: Mapped[str] = mapped_column(String(100), info={"label": _l("Product")})
    fuel_type: Mapped[FuelType | None] = mapped_column(enum_column(FuelType), info={"label": _l("Fuel type")})
    litres: Mapped[Decimal] = mapped_column(Litres(), info={"label": _l("Litres")})
    price: Mapped[Decimal | None] = mapped_column(Money(), info={"label": _l("Price")})
    amount: Mapped[Decimal | None] = mapped_column(Money(), info={"label": _l("Amount")})
    plate: Mapped[str | None] = mapped_column(String(12), info={"label": _l("Plate in the statement")})
    vehicle_id: Mapped[int | None] = mapped_column(ForeignKey("vehicle.id", ondelete="RESTRICT"), index=True)
    waybill_id: Mapped[int | None] = mapped_column(ForeignKey("waybill.id", ondelete="SET NULL"), index=True)
    statement: Mapped[str | None] = mapped_column(String(255), info={"label": _l("Statement")})
    imported_at: Mapped[datetime] = mapped_column(DateTime)

    provider: Mapped["Supplier"] = relationship()  # noqa: F821
    card: Mapped["FuelCard"] = relationship()  # noqa: F821
    vehicle: Mapped[Vehicle | None] = relationship()
    waybill: Mapped[Waybill | None] = relationship()

    def __str__(self):
        return f"{self.occurred_at:%d.%m.%Y %H:%M} {self.litres} л"


# --- the fuel month and its write-off act ------------------------------------------------------------

class MonthStatus(LabeledEnum):
    open = "open", _l("Month open")
    closed = "closed", _l("Month closed")


class FuelMonth(Tracked, Base):
    """A month of fuel accounting; closing it freezes its waybills and drafts the write-off act."""

    __tablename__ = "fuel_month"
    __table_args__ = (UniqueConstraint("year", "month"),)
    verbose_name, verbose_name_plural = _l("Fuel month"), _l("Fuel months")

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    status: Mapped[MonthStatus] = mapped_column(enum_column(MonthStatus), default=MonthStatus.open,
                                                info={"label": _l("Month status")})
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    reopened_at: Mapped[datetime | None] = mapped_column(DateTime)
    reopened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    reopen_reason: Mapped[str | None] = mapped_column(Text, info={"label": _l("Reason for reopening")})
    totals: Mapped[dict | None] = mapped_column(JSON)  # per vehicle / department / fuel type, as closed

    def __str__(self):
        return f"{self.month:02d}.{self.year}"


class FuelWriteOffStatus(LabeledEnum):
    draft = "draft", _l("Draft")
    approved = "approved", _l("Approved")
    cancelled = "cancelled", _l("Cancelled")


class FuelWriteOff(Document, Tracked, Base):
    """Акт о списании материальных запасов (0504230; 0510460 in the 61н family) for the fuel of a month,
    drafted from its closed waybills, which it lists as its basis."""

    __tablename__ = "fuel_write_off"
    __table_args__ = (UniqueConstraint("year", "number"),)
    verbose_name, verbose_name_plural = _l("Fuel write-off act"), _l("Fuel write-off acts")
    document_kind = "fuel_write_off"
    date_field = "act_date"

    id: Mapped[int] = mapped_column(primary_key=True)
    act_date: Mapped[date] = mapped_column(Date, index=True, info={"label": _l("Act date")})
    status: Mapped[FuelWriteOffStatus] = mapped_column(enum_column(FuelWriteOffStatus),
                                                       default=FuelWriteOffStatus.draft, index=True)
    month_id: Mapped[int] = mapped_column(ForeignKey("fuel_month.id", ondelete="RESTRICT"), index=True)
    commission_id: Mapped[int | None] = mapped_column(ForeignKey("commission.id", ondelete="RESTRICT"))
    form_family: Mapped[str] = mapped_column(String(8), default="52n")
    account: Mapped[str] = mapped_column(String(30), default="105.33", info={"label": _l("Balance account")})

    month: Mapped[FuelMonth] = relationship()
    commission: Mapped["Commission | None"] = relationship()  # noqa: F821
    lines: Mapped[list["FuelWriteOffLine"]] = relationship(back_populates="act", cascade="all, delete-orphan",
                                                           order_by="FuelWriteOffLine.position")

    @property
    def okud(self) -> str:
        return "0510460" if self.form_family == "61n" else "0504230"


class FuelWriteOffLine(Base):
    __tablename__ = "fuel_write_off_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    act_id: Mapped[int] = mapped_column(ForeignKey("fuel_write_off.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    fuel_type: Mapped[FuelType] = mapped_column(enum_column(FuelType))
    vehicle_id: Mapped[int | None] = mapped_column(ForeignKey("vehicle.id", ondelete="RESTRICT"))
    litres: Mapped[Decimal] = mapped_column(Litres())
    price: Mapped[Decimal] = mapped_column(Money())
    amount: Mapped[Decimal] = mapped_column(Money())
    basis: Mapped[str | None] = mapped_column(Text)  # the waybills, «№ 12/2026, № 15/2026 …»

    act: Mapped[FuelWriteOff] = relationship(back_populates="lines")
    vehicle: Mapped[Vehicle | None] = relationship()


__all__ = ["CommunicationKind", "FleetSettings", "FuelMonth", "FuelNorm", "FuelSurcharge", "FuelTransaction",
           "FuelWriteOff", "FuelWriteOffLine", "FuelWriteOffStatus", "Litres", "MonthStatus", "RequestStatus",
           "SurchargeKind", "TransportKind", "TransportRequest", "Waybill", "WaybillStatus", "WaybillTrip"]
